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
        docs = sentence_pipeline(lang).pipe(text[s:e] for s, e in spans)
        for (base, end), doc in zip(spans, docs, strict=True):
            for sent in doc.sents:
                s, e = _strip(text, base + sent.start_char, base + sent.end_char)
                if s < e <= end:
                    out.append(Unit("sentence", s, e))
    out.sort(key=lambda u: u.start)
    return out


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
