"""REFI-QDA codebooks (``.qdc``) and the parts of the standard that projects share with them.

The standard's code has a name, a colour, a description and children; qcode's code also has a level,
inclusion and exclusion notes, an example and an in-vivo flag. Those travel inside the description
as labelled paragraphs at its end ("Inclusion: ...", "Level: axial"), which other tools show as
plain text and qcode reads back.

Code names may not contain "/" in qcode (it separates a path); a "/" in a name from another tool
becomes "∕" (U+2215 DIVISION SLASH) and turns back into "/" on export.
"""

from __future__ import annotations

import importlib.metadata as _metadata
import re
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from qcode.errors import InputFileError
from qcode.i18n import _
from qcode.interchange.model import Codebook, CodeEntry, SetEntry
from qcode.interchange.safety import parse_xml

CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
CODEBOOK_NAMESPACES = (CODEBOOK_NS, "urn:QDA-XML:codebook:0:4", "urn:QDA-XML:codebook:0.4")
PROJECT_NS = "urn:QDA-XML:project:1.0"
ORIGIN = f"qcode {_metadata.version('qcode')}"
SLASH = "\u2215"

_GUID = re.compile(
    r"^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$"
)
_COLOR = re.compile(r"^#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")
_LABELS = (
    ("inclusion", "Inclusion"),
    ("exclusion", "Exclusion"),
    ("example", "Example"),
    ("level", "Level"),
    ("in_vivo", "In vivo"),
)
_LEVELS = ("open", "axial", "selective")


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_safe(value: str) -> str:
    """``value`` with the characters XML 1.0 cannot hold replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", value)


def local(el: Any) -> str:
    """An element's tag without its namespace."""
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def children(el: Any | None, name: str) -> Iterator[Any]:
    """The child elements of ``el`` named ``name`` (none if ``el`` is None)."""
    if el is None:
        return
    yield from el.iterchildren("{*}" + name)  # in any namespace or none; elements only


def child(el: Any, name: str) -> Any | None:
    return next(children(el, name), None)


def text_of(el: Any, name: str) -> str:
    c = child(el, name)
    return (c.text or "") if c is not None else ""


def guid_of(value: str | None) -> str | None:
    """A GUID in qcode's stored form (lower case, no braces), or None if it is not one."""
    m = _GUID.match((value or "").strip())
    return m.group(1).lower() if m else None


def new_guid() -> str:
    return str(uuid.uuid4())


def color_of(value: str | None) -> str | None:
    """``#RRGGBB`` in upper case from ``#RGB`` or ``#RRGGBB``; None for anything else."""
    m = _COLOR.match((value or "").strip())
    if not m:
        return None
    h = m.group(1)
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    return "#" + h.upper()


def name_in(name: str) -> str:
    """A name from another tool as qcode can hold it."""
    return " ".join(name.replace("/", SLASH).split()) or "(unnamed)"


def name_out(name: str) -> str:
    return name.replace(SLASH, "/")


# -- code descriptions ----------------------------------------------------------------------------
def description_out(c: CodeEntry) -> str:
    """The description with qcode's own fields appended as labelled paragraphs."""
    values = {
        "inclusion": c.inclusion,
        "exclusion": c.exclusion,
        "example": c.example,
        "level": c.level if c.level != "open" else "",
        "in_vivo": "yes" if c.in_vivo else "",
    }
    extra = [(label, " ".join(values[key].split("\n\n")).strip()) for key, label in _LABELS]
    parts = [f"{label}: {v}" for label, v in extra if v]
    return "\n\n".join(([c.description] if c.description else []) + parts)


def description_in(text: str, entry: CodeEntry) -> None:
    """Split a description written by :func:`description_out` (or any tool) into ``entry``:
    labelled paragraphs at its end, in their fixed order, are qcode's fields."""
    order = [label for _, label in _LABELS]
    found: dict[str, str] = {}
    rest, last = text, len(order)
    while True:
        cut = rest.rfind("\n\n")
        head, sep, value = rest[cut + 2 if cut >= 0 else 0 :].partition(": ")
        if not sep or head not in order[:last] or not value.strip() or "\n\n" in value:
            break
        last = order.index(head)
        found[_LABELS[last][0]] = value.strip()
        rest = rest[:cut] if cut >= 0 else ""
    level = found.get("level", "open")
    if not found or level not in _LEVELS or found.get("in_vivo", "yes") != "yes":
        entry.description = text
        return
    entry.description = rest
    entry.inclusion = found.get("inclusion", "")
    entry.exclusion = found.get("exclusion", "")
    entry.example = found.get("example", "")
    entry.level = level
    entry.in_vivo = "in_vivo" in found


# -- code trees (shared by .qdc and .qdpx) --------------------------------------------------------
def read_codes(codes_el: Any, notes: list[str]) -> tuple[list[CodeEntry], dict[str, list[str]]]:
    """The codes under a ``Codes`` element, parents first, with paths; and each code's NoteRefs.

    Duplicate sibling names get a numbered suffix; GUIDs that are missing, malformed or repeated
    get a new one. Each such change is described in ``notes``.
    """
    out: list[CodeEntry] = []
    note_refs: dict[str, list[str]] = {}
    seen: set[str] = set()

    def walk(parent_el: Any, prefix: str) -> None:
        siblings: set[str] = set()
        for el in children(parent_el, "Code"):
            raw_name = el.get("name") or ""
            name = name_in(raw_name)
            if name != raw_name.strip():
                notes.append(
                    _("code {raw_name!r} is named {name!r} ('/' separates code paths)").format(
                        raw_name=raw_name, name=name
                    )
                )
            base, n = name, 1
            while name.casefold() in siblings:
                n += 1
                name = f"{base} ({n})"
            if n > 1:
                notes.append(
                    _("a second code {base!r} under the same parent is named {name!r}").format(
                        base=base, name=name
                    )
                )
            siblings.add(name.casefold())
            path = f"{prefix}/{name}" if prefix else name
            guid = guid_of(el.get("guid"))
            if guid is None or guid in seen:
                notes.append(
                    _("code {path!r} had a missing or repeated GUID; given a new one").format(
                        path=path
                    )
                )
                guid = new_guid()
            seen.add(guid)
            entry = CodeEntry(path=path, guid=guid, color=color_of(el.get("color")))
            description_in(text_of(el, "Description"), entry)
            out.append(entry)
            refs = [g for r in children(el, "NoteRef") if (g := guid_of(r.get("targetGUID")))]
            if refs:
                note_refs[guid] = refs
            walk(el, path)

    walk(codes_el, "")
    return out, note_refs


def write_codes(parent: Any, ns: str, codes: Iterable[CodeEntry], note_refs: Any = None) -> None:
    """Nested ``Code`` elements under ``parent`` (a ``Codes`` element); codes parents first."""
    q = f"{{{ns}}}"
    by_path: dict[str, Any] = {}
    for c in codes:
        host = by_path[c.parent] if c.parent is not None else parent
        el = etree.SubElement(host, q + "Code")
        el.set("guid", c.guid or new_guid())
        el.set("name", xml_safe(name_out(c.name)))
        el.set("isCodable", "true")
        if c.color:
            el.set("color", c.color)
        desc = description_out(c)
        if desc:
            etree.SubElement(el, q + "Description").text = xml_safe(desc)
        for ref in (note_refs or {}).get(c.guid, ()):
            etree.SubElement(el, q + "NoteRef").set("targetGUID", ref)
        by_path[c.path] = el


# -- .qdc -----------------------------------------------------------------------------------------
def write_qdc(cb: Codebook, path: Path) -> None:
    """Write a codebook that validates against the REFI-QDA ``Codebook.xsd``."""
    if not cb.codes:
        raise InputFileError(path, _("not written: the codebook has no codes (a .qdc needs one)"))
    q = f"{{{CODEBOOK_NS}}}"
    root = etree.Element(q + "CodeBook", nsmap={None: CODEBOOK_NS})
    root.set("origin", ORIGIN)
    write_codes(etree.SubElement(root, q + "Codes"), CODEBOOK_NS, cb.codes)
    guids = {c.path: c.guid for c in cb.codes}
    sets = [s for s in cb.sets if s.name]
    if sets:
        sets_el = etree.SubElement(root, q + "Sets")
        for s in sets:
            el = etree.SubElement(sets_el, q + "Set")
            el.set("guid", s.guid or new_guid())
            el.set("name", xml_safe(s.name))
            description = query_in_description(s.description, s.query)
            if description:
                etree.SubElement(el, q + "Description").text = xml_safe(description)
            for code in s.codes:
                if guids.get(code):
                    etree.SubElement(el, q + "MemberCode").set("guid", str(guids[code]))
    write_bytes(path, etree.tostring(root, xml_declaration=True, encoding="utf-8"))


QUERY_LABEL = "qcode query: "


def query_in_description(description: str, query: str | None) -> str:
    """REFI-QDA has no place for a saved query: it goes in the set's description as a last
    paragraph ``qcode query: EXPR``, which qcode reads back and other programs show as text."""
    if not query:
        return description
    return (description + "\n\n" if description else "") + QUERY_LABEL + query


def query_from_description(description: str) -> tuple[str, str | None]:
    head, sep, query = description.rpartition(QUERY_LABEL)
    if not sep or "\n" in query or (head and not head.endswith("\n")):
        return description, None
    return head.strip(), query.strip() or None


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file, so no half-written file remains."""
    tmp = path.with_name(f".{path.name}.part")
    try:
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputFileError(
            path, _("cannot be written ({v1})").format(v1=exc.strerror or exc)
        ) from None


def read_qdc(path: Path) -> Codebook:
    """A REFI-QDA codebook (namespace ``1.0`` or ``0:4``; an empty ``<Sets/>`` is accepted)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputFileError(
            path, _("cannot be read ({v1})").format(v1=exc.strerror or exc)
        ) from None
    root = parse_xml(data, path)
    ns = etree.QName(root).namespace
    if local(root) != "CodeBook" or ns not in (*CODEBOOK_NAMESPACES, PROJECT_NS, None):
        raise InputFileError(
            path, _("is not a REFI-QDA codebook (root element {tag!r})").format(tag=root.tag)
        )
    return codebook_from(root, path)


def codebook_from(root: Any, where: Path) -> Codebook:
    """The codebook held by a ``CodeBook`` element (of a .qdc, or of a project)."""
    codes_el = child(root, "Codes")
    if codes_el is None:
        raise InputFileError(where, _("has no <Codes> element"))
    cb = Codebook(name=root.get("origin") or "")
    cb.codes, _note_refs = read_codes(codes_el, cb.notes)
    by_guid = {c.guid: c.path for c in cb.codes}
    sets_el = child(root, "Sets")
    for el in children(sets_el, "Set"):
        members = [
            by_guid[g]
            for m in children(el, "MemberCode")
            if (g := guid_of(m.get("guid") or m.get("targetGUID"))) in by_guid
        ]
        description, query = query_from_description(text_of(el, "Description").strip())
        cb.sets.append(
            SetEntry(
                name=(el.get("name") or "").strip() or "(unnamed set)",
                guid=guid_of(el.get("guid")),
                description=description,
                codes=members,
                query=query,
            )
        )
    return cb
