"""Start-up: `qcode --help` and `--version` load neither the database layer nor the analysis
libraries, and everyday listing commands load no analysis library (issue: instant commands)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("numpy", "sqlalchemy", "sqlalchemy.orm", "spacy", "matplotlib", "networkx", "lxml")
ANALYSIS = ("numpy", "spacy", "matplotlib", "networkx", "lxml", "jieba", "pandas")

PROBE = """
import contextlib, io, json, sys
from qcode.cli.main import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    rc = main(sys.argv[1:])
print(json.dumps({"rc": rc, "modules": sorted(sys.modules)}))
"""


def loaded(args: list[str], cwd: Path | None = None) -> tuple[int, set[str]]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=True,
    ).stdout
    data = json.loads(out.strip().splitlines()[-1])
    return data["rc"], set(data["modules"])


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["codes", "--help"]])
def test_help_and_version_load_no_database_or_analysis_library(args: list[str]) -> None:
    rc, modules = loaded(args)
    assert rc == 0
    assert sorted(m for m in HEAVY if m in modules) == []


@pytest.mark.parametrize("args", [["--help"], ["--version"]])
def test_help_loads_no_table_or_hashing(args: list[str]) -> None:
    """rich's Table and hashlib are loaded by the commands that use them."""
    rc, modules = loaded(args)
    assert rc == 0
    assert sorted(m for m in ("rich.table", "hashlib") if m in modules) == []


@pytest.mark.parametrize("args", [["--help"], ["--version"]])
def test_help_and_version_do_not_validate_settings(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Choosing the interface's language reads no settings library (pydantic) unless the user
    settings file chooses one."""
    monkeypatch.setenv("QCODE_CONFIG", str(tmp_path / "none.toml"))  # named, but not there
    rc, modules = loaded(args)
    assert rc == 0 and "pydantic" not in modules
    (tmp_path / "none.toml").write_text('name = "ann"\n', encoding="utf-8")
    rc, modules = loaded(args)
    assert rc == 0 and "pydantic" not in modules


def test_listing_commands_load_no_analysis_library(tmp_path: Path) -> None:
    from qcode import Project

    Project.init(tmp_path / "p", name="p").close()
    for args in (["info"], ["codes", "list"], ["docs", "list"], ["memos", "list"]):
        rc, modules = loaded(args, cwd=tmp_path / "p")
        assert rc == 0, args
        assert sorted(m for m in ANALYSIS if m in modules) == [], args


def test_the_package_root_loads_the_service_layer_only_when_asked() -> None:
    code = "import sys, qcode; a = 'sqlalchemy' in sys.modules; qcode.Project; print(a, 'sqlalchemy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]
