"""spaCy's rule-based tokenizer, run once per distinct stretch of text between white space.

spaCy's ``Tokenizer`` cuts a text at white space first and splits each stretch of non-white
characters (a *chunk*) by its prefix, suffix, infix and special-case rules alone
(``Tokenizer._tokenize_affixes``): a chunk's tokens never depend on the text around it, and white
space becomes a token's trailing space or a white-space token, never part of another token
(unless a special case holds white space beside other characters, which :func:`applies` rules
out). So the tokens of a text are the tokens of its chunks, each shifted to where its chunk stands.

:class:`ChunkTokenizer` keeps each chunk's tokens once it has seen the chunk, and tokenizes the
chunks it has not seen in one call (joined by single spaces) of a copy of the pipeline's
tokenizer with the same rules over a vocabulary of its own that computes no lexical attributes:
making a lexeme for every new word (its shape, ``like_num`` ...) was most of spaCy's time on a
large vocabulary, and spaCy's own cache keeps only 10,000 chunks. A large text then costs
``str.split``, a dictionary look-up per chunk and array arithmetic. Tokens come back as columns:
start, length and the id of the token's text (``texts[id]``), so that callers work out what a
distinct token stands for once. Tests compare the tokens with spaCy's on whole texts.

Most new chunks are plain words that no rule touches, which spaCy keeps whole. A chunk that is
no special case and holds none of the characters that the prefix, suffix and infix expressions
need (:func:`touching` reads them from the expressions: for every alternative, a character its
matches consume or look at, such as the full stop rather than the letter before it) is kept as
one token without running the expressions (each character is asked about once). The others go
through the steps of spaCy's ``Tokenizer._split_affixes`` and ``_attach_tokens``, taken one by
one with the same expressions (spaCy spends most of its time in those expressions too, and a
``Doc`` costs more on top); a chunk where a special case or ``token_match`` could take part at
any step is tokenized by spaCy itself.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

# Python's white space (str.isspace, which both str.split and spaCy's tokenizer use) as a table
# over the code points up to U+3000, the last white-space character; nothing above it is white.
_WS = np.zeros(0x3002, dtype=bool)
_WS[[c for c in range(0x3001) if chr(c).isspace()]] = True
BATCH = 200_000  # characters of new chunks per spaCy call (spaCy's length limit; memory)
LIMIT = 2_000_000  # chunks kept before the cache starts again
_LOCK = threading.Lock()
_CACHE: dict[int, tuple[Any, ChunkTokenizer]] = {}


def code_points(text: str) -> Any:
    """The code points of ``text`` as an array (lone surrogates kept as they are)."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def white(points: Any) -> Any:
    """Which code points are white space (``str.isspace``)."""
    return _WS[np.minimum(points, len(_WS) - 1)]


def chunk_starts(points: Any) -> Any:
    """Where each stretch of non-white characters begins, in the order ``str.split`` gives
    them."""
    ws = white(points)
    begins = ~ws
    begins[1:] &= ws[:-1]
    return np.flatnonzero(begins)


def applies(nlp: Any) -> bool:
    """Whether ``nlp``'s tokenizer is spaCy's rule-based one with no special case that holds
    white space beside other characters (English has special cases of white space alone, which
    only make white-space tokens)."""
    from spacy.tokenizer import Tokenizer

    tok: Any = getattr(nlp, "tokenizer", None)
    if type(tok) is not Tokenizer:
        return False
    return not any(not k.isspace() and any(c.isspace() for c in k) for k in tok.rules or {})


def chunk_tokenizer(nlp: Any) -> ChunkTokenizer | None:
    """The (shared) chunk tokenizer of ``nlp``, or None when :func:`applies` says no."""
    with _LOCK:
        kept = _CACHE.get(id(nlp))
        if kept is not None and kept[0] is nlp:
            return kept[1]
        if not applies(nlp):
            return None
        ct = ChunkTokenizer(nlp)
        _CACHE[id(nlp)] = (nlp, ct)  # holds nlp, so its id is not reused
        return ct


class ChunkTokenizer:
    """The tokens of texts through ``nlp``'s tokenizer, each chunk tokenized once."""

    def __init__(self, nlp: Any) -> None:
        from spacy.tokenizer import Tokenizer
        from spacy.vocab import Vocab

        tok = nlp.tokenizer
        self.tokenizer = Tokenizer(
            Vocab(lex_attr_getters={}),
            rules=tok.rules,
            prefix_search=tok.prefix_search,
            suffix_search=tok.suffix_search,
            infix_finditer=tok.infix_finditer,
            token_match=tok.token_match,
            url_match=tok.url_match,
            faster_heuristics=tok.faster_heuristics,
        )
        self.rules = frozenset(tok.rules or {})
        searches = (tok.prefix_search, tok.suffix_search, tok.infix_finditer)
        self.quick = touching([getattr(f, "__self__", f) for f in searches if f is not None])
        # characters the quick pattern has been asked about: it matches one character at a
        # time, so a string it finds nothing in is one all of whose characters are ``calm``
        self.calm: set[str] = set()
        self.needed: set[str] = set()
        self.lock = threading.Lock()
        self.texts: list[str] = []  # token text id -> text (kept when the chunks start again)
        self.ids: dict[str, int] = {}  # text -> token text id
        self._reset()

    def _reset(self) -> None:
        self.index: dict[str, int] = {}  # chunk -> its id
        # per chunk id: its first token's row in the token columns, its number of tokens
        self.first = np.zeros(0, dtype=np.int64)
        self.count = np.zeros(0, dtype=np.int64)
        # per token of a chunk: offset into the chunk, length, text id
        self.offset = np.zeros(0, dtype=np.int64)
        self.length = np.zeros(0, dtype=np.int64)
        self.text = np.zeros(0, dtype=np.int64)

    def _text_ids(self, strings: Sequence[str]) -> list[int]:
        """The text id of each of ``strings``, new ones given the next ids."""
        ids, texts = self.ids, self.texts
        out = list(map(ids.get, strings))
        if None in out:  # new ones, each once in their first order, then all looked up again
            new = dict.fromkeys(s for s, k in zip(strings, out, strict=True) if k is None)
            ids.update(zip(new, itertools.count(len(texts))))
            texts.extend(new)
            out = list(map(ids.__getitem__, strings))
        return out  # type: ignore[return-value]

    def _learn(self, chunks: Sequence[str]) -> None:
        """Tokenize ``chunks`` (new, distinct) and keep their tokens."""
        from spacy.attrs import IDX, LENGTH

        parts: list[tuple[Any, ...]] = []
        n_tokens = len(self.offset)
        alone, split, chunks = self._sort(chunks)
        if alone:  # one token each, its text the chunk's
            tid = self._text_ids(alone)
            n = len(alone)
            lens = np.fromiter(map(len, alone), dtype=np.int64, count=n)
            parts.append(
                (
                    n_tokens + np.arange(n, dtype=np.int64),
                    np.ones(n, dtype=np.int64),
                    np.zeros(n, dtype=np.int64),
                    lens,
                    np.array(tid, dtype=np.int64),
                )
            )
            n_tokens += n
            self.index.update(zip(alone, itertools.count(len(self.index))))
        if split:  # the tokens the affix expressions make, each chunk's in a row
            per_chunk = np.fromiter((len(t) for _, t in split), dtype=np.int64, count=len(split))
            flat = [t for _, tokens in split for t in tokens]
            lens = np.fromiter(map(len, flat), dtype=np.int64, count=len(flat))
            ends = np.cumsum(lens)
            first = np.cumsum(per_chunk) - per_chunk
            # each token's place in its chunk: its end in the whole row less its chunk's start
            chunk_start = np.repeat(ends[first] - lens[first], per_chunk)
            tid = self._text_ids(flat)
            parts.append(
                (
                    n_tokens + first,
                    per_chunk,
                    ends - lens - chunk_start,
                    lens,
                    np.array(tid, dtype=np.int64),
                )
            )
            n_tokens += len(flat)
            self.index.update(zip((c for c, _ in split), itertools.count(len(self.index))))
        i = 0
        while i < len(chunks):
            j, size = i, 0
            while j < len(chunks) and (j == i or size + len(chunks[j]) < BATCH):
                size += len(chunks[j]) + 1
                j += 1
            batch = chunks[i:j]
            doc = self.tokenizer(" ".join(batch))
            lens = np.fromiter(map(len, batch), dtype=np.int64, count=len(batch))
            where = np.cumsum(lens + 1) - lens - 1
            cols = doc.to_array([IDX, LENGTH]).astype(np.int64).reshape(len(doc), 2)
            if int(cols[:, 1].sum()) != int(lens.sum()):
                raise AssertionError("spaCy's tokens do not partition the chunks")
            owner = np.searchsorted(where, cols[:, 0], side="right") - 1
            per_chunk = np.bincount(owner, minlength=len(batch))
            tid = self._text_ids([t.text for t in doc])
            parts.append(
                (
                    n_tokens + np.cumsum(per_chunk) - per_chunk,
                    per_chunk,
                    cols[:, 0] - where[owner],
                    cols[:, 1],
                    np.array(tid, dtype=np.int64),
                )
            )
            n_tokens += len(doc)
            self.index.update(zip(batch, itertools.count(len(self.index))))
            i = j
        self.first = np.concatenate([self.first, *(p[0] for p in parts)])
        self.count = np.concatenate([self.count, *(p[1] for p in parts)])
        self.offset = np.concatenate([self.offset, *(p[2] for p in parts)])
        self.length = np.concatenate([self.length, *(p[3] for p in parts)])
        self.text = np.concatenate([self.text, *(p[4] for p in parts)])

    def _sort(
        self, chunks: Sequence[str]
    ) -> tuple[list[str], list[tuple[str, list[str]]], list[str]]:
        """``chunks`` in three: those no rule of the tokenizer touches (no special case; no
        prefix, suffix or infix found in them, not even an empty one), which spaCy leaves as one
        token; those split by the prefix, suffix and infix expressions alone, with their tokens
        (:meth:`_affixes`); and the rest, where a special case or ``token_match`` has a say,
        for spaCy itself."""
        rules = self.rules
        plain = self._plain if self.quick is not None else None
        alone: list[str] = []
        split: list[tuple[str, list[str]]] = []
        rest: list[str] = []
        affixes = self._affixes
        for c in chunks:
            if plain is not None and plain(c) and c not in rules:
                alone.append(c)  # no character that a prefix, suffix or infix needs
                continue
            tokens = affixes(c)
            if tokens is None:
                rest.append(c)
            elif len(tokens) == 1:
                alone.append(c)
            else:
                split.append((c, tokens))
        return alone, split, rest

    def _plain(self, s: str) -> bool:
        """Whether the quick pattern finds nothing in ``s``: each character asked about once."""
        chars = set(s)
        calm = self.calm
        if chars <= calm:
            return True
        needed = self.needed
        if not chars.isdisjoint(needed):
            return False
        match = self.quick.match
        found = False
        for ch in chars - calm:
            if match(ch) is None:
                calm.add(ch)
            else:
                needed.add(ch)
                found = True
        return not found

    def _affixes(self, chunk: str) -> list[str] | None:
        """The tokens spaCy's ``Tokenizer`` makes of ``chunk`` (not a special case) when only
        its prefix, suffix and infix expressions (and ``url_match``) decide: the steps of
        ``_split_affixes`` and ``_attach_tokens`` one by one. None when a special case or
        ``token_match`` would take part at any step, or a special case could match a run of
        the tokens (``_apply_special_cases``): spaCy decides those."""
        tok = self.tokenizer
        rules = self.rules
        pre, suf, inf = tok.prefix_search, tok.suffix_search, tok.infix_finditer
        token_match, url_match = tok.token_match, tok.url_match
        prefixes: list[str] = []
        suffixes: list[str] = []
        plain_test = self._plain if self.quick is not None else None
        s, last, plain = chunk, -1, False
        while s and len(s) != last:
            if (token_match is not None and token_match(s)) or s in rules:
                return None
            if plain_test is not None and plain_test(s):
                plain = True  # no character an expression needs: no prefix, suffix or infix
                break
            last = len(s)
            m = pre(s) if pre is not None else None
            pre_len = m.end() - m.start() if m is not None else 0
            if pre_len and s[pre_len:] in rules and s[pre_len:]:
                return None
            m = suf(s[pre_len:]) if suf is not None else None
            suf_len = m.end() - m.start() if m is not None else 0
            if suf_len and s[:-suf_len] in rules and s[:-suf_len]:
                return None
            # the suffix is looked for after the prefix, so the two never overlap
            if pre_len and suf_len:
                prefixes.append(s[:pre_len])
                suffixes.append(s[-suf_len:])
                s = s[pre_len:-suf_len]
            elif pre_len:
                prefixes.append(s[:pre_len])
                s = s[pre_len:]
            elif suf_len:
                suffixes.append(s[-suf_len:])
                s = s[:-suf_len]
        middle: list[str] = []
        if s:
            if s in rules:
                return None
            infixes = [] if plain or inf is None else list(inf(s))
            if not infixes or (
                (token_match is not None and token_match(s))
                or (url_match is not None and url_match(s))
            ):  # kept whole: no infix, or a token or URL match (looked for first by spaCy)
                middle = [s]
            else:
                start = 0
                for m in infixes:
                    a, b = m.start(), m.end()
                    if a == 0:  # spaCy skips an infix at the very start
                        continue
                    if a != start:
                        middle.append(s[start:a])
                    if a != b:
                        middle.append(s[a:b])
                    start = b
                if s[start:]:
                    middle.append(s[start:])
        tokens = [*prefixes, *middle, *reversed(suffixes)]
        if rules:  # a special case matching a run of the tokens would retokenize it
            for i in range(len(tokens)):
                run = tokens[i]
                for j in range(i + 1, len(tokens)):
                    run += tokens[j]
                    if run in rules:
                        return None
                if tokens[i] in rules:
                    return None
        return tokens

    def _chunk_ids(self, chunks: list[str]) -> Any:
        """The ids of ``chunks``, learning the new ones (call with the lock held)."""
        if len(self.index) > LIMIT:
            self._reset()
        get = self.index.get
        ids = np.fromiter(map(get, chunks, itertools.repeat(-1)), dtype=np.int64, count=len(chunks))
        missing = np.flatnonzero(ids < 0).tolist()
        if missing:
            self._learn(list(dict.fromkeys(chunks[i] for i in missing)))
            # only the new ones looked up again, not every chunk of the text
            ids[missing] = np.fromiter(
                (get(chunks[i]) for i in missing), dtype=np.int64, count=len(missing)
            )
        return ids

    def columns(self, text: str, points: Any | None = None) -> tuple[Any, Any, Any]:
        """(start, length, text id) of every token of ``text`` that is not white space, in text
        order; ``points`` is ``code_points(text)`` when the caller has it already."""
        chunks = text.split()
        if not chunks:
            z = np.zeros(0, dtype=np.int64)
            return z, z, z
        with self.lock:
            chunk = self._chunk_ids(chunks)
            count = self.count[chunk]
            first = self.first[chunk]
            offset, length, tid = self.offset, self.length, self.text
        starts = chunk_starts(code_points(text) if points is None else points)
        total = int(count.sum())
        before = np.cumsum(count) - count
        occurrence = np.repeat(np.arange(len(chunk)), count)
        token = first[occurrence] + np.arange(total) - before[occurrence]
        return starts[occurrence] + offset[token], length[token], tid[token]

    def tally(self, text: str) -> tuple[Any, Any]:
        """(text id, occurrences) of the tokens of ``text`` that are not white space, without
        their places: each distinct chunk's tokens once, with the chunk's number of
        occurrences (a text id may come more than once)."""
        chunks = text.split()
        if not chunks:
            z = np.zeros(0, dtype=np.int64)
            return z, z
        with self.lock:
            # occurrences by chunk id: one pass over the ids, not a sort of them
            per = np.bincount(self._chunk_ids(chunks))
            chunk = np.flatnonzero(per)
            times = per[chunk]
            count = self.count[chunk]
            first = self.first[chunk]
            tid = self.text
        total = int(count.sum())
        before = np.cumsum(count) - count
        occurrence = np.repeat(np.arange(len(chunk)), count)
        token = first[occurrence] + np.arange(total) - before[occurrence]
        return tid[token], times[occurrence]


# -- which chunks a rule could touch ----------------------------------------------------------
_SIZES = {"CATEGORY_DIGIT": 700, "CATEGORY_SPACE": 30}
_CATEGORY = {
    "CATEGORY_DIGIT": r"\d",
    "CATEGORY_NOT_DIGIT": r"\D",
    "CATEGORY_SPACE": r"\s",
    "CATEGORY_NOT_SPACE": r"\S",
    "CATEGORY_WORD": r"\w",
    "CATEGORY_NOT_WORD": r"\W",
}
_ALL = 0x110000


def _one_of(items: Any) -> tuple[int, list[str]] | None:
    """A character class ``[...]`` of the parsed items of one, as (about how many characters,
    its source), or None for an item this does not know."""
    from re import _constants as c  # type: ignore[attr-defined]

    size, negate = 0, False
    parts: list[str] = []
    for op, av in items:
        if op is c.NEGATE:
            negate = True
        elif op is c.LITERAL:
            size, parts = size + 1, [*parts, re.escape(chr(av))]
        elif op is c.RANGE:
            lo, hi = av
            size, parts = size + hi - lo + 1, [*parts, f"{re.escape(chr(lo))}-{re.escape(chr(hi))}"]
        elif op is c.CATEGORY and str(av) in _CATEGORY:
            size, parts = size + _SIZES.get(str(av), _ALL // 2), [*parts, _CATEGORY[str(av)]]
        else:
            return None
    if negate:
        return _ALL - size, ["[^" + "".join(parts) + "]"]
    return size, ["[" + "".join(parts) + "]"]


def _needed(seq: Any) -> tuple[int, list[str]] | None:
    """For a parsed sequence: character classes one of which every match of it consumes or
    looks at (a string where it matches holds a character of one of them), as (about how
    many characters they hold, their sources); None when no element of it gives one."""
    from re import _constants as c  # type: ignore[attr-defined]

    best: tuple[int, list[str]] | None = None
    for op, av in seq:
        found: tuple[int, list[str]] | None = None
        if op is c.LITERAL:  # a letter or digit scores more: a mark beside it is rarer
            found = 2 if chr(av).isalnum() else 1, [re.escape(chr(av))]
        elif op is c.NOT_LITERAL:
            found = _ALL - 1, ["[^" + re.escape(chr(av)) + "]"]
        elif op is c.IN:
            found = _one_of(av)
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and av[0] >= 1:
            found = _needed(av[2])
        elif op is c.SUBPATTERN and not av[1] & re.IGNORECASE:
            found = _needed(av[3])
        elif op is c.ATOMIC_GROUP:
            found = _needed(av)
        elif op is c.ASSERT:  # a look-ahead or look-behind that must hold
            found = _needed(av[1])
        elif op is c.BRANCH:
            each = [_needed(alt) for alt in av[1]]
            known = [e for e in each if e is not None]
            if len(known) == len(each):
                found = sum(e[0] for e in known), [s for e in known for s in e[1]]
        if found is not None and (best is None or found[0] < best[0]):
            best = found
    return best


def touching(patterns: Sequence[Any]) -> Any:
    """A pattern that finds a character in every string where one of ``patterns`` (the
    tokenizer's compiled prefix, suffix and infix expressions) finds a match: for each
    alternative of each, a class of characters one of which its matches consume or look at.
    None when that cannot be worked out (a pattern that is not a compiled expression, is
    case-insensitive or has an alternative with no character it needs)."""
    try:
        from re import _constants, _parser  # type: ignore[attr-defined]  # noqa: F401
    except ImportError:  # a Python whose regular expressions are parsed elsewhere
        return None
    flags = {p.flags & ~re.VERBOSE for p in patterns if isinstance(p, re.Pattern)}
    if len(flags) != 1 or not all(
        isinstance(p, re.Pattern) and isinstance(p.pattern, str) for p in patterns
    ):
        return None
    (flag,) = flags
    if flag & re.IGNORECASE:
        return None
    inside: list[str] = []
    apart: list[str] = []
    for p in patterns:
        try:
            found = _needed(_parser.parse(p.pattern, p.flags))
        except Exception:  # noqa: BLE001  (a pattern this reading of Python's parser does not know)
            return None
        if found is None:
            return None
        for part in found[1]:
            if part.startswith("[^"):
                apart.append(part)
            elif part.startswith("["):
                inside.append(part[1:-1])
            else:
                inside.append(part)
    merged = ["[" + "".join(dict.fromkeys(inside)) + "]"] if inside else []
    return re.compile("|".join([*merged, *apart]), flag)
