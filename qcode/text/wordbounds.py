"""Where words begin and end, for moving and selecting by word in a viewer.

A word is a run of letters, digits and marks (``\\w``); a run of Han characters is cut into words
by jieba, with the project's word list when it has one, so that a Chinese sentence is crossed word
by word rather than clause by clause. Spaces and punctuation belong to no word, so a selection
made of words never starts or ends with a space.
"""

from __future__ import annotations

import logging
import threading
from functools import lru_cache
from typing import Any

import regex

_WORD = regex.compile(r"\w+")
_HAN = regex.compile(r"\p{Han}+")
_LOCK = threading.Lock()


@lru_cache(maxsize=4)
def han_segmenter(userdict: str | None = None) -> Any:
    """A jieba tokenizer knowing the words of ``userdict``, with its dictionary loaded (which
    takes about a second the first time: call this off the UI thread before it is needed)."""
    import jieba

    from qcode.text.jieba_route import Tokenizer
    from qcode.text.tokens import load_userdict

    jieba.setLogLevel(logging.WARNING)
    with _LOCK:
        seg = Tokenizer()
        seg.initialize()
        if userdict:
            for w in load_userdict(userdict):
                seg.add_word(w)
    return seg


class WordBounds:
    """Word boundaries of a text, Han runs cut by ``segmenter`` (``None``: each run is one
    word, as before the segmenter is loaded)."""

    def __init__(self, segmenter: Any = None) -> None:
        self.segmenter = segmenter

    def words(self, text: str, lo: int, hi: int) -> list[tuple[int, int]]:
        """The words of ``text[lo:hi]`` as ``(start, end)``, in order."""
        out: list[tuple[int, int]] = []
        for m in _WORD.finditer(text, lo, hi):
            a, b = m.span()
            if self.segmenter is None or not _HAN.search(text, a, b):
                out.append((a, b))
                continue
            pos = a
            for h in _HAN.finditer(text, a, b):
                if h.start() > pos:
                    out.append((pos, h.start()))
                for _w, s, e in self.segmenter.tokenize(h.group()):
                    out.append((h.start() + s, h.start() + e))
                pos = h.end()
            if pos < b:
                out.append((pos, b))
        return out

    def _window(self, text: str, cur: int) -> tuple[int, int]:
        return max(0, cur - 400), min(len(text), cur + 400)

    def right(self, text: str, cur: int) -> int:
        """The end of the word at or after ``cur``."""
        lo, hi = self._window(text, cur)
        while True:
            for _a, b in self.words(text, lo, hi):
                if b > cur:
                    return b
            if hi >= len(text):
                return len(text)
            lo, hi = hi, min(len(text), hi + 4000)

    def left(self, text: str, cur: int) -> int:
        """The start of the word before or at ``cur``."""
        lo, hi = self._window(text, cur)
        while True:
            starts = [a for a, _ in self.words(text, lo, min(hi, cur)) if a < cur]
            if starts and (starts[-1] > lo or lo == 0):
                return starts[-1]
            if lo == 0:
                return 0
            lo = max(0, lo - 4000)

    def at(self, text: str, offset: int) -> tuple[int, int] | None:
        """The word covering ``offset``, if any."""
        lo, hi = self._window(text, offset)
        for a, b in self.words(text, lo, hi):
            if a <= offset < b:
                return a, b
        return None
