"""The details pane of the coding screen: what lies at the transcript's cursor."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from qcode.i18n import _


def cursor_details(view: Any, memo_titles: dict[int, list[str]]) -> list[Text]:
    """Lines for the cursor of ``view`` (a TranscriptView): its offset, the selection, each code
    there with its coder, range and memos, the other codes on its line, and the stripes."""
    lines = [Text(_("offset {n}").format(n=view.cursor), style="dim")]
    sel = view.selection
    if sel:
        lines.append(
            Text(
                _("selection [{start}, {end}) · {n} characters").format(
                    start=sel[0], end=sel[1], n=sel[1] - sel[0]
                )
            )
        )
    for s in view.spans_at(view.cursor):
        lines.append(
            Text.assemble(
                ("■ ", s.color),
                s.code,
                (f"  {s.coder}", "dim"),
                (f"  [{s.start}, {s.end})", "dim"),
            )
        )
        for title in memo_titles.get(s.id, []):
            lines.append(Text(_("   memo: {title}").format(title=title), style="italic"))
    here = {s.code_id for s in view.spans_at(view.cursor)}
    others = [s for s in view.codes_on_row(view.cursor) if s.code_id not in here]
    if others:
        lines.append(Text(_("also on this line:"), style="dim"))
        lines.extend(Text.assemble(("■ ", s.color), s.code) for s in others)
    if view.hovered:  # the stripe or margin under the mouse names its codes
        lines.append(Text(_("under the mouse:"), style="dim"))
        lines.extend(Text.assemble(("■ ", s.color), s.code) for s in view.hovered)
    if view.stripes:
        lines.append(Text(_("stripes, left to right:"), style="dim"))
        lines.extend(Text.assemble(("▌ ", s.color), s.code) for s in view.stripe_codes())
    return lines
