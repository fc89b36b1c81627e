"""Whole texts through the chunk tokenizer of ``qcode.text.chunks`` give spaCy's tokens: the
example transcripts, and shuffled words of them with marks after them."""

from __future__ import annotations

import random

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
