"""Roles on the PostgreSQL server the test starts: the database itself keeps an observer from
changing anything and a coder to their own codings and memos; the codebook is the leads' unless
they allow coders; each refusal is one line naming the role."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from conftest import write
from pgserver import create_database, server


def test_roles_are_enforced_by_the_server(
    pg: str, tmp_path: Path, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = create_database(pg, "roles")
    owner = tmp_path / "owner"
    monkeypatch.setenv("QCODE_USER", "qcode")

    def run(who: str, root: Path, *args: str) -> Any:
        monkeypatch.setenv("QCODE_USER", who)
        return cli("-p", str(root), *args)

    assert cli("init", str(owner), "--db", url).code == 0
    doc = write(tmp_path / "int01.txt", "Interviewer: How do you pay?\nR: Some months I cannot.\n")
    assert run("qcode", owner, "import", str(doc)).code == 0
    assert run("qcode", owner, "codes", "add", "money").code == 0
    folders = {}
    for name, role in (
        ("alice", "coder"),
        ("bob", "coder"),
        ("olga", "observer"),
        ("lena", "lead"),
    ):
        r = run("qcode", owner, "team", "add-coder", name, "--role", role)
        assert r.code == 0, r.err
        line = re.search(r"connect with: qcode init FOLDER --db (\S+) --user (\S+)", r.out)
        assert line and line.group(2) == name and f"{name}@" in line.group(1)
        folders[name] = tmp_path / name
        monkeypatch.setenv("QCODE_USER", name)
        assert cli("init", str(folders[name]), "--db", line.group(1), "--user", name).code == 0
    r = run("qcode", owner, "team", "roles", "--json")
    assert {(m["name"], m["role"]) for m in r.json()["members"]} == {
        ("alice", "coder"),
        ("bob", "coder"),
        ("olga", "observer"),
        ("lena", "lead"),
    } and r.json()["codebook"] == "leads"

    def refused(who: str, *args: str, says: str) -> None:
        r = run(who, folders[who], *args)
        assert r.code == 3 and r.err.count("\n") == 1, (args, r.err)
        assert r.err.startswith("error: ") and says in r.err, r.err

    assert run("alice", folders["alice"], "code", "int01", "30", "40", "money").code == 0
    codings = lambda: run("qcode", owner, "codings", "--json").json()  # noqa: E731
    assert [(c["coder"], c["start"]) for c in codings()] == [("alice", 30)]
    # a coder: not another coder's coding, not in another's name, not the codebook
    refused(
        "bob",
        "uncode",
        "int01",
        "30",
        "40",
        "money",
        "--coder",
        "alice",
        says="bob is a coder, who changes only their own codings and memos",
    )
    refused("bob", "code", "int01", "0", "5", "money", "--coder", "alice", says="bob is a coder")
    refused("alice", "codes", "add", "income", says="alice is a coder")
    # an observer changes nothing
    refused(
        "olga", "code", "int01", "0", "5", "money", says="olga is an observer, who changes nothing"
    )
    refused("olga", "memos", "add", "note", "--body", "x", says="olga is an observer")
    assert [(c["coder"], c["start"]) for c in codings()] == [("alice", 30)]
    # her own work a coder changes and undoes; a lead changes the codebook
    assert run("bob", folders["bob"], "code", "int01", "0", "5", "money").code == 0
    assert run("bob", folders["bob"], "undo").code == 0
    assert run("lena", folders["lena"], "codes", "add", "income").code == 0
    # when the lead allows it, coders change the codebook too
    assert run("qcode", owner, "team", "roles", "--codebook", "coders").code == 0
    assert run("alice", folders["alice"], "codes", "add", "rent").code == 0
    names = {c["name"] for c in run("qcode", owner, "codes", "list", "--json").json()}
    assert names == {"money", "income", "rent"}


def test_roles_need_a_server(tmp_path: Path, cli: Any) -> None:
    assert cli("init", str(tmp_path / "p")).code == 0
    r = cli("-p", str(tmp_path / "p"), "team", "add-coder", "bob")
    assert r.code == 1 and "PostgreSQL" in r.err and r.err.count("\n") == 1


def test_the_password_comes_from_pgpassword_or_pgpass_never_the_settings(
    tmp_path: Path, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import psycopg

    with server(password="s3cret-pw") as prefix:
        dsn = prefix.replace("postgresql+psycopg://qcode@", "postgresql://qcode:s3cret-pw@")
        with psycopg.connect(dsn + "postgres", autocommit=True) as conn:
            conn.execute('CREATE DATABASE "pw"')
        url = prefix + "pw"
        monkeypatch.delenv("PGPASSWORD", raising=False)
        monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
        r = cli("init", str(tmp_path / "a"), "--db", url)
        assert r.code == 4 and r.err.count("\n") == 1 and not (tmp_path / "a").exists()
        monkeypatch.setenv("PGPASSWORD", "s3cret-pw")
        assert cli("init", str(tmp_path / "a"), "--db", url).code == 0
        monkeypatch.delenv("PGPASSWORD")
        port = prefix.rsplit(":", 1)[1].strip("/")
        pgpass = tmp_path / "pgpass"
        pgpass.write_text(f"127.0.0.1:{port}:pw:qcode:s3cret-pw\n", encoding="utf-8")
        pgpass.chmod(0o600)
        monkeypatch.setenv("PGPASSFILE", str(pgpass))
        assert cli("-p", str(tmp_path / "a"), "codes", "add", "money").code == 0
        assert "s3cret" not in (tmp_path / "a" / "qcode.toml").read_text(encoding="utf-8")


def test_roles_on_a_new_server_project_lists_none_and_says_the_codebook_is_the_leads(
    pg: str, tmp_path: Path, cli: Any
) -> None:
    url = create_database(pg, "no_roles_yet")
    assert cli("init", str(tmp_path / "p"), "--db", url).code == 0
    r = cli("-p", str(tmp_path / "p"), "team", "roles", "--json")
    assert r.code == 0 and "Traceback" not in r.err, r.err
    assert r.json() == {"members": [], "codebook": "leads"}
    r = cli("-p", str(tmp_path / "p"), "team", "roles")
    assert r.code == 0 and "codebook changed by: leads" in r.out, r.err
