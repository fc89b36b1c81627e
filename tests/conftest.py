"""Shared fixtures: a temporary project per test, and helpers to run the CLI in-process."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from qcode import Project
from qcode.cli.main import main

SHARED = Path(__file__).resolve().parents[2] / "shared"
SAMPLE = Path(__file__).resolve().parents[1] / "projects" / "sample"
EXAMPLE = Path(__file__).resolve().parents[1] / "projects" / "flexible-employment"
FRAMEWORK = EXAMPLE / "framework.yaml"


@pytest.fixture(autouse=True)
def _user(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    monkeypatch.setenv("QCODE_USER", "alice")
    monkeypatch.delenv("QCODE_PROJECT", raising=False)
    # the user settings of whoever runs the tests never reach them: a file of each test's own
    monkeypatch.setenv("QCODE_CONFIG", str(tmp_path_factory.mktemp("user") / "config.toml"))
    for var in ("QCODE_THEME", "QCODE_LANGUAGE", "QCODE_EDITOR", "VISUAL", "EDITOR"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    p = Project.init(tmp_path / "proj", name="Test project")
    yield p
    p.close()


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


def run_cli(*args: str, cwd: Path | None = None) -> Result:
    """Run ``qcode ARGS`` in this process and capture its output and exit code."""
    import os

    out, err = io.StringIO(), io.StringIO()
    old = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    # rich consoles were created at import time bound to the real streams; rebind them.
    from qcode.cli import output

    saved = output.out.file, output.err.file
    output.out.file, output.err.file = out, err
    try:
        with redirect_stdout(out), redirect_stderr(err):
            code = main(list(args))
    finally:
        output.out.file, output.err.file = saved
        os.chdir(old)
    return Result(code, out.getvalue(), err.getvalue())


@pytest.fixture
def cli() -> Any:
    return run_cli


@pytest.fixture(scope="module")
def pg() -> Iterator[str]:
    """The URL prefix of a PostgreSQL server started for the test module (tests/pgserver.py)."""
    from pgserver import server

    with server() as prefix:
        yield prefix


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def snapshot(project: Project) -> dict[str, Any]:
    """Every table's rows but the event log and undo stack (whose sizes are kept instead), to
    prove that a refused change changed nothing and that undo restores exactly."""
    from sqlalchemy import select

    from qcode.store.models import Base

    with project.read() as s:
        return {
            t.name: sorted(tuple(r) for r in s.execute(select(t)))
            for t in Base.metadata.sorted_tables
            if t.name not in ("events", "history", "id_marks")
        }


if sys.platform == "win32":  # pragma: no cover
    pytest.skip("POSIX only", allow_module_level=True)
