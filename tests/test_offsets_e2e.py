"""End to end: whatever the file's line breaks, BOM and scripts, a coding's stored text is exactly
the slice of the stored document text, widened to whole graphemes."""

from __future__ import annotations

import codecs
import itertools
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qcode import Project
from qcode.text import normalize
from qcode.text.offsets import grapheme_boundaries

PIECES = st.sampled_from(
    [
        "Interviewer: ",
        "R: ",
        "受访者：",
        "word ",
        "养老保险",
        "。",
        "e\u0301",
        "👍🏽",
        "🇨🇳",
        "👩\u200d👩\u200d👧",
        "café",
        "\r\n",
        "\r",
        "\n",
        "\u2028",
        "\u2029",
        "\u0085",
        "\f",
        ". ",
    ]
)
COUNTER = itertools.count()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    pieces=st.lists(PIECES, min_size=3, max_size=60),
    bom=st.booleans(),
    utf16=st.booleans(),
    spans=st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1)), min_size=1, max_size=5),
)
def test_codings_slice_the_stored_text(
    project: Project,
    tmp_path: Path,
    pieces: list[str],
    bom: bool,
    utf16: bool,
    spans: list[tuple[float, float]],
) -> None:
    raw = "".join(pieces)
    if not normalize(raw).strip():
        return
    data = (
        (codecs.BOM_UTF16_LE + raw.encode("utf-16-le"))
        if utf16
        else ((codecs.BOM_UTF8 if bom else b"") + raw.encode("utf-8"))
    )
    f = tmp_path / f"doc{next(COUNTER)}.txt"
    f.write_bytes(data)
    result = project.documents.import_files([f], allow_duplicates=True)
    name = result.imported[0].name
    text = project.documents.text(name)
    assert text == normalize(raw)
    bounds = set(grapheme_boundaries(text))
    project.codes.add(name)
    for a, b in spans:
        start, end = sorted((int(a * len(text)), int(b * len(text))))
        if start == end:
            continue
        try:
            c = project.codings.apply(name, start, end, name)
        except Exception as exc:  # the same snapped range twice is refused, nothing else
            assert "already coded" in str(exc)
            continue
        assert c.start <= start and c.end >= end
        assert c.start in bounds and c.end in bounds
        assert c.text == text[c.start : c.end]
    for row in project.codings.list(document=name):
        assert row.text == text[row.start : row.end]


def test_positions_in_a_plain_text_map_as_the_general_way_maps_them() -> None:
    """ForeignText maps positions of a text with nothing to move (no BOM, CRLF, decomposed
    accent or joining character) at once; every range comes out as the general path gives it."""
    from qcode.text.foreign import ForeignText

    texts = [
        "Plain words, numbers 12 and\nlines.",
        "社保很贵, 我交养老保险\n",
        "café au lait\n",  # composed: plain
        "x",
    ]
    for raw in texts:
        for units in ("codepoints", "utf16"):
            fast = ForeignText(raw, units)
            assert fast._plain
            slow = ForeignText(raw, units)
            slow._plain = False
            for a, b in itertools.product(range(-2, len(raw) + 3), repeat=2):
                assert fast.range(a, b) == slow.range(a, b), (raw, units, a, b)
    for raw in ("cafe\u0301", "a\r\nb", "a\ufeffb", "👍🏽 ok", "R: 👩‍👩‍👧", "e\u200db"):
        assert not ForeignText(raw, "utf16")._plain, raw
