"""Inter-coder agreement on a project (``qcode agreement``): reads the coders' codings and the
documents' lengths and units, and hands them to :mod:`qcode.analysis.agreement`.

- ``rows``: NVivo's character-level comparison for each pair of coders, code and document
  (percent agreement 0-100 and Cohen's kappa);
- ``totals``: per pair and code, the totals over documents three ways (mean, length-weighted
  mean, pooled characters), and the same over all codes;
- ``alpha``: per code, Krippendorff's alpha for the chosen unit (sentence, paragraph or turn:
  binary presence of the code in each unit; ``char``: Krippendorff's |u-alpha for the code on the
  text as a continuum), with Fleiss' kappa for three or more coders;
- ``unitizing``: u-alpha, |u-alpha and cu-alpha over the codes, as ATLAS.ti reports them;
- ``disagreements`` (on request): where the coders differ, with the text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from itertools import combinations
from typing import Any

from sqlalchemy import select

from qcode.analysis.agreement import (
    CharTable,
    character_agreement,
    disagreements,
    unit_agreement,
    unitizing_agreement,
)
from qcode.analysis.agreement_columns import CodingColumns
from qcode.errors import InvalidInputError, NotFoundError
from qcode.i18n import _
from qcode.records import Records
from qcode.services.codes import CodeTree
from qcode.services.project import Project
from qcode.store.models import Coder, Coding, Document, Memo, Segment

UNITS = ("char", "sentence", "paragraph", "turn")


def _split(values: Sequence[str]) -> list[str]:
    return [v.strip() for item in values for v in item.split(",") if v.strip()]


def agreement(
    p: Project,
    coders: Sequence[str],
    codes: Sequence[str] = (),
    docs: Sequence[str] = (),
    unit: str = "char",
    with_disagreements: bool = False,
) -> dict[str, Any]:
    """Everything ``qcode agreement --json`` prints."""
    names = list(dict.fromkeys(_split(coders)))
    if len(names) < 2:
        raise InvalidInputError(_("agreement needs two or more coders: --coders A,B"))
    if unit not in UNITS:
        raise InvalidInputError(
            _("unknown unit {unit!r} ({v1})").format(unit=unit, v1=", ".join(UNITS))
        )
    with p.read() as s:
        c = s.connection()
        coder_id = {r.name: r.id for r in c.execute(select(Coder.id, Coder.name))}
        missing = [n for n in names if n not in coder_id]
        if missing:
            raise NotFoundError(_("no coder named {v1!r}").format(v1=missing[0]))
        tree = CodeTree(c)
        code_ids = [tree.resolve(ref) for ref in _split(codes)]
        doc_rows = c.execute(
            select(Document.id, Document.uuid, Document.name, Document.chars)
        ).all()
        by_name = {d.name: d for d in doc_rows}
        wanted = _split(docs)
        for w in wanted:
            if w not in by_name:
                raise NotFoundError(_("no document named {w!r}").format(w=w))
        chosen = [by_name[w] for w in wanted] if wanted else sorted(doc_rows, key=lambda r: r.name)
        ids = {d.id: d.name for d in chosen}
        lengths = {d.name: d.chars for d in chosen}
        q = select(Coding.document_id, Coding.code_id, Coding.coder_id, Coding.start, Coding.end)
        q = q.where(Coding.coder_id.in_([coder_id[n] for n in names]))
        if code_ids:
            q = q.where(Coding.code_id.in_(code_ids))
        records = _read_columns(c, q, tree, ids, coder_id)
        # which compared coder coded anything at all in which document: where one coded
        # nothing, the others' codings there count as disagreement (said, not changed)
        coded: dict[str, set[str]] = {n: set() for n in names}
        named = {v: k for k, v in coder_id.items()}
        seen = select(Coding.coder_id, Coding.document_id).distinct()
        seen = seen.where(
            Coding.coder_id.in_([coder_id[n] for n in names]), Coding.document_id.in_(list(ids))
        )
        for coder, doc in c.execute(seen):
            coded[named[coder]].add(ids[doc])
        code_list = sorted(tree.path(i) for i in code_ids) if code_ids else None
        units: dict[Any, list[tuple[int, int]]] | None = None
        if unit != "char":
            units = {name: [] for name in lengths}
            seg = select(Segment.document_id, Segment.start, Segment.end).where(
                Segment.kind == unit, Segment.document_id.in_(list(ids))
            )
            for r in c.execute(seg.order_by(Segment.document_id, Segment.start)):
                units[ids[r.document_id]].append((r.start, r.end))
        texts = {d.name: p.text_of(c, d) for d in chosen} if with_disagreements else {}
    out: dict[str, Any] = {"coders": names, "unit": unit, "rows": [], "totals": {}}
    anyone = set().union(*coded.values())
    out["uncoded"] = {n: sorted(anyone - coded[n]) for n in names if anyone - coded[n]}
    out["coded_by_all"] = sorted(set.intersection(*coded.values()))
    by_pair: list[dict[str, Any]] = []
    for a, b in combinations(names, 2):
        results = character_agreement(records, lengths, a, b, code_list)
        pooled = CharTable(0, 0, 0, 0)
        for ca in results:
            pooled = pooled + ca.table
            for d in ca.documents:
                out["rows"].append(
                    {
                        "code": ca.code,
                        "document": d.document,
                        "coder_a": a,
                        "coder_b": b,
                        "percent_agreement": d.percent_agreement,
                        "kappa": d.kappa,
                        "characters": d.length,
                        "both": d.table.both,
                        "only_a": d.table.only_a,
                        "only_b": d.table.only_b,
                        "neither": d.table.neither,
                    }
                )
            by_pair.append(
                {
                    "code": ca.code,
                    "coder_a": a,
                    "coder_b": b,
                    "mean": ca.mean.as_json(),
                    "weighted": ca.weighted.as_json(),
                    "pooled": ca.pooled.as_json(),
                }
            )
        out["totals"].setdefault("all_codes", []).append(
            {
                "coder_a": a,
                "coder_b": b,
                "pooled": {
                    "percent_agreement": pooled.percent_agreement,
                    "kappa": pooled.kappa,
                },
            }
        )
    out["totals"]["by_code"] = by_pair
    if unit == "char":
        u = unitizing_agreement(records, lengths, names, code_list)
        out["alpha"] = [
            {"code": code, "unit": "char", "alpha": value, "measure": "|u-alpha"}
            for code, value in sorted(u.per_code.items())
        ]
        out["unitizing"] = u.as_json()
    else:
        out["alpha"] = [
            {
                "code": r.code,
                "unit": unit,
                "alpha": r.alpha,
                "measure": "alpha (nominal, presence)",
                "fleiss_kappa": r.fleiss_kappa,
                "cohen_kappa": r.cohen_kappa,
                "percent_agreement": r.percent_agreement,
                "units": r.units,
                "coded": r.coded,
            }
            for r in unit_agreement(records, lengths, names, code_list, units, unit=unit)
        ]
    if with_disagreements:
        out["disagreements"] = [
            {**d.as_json(), "text": texts[d.document][d.start : d.end]}
            for d in disagreements(records, lengths, names, code_list)
        ]
    return out


@dataclass(frozen=True)
class AgreementRow:
    """One pair of coders on one code in one document (NVivo's character comparison)."""

    code: str
    document: str
    coder_a: str
    coder_b: str
    percent_agreement: float
    kappa: float | None
    characters: int
    both: int
    only_a: int
    only_b: int
    neither: int


@dataclass(frozen=True)
class AlphaRow:
    """Krippendorff's alpha for one code (the unit's measure; kappas and counts for units)."""

    code: str
    unit: str
    alpha: float | None
    measure: str
    fleiss_kappa: float | None = None
    cohen_kappa: float | None = None
    percent_agreement: float | None = None
    units: int | None = None
    coded: int | None = None


@dataclass
class AgreementResult:
    """:func:`agreement` as typed records: ``rows`` and ``alpha`` with ``.to_pandas()``; the
    rest (totals, unitizing, disagreements) as in the JSON, which ``as_json`` gives unchanged."""

    coders: list[str]
    unit: str
    rows: Records[AgreementRow]
    alpha: Records[AlphaRow]
    data: dict[str, Any] = field(repr=False, default_factory=dict)

    @classmethod
    def of(cls, data: dict[str, Any]) -> AgreementResult:
        def typed(kind: type, items: list[dict[str, Any]]) -> Records[Any]:
            names = [f.name for f in fields(kind)]
            return Records((kind(**{k: d.get(k) for k in names}) for d in items), of=kind)

        return cls(
            list(data["coders"]),
            data["unit"],
            typed(AgreementRow, data["rows"]),
            typed(AlphaRow, data.get("alpha", [])),
            data,
        )

    def as_json(self) -> dict[str, Any]:
        return self.data

    def to_pandas(self) -> Any:
        """The rows (pair x code x document) as a DataFrame; ``alpha.to_pandas()`` for alpha."""
        return self.rows.to_pandas()


def agreement_result(
    p: Project,
    coders: Sequence[str],
    codes: Sequence[str] = (),
    docs: Sequence[str] = (),
    unit: str = "char",
    with_disagreements: bool = False,
) -> AgreementResult:
    """:func:`agreement` as :class:`AgreementResult` (for Python and notebooks)."""
    return AgreementResult.of(agreement(p, coders, codes, docs, unit, with_disagreements))


def _read_columns(
    c: Any, q: Any, tree: CodeTree, ids: dict[int, str], coder_id: dict[str, int]
) -> CodingColumns:
    """The codings of ``q`` as integer columns, straight from the database rows."""
    from itertools import chain

    import numpy as np

    # straight from the driver's cursor: plain tuples of integers, no row objects (the query
    # holds only integer ids, so its values can be written into the SQL)
    sql = str(q.compile(dialect=c.dialect, compile_kwargs={"literal_binds": True}))
    cursor = c.connection.dbapi_connection.cursor()
    try:
        cursor.execute(sql)
        result = cursor.fetchall()
    finally:
        cursor.close()
    flat = np.fromiter(chain.from_iterable(result), dtype=np.int64, count=5 * len(result))
    rows = flat.reshape(-1, 5)
    doc_ids = sorted(ids)
    keep = np.isin(rows[:, 0], doc_ids)
    rows = rows[keep]
    doc = np.searchsorted(doc_ids, rows[:, 0])
    code_ids, code = np.unique(rows[:, 1], return_inverse=True)
    coder_ids = sorted(coder_id.values())
    name_of = {v: k for k, v in coder_id.items()}
    return CodingColumns(
        [ids[i] for i in doc_ids],
        [tree.path(int(i)) for i in code_ids],
        [name_of[i] for i in coder_ids],
        doc,
        code.reshape(-1),
        np.searchsorted(coder_ids, rows[:, 2]),
        rows[:, 3],
        rows[:, 4],
    )


RESOLUTIONS = ("coded", "uncoded")


def resolve(
    p: Project,
    document: str,
    code: str,
    start: int,
    end: int,
    accept: str,
    coders: Sequence[str],
    memo: str | None = None,
) -> str:
    """Settle a disagreement on ``[start, end)`` of ``document`` for ``code`` in one undoable
    step: ``coded`` gives every coder in ``coders`` a coding there (the version that codes it);
    ``uncoded`` takes the range out of their codings of the code (the version that does not),
    keeping what lies outside it (a trimmed coding keeps its memos and evidence). ``memo``
    records the discussion as a memo on the span and the code, in the same step. Returns a
    one-line summary."""
    from qcode.services.codings import CodingRequest

    names = list(dict.fromkeys(_split(coders)))
    if accept not in RESOLUTIONS:
        raise InvalidInputError(
            _("unknown resolution {accept!r} (coded or uncoded)").format(accept=accept)
        )
    if not names:
        raise InvalidInputError(_("name the coders whose codings to settle: --coders A,B"))
    if end <= start:
        raise InvalidInputError(_("empty range [{start}, {end})").format(start=start, end=end))
    with p.change("agreement.resolve") as ch:
        c = ch.conn
        tree = CodeTree(c)
        cid = tree.resolve(code)
        doc = c.execute(
            select(Document.id, Document.chars).where(Document.name == document)
        ).first()
        if doc is None:
            raise NotFoundError(_("no document named {document!r}").format(document=document))
        if end > doc.chars:
            raise InvalidInputError(
                _("range [{start}, {end}) is past the end of {document!r}").format(
                    start=start, end=end, document=document
                )
            )
        ids = {r.name: r.id for r in c.execute(select(Coder.id, Coder.name))}
        for n in names:
            if n not in ids:
                raise NotFoundError(_("no coder named {n!r}").format(n=n))
        rows = c.execute(
            select(Coding.id, Coding.coder_id, Coding.start, Coding.end).where(
                Coding.document_id == doc.id,
                Coding.code_id == cid,
                Coding.coder_id.in_([ids[n] for n in names]),
                Coding.start < end,
                Coding.end > start,
            )
        ).all()
        requests = []
        if accept == "coded":
            covered = {r.coder_id for r in rows if r.start <= start and r.end >= end}
            requests = [
                CodingRequest(document, start, end, tree.path(cid), n)
                for n in names
                if ids[n] not in covered
            ]
        else:
            _trim(ch, doc.id, cid, [ids[n] for n in names], rows, start, end)
        p.codings.apply_in(ch, requests)
        if memo:
            from qcode.services.memos import Target

            memo_id = ch.insert_one(
                Memo,
                title=f"Discussion: {tree.path(cid)} in {document} [{start}, {end})",
                body=memo,
                type="method",
                coder_id=p.ensure_coder(ch, None),
            )
            p.memos._link(
                ch, memo_id, [Target("document", document, start, end), Target("code", code)]
            )
        verb = "coded" if accept == "coded" else "not coded"
        ch.summary = (
            f"settle {tree.path(cid)!r} in {document!r} [{start}, {end}) as {verb} "
            f"for {', '.join(names)}"
        )
        return ch.summary


def _trim(
    ch: Any, doc_id: int, code_id: int, coder_ids: list[int], rows: Any, start: int, end: int
) -> None:
    """Take ``[start, end)`` out of the codings ``rows``: a coding keeps the piece before the
    range (or else the piece after it) in place, with its memo links and evidence; a second
    piece becomes a coding of its own; a piece the coder already has is not made twice."""
    text = ch.conn.scalar(select(Document.text).where(Document.id == doc_id)) or ""
    trimmed = {r.id for r in rows}
    have = {
        (r.coder_id, r.start, r.end)
        for r in ch.conn.execute(
            select(Coding.id, Coding.coder_id, Coding.start, Coding.end).where(
                Coding.document_id == doc_id,
                Coding.code_id == code_id,
                Coding.coder_id.in_(coder_ids),
            )
        )
        if r.id not in trimmed
    }
    gone = []
    for r in rows:
        pieces = []
        for a, b in ((r.start, start), (end, r.end)):
            if b > a and (r.coder_id, a, b) not in have:
                have.add((r.coder_id, a, b))
                pieces.append((a, b))
        if not pieces:
            gone.append(r.id)
            continue
        (a, b), rest = pieces[0], pieces[1:]
        ch.update(Coding, [r.id], start=a, end=b, text=text[a:b])
        for a, b in rest:
            ch.insert_one(
                Coding,
                document_id=doc_id,
                code_id=code_id,
                coder_id=r.coder_id,
                start=a,
                end=b,
                text=text[a:b],
            )
    ch.detach_codings(gone)
    ch.delete(Coding, gone)
