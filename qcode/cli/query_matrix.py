"""Matrix queries on the command line: qcode query --rows ... --cols ..."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from qcode.cli.app import project
from qcode.cli.options import write_csv
from qcode.cli.output import emit_json, ok, table
from qcode.errors import InvalidInputError
from qcode.i18n import _, term

if TYPE_CHECKING:
    from qcode.services.scope import Scope

OUTPUTS = (".csv", ".json", ".xlsx")


def matrix_query(
    expr: str,
    rows: str | None,
    cols: str | None,
    count: str,
    cell: str | None,
    scope: Scope,
    unit: str,
    format_: str,
    output: Path | None,
    figure: Path | None,
) -> None:
    from qcode.services.query_matrix import cell_records
    from qcode.services.query_matrix import matrix_query as run

    if expr.strip():
        raise InvalidInputError(_("a matrix query takes --rows and --cols, not an expression"))
    if rows is None or cols is None:
        raise InvalidInputError(_("a matrix query needs both --rows and --cols"))
    if output is not None and output.suffix.lower() not in OUTPUTS:
        raise InvalidInputError(
            _("{output}: the matrix can be written as .csv, .json or .xlsx").format(output=output)
        )
    if figure is not None:
        from qcode.analysis.figures import check_path

        check_path(figure)
    p = project()
    m = run(p, rows, cols, count, scope, unit)
    if cell is not None:
        from qcode.cli.query import show

        show(cell_records(p, m, cell), format_)
        return
    if figure is not None:
        from qcode.analysis.figures import heatmap

        heatmap(m.rows, m.columns, m.values, figure, title=_("matrix query"), label=term(count))
    if output is not None:
        _write(m, output)
        ok(_("wrote {output}: {n} x {n2}").format(output=output, n=len(m.rows), n2=len(m.columns)))
        return
    if format_ == "json":
        emit_json(m.as_json())
    elif format_ in ("csv", "md"):
        if format_ == "csv":
            write_csv(["", *m.columns], [[r, *v] for r, v in zip(m.rows, m.values, strict=True)])
        else:
            print("| | " + " | ".join(m.columns) + " |")
            print("|---" * (len(m.columns) + 1) + "|")
            for r, v in zip(m.rows, m.values, strict=True):
                print(f"| {r} | " + " | ".join(str(x) for x in v) + " |")
    else:
        table(
            _("matrix query ({count})").format(count=term(count)),
            ["", *m.columns],
            [[r, *v] for r, v in zip(m.rows, m.values, strict=True)],
            justify_right=list(m.columns),
        )
    if figure is not None:
        ok(_("drew {figure}").format(figure=figure))


def _write(m: object, output: Path) -> None:
    from qcode.services.query_matrix import QueryMatrix

    assert isinstance(m, QueryMatrix)
    ext = output.suffix.lower()
    if ext == ".json":
        output.write_text(json.dumps(m.as_json(), ensure_ascii=False, indent=2) + "\n", "utf-8")
    elif ext == ".csv":
        import csv

        with output.open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["", *m.columns])
            for r, v in zip(m.rows, m.values, strict=True):
                w.writerow([r, *v])
    else:
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        assert ws is not None
        ws.title = f"{m.count}"[:31]
        ws.append(["", *m.columns])
        for r, v in zip(m.rows, m.values, strict=True):
            ws.append([r, *v])
        wb.save(output)
