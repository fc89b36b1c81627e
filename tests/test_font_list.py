"""A font installed after matplotlib first listed the fonts (say fonts-noto-cjk after a figure
had warned of boxes) is found, and the list is saved again with it."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path

import matplotlib
import pytest
from matplotlib import font_manager

from qcode.analysis import figures


@pytest.fixture
def fresh_font_choice() -> Iterator[None]:
    figures._installed.cache_clear()
    yield
    figures._installed.cache_clear()


def test_a_cjk_font_installed_since_the_font_list_was_made_is_used(
    fresh_font_choice: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    real = font_manager.fontManager
    cjk_files = {f.fname for f in real.ttflist if f.name in figures.CJK_FONTS}
    if not cjk_files:
        pytest.skip("no font with Han characters on this machine")
    stale = copy.copy(real)  # the list as matplotlib saved it before the font was installed
    stale.ttflist = [f for f in real.ttflist if f.fname not in cjk_files]
    monkeypatch.setattr(font_manager, "fontManager", stale)
    monkeypatch.setattr(matplotlib, "get_cachedir", lambda: str(tmp_path))
    family = figures._fonts()
    assert family[0] == "DejaVu Sans" and family[1] in figures.CJK_FONTS
    saved = list(tmp_path.glob("fontlist-v*.json"))
    assert len(saved) == 1
    names = {f["name"] for f in json.loads(saved[0].read_text(encoding="utf-8"))["ttflist"]}
    assert family[1] in names


def test_nothing_is_saved_when_no_font_is_new(
    fresh_font_choice: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    real = font_manager.fontManager
    kept = copy.copy(real)
    kept.ttflist = [f for f in real.ttflist if f.name not in figures.CJK_FONTS]
    known = {f.fname for f in kept.ttflist}
    monkeypatch.setattr(font_manager, "fontManager", kept)
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *a, **k: sorted(known))
    monkeypatch.setattr(matplotlib, "get_cachedir", lambda: str(tmp_path))
    assert figures._fonts() == ["DejaVu Sans"]
    assert not list(tmp_path.glob("fontlist-v*.json"))
