"""A rules file's dictionary stays inside the project or the rules file's folder, its errors
never quote another file; negative numbers on the command line get a hint about ``--``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import snapshot, write

from qcode import Project

SECRET = "s3cr3t-token-4711"
DICT = "name: d\ncategories:\n  money:\n    terms: [yuan]\n"
RULE = "rules:\n  - name: m\n    code: cost\n    dictionary: {ref}\n    category: money\n"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    with Project.init(tmp_path / "study" / "p") as p:
        p.documents.import_files([write(tmp_path / "int.txt", "R: I pay 800 yuan.")])
        p.codes.add("cost")
    return tmp_path / "study" / "p"


def refused(cli: Any, root: Path, rules: Path, *words: str) -> str:
    with Project.open(root) as p:
        before = snapshot(p)
    r = cli("-p", str(root), "autocode", str(rules))
    assert r.code == 1, (r.code, r.out, r.err)
    lines = r.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {rules}: "), r.err
    for w in words:
        assert w in lines[0], lines[0]
    with Project.open(root) as p:
        assert snapshot(p) == before
    return r.err


def test_a_dictionary_outside_both_folders_is_refused(root: Path, tmp_path: Path, cli: Any) -> None:
    outside = write(tmp_path / "elsewhere" / "d.yaml", DICT)
    rules_dir = tmp_path / "rules"
    for ref in ("../elsewhere/d.yaml", str(outside)):
        rules = write(rules_dir / "r.yaml", RULE.format(ref=ref))
        refused(cli, root, rules, "rule 'm'", "outside", "refused")
    # a link inside the folder that leads out is followed first, and refused the same
    (rules_dir / "link.yaml").symlink_to(outside)
    rules = write(rules_dir / "r.yaml", RULE.format(ref="link.yaml"))
    refused(cli, root, rules, "outside")


def test_a_dictionary_in_the_rules_folder_or_the_project_folder_is_used(
    root: Path, tmp_path: Path, cli: Any
) -> None:
    write(tmp_path / "rules" / "dicts" / "d.yaml", DICT)
    rules = write(tmp_path / "rules" / "r.yaml", RULE.format(ref="dicts/d.yaml"))
    assert cli("-p", str(root), "autocode", str(rules)).code == 0
    write(root / "dictionaries" / "p.yaml", DICT)
    rules = write(tmp_path / "rules" / "r2.yaml", RULE.format(ref="dictionaries/p.yaml"))
    r = cli("-p", str(root), "autocode", str(rules), "--json")
    assert r.code == 0, r.err
    rules = write(tmp_path / "rules" / "r3.yaml", RULE.format(ref="dicts/missing.yaml"))
    refused(cli, root, rules, "'dicts/missing.yaml' does not exist")


@pytest.mark.parametrize(
    "content",
    [
        f"name: d\ncategories: {SECRET}\n",
        f"name: d\ncategories:\n  money:\n    terms: [{SECRET}, [x]]\n",
        f"{SECRET}: [\n",
        f"api_key = {SECRET}\n",
    ],
)
def test_a_bad_dictionary_is_never_quoted(
    root: Path, tmp_path: Path, cli: Any, content: str
) -> None:
    write(tmp_path / "rules" / "d.yaml", content)
    rules = write(tmp_path / "rules" / "r.yaml", RULE.format(ref="d.yaml"))
    err = refused(cli, root, rules, "'d.yaml' is not a usable dictionary", "qcode dict check")
    assert SECRET not in err


@pytest.mark.parametrize(
    "args",
    [
        ("code", "int", "-5", "10", "cost"),
        ("code", "int", "0", "-1", "cost"),
        ("uncode", "int", "-3", "4", "cost"),
    ],
)
def test_negative_numbers_get_a_hint_about_dashes(
    root: Path, cli: Any, args: tuple[str, ...]
) -> None:
    r = cli("-p", str(root), *args)
    assert r.code == 2
    lines = r.err.splitlines()
    assert len(lines) == 1, r.err
    assert "put -- before the arguments" in lines[0] and f"qcode {args[0]}" in lines[0], lines[0]
    # and with -- the number arrives, to be refused (or used) by the command itself
    r = cli("-p", str(root), args[0], "--", *args[1:])
    assert r.code == 1 and "negative" in r.err and len(r.err.splitlines()) == 1, r.err
