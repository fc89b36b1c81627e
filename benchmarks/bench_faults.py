"""Faults a team meets, counted: acknowledged edits lost and errors a user saw (targets: 0, 0).

1. Mixed load for ``--seconds`` (60 by default): 8 processes coding, 2 coding then undoing and
   redoing their own changes, 1 exporting to .qdpx, 1 merging another copy, all at once on one
   project; on SQLite (WAL) and on PostgreSQL (a server started here on loopback, default
   durability).
2. 6 simultaneous ``undo --project`` x 3 rounds, then 6 x 3 redos, on both: steps taken twice and
   codings lost.
3. ``--kills`` (200 by default) ``kill -9`` at random moments of import, coding, init --from,
   merge, undo and autocode on a SQLite project and on a PostgreSQL one; after each, one
   acknowledged coding is made and the project checked (``qcode check``: integrity, foreign
   keys, qcode's rules).

An "acknowledged" edit is one whose call returned; "lost" means it is not in the project at the
end (or, for an acknowledged undo, that it came back). Errors are counted as one-line refusals
and as tracebacks (any exception that is not qcode's own). Every run prints what it ran.

Run with ``.venv/bin/python benchmarks/bench_faults.py [--seconds S] [--kills N]`` (needs
PostgreSQL's server programs: ``make postgres``).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from pgserver import create_database, server  # noqa: E402

from qcode import Project  # noqa: E402
from qcode.services import check as checks  # noqa: E402

WORDS = [
    "some",
    "months",
    "I",
    "pay",
    "some",
    "months",
    "I",
    "cannot",
    "rent",
    "first",
    "the",
    "money",
    "stays",
    "in",
    "my",
    "hands",
]
RULES = "name: bench\nrules:\n  - name: money\n    code: code1\n    terms: [money, rent]\n"

WORKER = r"""
import json, sys, time, traceback
from pathlib import Path
from qcode import Project
from qcode.errors import QcodeError
from qcode.cli.main import main

root, role, k, seconds, out, go = sys.argv[1:7]
acks, errors, traces = [], [], []
p = Project.open(root)
p._user = f"{role}{k}"
n = len(p.documents.text("doc")) - 30
Path(f"{go}.{role}{k}").touch()
while not Path(go).exists():
    time.sleep(0.01)
until = time.time() + float(seconds)
i = 0
while time.time() < until:
    i += 1
    try:
        if role == "coder":
            s = (i * 11) % n
            p.codings.apply("doc", s, s + 5 + i % 3, f"code{i % 5}", coder=p._user)
            acks.append(["present", p._user, s, s + 5 + i % 3, f"code{i % 5}"])
        elif role == "undoer":
            s = (i * 13) % n
            key = [p._user, s, s + 4, "code0"]
            p.codings.apply("doc", s, s + 4, "code0", coder=p._user)
            acks.append(["present"] + key)
            p.history.undo()
            acks.append(["absent"] + key)
            p.history.redo()
            acks.append(["present"] + key)
        elif role == "exporter":
            rc = main(["-p", root, "export", "-o", f"{out}.qdpx"])
            if rc:
                errors.append(f"export exit {rc}")
        elif role == "merger":
            rc = main(["-p", root, "merge", out])
            if rc:
                errors.append(f"merge exit {rc}")
    except QcodeError as exc:
        errors.append(f"{type(exc).__name__}: {exc}")
    except Exception as exc:
        traces.append(f"{type(exc).__name__}: {exc}")
p.close()
print(json.dumps({"acks": acks, "errors": errors, "traces": traces, "steps": i}))
"""


def make_text(n_words: int) -> str:
    rng = random.Random(7)
    lines = []
    for t in range(n_words // 20):
        who = "Interviewer" if t % 2 == 0 else "R"
        lines.append(f"{who}: " + " ".join(rng.choice(WORDS) for _ in range(20)) + ".")
    return "\n".join(lines) + "\n"


def base_project(root: Path, tmp: Path, url: str | None) -> None:
    doc = tmp / "doc.txt"
    doc.write_text(make_text(6000), encoding="utf-8")
    with Project.init(root, db_url=url) as p:
        p.documents.import_files([doc])
        for c in range(5):
            p.codes.add(f"code{c}")


def other_copy(root: Path, tmp: Path) -> Path:
    """A copy of the project made by export and init --from, with a few codings of its own."""
    x = tmp / "base.qdpx"
    from qcode.cli.main import main

    assert main(["-p", str(root), "export", "-o", str(x)]) == 0
    other = tmp / "other"
    assert main(["init", str(other), "--from", str(x)]) == 0
    with Project.open(other) as o:
        o._user = "m"
        for i in range(20):
            o.codings.apply("doc", 1000 + i * 17, 1010 + i * 17, "code2", coder="m")
    return other


def mixed_load(root: Path, tmp: Path, seconds: float) -> dict[str, Any]:
    other = other_copy(root, tmp)
    go = tmp / "go"
    roles = [("coder", k) for k in range(8)] + [("undoer", k) for k in range(2)]
    roles += [("exporter", 0), ("merger", 0)]
    procs = []
    for role, k in roles:
        out = str(other) if role == "merger" else str(tmp / f"x{k}")
        procs.append(
            subprocess.Popen(
                [sys.executable, "-c", WORKER, str(root), role, str(k), str(seconds), out, str(go)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    while len(list(tmp.glob("go.*"))) < len(roles) and all(p.poll() is None for p in procs):
        time.sleep(0.05)
    go.touch()  # every process has opened the project: the clock starts for all at once
    results: dict[str, Any] = {"errors": [], "traces": [], "steps": {}}
    state: dict[tuple[Any, ...], str] = {}
    for (role, k), pr in zip(roles, procs, strict=True):
        out, err = pr.communicate(timeout=seconds + 600)
        if pr.returncode != 0:
            results["traces"].append(f"{role}{k} exit {pr.returncode}: {err.strip()[-300:]}")
            continue
        data = json.loads(out.strip().splitlines()[-1])
        results["errors"] += data["errors"]
        results["traces"] += data["traces"]
        results["steps"][f"{role}{k}"] = data["steps"]
        for kind, *key in data["acks"]:
            state[tuple(key)] = kind
    with Project.open(root) as p:
        there = {(c.coder, c.start, c.end, c.code) for c in p.codings.list()}
    lost = sum(1 for key, kind in state.items() if kind == "present" and key not in there)
    back = sum(1 for key, kind in state.items() if kind == "absent" and key in there)
    results.update(acknowledged=len(state), lost=lost, came_back=back)
    return results


UNDO = r"""
import sys, time
from pathlib import Path
from qcode import Project
root, action, k, go = sys.argv[1:5]
done, errors = 0, []
with Project.open(root) as p:
    p._user = f"coder{k}"
    p.codes.list()
    Path(go + "." + k).touch()
    while not Path(go).exists():
        time.sleep(0.002)
    for _ in range(3):
        try:
            getattr(p.history, action)(project_wide=True)
            done += 1
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
print(done, len(errors))
"""


def six_undos(root: Path, tmp: Path) -> dict[str, Any]:
    from sqlalchemy import select

    from qcode.store.models import Event

    with Project.open(root) as p:
        for k in range(6):
            p._user = f"coder{k}"
            p.codings.apply("doc", k, k + 1, "code0", coder=p._user)
        for i in range(24):
            p._user = f"coder{i % 6}"
            p.codings.apply("doc", 100 + i * 10, 105 + i * 10, "code0", coder=p._user)
        before = {c.uuid for c in p.codings.list()}
    out: dict[str, Any] = {"errors": 0}
    for action in ("undo", "redo"):
        go = tmp / f"go-{action}"
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", UNDO, str(root), action, str(k), str(go)],
                stdout=subprocess.PIPE,
                text=True,
            )
            for k in range(6)
        ]
        while len(list(tmp.glob(f"go-{action}.*"))) < 6:
            time.sleep(0.02)
        go.touch()
        for pr in procs:
            done, errs = pr.communicate(timeout=300)[0].split()
            out["errors"] += int(errs)
        with Project.open(root) as p, p.read() as s:
            targets = s.scalars(select(Event.target).where(Event.action == action)).all()
        out[f"{action} events"] = len(targets)
        out[f"{action} taken twice"] = len(targets) - len(set(targets))
    with Project.open(root) as p:
        out["lost"] = len(before - {c.uuid for c in p.codings.list()})
    return out


def kills(tmp: Path, n: int, seed: int = 1, url: str | None = None) -> dict[str, Any]:
    rng = random.Random(seed)
    root = tmp / "k"
    base_project(root, tmp, url)
    (tmp / "rules.yaml").write_text(RULES, encoding="utf-8")
    x = tmp / "kbase.qdpx"
    (tmp / "o").mkdir()
    other = other_copy(root, tmp / "o")
    env = dict(os.environ, QCODE_USER="killed")
    qcode = [sys.executable, "-m", "qcode.cli.main"]
    from qcode.cli.main import main

    assert main(["-p", str(root), "export", "-o", str(x)]) == 0
    ops = ["import", "code", "init --from", "merge", "undo", "autocode"]
    acked: list[tuple[str, int, int]] = []
    counts = {op: 0 for op in ops}
    damaged = errors = traces = in_flight = 0
    for t in range(n):
        op = ops[t % len(ops)]
        counts[op] += 1
        args = {
            "import": ["-p", str(root), "import", str(_doc(tmp, t))],
            "code": ["-p", str(root), "code", "doc", str(t), str(t + 3), "code3"],
            "init --from": ["init", str(tmp / f"new{t}"), "--from", str(x)],
            "merge": ["-p", str(root), "merge", str(other)],
            "undo": ["-p", str(root), "undo"],
            "autocode": ["-p", str(root), "autocode", str(tmp / "rules.yaml"), "--apply"],
        }[op]
        pr = subprocess.Popen(
            qcode + args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        time.sleep(rng.uniform(0.3, 1.6))
        if pr.poll() is None:
            pr.send_signal(signal.SIGKILL)
            in_flight += 1
        pr.wait()
        shutil.rmtree(tmp / f"new{t}", ignore_errors=True)
        try:
            with Project.open(root) as p:
                p._user = "acker"
                s = 20_000 + t * 7
                p.codings.apply("doc", s, s + 5, "code4", coder="acker")
                acked.append(("acker", s, s + 5))
        except Exception as exc:
            from qcode.errors import QcodeError

            if isinstance(exc, QcodeError):
                errors += 1
            else:
                traces += 1
        if not all(f.ok for f in checks.check(root)):
            damaged += 1
    # the next init --from clears what killed ones left
    assert main(["init", str(tmp / "last"), "--from", str(x)]) == 0
    left = len(list(tmp.glob(".qcode-import-*")))
    with Project.open(root) as p:
        there = {(c.coder, c.start, c.end) for c in p.codings.list()}
    return {
        "kills": n,
        "killed while running": in_flight,
        "by operation": counts,
        "acknowledged": len(acked),
        "lost": sum(1 for a in acked if a not in there),
        "checks failed": damaged,
        "errors": errors,
        "tracebacks": traces,
        "scratch folders left": left,
    }


def _doc(tmp: Path, t: int) -> Path:
    f = tmp / f"imp{t}.txt"
    f.write_text(make_text(4000), encoding="utf-8")
    return f


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=60.0, help="How long the mixed load runs.")
    ap.add_argument("--kills", type=int, default=200, help="How many kill -9.")
    ap.add_argument("--skip-pg", action="store_true", help="SQLite only.")
    ap.add_argument("--parts", default="mixed,undo,kills", help="Which parts, comma-separated.")
    a = ap.parse_args()
    print(
        f"bench_faults: parts {a.parts}; mixed load {a.seconds:g} s, 6 undos x 3 rounds, "
        f"{a.kills} kill -9" + (" (SQLite only)" if a.skip_pg else "")
    )
    with tempfile.TemporaryDirectory() as tmpdir, server(durable=True) as pg:
        tmp = Path(tmpdir)
        backends = [("sqlite", None)] + ([] if a.skip_pg else [("postgresql", "pg")])
        for name, db in backends:
            for part in [x for x in ("mixed", "undo") if x in a.parts.split(",")]:
                where = tmp / f"{name}-{part}"
                where.mkdir()
                url = create_database(pg, f"b_{part}") if db else None
                base_project(where / "p", where, url)
                if part == "mixed":
                    r = mixed_load(where / "p", where, a.seconds)
                    print(
                        f"{name}: mixed load (8 coding, 2 undo/redo, 1 export, 1 merge, "
                        f"{a.seconds:g} s): {r['acknowledged']} acknowledged edits, "
                        f"lost {r['lost']}, undone ones back {r['came_back']}, "
                        f"one-line errors {len(r['errors'])}, tracebacks {len(r['traces'])}; "
                        f"steps {r['steps']}"
                    )
                    for e in sorted(set(r["errors"] + r["traces"]))[:8]:
                        print(f"    {e[:200]}")
                else:
                    r = six_undos(where / "p", where)
                    print(f"{name}: 6 undos at once x 3 rounds, then redo: {r}")
        if "kills" in a.parts.split(","):
            for name, db in backends:
                (tmp / f"kills-{name}").mkdir()
                url = create_database(pg, "b_kills") if db else None
                r = kills(tmp / f"kills-{name}", a.kills, url=url)
                print(f"{name}: kill -9 at random moments: {r}")


if __name__ == "__main__":
    main()
