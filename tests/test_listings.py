"""Listings print one screenful and say how many rows remain; --all streams every row."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from qcode import Project
from qcode.cli import output
from tests.conftest import run_cli


@pytest.fixture
def many_codes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("QCODE_ROWS", raising=False)
    root = tmp_path / "p"
    with Project.init(root, name="p") as p:
        for i in range(130):
            p.codes.add(f"code {i:03d} 收入")
    return root


def listed(out: str) -> list[str]:
    return re.findall(r"code \d{3} 收入", out)


def test_a_default_listing_prints_no_more_than_a_screenful(many_codes: Path) -> None:
    r = run_cli("codes", "list", cwd=many_codes)
    assert r.code == 0
    shown = listed(r.out)
    assert len(shown) == output.PIPED_ROWS
    assert shown == sorted(shown)[: output.PIPED_ROWS]  # the first rows, in the listing's order
    assert (
        "80 more row(s) not shown" in r.err and "--all" in r.err and "--format csv" in r.err
    )  # every listing has --format


def test_all_prints_every_row_in_aligned_columns(many_codes: Path) -> None:
    r = run_cli("codes", "list", "--all", cwd=many_codes)
    assert r.code == 0 and r.err == ""
    assert len(listed(r.out)) == 130
    lines = [ln for ln in r.out.splitlines() if "收入" in ln]
    # the column after the wide name starts at the same display column on every line
    from rich.cells import cell_len

    starts = {cell_len(ln[: ln.index("收入") + 2]) for ln in lines}
    assert len(starts) == 1


def test_the_screen_size_can_be_set(many_codes: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QCODE_ROWS", "7")
    r = run_cli("codes", "list", cwd=many_codes)
    assert len(listed(r.out)) == 7 and "123 more row(s)" in r.err
    # --all of one command does not leak into the next one in the same process
    run_cli("codes", "list", "--all", cwd=many_codes)
    assert len(listed(run_cli("codes", "list", cwd=many_codes).out)) == 7


def test_a_command_with_formats_points_at_csv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QCODE_ROWS", "3")
    root = tmp_path / "p"
    doc = tmp_path / "a.txt"
    doc.write_text("\n".join(f"line {i}" for i in range(20)) + "\n", encoding="utf-8")
    with Project.init(root, name="p") as p:
        d = p.documents.import_files([doc]).imported[0]
        for i in range(8):
            p.codes.add(f"c{i}")
        for i in range(8):
            for j in range(i + 1):
                p.codings.apply(d.name, 7 * j, 7 * j + 6, f"c{i}")
    r = run_cli("freq", cwd=root)
    assert r.code == 0, r.err
    assert "--format csv" in r.err


def test_kwic_shows_a_screenful_of_hits_and_all_with_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QCODE_ROWS", "4")
    doc = tmp_path / "a.txt"
    doc.write_text("".join(f"R: my income {i} went down.\n" for i in range(30)), encoding="utf-8")
    root = tmp_path / "p"
    with Project.init(root, name="p") as p:
        p.documents.import_files([doc])
    r = run_cli("kwic", "income", cwd=root)
    assert r.code == 0, r.err
    assert r.out.count(" income ") == 4 and "30 hit(s)" in r.out
    assert "26 more hit(s) not shown" in r.err
    r = run_cli("kwic", "income", "--all", cwd=root)
    assert r.code == 0 and r.err == ""
    assert len([ln for ln in r.out.splitlines() if " income " in ln]) == 30


@pytest.fixture
def described(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("COLUMNS", raising=False)
    root = tmp_path / "d"
    with Project.init(root, name="d") as p:
        p.codes.add(
            "Ambiguous labour relations",
            description="Work without a clear employer who would share contributions.",
        )
    return root


def test_a_table_into_a_file_keeps_each_row_on_one_line(described: Path) -> None:
    """Piped or redirected, a table is as wide as its rows: no name or word cut in two, and no
    spaces padding the end of a line."""
    r = run_cli("codes", "list", "--aggregate", cwd=described)
    assert r.code == 0
    [row] = [ln for ln in r.out.splitlines() if "Ambiguous" in ln]
    assert "Ambiguous labour relations" in row and "share contributions." in row
    assert all(ln == ln.rstrip() for ln in r.out.splitlines())


def test_a_table_at_a_set_width_has_no_spaces_at_line_ends(
    described: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    r = run_cli("codes", "list", "--aggregate", cwd=described)
    lines = r.out.splitlines()
    assert r.code == 0 and max(map(len, lines)) <= 60 and len(lines) > 3  # folded to 60
    assert all(ln == ln.rstrip() for ln in lines)
