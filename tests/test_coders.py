"""Coders as first-class entities: name, GUID and colour; blind coding."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from qcode import Project


@pytest.fixture
def root(tmp_path: Path) -> Path:
    from conftest import write

    with Project.init(tmp_path / "p") as p:
        p.documents.import_files([write(tmp_path / "d.txt", "Some text to code.")])
        p.codes.add("x")
        p.codings.apply("d", 0, 4, "x", coder="ana")
    return tmp_path / "p"


def test_coders_list_add_edit(root: Path, cli: Any) -> None:
    assert cli("-p", str(root), "coders", "add", "ben", "--color", "#00aa00").code == 0
    rows = cli("-p", str(root), "coders", "list", "--json").json()
    assert [(r["name"], r["color"], r["codings"]) for r in rows] == [
        ("ana", None, 1),
        ("ben", "#00AA00", 0),
    ]
    guid = rows[0]["uuid"]
    assert cli("-p", str(root), "coders", "edit", "ana", "--name", "Ana Li").code == 0
    rows = cli("-p", str(root), "coders", "list", "--json").json()
    assert rows[0]["name"] == "Ana Li" and rows[0]["uuid"] == guid  # the GUID stays
    r = cli("-p", str(root), "coders", "add", "ben")
    assert r.code != 0 and "already exists" in r.err
    r = cli("-p", str(root), "coders", "edit", "nobody", "--color", "#000000")
    assert r.code != 0 and "no coder named 'nobody'" in r.err
    r = cli("-p", str(root), "coders", "edit", "ben", "--color", "green")
    assert r.code != 0 and "#RRGGBB" in r.err


def test_blind_shows_only_the_current_users_codings(
    root: Path, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[Any] = []
    import qcode.tui.app

    monkeypatch.setattr(qcode.tui.app, "run", lambda project, coders=None: seen.append(coders))
    monkeypatch.setenv("QCODE_USER", "ben")
    assert cli("-p", str(root), "tui", "--blind").code == 0
    assert cli("-p", str(root), "tui", "--coder", "ana").code == 0
    assert seen == [["ben"], ["ana"]]


def test_codings_of_one_several_or_all_coders(root: Path, cli: Any) -> None:
    from qcode import Project

    with Project.open(root) as p:
        p.codings.apply("d", 5, 9, "x", coder="ben")
        p.codings.apply("d", 10, 14, "x", coder="cai")

    def coders(*args: str) -> list[str]:
        r = cli("-p", str(root), "codings", "--json", *args)
        assert r.code == 0, r.err
        return sorted(c["coder"] for c in r.json())

    assert coders() == ["ana", "ben", "cai"]
    assert coders("--coder", "ben") == ["ben"]
    assert coders("--coder", "ana", "--coder", "cai") == ["ana", "cai"]
    r = cli("-p", str(root), "codings", "--coder", "ana", "--coder", "zed")
    assert r.code != 0 and "no coder named 'zed'" in r.err


def test_log_by_coder_and_date(root: Path, cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QCODE_USER", "ben")
    assert cli("-p", str(root), "codes", "add", "y").code == 0
    ben = cli("-p", str(root), "log", "--coder", "ben", "--json").json()
    assert [e["action"] for e in ben] == ["codes.add"] and ben[0]["actor"] == "ben"
    everyone = cli("-p", str(root), "log", "--json").json()
    assert len(everyone) > len(ben)
    assert cli("-p", str(root), "log", "--since", "2999-01-01", "--json").json() == []
    r = cli("-p", str(root), "log", "--since", "yesterday")
    assert r.code != 0 and "is not a date" in r.err


def test_the_log_shows_the_newest_work_first(
    root: Path, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A log longer than a screen shows the latest events, not the first ones of the project."""
    monkeypatch.setenv("QCODE_ROWS", "5")
    for i in range(8):
        assert cli("-p", str(root), "codes", "add", f"later {i}").code == 0
    r = cli("-p", str(root), "log")
    assert r.code == 0, r.err
    shown = [
        line for line in r.out.splitlines() if "add code 'later" in line and "codes.add" in line
    ]
    assert len(shown) == 5 and "later 7" in shown[0] and "later 3" in shown[-1]
    assert "more row(s) not shown" in r.err
