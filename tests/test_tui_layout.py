"""Row layout of the transcript viewer: rows cover the text exactly and fit the width."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from qcode.text import normalize
from qcode.text.offsets import grapheme_boundaries
from qcode.tui.layout import Layout, cell_width

PIECES = st.sampled_from(
    [
        "word ",
        "a",
        " ",
        "养老保险",
        "，",
        "👍🏽",
        "e\u0301",
        "🇨🇳",
        "\n",
        "\t",
        "longwordwithoutspaces",
    ]
)


@settings(max_examples=150)
@given(st.lists(PIECES, max_size=80).map("".join), st.integers(4, 40))
def test_rows_cover_every_line_and_fit(raw: str, width: int) -> None:
    text = normalize(raw)
    layout = Layout(text, width)
    bounds = set(grapheme_boundaries(text))
    rebuilt = []
    line: list[str] = []
    prev_end = None
    for a, b in layout.rows:
        assert a in bounds and b in bounds
        if prev_end is not None and a != prev_end:
            assert text[prev_end:a] == "\n"
            rebuilt.append("".join(line))
            line = []
        line.append(text[a:b])
        prev_end = b
        cells = sum(cell_width(c) for c in text[a:b])
        # a row overflows only when one grapheme is wider than the whole row
        assert cells <= width or len(text[a:b]) <= 8
    rebuilt.append("".join(line))
    assert "\n".join(rebuilt) == text
    for i, (a, _) in enumerate(layout.rows):
        assert layout.row_of(a) == i


def test_offsets_and_cells_round_trip() -> None:
    text = "受访者：太贵了 ok\nab👍🏽cd"
    layout = Layout(text, 40)
    assert layout.rows == [(0, 10), (11, 17)]
    assert layout.x_of(4) == 8  # four wide characters before it
    assert layout.offset_at(0, 8) == 4 and layout.offset_at(0, 9) == 4
    assert layout.offset_at(1, 3) == 13  # inside the emoji: its start
    assert layout.offset_at(1, 99) == 17


def test_a_long_text_is_laid_out_only_where_asked_and_the_same_as_laid_out_whole() -> None:
    import random

    rng = random.Random(3)
    lines = [
        "".join(
            rng.choice(["word ", "养老保险", "，", "👍🏽", "longwordwithoutspaces "])
            for _ in range(rng.randint(0, 60))
        )
        for _ in range(4_000)
    ]
    text = normalize("\n".join(lines))
    lazy = Layout(text, 50)
    assert not any(lazy.laid(i) for i in range(lazy.lines)), "opening wrapped lines"
    lazy.ensure(1_000, 1_040)  # one screen in the middle
    laid = [i for i in range(lazy.lines) if lazy.laid(i)]
    assert 0 < len(laid) <= 41 and laid == list(range(laid[0], laid[-1] + 1))
    whole = Layout(text, 50).rows
    assert lazy.rows == whole  # what is laid out later agrees with laying out everything
    for i in range(0, len(whole), 97):
        assert lazy.row(i) == whole[i] and lazy.row_of(whole[i][0]) == i


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 30), st.integers(1, 10)), max_size=40),
    st.integers(0, 45),
    st.integers(0, 30),
)
def test_span_drawn_finds_what_a_scan_finds(
    ranges: list[tuple[int, int]], span_id: int, start: int
) -> None:
    """The bisected look-up after applying a code answers as a scan of every span would."""
    from qcode.services.codings import Span
    from qcode.tui.widgets.rows import span_drawn

    spans = sorted(
        (Span(i, a, a + n, 1, "c", "#000000", "x") for i, (a, n) in enumerate(ranges)),
        key=lambda s: (s.start, -s.end, s.id),
    )
    scan = any(s.id == span_id and s.start == start for s in spans)
    assert span_drawn(spans, span_id, start) == scan
