"""Normalisation, grapheme snapping and offset conversion (property-based where it matters)."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from qcode.text import normalize, text_hash
from qcode.text.offsets import UnitIndex, grapheme_boundaries, snap_end, snap_range, snap_start

BREAKS = ["\r\n", "\r", "\n", "\u2028", "\u2029", "\u0085", "\v", "\f"]
PIECES = st.sampled_from(
    [
        "a",
        "Z",
        " ",
        "é",
        "e\u0301",
        "👍",
        "👍🏽",
        "🇨🇳",
        "👩‍👩‍👧",
        "养老",
        "保险",
        "。",
        "：",
        "\u0301",
        "ß",
        "ﬁ",
        "Å",
        "A\u030a",
        "\ufeff",
        *BREAKS,
    ]
)
TEXTS = st.lists(PIECES, max_size=40).map("".join)


def test_every_line_break_becomes_lf() -> None:
    raw = "a" + "b".join(BREAKS) + "c"
    assert normalize(raw) == "a" + "b".join(["\n"] * len(BREAKS)) + "c"
    assert normalize("x\r\n\r\ny") == "x\n\ny"  # CRLF is one break, not two


def test_nfc_and_bom() -> None:
    assert normalize("\ufeffe\u0301") == "é"
    assert normalize("Å") == "\u00c5"
    assert text_hash("é") == text_hash(normalize("e\u0301"))


@given(TEXTS)
def test_normalize_is_idempotent(raw: str) -> None:
    once = normalize(raw)
    assert normalize(once) == once
    assert unicodedata.is_normalized("NFC", once)
    assert not any(b in once for b in BREAKS if b != "\n")


@given(TEXTS, st.data())
def test_snapped_ranges_hold_whole_graphemes(raw: str, data: st.DataObject) -> None:
    text = normalize(raw)
    bounds = set(grapheme_boundaries(text))
    a = data.draw(st.integers(0, len(text)))
    b = data.draw(st.integers(a, len(text)))
    s, e = snap_range(text, a, b)
    assert s in bounds and e in bounds
    assert s <= a and e >= b
    # snapping is stable and slices agree with what a grapheme iterator sees
    assert snap_range(text, s, e) == (s, e)


def test_snap_examples() -> None:
    text = "ab👍🏽cd"
    assert snap_start(text, 3) == 2 and snap_end(text, 3) == 4
    flag = "x🇨🇳y"
    assert snap_range(flag, 2, 3) == (1, 3)
    combining = "cafe\u0301!"
    assert snap_end(combining, 4) == 5
    family = "👩‍👩‍👧"
    assert snap_range(family, 1, 2) == (0, len(family))


@given(TEXTS)
@settings(max_examples=200)
def test_utf16_and_utf8_offsets_round_trip(raw: str) -> None:
    text = normalize(raw)
    for unit, codec in (("utf-16", "utf-16-le"), ("utf-8", "utf-8")):
        idx = UnitIndex(text, unit)
        width = 2 if unit == "utf-16" else 1
        for cp in range(len(text) + 1):
            u = idx.to_units(cp)
            assert u == len(text[:cp].encode(codec)) // width
            assert idx.from_units(u) == cp


def test_offset_inside_surrogate_pair_rounds_down() -> None:
    idx = UnitIndex("a😀b", "utf-16")
    assert idx.to_units(2) == 3
    assert idx.from_units(2) == 1  # the low surrogate belongs to the emoji at code point 1


@given(TEXTS, st.data())
def test_offsets_survive_line_break_styles(raw: str, data: st.DataObject) -> None:
    """A span coded in text with LF breaks covers the same characters when the same transcript
    arrives with CRLF, CR or Unicode separators: the stored text is identical."""
    lf = normalize(raw)
    style = data.draw(st.sampled_from(BREAKS))
    variant = lf.replace("\n", style)
    assert normalize(variant) == lf
    assert normalize("\ufeff" + variant) == lf


@given(st.text(alphabet=st.characters(max_codepoint=0x3000), max_size=30))
@settings(max_examples=300)
def test_fast_boundary_test_agrees_with_the_grapheme_iterator(raw: str) -> None:
    from qcode.text.offsets import is_boundary_fast

    text = normalize(raw)
    bounds = set(grapheme_boundaries(text))
    for pos in range(len(text) + 1):
        if is_boundary_fast(text, pos):
            assert pos in bounds


def test_the_language_of_a_document_from_its_letters() -> None:
    from qcode.services.documents import detect_language

    cases = [
        ("Plain English, 2024.", "en", "en"),
        ("Plain English, 2024.", "zh", "en"),  # a Chinese project's English document
        ("Plain English, 2024.", "de", "de"),
        ("Café au lait, naïve.", "zh", "en"),
        ("Café au lait, naïve.", "fr", "fr"),
        ("我交养老保险，养老保险很贵。", "en", "zh"),
        ("R: 我交养老保险 and more English words to keep Han under a fifth here", "en", "en"),
        ("R: 我交养老保险 and more English words", "zh", "zh"),  # between 2 % and 20 %: as set
        ("", "zh", "en"),
    ]
    for text, default, want in cases:
        assert detect_language(text, default) == want, (text, default)
