"""The quick reads of `qcode info` and `qcode codes list` (qcode.services.glance) give what the
services give, and leave to them every project they cannot be sure to read the same."""

from __future__ import annotations

import re
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLE, run_cli, write

from qcode import Project
from qcode.services import glance
from qcode.services.build import build
from qcode.store.dbfile import HEAD


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("example") / "flexible-employment"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("project.db*", "qcode.toml"))
    with build(root):
        pass
    return root


@pytest.fixture(scope="module")
def codebook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Categories with sub-codes, in-vivo codes, notes, codings by two coders, two names that
    differ only in case (their order is the database's), an undone step."""
    tmp = tmp_path_factory.mktemp("codebook")
    root = tmp / "study with spaces 研究"
    with Project.init(root, name="Pensions 养老") as p:
        docs = [
            write(tmp / f"d{i}.txt", f"Interview {i}: pension, income and care.") for i in (1, 2)
        ]
        p.documents.import_files(docs)
        p.codes.add("Security", level="axial", description="Feeling safe", color="#112233")
        p.codes.add("income", parent="Security", inclusion="money", example="wages")
        p.codes.add("Income", parent="Security")
        p.codes.add("pension", parent="Security/income", exclusion="not savings")
        p.codes.add("Core", level="selective")
        p.codings.apply("d1", 0, 9, "Security/income", coder="ana")
        p.codings.apply("d2", 0, 9, "Security/income", coder="ben")
        p.codings.apply("d2", 13, 20, "Security/income/pension", coder="ana")
        p.codings.apply_in_vivo("d1", 22, 28, "income and care", coder="ana")
        p.codes.add("dropped")
        p.history.undo()
    return root


def both(root: Path, aggregate: bool) -> tuple[Any, Any]:
    with Project.open(root) as p:
        return glance.codes(root, aggregate), p.codes.list(aggregate=aggregate)


@pytest.mark.parametrize("which", ["example", "codebook"])
def test_quick_reads_are_the_services_reads(which: str, request: pytest.FixtureRequest) -> None:
    root = request.getfixturevalue(which)
    with Project.open(root) as p:
        assert glance.info(root) == p.info()
    for aggregate in (False, True):
        quick, services = both(root, aggregate)
        assert quick is not None and len(quick) > 3
        assert quick == services


@pytest.fixture
def services_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Run the CLI with the quick reads turned off (what the commands printed before them)."""

    def run(*args: str, cwd: Path | None = None) -> Any:
        with monkeypatch.context() as m:
            m.setattr(glance, "info", lambda *a, **k: None)
            m.setattr(glance, "codes", lambda *a, **k: None)
            return run_cli(*args, cwd=cwd)

    yield run


COMMANDS = [
    ["info"],
    ["info", "--json"],
    ["info", "--format", "csv"],
    ["info", "--format", "md"],
    ["codes", "list"],
    ["codes", "list", "--json"],
    ["codes", "list", "--aggregate"],
    ["codes", "list", "--aggregate", "--json"],
    ["codes", "list", "--aggregate", "--format", "csv"],
    ["codes", "list", "--format", "md"],
    ["codes", "list", "--all"],
    ["--lang", "zh", "codes", "list", "--aggregate"],
    ["--lang", "zh", "info"],
]


@pytest.mark.parametrize("which", ["example", "codebook"])
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_the_commands_print_the_same_bytes(
    which: str, args: list[str], services_only: Any, request: pytest.FixtureRequest
) -> None:
    root = request.getfixturevalue(which)
    quick = run_cli("-p", str(root), *args)
    assert quick.code == 0, quick.err
    assert quick == services_only("-p", str(root), *args)
    run_cli("--lang", "en", "--version")  # the next test in English


def test_found_from_the_current_folder(codebook: Path, services_only: Any) -> None:
    for args in (["info"], ["codes", "list"]):
        quick = run_cli(*args, cwd=codebook / ".")
        assert quick.code == 0 and quick == services_only(*args, cwd=codebook)


def _copy(root: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "copy"
    shutil.copytree(root, dest)
    return dest


def _set_revision(root: Path, revision: str) -> None:
    with sqlite3.connect(root / "project.db") as conn:
        conn.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    conn.close()


def test_a_newer_schema_is_refused_as_before(codebook: Path, tmp_path: Path) -> None:
    root = _copy(codebook, tmp_path)
    _set_revision(root, "9999")
    assert glance.info(root) is None and glance.codes(root) is None
    for args in (["info"], ["codes", "list"]):
        r = run_cli("-p", str(root), *args)
        assert r.code != 0 and "written by a newer qcode" in r.err and r.out == ""


def test_an_older_schema_is_left_to_the_services(
    codebook: Path, tmp_path: Path, services_only: Any
) -> None:
    """The services migrate it (here they fail: the tables are already the newer ones) as
    before, in the same words."""
    older = str(int(HEAD) - 1).zfill(4)
    results = []
    for run in (run_cli, services_only):
        shutil.rmtree(tmp_path / "copy", ignore_errors=True)
        root = _copy(codebook, tmp_path)
        _set_revision(root, older)
        assert glance.info(root) is None and glance.codes(root) is None
        found = [run("-p", str(root), *args) for args in (["info"], ["codes", "list"])]
        results.append([(r.code, r.out, re.sub(r"-\d{8}T\d{6}", "-TIME", r.err)) for r in found])
        backups = {p.name.split("-")[1] for p in root.glob("project.db.bak-*")}  # one a second
        results.append(backups)
    assert results[0] == results[2] and results[1] == results[3]
    assert results[1] == {older}


@pytest.mark.parametrize(
    "settings",
    [
        '[database]\nurl = "postgresql+psycopg://ann@localhost/study"\n',
        '[database]\nurl = "sqlite:///project.db?mode=ro"\n',
        "[project]\nlanguage = 'klingon'\n",
        '[project]\nname = "x"\nextra = 1\n',
        "[import]\nkeep_source = 'yes'\n",
        "[import]\nspeaker_patterns = ['(?P<who>x)']\n",
        '[user]\nname = "  "\n',
        "[unknown]\n",
        "not toml [",
    ],
)
def test_unusual_settings_are_left_to_the_services(
    settings: str, codebook: Path, tmp_path: Path, services_only: Any
) -> None:
    root = _copy(codebook, tmp_path)
    (root / "qcode.toml").write_text(settings, encoding="utf-8")
    assert glance.plain_settings(root) is None
    assert glance.info(root) is None and glance.codes(root) is None
    for args in (["info"], ["codes", "list"]):
        assert _unwarned(run_cli("-p", str(root), *args)) == _unwarned(
            services_only("-p", str(root), *args)
        )


def _unwarned(r: Any) -> tuple[int, str, list[str]]:
    """A result but for Python's warnings (written once a process)."""
    return r.code, r.out, [ln for ln in r.err.splitlines() if not ln.startswith("warning:")]


@pytest.mark.parametrize(
    "settings",
    [
        "",
        '[project]\nname = "n"\nlanguage = "zh"\n[user]\nname = "cai"\n',
        "[import]\nspeaker_patterns = ['^(?P<speaker>[A-Z]+):']\nkeep_source = false\n",
        "[grounded_theory]\nparadigm = false\nmultiple_core = true\n[text]\nmodel = 'm'\n",
        '[database]\nurl = "sqlite:///project.db"\n',
    ],
)
def test_plain_settings_are_read_as_the_validation_reads_them(
    settings: str, tmp_path: Path
) -> None:
    from qcode import settings as full

    (tmp_path / "qcode.toml").write_text(settings, encoding="utf-8")
    quick = glance.plain_settings(tmp_path)
    s = full.load(tmp_path)
    assert quick == {"name": s.name, "language": s.language, "url": s.db_url, "user": s.user}


def test_the_settings_checked_are_those_of_the_schema() -> None:
    from qcode.settings_schema import ProjectFile

    tables = {
        (f.alias or n): list(f.annotation.model_fields)  # type: ignore[union-attr]
        for n, f in ProjectFile.model_fields.items()
    }
    assert {t: list(keys) for t, keys in glance.KNOWN.items()} == tables


def test_the_user_is_the_services_user(
    codebook: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("QCODE_USER")
    with Project.open(codebook) as p:
        assert glance.info(codebook)["user"] == p.info()["user"]  # type: ignore[index]
    (tmp_path / "config.toml").write_text('name = "dee"\n', encoding="utf-8")
    monkeypatch.setenv("QCODE_CONFIG", str(tmp_path / "config.toml"))
    assert glance.info(codebook)["user"] == "dee"  # type: ignore[index]
    (tmp_path / "config.toml").write_text("name = 1\n", encoding="utf-8")
    assert glance.info(codebook) is None  # the services report the mistake
    r = run_cli("-p", str(codebook), "info")
    assert r.code == 1 and "config.toml: line 1: name" in r.err


def test_a_damaged_database_is_reported_as_before(codebook: Path, tmp_path: Path) -> None:
    root = _copy(codebook, tmp_path)
    (root / "project.db").write_bytes(b"not a database at all" * 100)
    for f in root.glob("project.db-*"):
        f.unlink()
    assert glance.info(root) is None
    r = run_cli("-p", str(root), "info")
    assert r.code == 1 and "not a database" in r.err
