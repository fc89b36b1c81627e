"""A killed ``init --from`` leaves no scratch folder behind for long: the next one removes the
folders of processes that are gone (and leaves a running one's alone)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from conftest import write

from qcode import Project
from qcode.services.scratch import PREFIX


def _qdpx(tmp: Path, cli: Any) -> Path:
    with Project.init(tmp / "src") as p:
        files = [
            write(tmp / f"d{i}.txt", f"I: question {i}?\nR: answer {i}.\n" * 200) for i in range(40)
        ]
        p.documents.import_files(files)
        p.codes.add("money")
    out = tmp / "x.qdpx"
    assert cli("-p", str(tmp / "src"), "export", "-o", str(out)).code == 0
    return out


def test_a_killed_init_from_leaves_nothing_after_the_next_start(tmp_path: Path, cli: Any) -> None:
    qdpx = _qdpx(tmp_path, cli)
    where = tmp_path / "out"
    where.mkdir()
    # a run killed outright, caught while its scratch folder exists
    pr = subprocess.Popen(
        [sys.executable, "-m", "qcode.cli.main", "init", str(where / "a"), "--from", str(qdpx)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 60
    while not list(where.glob(".qcode-import-*")) and time.time() < deadline and pr.poll() is None:
        time.sleep(0.002)
    pr.send_signal(signal.SIGKILL)
    pr.wait()
    # and one made by hand for a process that is gone, and one for a process still running
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    stale = where / f".qcode-import-{gone.stdout.strip()}-x"
    (stale / "project").mkdir(parents=True)
    running = where / f".qcode-import-{os.getpid()}-y"
    running.mkdir()
    r = cli("init", str(where / "b"), "--from", str(qdpx))
    assert r.code == 0, r.err
    left = sorted(p.name for p in where.iterdir() if p.name.startswith(".qcode-import-"))
    assert left == [running.name]
    assert len(Project.open(where / "b").documents.list()) == 40


def test_build_in_scratch_moves_a_finished_build_into_place(tmp_path: Path) -> None:
    from qcode.services.scratch import build_in_scratch

    target = tmp_path / "new" / "study"
    seen: list[Path] = []

    def build(folder: Path) -> str:
        seen.append(folder)
        assert folder.parent.parent == target.parent and folder.parent.name.startswith(PREFIX)
        folder.mkdir()
        (folder / "project.db").write_text("made", encoding="utf-8")
        return "report"

    assert build_in_scratch(target, tmp_path / "x.qdpx", build) == "report"
    assert (target / "project.db").read_text(encoding="utf-8") == "made"
    assert not seen[0].parent.exists()
    assert sorted(p.name for p in target.parent.iterdir()) == ["study"]


def test_build_in_scratch_leaves_nothing_when_the_build_fails(tmp_path: Path) -> None:
    import pytest

    from qcode.errors import InputFileError, NotFoundError
    from qcode.services.scratch import build_in_scratch

    target = tmp_path / "study"

    def broken(folder: Path) -> None:
        folder.mkdir()
        (folder / "half").write_text("half", encoding="utf-8")
        raise KeyError("guid")

    with pytest.raises(InputFileError, match=r"x\.qdpx.*cannot be imported \(KeyError"):
        build_in_scratch(target, tmp_path / "x.qdpx", broken)

    def refused(folder: Path) -> None:
        folder.mkdir()
        raise NotFoundError("no code 'z'")

    with pytest.raises(NotFoundError, match="no code 'z'"):  # qcode's own errors pass through
        build_in_scratch(target, tmp_path / "x.qdpx", refused)
    assert list(tmp_path.iterdir()) == []
