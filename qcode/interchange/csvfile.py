"""CSV files from outside: decoded as detected (Excel saves GBK in China), parsed strictly, every
problem reported with its line number, and the codebook layouts of other tools recognised.

- Taguette's codebook: ``tag``, ``parent`` (the parent's tag), ``description``, ``number of
  highlights``; the hierarchy is rebuilt from ``parent``.
- QualCoder's code tree as a table: ``name`` (or ``code``), ``memo``, ``color``, and the category
  as ``category`` (a path, ``/`` or ``>`` between levels).

Both become qcode's own columns (``path``, ``description``, ``color``).
"""

from __future__ import annotations

from pathlib import Path

from qcode.errors import InputFileError
from qcode.i18n import _
from qcode.text.csvrows import read_rows

__all__ = ["codebook_dialect", "read_rows"]

Rows = list[tuple[int, dict[str, str]]]


def _slashless(name: str) -> str:
    return name.strip().replace("/", "\u2215")


def codebook_dialect(header: list[str], rows: Rows, path: Path) -> tuple[list[str], Rows, str]:
    """Taguette's or QualCoder's codebook columns turned into qcode's; and which it was."""
    lower = {h.lower(): h for h in header}
    if "tag" in lower and "path" not in lower and "name" not in lower:
        return (*_taguette(lower, rows, path), "Taguette")
    if (
        "path" not in lower
        and ("code" in lower or "name" in lower)
        and ("memo" in lower or "category" in lower)
    ):
        return (*_qualcoder(lower, rows), "QualCoder")
    return header, rows, ""


def _taguette(lower: dict[str, str], rows: Rows, path: Path) -> tuple[list[str], Rows]:
    tag, parent = lower["tag"], lower.get("parent")
    desc = lower.get("description")
    parent_of = {r[tag].strip(): (r[parent].strip() if parent else "") for _, r in rows}
    line_of = {r[tag].strip(): line for line, r in rows}

    def full(name: str, seen: tuple[str, ...] = ()) -> str:
        up = parent_of.get(name, "")
        if not up:
            return _slashless(name)
        if up in seen or up == name:
            raise InputFileError(
                path,
                _("line {v1}: tag {name!r} is its own ancestor").format(
                    v1=line_of[name], name=name
                ),
            )
        if up not in parent_of:
            raise InputFileError(
                path,
                _("line {v1}: parent {up!r} is not a tag here").format(v1=line_of[name], up=up),
            )
        return full(up, (*seen, name)) + "/" + _slashless(name)

    out: Rows = []
    for line, r in rows:
        name = r[tag].strip()
        if not name:
            raise InputFileError(path, _("line {line}: empty tag").format(line=line))
        out.append((line, {"path": full(name), "description": r[desc] if desc else ""}))
    return ["path", "description"], out


def _qualcoder(lower: dict[str, str], rows: Rows) -> tuple[list[str], Rows]:
    name = lower.get("code") or lower["name"]
    cat, memo, color = lower.get("category"), lower.get("memo"), lower.get("color")
    out: Rows = []
    for line, r in rows:
        parts = []
        if cat and r[cat].strip():
            sep = ">" if ">" in r[cat] else "/"
            parts = [_slashless(p) for p in r[cat].split(sep) if p.strip()]
        row = {"path": "/".join([*parts, _slashless(r[name])])}
        row["description"] = r[memo] if memo else ""
        row["color"] = r[color].strip() if color else ""
        out.append((line, row))
    return ["path", "description", "color"], out
