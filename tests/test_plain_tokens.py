"""The plain-chunk path of ``qcode.text.chunks`` gives spaCy's tokens: a property test over
chunks of letters, digits and the marks it handles (and special cases), the full set of probes
with special cases followed by up to three marks, and whole texts through the chunk tokenizer."""

from __future__ import annotations

import random
import string
from typing import Any

from conftest import EXAMPLE
from hypothesis import given, settings
from hypothesis import strategies as st

from qcode.text.chunks import ChunkTokenizer, chunk_tokenizer, plain_tokens, probes
from qcode.text.tokens import pipeline


def _nlp() -> Any:
    return pipeline("en")


def _spacy(chunk: str) -> list[str]:
    return [t.text for t in _nlp().tokenizer(chunk)]


def _rules() -> dict[str, Any]:
    ct = chunk_tokenizer(_nlp())
    assert ct is not None and ct.plain
    return ct.rules


WORD = st.one_of(
    st.text(string.ascii_letters, min_size=1, max_size=6),
    st.text(string.digits, min_size=1, max_size=4),
    st.sampled_from(["Mr", "etc", "Dont", "cannot", "U", "A", "Gonna", "e", "vs", "St", "No"]),
)
TAIL = st.text(".,;:!?", max_size=5)
OTHER = st.text(string.ascii_letters + string.digits + ".,;:!?'-$%&()\"/", min_size=1, max_size=8)


@settings(max_examples=400, deadline=None)
@given(WORD, TAIL)
def test_plain_chunks_give_spacys_tokens(word: str, tail: str) -> None:
    chunk = word + tail
    got = plain_tokens(chunk, _rules())
    if got is not None:
        assert got == _spacy(chunk)


@settings(max_examples=300, deadline=None)
@given(OTHER)
def test_any_chunk_is_plain_only_with_spacys_tokens(chunk: str) -> None:
    got = plain_tokens(chunk, _rules())
    if got is not None:
        assert got == _spacy(chunk)


def test_every_probe_and_special_case_with_marks() -> None:
    rules = _rules()
    answered = 0
    for chunk in probes(rules, marks=3):
        got = plain_tokens(chunk, rules)
        if got is not None:
            answered += 1
            assert got == _spacy(chunk), chunk
    assert answered > 10_000
    # the cases the rules turn on are answered, and right
    assert plain_tokens("word", rules) == ["word"]
    assert plain_tokens("word.", rules) == ["word", "."]
    assert plain_tokens("A.", rules) == ["A."]
    assert plain_tokens("AB.", rules) == ["AB", "."]
    assert plain_tokens("so...", rules) == ["so", "..."]
    assert plain_tokens("Mr.", rules) is None  # a special case: spaCy decides
    assert plain_tokens("don't", rules) is None


def test_a_tokenizer_that_disagrees_turns_the_plain_path_off() -> None:
    import spacy

    nlp = spacy.blank("en")
    nlp.tokenizer.suffix_search = None  # no suffix comes off: "word." stays whole
    assert not ChunkTokenizer(nlp).plain
    assert ChunkTokenizer(_nlp()).plain


def test_texts_through_the_chunk_tokenizer_give_spacys_tokens() -> None:
    """Whole texts (the example transcripts, and shuffled words of them with marks) through a
    fresh chunk tokenizer, so that most chunks take the plain path."""
    nlp = _nlp()
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
