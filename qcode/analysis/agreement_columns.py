"""The columns and sweeps under :mod:`qcode.analysis.agreement`: codings as NumPy columns,
coders' presence per document, unions of ranges, coverage depths, and codings moved to unit
indices. Offsets are code points, ranges half-open."""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from qcode.errors import InvalidInputError
from qcode.i18n import _

Range = tuple[int, int]
Array = np.ndarray[Any, Any]


class Coding(NamedTuple):
    """One coder's coding of one code: which document, which code, who, where."""

    document: Hashable
    code: str
    coder: str
    start: int
    end: int


@dataclass
class _Columns:
    docs: list[Hashable]
    codes: list[str]
    coders: list[str]
    lengths: Array  # per document
    touched: Array  # documents x coders: the coder has codings (of any code) in the document
    doc: Array
    code: Array
    coder: Array
    start: Array
    end: Array


def _group(x: str | Collection[str]) -> tuple[str, ...]:
    members = (x,) if isinstance(x, str) else tuple(dict.fromkeys(x))
    if not members:
        raise InvalidInputError(_("a group of coders cannot be empty"))
    return members


@dataclass
class CodingColumns:
    """Codings as integer columns, for large inputs (a database read straight into arrays):
    ``doc[i]``, ``code[i]`` and ``coder[i]`` index ``docs``, ``codes`` and ``coders``. Accepted
    wherever an iterable of :class:`Coding` is, with the same meaning."""

    docs: Sequence[Hashable]
    codes: Sequence[str]
    coders: Sequence[str]
    doc: Array
    code: Array
    coder: Array
    start: Array
    end: Array

    def __iter__(self) -> Iterator[Coding]:
        for d, c, k, s, e in zip(
            self.doc.tolist(),
            self.code.tolist(),
            self.coder.tolist(),
            self.start.tolist(),
            self.end.tolist(),
            strict=True,
        ):
            yield Coding(self.docs[d], self.codes[c], self.coders[k], s, e)


def _lookup(names: Sequence[Any], index: Mapping[Any, int]) -> Array:
    """For each name, its position in ``index`` (-1 when absent)."""
    return np.array([index.get(n, -1) for n in names], dtype=np.int64).reshape(-1)


def _from_arrays(
    cc: CodingColumns,
    lengths: Mapping[Hashable, int],
    coders: Sequence[str],
    codes: Sequence[str] | None,
) -> tuple[list[Hashable], list[str], Array, Array, Array, Array, Array, Array]:
    docs = list(lengths)
    doc_map = _lookup(cc.docs, {d: i for i, d in enumerate(docs)})
    coder_map = _lookup(cc.coders, {c: i for i, c in enumerate(coders)})
    doc = doc_map[cc.doc] if len(cc.doc) else np.zeros(0, np.int64)
    coder = coder_map[cc.coder] if len(cc.coder) else np.zeros(0, np.int64)
    keep = (doc >= 0) & (coder >= 0)
    doc, coder = doc[keep], coder[keep]
    code_in = np.asarray(cc.code, dtype=np.int64)[keep]
    start = np.asarray(cc.start, dtype=np.int64)[keep]
    end = np.asarray(cc.end, dtype=np.int64)[keep]
    touched = np.zeros((len(docs), len(coders)), dtype=bool)
    touched[doc, coder] = True
    if codes is None:
        used = np.unique(code_in)
        code_list = sorted(cc.codes[i] for i in used.tolist())
    else:
        code_list = list(dict.fromkeys(codes))
    code_map = _lookup(cc.codes, {c: i for i, c in enumerate(code_list)})
    code = code_map[code_in] if len(code_in) else np.zeros(0, np.int64)
    ok = code >= 0
    return (
        docs,
        code_list,
        touched,
        doc[ok],
        code[ok],
        coder[ok],
        start[ok],
        end[ok],
    )


def _columns(
    codings: Iterable[Coding] | CodingColumns,
    lengths: Mapping[Hashable, int],
    coders: Sequence[str],
    codes: Sequence[str] | None,
) -> _Columns:
    if isinstance(codings, CodingColumns):
        docs, code_list, touched, doc, code, coder, start, end = _from_arrays(
            codings, lengths, coders, codes
        )
        return _checked(docs, code_list, coders, lengths, touched, doc, code, coder, start, end)
    docs = list(lengths)
    doc_index = {d: i for i, d in enumerate(docs)}
    coder_index = {c: i for i, c in enumerate(coders)}
    rows = [
        (doc_index[c.document], c.code, coder_index[c.coder], c.start, c.end)
        for c in codings
        if c.document in doc_index and c.coder in coder_index
    ]
    touched = np.zeros((len(docs), len(coders)), dtype=bool)
    if rows:
        touched[[r[0] for r in rows], [r[2] for r in rows]] = True
    code_list = sorted({r[1] for r in rows}) if codes is None else list(dict.fromkeys(codes))
    code_index = {c: i for i, c in enumerate(code_list)}
    rows = [r for r in rows if r[1] in code_index]
    doc = np.array([r[0] for r in rows], dtype=np.int64)
    code = np.array([code_index[r[1]] for r in rows], dtype=np.int64)
    coder = np.array([r[2] for r in rows], dtype=np.int64)
    start = np.array([r[3] for r in rows], dtype=np.int64)
    end = np.array([r[4] for r in rows], dtype=np.int64)
    return _checked(docs, code_list, coders, lengths, touched, doc, code, coder, start, end)


def _checked(
    docs: list[Hashable],
    code_list: list[str],
    coders: Sequence[str],
    lengths: Mapping[Hashable, int],
    touched: Array,
    doc: Array,
    code: Array,
    coder: Array,
    start: Array,
    end: Array,
) -> _Columns:
    size = np.array([lengths[d] for d in docs], dtype=np.int64)
    if np.any(size < 0):
        raise InvalidInputError(_("a document length cannot be negative"))
    bad = (start < 0) | (end < start) | (end > size[doc] if len(doc) else False)
    if np.any(bad):
        i = int(np.flatnonzero(bad)[0])
        raise InvalidInputError(
            _("coding [{v1}, {v2}) does not fit document {v3!r} of length {v4}").format(
                v1=start[i], v2=end[i], v3=docs[doc[i]], v4=size[doc[i]]
            )
        )
    return _Columns(docs, code_list, list(coders), size, touched, doc, code, coder, start, end)


def _present(cols: _Columns, examined: Mapping[Hashable, Collection[str]] | None) -> Array:
    """documents x coders: who examined each document (or has codings of any code in it)."""
    if examined is None:
        return np.ones((len(cols.docs), len(cols.coders)), dtype=bool)
    present = cols.touched.copy()
    index = {c: i for i, c in enumerate(cols.coders)}
    for d, doc in enumerate(cols.docs):
        for c in examined.get(doc, ()):
            if c in index:
                present[d, index[c]] = True
    return present


def _runs(
    group: Array, start: Array, end: Array, join_touching: bool = True
) -> tuple[Array, Array, Array]:
    """The union of the ranges in each group, as disjoint runs sorted by group and start.
    Empty ranges are dropped; runs that only touch are joined when ``join_touching``."""
    keep = end > start
    group, start, end = group[keep], start[keep], end[keep]
    if not len(group):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    big = int(end.max()) + 1
    s = group * big + start
    e = group * big + end
    order = np.argsort(s, kind="stable")
    s, e = s[order], e[order]
    reach = np.maximum.accumulate(e)
    new = np.ones(len(s), dtype=bool)
    new[1:] = s[1:] > reach[:-1] if join_touching else s[1:] >= reach[:-1]
    first = np.flatnonzero(new)
    last = np.append(first[1:], len(s)) - 1
    run_s, run_e = s[first], reach[last]
    g = run_s // big
    return g, run_s - g * big, run_e - g * big


def _bincount(group: Array, weights: Array, size: int) -> Array:
    counts = np.bincount(group, weights=weights.astype(np.float64), minlength=size)
    return np.rint(counts).astype(np.int64)


def _coverage(cols: _Columns, m: int) -> tuple[Array, Array]:
    """For each code and document, how many positions exactly k coders cover (k = 1..m; column
    0 is left for the caller), and how many each coder covers."""
    n_docs, n_codes = len(cols.docs), len(cols.codes)
    n_pairs = n_docs * n_codes
    pair = cols.code * n_docs + cols.doc
    g, s, e = _runs(pair * m + cols.coder, cols.start, cols.end)
    per_coder = _bincount(g, e - s, n_pairs * m).reshape(n_codes, n_docs, m)
    grp = g // m
    pos = np.concatenate([s, e])
    delta = np.concatenate([np.ones(len(s), np.int64), -np.ones(len(e), np.int64)])
    grp2 = np.concatenate([grp, grp])
    order = np.lexsort((pos, grp2))
    pos, delta, grp2 = pos[order], delta[order], grp2[order]
    depth = np.cumsum(delta)
    same = grp2[1:] == grp2[:-1]
    size = (pos[1:] - pos[:-1])[same]
    key = (grp2[:-1] * (m + 1) + depth[:-1])[same]
    hist = _bincount(key, size, n_pairs * (m + 1)).reshape(n_codes, n_docs, m + 1)
    return hist, per_coder


def _to_unit_space(
    cols: _Columns, units: Mapping[Hashable, Sequence[Range]]
) -> tuple[_Columns, Array]:
    """Codings as ranges of unit indices: a coding covers the units it shares a character
    with. Returns the new columns and the number of units per document."""
    starts, ends, n_units = [], [], []
    for d, doc in enumerate(cols.docs):
        us = np.asarray(units.get(doc, ()), dtype=np.int64).reshape(-1, 2)
        if len(us) and (
            np.any(us[:, 0] >= us[:, 1])
            or np.any(us[1:, 0] < us[:-1, 1])
            or us[0, 0] < 0
            or us[-1, 1] > cols.lengths[d]
        ):
            raise InvalidInputError(
                _(
                    "the units of {doc!r} must be sorted, non-empty, non-overlapping "
                    "ranges inside the document"
                ).format(doc=doc)
            )
        starts.append(us[:, 0])
        ends.append(us[:, 1])
        n_units.append(len(us))
    count = np.array(n_units, dtype=np.int64)
    offset = np.concatenate([[0], np.cumsum(count)])
    big = int(max(cols.lengths.max(initial=0), 0)) + 1
    doc_of_unit = np.repeat(np.arange(len(cols.docs)), count)
    u_start = doc_of_unit * big + np.concatenate(starts or [np.zeros(0, np.int64)])
    u_end = doc_of_unit * big + np.concatenate(ends or [np.zeros(0, np.int64)])
    base = cols.doc * big
    lo = np.searchsorted(u_end, base + cols.start, side="right") - offset[cols.doc]
    hi = np.searchsorted(u_start, base + cols.end, side="left") - offset[cols.doc]
    lo = np.clip(lo, 0, count[cols.doc]) if len(lo) else lo
    hi = np.clip(hi, 0, count[cols.doc]) if len(hi) else hi
    # a coding that touches no unit (or an empty coding) becomes an empty range
    hi = np.maximum(hi, lo)
    empty = cols.end <= cols.start
    hi = np.where(empty, lo, hi)
    new = _Columns(
        cols.docs,
        cols.codes,
        cols.coders,
        count,
        cols.touched,
        cols.doc,
        cols.code,
        cols.coder,
        lo,
        hi,
    )
    return new, count
