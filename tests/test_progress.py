"""Long commands show a progress bar on a terminal and nothing when their output is piped."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from qcode import Project
from qcode.cli import progress
from tests.conftest import run_cli


@pytest.fixture
def small(tmp_path: Path) -> Path:
    doc = tmp_path / "a.txt"
    doc.write_text("Interviewer: How is it?\nW07: My income varies a lot.\n", encoding="utf-8")
    root = tmp_path / "p"
    with Project.init(root, name="p") as p:
        d = p.documents.import_files([doc]).imported[0]
        p.codes.add("income")
        p.codings.apply(d.name, 27, 33, "income")
    return root


def test_piped_long_commands_print_no_bar(small: Path, tmp_path: Path) -> None:
    r = run_cli("export", "-o", str(tmp_path / "x.qdpx"), cwd=small)
    assert r.code == 0, r.err
    assert "exporting" not in r.err and "\x1b" not in r.err
    r = run_cli("words", cwd=small)
    assert r.code == 0 and "counting words" not in r.err


def test_on_a_terminal_the_bar_shows_the_step_and_its_count(
    small: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    screen = io.StringIO()
    monkeypatch.setattr(progress, "err", Console(file=screen, force_terminal=True, width=80))
    with progress.working("exporting x.qdpx") as step:
        step(3, 7)
    assert "exporting x.qdpx" in screen.getvalue() and "3/7" in screen.getvalue()
    screen.truncate(0)
    r = run_cli("export", "-o", str(tmp_path / "y.qdpx"), cwd=small)
    assert r.code == 0, r.err
    assert "exporting y.qdpx" in screen.getvalue()
