"""What part of a project an analysis or query looks at: one value for every command.

``Scope(docs, cases, where, coders, level)``: the documents named (all when none), of the cases
named (a document's own case), whose case or document attributes match every ``KEY=VALUE`` of
``where``; the codings of the coders named (all when none); codes as they are (``open``) or counted
for the nearest category above them (``axial``).
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from qcode.errors import InvalidInputError, NotFoundError
from qcode.i18n import _
from qcode.services.attributes import parse_assignments, parse_value
from qcode.services.codings import find_document
from qcode.store.models import AttributeDef, Case, Coder, Document

if TYPE_CHECKING:
    from qcode.services.project import Project

LEVELS = ("open", "axial")


def did_you_mean(name: str, known: Sequence[str]) -> str:
    """`` (did you mean 'a', 'b'?)`` with the closest known names, or nothing."""
    folded_name = name.casefold()
    close = [k for k in known if k.casefold().startswith(folded_name)][:3]
    close = close or difflib.get_close_matches(name, list(known), n=3, cutoff=0.6)
    if not close:
        folded = {k.casefold(): k for k in known}
        close = [folded[k] for k in difflib.get_close_matches(name.casefold(), list(folded), 3)]
    if not close:
        return ""
    return _(" (did you mean {names}?)").format(names=", ".join(repr(c) for c in close))


def matching_documents(
    p: Project, where: Sequence[str] = (), docs: Sequence[str] = ()
) -> list[int]:
    """Ids of the documents named (all when none) whose case or document attributes match
    every ``KEY=VALUE`` of ``where``."""
    conditions = parse_assignments(list(where))
    case_vals = p.attributes.values("case") if conditions else {}
    doc_vals = p.attributes.values("document") if conditions else {}
    with p.read() as s:
        types = {(a.scope, a.name): a.type for a in s.scalars(select(AttributeDef))}
        if docs:
            ids = [find_document(s, d).id for d in docs]
            rows = s.execute(
                select(Document.id, Document.name, Document.case_id).where(Document.id.in_(ids))
            ).all()
        else:
            rows = s.execute(select(Document.id, Document.name, Document.case_id)).all()
        case_names = dict(s.execute(select(Case.id, Case.name)).all())
    for key in conditions:
        if ("case", key) not in types and ("document", key) not in types:
            known = sorted({n for _, n in types})
            raise NotFoundError(
                _("no attribute {key!r} to filter on{v1}").format(
                    key=key, v1=did_you_mean(key, known)
                )
            )
    out = []
    met: set[str] = set()  # the conditions some document meets
    values_of: dict[str, set[str]] = {key: set() for key in conditions}
    for doc_id, name, case_id in rows:
        ok = True
        for key, raw in conditions.items():
            matched = False
            for scope, values in (
                ("case", case_vals.get(case_names.get(case_id or -1, ""), {})),
                ("document", doc_vals.get(name, {})),
            ):
                type_ = types.get((scope, key))
                if type_ is None or key not in values:
                    continue
                try:
                    wanted = parse_value(key, type_, raw)
                except InvalidInputError:
                    continue
                have = values[key]
                have_s = ("true" if have else "false") if isinstance(have, bool) else str(have)
                values_of[key].add(have_s)
                if parse_value(key, type_, have_s) == wanted:
                    matched = True
            if matched:
                met.add(key)
            ok = ok and matched
        if ok:
            out.append(doc_id)
    for key, raw in conditions.items():  # a value no document has is a slip, not an answer
        if key not in met:
            raise NotFoundError(
                _("no document has {key}={raw} ({key}: {values})").format(
                    key=key, raw=raw, values=_some(values_of[key])
                )
            )
    return out


def _some(values: set[str], most: int = 8) -> str:
    shown = sorted(values)
    if not shown:
        return _("no document has a value")
    more = len(shown) - most
    return ", ".join(shown[:most]) + (_(", and {n} more").format(n=more) if more > 0 else "")


@dataclass(frozen=True)
class Scope:
    docs: tuple[str, ...] = ()
    cases: tuple[str, ...] = ()
    where: tuple[str, ...] = ()
    coders: tuple[str, ...] = ()
    level: str = "open"
    sets: tuple[str, ...] = ()  # saved sets whose results analysis counts as codes "set:NAME"

    def __post_init__(self) -> None:
        # lists given from Python become tuples, so that a scope can key a cache
        for name in ("docs", "cases", "where", "coders", "sets"):
            value = getattr(self, name)
            if isinstance(value, str):
                value = (value,)
            object.__setattr__(self, name, tuple(value))

    @classmethod
    def of(
        cls,
        docs: Sequence[str] = (),
        cases: Sequence[str] = (),
        where: Sequence[str] = (),
        coders: Sequence[str] = (),
        level: str = "open",
        sets: Sequence[str] = (),
    ) -> Scope:
        """A scope from the lists a command line gives; refuses an unknown level."""
        if level not in LEVELS:
            raise InvalidInputError(
                _("unknown level {level!r} (open or axial)").format(level=level)
            )
        return cls(tuple(docs), tuple(cases), tuple(where), tuple(coders), level, tuple(sets))

    @property
    def filtered(self) -> bool:
        return bool(self.docs or self.cases or self.where)

    def document_ids(self, p: Project) -> list[int]:
        """The documents in scope, in import order."""
        ids = matching_documents(p, self.where, self.docs)
        if self.cases:
            with p.read() as s:
                known = dict(s.execute(select(Case.name, Case.id)).all())
                wanted = set()
                for c in self.cases:
                    if c not in known:
                        raise NotFoundError(
                            _("no case {c!r}{v1}").format(c=c, v1=did_you_mean(c, list(known)))
                        )
                    wanted.add(known[c])
                in_cases = set(
                    s.scalars(select(Document.id).where(Document.case_id.in_(wanted))).all()
                )
            ids = [d for d in ids if d in in_cases]
        return sorted(ids)

    def coder_ids(self, p: Project) -> list[int] | None:
        """The coders' ids, or None for every coder."""
        if not self.coders:
            return None
        with p.read() as s:
            known = dict(s.execute(select(Coder.name, Coder.id)).all())
        out = []
        for c in self.coders:
            if c not in known:
                raise NotFoundError(
                    _("no coder {c!r}{v1}").format(c=c, v1=did_you_mean(c, list(known)))
                )
            out.append(known[c])
        return out
