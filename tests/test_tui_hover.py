"""The codes of a coding stripe, or of a row's margin, are named when the mouse rests on them:
in a tooltip and in the details pane, for any row, not only the cursor's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import write
from test_tui import drive, view

from qcode import Project
from qcode.tui.app import QcodeApp

TEXT = "".join(f"R: line {i} of the transcript, where something is said.\n" for i in range(30))


def details(app: QcodeApp) -> str:
    return str(app.screen.query_one("#details").render())


def test_hovering_a_stripe_or_the_margin_names_its_codes(project: Project, tmp_path: Path) -> None:
    p = project
    p.documents.import_files([write(tmp_path / "a.txt", TEXT)])
    start = TEXT.index("R: line 10")  # far from the cursor, which stays at the start
    p.codings.apply("a", start, start + 20, "alpha", create=True)
    p.codings.apply("a", start + 5, start + 40, "money/beta", create=True)

    async def go(pilot: Any, app: QcodeApp) -> None:
        v = view(app)
        assert v.cursor == 0 and "money/beta" not in details(app)
        row = v._layout.row_of(start) - int(v.scroll_y)  # type: ignore[union-attr]
        await pilot.press("g")  # the stripes: alpha's column, then beta's
        await pilot.hover("#transcript", offset=(1, row))
        await pilot.pause()
        assert [s.code for s in v.hovered] == ["money/beta"]
        assert v.tooltip == "money/beta"
        assert "under the mouse:" in details(app) and "money/beta" in details(app)
        # the margin names every code of its row
        await pilot.hover("#transcript", offset=(v.size.width - 4, row))
        await pilot.pause()
        assert [s.code for s in v.hovered] == ["alpha", "money/beta"]
        assert "alpha" in details(app) and "money/beta" in details(app)
        # over the text, or over a row with no codes, nothing is named
        await pilot.hover("#transcript", offset=(20, row))
        await pilot.pause()
        assert v.hovered == [] and v.tooltip is None
        assert "under the mouse:" not in details(app)
        await pilot.hover("#transcript", offset=(0, row + 3))
        await pilot.pause()
        assert v.hovered == []

    drive(p, go)
