"""Auto-coding rules propose codings into a review queue; accepted ones become codings by the
reviewer with the rule kept; a run can be applied and undone, or reverted as a whole."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import snapshot, write

from qcode import Project

TEXT = (
    "Interviewer: How much do you pay?\n"
    "R: About 800 yuan a month. The contribution is too much for me 😀.\n"
    "Interviewer: And then?\n"
    "R: I stopped paying last year. 养老保险太贵了，缴费基数太高。\n"
)
RULES = """
name: pension talk
rules:
  - name: contribution words
    code: cost
    terms: [contribution, too much, 缴费基数]
  - name: amounts
    code: cost
    regex: '\\d+\\s*yuan'
    unit: sentence
  - name: stopping
    code: stopped
    patterns:
      - [{"LOWER": "stopped"}, {"LOWER": "paying"}]
    unit: turn
"""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    with Project.init(tmp_path / "p") as p:
        p.documents.import_files([write(tmp_path / "int.txt", TEXT)])
        p.codes.add("cost")
        p.codes.add("stopped")
    write(tmp_path / "rules.yaml", RULES)
    return tmp_path / "p"


def test_rules_fill_the_queue_with_exact_spans(root: Path, cli: Any) -> None:
    with Project.open(root) as p:
        before = snapshot(p)
    r = cli("-p", str(root), "autocode", str(root.parent / "rules.yaml"), "--json")
    assert r.code == 0, r.err
    assert r.json()["proposed"] == 5 and r.json()["by_rule"] == {
        "contribution words": 3,
        "amounts": 1,
        "stopping": 1,
    }
    queued = cli("-p", str(root), "review", "list", "--json").json()
    got = sorted((q["code"], q["text"], q["rule"]) for q in queued)
    assert got == [
        ("cost", "About 800 yuan a month.", "amounts"),
        ("cost", "contribution", "contribution words"),
        ("cost", "too much", "contribution words"),
        ("cost", "缴费基数", "contribution words"),
        ("stopped", "R: I stopped paying last year. 养老保险太贵了，缴费基数太高。", "stopping"),
    ]
    with Project.open(root) as p:
        text = p.documents.text("int")
        assert all(text[q["start"] : q["end"]] == q["text"] for q in queued)
        assert p.codings.list() == []  # nothing coded until reviewed
        after = snapshot(p)
    assert {
        k: v for k, v in after.items() if k not in ("autocode_runs", "suggestions", "coders")
    } == {k: v for k, v in before.items() if k not in ("autocode_runs", "suggestions", "coders")}


def test_review_accept_reject_adjust_and_revert(root: Path, cli: Any) -> None:
    assert cli("-p", str(root), "autocode", str(root.parent / "rules.yaml")).code == 0
    queued = {q["text"]: q["id"] for q in cli("-p", str(root), "review", "list", "--json").json()}
    assert cli("-p", str(root), "review", "accept", str(queued["contribution"])).code == 0
    assert cli("-p", str(root), "review", "reject", str(queued["too much"])).code == 0
    sid = queued["About 800 yuan a month."]
    at = TEXT.index("800 yuan")
    r = cli("-p", str(root), "review", "adjust", str(sid), str(at), str(at + 8))
    assert r.code == 0 and "800 yuan" in r.out
    assert cli("-p", str(root), "review", "accept", str(sid)).code == 0
    r = cli("-p", str(root), "review", "accept", str(sid))
    assert r.code != 0 and "already accepted" in r.err
    with Project.open(root) as p:
        got = sorted((c.code, c.text, c.coder) for c in p.codings.list())
        assert got == [("cost", "800 yuan", "alice"), ("cost", "contribution", "alice")]
    runs = cli("-p", str(root), "review", "runs", "--json").json()
    assert runs[0]["accepted"] == 2 and runs[0]["rejected"] == 1 and runs[0]["pending"] == 2
    assert cli("-p", str(root), "review", "revert", str(runs[0]["run"])).code == 0
    with Project.open(root) as p:
        assert p.codings.list() == []
    assert cli("-p", str(root), "review", "list", "--json").json() == []


def test_apply_is_one_undo_step(root: Path, cli: Any) -> None:
    with Project.open(root) as p:
        before = snapshot(p)
    r = cli("-p", str(root), "autocode", str(root.parent / "rules.yaml"), "--apply", "--json")
    assert r.code == 0 and r.json()["applied"] == 5
    with Project.open(root) as p:
        assert len(p.codings.list()) == 5
    # running again proposes nothing new: the codings are there
    again = cli("-p", str(root), "autocode", str(root.parent / "rules.yaml"), "--json").json()
    assert again["proposed"] == 0 and again["skipped_existing"] == 5
    assert cli("-p", str(root), "undo").code == 0
    assert cli("-p", str(root), "undo").code == 0
    with Project.open(root) as p:
        assert snapshot(p) == before


BAD_RULES = [
    ("rules: []", "rules: [] should be non-empty"),
    ("rules:\n  - code: cost\n    regex: '(unclosed'", "rule 'rule 1': invalid regular expression"),
    ("rules:\n  - code: nope\n    terms: [x]", "rule 'rule 1': no code 'nope'"),
    (
        'rules:\n  - name: p\n    code: cost\n    patterns: [[{"NOPE": 1}]]',
        "rule 'p': invalid spaCy pattern",
    ),
    ("rules:\n  - code: cost\n    terms: [x]\n    regex: y", "rules/0: give exactly one of"),
    ("rules: [", "cannot be parsed"),
]


@pytest.mark.parametrize(("text", "message"), BAD_RULES)
def test_bad_rules_name_the_file_and_rule(root: Path, cli: Any, text: str, message: str) -> None:
    f = write(root.parent / "bad.yaml", text)
    with Project.open(root) as p:
        before = snapshot(p)
    r = cli("-p", str(root), "autocode", str(f))
    assert r.code != 0 and r.err.startswith(f"error: {f}: ") and message in r.err, r.err
    assert len(r.err.strip().splitlines()) == 1
    with Project.open(root) as p:
        assert snapshot(p) == before


def test_dictionary_category_rule(root: Path, cli: Any) -> None:
    write(
        root.parent / "dicts" / "d.yaml",
        "name: d\ncategories:\n  money:\n    terms: [yuan, 缴费基数]\n  other:\n    terms: [bike]\n",
    )
    rules = write(
        root.parent / "dict-rules.yaml",
        "rules:\n  - name: m\n    code: cost\n    dictionary: dicts/d.yaml\n    category: money\n",
    )
    r = cli("-p", str(root), "autocode", str(rules), "--json")
    assert r.code == 0, r.err
    queued = cli("-p", str(root), "review", "list", "--json").json()
    assert sorted(q["text"] for q in queued) == ["yuan", "缴费基数"]
    bad = write(
        root.parent / "bad-dict-rules.yaml",
        "rules:\n  - name: m\n    code: cost\n    dictionary: dicts/d.yaml\n    category: nope\n",
    )
    r = cli("-p", str(root), "autocode", str(bad))
    assert r.code != 0 and "rule 'm': no category 'nope' in d.yaml" in r.err


def test_revert_leaves_codings_it_did_not_make(root: Path, cli: Any) -> None:
    assert cli("-p", str(root), "autocode", str(root.parent / "rules.yaml")).code == 0
    first = cli("-p", str(root), "review", "list", "--json").json()[0]
    assert cli("-p", str(root), "review", "accept", str(first["id"])).code == 0
    with Project.open(root) as p:
        [made] = p.codings.list()
        p.codings.remove([made.id])
        other = p.codings.apply("int", 0, 11, "stopped", coder="bob")
        assert other.id != made.id  # a freed id is never handed out again (undo may need it)
    runs = cli("-p", str(root), "review", "runs", "--json").json()
    r = cli("-p", str(root), "review", "revert", str(runs[0]["run"]))
    assert r.code == 0 and "0 coding(s) removed" in r.out
    with Project.open(root) as p:
        assert [(c.coder, c.text) for c in p.codings.list()] == [("bob", "Interviewer")]
