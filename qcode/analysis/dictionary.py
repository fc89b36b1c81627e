"""Dictionary (lexicon) analysis: count a dictionary's categories in texts.

A dictionary file (``schemas/dictionary.schema.json``, YAML or JSON) names categories, each with
``terms`` and spaCy Matcher token ``patterns``. How they match:

- A term in a spaced script (``contract``, ``labour contract``, ``e-commerce``) is tokenised with
  the document language's pipeline (``qcode.text.tokens.pipeline``) and matched on whole tokens by
  spaCy's ``PhraseMatcher``, on the ``LOWER`` attribute (``ORTH`` when the dictionary or the
  category is ``case_sensitive``).
- A ``*`` at the end of a word is a prefix: ``contribut*`` matches contribute, contributions...;
  ``social insur*`` matches "social insurance". Each new word form seen in the texts is checked
  against the prefixes once and the phrases it completes are added to the ``PhraseMatcher``, so
  wildcards cost almost nothing per token.
- A term with Han or kana characters (``灵活就业``) matches as a character sequence wherever it
  occurs, inside longer words too. Chinese segmentation depends on context and on the word list
  (jieba keeps 灵活就业人员 whole, or splits 缴费基数 into 缴费 / 基数), so matching on segmented
  tokens would miss terms that are plainly in the text. A trailing ``*`` adds nothing here.
- ``patterns`` run on the tokens of the document language's pipeline (jieba words for Chinese);
  a pattern that asks for annotation the pipeline does not give (``POS`` in a blank pipeline) is
  refused when the dictionary is compiled for that language.

Within one category, overlapping matches count once: of overlapping matches the longest is
kept, then the earliest (spaCy's ``filter_spans`` rule, on code-point ranges); so "labour
contract" and "contract" in one category count one match in "labour contract". Across
categories every match counts. Matches never cross a line break.

Rates are matches per ``per`` word tokens: tokens with a letter, digit or ideograph, stop words
included (``qcode.text.tokens.Token.is_word``). Offsets are code points into the text given.

Large inputs are split at line ends and may be scanned by several processes (``workers``).
"""

from __future__ import annotations

import os
import re
from bisect import bisect_right
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from qcode.analysis.dictionary_model import (  # noqa: F401  (the public names stay here too)
    _ANNOTATED,
    _NEEDS_COMPONENTS,
    BATCH_CHARS,
    PIECE,
    PIECE_DEFAULT,
    POOL_MIN_CHARS,
    Category,
    Dictionary,
    DocumentScore,
    Match,
    Score,
    _spaceless,
    load_dictionary,
    parse_dictionary,
)
from qcode.errors import InvalidInputError
from qcode.i18n import _


# -- compiled matchers ---------------------------------------------------------------------------
@dataclass
class _Wild:
    """A term with a prefix word: its token slots, and the word forms seen that fill each
    prefix slot."""

    key: str
    attr: str
    slots: list[tuple[str, bool]]  # (token text, is a prefix)
    fills: list[set[str]]
    added: set[tuple[str, ...]] = field(default_factory=set)


class _Compiled:
    """A dictionary's matchers for one language's pipeline."""

    def __init__(
        self, d: Dictionary, language: str, userdict: str | None, model: str | None
    ) -> None:
        from spacy.matcher import Matcher, PhraseMatcher

        from qcode.text.tokens import pipeline

        self.nlp = nlp = pipeline(language, userdict, model)
        self.language = language
        self.piece = PIECE.get(language, PIECE_DEFAULT)
        vocab = nlp.vocab
        # match ids: the hashes of these keys; category_of turns them back into names
        self.key = {name: f"qcode-dictionary:{name}" for name in d.categories}
        self.category_of = {vocab.strings.add(k): name for name, k in self.key.items()}
        self.word: dict[int, bool] = {}  # ORTH hash -> is a word (letter, digit or ideograph)
        self.phrase: dict[str, Any] = {}
        self.wild: list[_Wild] = []
        char_terms: dict[bool, dict[str, set[str]]] = {True: {}, False: {}}
        patterns: list[tuple[str, int, list[Any]]] = []
        plain: dict[tuple[str, str], list[str]] = {}
        for cat in d.categories.values():
            attr = "ORTH" if cat.case_sensitive else "LOWER"
            for term in cat.terms:
                if _spaceless().search(term):
                    body = term.rstrip("*")
                    norm = body if cat.case_sensitive else body.lower()
                    char_terms[not cat.case_sensitive].setdefault(norm, set()).add(cat.name)
                elif "*" in term:
                    self.wild.append(self._wild(self.key[cat.name], attr, term))
                else:
                    plain.setdefault((attr, self.key[cat.name]), []).append(term)
            patterns += [(cat.name, j, p) for j, p in enumerate(cat.patterns)]
        for (attr, key), terms in plain.items():
            pm = self.phrase.get(attr)
            if pm is None:
                pm = self.phrase[attr] = PhraseMatcher(vocab, attr=attr)
            pm.add(key, [nlp.make_doc(t) for t in terms])
        for attr in {w.attr for w in self.wild}:
            if attr not in self.phrase:
                self.phrase[attr] = PhraseMatcher(vocab, attr=attr)
        self.prefixes: dict[str, Any] = {}
        for attr in {w.attr for w in self.wild}:
            words = {s for w in self.wild if w.attr == attr for s, is_p in w.slots if is_p}
            alternatives = "|".join(re.escape(s) for s in sorted(words, key=len, reverse=True))
            self.prefixes[attr] = re.compile(alternatives)
        self.chars: list[tuple[Any, list[int], dict[str, set[str]], bool]] = []
        for ignore_case, table in char_terms.items():
            if not table:
                continue
            cased = ignore_case and any(ch.lower() != ch.upper() for t in table for ch in t)
            alternatives = "|".join(re.escape(t) for t in sorted(table, key=len, reverse=True))
            rx = re.compile(f"(?=({alternatives}))", re.IGNORECASE if cased else 0)
            lengths = sorted({len(t) for t in table}, reverse=True)
            self.chars.append((rx, lengths, table, cased))
        self.matcher: Any = None  # patterns run over whole texts
        self.anchored: Any = None  # patterns run only around their anchors (see _anchor)
        self.anchors: list[_Anchor] = []
        self.full = False  # run the whole pipeline, not only the tokenizer
        if patterns:
            import numpy as np

            probe = None
            for name, j, pattern in patterns:
                used = {str(k).upper() for tok in pattern for k in tok}
                if used & _NEEDS_COMPONENTS:
                    self.full = True
                    probe = probe if probe is not None else nlp("probe text")
                    for attr in _ANNOTATED:
                        if attr in used and not probe.has_annotation(attr):
                            raise InvalidInputError(
                                _(
                                    "{source}: categories/{name}/patterns/{j}: needs {attr}, which "
                                    "the {language!r} pipeline here does not provide"
                                ).format(
                                    source=d.source, name=name, j=j, attr=attr, language=language
                                )
                            )
                anchor = _anchor(pattern)
                if anchor is None:
                    self.matcher = self.matcher or Matcher(vocab)
                    self.matcher.add(self.key[name], [pattern])
                else:
                    self.anchored = self.anchored or Matcher(vocab)
                    self.anchored.add(self.key[name], [pattern])
                    if anchor.regex is None:
                        hashes = {vocab.strings.add(v) for v in anchor.values}
                        anchor.hashes = np.array(sorted(hashes), np.uint64)
                    self.anchors.append(anchor)

    def _wild(self, key: str, attr: str, term: str) -> _Wild:
        """Token slots of a wildcard term: the term without its stars, tokenised as the texts
        are, with the token that ends a starred word marked as a prefix."""
        clean, ends, pos = [], set(), 0
        for i, word in enumerate(term.split(" ")):
            if i:
                clean.append(" ")
                pos += 1
            bare = word.rstrip("*")
            clean.append(bare)
            pos += len(bare)
            if word.endswith("*"):
                ends.add(pos)
        slots: list[tuple[str, bool]] = []
        for tok in self.nlp.make_doc("".join(clean)):
            text = tok.text if attr == "ORTH" else tok.text.lower()
            slots.append((text, tok.idx + len(tok.text) in ends))
        return _Wild(key, attr, slots, [set() for _ in slots])

    # -- scanning ------------------------------------------------------------------------------
    def _learn(self, hashes: Sequence[int]) -> None:
        """Note new word forms: whether each is a word, and the wildcard phrases it completes."""
        import numpy as np
        from spacy.tokens import Doc

        strings = self.nlp.vocab.strings
        searched = [a for a in self.anchors if a.regex is not None]
        for h in hashes:
            s = strings[h]
            self.word[h] = any(ch.isalnum() for ch in s)
            for a in searched:
                if a.regex.search(s.lower() if a.lower else s) is not None:
                    a.forms.add(h)
            for attr, rx in self.prefixes.items():
                v = s if attr == "ORTH" else s.lower()
                if rx.match(v) is None:
                    continue
                for w in self.wild:
                    if w.attr != attr:
                        continue
                    for i, (prefix, is_prefix) in enumerate(w.slots):
                        if not is_prefix or not v.startswith(prefix) or v in w.fills[i]:
                            continue
                        w.fills[i].add(v)
                        choices = [
                            [v] if j == i else sorted(w.fills[j]) if p else [text]
                            for j, (text, p) in enumerate(w.slots)
                        ]
                        docs = []
                        for combo in _product(choices):
                            if combo not in w.added:
                                w.added.add(combo)
                                docs.append(Doc(self.nlp.vocab, words=list(combo)))
                        if docs:
                            self.phrase[attr].add(w.key, docs)

        for a in searched:
            if len(a.forms) != len(a.hashes):
                a.hashes = np.array(sorted(a.forms), np.uint64)

    def scan(self, texts: Sequence[str]) -> list[tuple[int, dict[str, list[tuple[int, int]]]]]:
        """Word tokens and each category's matches (offsets into each text, overlaps within a
        category resolved) for pieces of text in this language."""
        import numpy as np
        from spacy.attrs import IDX, LENGTH, ORTH

        docs = self.nlp.pipe(texts) if self.full else (self.nlp.make_doc(t) for t in texts)
        columns = ["ORTH", "IDX", "LENGTH"]
        columns += sorted({a.attr for a in self.anchors} - {"ORTH"})
        out = []
        for text, doc in zip(texts, docs, strict=True):
            arr = doc.to_array([ORTH, IDX, LENGTH, *columns[3:]])
            uniq, counts = np.unique(arr[:, 0], return_counts=True)
            keys = uniq.tolist()
            new = [h for h in keys if h not in self.word]
            if new:
                self._learn(new)
            word = self.word
            tokens = sum(n for h, n in zip(keys, counts.tolist(), strict=True) if word[h])
            found: dict[str, list[tuple[int, int]]] = {}
            hits: list[tuple[int, int, int]] = []
            for pm in self.phrase.values():
                hits += pm(doc)
            if self.matcher is not None:
                hits += self.matcher(doc)
            if self.anchored is not None:
                hits += self._around_anchors(doc, arr, columns)
            if hits:
                keys_, first, after = zip(*hits, strict=True)
                first_ = np.fromiter(first, np.int64, len(hits))
                last_ = np.fromiter(after, np.int64, len(hits)) - 1
                begin = arr[first_, 1].tolist()
                end = (arr[last_, 1] + arr[last_, 2]).tolist()
                category_of = self.category_of
                for key, a, b in zip(keys_, begin, end, strict=True):
                    found.setdefault(category_of[key], []).append((a, b))
            for rx, lengths, table, cased in self.chars:
                for m in rx.finditer(text):
                    at, hit = m.start(), m.group(1)
                    for n in lengths:
                        if n <= len(hit):
                            piece = hit[:n]
                            for name in table.get(piece.lower() if cased else piece, ()):
                                found.setdefault(name, []).append((at, at + n))
            out.append((tokens, {k: longest_first(v) for k, v in found.items()}))
        return out

    def _around_anchors(self, doc: Any, arr: Any, columns: list[str]) -> list[Any]:
        """The anchored patterns' matches: the matcher runs only over the stretches of tokens
        near an anchor token (or over the whole text when those cover much of it)."""
        import numpy as np

        starts, ends = [], []
        for anchor in self.anchors:
            at = np.flatnonzero(np.isin(arr[:, columns.index(anchor.attr)], anchor.hashes))
            starts.append(at - (anchor.longest - 1))
            ends.append(at + anchor.longest)
        start = np.maximum(np.concatenate(starts), 0)
        if not len(start):
            return []
        end = np.minimum(np.concatenate(ends), len(doc))
        order = np.argsort(start, kind="stable")
        start, reach = start[order], np.maximum.accumulate(end[order])
        cut = np.flatnonzero(start[1:] > reach[:-1]) + 1
        first = start[np.r_[0, cut]].tolist()
        last = reach[np.r_[cut - 1, len(start) - 1]].tolist()
        if sum(last) - sum(first) > len(doc) // 2:
            return list(self.anchored(doc))
        hits = []
        for a, b in zip(first, last, strict=True):
            hits += [(key, s + a, e + a) for key, s, e in self.anchored(doc[a:b])]
        return list(set(hits))


_ANCHOR_ATTRS = {"LOWER": "LOWER", "ORTH": "ORTH", "TEXT": "ORTH", "NORM": "NORM"}


@dataclass
class _Anchor:
    """Tokens one of which every match of a token pattern holds: those whose ``attr`` is one of
    ``values``, or (with ``regex``) the word forms the regular expression finds, learnt as
    forms are seen. Matches are at most ``longest`` tokens long."""

    attr: str  # the column to look in: LOWER, ORTH or NORM (ORTH for a regex)
    longest: int
    values: list[str] = field(default_factory=list)
    regex: Any = None
    lower: bool = False  # the regex looks at the lower-case form
    hashes: Any = ()
    forms: set[int] = field(default_factory=set)


def _anchor(pattern: list[dict[str, Any]]) -> _Anchor | None:
    """An anchor for a token pattern whose matches are of bounded length and must hold a token
    with one of a few values of LOWER, ORTH/TEXT or NORM, or a token whose ORTH/TEXT or LOWER a
    REGEX finds (the fewest values preferred, then a regex); else None."""
    longest = 0
    best: tuple[float, str, list[str], str | None] | None = None
    for token in pattern:
        op = token.get("OP", token.get("op"))
        most = _most(op)
        if most is None:
            return None
        longest += most
        if op is not None:
            continue
        for key, value in token.items():
            attr = _ANCHOR_ATTRS.get(str(key).upper())
            if attr is None:
                continue
            candidate: tuple[float, str, list[str], str | None] | None = None
            if isinstance(value, str):
                candidate = (1, attr, [value], None)
            elif isinstance(value, dict) and len(value) == 1:
                ((op_name, arg),) = value.items()
                if str(op_name).upper() == "IN" and isinstance(arg, list) and arg:
                    candidate = (len(arg), attr, [str(v) for v in arg], None)
                elif str(op_name).upper() == "REGEX" and attr != "NORM":
                    candidate = (float("inf"), attr, [], str(arg))
            if candidate is not None and (best is None or candidate[0] < best[0]):
                best = candidate
    if best is None or longest == 0:
        return None
    _, attr, values, regex = best
    if regex is None:
        return _Anchor(attr, longest, values)
    return _Anchor("ORTH", longest, regex=re.compile(regex), lower=attr == "LOWER")


def _most(op: Any) -> int | None:
    """How many tokens a pattern token with this operator matches at most (None: no limit)."""
    if op in (None, "?", "!"):
        return 1
    m = re.fullmatch(r"\{(\d*)(?:(,)(\d*))?\}", str(op))
    if m is None:  # + and *
        return None
    low, comma, high = m.groups()
    if not comma:
        return int(low)
    return int(high) if high else None


def _product(choices: list[list[str]]) -> Iterator[tuple[str, ...]]:
    import itertools

    return itertools.product(*choices)


def longest_first(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """spaCy's ``filter_spans`` rule on ranges: the longest first (then the earliest), each
    kept if it overlaps none kept; returned in text order."""
    ordered = sorted(set(spans))
    if all(a[1] <= b[0] for a, b in zip(ordered, ordered[1:], strict=False)):
        return ordered
    starts: list[int] = []
    ends: list[int] = []
    for s, e in sorted(ordered, key=lambda r: (r[0] - r[1], r[0])):
        i = bisect_right(starts, s)
        if (i and ends[i - 1] > s) or (i < len(starts) and starts[i] < e):
            continue
        starts.insert(i, s)
        ends.insert(i, e)
    return list(zip(starts, ends, strict=True))


# -- over many texts -----------------------------------------------------------------------------
def pieces(text: str, size: int) -> Iterator[tuple[int, str]]:
    """``text`` in pieces of at most ``size`` code points, cut after a line end (else after a
    Chinese full stop or a space), with the offset of each."""
    base, n = 0, len(text)
    while base < n:
        end = n
        if n - base > size:
            end = text.rfind("\n", base, base + size) + 1
            if end <= base:
                end = max(text.rfind("。", base, base + size), text.rfind(" ", base, base + size))
                end = end + 1 if end >= 0 else base + size
        yield base, text[base:end]
        base = end


Item = tuple[Hashable, str, str]  # (document key, text, language)
_JOB: dict[str, Any] = {}


def _piece_results(
    c: _Compiled, batch: Sequence[tuple[int, int, str]], want: bool
) -> list[tuple[int, int, int, dict[str, Any]]]:
    """(document index, offset, tokens, per category: matches or their count) for a batch of
    pieces of one language."""
    results = c.scan([t for _, _, t in batch])
    out = []
    for (doc, base, _extra), (tokens, found) in zip(batch, results, strict=True):
        if want:
            per: dict[str, Any] = {
                k: [(s + base, e + base) for s, e in v] for k, v in found.items()
            }
        else:
            per = {k: len(v) for k, v in found.items()}
        out.append((doc, base, tokens, per))
    return out


def _work(task: tuple[str, list[tuple[int, int, str]]]) -> list[tuple[int, int, int, Any]]:
    language, batch = task
    d, userdict, model, want = _JOB["job"]
    return _piece_results(d.compiled(language, userdict, model), batch, want)


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def _scan(
    d: Dictionary,
    items: Sequence[Item],
    userdict: str | None,
    model: str | None,
    want: bool,
    workers: int | None,
) -> list[tuple[int, dict[str, Any]]]:
    """Per item: word tokens and, per category, the matches (``want``) or their count."""
    import multiprocessing

    workers = default_workers() if workers is None else max(1, workers)
    totals: list[list[Any]] = [[0, {}] for _ in items]
    tasks: list[tuple[str, list[tuple[int, int, str]]]] = []
    filled = 0
    for i, (_key, text, language) in enumerate(items):
        c = d.compiled(language, userdict, model)
        for base, piece in pieces(text, c.piece):
            if not tasks or tasks[-1][0] != language or filled >= BATCH_CHARS:
                tasks.append((language, []))
                filled = 0
            tasks[-1][1].append((i, base, piece))
            filled += len(piece)
    total = sum(len(text) for _, text, _ in items)
    parallel = (
        workers > 1
        and total >= POOL_MIN_CHARS
        and "fork" in multiprocessing.get_all_start_methods()
    )
    if parallel:
        for language in {language for _, _, language in items}:
            d.compiled(language, userdict, model).scan(["预热 warm-up"])  # jieba loads its dict
        _JOB["job"] = (d, userdict, model, want)
        try:
            ctx = multiprocessing.get_context("fork")
            with ctx.Pool(min(workers, len(tasks))) as pool:
                results: Iterable[list[tuple[int, int, int, Any]]] = list(
                    pool.imap(_work, tasks, chunksize=1)
                )
        finally:
            _JOB.clear()
    else:
        results = (
            _piece_results(d.compiled(language, userdict, model), batch, want)
            for language, batch in tasks
        )
    for chunk in results:
        for i, _name, tokens, per in chunk:
            totals[i][0] += tokens
            acc = totals[i][1]
            for name, v in per.items():
                if want:
                    acc.setdefault(name, []).extend(v)
                else:
                    acc[name] = acc.get(name, 0) + v
    return [(t[0], t[1]) for t in totals]


def _items(texts: Mapping[Any, str], languages: Mapping[Any, str] | str) -> list[Item]:
    return [
        (k, t, languages if isinstance(languages, str) else languages.get(k, "en"))
        for k, t in texts.items()
    ]


def score(
    dictionary: Dictionary,
    texts: Mapping[Any, str],
    languages: Mapping[Any, str] | str = "en",
    userdict: str | None = None,
    model: str | None = None,
    workers: int | None = 1,
) -> list[DocumentScore]:
    """Word tokens and matches per category for each text (in the order given)."""
    items = _items(texts, languages)
    out = []
    for (key, _text, language), (tokens, counts) in zip(
        items, _scan(dictionary, items, userdict, model, False, workers), strict=True
    ):
        out.append(
            DocumentScore(
                key, language, tokens, {c: counts.get(c, 0) for c in dictionary.categories}
            )
        )
    return out


def find_matches(
    dictionary: Dictionary,
    texts: Mapping[Any, str],
    languages: Mapping[Any, str] | str = "en",
    userdict: str | None = None,
    model: str | None = None,
    workers: int | None = 1,
) -> list[Match]:
    """Every match, by text (in the order given), then start, then category order."""
    items = _items(texts, languages)
    order = {name: i for i, name in enumerate(dictionary.categories)}
    out: list[Match] = []
    for (key, text, _language), (_tokens, found) in zip(
        items, _scan(dictionary, items, userdict, model, True, workers), strict=True
    ):
        rows = [(s, order[name], e, name) for name, spans in found.items() for s, e in spans]
        out += [Match(key, name, s, e, text[s:e]) for s, _, e, name in sorted(rows)]
    return out


def rates(
    documents: Sequence[DocumentScore],
    unit_of: Mapping[Any, str],
    categories: Sequence[str],
    per: float = 1000.0,
    units: Sequence[str] | None = None,
) -> list[Score]:
    """Counts and rates per unit and category: a unit's counts and word tokens are the sums
    over its documents; rate = count / tokens * ``per`` (0 for a unit without tokens). Units
    in the order given, else in order of first appearance."""
    if per <= 0:
        raise InvalidInputError(
            _("per {per:g}: give a positive number of tokens, e.g. 1000").format(per=per)
        )
    order = list(units) if units is not None else list(dict.fromkeys(unit_of.values()))
    tokens = dict.fromkeys(order, 0)
    docs = dict.fromkeys(order, 0)
    counts: dict[tuple[str, str], int] = {}
    for ds in documents:
        unit = unit_of[ds.document]
        tokens[unit] = tokens.get(unit, 0) + ds.tokens
        docs[unit] = docs.get(unit, 0) + 1
        for c in categories:
            counts[(unit, c)] = counts.get((unit, c), 0) + ds.counts.get(c, 0)
    return [
        Score(
            unit,
            c,
            counts.get((unit, c), 0),
            tokens[unit],
            counts.get((unit, c), 0) / tokens[unit] * per if tokens[unit] else 0.0,
            docs[unit],
        )
        for unit in order
        for c in categories
    ]
