"""Tokens for English and Chinese with spaCy at the centre.

- ``en``: a blank spaCy pipeline with the lookup lemmatizer (tables from ``spacy-lookups-data``;
  without them, a token's lemma is its lower-cased text);
- ``zh``: spaCy's Chinese tokenizer with jieba as segmenter; a domain word list (one word per
  line, with an optional frequency and part of speech as jieba reads them) keeps terms such as
  灵活就业 or 新业态 whole;
- any other language: ``spacy.blank(language)``;
- a trained pipeline named in the project's settings (``[text] model = "zh_core_web_sm"``) is used
  when it is installed, and never required.

Offsets are code points into the text given (spaCy's ``idx`` counts code points), so they slice
qcode's stored text exactly. Stop words are spaCy's lists for the language.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from qcode.errors import InputFileError
from qcode.i18n import _

_LOCK = threading.Lock()


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str
    norm: str  # the form counted: lemma (English), lower case, or the word itself (Chinese)
    is_stop: bool
    is_word: bool  # has a letter, digit or ideograph (not punctuation, space or symbol only)


def load_userdict(path: str | Path) -> list[str]:
    """Read a domain word list; returns its words. One word per line; blank lines and lines
    starting with '#' are skipped."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFileError(
            path, _("cannot be read as a UTF-8 word list ({exc})").format(exc=exc)
        ) from None
    words = []
    for line in lines:
        line = line.strip()
        if line and not line.startswith("#"):
            words.append(line.split()[0])
    return words


def _segmenter(words: Sequence[str]) -> Any:
    """A jieba tokenizer of its own that knows ``words``. jieba's module-level functions share
    one dictionary per process, so adding the words there would change every Chinese pipeline,
    with or without a word list, for the rest of the process."""
    from qcode.text.jieba_route import Tokenizer

    with _LOCK:
        seg = Tokenizer()
        for w in words:
            seg.add_word(w)
    return seg


@lru_cache(maxsize=8)
def pipeline(language: str, userdict: str | None = None, model: str | None = None) -> Any:
    """The spaCy pipeline for ``language`` (cached)."""
    import spacy

    if model:
        import spacy.util

        if spacy.util.is_package(model):
            return spacy.load(model, exclude=["ner", "parser", "textcat"])
    if language == "zh":
        import jieba

        jieba.setLogLevel(logging.WARNING)
        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
        # a tokenizer of its own, with or without a word list: jieba's way through a text,
        # found in half the time (qcode.text.jieba_route)
        tokenizer: Any = nlp.tokenizer
        tokenizer.jieba_seg = _segmenter(load_userdict(userdict) if userdict else [])
        return nlp
    try:
        nlp = spacy.blank(language)
    except (ImportError, KeyError, ValueError):
        nlp = spacy.blank("xx")
    if language == "en":
        try:
            lemmatizer: Any = nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
            nlp.initialize()
        except (ValueError, OSError, ImportError):  # no lookup tables installed
            nlp.remove_pipe("lemmatizer")
        else:
            lemmatizer.lemmatize = _lookup_any_case(lemmatizer.lookups.get_table("lemma_lookup"))
    return nlp


def _lookup_any_case(table: Any) -> Any:
    """Lookup lemmas that also find capitalised words: the tables hold lower-case words, so
    spaCy's own lookup leaves 'Riders' at the start of a sentence as it is."""

    from collections import OrderedDict

    from spacy.strings import get_string_id

    find = OrderedDict.get  # what ``Table.get`` does after hashing the key

    def lemmatize(token: Any) -> list[str]:
        return many([token.text])

    def many(texts: list[str]) -> list[str]:
        """The lemma of each of ``texts`` by the same rule, the table's keys hashed in one go."""
        found = [find(table, h) for h in map(get_string_id, texts)]
        out = []
        for text, lemma in zip(texts, found, strict=True):
            if lemma is None and not text.islower():
                lemma = find(table, get_string_id(text.lower()))
            out.append(lemma if isinstance(lemma, str) else text)
        return out

    lemmatize.many = many  # type: ignore[attr-defined]
    return lemmatize


def _norm(tok: Any, language: str) -> str:
    if language == "zh":
        return str(tok.text).lower()
    lemma = tok.lemma_ or tok.text
    return str(lemma).lower()


def tokenize(
    text: str,
    language: str,
    userdict: str | None = None,
    model: str | None = None,
) -> Iterator[Token]:
    """The tokens of ``text`` (whitespace left out)."""
    nlp = pipeline(language, userdict, model)
    for doc in _docs(nlp, text):
        yield from _tokens(doc, language)


def _docs(nlp: Any, text: str, chunk: int = 200_000) -> Iterator[Any]:
    """Docs over ``text`` in pieces cut at line ends (spaCy's length limit; memory), with their
    offsets shifted back by the caller through ``doc.user_data['base']``."""
    base = 0
    while base < len(text):
        end = len(text) if len(text) - base <= chunk else text.rfind("\n", base, base + chunk) + 1
        if end <= base:
            end = min(len(text), base + chunk)
        doc = nlp(text[base:end])
        doc.user_data["base"] = base
        yield doc
        base = end


def _tokens(doc: Any, language: str) -> Iterator[Token]:
    base = doc.user_data.get("base", 0)
    stops = _stop_words(language)
    for tok in doc:
        if tok.is_space:
            continue
        norm = _norm(tok, language)
        word = any(ch.isalnum() for ch in tok.text)
        yield Token(
            base + tok.idx,
            base + tok.idx + len(tok.text),
            tok.text,
            norm,
            tok.is_stop or norm in stops or tok.text.lower() in stops,
            word,
        )


@lru_cache(maxsize=8)
def _stop_words(language: str) -> frozenset[str]:
    import spacy

    try:
        return frozenset(spacy.blank(language).Defaults.stop_words)
    except (ImportError, KeyError, ValueError):
        return frozenset()


def stop_words(language: str) -> frozenset[str]:
    """spaCy's stop words for ``language``."""
    return _stop_words(language)
