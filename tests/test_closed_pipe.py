"""A reader that goes away (``qcode ... | head``) stops qcode quietly with 141, as for a program
SIGPIPE kills, not with 1 (bad input) or an error of Python's."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import write

from qcode import Project
from qcode.errors import EXIT_CLOSED_PIPE
from qcode.services.codings import CodingRequest


@pytest.fixture
def many(tmp_path: Path) -> Path:
    root = tmp_path / "p"
    with Project.init(root, name="p") as p:
        p.documents.import_files([write(tmp_path / "a.txt", "R: I pay rent every month. " * 400)])
        p.codes.add("rent")
        p.codings.apply_many([CodingRequest("a", k, k + 20, "rent") for k in range(3000)])
    return root


@pytest.mark.parametrize(
    "args", [["codings", "--format", "csv"], ["codings", "--all"], ["codings", "--json"]]
)
def test_a_closed_pipe_ends_the_command_quietly(many: Path, args: list[str]) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "qcode", "-p", str(many), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline()  # the reader takes one line and goes away
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == EXIT_CLOSED_PIPE, err
    assert err == ""
