"""The words of ``qcode merge``'s conflict and note lines, in the interface's language: whole
sentences with named placeholders (:mod:`qcode.i18n`), so a translation can order them as its
language does. The fields a line names (``description``, ``color``, ``memo links`` ...) are
compared by their column's name and shown in the interface's language (:func:`field`).
"""

from __future__ import annotations

from qcode.i18n import _, attribute_type, ngettext, pgettext


def field(name: str) -> str:
    """A field (a column) or a facet (what other tables hold about a thing) as a line names it,
    in the interface's language; an unknown one as it is."""
    return {
        "name": pgettext("field", "name"),
        "description": pgettext("field", "description"),
        "inclusion": pgettext("field", "inclusion"),
        "exclusion": pgettext("field", "exclusion"),
        "example": pgettext("field", "example"),
        "in_vivo": pgettext("field", "in_vivo"),
        "level": pgettext("field", "level"),
        "color": pgettext("field", "color"),
        "place in the tree": pgettext("field", "place in the tree"),
        "title": pgettext("field", "title"),
        "body": pgettext("field", "body"),
        "type": pgettext("field", "type"),
        "scope": pgettext("field", "scope"),
        "query": pgettext("field", "query"),
        "comment": pgettext("field", "comment"),
        "text_hash": pgettext("field", "text_hash"),
        "case": pgettext("field", "case"),
        "case_id": pgettext("field", "case"),
        "attribute values": pgettext("field", "attribute values"),
        "values": pgettext("field", "values"),
        "documents": pgettext("field", "documents"),
        "memo links": pgettext("field", "memo links"),
        "links": pgettext("field", "links"),
        "evidence": pgettext("field", "evidence"),
        "members": pgettext("field", "members"),
    }.get(name, name)


def label(kind: str, name: object) -> str:
    """How a line names ``kind`` ``name``: "code 'rent'", "case 'P1'" ..."""
    return {
        "code": _("code {name!r}"),
        "case": _("case {name!r}"),
        "document": _("document {name!r}"),
        "memo": _("memo {name!r}"),
        "attribute": _("attribute {name!r}"),
        "set": _("set {name!r}"),
    }[kind].format(name=name)


def relation(source: object, kind: str, target: object) -> str:
    return _("relation {source!r} {kind} {target!r}").format(
        source=source, kind=kind, target=target
    )


def a_relation() -> str:
    return _("a relation")


def deleted(what: str, here: bool, why: str) -> str:
    """``what`` deleted on one side (``here`` or there) and changed on the other (``why``)."""
    if here:
        return _("{what} was deleted here; changed there ({why})").format(what=what, why=why)
    return _("{what} was deleted there; changed here ({why})").format(what=what, why=why)


def edited(what: str, here: bool) -> str:
    """Memo ``what`` deleted on one side (``here`` or there) and edited on the other."""
    if here:
        return _("{what} was deleted here; edited there").format(what=what)
    return _("{what} was deleted there; edited here").format(what=what)


def fields_changed(fields: list[str], here: bool) -> str:
    """Why: the ``fields`` (or facets) one side changed ("description, colour changed here")."""
    names = _(", ").join(field(f) for f in fields)
    if here:
        return _("{fields} changed here").format(fields=names)
    return _("{fields} changed").format(fields=names)


def codings_made(n: int, here: bool) -> str:
    if here:
        return ngettext("{n} coding made here since", "{n} codings made here since", n).format(n=n)
    return ngettext("{n} coding made there since", "{n} codings made there since", n).format(n=n)


def renamed(here: bool) -> str:
    return _("renamed here") if here else _("renamed there")


def sub_codes_here() -> str:
    return _("it has sub-codes here")


def members_changed(here: bool) -> str:
    return _("members changed here") if here else _("members changed")


def both(what: str, name: str) -> str:
    return _("{what}: {field} changed on both sides").format(what=what, field=field(name))


def differs(what: str, name: str) -> str:
    return _("{what}: {field} differs").format(what=what, field=field(name))


def taken(line: str, theirs: bool) -> str:
    """A conflict's line, with which side ``take`` chose."""
    if theirs:
        return _("{line}; took the other's").format(line=line)
    return _("{line}; kept this project's").format(line=line)


def value_removed_there(what: str, ours: object) -> str:
    return _("{what}: attribute value removed there, {ours!r} here").format(what=what, ours=ours)


def value_there(what: str, theirs: object, ours: object) -> str:
    if ours is None:
        return _("{what}: attribute value {theirs!r} there, removed here").format(
            what=what, theirs=theirs
        )
    return _("{what}: attribute value {theirs!r} there, {ours!r} here").format(
        what=what, theirs=theirs, ours=ours
    )


def case_on_both(name: str) -> str:
    return _("document {name!r}: case changed on both sides").format(name=name)


def memo_kept_beside(name: str, title: str, theirs: bool) -> str:
    """Memo ``name`` edited on both sides: one version kept beside the other as ``title``."""
    if theirs:
        return _(
            "memo {name!r} was edited on both sides; took the other's, this project's version "
            "is kept beside it as {title!r}"
        ).format(name=name, title=title)
    return _(
        "memo {name!r} differs between the two projects; the other's version is kept beside "
        "this one as {title!r}"
    ).format(name=name, title=title)


def memo_on_both(name: str) -> str:
    return _("memo {name!r} was edited on both sides").format(name=name)


def moved(here: str, there: str) -> str:
    return _("code {here!r} is {there!r} in the other project").format(here=here, there=there)


def core_there(path: str) -> str:
    return _("code {path!r} is the core category there (one core)").format(path=path)


def types_differ(name: str, there: str, here: str) -> str:
    return _(
        "attribute {name!r} is {there} there and {here} here (its values are not merged)"
    ).format(name=name, there=attribute_type(there), here=attribute_type(here))


def stopped(n: int) -> str:
    return ngettext(
        "merge stopped at {n} conflict; nothing was changed: choose with --ours (keep this "
        "project's) or --theirs (take the other's)",
        "merge stopped at {n} conflicts; nothing was changed: choose with --ours (keep this "
        "project's) or --theirs (take the other's)",
        n,
    ).format(n=n)
