"""Whole texts through the chunk tokenizer of ``qcode.text.chunks`` give spaCy's tokens: the
example transcripts, and shuffled words of them with marks after them."""

from __future__ import annotations

import random

import pytest
from conftest import EXAMPLE

from qcode.text.chunks import ChunkTokenizer
from qcode.text.tokens import pipeline


def test_texts_through_the_chunk_tokenizer_give_spacys_tokens() -> None:
    """A fresh chunk tokenizer, so that every chunk is new to it."""
    nlp = pipeline("en")
    ct = ChunkTokenizer(nlp)
    texts = [p.read_text(encoding="utf-8") for p in sorted((EXAMPLE / "transcripts").glob("*.txt"))]
    rng = random.Random(5)
    words = " ".join(texts).split()
    texts.append(
        " ".join(
            rng.choice(words) + rng.choice(["", "", ".", ",", "?!", "..."]) for _ in range(5000)
        )
    )
    for text in texts:
        start, length, tid = ct.columns(text)
        got = [
            (a, n, ct.texts[k])
            for a, n, k in zip(start.tolist(), length.tolist(), tid.tolist(), strict=True)
        ]
        want = [(t.idx, len(t.text), t.text) for t in nlp.make_doc(text) if not t.is_space]
        assert got == want


TRICKY = (
    "I cannot say, gonna wanna lemme Cannot. Don't can't y'all 'cause o'clock ma'am. "
    "U.S. e.g. i.e. a.m. p.m. Mr. Dr. :) :-( <3 ^_^ (yes) [no] {maybe} \"quoted\" 'single' "
    "https://example.org/a?b=1 www.example.com mail@example.com #tag @name 5km 10kg 3.5% $20 "
    "£5.50 1,000 2020-01-02 9:30 well-known self-help co-op -- ... ?! naïve café Zürich "
    "Straße mother-in-law A-B x/y and/or 50/50 ’tis “curly” ‘quotes’ … — – e-mail C++ #1 "
    "aujourd'hui l'homme qu'il jusqu'à z.B. usw. d.h. Nr. 3. Okt. ¿Qué? ¡Sí! etc."
)


@pytest.mark.parametrize("language", ["en", "de", "fr"])
def test_words_spacy_splits_or_keeps_by_its_rules_give_spacys_tokens(language: str) -> None:
    """Chunks that special cases split while having no mark (cannot, gonna; French
    aujourd'hui) and chunks that prefixes, suffixes, infixes, URL and emoticon rules touch,
    each new to the tokenizer."""
    nlp = pipeline(language)
    for text in (TRICKY, TRICKY.lower(), TRICKY.upper(), "\n".join(TRICKY.split())):
        ct = ChunkTokenizer(nlp)
        start, length, tid = ct.columns(text)
        got = [
            (a, n, ct.texts[k])
            for a, n, k in zip(start.tolist(), length.tolist(), tid.tolist(), strict=True)
        ]
        want = [(t.idx, len(t.text), t.text) for t in nlp.make_doc(text) if not t.is_space]
        assert got == want
