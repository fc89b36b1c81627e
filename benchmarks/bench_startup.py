"""Start-up of whole `qcode` processes, against Python itself in the same run.

Prints the median and best wall time and the median CPU time (user + system) of N runs of each command (on a fresh empty project for
the commands that need one). Run: .venv/bin/python benchmarks/bench_startup.py [N]"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

QCODE = [sys.executable, "-m", "qcode"]


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def clock(label: str, argv: list[str], cwd: Path, n: int) -> None:
    """Wall time and CPU time (user + system, which another job's load hardly changes)."""
    times, cpu = [], []
    for _ in range(n):
        t, c = time.perf_counter(), _children_cpu()
        subprocess.run(
            argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True
        )
        times.append(time.perf_counter() - t)
        cpu.append(_children_cpu() - c)
    print(
        f"{label:<34} median {statistics.median(times):6.3f} s   best {min(times):6.3f} s   "
        f"CPU median {statistics.median(cpu):6.3f} s"
    )


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "p"
        subprocess.run([*QCODE, "init", str(root)], check=True, stdout=subprocess.DEVNULL)
        subprocess.run(
            [*QCODE, "codes", "add", "income"], cwd=root, check=True, stdout=subprocess.DEVNULL
        )
        clock("python -c pass (the floor)", [sys.executable, "-c", "pass"], root, n)
        clock("qcode --version", [*QCODE, "--version"], root, n)
        clock("qcode --help", [*QCODE, "--help"], root, n)
        clock("qcode info", [*QCODE, "info"], root, n)
        clock("qcode codes list", [*QCODE, "codes", "list"], root, n)


if __name__ == "__main__":
    main()
