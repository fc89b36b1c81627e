"""Whole texts through the chunk tokenizer of ``qcode.text.chunks`` give spaCy's tokens: the
example transcripts, and shuffled words of them with marks after them."""

from __future__ import annotations

import random
from typing import Any

import pytest
from conftest import EXAMPLE

from qcode.text.chunks import ChunkTokenizer
from qcode.text.tokens import pipeline


def assert_spacys_tokens(ct: ChunkTokenizer, nlp: Any, text: str) -> None:
    """The chunk tokenizer's tokens of ``text`` are spaCy's, white space left out."""
    start, length, tid = ct.columns(text)
    got = [
        (a, n, ct.texts[k])
        for a, n, k in zip(start.tolist(), length.tolist(), tid.tolist(), strict=True)
    ]
    assert got == [(t.idx, len(t.text), t.text) for t in nlp.make_doc(text) if not t.is_space]


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
        assert_spacys_tokens(ct, nlp, text)


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
        assert_spacys_tokens(ct, nlp, text)


@pytest.mark.parametrize("language", ["en", "de", "fr"])
def test_a_chunk_without_the_characters_the_rules_need_is_touched_by_no_rule(
    language: str,
) -> None:
    """The chunk tokenizer keeps a chunk whole without asking spaCy's prefix, suffix and infix
    expressions when it holds none of the characters their matches need (read from the
    expressions themselves): every character of the Basic Multilingual Plane, alone and between
    letters and digits, and random words of letters, digits and marks, checked against the
    expressions."""
    nlp = pipeline(language)
    tok = nlp.tokenizer
    quick = ChunkTokenizer(nlp).quick
    assert quick is not None
    assert not quick.search("Straße naïve Zürich ΑΘΗΝΑ Москва 中文 abcXYZ")  # letters need none

    def touched(s: str) -> bool:
        return (
            tok.prefix_search(s) is not None
            or tok.suffix_search(s) is not None
            or next(tok.infix_finditer(s), None) is not None
        )

    rng = random.Random(3)
    chars = [chr(c) for c in range(0x10000) if not 0xD800 <= c <= 0xDFFF and not chr(c).isspace()]
    texts = [t for ch in chars for t in (ch, f"a{ch}b", f"1{ch}2", f"Ab{ch}")]
    pool = "abcXYZéßжλ中0123456789" + "".join(rng.sample(chars, 200))
    texts += ["".join(rng.choices(pool, k=rng.randint(1, 12))) for _ in range(20000)]
    wrong = [t for t in texts if quick.search(t) is None and touched(t)]
    assert wrong == []
    assert sum(quick.search(t) is None for t in texts) > len(texts) // 4  # it does leave some out


def test_the_characters_a_pattern_needs() -> None:
    """``touching`` on expressions with the parts that need no character (optional repeats,
    negative look-arounds, anchors, case-insensitive groups): wherever one of them matches,
    ``touching``'s pattern finds a character; it never needs a character that is not needed."""
    import re

    from qcode.text.chunks import touching

    patterns = [
        r"(?<![0-9])q",
        r"x*y",
        r"(?:ab)?c",
        r"a{0,3}b",
        r"(?=[.])",
        r"^[^a-z]",
        r"\d+%$",
        r"(?<=[A-Z])-(?=[a-z])",
        r"(?i:k)m",
        r"[a-c]|\.",
        r"(?!z)w",
        r"(?:k|mm)+$",
    ]
    rng = random.Random(11)
    texts = [
        "".join(rng.choices("abcqxyzkKmMwW.-%0123456789AZ", k=rng.randint(1, 6)))
        for _ in range(30000)
    ]
    for source in patterns:
        one = re.compile(source)
        quick = touching([one])
        assert quick is not None, source
        wrong = [t for t in texts if quick.search(t) is None and one.search(t) is not None]
        assert wrong == [], (source, quick.pattern, wrong[:3])
    # what is left out, so that the test above can fail
    assert touching([re.compile(r"x*y")]).pattern == "[y]"
    assert touching([re.compile(r"(?<![0-9])q")]).pattern == "[q]"
    assert touching([re.compile(r"(?i:k)m")]).pattern == "[m]"
    # nothing to go by: an alternative that needs no particular character, case-insensitivity
    assert touching([re.compile(r"a|.")]) is None
    assert touching([re.compile(r"a", re.IGNORECASE)]) is None
    assert touching([re.compile(r"a?")]) is None


MARKS = [
    *".,;:!?'\"()[]{}-–—/\\…«»„“”‘’*&%$€£#@+=<>_^~|`",
    "...",
    "'s",
    "n't",
    "http://",
    ".com",
    "www.",
]


@pytest.mark.parametrize("language", ["en", "de", "fr", "xx"])
def test_chunks_split_by_the_affix_expressions_alone_give_spacys_tokens(language: str) -> None:
    """Chunks made of words, marks and special cases glued together (emoticons, contractions,
    abbreviations beside brackets and stops): those the chunk tokenizer splits itself by the
    prefix, suffix and infix expressions (leaving to spaCy only those where a special case
    could take part) give the tokens and places spaCy gives each chunk on its own."""
    nlp = pipeline(language)
    rules = [r for r in nlp.tokenizer.rules or {} if not any(c.isspace() for c in r)]
    words = [*TRICKY.split(), "abc", "Xy", "12", "3.5", "naïve", "e-mail"]
    rng = random.Random(11)
    chunks = []
    for _ in range(6000):
        parts = []
        for _ in range(rng.randint(1, 5)):
            r = rng.random()
            pool = rules if r < 0.25 and rules else MARKS if r < 0.65 else words
            parts.append(rng.choice(pool))
        chunks.append("".join(parts))
    distinct = list(dict.fromkeys(chunks))
    ct = ChunkTokenizer(nlp)
    alone, split, rest = ct._sort(distinct)
    assert len(split) > len(distinct) // 3 and len(rest) > 0  # both ways are taken
    ct.columns(" ".join(distinct))
    ours = {*alone, *(c for c, _ in split)}
    wrong = []
    for c in distinct:
        k = ct.index[c]
        first, n = int(ct.first[k]), int(ct.count[k])
        got = [
            (int(a), ct.texts[t])
            for a, t in zip(ct.offset[first : first + n], ct.text[first : first + n], strict=True)
        ]
        if c in ours and got != [(t.idx, t.text) for t in nlp.make_doc(c)]:
            wrong.append(c)
    assert wrong == []


def test_affix_steps_of_a_tokenizer_of_ones_own_are_spacys() -> None:
    """A tokenizer with rules no language has (an infix at the very start, empty infix matches,
    a prefix and a suffix that overlap, special cases beside marks): the chunk tokenizer's own
    steps give the tokens spaCy gives each chunk."""
    import re

    import spacy
    from spacy.tokenizer import Tokenizer

    nlp = spacy.blank("xx")
    nlp.tokenizer = Tokenizer(
        nlp.vocab,
        rules={"ok.": [{"ORTH": "ok"}, {"ORTH": "."}], "zz": [{"ORTH": "z"}, {"ORTH": "z"}]},
        prefix_search=re.compile(r"^(?:\(|\(\(|'|'x)").search,
        suffix_search=re.compile(r"(?:[.,)']|\)\)|x')$").search,
        infix_finditer=re.compile(r"[-~]|(?<=q)(?=r)").finditer,
        url_match=re.compile(r"^u-[a-z]+$").match,
    )
    ct = ChunkTokenizer(nlp)
    pieces = ["-", "~", "(", ")", "'", ".", ",", "a", "b", "q", "r", "ok.", "zz", "u-", "x"]
    rng = random.Random(2)
    chunks = list(
        dict.fromkeys("".join(rng.choices(pieces, k=rng.randint(1, 6))) for _ in range(4000))
    )
    alone, split, _ = ct._sort(chunks)
    assert any(c.startswith(("-", "~")) and len(t) > 1 for c, t in split)
    ct.columns(" ".join(chunks))
    ours = {*alone, *(c for c, _ in split)}
    for c in ours:
        k = ct.index[c]
        first, n = int(ct.first[k]), int(ct.count[k])
        got = [ct.texts[t] for t in ct.text[first : first + n].tolist()]
        assert got == [t.text for t in nlp.tokenizer(c)], c
