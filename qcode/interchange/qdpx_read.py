"""Reading ``.qdpx`` files written by any tool, in the dialect that tool writes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from lxml import etree

from qcode.errors import InputFileError
from qcode.i18n import _
from qcode.interchange.heap import no_fast_bins
from qcode.interchange.qdpx_model import (
    _TYPES_IN,
    _VALUE_TAGS,
    COMMENT,
    MEMO_CASE,
    MEMO_TYPE,
    SCOPE,
    SUMMARY,
    Exchange,
    XCase,
    XCoding,
    XLink,
    XNote,
    XRange,
    XSet,
    XSource,
    XVariable,
)
from qcode.interchange.refi import (
    child,
    children,
    guid_of,
    local,
    new_guid,
    read_codes,
    text_of,
)
from qcode.interchange.safety import SafeZip, parse_xml
from qcode.text.foreign import ForeignText

_SELECTION, _CODING = "{*}PlainTextSelection", "{*}Coding"
_CODE_REF, _NOTE_REF = "{*}CodeRef", "{*}NoteRef"

Extract = Callable[[str, bytes, str], str]
"""``extract(member_name, data, kind)`` -> raw text of a source; ``kind`` is "txt" or "docx"."""


def _plain_utf8(name: str, data: bytes, kind: str) -> str:
    if kind != "txt":
        raise InputFileError(name, _("is a Word document; no reader given"))
    return data.decode("utf-8-sig")


def _when(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if dt.tzinfo is not None:
        from datetime import UTC

        dt = dt.astimezone(UTC).replace(tzinfo=None)
    return dt


def _int(value: str | None) -> int | None:
    try:
        return int((value or "").strip())
    except ValueError:
        return None


def _ref_guids(el: Any, tag: str) -> list[str]:
    return [g for r in children(el, tag) if (g := guid_of(r.get("targetGUID") or r.get("guid")))]


def _file_name(ref: str | None) -> str | None:
    """The name of the file a source path points at, without folder or extension."""
    if not ref:
        return None
    name = ref.split("://", 1)[-1].replace("\\", "/").rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0] if "." in name else name


def _unique(name: str, taken: set[str], what: str, report: list[str]) -> str:
    base, n, out = name, 1, name
    while out.casefold() in taken:
        n += 1
        out = f"{base} ({n})"
    if n > 1:
        report.append(f"a second {what} named {base!r} is named {out!r}")
    taken.add(out.casefold())
    return out


class _Reader:
    def __init__(
        self,
        path: Path,
        z: SafeZip,
        units: str,
        extract: Extract,
        on_source: Callable[[int, int], None] | None = None,
    ) -> None:
        self.on_source = on_source
        self.path = path
        self.z = z
        self.extract = extract
        self.x = Exchange()
        self.units_choice = units
        self.codes: set[str] = set()
        self.lower = {n.lower(): n for n in z.names}
        self.seen: dict[str, set[str]] = {}
        self._refs: dict[str | None, str | None] = {}
        self._times: dict[str | None, datetime | None] = {}

    def ref_guid(self, value: str | None) -> str | None:
        """:func:`guid_of` for the values that repeat (code and user references), remembered."""
        try:
            return self._refs[value]
        except KeyError:
            g = self._refs[value] = guid_of(value)
            return g

    def when(self, value: str | None) -> datetime | None:
        """:func:`_when`, remembered: codings made together carry the same time."""
        try:
            return self._times[value]
        except KeyError:
            if len(self._times) > 50_000:  # all different after all: keep memory small
                self._times.clear()
            t = self._times[value] = _when(value)
            return t

    def guid(self, kind: str, el: Any) -> str:
        """The element's GUID, or a new one when it has none or repeats one of the same kind
        (reported: references to the repeated GUID keep pointing at the first)."""
        g = guid_of(el.get("guid"))
        seen = self.seen.setdefault(kind, set())
        if g is None or g in seen:
            name = el.get("name") or ""
            self.x.report.append(f"{kind} {name!r} had a missing or repeated GUID; given a new one")
            g = new_guid()
        seen.add(g)
        return g

    # members ---------------------------------------------------------------------------------
    def qde(self) -> str:
        found = [n for n in self.z.names if n.lower().endswith(".qde")]
        if not found:
            raise InputFileError(self.path, _("has no .qde project file inside"))
        found.sort(key=lambda n: (n.count("/"), n.lower() != "project.qde", n))
        if len(found) > 1:
            self.x.report.append(f"{len(found)} .qde files inside; read {found[0]!r}")
        return found[0]

    def member(self, ref: str) -> str | None:
        """The zip member a ``plainTextPath``/``richTextPath`` names, in any of the usual forms."""
        ref = ref.strip()
        for scheme in ("internal://", "relative://"):
            if ref.lower().startswith(scheme):
                ref = ref[len(scheme) :]
        ref = ref.replace("\\", "/").lstrip("/").lower()
        if not ref:
            return None
        for cand in (f"sources/{ref}", ref):
            if cand in self.lower:
                return self.lower[cand]
        tail = "/" + ref.rsplit("/", 1)[-1]
        hits = [n for low, n in self.lower.items() if low.endswith(tail)]
        return hits[0] if len(hits) == 1 else None

    # the whole project -----------------------------------------------------------------------
    def read(self) -> Exchange:
        root = parse_xml(self.z.read(self.qde()), self.path)
        ns = etree.QName(root).namespace or ""
        if local(root) != "Project" or (ns and not ns.startswith("urn:QDA-XML:project")):
            raise InputFileError(
                self.path, _("is not a REFI-QDA project (root {tag!r})").format(tag=root.tag)
            )
        x = self.x
        x.name = (root.get("name") or "").strip()
        x.origin = (root.get("origin") or "").strip()
        auto = "utf16" if "nvivo" in x.origin.lower() else "codepoints"
        x.units = auto if self.units_choice == "auto" else self.units_choice
        taken: set[str] = set()
        for u in children(child(root, "Users"), "User"):
            g = guid_of(u.get("guid"))
            if g:
                label = (u.get("name") or "").strip() or f"user {g[:8]}"
                x.users[g] = _unique(label, taken, "user", x.report)
        book = child(root, "CodeBook")
        codes_el = child(book, "Codes") if book is not None else None
        if codes_el is not None:
            x.codes, x.code_notes = read_codes(codes_el, x.report)
        self.codes = {c.guid for c in x.codes if c.guid}
        variables = self.variables(root)
        self.cases(root, variables)
        self.sources(root, variables)
        self.scope_variables(variables)
        self.notes(root)
        self.links(root)
        self.sets(root)
        graphs = child(root, "Graphs")
        if graphs is not None and len(graphs):
            x.report.append(f"{len(graphs)} graph(s) not brought over (qcode draws its own)")
        return x

    def variables(self, root: Any) -> dict[str, XVariable]:
        out: dict[str, XVariable] = {}
        for v in children(child(root, "Variables"), "Variable"):
            g = guid_of(v.get("guid"))
            if g is None:
                continue
            kind = _TYPES_IN.get(v.get("typeOfVariable") or "", "text")
            name = " ".join((v.get("name") or "").split()) or f"variable {g[:8]}"
            desc = text_of(v, "Description").strip().split("\n")
            scope = next((d[len(SCOPE) :] for d in desc if d.startswith(SCOPE)), "")
            rest = "\n".join(d for d in desc if not d.startswith(SCOPE)).strip()
            out[g] = XVariable(g, name, kind, scope if scope in ("case", "document") else "", rest)
        return out

    def values(self, el: Any, variables: dict[str, XVariable]) -> dict[str, str]:
        out: dict[str, str] = {}
        for vv in children(el, "VariableValue"):
            ref = child(vv, "VariableRef")
            g = guid_of(ref.get("targetGUID")) if ref is not None else None
            val = next((c for c in vv if local(c) in _VALUE_TAGS), None)
            if g is None or g not in variables or val is None or not (val.text or "").strip():
                continue
            out[g] = val.text.strip()
        return out

    def cases(self, root: Any, variables: dict[str, XVariable]) -> None:
        taken: set[str] = set()
        for i, c in enumerate(children(child(root, "Cases"), "Case"), 1):
            g = self.guid("case", c)
            name = _unique(
                " ".join((c.get("name") or "").split()) or f"case {i}", taken, "case", self.x.report
            )
            case = XCase(g, name, text_of(c, "Description").strip(), self.values(c, variables))
            case.sources = _ref_guids(c, "SourceRef")
            if child(c, "SelectionRef") is not None or child(c, "CodeRef") is not None:
                self.x.report.append(
                    f"case {name!r}: links to selections or codes not brought over"
                )
            self.x.cases.append(case)

    def scope_variables(self, variables: dict[str, XVariable]) -> None:
        """A REFI variable may hold values for cases and for sources; qcode keeps one attribute
        per scope, so a variable used by both becomes two."""
        used_case = {g for c in self.x.cases for g in c.values}
        used_doc = {g for s in self.x.sources for g in s.values}
        for g, v in variables.items():
            unused = g not in used_doc and g not in used_case
            if (g in used_doc and g not in used_case) or (unused and v.scope == "document"):
                v.scope = "document"
                self.x.variables.append(v)
                continue
            v.scope = "case"
            self.x.variables.append(v)
            if g in used_doc:
                twin = XVariable(new_guid(), v.name, v.type, "document", v.description)
                self.x.variables.append(twin)
                for s in self.x.sources:
                    if g in s.values:
                        s.values[twin.guid] = s.values.pop(g)

    # sources ---------------------------------------------------------------------------------
    def sources(self, root: Any, variables: dict[str, XVariable]) -> None:
        sources = child(root, "Sources")
        if sources is None:
            return
        skipped: dict[str, int] = {}
        taken: set[str] = set()
        n = len(sources)
        for i, el in enumerate(sources, 1):
            if self.on_source is not None and (i % 20 == 0 or i == n):
                self.on_source(i, n)
            kind = local(el)
            if kind == "PDFSource" and child(el, "Representation") is not None:
                rep = child(el, "Representation")
                self.source(rep, el.get("name") or _file_name(el.get("path")), variables, taken, el)
            elif kind == "TextSource":
                self.source(el, None, variables, taken)
            elif kind:
                skipped[kind] = skipped.get(kind, 0) + 1
        for kind, n in skipped.items():
            self.x.report.append(f"{n} {kind} source(s): qcode holds text only; codings not read")

    def raw_text(self, el: Any, name: str) -> tuple[str, str] | None:
        inline = child(el, "PlainTextContent")
        if inline is not None and inline.text:
            return inline.text, "txt"
        for attr, kind in (("plainTextPath", "txt"), ("richTextPath", "docx")):
            ref = el.get(attr)
            if not ref:
                continue
            member = self.member(ref)
            if member is None:
                self.x.report.append(f"source {name!r}: {ref!r} is not in the archive")
                continue
            if kind == "docx" and not member.lower().endswith(".docx"):
                self.x.report.append(f"source {name!r}: rich text {ref!r} is not a .docx")
                continue
            try:
                raw = self.extract(f"{self.path}!{member}", self.z.read(member), kind)
            except (InputFileError, UnicodeDecodeError) as exc:
                self.x.report.append(f"source {name!r}: {exc}")
                continue
            if kind == "docx":
                self.x.report.append(
                    f"source {name!r}: text taken from its Word file; selections may not line up"
                )
            return raw, kind
        return None

    def source(
        self,
        el: Any,
        fallback: str | None,
        variables: dict[str, XVariable],
        taken: set[str],
        pdf: Any = None,
    ) -> None:
        x = self.x
        fallback = fallback or _file_name(el.get("plainTextPath") or el.get("richTextPath"))
        label = (
            " ".join((el.get("name") or fallback or "").split()) or f"source {len(x.sources) + 1}"
        )
        got = self.raw_text(el, label)
        if got is None:
            lost = sum(1 for sel in el.iterchildren(_SELECTION) for _ in sel.iterchildren(_CODING))
            lost += sum(1 for _ in children(el, "Coding"))
            with_codings = f" with its {lost} coding(s)" if lost else ""
            x.report.append(
                f"source {label!r} has no readable text; not brought over{with_codings}"
            )
            return
        raw, fmt = got
        ft = ForeignText(raw, x.units)
        g = self.guid("source", el if pdf is None else pdf)
        original = None
        if pdf is not None:
            member = self.member(pdf.get("path") or "")
            if member is not None and member.lower().endswith(".pdf"):
                original, fmt = self.z.read(member), "pdf"
        src = XSource(
            g,
            _unique(label, taken, "source", x.report),
            ft.text,
            user=guid_of(el.get("creatingUser")),
            created=_when(el.get("creationDateTime")),
            description=text_of(el if pdf is None else pdf, "Description").strip(),
            notes=_ref_guids(el if pdf is None else pdf, "NoteRef"),
            values=self.values(el if pdf is None else pdf, variables),
            format=fmt,
            original=original,
        )
        seen: set[tuple[str, int, int, str | None]] = set()
        dropped = {"unknown code": 0, "outside the text": 0, "bad position": 0, "repeated": 0}
        # the same few code and user GUIDs and times come back on every coding: worked out once
        refs, times, codes = self.ref_guid, self.when, self.codes

        def add(
            coding_el: Any,
            rng: tuple[int, int],
            user: str | None,
            when: str | None,
            sel_guid: str = "",
            sel_name: str = "",
        ) -> None:
            ref, notes = None, []
            for r in coding_el.iterchildren(_CODE_REF, _NOTE_REF):  # one pass over its children
                if r.tag.endswith("CodeRef"):
                    ref = r if ref is None else ref
                elif g := guid_of(r.get("targetGUID") or r.get("guid")):
                    notes.append(g)
            code = refs(ref.get("targetGUID")) if ref is not None else None
            if code not in codes:
                dropped["unknown code"] += 1
                return
            u = refs(coding_el.get("creatingUser")) or user
            key = (code, rng[0], rng[1], u)
            if key in seen:
                dropped["repeated"] += 1
                return
            seen.add(key)
            src.codings.append(
                XCoding(
                    str(code),
                    rng[0],
                    rng[1],
                    guid_of(coding_el.get("guid")) or "",
                    u,
                    times(coding_el.get("creationDateTime") or when),
                    notes,
                    sel_guid,
                    sel_name,
                )
            )

        for sel in el.iterchildren(_SELECTION):
            s, e = _int(sel.get("startPosition")), _int(sel.get("endPosition"))
            if s is None or e is None:
                dropped["bad position"] += 1
                continue
            rng = ft.range(s, e)
            if rng is None:
                dropped["outside the text"] += 1
                continue
            user = refs(sel.get("creatingUser"))
            sel_guid = guid_of(sel.get("guid")) or ""
            sel_name = (sel.get("name") or "").strip()
            when = sel.get("creationDateTime")
            for c in sel.iterchildren(_CODING):
                add(c, rng, user, when, sel_guid, sel_name)
            notes = _ref_guids(sel, "NoteRef")
            if notes:
                src.ranges.append(XRange(rng[0], rng[1], notes, sel_guid))
        if ft.text:
            for c in children(el, "Coding"):  # coding of the whole source
                add(c, (0, len(ft.text)), src.user, el.get("creationDateTime"))
        for why, n in dropped.items():
            if n:
                x.report.append(f"source {src.name!r}: {n} coding(s) not brought over ({why})")
        x.sources.append(src)

    # notes, links, sets ----------------------------------------------------------------------
    def notes(self, root: Any) -> None:
        for el in children(child(root, "Notes"), "Note"):
            g = self.guid("note", el)
            name = " ".join((el.get("name") or "").split())
            got = self.raw_text(el, name or g)
            note = XNote(
                g,
                name,
                got[0].replace("\r\n", "\n") if got else "",
                user=guid_of(el.get("creatingUser")),
                created=_when(el.get("creationDateTime")),
                modified=_when(el.get("modifiedDateTime")),
                notes=_ref_guids(el, "NoteRef"),
            )
            rest = []
            for line in text_of(el, "Description").splitlines():
                if line == COMMENT:
                    note.comment = True
                elif line.startswith(MEMO_TYPE):
                    note.type = line[len(MEMO_TYPE) :].strip()
                elif line.startswith(SUMMARY):
                    note.summary = line[len(SUMMARY) :].strip()
                elif line.startswith(MEMO_CASE) and (c := guid_of(line[len(MEMO_CASE) :])):
                    note.cases.append(c)
                elif line.strip():
                    rest.append(line)
            if rest and not note.text:
                note.text = "\n".join(rest)
            elif rest:
                note.text = "\n".join(rest) + "\n\n" + note.text
            if not note.name:
                first = note.text.strip().split("\n", 1)[0]
                note.name = first[:80] or "untitled note"
            self.x.notes.append(note)

    def links(self, root: Any) -> None:
        for el in children(child(root, "Links"), "Link"):
            o, t = guid_of(el.get("originGUID")), guid_of(el.get("targetGUID"))
            if o is None or t is None:
                self.x.report.append(f"link {el.get('name')!r} without both ends; not brought over")
                continue
            self.x.links.append(
                XLink(
                    self.guid("link", el),
                    " ".join((el.get("name") or "").split()),
                    o,
                    t,
                    el.get("direction") or "Associative",
                    _ref_guids(el, "NoteRef"),
                )
            )

    def sets(self, root: Any) -> None:
        taken: set[str] = set()
        for el in children(child(root, "Sets"), "Set"):
            name = " ".join((el.get("name") or "").split()) or "unnamed set"
            self.x.sets.append(
                XSet(
                    self.guid("set", el),
                    _unique(name, taken, "set", self.x.report),
                    text_of(el, "Description").strip(),
                    _ref_guids(el, "MemberCode"),
                    _ref_guids(el, "MemberSource"),
                    _ref_guids(el, "MemberNote"),
                )
            )


def read_qdpx(
    path: Path,
    units: str = "auto",
    extract: Extract | None = None,
    on_source: Callable[[int, int], None] | None = None,
) -> Exchange:
    """A ``.qdpx`` from any tool as an :class:`Exchange`. ``units`` is "auto" (from the writer
    named in ``origin``: NVivo counts UTF-16 code units), "codepoints" or "utf16";
    ``on_source(done, total)`` hears how many of the sources have been read."""
    if units not in ("auto", "codepoints", "utf16"):
        raise InputFileError(path, _("unknown position units {units!r}").format(units=units))
    with no_fast_bins(), SafeZip.open(path) as z:  # the tree is freed on the way out
        return _Reader(path, z, units, extract or _plain_utf8, on_source).read()
