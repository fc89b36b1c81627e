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
    folder = tmp_path / "more"
    folder.mkdir()
    for i in range(3):
        (folder / f"b{i}.txt").write_text(f"R: answer {i}.\n", encoding="utf-8")
    r = run_cli("import", str(folder), cwd=small)
    assert r.code == 0, r.err
    assert not r.err.startswith("\n") and "\x1b" not in r.err, repr(r.err)


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


def test_a_new_project_from_qdpx_counts_the_sources_read_then_written(
    small: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qcode.services.exchange import create_from_qdpx

    qdpx = tmp_path / "s.qdpx"
    assert run_cli("export", "-o", str(qdpx), cwd=small).code == 0
    heard: list[tuple[int, int, str]] = []
    p, _ = create_from_qdpx(tmp_path / "new", qdpx, on_progress=lambda *a: heard.append(a))
    p.close()
    stages = [s for _, _, s in heard]
    assert stages[0] == "reading s.qdpx" and stages[-1] == "writing the new project"
    assert heard[-1][:2] == (1, 1) and all(d <= t for d, t, _ in heard)
    # on a terminal the bar takes the stage as its label
    screen = io.StringIO()
    monkeypatch.setattr(progress, "err", Console(file=screen, force_terminal=True, width=80))
    with progress.working("reading s.qdpx") as step:
        step(1, 2, "writing the new project")
    assert "writing the new project" in screen.getvalue() and "1/2" in screen.getvalue()
