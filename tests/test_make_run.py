"""`make run` and `qcode build` never discard what a researcher added to a built project."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLE, run_cli
from test_build import study

from qcode import Project
from qcode.errors import ConflictError
from qcode.services.build import build

ROOT = Path(__file__).resolve().parents[1]


def run_steps(example: Path) -> list[str]:
    """The commands `make run` runs on ``example``, as make itself prints them, without the
    last one (the workbench)."""
    bin_dir = Path(sys.executable).parent
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    done = subprocess.run(
        [
            "make",
            "--no-print-directory",
            "-n",
            "-o",
            "install",
            "run",
            f"EXAMPLE={example}",
            f"BIN={bin_dir}",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        env=env,
    )
    lines = [ln for ln in done.stdout.splitlines() if ln.strip()]
    assert lines[-1].split()[-1] == "tui", lines
    return lines[:-1]


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_run_twice_keeps_an_added_coding(tmp_path: Path) -> None:
    example = tmp_path / "example"
    shutil.copytree(
        EXAMPLE, example, ignore=shutil.ignore_patterns("project.db*", "qcode.toml", "figures")
    )
    steps = run_steps(example)
    assert steps and any("build" in s for s in steps)

    def run_all() -> None:
        for step in steps:
            subprocess.run(shlex.split(step), cwd=ROOT, check=True, timeout=300)

    run_all()
    with Project.open(example) as p:
        p.codes.add("my own code")
        p.codings.apply("P01", 0, 9, "my own code")
        before = len(p.codings.list())
    run_all()
    with Project.open(example) as p:
        mine = [c for c in p.codings.list() if c.code == "my own code"]
        assert len(mine) == 1 and (mine[0].start, mine[0].end) == (0, 9)
        assert len(p.codings.list()) == before


def test_build_refuses_a_project_with_edits_and_force_rebuilds(tmp_path: Path) -> None:
    root = study(tmp_path / "mini")
    build(root).close()
    # an unedited build may be rebuilt freely
    build(root).close()
    with Project.open(root) as p:
        p.memos.add("mine", "a memo of my own")
    r = run_cli("build", str(root))
    assert r.code == 3  # a conflict: the project has edits
    assert "1 change(s) since it was built" in r.err and "--force" in r.err
    assert len(r.err.strip().splitlines()) == 1
    with Project.open(root) as p:
        assert [m.title for m in p.memos.list() if m.title == "mine"] == ["mine"]
    kept = run_cli("build", "--keep", str(root))
    assert kept.code == 0 and "kept the project" in kept.out
    with pytest.raises(ConflictError):
        build(root).close()
    forced = run_cli("build", "--force", str(root))
    assert forced.code == 0, forced.err
    with Project.open(root) as p:
        assert "mine" not in [m.title for m in p.memos.list()]


def test_a_project_not_made_by_a_build_counts_as_edited(tmp_path: Path) -> None:
    root = study(tmp_path / "mini")
    Project.init(root, name="by hand").close()
    with Project.open(root) as p:
        p.codes.add("x")
    r = run_cli("build", str(root))
    assert r.code == 3 and "since it was built" in r.err
