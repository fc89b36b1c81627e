"""The schemas of qcode's two settings files, and their checking.

``qcode.toml`` (the project's) and ``config.toml`` (the user's) are read with :mod:`tomllib` and
validated against the pydantic models below: strict types (TOML has its own, so the string
``"false"`` is not a boolean), every unknown key refused, and each mistake reported on a line of
its own that names the file, the line, the key and what was expected::

    study/qcode.toml: line 9: [import] keep_source: expected true or false, not the string "false"

pydantic-settings is not used: it merges every source before validating, so a mistake could no
longer be traced to its file or variable. ``schemas/settings.schema.json`` and
``schemas/user-config.schema.json`` are written from these models (a test keeps them equal).
"""

from __future__ import annotations

import difflib
import json
import re
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    WithJsonSchema,
    field_validator,
)

from qcode.errors import InputFileError
from qcode.settings_paths import LANGUAGE_CODES

INTERFACE_LANGUAGES = ("en", "zh")


class SettingsError(InputFileError):
    """A settings file (or variable) with mistakes: one line per mistake, each naming the file."""

    def __init__(self, path: str | Path, problems: Sequence[str]) -> None:
        super().__init__(path, problems[0])
        self.problems = list(problems)
        self.args = ("\n".join(f"{path}: {p}" for p in problems),)


class _Table(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True)


def _nonempty(value: str | None) -> str | None:
    if value is not None and not value.strip():
        raise ValueError("expected a non-empty string")
    return value


class ProjectTable(_Table):
    name: str = Field(
        default="", description="The project's name, shown in the workbench and exports."
    )
    language: str = Field(
        default="en",
        description="Default language of imported documents (en, zh, ...; spaCy's codes).",
    )

    @field_validator("language")
    @classmethod
    def _language(cls, value: str) -> str:
        if value not in LANGUAGE_CODES:
            raise ValueError("expected a language code such as en or zh")
        return value


class DatabaseTable(_Table):
    url: str = Field(
        default="sqlite:///project.db",
        description="SQLAlchemy URL of the project's database; a relative SQLite path is relative "
        "to the project folder (postgresql+psycopg://USER@HOST/DB for a team server).",
    )

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        try:
            url = make_url(value)
        except ArgumentError:
            raise ValueError("expected a database URL such as sqlite:///project.db") from None
        if url.password is not None:
            raise ValueError(
                "the URL holds a password, which this file would keep in plain text; leave it "
                "out and set PGPASSWORD or put it in ~/.pgpass"
            )
        return value


class UserTable(_Table):
    name: str | None = Field(
        default=None, description="The default coder of this project ($QCODE_USER overrides it)."
    )
    _check = field_validator("name")(_nonempty)


class ImportTable(_Table):
    speaker_patterns: list[str] | None = Field(
        default=None,
        description="Regular expressions that find speaker labels, each with a group named "
        "'speaker' (default: labels such as 'Interviewer:', 'R:', 'P3:', '受访者：').",
    )
    keep_source: bool = Field(default=True, description="Keep each imported file's original bytes.")

    @field_validator("speaker_patterns")
    @classmethod
    def _patterns(cls, value: list[str] | None) -> list[str] | None:
        import regex

        for p in value or []:
            try:
                rx = regex.compile(p)
            except regex.error as exc:
                raise ValueError(f"expected regular expressions; {p!r}: {exc}") from None
            if "speaker" not in rx.groupindex:
                raise ValueError(f"expected a group named 'speaker' in each pattern, as in {p!r}")
        return value


class GroundedTheoryTable(_Table):
    paradigm: bool = Field(
        default=True,
        description="Strauss and Corbin's paradigm model (false: Glaser's coding families).",
    )
    multiple_core: bool = Field(
        default=False, description="Allow more than one core (selective) category."
    )


class TextTable(_Table):
    userdict: str | None = Field(
        default=None,
        description="Domain word list for Chinese segmentation (relative to the project).",
    )
    model: str | None = Field(
        default=None, description="A trained spaCy pipeline, used when installed."
    )


class ProjectFile(_Table):
    """``qcode.toml``: the settings of one project, in its folder."""

    model_config = ConfigDict(title="qcode.toml")
    project: ProjectTable = Field(default_factory=lambda: ProjectTable())
    database: DatabaseTable = Field(default_factory=lambda: DatabaseTable())
    user: UserTable = Field(default_factory=lambda: UserTable())
    import_: ImportTable = Field(default_factory=lambda: ImportTable(), alias="import")
    grounded_theory: GroundedTheoryTable = Field(default_factory=lambda: GroundedTheoryTable())
    text: TextTable = Field(default_factory=lambda: TextTable())


def _keys(value: Any) -> str:
    """A binding's keys as Textual writes them: comma-separated, from a string or a list."""
    parts = value.split(",") if isinstance(value, str) else value
    if not isinstance(parts, list) or not parts:
        raise ValueError('expected keys such as "ctrl+s" or "j,down" (or a list of them)')
    for k in parts:
        if not isinstance(k, str) or not k.strip() or " " in k.strip():
            raise ValueError('expected keys such as "ctrl+s" or "j,down", comma-separated')
    return ",".join(k.strip() for k in parts)


Keys = Annotated[
    str,
    BeforeValidator(_keys),
    WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}),
]


class UserFile(_Table):
    """``config.toml``: one person's settings, for every project."""

    model_config = ConfigDict(title="qcode user settings")
    name: str | None = Field(
        default=None, description="Your coder name, used where a project names none ($QCODE_USER)."
    )
    theme: str | None = Field(
        default=None, description="The workbench's colour theme ($QCODE_THEME)."
    )
    language: Literal["en", "zh"] | None = Field(
        default=None, description="Interface language: en or zh ($QCODE_LANGUAGE)."
    )
    editor: str | None = Field(
        default=None,
        description="Command that edits a memo's text ($QCODE_EDITOR, else $VISUAL, $EDITOR).",
    )
    keymap: dict[str, Keys] = Field(
        default_factory=dict,
        description='The workbench\'s keys: binding id = "keys" (comma-separated) or a list.',
    )

    _names = field_validator("name", "theme", "editor")(_nonempty)


# -- reading and reporting -----------------------------------------------------------------------
_KEY = r"(?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')"
_HEADER = re.compile(rf"^\s*\[\[?\s*({_KEY}(?:\s*\.\s*{_KEY})*)\s*\]\]?")
_ASSIGN = re.compile(rf"^\s*({_KEY}(?:\s*\.\s*{_KEY})*)\s*=")
_PART = re.compile(_KEY)


def _parts(dotted: str) -> list[str]:
    return [p.strip("\"'") for p in _PART.findall(dotted)]


def key_lines(text: str) -> dict[tuple[str, ...], int]:
    """The line (1-based) where each table and key of a TOML text is written.

    tomllib keeps no positions, and no TOML library that does also reads TOML 1.0 exactly; this
    scan of headers and ``key =`` lines is enough to point at a mistake.
    """
    found: dict[tuple[str, ...], int] = {}
    table: list[str] = []
    for n, line in enumerate(text.splitlines(), 1):
        if m := _HEADER.match(line):
            table = _parts(m.group(1))
            found.setdefault(tuple(table), n)
        elif m := _ASSIGN.match(line):
            found.setdefault((*table, *_parts(m.group(1))), n)
    return found


def _line(lines: dict[tuple[str, ...], int], loc: Sequence[str]) -> int | None:
    for k in range(len(loc), 0, -1):
        if (n := lines.get(tuple(loc[:k]))) is not None:
            return n
    return None


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"the string {json.dumps(value, ensure_ascii=False)}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return repr(value)


_EXPECTED = {
    "bool_type": "expected true or false",
    "string_type": "expected a string in quotes",
    "list_type": 'expected a list of strings, such as ["..."]',
    "dict_type": "expected a table",
    "model_type": "expected a table",
    "model_attributes_type": "expected a table",
    "literal_error": "expected one of {options}",
}


def _known(model: type[BaseModel], loc: Sequence[str]) -> list[str] | None:
    """The keys a table at ``loc`` may hold, if ``loc`` names a table of the model."""
    for part in loc:
        field = next(
            (f for n, f in model.model_fields.items() if (f.alias or n) == part),
            None,
        )
        sub = getattr(field, "annotation", None) if field else None
        if not (isinstance(sub, type) and issubclass(sub, BaseModel)):
            return None
        model = sub
    return [f.alias or n for n, f in model.model_fields.items()]


def _where(loc: Sequence[str], value: Any, tables: bool) -> str:
    """``[import] keep_source``, ``[keymap] undo``, ``[import]``, or a top-level key: ``theme``."""
    if len(loc) > 1:
        return f"[{loc[0]}] {'.'.join(loc[1:])}"
    if not loc:
        return "the file"
    return f"[{loc[0]}]" if tables or isinstance(value, dict) else loc[0]


def problem(error: dict[str, Any], model: type[BaseModel]) -> str:
    """What is wrong with one value: what was expected, what was found."""
    loc = [str(p) for p in error["loc"] if not isinstance(p, int)]
    kind, value = error["type"], error.get("input")
    if kind == "extra_forbidden":
        known = _known(model, loc[:-1]) or []
        what = "unknown table" if isinstance(value, dict) and len(loc) == 1 else "unknown key"
        close = difflib.get_close_matches(loc[-1], known, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        return f"{what}; {hint}expected one of: {', '.join(known)}"
    if kind == "value_error":
        expected = str(error["msg"]).removeprefix("Value error, ")
        # a message about items of a list names the item itself
        if isinstance(value, list | dict) or "password" in expected:  # never echo a password
            return expected
        return f"{expected}, not {_toml(value)}"
    expected = _EXPECTED.get(kind, str(error["msg"]).lower())
    if kind == "literal_error":
        expected = expected.format(options=error["ctx"]["expected"])
    return f"{expected}, not {_toml(value)}"


def describe(
    error: dict[str, Any], model: type[BaseModel], tables: bool, lines: dict[tuple[str, ...], int]
) -> str:
    """One mistake as one line: the line of the file, the key, and :func:`problem`."""
    loc = [str(p) for p in error["loc"] if not isinstance(p, int)]
    kind, value = error["type"], error.get("input")
    where = _where(loc, value, tables and kind != "extra_forbidden")
    n = _line(lines, loc)
    text = f"{where}: {problem(error, model)}"
    return f"line {n}: {text}" if n else text


def validate(
    path: Path, data: Any, model: type[BaseModel], tables: bool, text: str | None = None
) -> Any:
    """``data`` (read from ``path``, whose content is ``text``) as an instance of ``model``, or
    :class:`SettingsError` with a line for each mistake. ``tables``: the file's top level holds
    tables (``[project]``)."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        lines = key_lines(text) if text is not None else {}
        problems = [describe(dict(e), model, tables, lines) for e in exc.errors()]
        raise SettingsError(path, problems) from exc


def parse(path: Path, text: str) -> dict[str, Any]:
    """TOML text as data, or :class:`SettingsError` with the line of the syntax error."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        where = f"line {m.group(1)}: " if m else ""
        detail = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise SettingsError(path, [f"{where}not valid TOML ({detail})"]) from exc


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SettingsError(path, ["not UTF-8 text"]) from exc
    except OSError as exc:
        raise SettingsError(path, [f"cannot be read ({exc.strerror})"]) from exc


def read(path: Path, model: type[BaseModel], tables: bool) -> Any:
    """The file at ``path``, validated against ``model``."""
    text = read_text(path)
    return validate(path, parse(path, text), model, tables, text)


def json_schema(model: type[BaseModel], name: str, description: str) -> dict[str, Any]:
    """The JSON Schema of a settings file (``schemas/``), for editors that check TOML by one."""
    schema = _no_null(model.model_json_schema(by_alias=True))
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:qcode:schema:{name}:1",
        **schema,
        "description": description,
    }


def _no_null(node: Any) -> Any:
    """TOML has no null: an optional setting is one that may be left out."""
    if isinstance(node, list):
        return [_no_null(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _no_null(v) for k, v in node.items() if not (k == "default" and v is None)}
    options = out.get("anyOf")
    if isinstance(options, list) and {"type": "null"} in options:
        rest = [o for o in options if o != {"type": "null"}]
        del out["anyOf"]
        out = {**rest[0], **out} if len(rest) == 1 else {**out, "anyOf": rest}
    return out


SCHEMA_FILES = {
    "settings.schema.json": (
        ProjectFile,
        "settings",
        "A project's qcode.toml (TOML, shown here as JSON): its name and document language, "
        "database, default coder, import, grounded-theory and text settings. Unknown keys are "
        'refused; TOML\'s own types are required (true, not "true").',
    ),
    "user-config.schema.json": (
        UserFile,
        "user-config",
        "One person's config.toml (TOML, shown here as JSON; $QCODE_CONFIG, else "
        "$XDG_CONFIG_HOME/qcode/config.toml, else ~/.config/qcode/config.toml): coder name, "
        "theme, interface language, editor and the workbench's keys. Unknown keys are refused.",
    ),
}
