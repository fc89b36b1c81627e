"""YAML aliases past a small expansion budget are refused by every reader of YAML files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import write

from qcode.text.yamlfile import ALIAS_BUDGET, AliasBudgetError, safe_load


def bomb(levels: int = 9, width: int = 9) -> str:
    """``levels`` anchors, each a list of ``width`` aliases of the one before: width**levels."""
    lines = [f"l0: &l0 [{', '.join(['lol'] * width)}]"]
    for i in range(1, levels):
        lines.append(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


def test_the_600_byte_bomb_is_refused_at_once() -> None:
    text = bomb()
    assert len(text.encode()) < 700
    with pytest.raises(AliasBudgetError, match="alias"):
        safe_load(text)
    assert isinstance(AliasBudgetError("x"), yaml.YAMLError)


def test_a_few_aliases_are_fine_and_the_budget_is_counted_expanded() -> None:
    assert safe_load("a: &x {k: 1}\nb: *x\nc: *x\n") == {
        "a": {"k": 1},
        "b": {"k": 1},
        "c": {"k": 1},
    }
    # 3 levels of 20: 20 + 400 + 8,000 expanded, under the budget; 4 levels (160,000) is over
    assert 20**3 < ALIAS_BUDGET < 20**4
    safe_load(bomb(3, 20))
    with pytest.raises(AliasBudgetError):
        safe_load(bomb(4, 20))
    # a large document without aliases is not limited
    big = "\n".join(f"k{i}: [a, b, c]" for i in range(2_000))
    assert len(safe_load(big)) == 2_000


def test_deep_nesting_is_a_yaml_error() -> None:
    with pytest.raises(yaml.YAMLError):
        safe_load("[" * 50_000 + "]" * 50_000)


@pytest.fixture
def proj(tmp_path: Path, cli: Any) -> Path:
    root = tmp_path / "study"
    assert cli("init", str(root)).code == 0
    return root


def _refused(r: Any, path: Path) -> None:
    assert r.code == 1, (r.code, r.out, r.err)
    lines = r.err.splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and "alias" in lines[0], r.err


def test_framework_rules_and_dictionary_files(proj: Path, tmp_path: Path, cli: Any) -> None:
    f = write(tmp_path / "framework.yaml", "name: F\ndimensions: []\n" + bomb(5, 10))
    _refused(cli("-p", str(proj), "framework", "load", str(f)), f)
    r = write(tmp_path / "rules.yaml", "rules: []\n" + bomb(5, 10))
    _refused(cli("-p", str(proj), "autocode", str(r)), r)
    d = write(tmp_path / "dict.yaml", "name: D\ncategories: {}\n" + bomb(5, 10))
    _refused(cli("-p", str(proj), "dict", "check", str(d)), d)


def test_study_files(tmp_path: Path, cli: Any) -> None:
    folder = tmp_path / "s"
    write(folder / "study.yaml", "name: S\n" + bomb(5, 10))
    write(folder / "cases.csv", "case\nP1\n")
    write(folder / "transcripts" / "P1.txt", "R: hello.")
    r = cli("build", str(folder))
    _refused(r, folder / "study.yaml")
    write(folder / "study.yaml", "name: S\n")
    meta = "---\ntitle: M\n" + bomb(5, 10) + "---\nbody\n"
    write(folder / "memos" / "m.md", meta)
    r = cli("build", str(folder))
    assert r.code == 1 and "alias" in r.err and len(r.err.splitlines()) == 1, r.err
