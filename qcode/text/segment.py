"""Segmentation of normalised text into units: paragraphs, speaker turns and sentences.

All units are half-open code-point ranges into the normalised text, trimmed of surrounding
white space. They are computed once at import and stored; co-occurrence and agreement count in them.

- A *paragraph* is a non-blank line (text between two line feeds), as NVivo and QualCoder count
  paragraphs in plain text.
- A *speaker turn* starts at a line that opens with a speaker label (``Interviewer:``, ``R:``,
  ``受访者：`` ...) and runs to the last non-blank line before the next labelled line. Text before
  the first label belongs to no turn. Labels are recognised by configurable regular expressions
  (the ``regex`` module's syntax) that must define a group named ``speaker``.
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

UNIT_KINDS = ("paragraph", "turn", "sentence")
_HAN = regex.compile(r"\p{Han}")

_TS = r"(?:[\[(]?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?[\])]?\s+)?"
DEFAULT_SPEAKER_PATTERNS: tuple[str, ...] = (
    # role words and the usual abbreviations, any case: "Interviewer:", "R:", "P12:", "Speaker 2:"
    _TS + r"(?i:(?P<speaker>interviewer|interviewee|respondent|participant|moderator|facilitator"
    r"|researcher|informant|q|a|i|r|p\s?\d+|speaker\s?\d+))\s*[:：]",
    # a capitalised name of one to three words: "Mrs Wang:", "Li Wei:", "Driver 3:"
    _TS + r"(?P<speaker>\p{Lu}[\p{L}\p{M}.'’\-]*(?:\s\p{Lu}[\p{L}\p{M}.'’\-]*|\s\d{1,3}){0,2})"
    r"\s*:(?!//)",
    # Chinese labels: 受访者：, 访谈者：, 问：, 答：, a name such as 王师傅：, or 受访者A：
    _TS + r"(?P<speaker>\p{Han}{1,5}[A-Za-z0-9]{0,3})\s*[:：]",
)


@dataclass(frozen=True, slots=True)
class Unit:
    kind: str
    start: int
    end: int
    speaker: str | None = None


def compile_speaker_patterns(patterns: Sequence[str] | None = None) -> list[Any]:
    """Compile speaker-label patterns; raises ``ValueError`` naming a bad pattern."""
    out = []
    for p in DEFAULT_SPEAKER_PATTERNS if patterns is None else patterns:
        try:
            rx = regex.compile(p)
        except regex.error as exc:
            raise ValueError(
                f"speaker pattern {p!r} is not a valid regular expression: {exc}"
            ) from exc
        if "speaker" not in rx.groupindex:
            raise ValueError(f"speaker pattern {p!r} has no group named 'speaker'")
        out.append(rx)
    return out


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


def _label(text: str, para: Unit, patterns: Sequence[Any]) -> tuple[str, int] | None:
    """The speaker label opening a paragraph: (speaker, offset just after the label)."""
    for rx in patterns:
        m = rx.match(text, para.start, para.end)
        if m is not None:
            speaker = " ".join(m.group("speaker").split())
            return speaker, m.end()
    return None


def turns_and_labels(
    text: str, paras: Sequence[Unit], patterns: Sequence[Any]
) -> tuple[list[Unit], dict[int, int]]:
    """Speaker turns, and for each labelled paragraph (by start) where its content begins."""
    out: list[Unit] = []
    content_start: dict[int, int] = {}
    current: tuple[str, int, int] | None = None
    for p in paras:
        lab = _label(text, p, patterns)
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
    text: str, language: str = "en", speaker_patterns: Sequence[str] | None = None
) -> list[Unit]:
    """All units of a normalised text: paragraphs, turns and sentences, each in text order."""
    paras = paragraphs(text)
    turns, content = turns_and_labels(text, paras, compile_speaker_patterns(speaker_patterns))
    return [*paras, *turns, *sentences(text, paras, language, content)]
