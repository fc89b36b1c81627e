"""Shared fixtures: a temporary project per test, and helpers to run the CLI in-process."""

from __future__ import annotations

import io
import json
import shutil
import sys
from collections.abc import Callable, Iterator
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


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under ``make test`` (pytest-xdist, ``--dist loadgroup``) the tests of a module that share a
    module-scoped fixture (a PostgreSQL server, a built study, reports, a browser, a wheel) run in
    one process, so that the fixture is made once; a test marked ``xdist_group`` keeps its group."""
    for item in items:
        if item.get_closest_marker("xdist_group") is not None:
            continue
        info = getattr(item, "_fixtureinfo", None)
        defs = info.name2fixturedefs.values() if info is not None else []
        if any(d[-1].scope == "module" for d in defs if d):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))


@pytest.fixture(autouse=True)
def _user(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    monkeypatch.setenv("QCODE_USER", "alice")
    monkeypatch.delenv("QCODE_PROJECT", raising=False)
    # the user settings of whoever runs the tests never reach them: a file of each test's own
    monkeypatch.setenv("QCODE_CONFIG", str(tmp_path_factory.mktemp("user") / "config.toml"))
    for var in ("QCODE_THEME", "QCODE_LANGUAGE", "QCODE_EDITOR", "VISUAL", "EDITOR"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture(autouse=True, scope="session")
def _migrated_once(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A new SQLite project's database is the same file every time: the migrations from nothing
    to the newest schema. They run for real once per test process, into a template, and each new
    project's database file is a copy of it instead of running them again (a fifth of a second
    or more each, and most tests make a project). An existing file (an old, downgraded or damaged database, a
    project opened again) still goes through the real ``upgrade``, and so does any server database;
    tests/test_store.py checks the template's schema against the models."""
    from qcode.store import db

    real = db.upgrade
    template = tmp_path_factory.mktemp("schema") / "project.db"

    def upgrade(engine: Any, backup_dir: Path | None = None) -> Path | None:
        file = db.sqlite_file(engine.url)
        if file is None or backup_dir is not None or file.exists():
            return real(engine, backup_dir)
        if not template.exists():
            made = db.make_engine(f"sqlite:///{template}")
            real(made)
            made.dispose()  # the last connection closed: the WAL is checkpointed and removed
            assert not template.with_name(template.name + "-wal").exists()
        try:
            shutil.copyfile(template, file)
        except OSError:  # a folder it cannot be written in: the real error, from SQLite
            return real(engine, backup_dir)
        return None

    mp = pytest.MonkeyPatch()
    mp.setattr(db, "upgrade", upgrade)
    yield
    mp.undo()


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


@pytest.fixture(scope="session")
def _example_built_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from qcode.services.build import build

    root = tmp_path_factory.mktemp("built") / "flexible-employment"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("project.db*", "qcode.toml"))
    build(root).close()  # closed: the WAL is checkpointed into project.db and removed
    return root


@pytest.fixture(scope="session")
def built_example(_example_built_once: Path) -> Callable[[Path], Path]:
    """``built_example(folder)`` makes ``folder`` what copying the bundled example study there and
    running ``qcode build`` on it makes (its text files, project.db and qcode.toml), by copying one
    build made once per test process: a build takes seconds, and the example is the starting point
    of dozens of tests. The database keeps no folder of its own (a copied project opens the same),
    and tests/test_example_study.py and tests/test_build.py run the build itself."""

    def copy(folder: Path) -> Path:
        shutil.copytree(_example_built_once, folder)
        return folder

    return copy


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
