"""Word and phrase frequencies and keyness over plain texts.

Tokens are ``qcode.text.tokens``'s (spaCy; jieba with the project's word list for Chinese), and
terms are counted by their ``norm``: the lower-cased lemma in English (*paid*, *pays* -> *pay*),
the word itself in Chinese. The rules:

- A *word* is a token holding a letter, digit or ideograph; punctuation, symbols and emoji are
  never counted.
- Lines holding Han characters go through the Chinese pipeline and other lines through the
  document's language (English in a Chinese document), as sentence segmentation does; Japanese
  and Korean documents go through their own pipeline whole.
- A phrase (``ngram`` 2 or 3) is that many consecutive words with only spaces between them:
  punctuation, a symbol or a line break ends it. Its words are joined by one space, or by
  nothing where they touch in the text and one of them is written in CJK (灵活就业 + 人员 ->
  灵活就业人员).
- Stop words (spaCy's lists) are left out by default: a single word that is one, and a phrase
  that begins or ends with one (*basic pension insurance* and *loss of income* count, *of the
  scheme* does not). With ``stopwords=False`` everything counts.
- ``size`` is the number of words (of phrases, for ``ngram`` > 1) before stop words are left out:
  the base of the rates per 1,000 and of keyness.
- Within coded ranges: the ranges are merged first (union), so overlapping codings count a word
  once; a word counts when any of its characters is covered, a phrase when all its words lie in
  one stretch of covered text.

The tokens are columns (start, end, what the token stands for): with a blank or lookup-only
pipeline from ``qcode.text.chunks`` (each stretch between white space tokenized once by spaCy's
rules) or, in Chinese, from jieba's words; otherwise from spaCy's ``Doc`` (``Doc.to_array``).
What a distinct token stands for (its norm, whether it is a word or a stop word) is worked out
once per distinct token, by ``tokenize``'s rules; tests check the counts against ``tokenize``'s
tokens taken one by one.

The tables and keyness over the counts are ``qcode.analysis.word_stats``'s.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import regex

from qcode.analysis.word_stats import TermCounts
from qcode.bulkload import collector_paused
from qcode.text.chunks import ChunkTokenizer, chunk_tokenizer, code_points
from qcode.text.tokens import pipeline, stop_words

NGRAMS = (1, 2, 3)
CHUNK = 200_000  # characters per spaCy call (spaCy's length limit; memory)

_HAN = regex.compile(r"\p{Han}")
_CJK = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]")
_UNSPLIT = ("ja", "ko")  # languages whose documents are never split by script


# -- tokens to arrays ----------------------------------------------------------------------------
def runs(text: str, language: str) -> Iterator[tuple[int, str, str]]:
    """(offset, piece, language): ``text`` cut into runs of whole lines, each with the language
    whose pipeline reads it, and runs longer than ``CHUNK`` cut again at line ends."""
    if language in _UNSPLIT:
        pieces: Iterable[tuple[int, int, str]] = [(0, len(text), language)]
    else:
        other = "en" if language == "zh" else language
        if language != "zh" and not _HAN.search(text):
            pieces = [(0, len(text), language)]
        else:
            pieces = _script_runs(text, other)
    for a, b, lang in pieces:
        while a < b:
            end = b if b - a <= CHUNK else text.rfind("\n", a, a + CHUNK) + 1
            if end <= a:
                end = min(b, a + CHUNK)
            yield a, text[a:end], lang
            a = end


def _script_runs(text: str, other: str) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    pos = 0
    n = len(text)
    while pos < n:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl + 1
        lang = "zh" if _HAN.search(text, pos, end) else other
        if out and out[-1][2] == lang:
            out[-1] = (out[-1][0], end, lang)
        else:
            out.append((pos, end, lang))
        pos = end
    return out


class _Lexicon:
    """Norms seen so far, each with an id, and what each distinct token (by spaCy's hash of its
    text, and of its lemma when a trained pipeline gives lemmas in context) stands for."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.norms: list[str] = []
        # token key -> (norm id, or -1 for a non-word, -2 for white space; stop; CJK first; last)
        self.seen: dict[Any, tuple[int, bool, bool, bool]] = {}
        self.words: dict[str, tuple[int, bool, bool, bool]] = {}  # the same by a word's text
        # by chunk tokenizer and language: a row per token text id, as ``seen``'s values
        self.described: dict[tuple[int, str], Any] = {}

    def norm_id(self, norm: str) -> int:
        i = self.ids.get(norm)
        if i is None:
            i = self.ids[norm] = len(self.norms)
            self.norms.append(norm)
        return i


@dataclass
class _Tokens:
    """The tokens of a text as columns (white space left out)."""

    start: Any
    end: Any
    norm: Any  # norm id, -1 for a non-word
    stop: Any
    cjk_first: Any
    cjk_last: Any
    brk: Any  # a line break between this token and the one before


def _lookup_only(nlp: Any) -> tuple[bool, Any]:
    """Whether lemmas depend on a token's text alone (no components, or only a lookup
    lemmatizer); then the tokenizer alone is run and the lemma found once per distinct word.
    Returns the lemmatizer too, if any."""
    names = list(nlp.pipe_names)
    if not names:
        return True, None
    if names == ["lemmatizer"] and getattr(nlp.get_pipe("lemmatizer"), "mode", "") == "lookup":
        return True, nlp.get_pipe("lemmatizer")
    return False, None


def _token_columns(
    piece: str, offset: int, language: str, nlp: Any, lex: _Lexicon, stops: frozenset[str]
) -> _Tokens:
    fast, lemmatizer = _lookup_only(nlp)
    points = code_points(piece)
    if fast and language == "zh" and getattr(nlp.tokenizer, "segmenter", None) == "jieba":
        start, length, per = _jieba_columns(piece, nlp, lex, stops)
    elif fast and language != "zh" and (chunker := chunk_tokenizer(nlp)) is not None:
        start, length, tid = chunker.columns(piece, points)
        per = _described(tid, chunker, language, nlp, lemmatizer, lex, stops)
    else:
        start, length, per = _spacy_columns(piece, language, nlp, fast, lemmatizer, lex, stops)
    if not len(start):
        return _empty()
    end = start + length
    # line breaks between neighbours: newlines counted before each position of the piece
    lines = np.concatenate([[0], np.cumsum(points == 10)])
    brk = np.zeros(len(start), dtype=bool)
    if len(start) > 1:
        brk[1:] = lines[start[1:]] > lines[end[:-1]]
    return _Tokens(
        start + offset,
        end + offset,
        per[:, 0],
        per[:, 1].astype(bool),
        per[:, 2] > 0,
        per[:, 3] > 0,
        brk,
    )


class _Text:
    """What a lookup lemmatizer reads of a token: its text."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def _lemmas(lemmatizer: Any, texts: list[str]) -> list[str]:
    """A lookup lemmatizer's lemma of each of ``texts`` ("" without one): all at once where it
    can (qcode's own English lookup), else one by one."""
    if lemmatizer is None:
        return [""] * len(texts)
    many = getattr(lemmatizer.lemmatize, "many", None)
    if many is not None:
        return list(many(texts))
    return [lemmatizer.lemmatize(_Text(text))[0] for text in texts]


def _described(
    tid: Any,
    chunker: ChunkTokenizer,
    language: str,
    nlp: Any,
    lemmatizer: Any,
    lex: _Lexicon,
    stops: frozenset[str],
) -> Any:
    """The descriptions of tokens given by their text ids (``ChunkTokenizer``), each distinct
    text described once, by ``tokenize``'s rules: a lexeme's stop flag as the pipeline's
    vocabulary has it (the language's stop list for a word it has not seen)."""
    key = (id(chunker), language)
    table = lex.described.get(key)
    n = len(chunker.texts)
    if table is None or len(table) < n:
        # room for twice as many: a table grown by each text's new words is copied less
        grown = np.full((max(n, 2 * len(table) if table is not None else 0), 4), -3, np.int64)
        if table is not None:
            grown[: len(table)] = table
        table = lex.described[key] = grown
    new = np.unique(tid[table[tid, 0] == -3])  # the texts not described yet, each once
    if len(new):
        vocab = nlp.vocab
        listed = nlp.Defaults.stop_words
        texts = chunker.texts
        batch = [texts[k] for k in new.tolist()]
        rows = []
        for text, lemma in zip(batch, _lemmas(lemmatizer, batch), strict=True):
            lower = text.lower()
            norm = str(lemma or text).lower()
            flag = vocab[text].is_stop if text in vocab else lower in listed
            rows.append(_row(text, norm, bool(flag) or norm in stops or lower in stops, lex))
        table[new] = rows
    return table[tid]  # a chunk's tokens are never white space


def _spacy_columns(
    piece: str,
    language: str,
    nlp: Any,
    fast: bool,
    lemmatizer: Any,
    lex: _Lexicon,
    stops: frozenset[str],
) -> tuple[Any, Any, Any]:
    """(start, length, description) of the tokens of ``piece`` that are not white space, from
    one spaCy ``Doc`` of it (the way for pipelines whose lemmas depend on context)."""
    from spacy.attrs import IDX, LEMMA, LENGTH, ORTH

    doc = nlp.make_doc(piece) if fast else nlp(piece)
    n = len(doc)
    if n == 0:
        z = np.zeros(0, dtype=np.int64)
        return z, z, np.zeros((0, 4), dtype=np.int64)
    raw = doc.to_array([ORTH, LEMMA]).reshape(n, 2)  # spaCy's hashes of the text and lemma
    place = doc.to_array([IDX, LENGTH]).astype(np.int64).reshape(n, 2)
    if fast:
        uniq, first, inverse = np.unique(raw[:, 0], return_index=True, return_inverse=True)
        keys: list[Any] = uniq.tolist()
    else:
        uniq, first, inverse = np.unique(raw, axis=0, return_index=True, return_inverse=True)
        keys = [tuple(k) for k in uniq.tolist()]
    table = np.empty((len(keys), 4), dtype=np.int64)
    for row, (key, i) in enumerate(zip(keys, first.tolist(), strict=True)):
        info = lex.seen.get(key)
        if info is None:
            info = lex.seen[key] = _describe(doc[i], language, fast, lemmatizer, lex, stops)
        table[row] = info
    per = table[inverse.reshape(-1)]
    keep = per[:, 0] != -2
    return place[keep, 0], place[keep, 1], per[keep]


def _jieba_columns(
    piece: str, nlp: Any, lex: _Lexicon, stops: frozenset[str]
) -> tuple[Any, Any, Any]:
    """The same as ``_spacy_columns`` for spaCy's Chinese tokenizer with jieba, straight from
    jieba's words: spaCy makes a token of each word jieba gives that is not white space, at its
    place in the text (``spacy.util.get_words_and_spaces``), and jieba's words cover the text."""
    words = [w for w in nlp.tokenizer.jieba_seg.cut(piece, cut_all=False) if w]
    lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    if int(lengths.sum()) != len(piece) or "".join(words) != piece:
        return _spacy_columns(piece, "zh", nlp, True, None, lex, stops)
    starts = np.cumsum(lengths) - lengths
    seen = lex.words
    vocab = nlp.vocab
    rows = []
    keep = []
    for w in words:
        info = seen.get(w)
        if info is None:
            if w.isspace():
                info = seen[w] = (-2, False, False, False)
            else:
                info = seen[w] = _describe(vocab[w], "zh", True, None, lex, stops)
        rows.append(info)
    per = np.array(rows, dtype=np.int64).reshape(len(rows), 4)
    keep = per[:, 0] != -2
    return starts[keep], lengths[keep], per[keep]


def _describe(
    tok: Any, language: str, fast: bool, lemmatizer: Any, lex: _Lexicon, stops: frozenset[str]
) -> tuple[int, bool, bool, bool]:
    """What a distinct token stands for, by the rules of ``qcode.text.tokens``."""
    text = str(tok.text)
    if tok.is_space:
        return (-2, False, False, False)
    if language == "zh":
        norm = text.lower()
    else:
        if fast:
            lemma = lemmatizer.lemmatize(tok)[0] if lemmatizer is not None else ""
        else:
            lemma = tok.lemma_
        norm = str(lemma or text).lower()
    return _row(text, norm, bool(tok.is_stop) or norm in stops or text.lower() in stops, lex)


def _row(text: str, norm: str, stop: bool, lex: _Lexicon) -> tuple[int, bool, bool, bool]:
    word = text.isalnum() or any(ch.isalnum() for ch in text)
    if text.isascii():  # no CJK
        return (lex.norm_id(norm) if word else -1, stop, False, False)
    return (
        lex.norm_id(norm) if word else -1,
        stop,
        bool(_CJK.match(text)),
        bool(_CJK.match(text[-1])),
    )


def _empty() -> _Tokens:
    z = np.zeros(0, dtype=np.int64)
    b = np.zeros(0, dtype=bool)
    return _Tokens(z, z, z, b, b, b, b)


def _concat(parts: list[_Tokens]) -> _Tokens:
    if not parts:
        return _empty()
    if len(parts) == 1:
        return parts[0]
    for p in parts[1:]:  # runs are whole lines: a line break always lies between two runs
        if len(p.brk):
            p.brk[0] = True
    return _Tokens(
        *(np.concatenate([getattr(p, f) for p in parts]) for f in _Tokens.__dataclass_fields__)
    )


def merge_ranges(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The union of half-open ranges, as sorted disjoint ranges (touching ones joined)."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(r for r in ranges if r[1] > r[0]):
        if out and a <= out[-1][1]:
            if b > out[-1][1]:
                out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def intersect_ranges(
    a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    """The text covered by both of two lists of sorted, disjoint ranges."""
    out: list[tuple[int, int]] = []
    i = j = 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if lo < hi:
            out.append((lo, hi))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


# -- counting ------------------------------------------------------------------------------------
class TermCounter:
    """Counts terms in many texts with one lexicon (the pipelines are loaded once)."""

    def __init__(
        self,
        ngram: int = 1,
        stopwords: bool = True,
        userdict: str | None = None,
        model: str | None = None,
    ) -> None:
        if ngram not in NGRAMS:
            raise ValueError(f"ngram must be 1, 2 or 3, not {ngram}")
        self.ngram = ngram
        self.stopwords = stopwords
        self.userdict = userdict
        self.model = model
        self.lex = _Lexicon()

    def _nlp(self, language: str) -> Any:
        return pipeline(language, self.userdict if language == "zh" else None, self.model)

    def tokens(self, text: str, language: str) -> _Tokens:
        parts = []
        for offset, piece, lang in runs(text, language):
            parts.append(
                _token_columns(piece, offset, lang, self._nlp(lang), self.lex, stop_words(lang))
            )
        return _concat(parts)

    def count(
        self, text: str, language: str, ranges: Sequence[tuple[int, int]] | None = None
    ) -> TermCounts:
        """The terms of ``text`` (only within ``ranges``, when given)."""
        if ranges is not None:
            ranges = merge_ranges(ranges)
            if not ranges:
                return TermCounts({}, 0)
        if self.ngram == 1 and ranges is None:
            return self._count_words(text, language)
        return self._count(self.tokens(text, language), ranges)

    def _count_words(self, text: str, language: str) -> TermCounts:
        """``_count`` of single words over a whole text, where places do not matter: through
        the chunk tokenizer's tally (each distinct stretch between white space once) where it
        applies."""
        norms, stops, times = [], [], []
        for offset, piece, lang in runs(text, language):
            nlp, lex, listed = self._nlp(lang), self.lex, stop_words(lang)
            fast, lemmatizer = _lookup_only(nlp)
            chunker = chunk_tokenizer(nlp) if fast and lang != "zh" else None
            if chunker is not None:
                tid, n = chunker.tally(piece)
                per = _described(tid, chunker, lang, nlp, lemmatizer, lex, listed)
                norms.append(per[:, 0])
                stops.append(per[:, 1] > 0)
                times.append(n)
            else:
                t = _token_columns(piece, offset, lang, nlp, lex, listed)
                norms.append(t.norm)
                stops.append(t.stop)
                times.append(np.ones(len(t.norm), dtype=np.int64))
        if not norms:
            return TermCounts({}, 0)
        norm, stop, weight = (np.concatenate(c) for c in (norms, stops, times))
        word = norm >= 0
        size = int(weight[word].sum())
        keep = word & ~stop if self.stopwords else word
        # occurrences by norm id (ids are dense), in the order of the ids as before
        per = np.bincount(norm[keep], weights=weight[keep]) if keep.any() else np.zeros(0)
        keys = np.flatnonzero(per)
        norms = self.lex.norms
        terms = [norms[i] for i in keys.tolist()]
        return TermCounts(dict(zip(terms, per[keys].astype(np.int64).tolist(), strict=True)), size)

    def _count(self, t: _Tokens, ranges: Sequence[tuple[int, int]] | None) -> TermCounts:
        n = self.ngram
        m = len(t.start) - n + 1
        if m <= 0:
            return TermCounts({}, 0)
        word = t.norm >= 0
        valid = word[:m].copy()
        if ranges is not None:
            starts = np.array([a for a, _ in ranges], dtype=np.int64)
            ends = np.array([b for _, b in ranges], dtype=np.int64)
            k = np.searchsorted(ends, t.start, side="right")  # first range ending after start
            inside = k < len(ends)
            inside[inside] &= starts[k[inside]] < t.end[inside]
            group = np.where(inside, k, -1)
            valid &= inside[:m]
        for j in range(1, n):
            valid &= word[j : m + j] & ~t.brk[j : m + j]
            if ranges is not None:
                valid &= group[j : m + j] == group[:m]
        size = int(valid.sum())
        if self.stopwords:
            valid &= ~t.stop[:m] & ~t.stop[n - 1 : m + n - 1]
        idx = np.flatnonzero(valid)
        if not len(idx):
            return TermCounts({}, size)
        v = max(len(self.lex.norms), 1)
        cols = [t.norm[idx]]
        for j in range(1, n):
            touch = (t.end[idx + j - 1] == t.start[idx + j]) & (
                t.cjk_last[idx + j - 1] | t.cjk_first[idx + j]
            )
            cols += [touch.astype(np.int64), t.norm[idx + j]]
        norms = self.lex.norms
        counts: dict[str, int] = {}
        if n == 1:
            keys, tally = np.unique(cols[0], return_counts=True)
            return TermCounts(
                {norms[k]: c for k, c in zip(keys.tolist(), tally.tolist(), strict=True)}, size
            )
        if (v + 1) ** n * 2 ** (n - 1) < 2**62:  # one integer key per phrase
            key = cols[0]
            for j in range(1, len(cols)):
                key = key * (2 if j % 2 else v) + cols[j]
            keys, first, tally = np.unique(key, return_index=True, return_counts=True)
            rows = np.stack(cols, axis=1)[first]
        else:
            rows, tally = np.unique(np.stack(cols, axis=1), axis=0, return_counts=True)
        for row, c in zip(rows.tolist(), tally.tolist(), strict=True):
            term = norms[row[0]]
            for j in range(1, len(row), 2):
                term += ("" if row[j] else " ") + norms[row[j + 1]]
            counts[term] = counts.get(term, 0) + c
        return TermCounts(counts, size)


def count_terms(
    text: str,
    language: str,
    ngram: int = 1,
    stopwords: bool = True,
    ranges: Sequence[tuple[int, int]] | None = None,
    userdict: str | None = None,
    model: str | None = None,
) -> TermCounts:
    """The words (``ngram`` 1) or phrases of 2 or 3 words in ``text``; see the module's rules."""
    return TermCounter(ngram, stopwords, userdict, model).count(text, language, ranges)


Item = tuple[str, str, Sequence[tuple[int, int]] | None]  # text, language, ranges (or None)

_worker: TermCounter | None = None


def _work(item: Item) -> TermCounts:
    assert _worker is not None
    return _worker.count(*item)


def count_texts(
    items: Iterable[Item],
    ngram: int = 1,
    stopwords: bool = True,
    userdict: str | None = None,
    model: str | None = None,
    processes: int = 1,
) -> list[TermCounts]:
    """``count_terms`` for each (text, language, ranges), in order. ``processes`` > 1 counts in
    that many forked worker processes (POSIX; not from a program that runs threads)."""
    counter = TermCounter(ngram, stopwords, userdict, model)
    if processes <= 1:
        # the words, norms and tables made hold no cycles; the collector's passes over them and
        # the pipelines' objects took about a tenth of the time
        with collector_paused():
            return [counter.count(*item) for item in items]
    import gc
    import multiprocessing

    items = list(items)
    languages = {language for _, language, _ in items}
    if "zh" in languages:
        languages.add("en")
    if any(_HAN.search(text) for text, language, _ in items if language != "zh"):
        languages.add("zh")
    for lang in languages:  # load the pipelines once, before forking
        counter._nlp(lang)
        stop_words(lang)
    global _worker
    _worker = counter
    # objects made so far are left out of the workers' garbage collections, which would
    # otherwise walk (and so copy) the pipelines' and the word list's many objects in each one
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            return list(pool.imap(_work, items, chunksize=1))
    finally:
        gc.unfreeze()
        _worker = None
