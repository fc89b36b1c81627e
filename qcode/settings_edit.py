"""Reading and changing single settings by key, for ``qcode config show|get|set|unset``.

Keys are dotted: ``import.keep_source`` in the project's ``qcode.toml`` (table, then key), and
``theme`` or ``keymap.undo`` in the user's ``config.toml``. A change is checked against the same
schema as a file being read, then written in place with tomlkit, which keeps the file's comments,
order and layout (a file the researcher wrote by hand stays theirs).
"""

from __future__ import annotations

import difflib
import json
import os
import tomllib
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomlkit
from pydantic import BaseModel, ValidationError

from qcode import settings as s
from qcode.errors import InvalidInputError
from qcode.i18n import _
from qcode.settings_schema import (
    ProjectFile,
    UserFile,
    parse,
    problem,
    read_text,
    validate,
)

PROJECT, USER = "project", "user"


@dataclass(frozen=True)
class Key:
    """One setting: its dotted name, its type and default, what it means."""

    name: str
    annotation: Any
    default: Any
    description: str

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(self.name.split(".", 1))


def _fields(model: type[BaseModel]) -> list[tuple[str, Any]]:
    return [(f.alias or n, f) for n, f in model.model_fields.items()]


def keys(scope: str) -> list[Key]:
    """Every setting of a scope, in the schema's order."""
    out: list[Key] = []
    if scope == PROJECT:
        for table, tf in _fields(ProjectFile):
            for name, f in _fields(tf.annotation):
                desc = f.description or ""
                out.append(Key(f"{table}.{name}", f.annotation, f.get_default(), desc))
    else:
        for name, f in _fields(UserFile):
            out.append(
                Key(
                    name,
                    f.annotation,
                    f.get_default(call_default_factory=True),
                    f.description or "",
                )
            )
    return out


def find_key(scope: str, name: str) -> Key:
    known = {k.name: k for k in keys(scope)}
    if name in known:
        return known[name]
    if scope == USER and name.startswith("keymap.") and len(name) > len("keymap."):
        return Key(name, str, None, "keys of one workbench binding (comma-separated)")
    close = difflib.get_close_matches(name, list(known), n=1)
    hint = _("; did you mean {name!r}?").format(name=close[0]) if close else ""
    other = USER if scope == PROJECT else PROJECT
    if name in {k.name for k in keys(other)} or (other == USER and name.startswith("keymap.")):
        hint = (
            _("; it is a user setting: use it with --user")
            if other == USER
            else _("; it is a project setting: use it without --user")
        )
    raise InvalidInputError(
        (
            _("unknown user setting {name!r}{hint} (qcode config show lists them)")
            if scope == USER
            else _("unknown project setting {name!r}{hint} (qcode config show lists them)")
        ).format(name=name, hint=hint)
    )


def file_for(scope: str, root: Path | None) -> Path:
    if scope == USER:
        return s.user_config_path()
    return s.find_project(root) / s.SETTINGS_FILE


def _model(scope: str) -> type[BaseModel]:
    return ProjectFile if scope == PROJECT else UserFile


def _raw(path: Path) -> tuple[str, dict[str, Any]]:
    if not path.is_file():
        return "", {}
    text = read_text(path)
    return text, parse(path, text)


def _lookup(data: dict[str, Any], path: tuple[str, ...]) -> tuple[bool, Any]:
    node: Any = data
    for part in path:
        if not isinstance(node, dict) or part not in node:
            return False, None
        node = node[part]
    return True, node


@dataclass(frozen=True)
class Row:
    scope: str
    key: str
    value: Any
    source: str  # the file, "default", or "$VARIABLE"

    def as_json(self) -> dict[str, Any]:
        return {"scope": self.scope, "key": self.key, "value": self.value, "source": self.source}


def rows(scope: str, root: Path | None) -> list[Row]:
    """Every setting of the scope with its value in effect and where the value comes from."""
    path = file_for(scope, root)
    text, data = _raw(path)
    checked = validate(path, data, _model(scope), scope == PROJECT, text)
    overrides = s.env_overrides() if scope == USER else {}  # checked like the file
    out: list[Row] = []
    for k in keys(scope):
        present, _ = _lookup(data, k.path)
        value = _value_of(checked, k)
        source = str(path) if present else "default"
        env = _env_var(scope, k.name)
        if env and (k.name in overrides or (scope == PROJECT and os.environ.get(env))):
            value, source = os.environ[env], f"${env}"
        if k.name == "keymap":
            out += [Row(scope, f"keymap.{b}", v, str(path)) for b, v in checked.keymap.items()]
            continue
        out.append(Row(scope, k.name, value, source))
    return out


def _env_var(scope: str, key: str) -> str | None:
    if scope == PROJECT:
        return s.ENV_USER if key == "user.name" else None
    return s.USER_ENV.get(key)


def _value_of(checked: BaseModel, k: Key) -> Any:
    node: Any = checked
    for part in k.path:
        attr = "import_" if part == "import" else part
        node = getattr(node, attr) if not isinstance(node, dict) else node.get(part)
    return node


def get(scope: str, name: str, root: Path | None) -> Any:
    """The value in effect of one setting."""
    key = find_key(scope, name)
    if key.name.startswith("keymap."):
        return s.load_user_settings().keymap.get(key.name.split(".", 1)[1])
    for r in rows(scope, root):
        if r.key == key.name:
            return r.value
    return None


def parse_value(key: Key, raw: str) -> Any:
    """VALUE typed on the command line as the setting's type: true/false, a list, a string."""
    kind = _kind(key.annotation)
    if kind is bool:
        if raw.lower() in ("true", "false"):
            return raw.lower() == "true"
        raise InvalidInputError(
            _("{name}: expected true or false, not {raw!r}").format(name=key.name, raw=raw)
        )
    if kind is list:
        if raw.lstrip().startswith("["):
            try:
                return tomllib.loads(f"v = {raw}")["v"]
            except tomllib.TOMLDecodeError as exc:
                raise InvalidInputError(
                    _("{name}: expected a TOML list ({exc})").format(name=key.name, exc=exc)
                ) from exc
        return [raw]
    if kind is dict:
        raise InvalidInputError(
            _("{name} is a table: set its entries, e.g. {name}.ID").format(name=key.name)
        )
    return raw


def _kind(annotation: Any) -> Any:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):  # X | None
        annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
    first = typing.get_origin(annotation) or annotation
    return first if first in (bool, list, dict) else str


def change(scope: str, name: str, raw: str | None, root: Path | None) -> tuple[Path, Any]:
    """Set (or with ``raw`` None remove) one setting in its file; returns the file and value."""
    key = find_key(scope, name)
    value = None if raw is None else parse_value(key, raw)
    path = file_for(scope, root)
    text = read_text(path) if path.is_file() else ""
    model = _model(scope)
    # a file with mistakes is refused as it is read: fix those first
    validate(path, parse(path, text), model, scope == PROJECT, text)
    doc = tomlkit.parse(text) if text else tomlkit.document()
    if value is None:
        _remove(doc, key.path)
    else:
        _put(doc, key.path, value)
    new = tomlkit.dumps(doc)
    try:
        model.model_validate(tomllib.loads(new))
    except ValidationError as exc:
        wrong = problem(dict(exc.errors()[0]), model)
        raise InvalidInputError(
            _("{name}: {wrong}; nothing written").format(name=name, wrong=wrong)
        ) from None
    if not path.parent.is_dir():
        path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, new)
    return path, value


def _put(doc: Any, path: tuple[str, ...], value: Any) -> None:
    node = doc
    for part in path[:-1]:
        if part not in node:
            node[part] = tomlkit.table()
        node = node[part]
    node[path[-1]] = value


def _remove(doc: Any, path: tuple[str, ...]) -> None:
    node = doc
    for part in path[:-1]:
        if part not in node:
            return
        node = node[part]
    if path[-1] in node:
        del node[path[-1]]
    if len(path) > 1 and not doc[path[0]]:
        del doc[path[0]]


def merge_into(path: Path, data: dict[str, Any], model: type[BaseModel]) -> str:
    """The file at ``path`` (if any) with every table of ``model`` set to ``data``: values
    changed in place, settings absent from ``data`` removed, comments and order kept."""
    try:
        doc = tomlkit.parse(path.read_text(encoding="utf-8")) if path.is_file() else None
    except (OSError, UnicodeDecodeError, tomlkit.exceptions.TOMLKitError):
        doc = None
    if doc is None:
        doc = tomlkit.document()
    for table, tf in _fields(model):
        wanted = data.get(table, {})
        have = doc.get(table)
        for name, _f in _fields(tf.annotation):
            if name in wanted:
                current: Any = have.get(name) if have is not None else None
                old = current.unwrap() if hasattr(current, "unwrap") else current
                if old != wanted[name] or current is None:
                    _put(doc, (table, name), wanted[name])
                    have = doc[table]
            elif have is not None and name in have:
                del have[name]
        if table in doc and not doc[table]:
            del doc[table]
    return tomlkit.dumps(doc)


def write_atomic(path: Path, text: str) -> None:
    """Replace the file in one step: a crash leaves the old file or the new, never half."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def shown(value: Any) -> str:
    """A value as the command line prints it: strings as they are, the rest as JSON."""
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
