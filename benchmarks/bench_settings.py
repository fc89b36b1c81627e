"""What checking settings against their schema costs: reading ``qcode.toml`` with validation
(pydantic, line numbers on failure) against reading it with tomllib alone, the first import of
the settings modules, and the start of the command line (``qcode --version``, whole process).

Run with ``.venv/bin/python benchmarks/bench_settings.py``. Prints numbers; asserts nothing.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

TOML = """# settings of a study
[project]
name = "Pension study"
language = "zh"

[database]
url = "sqlite:///project.db"

[user]
name = "wang"

[import]
speaker_patterns = ["^(?P<speaker>受访者|访谈者)[:：]", "^(?P<speaker>[A-Z][a-z]+):"]
keep_source = true

[grounded_theory]
paradigm = true
multiple_core = false

[text]
userdict = "userdict.txt"
"""


def best(fn, n: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times), statistics.median(times)


def schema_import_ms() -> float:
    """The import of qcode.settings_schema (pydantic and the models) within ``import qcode``."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import qcode"], capture_output=True, text=True
    )
    for line in done.stderr.splitlines():
        if line.rstrip().endswith("qcode.settings_schema"):
            return int(line.split("|")[1]) / 1000
    return float("nan")


def main() -> None:
    from qcode import settings

    first_import = min(schema_import_ms() for _ in range(3))
    with tempfile.TemporaryDirectory() as d:
        root = Path(d)
        (root / "qcode.toml").write_text(TOML, encoding="utf-8")
        path = root / "qcode.toml"
        plain = best(lambda: tomllib.loads(path.read_text(encoding="utf-8")), 2000)
        checked = best(lambda: settings.load(root), 2000)
    print(f"import of the schema (pydantic and the models), best of 3: {first_import:.0f} ms")
    print(
        f"read qcode.toml, tomllib alone:        best {plain[0] * 1e6:.0f} us, median {plain[1] * 1e6:.0f} us"
    )
    print(
        f"read qcode.toml, checked by the schema: best {checked[0] * 1e6:.0f} us, median {checked[1] * 1e6:.0f} us"
    )
    qcode = Path(sys.executable).parent / "qcode"
    start = best(
        lambda: subprocess.run([str(qcode), "--version"], check=True, capture_output=True), 5
    )
    print(f"qcode --version, whole process: best {start[0]:.2f} s, median {start[1]:.2f} s")


if __name__ == "__main__":
    main()
