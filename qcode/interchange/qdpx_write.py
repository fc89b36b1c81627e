"""Writing ``.qdpx`` files: ``project.qde`` valid against ``Project-mrt2019.xsd`` and the sources,
in a zip whose bytes depend on the project only (see :func:`write_qdpx`)."""

from __future__ import annotations

import hashlib
import re
import uuid
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from lxml import etree

from qcode.errors import InputFileError
from qcode.i18n import _
from qcode.interchange.qdpx_model import (
    _Q,
    _SELECTION_NS,
    COMMENT,
    MEMO_CASE,
    MEMO_TYPE,
    SCOPE,
    SUMMARY,
    VARIABLE_TYPES,
    Exchange,
    XCoding,
    XNote,
    XSource,
)
from qcode.interchange.refi import (
    ORIGIN,
    PROJECT_NS,
    new_guid,
    write_codes,
    xml_safe,
)


def _stamp(dt: datetime | None) -> str | None:
    return dt.isoformat(timespec="seconds") + "Z" if dt is not None else None


def _sub(parent: Any, tag: str, text: str | None = None, **attrs: str | None) -> Any:
    el = etree.SubElement(
        parent, _Q + tag, {k: xml_safe(v) for k, v in attrs.items() if v is not None}
    )
    if text is not None:
        el.text = xml_safe(text)
    return el


_ATTR_PLAIN = re.compile('[^&<>"\x00-\x1f\ufffe\uffff\ud800-\udfff]*')


_SPLICE = "QcodeSplice"  # stands for a source's selections until they are put in as text
_SPLICED = re.compile(rb'<QcodeSplice n="(\d+)"/>')  # never in text: "<" is always escaped


def _attr(value: str) -> str:
    """``value`` as the text of a double-quoted XML attribute, read back as ``_sub`` writes it."""
    if _ATTR_PLAIN.fullmatch(value):
        return value
    value = xml_safe(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return (
        value.replace('"', "&quot;")
        .replace("\t", "&#9;")
        .replace("\n", "&#10;")
        .replace("\r", "&#13;")
    )


def _refs(parent: Any, tag: str, guids: list[str]) -> None:
    for g in guids:
        _sub(parent, tag, targetGUID=g)


_SELECTION_PREFIX = _SELECTION_NS.bytes


def selection_guid(coding_guid: str) -> str:
    """The stable GUID of the selection that holds one coding: ``uuid.uuid5`` of the coding's GUID
    (computed directly from SHA-1, which is what uuid5 does, without its objects: an export makes
    one per coding)."""
    h = bytearray(hashlib.sha1(_SELECTION_PREFIX + coding_guid.encode()).digest()[:16])
    h[6] = (h[6] & 0x0F) | 0x50
    h[8] = (h[8] & 0x3F) | 0x80
    x = h.hex()
    return f"{x[:8]}-{x[8:12]}-{x[12:16]}-{x[16:20]}-{x[20:]}"


def _values(parent: Any, values: dict[str, str], types: dict[str, str]) -> None:
    for var, value in values.items():
        vv = _sub(parent, "VariableValue")
        _sub(vv, "VariableRef", targetGUID=var)
        kind = types[var]
        tag = {"number": "FloatValue", "date": "DateValue", "boolean": "BooleanValue"}.get(
            kind, "TextValue"
        )
        _sub(vv, tag, value)


def project_xml(x: Exchange, spliced: list[bytes] | None = None) -> Any:
    """The ``Project`` element of ``x``, in the order the schema requires. With ``spliced``
    (a list to fill), each source's selections are not made as elements: an empty
    ``QcodeSplice`` element stands where they go and their XML text is appended to ``spliced``,
    for :func:`write_qdpx` to put in place in the serialised bytes."""
    root = etree.Element(_Q + "Project", nsmap={None: PROJECT_NS})
    root.set("name", x.name or "qcode project")
    root.set("origin", ORIGIN)
    if x.users:
        users = _sub(root, "Users")
        for g, n in x.users.items():
            _sub(users, "User", guid=g, name=n)
    if x.codes:
        write_codes(_sub(_sub(root, "CodeBook"), "Codes"), PROJECT_NS, x.codes, x.code_notes)
    types = {v.guid: v.type for v in x.variables}
    if x.variables:
        el = _sub(root, "Variables")
        for v in x.variables:
            ve = _sub(
                el, "Variable", guid=v.guid, name=v.name, typeOfVariable=VARIABLE_TYPES[v.type]
            )
            lines = [v.description] if v.description else []
            if v.scope == "document":  # REFI variables have no scope; keep qcode's
                lines.append(SCOPE + v.scope)
            if lines:
                _sub(ve, "Description", "\n".join(lines))
    if x.cases:
        el = _sub(root, "Cases")
        for c in x.cases:
            ce = _sub(el, "Case", guid=c.guid, name=c.name)
            if c.description:
                _sub(ce, "Description", c.description)
            _values(ce, c.values, types)
            _refs(ce, "SourceRef", c.sources)
    if x.sources:
        el = _sub(root, "Sources")
        used: set[str] = set()  # selection GUIDs, each written once in the project
        for s in x.sources:
            _source(el, s, types, used, spliced)
    if x.notes:
        el = _sub(root, "Notes")
        for note in x.notes:
            _note(el, note)
    if x.links:
        el = _sub(root, "Links")
        for link in x.links:
            le = _sub(
                el,
                "Link",
                guid=link.guid,
                name=link.name,
                direction=link.direction,
                originGUID=link.origin,
                targetGUID=link.target,
            )
            _refs(le, "NoteRef", link.notes)
    if x.sets:
        el = _sub(root, "Sets")
        for st in x.sets:
            se = _sub(el, "Set", guid=st.guid, name=st.name)
            if st.description:
                _sub(se, "Description", st.description)
            _refs(se, "MemberCode", st.codes)
            _refs(se, "MemberSource", st.sources)
            _refs(se, "MemberNote", st.notes)
    return root


def _source(
    parent: Any,
    s: XSource,
    types: dict[str, str],
    used: set[str],
    spliced: list[bytes] | None = None,
) -> None:
    outer = None
    if s.format == "pdf" and s.original is not None:
        # the standard's PDFSource: the PDF itself, and the text the selections count in as its
        # Representation (a TextSource with a GUID derived from the source's)
        outer = _sub(
            parent,
            "PDFSource",
            guid=s.guid,
            name=s.name,
            path=f"internal://{s.guid}.pdf",
            creatingUser=s.user,
            creationDateTime=_stamp(s.created),
        )
        if s.description:
            _sub(outer, "Description", s.description)
    se = _sub(
        parent if outer is None else outer,
        "TextSource" if outer is None else "Representation",
        guid=s.guid if outer is None else representation_guid(s.guid),
        name=s.name,
        plainTextPath=f"internal://{s.guid}.txt",
        creatingUser=s.user,
        creationDateTime=_stamp(s.created),
    )
    if s.description and outer is None:
        _sub(se, "Description", s.description)
    # the hot part of an export (a selection and a coding for every coding) is written as XML
    # text and parsed in one call, several times faster than making each element from Python;
    # the tree, and so the bytes written, are the same
    groups = _selections(s.codings, used)
    if groups and spliced is not None:  # every value escaped: the text is well-formed as it is
        _sub(se, _SPLICE, n=str(len(spliced)))
        spliced.append(_selections_xml(groups, _attr, inner=True))
    elif groups:
        try:  # GUIDs are qcode's own, checked on the way in: written as they are
            se.extend(list(etree.fromstring(_selections_xml(groups, str))))
        except etree.XMLSyntaxError:  # one was not: every value escaped
            se.extend(list(etree.fromstring(_selections_xml(groups, _attr))))
    for r in s.ranges:
        sel = _sub(
            se,
            "PlainTextSelection",
            guid=r.guid or new_guid(),
            startPosition=str(r.start),
            endPosition=str(r.end),
        )
        _refs(sel, "NoteRef", r.notes)
    _refs(se if outer is None else outer, "NoteRef", s.notes)
    _values(se if outer is None else outer, s.values, types)


def _selections_xml(
    groups: list[tuple[tuple[str, str], list[XCoding]]],
    esc: Callable[[str], str],
    inner: bool = False,
) -> bytes:
    """The selections as XML text: in a wrapper element declaring the namespace, or (``inner``)
    the elements alone, as they serialise inside the project."""
    stamps: dict[datetime, str] = {}

    def stamp(dt: datetime | None) -> str:
        if dt is None:
            return ""
        got = stamps.get(dt)
        if got is None:
            got = stamps[dt] = f' creationDateTime="{dt.isoformat(timespec="seconds")}Z"'
        return got

    parts = [] if inner else [f'<x xmlns="{PROJECT_NS}">']
    add = parts.append
    for (guid, name), group in groups:
        first = group[0]
        user = f' creatingUser="{esc(first.user)}"' if first.user is not None else ""
        named = f' name="{_attr(name)}"' if name else ""
        add(
            f'<PlainTextSelection guid="{esc(guid)}"{named} startPosition="{first.start}" '
            f'endPosition="{first.end}"{user}{stamp(first.created)}>'
        )
        for c in group:
            user = f' creatingUser="{esc(c.user)}"' if c.user is not None else ""
            add(
                f'<Coding guid="{esc(c.guid)}"{user}{stamp(c.created)}>'
                f'<CodeRef targetGUID="{esc(c.code)}"/>'
            )
            for g in c.notes:
                add(f'<NoteRef targetGUID="{esc(g)}"/>')
            add("</Coding>")
        add("</PlainTextSelection>")
    if not inner:
        add("</x>")
    return "".join(parts).encode()


def _selections(
    codings: list[XCoding], used: set[str]
) -> list[tuple[tuple[str, str], list[XCoding]]]:
    """The codings of one source as selections, in order of their first coding: codings that
    came in one selection (same GUID, same range) stay together under its GUID and name; any
    other coding is a selection of its own, with a GUID derived from the coding's. A GUID is
    used once: a coding whose range has changed since leaves its selection."""
    groups: dict[tuple[str, int, int], list[XCoding]] = {}
    names: dict[tuple[str, int, int], str] = {}
    for c in codings:
        key = (c.selection, c.start, c.end)
        if c.selection and key in groups:
            groups[key].append(c)
            continue
        if not c.selection or c.selection in used:
            key = (selection_guid(c.guid), c.start, c.end)
        used.add(key[0])
        groups[key] = [c]
        names[key] = c.selection_name if key[0] == c.selection else ""
    return [((key[0], names[key]), group) for key, group in groups.items()]


def representation_guid(source_guid: str) -> str:
    return str(uuid.uuid5(uuid.UUID(source_guid), "representation"))


def _note(parent: Any, n: XNote) -> None:
    ne = _sub(
        parent,
        "Note",
        guid=n.guid,
        name=n.name,
        creatingUser=n.user,
        creationDateTime=_stamp(n.created),
        modifyingUser=n.user if n.modified else None,
        modifiedDateTime=_stamp(n.modified),
    )
    lines = [COMMENT] if n.comment else []
    if n.type != "free":
        lines.append(MEMO_TYPE + n.type)
    lines += [MEMO_CASE + c for c in n.cases]
    lines += [SUMMARY + n.summary] if n.summary else []
    if lines:
        _sub(ne, "Description", "\n".join(lines))
    _sub(ne, "PlainTextContent", n.text)
    _refs(ne, "NoteRef", n.notes)


# every member gets the same time (the zip format's earliest) and mode: the bytes of an export
# then depend on the project alone, not on when or where it was written
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _member(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # Unix, whatever system writes it
    info.external_attr = 0o100644 << 16  # a regular file, rw-r--r--
    return info


def write_qdpx(x: Exchange, path: Path) -> None:
    """Write ``x`` as a ``.qdpx``: ``project.qde`` and ``sources/<GUID>.txt`` in UTF-8 (and a PDF
    source's own bytes as ``sources/<GUID>.pdf``). Byte-stable: ``project.qde`` first, then the
    sources in order of name, every member with a fixed time and mode, so the same project gives
    the same bytes."""
    # the selections (most of a large project) are put into the serialised bytes as text, not
    # parsed into elements to be serialised again: the same bytes (a test compares the two ways)
    spliced: list[bytes] = []
    qde = etree.tostring(project_xml(x, spliced), xml_declaration=True, encoding="utf-8")
    if spliced:
        qde = _SPLICED.sub(lambda m: spliced[int(m.group(1))], qde)
    members: dict[str, bytes] = {}
    for s in x.sources:
        members[f"sources/{s.guid}.txt"] = s.text.encode("utf-8")
        if s.format == "pdf" and s.original is not None:
            members[f"sources/{s.guid}.pdf"] = s.original
    tmp = path.with_name(f".{path.name}.part")
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
            zf.writestr(_member("project.qde"), qde, compresslevel=1)
            for name in sorted(members):
                zf.writestr(_member(name), members[name], compresslevel=1)
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputFileError(
            path, _("cannot be written ({v1})").format(v1=exc.strerror or exc)
        ) from None
