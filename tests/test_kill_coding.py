"""kill -9 while coding, on SQLite and on a PostgreSQL server (started by the test): every coding
whose call returned is in the project afterwards, the project passes ``qcode check`` and the next
coding goes in."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from teamkit import interview

from qcode import Project
from qcode.services import check as checks

TEXT = "Interviewer: How do you pay?\nR: " + "Some months I pay, some months I cannot. " * 260

CODER = textwrap.dedent(
    """
    import sys
    from qcode import Project

    root, coder, first = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with Project.open(root) as p:
        for i in range(first, first + 10_000):
            s = (i * 7) % 8000
            code = f"code{i % 3}"
            p.codings.apply("int01", s, s + 4, code, coder=coder)
            print(s, s + 4, code, flush=True)  # acknowledged: the call returned
    """
)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_kill_9_during_coding_loses_no_acknowledged_coding(
    pg: str, tmp_path: Path, backend: str
) -> None:
    root = tmp_path / "p"
    with interview(root, TEXT, backend, pg, "killed") as p:
        for k in range(3):
            p.codes.add(f"code{k}")
    rng = random.Random(15)
    acked: set[tuple[str, int, int, str]] = set()
    for round_ in range(6):
        coder = f"coder{round_ % 2}"
        pr = subprocess.Popen(
            [sys.executable, "-c", CODER, str(root), coder, str(round_ * 1000)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert pr.stdout is not None
        want = rng.randint(5, 30)
        for n, line in enumerate(pr.stdout, 1):
            s, e, code = line.split()
            acked.add((coder, int(s), int(e), code))
            if n >= want:
                break
        time.sleep(rng.uniform(0, 0.02))  # somewhere inside the next coding's transaction
        pr.send_signal(signal.SIGKILL)
        pr.wait(timeout=60)
        assert pr.returncode == -signal.SIGKILL, pr.stderr.read() if pr.stderr else ""
        with Project.open(root) as p:
            there = {(c.coder, c.start, c.end, c.code) for c in p.codings.list()}
            assert acked <= there, f"round {round_}: lost {sorted(acked - there)[:5]}"
            p.codings.apply("int01", 9000 + round_ * 5, 9003 + round_ * 5, "code0", coder="after")
        bad = [f for f in checks.check(root) if not f.ok]
        assert bad == [], bad
    assert len(acked) >= 30
