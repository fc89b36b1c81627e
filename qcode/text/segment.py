"""Segmentation of normalised text into units: paragraphs, speaker turns and sentences.

All units are half-open code-point ranges into the normalised text, trimmed of surrounding
white space. They are computed once at import and stored; co-occurrence and agreement count in them.

- A *paragraph* is a non-blank line (text between two line feeds), as NVivo and QualCoder count
  paragraphs in plain text.
- A *speaker turn* starts at a line that opens with a speaker label (``Interviewer:``, ``W07:``,
  ``Mrs Wang:``, ``受访者：`` ...) and runs to the last non-blank line before the next labelled
  line. Text before the first label belongs to no turn. Which labels count is decided in
  :mod:`qcode.text.speakers`.
- *Sentences* come from a blank spaCy pipeline with the rule-based sentencizer, run on each
  paragraph after its speaker label. A paragraph that contains Han characters goes through the
  Chinese pipeline (one token per character, so 。！？ end sentences even without spaces); any other
  paragraph through the document's language (English when that language is Chinese).
  The sentencizer's rule is applied to tokens found without a ``Doc`` per paragraph
  (``_fast_sentences``), with the same result.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import regex

from qcode.text.speakers import (
    DEFAULT_SPEAKER_PATTERNS,
    SpeakerRule,
    compile_speaker_patterns,
    find_labels,
)

UNIT_KINDS = ("paragraph", "turn", "sentence", "page")
_HAN = regex.compile(r"\p{Han}")


@dataclass(frozen=True, slots=True)
class Unit:
    kind: str
    start: int
    end: int
    speaker: str | None = None


def _lines(text: str) -> Iterable[tuple[int, int]]:
    """(start, end) of each line, without its line feed."""
    pos = 0
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        if nl < 0:
            yield pos, n
            return
        yield pos, nl
        pos = nl + 1


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def paragraphs(text: str) -> list[Unit]:
    out = []
    for s, e in _lines(text):
        s, e = _strip(text, s, e)
        if s < e:
            out.append(Unit("paragraph", s, e))
    return out


def turns_and_labels(
    text: str,
    paras: Sequence[Unit],
    rules: Sequence[SpeakerRule],
    known_speakers: Sequence[str] = (),
) -> tuple[list[Unit], dict[int, int]]:
    """Speaker turns, and for each labelled paragraph (by start) where its content begins. A
    turn runs from its label to the last paragraph before the next label."""
    labels = find_labels(text, [(p.start, p.end) for p in paras], rules, known_speakers)
    out: list[Unit] = []
    content_start: dict[int, int] = {}
    current: tuple[str, int, int] | None = None
    for p in paras:
        lab = labels.get(p.start)
        if lab is not None:
            if current is not None:
                out.append(Unit("turn", current[1], current[2], current[0]))
            speaker, after = lab
            content_start[p.start] = after
            current = (speaker, p.start, p.end)
        elif current is not None:
            current = (current[0], current[1], p.end)
    if current is not None:
        out.append(Unit("turn", current[1], current[2], current[0]))
    return out, content_start


@lru_cache(maxsize=8)
def sentence_pipeline(language: str) -> Any:
    """A blank spaCy pipeline with the rule-based sentencizer for ``language``."""
    import spacy

    try:
        nlp = spacy.blank(language)
    except (ImportError, KeyError, ValueError):
        nlp = spacy.blank("xx")
    nlp.add_pipe("sentencizer")
    return nlp


_PLAIN = regex.compile(r"[^\S ]|  ")  # white space other than single spaces


def sentences(
    text: str, paras: Sequence[Unit], language: str, content_start: dict[int, int] | None = None
) -> list[Unit]:
    content_start = content_start or {}
    other = "en" if language in ("zh", "ja", "ko") else language
    groups: dict[str, list[tuple[int, int]]] = {}
    for p in paras:
        s, e = _strip(text, content_start.get(p.start, p.start), p.end)
        if s < e:
            lang = "zh" if _HAN.search(text, s, e) else other
            groups.setdefault(lang, []).append((s, e))
    out: list[Unit] = []
    for lang, spans in groups.items():
        nlp = sentence_pipeline(lang)
        plain = [(s, e) for s, e in spans if not _PLAIN.search(text, s, e)]
        cut = _fast_sentences(text, plain, lang, nlp) if plain else None
        if cut is None:
            plain, cut = [], []
        else:
            spans = [(s, e) for s, e in spans if _PLAIN.search(text, s, e)]
        out += [Unit("sentence", s, e) for s, e in cut]
        docs = nlp.pipe(text[s:e] for s, e in spans)
        for (base, end), doc in zip(spans, docs, strict=True):
            for sent in doc.sents:
                s, e = _strip(text, base + sent.start_char, base + sent.end_char)
                if s < e <= end:
                    out.append(Unit("sentence", s, e))
    out.sort(key=lambda u: u.start)
    return out


def _fast_sentences(
    text: str, spans: Sequence[tuple[int, int]], lang: str, nlp: Any
) -> list[tuple[int, int]] | None:
    """The sentences spaCy's sentencizer finds in each span, from tokens found without making a
    ``Doc`` per paragraph, or None when this pipeline's tokens cannot be found so. Only spans
    whose white space is single spaces come here, so no token is white space: spaCy's Chinese
    tokenizer makes a token of every other character, the rule-based one the tokens of each
    chunk (``qcode.text.chunks``). The sentencizer's rule: a sentence starts at a paragraph's
    first token and at a token that is neither punctuation nor one of its ending characters
    when one of those characters came after the last such token."""
    import numpy as np

    from qcode.text.chunks import chunk_tokenizer, code_points, white

    joined = "\n".join(text[s:e] for s, e in spans)
    points = code_points(joined)
    sentencizer = nlp.get_pipe("sentencizer")
    chars = sentencizer.punct_chars
    if lang == "zh" and getattr(nlp.tokenizer, "segmenter", None) == "char":
        start = np.flatnonzero(~white(points))
        length = np.ones(len(start), dtype=np.int64)
        ends_with, punct = _char_kinds(points[start], chars)
    else:
        ct = chunk_tokenizer(nlp)
        if ct is None:
            return None
        start, length, tid = ct.columns(joined, points)
        ends_with, punct = _text_kinds(ct, chars)
        ends_with, punct = ends_with[tid], punct[tid]
    if not len(start):
        return []
    base = np.cumsum([e - s + 1 for s, e in spans]) - [e - s + 1 for s, e in spans]
    para = np.searchsorted(base, start, side="right") - 1
    n = len(start)
    idx = np.arange(n)
    first = np.ones(n, dtype=bool)
    first[1:] = para[1:] != para[:-1]
    first_of = np.maximum.accumulate(np.where(first, idx, 0))
    q = punct | ends_with
    last_plain = np.maximum.accumulate(np.where(~q, idx, -1))  # last token not q, up to i
    before = np.full(n, -1)
    before[1:] = last_plain[:-1]
    before = np.maximum(before, first_of - 1)  # within the paragraph
    seen = np.concatenate([[0], np.cumsum(ends_with)])  # ending characters before i
    begins = first | (~q & (seen[idx] - seen[before + 1] > 0))
    b = np.flatnonzero(begins)
    last = np.concatenate([b[1:] - 1, [n - 1]])
    offset = np.asarray([s for s, _ in spans])[para[b]] - base[para[b]]
    return list(
        zip(
            (start[b] + offset).tolist(),
            (start[last] + length[last] + offset).tolist(),
            strict=True,
        )
    )


_KINDS: dict[tuple[int, frozenset[str]], tuple[Any, Any]] = {}


def _is_punct(s: str) -> bool:
    """spaCy's ``is_punct``: every character of a Unicode punctuation category."""
    import unicodedata

    return all(unicodedata.category(c).startswith("P") for c in s)


def _text_kinds(ct: Any, chars: Any) -> tuple[Any, Any]:
    """For every token text the chunk tokenizer knows: is it one of ``chars``, is it
    punctuation."""
    import numpy as np

    key = (id(ct), frozenset(chars))
    ends_with, punct = _KINDS.get(key, (np.zeros(0, dtype=bool), np.zeros(0, dtype=bool)))
    texts = ct.texts
    if len(ends_with) < len(texts):
        new = texts[len(ends_with) :]
        ends_with = np.concatenate([ends_with, [t in chars for t in new]]).astype(bool)
        punct = np.concatenate([punct, [_is_punct(t) for t in new]]).astype(bool)
        _KINDS[key] = (ends_with, punct)
    return ends_with, punct


def _char_kinds(points: Any, chars: Any) -> tuple[Any, Any]:
    import numpy as np

    uniq, inverse = np.unique(points, return_inverse=True)
    kinds = [(chr(c) in chars, _is_punct(chr(c))) for c in uniq.tolist()]
    table = np.array(kinds, dtype=bool).reshape(len(uniq), 2)
    per = table[inverse.reshape(-1)]
    return per[:, 0], per[:, 1]


def segment(
    text: str,
    language: str = "en",
    speaker_patterns: Sequence[str] | None = None,
    known_speakers: Sequence[str] = (),
) -> list[Unit]:
    """All units of a normalised text: paragraphs, turns and sentences, each in text order.
    ``speaker_patterns`` None means the default speaker rules, an empty list no turns at all;
    ``known_speakers`` are names that open a turn wherever a paragraph starts with one and a
    colon (a WebVTT file's voices)."""
    paras = paragraphs(text)
    rules = compile_speaker_patterns(speaker_patterns)
    turns, content = turns_and_labels(text, paras, rules, known_speakers)
    return [*paras, *turns, *sentences(text, paras, language, content)]


__all__ = [
    "DEFAULT_SPEAKER_PATTERNS",
    "UNIT_KINDS",
    "Unit",
    "compile_speaker_patterns",
    "paragraphs",
    "segment",
    "sentences",
    "turns_and_labels",
]
