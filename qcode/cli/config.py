"""``qcode config show|get|set|unset``: the project's and the user's settings, by key."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from qcode.cli.app import _state, app
from qcode.cli.options import ALL_ROWS
from qcode.cli.output import emit_json, ok, table
from qcode.errors import NotFoundError
from qcode.i18n import N_, _

if TYPE_CHECKING:
    from qcode import settings_edit as edit

config_app = typer.Typer(
    help=N_("Show and change settings: the project's qcode.toml, or with --user your config.toml."),
    no_args_is_help=True,
)
app.add_typer(config_app, name="config")

USER = typer.Option(False, "--user", help=N_("Your settings (config.toml), not the project's."))
JSON = typer.Option(False, "--json", help=N_("JSON."))


def _scope(user: bool) -> str:
    from qcode import settings_edit as edit

    return edit.USER if user else edit.PROJECT


@config_app.command("show")
def show(user: bool = USER, json_: bool = JSON, _all_rows: bool = ALL_ROWS) -> None:
    """Every setting in effect, with where its value comes from (file, default, environment).

    Without --user: the project's settings (when inside a project) and then yours."""
    from qcode import settings_edit as edit

    rows: list[edit.Row] = []
    if not user:
        try:
            rows += edit.rows(edit.PROJECT, _state["project"])
        except NotFoundError:
            if _state["project"] is not None:
                raise
    rows += edit.rows(edit.USER, None)
    if json_:
        emit_json([r.as_json() for r in rows])
        return
    for scope in dict.fromkeys(r.scope for r in rows):
        mine = [r for r in rows if r.scope == scope]
        files = [r.source for r in mine if not r.source.startswith(("$", "default"))]
        file = edit.file_for(scope, _state["project"])
        where = files[0] if files else _("{file} (no file)").format(file=file)
        title = (
            _("User settings: {where}") if scope == edit.USER else _("Project settings: {where}")
        )
        ok(title.format(where=where))
        table(
            None,
            [_("key"), _("value"), _("from")],
            [(r.key, edit.shown(r.value), _origin(r)) for r in mine],
        )
        if scope != rows[-1].scope:
            ok("")


def _origin(r: edit.Row) -> str:
    from qcode import settings_edit as edit

    if r.source.startswith("$") or r.source == "default":
        return r.source
    return "qcode.toml" if r.scope == edit.PROJECT else "config.toml"


@config_app.command("get")
def get(
    key: str = typer.Argument(..., help=N_("e.g. import.keep_source, or theme with --user.")),
    user: bool = USER,
    json_: bool = JSON,
) -> None:
    """Print one setting's value in effect (lists as JSON; nothing for an unset one)."""
    from qcode import settings_edit as edit

    value = edit.get(_scope(user), key, _state["project"])
    if json_:
        emit_json(value)
    elif value is not None:
        ok(edit.shown(value))


@config_app.command("set")
def set_(
    key: str = typer.Argument(
        ..., help=N_("e.g. grounded_theory.multiple_core, or theme with --user.")
    ),
    value: str = typer.Argument(..., help=N_('true/false, text, or a list such as ["a", "b"].')),
    user: bool = USER,
) -> None:
    """Set one setting, checked against the schema; the file keeps its comments and order."""
    from qcode import settings_edit as edit

    path, parsed = edit.change(_scope(user), key, value, _state["project"])
    ok(_("{key} = {v1} in {path}").format(key=key, v1=edit.shown(parsed), path=path))


@config_app.command("unset")
def unset(
    key: str = typer.Argument(..., help=N_("The setting to remove (its default applies again).")),
    user: bool = USER,
) -> None:
    """Remove one setting from its file, so that its default applies again."""
    from qcode import settings_edit as edit

    path, _before = edit.change(_scope(user), key, None, _state["project"])
    ok(_("{key} removed from {path}").format(key=key, path=path))
