"""A killed import keeps every document it reported, each whole; nothing half-imported."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path

from conftest import write

from qcode import Project
from qcode.text import normalize
from qcode.text.segment import segment


def test_kill_during_import_loses_nothing_reported(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    Project.init(root).close()
    rng = random.Random(7)
    words = [
        "pension",
        "contribution",
        "month",
        "income",
        "platform",
        "rider",
        "contract",
        "养老",
        "保险",
    ]
    files = []
    for i in range(80):
        lines = [
            f"{'Interviewer' if k % 2 == 0 else 'R'}: "
            + " ".join(rng.choices(words, k=rng.randint(5, 40)))
            + "."
            for k in range(300)
        ]
        files.append(write(tmp_path / "in" / f"d{i:03d}.txt", "\r\n".join(lines)))
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "QCODE_USER": "alice"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "qcode.cli.main", "-p", str(root), "import", *map(str, files)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    reported: list[str] = []
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("imported "):
            reported.append(line.split("'")[1])
        if len(reported) == 3:
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL

    with Project.open(root) as p:
        docs = {d.name: d for d in p.documents.list()}
        assert set(reported) <= set(docs)
        assert len(docs) < len(files)
        for name, info in docs.items():
            text = p.documents.text(name)
            assert text == normalize((tmp_path / "in" / f"{name}.txt").read_text())
            expected = segment(text, info.language)
            for kind in ("paragraph", "turn", "sentence"):
                got = [(u["start"], u["end"]) for u in p.documents.units(name, kind)]
                assert got == [(u.start, u.end) for u in expected if u.kind == kind]
        # the import can simply be run again: what is there is reported as already present
        result = p.documents.import_files(files)
        assert {s.duplicate_of for s in result.skipped} == set(docs)
        assert len(p.documents.list()) == len(files)
