"""One naming of output options: --format on every command with --json, --json its alias."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main
from conftest import run_cli, write

from qcode import Project


def _commands(cmd: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, Any]]:
    if hasattr(cmd, "commands"):  # a group (typer carries its own copy of click's classes)
        for name, sub in cmd.commands.items():
            yield from _commands(sub, (*path, name))
    else:
        yield " ".join(path), cmd


def _options(cmd: Any) -> set[str]:
    return {o for p in cmd.params for o in getattr(p, "opts", [])}


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory, built_example: Callable[[Path], Path]) -> Path:
    return built_example(tmp_path_factory.mktemp("example") / "flexible-employment")


def test_every_command_with_json_has_format() -> None:
    from qcode.cli.main import app

    with_json = [
        (n, c) for n, c in _commands(typer.main.get_command(app)) if "--json" in _options(c)
    ]
    assert len(with_json) > 30
    missing = [n for n, c in with_json if "--format" not in _options(c)]
    assert missing == []


def test_own_format_values_are_kept() -> None:
    from qcode.cli.main import app

    commands = dict(_commands(typer.main.get_command(app)))
    export = next(p for p in commands["export"].params if "--format" in p.opts)
    assert export.default == "qdpx"
    query = next(p for p in commands["query"].params if "--format" in p.opts)
    assert "xlsx" in (query.help or "")


def test_a_listing_with_its_own_format_takes_json_too(tmp_path: Path) -> None:
    """Every command whose --format offers json takes --json for it, as the commands with
    --json take --format; --json beside another format is refused."""
    from qcode.cli.main import app

    root_command = typer.main.get_command(app)
    commands = dict(_commands(root_command))
    commands["matrix"] = root_command.commands["matrix"]  # a group that is a command too
    for name in ("freq", "cooccur", "matrix", "crosstab", "saturation", "kwic", "words", "query"):
        assert "--json" in _options(commands[name]), name
    root = tmp_path / "p"
    with Project.init(root) as p:
        p.documents.import_files([write(tmp_path / "a.txt", "R: I pay rent.\n")])
        p.codes.add("rent")
        p.codings.apply("a", 3, 14, "rent")
    both = [run_cli("-p", str(root), "freq", *a) for a in (["--json"], ["--format", "json"])]
    assert both[0].code == both[1].code == 0 and both[0].out == both[1].out
    assert json.loads(both[0].out)[0]["code"] == "rent"
    clash = run_cli("-p", str(root), "freq", "--json", "--format", "csv")
    assert clash.code == 1 and "ask for different outputs" in clash.err


SAMPLE = [
    ["codings"],
    ["codes", "list"],
    ["docs", "list"],
    ["cases", "list"],
    ["coders", "list"],
    ["memos", "list"],
    ["info"],
    ["framework", "show"],
    ["network"],
]


@pytest.mark.parametrize("args", SAMPLE, ids=" ".join)
def test_json_alias_gives_the_same_bytes(study: Path, args: list[str]) -> None:
    a = run_cli("-p", str(study), *args, "--json")
    b = run_cli("-p", str(study), *args, "--format", "json")
    assert a.code == 0, a.err
    assert b.code == 0, b.err
    assert a.out == b.out
    json.loads(a.out)


def test_csv_of_a_listing_has_the_json_records(study: Path) -> None:
    records = run_cli("-p", str(study), "codings", "--json").json()
    r = run_cli("-p", str(study), "codings", "--format", "csv")
    assert r.code == 0, r.err
    rows = list(csv.DictReader(io.StringIO(r.out)))
    assert len(rows) == len(records) > 100
    assert list(rows[0]) == list(records[0])  # the JSON's keys, in its order
    for row, rec in zip(rows, records, strict=True):
        assert row == {k: "" if v is None else str(v) for k, v in rec.items()}


def test_md_of_a_listing(study: Path) -> None:
    records = run_cli("-p", str(study), "docs", "list", "--json").json()
    lines = run_cli("-p", str(study), "docs", "list", "--format", "md").out.splitlines()
    assert lines[0] == "| " + " | ".join(records[0]) + " |"
    assert len(lines) == len(records) + 2


def test_bad_format_and_contradiction_are_refused(study: Path) -> None:
    r = run_cli("-p", str(study), "codings", "--format", "xml")
    assert r.code == 1 and "unknown format 'xml'" in r.err and r.out == ""
    r = run_cli("-p", str(study), "codings", "--json", "--format", "csv")
    assert r.code == 1 and "--json and --format csv" in r.err and r.out == ""


def test_format_does_not_outlive_its_command(study: Path) -> None:
    run_cli("-p", str(study), "docs", "list", "--format", "csv")
    r = run_cli("-p", str(study), "docs", "list", "--json")
    assert r.out.lstrip().startswith("[")


def test_csv_of_a_report_is_its_rows(study: Path) -> None:
    args = ("-p", str(study), "agreement", "--coders", "li.na,chen.wei")
    data = run_cli(*args, "--json").json()
    r = run_cli(*args, "--format", "csv")
    assert r.code == 0, r.err
    rows = list(csv.DictReader(io.StringIO(r.out)))
    assert len(rows) == len(data["rows"]) > 0 and list(rows[0]) == list(data["rows"][0])
    info = run_cli("-p", str(study), "info", "--format", "csv")
    [row] = list(csv.DictReader(io.StringIO(info.out)))  # one object: one row
    assert row["codings"] == str(run_cli("-p", str(study), "info", "--json").json()["codings"])


def test_csv_of_case_attributes_is_a_row_per_case_and_yes_no_shown_as_written(
    study: Path, tmp_path: Path
) -> None:
    values = run_cli("-p", str(study), "attrs", "show", "--json").json()
    r = run_cli("-p", str(study), "attrs", "show", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(r.out)))
    assert [row["case"] for row in rows] == list(values)  # a row per case, not one row
    assert rows[0]["contract"] in ("True", "False") and "age_group" in rows[0]
    listed = list(
        csv.DictReader(
            io.StringIO(run_cli("-p", str(study), "cases", "list", "--format", "csv").out)
        )
    )
    assert listed[0]["name"] == rows[0]["case"] and listed[0]["region"] == rows[0]["region"]
    shown = run_cli("-p", str(study), "attrs", "show").out
    assert "contract=no" in shown or "contract=yes" in shown  # as the case sheet writes it
    assert "contract=False" not in shown and "contract=True" not in shown
