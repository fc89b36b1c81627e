"""qcode import ... --text-columns: spreadsheets of open answers."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from qcode.cli.output import emit_json, ok, warn
from qcode.i18n import _

if TYPE_CHECKING:
    from qcode.services import Project


def import_sheets(
    p: Project,
    files: list[Path],
    text_columns: str,
    case_column: str | None,
    per: str,
    code_by_question: bool,
    encoding: str | None,
    language: str | None,
    attrs: list[str],
    json_: bool,
) -> None:
    from qcode.services.attributes import parse_assignments
    from qcode.services.sheets import import_sheet

    columns = [c.strip() for c in text_columns.split(",") if c.strip()]
    r = import_sheet(
        p,
        files,
        columns,
        case_column,
        per,
        code_by_question,
        encoding,
        language,
        parse_assignments(attrs),
    )
    if json_:
        emit_json(r.as_json())
        return
    types = ", ".join(f"{k} ({v})" for k, v in r.attributes.items()) or _("none")
    coded = _("; {n} answers coded by question").format(n=r.codings) if code_by_question else ""
    ok(
        _(
            "imported {documents} documents for {cases} cases from {files} ({empty} empty "
            "answers left out); case attributes: {types}{coded}"
        ).format(
            documents=r.documents,
            cases=r.cases,
            files=", ".join(Path(f).name for f in r.files),
            empty=r.empty_answers,
            types=types,
            coded=coded,
        )
    )
    for note in r.notes:
        warn(note)
