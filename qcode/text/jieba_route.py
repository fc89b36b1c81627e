"""jieba's accurate mode (``cut(text)``, with its hidden Markov model for unknown words), the
same words in about half the time.

jieba finds the most probable way through a block of Han characters in two pure-Python passes:
``get_DAG`` lists, for every position, where the dictionary's words starting there end, then
``calc`` goes back over the block taking, for every position, the ``max`` of a generator of
(score, end) pairs, cutting each candidate word out of the text and looking it up again. That
was over 90% of the time of Chinese word frequencies. :func:`route` does both in one backward
pass over the block, each candidate looked up once, scored as it is found.

The result is jieba's to the bit: every score is the same floating-point sum in the same order
(``log(freq) - log(total) + best[end]``; ``-log(total) + best[k + 1]`` for a character that
starts no word), and ties go, as ``max`` over (score, end) gives them, to the longer word.
Outside the route everything is jieba's own: its block and skip expressions, its dictionary and
user words (``add_word``, ``FREQ``, ``total``) and its model for unknown words
(``jieba.finalseg``). Tests compare the words with jieba's ``Tokenizer.cut`` on the same
dictionary.

Only the default way of cutting is changed: full mode, no model or paddle go to jieba.
"""

from __future__ import annotations

from collections.abc import Iterator
from math import log
from typing import Any

import jieba
from jieba import finalseg

_NONE = float("-inf")


def route(freq: Any, total: float, block: str) -> list[int]:
    """For every position of ``block``, where the word that jieba's route starts there ends:
    the route is ``block[0:e[0]]``, then from ``e[0]`` on. ``freq`` is jieba's dictionary (a
    word's frequency; 0 for a prefix of words that is no word itself), ``total`` its sum."""
    get = freq.get
    logtotal = log(total)
    single = -logtotal
    n = len(block)
    best = [0.0] * (n + 1)
    end = list(range(1, n + 2))  # a character that starts no word is a word of its own
    for k in range(n - 1, -1, -1):
        top = _NONE
        i = k + 1
        f = get(block[k])
        while f is not None:  # block[k:i] is a word, or the start of one
            if f:
                score = log(f) - logtotal + best[i]
                if score >= top:  # a tie goes to the longer word, as max((score, end)) does
                    top = score
                    end[k] = i
            if i == n:
                break
            i += 1
            f = get(block[k:i])
        best[k] = top if top != _NONE else single + best[k + 1]
    return end


def _unknown(buf: str, freq: Any, out: list[str]) -> None:
    """Single characters left in a row by the route, as jieba gives them: one alone; a word of
    the dictionary split into its characters; otherwise as jieba's model of unknown words cuts
    them."""
    if len(buf) == 1:
        out.append(buf)
    elif not freq.get(buf):
        out.extend(finalseg.cut(buf))
    else:
        out.extend(buf)


def cut_block(seg: Any, block: str) -> list[str]:
    """jieba's ``__cut_DAG``: the words of one block of characters that jieba's expression
    ``re_han_default`` matches whole."""
    freq = seg.FREQ
    end = route(freq, seg.total, block)
    out: list[str] = []
    n = len(block)
    x = 0
    start = -1  # where the current run of single characters began
    while x < n:
        y = end[x]
        if y - x == 1:
            if start < 0:
                start = x
        else:
            if start >= 0:
                _unknown(block[start:x], freq, out)
                start = -1
            out.append(block[x:y])
        x = y
    if start >= 0:
        _unknown(block[start:], freq, out)
    return out


def cut(seg: Any, text: str) -> list[str]:
    """The words of ``text`` as ``seg.cut(text)`` (accurate mode with the model) gives them."""
    seg.check_initialized()
    han, skip = jieba.re_han_default, jieba.re_skip_default
    out: list[str] = []
    for blk in han.split(jieba.strdecode(text)):
        if not blk:
            continue
        if han.match(blk):
            out += cut_block(seg, blk)
        else:
            for x in skip.split(blk):
                if skip.match(x):
                    out.append(x)
                else:
                    out.extend(x)
    return out


class Tokenizer(jieba.Tokenizer):
    """A jieba tokenizer whose default ``cut`` (and so ``lcut`` and ``tokenize``) takes
    :func:`route`; any other mode is jieba's."""

    def cut(
        self, sentence: Any, cut_all: bool = False, HMM: bool = True, use_paddle: bool = False
    ) -> Iterator[str]:
        if cut_all or not HMM or use_paddle:
            return super().cut(sentence, cut_all, HMM, use_paddle)
        return iter(cut(self, sentence))
