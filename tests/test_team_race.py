"""Six undos at the same moment, three rounds, then six redos: every step is taken once and
nothing acknowledged is lost, on SQLite and on a PostgreSQL server (started by the test)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from conftest import write
from sqlalchemy import select
from teamkit import CLI_AT_GO, interview, together

from qcode import Project
from qcode.store.models import Event

TEXT = "Interviewer: How do you pay?\nR: " + "Some months I pay, some months I cannot. " * 20

WORKER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from qcode import Project

    root, action, mode, user, worker, go = sys.argv[1:7]
    done, errors = 0, []
    with Project.open(root) as p:
        p._user = user
        p.codes.list()  # connected and warm before the start
        Path(go + "." + worker).touch()  # one ready file per worker, also for one coder
        while not Path(go).exists():
            time.sleep(0.005)
        for _ in range(3):
            try:
                getattr(p.history, action)(project_wide=(mode == "project"))
                done += 1
            except Exception as exc:
                errors.append(f"{type(exc).__name__}: {exc}")
    print(done)
    for e in errors:
        print(e, file=sys.stderr)
    """
)


def _at_once(root: Path, tmp: Path, action: str, mode: str) -> tuple[int, list[str]]:
    go = tmp / f"go-{action}"
    users = [f"coder{k}" if mode == "project" else "alice" for k in range(6)]
    argvs = [[str(root), action, mode, u, str(k)] for k, u in enumerate(users)]
    total, errors = 0, []
    for rc, out, err in together(go, WORKER, argvs, ready=len(users)):
        assert rc == 0, err
        total += int(out.strip())
        errors += [line for line in err.splitlines() if line.strip()]
    return total, errors


@pytest.mark.parametrize("mode", ["project", "same coder"])
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_six_undos_at_once_three_rounds_then_redo(
    pg: str, tmp_path: Path, backend: str, mode: str
) -> None:
    root = tmp_path / "p"
    with interview(root, TEXT, backend, pg, f"race_{mode.replace(' ', '_')}") as p:
        p.codes.add("money")
        for k in range(6):  # each coder's row exists before the steps that will be undone
            p.codings.apply("int01", k, k + 1, "money", coder=f"coder{k}")
        for i in range(24):
            p._user = f"coder{i % 6}" if mode == "project" else "alice"
            p.codings.apply("int01", 20 + i * 10, 25 + i * 10, "money", coder=p._user)
        before = sorted(c.uuid for c in p.codings.list())
    undone, errors = _at_once(root, tmp_path, "undo", mode)
    assert errors == [] and undone == 18
    with Project.open(root) as p:
        assert len(p.codings.list()) == 30 - 18
        with p.read() as s:
            targets = s.scalars(select(Event.target).where(Event.action == "undo")).all()
        assert len(targets) == len(set(targets)) == 18  # each step taken once
    redone, errors = _at_once(root, tmp_path, "redo", mode)
    assert errors == [] and redone == 18
    with Project.open(root) as p:
        assert sorted(c.uuid for c in p.codings.list()) == before  # nothing lost
        with p.read() as s:
            targets = s.scalars(select(Event.target).where(Event.action == "redo")).all()
        assert len(targets) == len(set(targets)) == 18


CREATE = CLI_AT_GO + textwrap.dedent(
    """
    root, k = sys.argv[1:3]
    sys.exit(main(["-p", root, "code", "int01", k, str(int(k) + 5), "brand/new code",
                   "--create", "--coder", "newcomer" + str(int(k) % 2)]))
    """
)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_creating_the_same_new_code_at_once_makes_it_once(
    pg: str, tmp_path: Path, backend: str
) -> None:
    root = tmp_path / "p"
    with interview(root, TEXT, backend, pg, "create_once"):
        pass  # no codes: the code is new to every worker
    argvs = [[str(root), str(k)] for k in range(6)]
    for rc, _out, err in together(tmp_path / "go", CREATE, argvs, ready=6):
        assert rc == 0 and err == "", err
    with Project.open(root) as p:
        assert sorted(c.path for c in p.codes.list()) == ["brand", "brand/new code"]
        assert len(p.codings.list()) == 6
        assert sorted({c.coder for c in p.codings.list()}) == ["newcomer0", "newcomer1"]


MERGE = CLI_AT_GO + textwrap.dedent(
    """
    root, other, k = sys.argv[1:4]
    sys.exit(main(["-p", root, k == "0" and "merge" or "undo", *([other] if k == "0" else [])]))
    """
)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_concurrent_merges_and_an_undo_racing_them(pg: str, tmp_path: Path, backend: str) -> None:
    from qcode.cli.main import main

    root = tmp_path / "p"
    with interview(root, TEXT, backend, pg, "merges") as p:
        p.codes.add("money")
        p.codings.apply("int01", 0, 5, "money")
    assert main(["-p", str(root), "export", "-o", str(tmp_path / "x.qdpx")]) == 0
    assert main(["init", str(tmp_path / "other"), "--from", str(tmp_path / "x.qdpx")]) == 0
    with Project.open(tmp_path / "other") as o:
        for i in range(10):
            o.codings.apply("int01", 10 + i * 5, 14 + i * 5, "money", coder="bob")
    argvs = [[str(root), str(tmp_path / "other"), k] for k in ("0", "0", "0", "1")]
    # ready=2: processes with the same name touch one file
    codes = []
    for rc, _out, err in together(tmp_path / "go", MERGE, argvs, ready=2, settle=0.5):
        assert "Traceback" not in err and err.count("\n") <= 1, err
        assert rc == 0 or err.startswith("error: "), err
        codes.append(rc)
    assert 0 in codes[:3]  # a merge went through
    with Project.open(root) as p:
        keys = [(c.coder, c.start, c.end) for c in p.codings.list()]
    assert len(keys) == len(set(keys))  # nothing twice
    # the undo takes this user's last step: a merge's, or the coding made before them. When it
    # comes after every merge, it takes the one that brought bob's codings in (the merges after
    # it found them there and wrote nothing); a merge is never undone or made in part
    bob = {k for k in keys if k[0] == "bob"}
    assert bob in ({("bob", 10 + i * 5, 14 + i * 5) for i in range(10)}, set()), bob
    assert bob or any(k[1:] == (0, 5) for k in keys)  # undone: the merge, not the coding


SAME = CLI_AT_GO + textwrap.dedent(
    """
    root = sys.argv[1]
    sys.exit(main(["-p", root, "code", "int01", "3", "17", "money", "--coder", "alice"]))
    """
)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_identical_coding_at_once_is_stored_once_and_every_caller_succeeds(
    pg: str, tmp_path: Path, backend: str
) -> None:
    root = tmp_path / "p"
    with interview(root, TEXT, backend, pg, "same_coding") as p:
        p.codes.add("money")
        events = len(p.history.log())
    outs = []
    argvs = [[str(root), str(k)] for k in range(4)]
    for rc, out, err in together(tmp_path / "go", SAME, argvs, ready=4):
        assert rc == 0 and err == "", err
        outs.append(out)
    assert all("[3, 17)" in o and "'money'" in o for o in outs)  # each is told it is there
    assert sum(o.startswith("coded ") for o in outs) == 1
    assert sum("already" in o for o in outs) == 3
    with Project.open(root) as p:
        stored = p.codings.list()
        assert [(c.coder, c.start, c.end, c.code) for c in stored] == [("alice", 3, 17, "money")]
        assert len(p.history.log()) == events + 1  # one change, one undo step


def test_coding_the_same_range_again_tells_it_is_there(tmp_path: Path) -> None:
    from qcode.cli.main import main

    root = tmp_path / "p"
    with Project.init(root) as p:
        p.documents.import_files([write(tmp_path / "int01.txt", TEXT)])
        p.codes.add("money")
        first = p.codings.apply("int01", 3, 17, "money")
        again = p.codings.apply("int01", 3, 17, "money")
        assert (again.id, again.uuid, again.text) == (first.id, first.uuid, first.text)
        assert (first.existed, again.existed) == (False, True)
    assert main(["-p", str(root), "code", "int01", "3", "17", "money"]) == 0
    for _ in range(2):
        assert main(["-p", str(root), "code", "int01", "money", "--text", "Some", "--all"]) == 0
    with Project.open(root) as p:
        assert len(p.codings.list()) == 1 + TEXT.count("Some")
