"""After a coding, the code tree counts again only the saved queries that the coded code can
change: those naming it, directly, as one of the codes under a code (``code/*``) or through
another set; a query of text searches alone, or of other codes, is not evaluated again."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from conftest import write
from test_tui import settle, settles
from textual.widgets import Tree

from qcode import Project
from qcode.tui.app import QcodeApp
from qcode.tui.screens.coding import CodingScreen

TEXT = "R: I pay the minimum. Income swings a lot.\nR: I stopped paying. The bike is mine."


def _project(project: Project, tmp_path: Path) -> Project:
    p = project
    p.documents.import_files([write(tmp_path / "a.txt", TEXT)])
    p.codes.add("money")
    p.codes.add("minimum", parent="money")
    p.codes.add("exit")
    p.codings.apply("a", 3, 21, "money/minimum")
    p.codings.apply("a", 46, 63, "exit")
    p.sets.save("low", "money/minimum")
    p.sets.save("all money", "money/*")
    p.sets.save("via set", "set low or text 'bike'")
    p.sets.save("leaving", "exit")
    p.sets.save("bikes", "text 'bike'")
    return p


def test_the_sets_a_code_can_change(project: Project, tmp_path: Path) -> None:
    p = _project(project, tmp_path)
    assert p.sets.touching(["money/minimum"]) == ["all money", "low", "via set"]
    assert p.sets.touching(["exit"]) == ["leaving"]
    assert p.sets.touching(["money"]) == ["all money"]


def test_coding_recounts_only_the_sets_of_the_coded_code(project: Project, tmp_path: Path) -> None:
    p = _project(project, tmp_path)
    counted: list[str] = []
    show = p.sets.show

    def counting(name: str, counts: bool = True) -> Any:
        counted.append(name)
        return show(name, counts)

    p.sets.show = counting  # type: ignore[method-assign]

    async def main() -> dict[str, str]:
        app = QcodeApp(p)
        async with app.run_test(size=(140, 40)) as pilot:
            settles(pilot)
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, CodingScreen)
            assert sorted(counted) == ["all money", "bikes", "leaving", "low", "via set"]
            counted.clear()
            screen.view.select(22, 42)  # Income swings a lot.
            screen.apply_code("money/minimum")
            await settle(pilot)
            assert sorted(counted) == ["all money", "low", "via set"]
            tree = screen.query_one("#codes", Tree)
            [top] = [n for n in tree.root.children if str(n.label) == "Sets"]
            return {
                str(n.label).split(" ", 1)[1].rsplit(" ", 1)[0]: str(n.label).rsplit(" ", 1)[1]
                for n in top.children
            }

    counts = asyncio.run(main())
    # the recounted sets show the new coding; the others keep their counts, which are still true
    assert counts == {"all money": "2", "bikes": "1", "leaving": "1", "low": "2", "via set": "3"}
