"""RQDA projects (``.rqda``, an SQLite file written by the R package RQDA) read as an
:class:`~qcode.interchange.qdpx.Exchange`, so a project is made from one the same way as from a
``.qdpx``.

What is read: files (``source``), codes (``freecode``), code categories (``codecat`` with
``treecode``) as axial codes above their codes, codings (``coding``) with their owners, cases
(``cases``) with the files they cover (``caselinkage``), attributes (``attributes``, ``caseAttr``,
``fileAttr``), file categories (``filecat`` with ``treefile``) as sets of documents, memos of
files, codes, categories and cases, the journal (``journal``) as memos, and annotations as memos
on a span. Rows whose ``status`` is not 1 are RQDA's trash: left out, and counted in the report.

Positions: RQDA takes ``selfirst``/``selend`` from a GTK text buffer (``GtkTextIter`` offsets,
which count characters) and cuts ``seltext`` with R's ``substr`` on UTF-8 strings, which counts
characters too; so they are code points from 0, end exclusive, into ``source.file``, which is
then normalised here as any import is (line breaks, NFC) with the positions mapped along.
A case link that covers a whole file puts the file in the case; a partial one is kept as a range
(``partial_links``).
"""

from __future__ import annotations

import sqlite3
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from qcode.errors import InputFileError
from qcode.i18n import _
from qcode.interchange.model import CodeEntry
from qcode.interchange.qdpx import Exchange, XCase, XCoding, XNote, XRange, XSet, XSource, XVariable
from qcode.text.foreign import ForeignText

_NS = uuid.UUID("2a4a9f7e-5d0e-4c39-9b8e-0f5b7a5e3c11")
NEEDED = ("source", "freecode", "coding")
_HEX = "0123456789abcdefABCDEF"


@dataclass
class RqdaProject:
    exchange: Exchange
    partial_links: list[tuple[str, str, int, int]] = field(default_factory=list)  # case, doc
    deleted: dict[str, int] = field(default_factory=dict)


def _guid(*parts: object) -> str:
    return str(uuid.uuid5(_NS, "/".join(str(p) for p in parts)))


def _when(text: Any) -> datetime | None:
    for fmt in ("%a %b %d %H:%M:%S %Y", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(" ".join(str(text).split()), fmt)
        except (TypeError, ValueError):
            continue
    return None


def _color(value: Any) -> str | None:
    v = str(value or "").strip()
    if len(v) == 7 and v[0] == "#" and all(c in _HEX for c in v[1:]):
        return v.upper()
    return None


def _name(value: Any) -> str:
    return " ".join(str(value or "").split()).replace("/", "\u2215")


def _open(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise InputFileError(path, _("no such file") if not path.exists() else _("is not a file"))
    with path.open("rb") as f:
        if f.read(16) != b"SQLite format 3\x00":
            raise InputFileError(path, _("is not an RQDA project (not an SQLite database)"))
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
        tables = {r[0] for r in con.execute("select name from sqlite_master where type='table'")}
    except sqlite3.DatabaseError as exc:
        raise InputFileError(
            path, _("is not a readable RQDA project ({exc})").format(exc=exc)
        ) from None
    missing = [t for t in NEEDED if t not in tables]
    if missing:
        con.close()
        raise InputFileError(
            path, _("is not an RQDA project (no table {v1!r})").format(v1=missing[0])
        )
    con.row_factory = sqlite3.Row
    return con


def read_rqda(path: Path) -> RqdaProject:
    con = _open(path)
    try:
        return _Reader(con, path).read()
    except sqlite3.DatabaseError as exc:
        raise InputFileError(path, _("is a damaged RQDA project ({exc})").format(exc=exc)) from None
    finally:
        con.close()


class _Reader:
    def __init__(self, con: sqlite3.Connection, path: Path) -> None:
        self.con = con
        self.path = path
        self.tables = {
            r[0] for r in con.execute("select name from sqlite_master where type='table'")
        }
        self.x = Exchange(name=path.stem, origin="RQDA", units="codepoints")
        self.out = RqdaProject(self.x)
        self.case_of: dict[int, XCase] = {}

    def rows(self, table: str) -> list[sqlite3.Row]:
        """The live rows of a table (status 1); the others are counted as deleted."""
        if table not in self.tables:
            return []
        cur = self.con.execute(f"select rowid as _rowid, * from {table}")
        has_status = "status" in [d[0] for d in cur.description]
        all_rows = cur.fetchall()
        live = [r for r in all_rows if not has_status or r["status"] == 1]
        if len(all_rows) > len(live):
            self.out.deleted[table] = len(all_rows) - len(live)
        return live

    def user(self, owner: Any) -> str | None:
        name = " ".join(str(owner or "").split())
        if not name:
            return None
        g = _guid("user", name)
        self.x.users[g] = name
        return g

    def note(self, title: str, body: Any, owner: Any = None, when: Any = None) -> str | None:
        text = str(body or "").strip()
        if not text:
            return None
        g = _guid("note", title, len(self.x.notes))
        self.x.notes.append(XNote(g, title, text, self.user(owner), _when(when)))
        return g

    def read(self) -> RqdaProject:
        x = self.x
        texts: dict[int, ForeignText] = {}
        source_of: dict[int, XSource] = {}
        names: set[str] = set()
        for r in self.rows("source"):
            raw = str(r["file"] or "")
            name = _name(r["name"]) or f"file {r['id']}"
            while name in names:
                name += " (2)"
            names.add(name)
            ft = ForeignText(raw, "codepoints")
            texts[r["id"]] = ft
            src = XSource(
                _guid("source", r["id"]), name, ft.text, self.user(r["owner"]), _when(r["date"])
            )
            memo = self.note(f"memo of {name}", r["memo"], r["owner"], r["date"])
            if memo:
                src.notes.append(memo)
            source_of[r["id"]] = src
            x.sources.append(src)
        code_guid = self.codes()
        dropped = 0
        for r in self.rows("coding"):
            owner, fmap = source_of.get(r["fid"]), texts.get(r["fid"])
            g = code_guid.get(r["cid"])
            rng = fmap.range(int(r["selfirst"]), int(r["selend"])) if fmap and g else None
            if owner is None or g is None or rng is None:
                dropped += 1
                continue
            src = owner
            coding = XCoding(
                g,
                rng[0],
                rng[1],
                _guid("coding", r["_rowid"]),
                self.user(r["owner"]),
                _when(r["date"]),
            )
            memo = self.note(f"memo on a coding in {src.name}", r["memo"], r["owner"], r["date"])
            if memo:
                coding.notes.append(memo)
            src.codings.append(coding)
        if dropped:
            x.report.append(
                f"{dropped} coding(s) of unknown files or codes, or out of range, left out"
            )
        self.cases(source_of, texts)
        self.attributes(source_of)
        self.file_categories(source_of)
        for r in self.rows("journal"):
            g = self.note(_name(r["name"]) or "journal", r["journal"], r["owner"], r["date"])
            if g is None:
                x.notes.append(
                    XNote(
                        _guid("journal", r["name"]),
                        _name(r["name"]) or "journal",
                        "",
                        self.user(r["owner"]),
                        _when(r["date"]),
                    )
                )
        for r in self.rows("annotation"):
            in_src, fmap = source_of.get(r["fid"]), texts.get(r["fid"])
            pos = int(r["position"] or 0)
            rng = fmap.range(pos, pos + 1) if fmap else None
            where = in_src.name if in_src else "?"
            g = self.note(f"annotation in {where}", r["annotation"], r["owner"], r["date"])
            if in_src is not None and rng is not None and g is not None:
                in_src.ranges.append(XRange(rng[0], rng[1], [g], _guid("annotation", g)))
        for table, n in sorted(self.out.deleted.items()):
            x.report.append(f"{n} deleted row(s) of RQDA's {table!r} table left out")
        return self.out

    def codes(self) -> dict[int, str]:
        x = self.x
        cats = {r["catid"]: r for r in self.rows("codecat")}
        cat_path: dict[int, str] = {}
        for catid, r in cats.items():
            name = _name(r["name"]) or f"category {catid}"
            while name in cat_path.values():
                name += " (2)"
            cat_path[catid] = name
            x.codes.append(CodeEntry(name, _guid("category", catid), "axial", str(r["memo"] or "")))
        parent: dict[int, int] = {}
        extra: dict[int, list[str]] = defaultdict(list)
        for r in self.rows("treecode"):
            if r["catid"] not in cat_path:
                continue
            if r["cid"] in parent:
                extra[r["cid"]].append(cat_path[r["catid"]])
            else:
                parent[r["cid"]] = r["catid"]
        out: dict[int, str] = {}
        taken = set(cat_path.values())
        for r in self.rows("freecode"):
            name = _name(r["name"]) or f"code {r['id']}"
            path = f"{cat_path[parent[r['id']]]}/{name}" if r["id"] in parent else name
            while path in taken:
                path += " (2)"
            taken.add(path)
            g = _guid("code", r["id"])
            x.codes.append(
                CodeEntry(path, g, "open", str(r["memo"] or ""), color=_color(r["color"]))
            )
            out[r["id"]] = g
            if extra.get(r["id"]):
                x.report.append(
                    f"code {name!r} is also in categories {', '.join(extra[r['id']])}: "
                    f"kept under {cat_path[parent[r['id']]]!r} only"
                )
        return out

    def cases(self, source_of: dict[int, XSource], texts: dict[int, ForeignText]) -> None:
        x = self.x
        cases: dict[int, XCase] = {}
        for r in self.rows("cases"):
            made = XCase(
                _guid("case", r["id"]), _name(r["name"]) or f"case {r['id']}", str(r["memo"] or "")
            )
            cases[r["id"]] = made
            x.cases.append(made)
        self.case_of = cases
        whole: dict[str, str] = {}
        for r in self.rows("caselinkage"):
            c = cases.get(r["caseid"])
            linked, fmap = source_of.get(r["fid"]), texts.get(r["fid"])
            if c is None or linked is None or fmap is None:
                continue
            src = linked
            rng = fmap.range(int(r["selfirst"] or 0), int(r["selend"] or 0))
            if rng is None:
                continue
            covers = rng[0] == 0 and rng[1] >= len(src.text.rstrip())
            if covers and src.guid not in whole:
                whole[src.guid] = c.guid
                c.sources.append(src.guid)
            else:
                self.out.partial_links.append((c.guid, src.guid, rng[0], rng[1]))

    def attributes(self, source_of: dict[int, XSource]) -> None:
        x = self.x
        classes = {_name(r["name"]): str(r["class"] or "") for r in self.rows("attributes")}
        case_of = self.case_of
        variables: dict[tuple[str, str], XVariable] = {}

        def var(name: str, scope: str) -> XVariable:
            v = variables.get((name, scope))
            if v is None:
                type_ = "number" if classes.get(name, "").lower() == "numeric" else "text"
                v = variables[(name, scope)] = XVariable(
                    _guid("var", scope, name), name, type_, scope
                )
                x.variables.append(v)
            return v

        for r in self.rows("caseAttr"):
            owner_case = case_of.get(r["caseID"])
            value = str(r["value"] or "").strip()
            if owner_case is not None and value and value != "NA":
                owner_case.values[var(_name(r["variable"]), "case").guid] = value
        for r in self.rows("fileAttr"):
            src = source_of.get(r["fileID"])
            value = str(r["value"] or "").strip()
            if src is not None and value and value != "NA":
                src.values[var(_name(r["variable"]), "document").guid] = value

    def file_categories(self, source_of: dict[int, XSource]) -> None:
        sets: dict[int, XSet] = {}
        for r in self.rows("filecat"):
            sets[r["catid"]] = XSet(
                _guid("filecat", r["catid"]), _name(r["name"]) or "files", str(r["memo"] or "")
            )
        for r in self.rows("treefile"):
            st, src = sets.get(r["catid"]), source_of.get(r["fid"])
            if st is not None and src is not None and src.guid not in st.sources:
                st.sources.append(src.guid)
        self.x.sets.extend(sets.values())
