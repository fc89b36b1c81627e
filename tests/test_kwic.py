"""qcode kwic: hits with exact code-point offsets and context, and coding them in one step."""

from __future__ import annotations

from pathlib import Path

import pytest
import regex
from conftest import run_cli, snapshot, write
from sqlalchemy import select

from qcode import Project
from qcode.analysis.kwic import find, lines, term_pattern, units_around
from qcode.services.words import WordsService
from qcode.store.models import Segment
from qcode.text.offsets import grapheme_boundaries

TEXT = (
    "R: 👩‍👩‍👧 My family pays 養老? 我交养老保险😀，养老保险很贵。\n"
    "R: Pay 🇨🇳 pay! Payment q\u0301pay, 社保👍🏽社保 keep the\tmoney. Keep the\nmoney.\n"
)


def hits(term: str, text: str = TEXT, is_regex: bool = False) -> list[str]:
    return [text[a:b] for a, b in find(text, term_pattern(term, is_regex))]


def test_plain_terms_match_whole_words_in_latin_script_and_anywhere_in_cjk() -> None:
    assert hits("pay") == ["Pay", "pay"]  # not pays, Payment, or q́pay (a combining mark)
    assert hits("PAYS") == ["pays"]
    assert hits("养老保险") == ["养老保险", "养老保险"]
    assert hits("社保") == ["社保", "社保"]  # beside emoji, inside running Chinese text
    assert hits("老保") == ["老保", "老保"]
    assert hits("keep the money") == ["keep the\tmoney"]  # not across the line break
    assert hits("pay(s|ment)?", is_regex=True) == ["pays", "Pay", "pay", "Payment", "pay"]
    assert hits("(?-i)Pay", is_regex=True) == ["Pay", "Pay"]
    assert hits("^R", is_regex=True) == ["R", "R"]
    assert hits("x*", is_regex=True) == []  # empty matches are skipped
    for bad in ("pay(", "[a-"):
        with pytest.raises(ValueError, match="invalid regular expression"):
            term_pattern(bad, True)
    with pytest.raises(ValueError, match="empty"):
        term_pattern("  ")


def test_context_is_cut_at_whole_graphemes() -> None:
    found = find(TEXT, term_pattern("my"))
    for window in range(0, 8):
        (line,) = lines(TEXT, found, window)
        a, b = line.start, line.end
        assert TEXT[a:b] == line.match == "My"
        assert TEXT[a - len(line.left) : a] == line.left and len(line.left) <= window
        assert TEXT[b : b + len(line.right)] == line.right and len(line.right) <= window
        assert a - len(line.left) in grapheme_boundaries(TEXT)
    (line,) = lines(TEXT, found, 5)
    assert line.left == " "  # the family emoji (5 code points and a space) is not split


def test_units_around() -> None:
    units = [(0, 10), (12, 20), (20, 30)]
    assert units_around([(2, 4), (5, 6), (11, 12), (18, 22)], units) == (
        [(0, 10), (12, 20), (20, 30)],
        1,
    )


@pytest.fixture
def doc(project: Project, tmp_path: Path) -> Project:
    project.documents.import_files([write(tmp_path / "int.txt", TEXT)])
    project.documents.import_files([write(tmp_path / "other.txt", "Nobody pays. 我不交社保。\n")])
    project.codes.add("cost")
    return project


def test_offsets_slice_the_stored_text(doc: Project) -> None:
    stored = doc.documents.text("int")
    assert stored == TEXT  # already normalised
    r = run_cli("-p", str(doc.root), "kwic", "社保", "--format", "json", "--window", "6")
    assert r.code == 0, r.err
    rows = r.json()
    assert [x["document"] for x in rows] == ["int", "int", "other"]
    for x in rows:
        assert set(x) == {"document", "start", "end", "left", "match", "right"}
        text = doc.documents.text(x["document"])
        assert text[x["start"] : x["end"]] == x["match"] == "社保"
        assert text[x["start"] - len(x["left"]) : x["start"]] == x["left"]
        assert text[x["end"] : x["end"] + len(x["right"])] == x["right"]
    assert rows[0]["right"] == "👍🏽社保 k"  # six code points: the emoji with its skin tone is two
    # --doc and --where choose the documents
    assert len(WordsService(doc).kwic("社保", docs=["other"])) == 1
    r = run_cli("-p", str(doc.root), "kwic", "pay")
    assert r.code == 0 and "2 hit(s) of 'pay' in 1 document(s)" in r.out
    r = run_cli("-p", str(doc.root), "kwic", "pay", "--format", "csv", "--window", "3")
    at = TEXT.index("Pay")
    assert r.out.splitlines()[:2] == [
        "document,start,end,left,match,right",
        f"int,{at},{at + 3},R: ,Pay, 🇨🇳",  # the flag's two code points are not split
    ]


def test_coding_hits_is_one_undo_step(doc: Project) -> None:
    before = snapshot(doc)
    r = run_cli("-p", str(doc.root), "kwic", "pay", "--code", "cost", "--coder", "ann")
    assert r.code == 0, r.err
    assert "coded 2 segment(s) with 'cost' as ann" in r.out
    coded = [(c.document, c.text, c.coder) for c in doc.codings.list()]
    assert coded == [("int", "Pay", "ann"), ("int", "pay", "ann")]
    # again: nothing new, and no duplicate
    r = run_cli("-p", str(doc.root), "kwic", "pay", "--code", "cost", "--coder", "ann")
    assert r.code == 0 and "coded 0 segment(s)" in r.out and "2 already coded" in r.out
    assert len(doc.codings.list()) == 2
    doc.history.undo()
    assert snapshot(doc) == before


def test_coding_the_sentence_around_each_hit(doc: Project) -> None:
    before = snapshot(doc)
    res = WordsService(doc).code_hits("养老保险", "cost", unit="sentence", docs=["int"])
    assert (res.hits, res.made, res.existing, res.outside) == (2, 1, 0, 0)
    (coding,) = doc.codings.list()
    assert coding.text == "我交养老保险😀，养老保险很贵。"
    with doc.read() as s:
        sentences = s.execute(
            select(Segment.start, Segment.end).where(Segment.kind == "sentence")
        ).all()
    assert (coding.start, coding.end) in sentences
    # JSON goes to stdout and the report to stderr; 'other' has no speaker label, so no turn
    r = run_cli(
        "-p", str(doc.root), "kwic", "社保", "--code", "cost", "--unit", "turn", "--format", "json"
    )
    assert r.code == 0 and len(r.json()) == 3
    assert "coded 1 segment(s) (turns" in r.err and "1 hit(s) in no turn left uncoded" in r.err
    turn = doc.codings.list()[-1]
    assert turn.text.startswith("R: Pay") and turn.text.endswith("money.")
    doc.history.undo()
    doc.history.undo()
    assert snapshot(doc) == before


@pytest.mark.parametrize(
    "args,message",
    [
        (["pay(", "--regex", "--code", "cost"], "invalid regular expression"),
        (["pay", "--code", "nope"], "no code 'nope'"),
        (["pay", "--code", "cost", "--unit", "chapter"], "unknown unit"),
        (["pay", "--unit", "sentence"], "--unit and --coder go with --code"),
        (["pay", "--format", "xml"], "unknown format"),
    ],
)
def test_errors_leave_the_project_unchanged(doc: Project, args: list[str], message: str) -> None:
    before, events = snapshot(doc), doc.info()["events"]
    r = run_cli("-p", str(doc.root), "kwic", *args)
    assert r.code == 1 and r.out == ""
    assert r.err.startswith("error: ") and message in r.err and r.err.count("\n") == 1
    assert regex.search(r"\bTraceback\b", r.err) is None
    assert snapshot(doc) == before and doc.info()["events"] == events


def test_context_trimmed_to_the_same_cells_as_trimming_one_character_at_a_time() -> None:
    from dataclasses import asdict

    from rich.cells import cell_len

    from qcode.cli.words import _head_cells, _tail_cells

    def naive_tail(text: str, width: int) -> str:
        while cell_len(text) > width:
            text = text[1:]
        return text

    def naive_head(text: str, width: int) -> str:
        while cell_len(text) > width:
            text = text[:-1]
        return text

    for text in (TEXT, TEXT.replace("\n", " ⏎ "), "养老保险很贵" * 5, "", "ab"):
        for width in range(0, 45):
            assert _tail_cells(text, width) == naive_tail(text, width), (text, width)
            assert _head_cells(text, width) == naive_head(text, width), (text, width)
    line = lines(TEXT, find(TEXT, term_pattern("社保")), 10)[0]
    assert line.as_json() == asdict(line)


def test_texts_are_read_in_batches_in_the_order_asked(tmp_path: Path, monkeypatch) -> None:
    import qcode.services.words as words

    p = Project.init(tmp_path / "p")
    files = [write(tmp_path / f"t{i}.txt", f"R: text number {i}.\n") for i in range(7)]
    p.documents.import_files(files)
    service = WordsService(p)
    docs = list(reversed(service._documents([], [])))
    monkeypatch.setattr(words, "_TEXT_BATCH", 3)  # 7 documents: batches of 3, 3 and 1
    assert [t.split()[3] for t in service._texts(docs)] == [f"{i}." for i in range(6, -1, -1)]
    p.close()


def test_a_page_of_hits_counts_them_all_and_cuts_only_its_own_context(doc: Project) -> None:
    service = WordsService(doc)
    every = service.kwic("社保", window=6)
    for first in (0, 1, 2, 3, 9):
        page, total, n_docs = service.kwic_page("社保", window=6, first=first)
        assert page == every[:first] and (total, n_docs) == (3, 2)
    # the table says how many hits there are in all, from the page
    r = run_cli("-p", str(doc.root), "kwic", "社保")
    assert r.code == 0 and "3 hit(s) of '社保' in 2 document(s)" in r.out
