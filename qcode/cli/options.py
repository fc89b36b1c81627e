"""Options and checks shared by the analysis commands (cooccur, network, framework view, freq,
matrix, crosstab, saturation)."""

from __future__ import annotations

import csv
import functools
import inspect
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import typer

from qcode.errors import InvalidInputError
from qcode.i18n import N_, _
from qcode.text.safety import visible

FORMATS = ("table", "csv", "json")

UNIT = typer.Option("overlap", "--unit", help=N_("overlap, sentence, paragraph, turn or document."))
CODER = typer.Option([], "--coder", help=N_("Only these coders (repeatable)."))
WHERE = typer.Option([], "--where", help=N_("Attribute filter K=V (repeatable)."))
DOC = typer.Option([], "--doc", help=N_("Only these documents (repeatable)."))
SETS = typer.Option(
    [], "--set", help=N_("Also count a saved set's results, as the code set:NAME (repeatable).")
)
CASE = typer.Option([], "--case", help=N_("Only documents of these cases (repeatable)."))
LEVEL = typer.Option("open", "--level", help=N_("open, or axial: categories with their codes."))


def _at_least_one(value: int) -> int:
    if value < 1:
        raise typer.BadParameter(_("{value} is below 1").format(value=value))
    return value


MIN = typer.Option(1, "--min", callback=_at_least_one, help=N_("Leave out pairs seen fewer times."))
FORMAT = typer.Option("table", "--format", help=N_("table, csv or json."))
FIGURE = typer.Option(
    None, "--figure", help=N_("Also draw it to FILE.png (300 dpi), .svg or .pdf.")
)


def check(format_: str, figure: Path | None = None) -> None:
    """Refuse an unknown format or figure type before any work is done."""
    if format_ not in FORMATS:
        raise InvalidInputError(
            _("unknown format {format_!r} (table, csv or json)").format(format_=format_)
        )
    if figure is not None:
        from qcode.analysis.figures import check_path

        check_path(figure)


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """CSV on stdout, None as an empty field, control characters but line breaks made visible."""
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow(["" if v is None else visible(v, True) if isinstance(v, str) else v for v in r])


def _show_all(ctx: typer.Context, value: bool) -> bool:
    from qcode.cli.output import show_all

    return show_all(ctx, value)


# Every listing: the first screenful by default, every row (streamed) with --all.
ALL_ROWS = typer.Option(
    False,
    "--all",
    help=N_("Print every row, streamed (default: the first screenful and a count of the rest)."),
    callback=_show_all,
    expose_value=False,
)


def scope_of(*args: Any) -> Any:
    """``Scope.of`` (the shared scope of queries and analyses), loaded when a command runs."""
    from qcode.services.scope import Scope

    return Scope.of(*args)


# --format on every command that prints JSON with --json: --json is --format json
RESULT_FORMATS = ("table", "json", "csv", "md")
RESULT_FORMAT = typer.Option(
    "table",
    "--format",
    help=N_("table, json, csv or md (--json is --format json; csv and md: one row per record)."),
)


def formats(func: Callable[..., Any]) -> Callable[..., Any]:
    """The command ``func`` (one with a ``json_`` parameter for ``--json``) with ``--format``
    as well: ``json`` runs it as with --json; ``csv`` and ``md`` run it as with --json and write
    the records its JSON holds as CSV or a Markdown table (:func:`qcode.cli.output.emit_records`),
    so the columns are the JSON's keys."""
    sig = inspect.signature(func, eval_str=True)
    fmt_param = inspect.Parameter(
        "format_", inspect.Parameter.KEYWORD_ONLY, default=RESULT_FORMAT, annotation=str
    )

    @functools.wraps(func)
    def command(*args: Any, format_: str = "table", **kwargs: Any) -> Any:
        from qcode.cli.output import emit_as

        if format_ not in RESULT_FORMATS:
            raise InvalidInputError(
                _("unknown format {format_!r} (table, json, csv or md)").format(format_=format_)
            )
        if kwargs.get("json_") and format_ not in ("table", "json"):
            raise InvalidInputError(
                _("--json and --format {format_} ask for different outputs").format(format_=format_)
            )
        if format_ != "table":
            kwargs["json_"] = True
            emit_as(format_)
        return func(*args, **kwargs)

    params = list(sig.parameters.values())
    command.__signature__ = sig.replace(  # type: ignore[attr-defined]
        parameters=[*params, fmt_param]
    )
    command.__annotations__ = {**getattr(func, "__annotations__", {}), "format_": str}
    return command


JSON_ALIAS = typer.Option(False, "--json", help=N_("Print JSON (the same as --format json)."))


def json_alias(func: Callable[..., Any]) -> Callable[..., Any]:
    """The command ``func`` (one with a ``--format`` of its own that offers ``json``) with
    ``--json`` as well, as the commands with ``--json`` have ``--format``."""
    sig = inspect.signature(func, eval_str=True)
    json_param = inspect.Parameter(
        "json_", inspect.Parameter.KEYWORD_ONLY, default=JSON_ALIAS, annotation=bool
    )

    @functools.wraps(func)
    def command(*args: Any, json_: bool = False, **kwargs: Any) -> Any:
        if json_:
            asked = kwargs.get("format_", "table")
            if asked not in ("table", "json"):
                raise InvalidInputError(
                    _("--json and --format {format_} ask for different outputs").format(
                        format_=asked
                    )
                )
            kwargs["format_"] = "json"
        return func(*args, **kwargs)

    command.__signature__ = sig.replace(  # type: ignore[attr-defined]
        parameters=[*sig.parameters.values(), json_param]
    )
    command.__annotations__ = {**getattr(func, "__annotations__", {}), "json_": bool}
    return command


def _offers_json(param: inspect.Parameter) -> bool:
    """Whether a ``--format`` option is a listing's (table by default) with json among its
    values."""
    option = param.default
    return getattr(option, "default", None) == "table" and "json" in str(
        getattr(option, "help", "") or ""
    )


def _with_formats(callback: Callable[..., Any]) -> Callable[..., Any]:
    """``callback`` with ``--format`` if it has only ``--json``, with ``--json`` if it has only
    a ``--format`` that offers json, else as it is."""
    names = inspect.signature(callback).parameters
    if "json_" in names and "format_" not in names:
        return formats(callback)
    if "format_" in names and "json_" not in names and _offers_json(names["format_"]):
        return json_alias(callback)
    return callback


def add_formats(app: typer.Typer) -> None:
    """Give every registered command with ``--json`` and no ``--format`` of its own the shared
    ``--format`` (:func:`formats`); commands with their own ``--format`` keep its values, and
    where it offers json they get ``--json`` for it (:func:`json_alias`)."""
    for c in app.registered_commands:
        if c.callback is not None:
            c.callback = _with_formats(c.callback)
    for g in app.registered_groups:
        if g.typer_instance is not None:
            add_formats(g.typer_instance)
            info = g.typer_instance.registered_callback  # a group that is a command too
            if info is not None and info.callback is not None:
                info.callback = _with_formats(info.callback)
