"""Start-up: `qcode --help` and `--version` load neither the database layer nor the analysis
libraries, and everyday listing commands load no analysis library (issue: instant commands)."""

from __future__ import annotations

import json
import os
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


# -- commands loaded when used ----------------------------------------------------------------------
def test_the_command_index_is_the_commands() -> None:
    """``qcode --help`` lists the commands from qcode/cli/commands_index.py: it must say what the
    commands say, in their order (write it again with ``make index``)."""
    import ast

    from qcode.cli.commands_index import INDEX

    code = "from qcode.cli.lazy import entries; print(repr(entries()))"  # a fresh process's order
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    found = ast.literal_eval(out.stdout)
    assert list(found) == list(INDEX), "the commands changed: write qcode/cli/commands_index.py"
    assert found == INDEX, "the commands changed: write qcode/cli/commands_index.py"


HELP_PROBE = """
import contextlib, io, sys
from qcode.cli.main import main
if sys.argv[1] == "all":
    from qcode.cli.lazy import load_all
    load_all()
out = io.StringIO()
with contextlib.redirect_stdout(out):
    rc = main(sys.argv[2:])
print(rc, sorted(m for m in sys.modules if m.startswith("qcode.cli.")))
print(out.getvalue())
"""


@pytest.mark.parametrize(
    "args", [["--help"], ["--lang", "zh", "--help"], ["codes", "--help"], ["nosuch"]]
)
def test_help_from_the_index_is_the_help_of_the_loaded_commands(args: list[str]) -> None:
    def run(how: str) -> tuple[str, str]:
        out = subprocess.run(
            [sys.executable, "-c", HELP_PROBE, how, *args],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "COLUMNS": "80"},
        ).stdout
        modules, _, text = out.partition("\n")
        return modules, text

    lazy_modules, lazy = run("lazy")
    all_modules, loaded = run("all")
    assert lazy == loaded
    assert "qcode.cli.words" in all_modules and "qcode.cli.words" not in lazy_modules
    if args[0] == "codes":
        assert "qcode.cli.codes" in lazy_modules and "qcode.cli.docs" not in lazy_modules


def test_a_command_loads_only_its_own_command_module(tmp_path: Path) -> None:
    from qcode import Project
    from qcode.cli.lazy import MODULES

    Project.init(tmp_path / "p", name="p").close()
    _rc, modules = loaded(["--help"])
    assert [m for m in MODULES if m in modules] == []
    rc, modules = loaded(["codes", "list"], cwd=tmp_path / "p")
    assert rc == 0
    assert [m for m in MODULES if m in modules] == ["qcode.cli.codes"]


@pytest.mark.parametrize(
    "args", [["info"], ["info", "--json"], ["codes", "list"], ["codes", "list", "--aggregate"]]
)
def test_info_and_codes_list_load_no_orm_nor_settings_validation(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a SQLite project they read the database with sqlite3 (qcode.services.glance)."""
    from qcode import Project

    with Project.init(tmp_path / "p", name="p") as p:
        p.codes.add("income")
    monkeypatch.setenv("QCODE_CONFIG", str(tmp_path / "none.toml"))
    rc, modules = loaded(args, cwd=tmp_path / "p")
    assert rc == 0
    assert (
        sorted(m for m in ("sqlalchemy", "sqlalchemy.orm", "alembic", "pydantic") if m in modules)
        == []
    )


def test_a_group_whose_sub_commands_live_in_two_modules_has_them_all_in_one_process(
    tmp_path: Path,
) -> None:
    """``qcode freq`` loads the module that defines the ``matrix`` group; a later ``qcode
    matrix framework`` in the same process (the API's callers, the tests) still finds the
    sub-command that another module adds."""
    from conftest import run_cli

    from qcode import Project

    Project.init(tmp_path / "p", name="p").close()
    p = ["-p", str(tmp_path / "p")]
    assert run_cli(*p, "freq").code == 0
    done = run_cli(*p, "matrix", "framework", "--help")
    assert done.code == 0 and "--rows" in done.out, done.err
