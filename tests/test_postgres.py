"""A project on a PostgreSQL server: the same commands give the same results as on SQLite, the
migrations run there, and several coders writing at once lose nothing and double nothing.

The server is started by the test itself on loopback (see pgserver.py) and stopped afterwards.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from conftest import write
from pgserver import create_database

from qcode import Project
from qcode.store import db

TEXT = (
    "Interviewer: How do you pay?\nR: Some months I pay, some months I cannot. 😀 Rent first.\n"
    "Interviewer: And later?\nR: 灵活就业的人，养老保险太贵了。 I keep the money in my own hands.\n"
)


@pytest.fixture
def pg_url(pg: str, request: pytest.FixtureRequest) -> str:
    return create_database(pg, request.node.name.lower()[:40].replace("[", "_").replace("]", ""))


def script(root: Path, tmp: Path, cli: Any) -> list[Any]:
    """A researcher's session; returns every command's JSON output."""
    f = write(tmp / "int01.txt", TEXT)
    out: list[Any] = []

    def ok(*args: str) -> Any:
        r = cli("-p", str(root), *args)
        assert r.code == 0, (args, r.err)
        return r.json() if "--json" in args else r.out

    ok("import", str(f), "--attr", "occupation=rider", "--json")
    for code in ("money", "contracts", "family"):
        ok("codes", "add", code)
    ok("code", "int01", "33", "72", "money")
    ok("code", "int01", "33", "52", "contracts", "--coder", "bob")
    ok("code", "int01", "113", "140", "family")
    ok("code", "int01", "130", "160", "money", "--coder", "bob")
    ok("undo")
    ok("redo")
    ok("relate", "money", "is cause of", "family", "--comment", "paying first")
    ok("memos", "add", "thoughts", "--body", "money first", "--code", "money")
    for args in (
        ("codings", "--json"),
        ("codes", "list", "--json"),
        ("cooccur", "--format", "json"),
        ("cooccur", "--unit", "paragraph", "--format", "json"),
        ("freq", "--format", "json"),
        ("memos", "list", "--json"),
        ("relations", "--json"),
        ("core", "--json"),
        ("saturation", "--format", "json"),
    ):
        out.append(ok(*args))
    return out


def _strip(data: Any) -> Any:
    """Drop what differs between any two projects (ids are the same; GUIDs and times are not)."""
    if isinstance(data, dict):
        return {
            k: _strip(v)
            for k, v in data.items()
            if k not in ("uuid", "created", "updated", "at", "imported")
        }
    if isinstance(data, list):
        return [_strip(v) for v in data]
    return data


def test_the_same_session_gives_the_same_results(pg_url: str, tmp_path: Path, cli: Any) -> None:
    r = cli("init", str(tmp_path / "pg"), "--db", pg_url)
    assert r.code == 0, r.err
    assert cli("init", str(tmp_path / "lite")).code == 0
    on_pg = script(tmp_path / "pg", tmp_path, cli)
    on_sqlite = script(tmp_path / "lite", tmp_path, cli)
    assert _strip(on_pg) == _strip(on_sqlite)
    info = cli("-p", str(tmp_path / "pg"), "info", "--json").json()
    assert info["database"].startswith("postgresql+psycopg://") and info["schema"] == db.HEAD
    assert info["codings"] == 4


def test_export_from_a_server_project(pg_url: str, tmp_path: Path, cli: Any) -> None:
    assert cli("init", str(tmp_path / "pg"), "--db", pg_url).code == 0
    script(tmp_path / "pg", tmp_path, cli)
    assert cli("-p", str(tmp_path / "pg"), "export", "-o", str(tmp_path / "x.qdpx")).code == 0
    assert cli("init", str(tmp_path / "copy"), "--from", str(tmp_path / "x.qdpx")).code == 0
    with Project.open(tmp_path / "pg") as a, Project.open(tmp_path / "copy") as b:
        assert sorted(
            (c.uuid, c.code, c.coder, c.start, c.end, c.text) for c in a.codings.list()
        ) == (sorted((c.uuid, c.code, c.coder, c.start, c.end, c.text) for c in b.codings.list()))


WORKER = textwrap.dedent(
    """
    import sys
    from qcode import Project

    root, coder, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    done = 0
    with Project.open(root) as p:
        for i in range(n):
            p.codings.apply("int01", i, i + 5, "money" if i % 2 else "family", coder=coder)
            done += 1
    print(done)
    """
)


def _coders_at_once(root: Path, processes: int, each: int) -> list[int]:
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(root), f"coder{k}", str(each)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for k in range(processes)
    ]
    reported = []
    for pr in procs:
        out, err = pr.communicate(timeout=300)
        assert pr.returncode == 0, err
        reported.append(int(out.strip()))
    return reported


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
def test_eight_coders_at_once_lose_nothing(pg: str, tmp_path: Path, backend: str) -> None:
    url = create_database(pg, "eight") if backend == "postgresql" else None
    root = tmp_path / "p"
    with Project.init(root, db_url=url) as p:
        p.documents.import_files([write(tmp_path / "int01.txt", TEXT)])
        p.codes.add("money")
        p.codes.add("family")
    reported = _coders_at_once(root, 8, 25)
    with Project.open(root) as p:
        codings = p.codings.list()
        keys = [(c.code, c.coder, c.start, c.end) for c in codings]
        assert sum(reported) == len(codings) == 200  # every acknowledged coding is there
        assert len(set(keys)) == len(keys)  # and none twice
        assert len(p.history.log(limit=10_000)) >= 200  # each one logged


def test_a_renamed_code_gives_a_clear_message(pg_url: str, tmp_path: Path, cli: Any) -> None:
    root = tmp_path / "pg"
    assert cli("init", str(root), "--db", pg_url).code == 0
    script(root, tmp_path, cli)
    assert cli("-p", str(root), "codes", "rename", "money", "income").code == 0
    r = cli("-p", str(root), "code", "int01", "0", "5", "money")
    assert r.code != 0 and r.err.startswith("error: no code 'money': alice changed it at ")
    assert r.err.strip().endswith("(rename code 'money' to 'income')")
    data = json.loads(cli("-p", str(root), "codings", "--json").out)
    assert all(c["code"] != "money" for c in data)


def test_the_workbench_on_a_server_project(pg_url: str, tmp_path: Path, cli: Any) -> None:
    import asyncio

    from textual.widgets import DataTable

    from qcode.tui.app import QcodeApp
    from qcode.tui.screens.agreement import AgreementScreen
    from qcode.tui.screens.analysis import AnalysisScreen

    root = tmp_path / "pg"
    assert cli("init", str(root), "--db", pg_url).code == 0
    script(root, tmp_path, cli)

    async def main() -> None:
        with Project.open(root) as p:
            app = QcodeApp(p)
            async with app.run_test(size=(140, 40)) as pilot:
                await pilot.pause()
                await pilot.press("4")
                await pilot.pause()
                assert isinstance(app.screen, AnalysisScreen)
                assert app.screen.query_one(DataTable).row_count == 2  # the two overlaps
                await pilot.press("5")
                await pilot.pause()
                assert isinstance(app.screen, AgreementScreen)
                assert app.screen.query_one(DataTable).row_count > 0
                await pilot.press("a")  # settled on the server
                await pilot.pause()

    asyncio.run(main())
    with Project.open(root) as p:
        assert len(p.codings.list()) == 5
