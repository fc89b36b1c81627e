"""The transcript viewer: a Line-API scroll view over a document's stored text.

It draws only the rows on screen, from a cache of rendered rows, so its cost per key press does
not grow with the document. Its interface is small: :meth:`load` a text with its codings and
units, :attr:`selection` / :attr:`cursor` (code-point offsets), :meth:`select`, :meth:`set_spans`,
:meth:`scroll_to_offset`. Every selection it reports is snapped to whole graphemes.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.color import Color
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from qcode.i18n import N_, _
from qcode.services.codings import Span
from qcode.text.offsets import snap_end, snap_start
from qcode.text.wordbounds import WordBounds
from qcode.tui.layout import Layout, cell_width, display
from qcode.tui.widgets.rows import Hits, Unit, margin_segments, trim_spaces, turn_labels

MARGIN = 26
NARROW = 64  # a view narrower than this drops the margin (the cursor's details still list codes)
STRIPES = 8  # coding stripes: at most this many columns, one per code in view


class TranscriptView(ScrollView, can_focus=True):
    """Stored text with coded spans highlighted, a cursor and a selection."""

    DEFAULT_CSS = """
    TranscriptView {
        background: $surface;
        color: $foreground;
    }
    TranscriptView > .transcript--selection { background: $primary 60%; }
    TranscriptView > .transcript--cursor { background: $accent; color: $background; }
    TranscriptView > .transcript--speaker { color: $text-secondary; text-style: bold; }
    TranscriptView > .transcript--margin { color: $text-muted; }
    TranscriptView > .transcript--hit { background: $warning 70%; color: $background; }
    """
    COMPONENT_CLASSES = {
        "transcript--selection",
        "transcript--cursor",
        "transcript--speaker",
        "transcript--margin",
        "transcript--hit",
    }
    BINDINGS = [
        Binding("left", "move('left')", N_("left"), show=False),
        Binding("right", "move('right')", N_("right"), show=False),
        Binding("up", "move('up')", N_("up"), show=False),
        Binding("down", "move('down')", N_("down"), show=False),
        Binding("home", "move('home')", N_("home"), show=False),
        Binding("end", "move('end')", N_("end"), show=False),
        Binding("pageup", "move('pageup')", N_("page up"), show=False),
        Binding("pagedown", "move('pagedown')", N_("page down"), show=False),
        Binding("ctrl+left", "move('wordleft')", N_("word left"), show=False),
        Binding("ctrl+right", "move('wordright')", N_("word right"), show=False),
        Binding("shift+left", "move('left', True)", N_("extend left"), show=False),
        Binding("shift+right", "move('right', True)", N_("extend right"), show=False),
        Binding("shift+up", "move('up', True)", N_("extend up"), show=False),
        Binding("shift+down", "move('down', True)", N_("extend down"), show=False),
        Binding("shift+home", "move('home', True)", N_("extend to row start"), show=False),
        Binding("shift+end", "move('end', True)", N_("extend to row end"), show=False),
        Binding(
            "ctrl+shift+left",
            "move('wordleft', True)",
            N_("extend word left"),
            show=False,
            id="extend_word_left",
        ),
        Binding(
            "ctrl+shift+right",
            "move('wordright', True)",
            N_("extend word right"),
            show=False,
            id="extend_word_right",
        ),
        Binding(
            "escape", "clear_selection", N_("clear selection"), show=False, id="clear_selection"
        ),
        Binding(
            "s",
            "select_unit('sentence')",
            N_("sentence"),
            tooltip=N_("Select the sentence"),
            id="select_sentence",
        ),
        Binding(
            "t",
            "select_unit('turn')",
            N_("turn"),
            tooltip=N_("Select the speaker turn"),
            id="select_turn",
        ),
    ]

    class CursorMoved(Message):
        """The cursor or the selection changed."""

        def __init__(self, view: TranscriptView) -> None:
            super().__init__()
            self.view = view

    class Hovered(Message):
        """The mouse moved onto (or off) the codes of a stripe or of a row's margin."""

        def __init__(self, view: TranscriptView) -> None:
            super().__init__()
            self.view = view

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.text = ""
        self.spans: list[Span] = []
        self.units: dict[str, list[Unit]] = {}
        self._unit_starts: dict[str, list[int]] = {}  # each kind's unit starts, for bisect
        self._layout: Layout | None = None
        self._line_spans: list[list[Span]] = []  # the codings on each line of the layout
        self._row_span_cache: LRUCache[int, list[Span]] = LRUCache(1024)  # by row start
        self._turn_labels: dict[int, int] = {}
        self._cache: LRUCache[int, Strip] = LRUCache(2048)  # rendered rows, by row start
        self.cursor = 0
        self.mark: int | None = None
        self._goal_x: int | None = None
        self._dragging = False
        self.words = WordBounds()
        self.hits = Hits(())
        self.stripes = False
        self._stripe_gen = 0
        self._stripe_key: tuple[int, int, int] | None = None
        self._stripe_columns: list[Span] = []
        self._hit_starts: list[int] = []
        self.hovered: list[Span] = []  # the codes of the stripe or margin under the mouse

    # -- the interface -------------------------------------------------------------------------
    def load(
        self,
        text: str,
        spans: Sequence[Span],
        units: dict[str, list[Unit]],
        cursor: int = 0,
        prepared: tuple[Layout, dict[int, int]] | None = None,
    ) -> None:
        """Show ``text``; ``prepared`` (from :func:`prepare`, made off the UI thread for the
        width the view has now) saves laying the whole text out here."""
        self.text = text
        self.units = units
        self._unit_starts.clear()
        if prepared is not None and prepared[0].text is text:
            self._layout, self._turn_labels = prepared
        else:
            self._layout, self._turn_labels = None, turn_labels(text, units.get("turn", []))
        self.cursor = min(max(cursor, 0), len(text))
        self.mark = None
        self.set_spans(spans)
        self._relayout()
        self.scroll_to_offset(self.cursor, center=True)
        self.call_after_refresh(self._recentre)  # scrolling clamps to the old height till then

    def _recentre(self, tries: int = 8) -> None:
        """The cursor in view, looked for again for a few refreshes (the height may come late)."""
        row = self._layout.row_of(self.cursor) if self._layout is not None else 0
        top, height = int(self.scroll_y), self.scrollable_content_region.height
        if tries and not top <= row < top + height:
            self.scroll_to_offset(self.cursor, center=True)
            self.call_after_refresh(self._recentre, tries - 1)

    @property
    def turn_labels(self) -> dict[int, int]:
        """Where each speaker label starts -> where it ends."""
        return self._turn_labels

    @property
    def selection(self) -> tuple[int, int] | None:
        """The selected ``[start, end)``, or ``None``."""
        if self.mark is None or self.mark == self.cursor:
            return None
        a, b = sorted((self.mark, self.cursor))
        return snap_start(self.text, a), snap_end(self.text, b)

    def select(self, start: int, end: int) -> None:
        start, end = sorted((max(0, start), min(len(self.text), end)))
        self._set(snap_end(self.text, end), snap_start(self.text, start))
        self.scroll_to_offset(start)

    def set_hits(self, hits: Sequence[tuple[int, int]]) -> None:
        """Search hits to highlight (``(start, end)``, any order)."""
        self.hits = Hits(hits)
        self._cache.clear()
        self.refresh()

    def jump_hit(self, step: int) -> bool:
        """Select the next (``step`` 1) or previous (-1) hit from the cursor, wrapping; returns
        whether it wrapped."""
        if not self.hits:
            return False
        sel = self.selection
        target, wrapped = self.hits.next_from(sel[0] if sel else self.cursor, step)
        self.select(*target)
        return wrapped

    def set_spans(self, spans: Sequence[Span]) -> None:
        self.spans = sorted(spans, key=lambda s: (s.start, -s.end, s.id))
        self._index_spans()
        self._cache.clear()
        self.refresh()

    def add_span(self, span: Span) -> None:
        """Draw one more coding, touching only the rows it covers."""
        key = (span.start, -span.end, span.id)
        at = bisect.bisect(self.spans, key, key=lambda s: (s.start, -s.end, s.id))
        self.spans.insert(at, span)
        self._reindex_rows_of(span)

    def remove_span(self, span_id: int) -> None:
        gone = [s for s in self.spans if s.id == span_id]
        self.spans = [s for s in self.spans if s.id != span_id]
        for span in gone:
            self._reindex_rows_of(span)

    def _reindex_rows_of(self, span: Span) -> None:
        """Index again the lines ``span`` covers and drop their drawn rows."""
        if self._layout is None:
            return
        lo, hi = self._lines_of(span)
        a, b = self._layout.line(lo)[0], self._layout.line(hi)[1]
        near = [s for s in self.spans if s.start <= b and max(s.start, s.end - 1) >= a]
        for i in range(lo, hi + 1):
            self._line_spans[i] = []
        for s in near:
            x, y = self._lines_of(s)
            for i in range(max(lo, x), min(hi, y) + 1):
                self._line_spans[i].append(s)
        self._row_span_cache.clear()
        if hi - lo > 200:
            self._cache.clear()
        else:
            self._drop_rows(a, b)
        self._stripe_gen += 1
        self.refresh()

    def _drop_rows(self, a: int, b: int) -> None:
        """Forget the drawn rows that start in ``[a, b]``."""
        keys = self._cache.keys()
        for key in [k for k in keys if a <= k <= b]:
            self._cache.discard(key)

    def _lines_of(self, span: Span) -> tuple[int, int]:
        assert self._layout is not None
        line_of = self._layout.line_of
        return line_of(span.start), line_of(max(span.start, span.end - 1))

    def _row_spans(self, row: int) -> list[Span]:
        """The codings drawn on ``row`` (those holding a character of it, or starting on it)."""
        assert self._layout is not None
        a, b = self._layout.row(row)
        found = self._row_span_cache.get(a)
        if found is None:
            line = self._layout.line_of(a)
            last = b == self._layout.line(line)[1]  # the row's end is its line's end
            found = [
                s
                for s in self._line_spans[line]
                if (s.start <= b if last else s.start < b) and max(s.start, s.end - 1) >= a
            ]
            self._row_span_cache[a] = found
        return found

    def scroll_to_offset(self, offset: int, center: bool = False) -> None:
        if self._layout is None:
            return
        height = max(1, self.scrollable_content_region.height)
        self._layout.ensure_around(offset, height, height)
        self._sync_height()
        row = self._layout.row_of(offset)
        top = int(self.scroll_y)
        if center:
            self.scroll_to(y=max(0, row - height // 2), animate=False)
        elif row < top:
            self.scroll_to(y=row, animate=False)
        elif row >= top + height:
            self.scroll_to(y=row - height + 1, animate=False)

    def spans_at(self, offset: int) -> list[Span]:
        """Codings covering ``offset`` (or ending just at it, when nothing covers it)."""
        if self._layout is None:
            return []
        spans = self._row_spans(self._layout.row_of(offset))
        inside = [s for s in spans if s.start <= offset < s.end]
        return inside or [s for s in spans if s.end == offset]

    # -- layout and indexing -------------------------------------------------------------------
    @property
    def text_width(self) -> int:
        return max(10, self.scrollable_content_region.width - self.margin_width - self.stripe_width)

    @property
    def margin_width(self) -> int:
        return MARGIN if self.scrollable_content_region.width >= NARROW else 0

    @property
    def stripe_width(self) -> int:
        """Cells of the coding stripes on the left (0 while they are off)."""
        return STRIPES + 1 if self.stripes else 0

    def toggle_stripes(self) -> None:
        self.stripes = not self.stripes
        self._layout = None
        self._relayout()
        self.scroll_to_offset(self.cursor)

    def stripe_codes(self) -> list[Span]:
        """One coding of each code present in view, in order of first appearance: the columns
        of the stripes (at most :data:`STRIPES`)."""
        if self._layout is None:
            return []
        top = int(self.scroll_y)
        key = (top, self.scrollable_content_region.height, self._stripe_gen)
        if self._stripe_key == key:
            return self._stripe_columns
        seen: dict[int, Span] = {}
        for r in range(top, min(len(self._layout), top + self.scrollable_content_region.height)):
            for sp in self._row_spans(r):
                seen.setdefault(sp.code_id, sp)
        self._stripe_key, self._stripe_columns = key, list(seen.values())[:STRIPES]
        return self._stripe_columns

    def _gutter(self, row: int, columns: list[Span], base: Style) -> list[Segment]:
        assert self._layout is not None
        here = {sp.code_id for sp in self._row_spans(row)} if row < len(self._layout) else set()
        out = [
            Segment("▌", base + Style(color=c.color)) if c.code_id in here else Segment(" ", base)
            for c in columns
        ]
        out.append(Segment(" " * (self.stripe_width - len(columns)), base))
        return out

    def _relayout(self) -> None:
        width = self.text_width
        if (
            self._layout is None
            or self._layout.width != width
            or self._layout.text is not self.text
        ):
            self._layout = Layout(self.text, width)
            self._index_spans()
            self._cache.clear()
        self._sync_height()
        self.refresh()

    def _sync_height(self) -> None:
        """The scrollable height: the rows counted so far (exact where laid out). A new height
        lays the whole screen out again, so one within 1% of the last is kept until the view
        comes near the end, where the exact count matters (the scrollbar's place is an estimate
        anyway while lines are still counted, not laid out)."""
        if self._layout is None:
            return
        width = self._layout.width + self.margin_width + self.stripe_width
        rows, old = len(self._layout), self.virtual_size
        if old.width == width and old.height and abs(rows - old.height) * 100 <= old.height:
            height = max(1, self.scrollable_content_region.height)
            if int(self.scroll_y) + 3 * height < min(rows, old.height):
                return
        if Size(width, rows) != old:
            self.virtual_size = Size(width, rows)

    def _index_spans(self) -> None:
        if self._layout is None:
            return
        lines: list[list[Span]] = [[] for _ in range(self._layout.lines)]
        line_of = self._layout.line_of
        for s in self.spans:
            for i in range(line_of(s.start), line_of(max(s.start, s.end - 1)) + 1):
                lines[i].append(s)
        self._line_spans = lines
        self._row_span_cache.clear()
        self._cache.clear()
        self._stripe_gen += 1

    def on_resize(self, _event: events.Resize) -> None:
        self._relayout()
        self.scroll_to_offset(self.cursor)

    # -- drawing -------------------------------------------------------------------------------
    def render_lines(self, crop: Region) -> list[Strip]:
        self._lay_out_view()
        return super().render_lines(crop)

    def _lay_out_view(self) -> None:
        """Lay out the lines in view before drawing them. A line laid out above the first
        row already drawn moves it: the view moves with it, so what was shown stays put."""
        layout = self._layout
        if layout is None:
            return
        top, height = int(self.scroll_y), max(1, self.scrollable_content_region.height)
        anchor = None
        for y in range(min(height, max(0, len(layout) - top))):
            line = layout.line_of_row(top + y)
            if layout.laid(line):
                anchor = (layout.row(top + y)[0], y)
                break
        if not layout.ensure(top, top + height):
            return
        self._stripe_gen += 1
        self._sync_height()
        if anchor is not None:
            new_top = max(0, layout.row_of(anchor[0]) - anchor[1])
            if new_top != top:
                self.set_scroll(None, new_top)
                layout.ensure(new_top, new_top + height)
                self._sync_height()

    def render_line(self, y: int) -> Strip:
        row = int(self.scroll_y) + y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if self._layout is None or row >= len(self._layout):
            return Strip.blank(width, base)
        widths = (self._layout.width, self.text_width)
        if widths[0] != widths[1] and getattr(self, "_relaid", None) != widths:
            # the region changed without a resize (a scrollbar came): lay out again, once
            self._relaid = widths
            self.call_after_refresh(self._relayout)
        key = self._layout.row(row)[0]
        strip = self._cache.get(key)
        if strip is None:
            strip = self._render_row(row, base)
            self._cache[key] = strip
        if self.stripes:
            strip = Strip.join([Strip(self._gutter(row, self.stripe_codes(), base)), strip])
        return strip.crop_extend(0, width, base)

    def _render_row(self, row: int, base: Style) -> Strip:
        assert self._layout is not None
        a, b = self._layout.row(row)
        text = self.text
        spans = self._row_spans(row)
        sel = self.selection
        cur = self.cursor
        cur_end = snap_end(text, cur + 1) if cur < len(text) else cur
        cuts = {a, b}
        for s in spans:
            cuts.update(p for p in (s.start, s.end) if a < p < b)
        if sel:
            cuts.update(p for p in sel if a < p < b)
        if a <= cur < b:
            cuts.update((cur, cur_end))
        label_end = self._turn_labels.get(a)
        if label_end:
            cuts.add(min(label_end, b))
        hits = self.hits.within(a, b) if self.hits else []
        for h in hits:
            cuts.update(x for x in h if a < x < b)
        points = sorted(p for p in cuts if a <= p <= b)
        sel_style = self.get_component_rich_style("transcript--selection", partial=True)
        cur_style = self.get_component_rich_style("transcript--cursor", partial=True)
        speaker_style = self.get_component_rich_style("transcript--speaker", partial=True)
        hit_style = self.get_component_rich_style("transcript--hit", partial=True)
        bg = Color.from_rich_color(base.bgcolor) if base.bgcolor else Color(0, 0, 0)
        segments: list[Segment] = []
        for p, q in zip(points, points[1:], strict=False):
            if p == q:
                continue
            style = base
            covering = [s for s in spans if s.start <= p < s.end]
            if covering:
                top = covering[-1]
                tint = Color.parse(top.color).blend(bg, 0.55)
                style = style + Style(bgcolor=tint.rich_color)
                if len(covering) > 1:
                    style = style + Style(underline=True, bold=True)
            if label_end and p < label_end:
                style = style + speaker_style
            if hits and any(h[0] <= p < h[1] for h in hits):
                style = style + hit_style
            if sel and sel[0] <= p < sel[1]:
                style = style + sel_style
            if p == cur and self.has_focus:
                style = style + cur_style
            segments.append(Segment(display(text[p:q]), style))
        used = sum(cell_width(c) for c in text[a:b])
        if used > self.text_width:  # the space a row wraps after hangs past its width: not drawn
            used -= trim_spaces(segments, used - self.text_width)
        trailing_cursor = self.has_focus and cur == b and (b == len(text) or text[b] == "\n")
        if trailing_cursor:
            segments.append(Segment(" ", base + cur_style))
            used += 1
        pad = max(0, self.text_width - used)
        if pad:
            segments.append(Segment(" " * pad, base))
        segments.extend(self._margin(spans, base))
        return Strip(segments)

    def _margin(self, spans: list[Span], base: Style) -> list[Segment]:
        if self.margin_width == 0:
            return []
        style = self.get_component_rich_style("transcript--margin", partial=True)
        return margin_segments(spans, self.margin_width, base, style)

    def codes_on_row(self, offset: int) -> list[Span]:
        """One coding of each code on the row showing ``offset``, as the margin lists them."""
        if self._layout is None:
            return []
        seen: dict[int, Span] = {}
        for s in self._row_spans(self._layout.row_of(offset)):
            seen.setdefault(s.code_id, s)
        return list(seen.values())

    # -- cursor and selection ------------------------------------------------------------------
    def _set(self, cursor: int, anchor: int | None, keep_goal: bool = False) -> None:
        old = (self.cursor, self.mark)
        self.cursor = min(max(cursor, 0), len(self.text))
        self.mark = anchor
        if not keep_goal:
            self._goal_x = None
        if (self.cursor, self.mark) != old and self._layout is not None:
            touched = [o for o in (*old, self.cursor, self.mark) if o is not None]
            a = self._layout.row(self._layout.row_of(min(touched)))[0]
            b = self._layout.row(self._layout.row_of(max(touched)))[1]
            self._drop_rows(a, b)
            self.refresh()
            self.post_message(self.CursorMoved(self))

    def action_move(self, where: str, extend: bool = False) -> None:
        if self._layout is None:
            return
        text, layout, cur = self.text, self._layout, self.cursor
        anchor = (self.mark if self.mark is not None else cur) if extend else None
        keep_goal = False
        if where == "left":
            new = snap_start(text, cur - 1) if cur > 0 else 0
        elif where == "right":
            new = snap_end(text, cur + 1) if cur < len(text) else cur
        elif where in ("up", "down", "pageup", "pagedown"):
            step = {"up": -1, "down": 1}.get(where) or (
                max(1, self.scrollable_content_region.height - 1) * (-1 if where == "pageup" else 1)
            )
            layout.ensure_around(cur, max(0, -step), max(0, step))  # exact rows to count on
            if self._goal_x is None:
                self._goal_x = layout.x_of(cur)
            new = layout.offset_at(layout.row_of(cur) + step, self._goal_x)
            keep_goal = True
        elif where == "home":
            new = layout.row(layout.row_of(cur))[0]
        elif where == "end":
            new = layout.row(layout.row_of(cur))[1]
        elif where == "wordleft":
            new = self.words.left(text, cur)
        else:  # wordright
            new = self.words.right(text, cur)
        if extend and where.startswith("word") and anchor is not None:
            # a selection made by words starts and ends on a word, never on a space
            while anchor < new and text[anchor].isspace():
                anchor += 1
            while anchor > new and text[anchor - 1].isspace():
                anchor -= 1
        self._set(new, anchor, keep_goal)
        self.scroll_to_offset(self.cursor)

    def action_clear_selection(self) -> None:
        self._set(self.cursor, None)

    def add_units(self, units: dict[str, list[Unit]]) -> None:
        """Units read after the text was shown (sentences and paragraphs of a long text)."""
        self.units = {**self.units, **units}
        self._unit_starts.clear()

    def unit_at(self, kind: str, offset: int) -> Unit | None:
        if offset == len(self.text) > 0:  # the cursor after the last character: the last unit
            offset -= 1
        units = self.units.get(kind, [])
        starts = self._unit_starts.get(kind)
        if starts is None:
            starts = self._unit_starts[kind] = [u.start for u in units]
        i = bisect.bisect_right(starts, offset) - 1
        if i >= 0 and units[i].start <= offset < max(units[i].end, units[i].start + 1):
            return units[i]
        return None

    def action_select_unit(self, kind: str) -> None:
        if kind not in self.units:
            self.notify(_("still reading this document's units; try again in a moment"))
            return
        unit = self.unit_at(kind, self.cursor)
        if unit is None:
            none_here = {
                "sentence": _("no sentence here"),
                "turn": _("no speaker turn here"),
                "paragraph": _("no paragraph here"),
            }
            self.notify(none_here.get(kind, _("no such unit here")), severity="warning")
            return
        self._set(unit.end, unit.start)

    def select_word_at(self, offset: int) -> None:
        word = self.words.at(self.text, offset)
        if word is not None:
            self._set(word[1], word[0])

    # -- mouse ---------------------------------------------------------------------------------
    def _offset_at_event(self, event: events.MouseEvent) -> int | None:
        if self._layout is None:
            return None
        offset = event.get_content_offset(self)
        if offset is None:
            return None
        x, y = offset
        x = max(0, x - self.stripe_width)
        return self._layout.offset_at(int(self.scroll_y) + y, min(x, self.text_width))

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if event.button != 1:
            return
        pos = self._offset_at_event(event)
        if pos is None:
            return
        self.focus()
        if event.shift:
            self._set(pos, self.mark if self.mark is not None else self.cursor)
        else:
            self._set(pos, pos)
        self._dragging = True
        self.capture_mouse()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._dragging:
            pos = self._offset_at_event(event)
            if pos is not None:
                self._set(pos, self.mark)
            return
        offset = event.get_content_offset(self)
        self._hover(self.codes_at_cell(*offset) if offset is not None else [])

    def on_leave(self, _event: events.Leave) -> None:
        self._hover([])

    def codes_at_cell(self, x: int, y: int) -> list[Span]:
        """The codes named by what is drawn at cell ``(x, y)`` of the view: a stripe's code, or
        every code of a row's margin (one coding of each); none over the text."""
        if self._layout is None:
            return []
        row = int(self.scroll_y) + y
        if row >= len(self._layout):
            return []
        if x < self.stripe_width:
            columns = self.stripe_codes()
            here = {s.code_id for s in self._row_spans(row)}
            return [columns[x]] if x < len(columns) and columns[x].code_id in here else []
        if self.margin_width and x >= self.stripe_width + self.text_width:
            seen: dict[int, Span] = {}
            for s in self._row_spans(row):
                seen.setdefault(s.code_id, s)
            return list(seen.values())
        return []

    def _hover(self, spans: list[Span]) -> None:
        if [s.code_id for s in spans] != [s.code_id for s in self.hovered]:
            self.hovered = spans
            self.tooltip = "\n".join(s.code for s in spans) or None
            self.post_message(self.Hovered(self))

    def on_mouse_up(self, _event: events.MouseUp) -> None:
        if self._dragging:
            self._dragging = False
            self.release_mouse()
            if self.mark == self.cursor:
                self._set(self.cursor, None)

    def on_click(self, event: events.Click) -> None:
        pos = self._offset_at_event(event)
        if pos is None:
            return
        if event.chain == 2:
            self.select_word_at(pos)
        elif event.chain >= 3:
            self.cursor = pos
            self.action_select_unit("sentence")

    def _repaint_cursor_row(self) -> None:
        """The cursor is drawn only while focused: repaint just its row."""
        if self._layout is not None:
            self._cache.discard(self._layout.row(self._layout.row_of(self.cursor))[0])
            self.refresh()

    def on_focus(self) -> None:
        self._repaint_cursor_row()

    def on_blur(self) -> None:
        self._repaint_cursor_row()
