"""What the team tests share: a new project on SQLite or on a database of the test's PostgreSQL
server, and worker processes held back until they are ready, then let go at once."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from conftest import write
from pgserver import create_database

from qcode import Project

# The start of a worker script for together(): qcode's CLI imported, then ready (go.NAME touched,
# NAME and go being its last two arguments), then it waits for go.
CLI_AT_GO = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from qcode.cli.main import main

    Path(sys.argv[-1] + "." + sys.argv[-2]).touch()
    while not Path(sys.argv[-1]).exists():
        time.sleep(0.005)
    """
)


@contextmanager
def interview(root: Path, text: str, backend: str, pg: str, database: str) -> Iterator[Project]:
    """A new project at root holding text as int01: on SQLite, or with backend "postgresql" in a
    new database of the server whose URL prefix is pg."""
    url = create_database(pg, database) if backend == "postgresql" else None
    with Project.init(root, db_url=url) as p:
        p.documents.import_files([write(root.parent / "int01.txt", text)])
        yield p


def together(
    go: Path, script: str, argvs: Sequence[Sequence[str]], ready: int, settle: float = 0
) -> list[tuple[int, str, str]]:
    """Run script in one Python process per argv, each given its argv and then go; once ``ready``
    files go.* are there (each process touches one when it is ready) and ``settle`` seconds more,
    touch go to let them all go at once. Returns (exit code, stdout, stderr) per process, in the
    order of argvs."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, *argv, str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for argv in argvs
    ]
    try:
        deadline = time.time() + 120
        while len(list(go.parent.glob(go.name + ".*"))) < ready and time.time() < deadline:
            time.sleep(0.05)
        time.sleep(settle)
        go.touch()
        results = []
        for pr in procs:
            out, err = pr.communicate(timeout=300)
            results.append((pr.returncode, out, err))
        return results
    finally:
        for pr in procs:
            if pr.poll() is None:
                pr.kill()
                pr.wait()
