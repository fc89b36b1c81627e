"""Settings: the project's ``qcode.toml`` and the user's ``config.toml``.

A project folder holds ``qcode.toml`` and, for the embedded store, ``project.db``:

```toml
[project]
name = "Pension study"
language = "en"          # default language of imported documents

[database]
url = "sqlite:///project.db"   # relative SQLite paths are relative to the folder

[user]
name = "alice"           # default coder; QCODE_USER overrides it

[import]
speaker_patterns = []    # optional: regular expressions with a group named 'speaker'
keep_source = true       # keep each imported file's original bytes beside its text

[grounded_theory]
paradigm = true          # Strauss and Corbin's paradigm model (false: Glaser's coding families)
multiple_core = false    # allow more than one selective (core) category

[text]
userdict = "userdict.txt"  # domain word list for Chinese segmentation
model = "zh_core_web_sm"   # a trained spaCy pipeline, used when installed
```

Each person's settings, for every project, are in ``$QCODE_CONFIG``, else
``$XDG_CONFIG_HOME/qcode/config.toml``, else ``~/.config/qcode/config.toml``:

```toml
name = "alice"           # coder name where the project names none
theme = "nord"           # the workbench's colour theme
language = "zh"          # interface language: en or zh
editor = "nano"          # edits memos
[keymap]                 # the workbench's keys, by binding id
apply_code = "c"
undo = "ctrl+z,u"
```

Both are validated when read (:mod:`qcode.settings_schema`): an unknown key or a value of the
wrong type is refused, one line per mistake, naming the file, the line and what was expected.

Environment: ``QCODE_PROJECT`` (the project folder), ``QCODE_USER`` (the coder, over both files),
``QCODE_CONFIG`` (the user settings file), ``QCODE_THEME``, ``QCODE_LANGUAGE``, ``QCODE_EDITOR``
(over the user settings file).
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qcode.errors import NotFoundError
from qcode.i18n import _
from qcode.settings_paths import (
    DB_FILE,
    ENV_USER,
    SETTINGS_FILE,
    USER_ENV,
    find_project,
    resolve_db_url,
    user_config_path,
)
from qcode.settings_schema import (
    LANGUAGE_CODES,
    ProjectFile,
    SettingsError,
    UserFile,
    read,
    validate,
)

__all__ = [
    "DB_FILE",
    "LANGUAGE_CODES",
    "SETTINGS_FILE",
    "Settings",
    "SettingsError",
    "UserSettings",
    "default_user",
    "find_project",
    "load",
    "load_user_settings",
    "resolve_db_url",
    "save",
    "user_config_path",
]


@dataclass
class Settings:
    """A project's settings, as the services use them."""

    name: str
    language: str = "en"
    db_url: str = f"sqlite:///{DB_FILE}"
    user: str | None = None
    speaker_patterns: list[str] | None = None
    keep_source: bool = True
    paradigm: bool = True  # Strauss and Corbin's paradigm vocabulary (off for coding families)
    multiple_core: bool = False  # allow more than one selective (core) category
    userdict: str | None = None  # [text] userdict: domain word list for Chinese segmentation
    spacy_model: str | None = None  # [text] model: a trained spaCy pipeline, used if installed

    def to_toml(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        data["project"] = {"name": self.name, "language": self.language}
        data["database"] = {"url": self.db_url}
        if self.user:
            data["user"] = {"name": self.user}
        imp: dict[str, Any] = {"keep_source": self.keep_source}
        if self.speaker_patterns is not None:
            imp["speaker_patterns"] = list(self.speaker_patterns)
        data["import"] = imp
        data["grounded_theory"] = {"paradigm": self.paradigm, "multiple_core": self.multiple_core}
        text = {k: v for k, v in (("userdict", self.userdict), ("model", self.spacy_model)) if v}
        if text:
            data["text"] = text
        return data

    @classmethod
    def from_file(cls, f: ProjectFile) -> Settings:
        return cls(
            name=f.project.name,
            language=f.project.language,
            db_url=f.database.url,
            user=f.user.name,
            speaker_patterns=f.import_.speaker_patterns or None,
            keep_source=f.import_.keep_source,
            paradigm=f.grounded_theory.paradigm,
            multiple_core=f.grounded_theory.multiple_core,
            userdict=f.text.userdict or None,
            spacy_model=f.text.model or None,
        )

    @classmethod
    def from_toml(cls, data: dict[str, Any], path: str | Path = SETTINGS_FILE) -> Settings:
        """Validated settings from parsed TOML (:class:`SettingsError` names ``path``)."""
        return cls.from_file(validate(Path(path), data, ProjectFile, tables=True))


def load(root: Path) -> Settings:
    path = root / SETTINGS_FILE
    if not path.is_file():
        raise NotFoundError(
            _("{root}: not a qcode project (no {SETTINGS_FILE}); run 'qcode init'").format(
                root=root, SETTINGS_FILE=SETTINGS_FILE
            )
        )
    return Settings.from_file(read(path, ProjectFile, tables=True))


def save(root: Path, settings: Settings) -> None:
    """Write ``settings`` to the project's ``qcode.toml``, keeping its comments and order."""
    from qcode.settings_edit import merge_into, write_atomic

    path = root / SETTINGS_FILE
    write_atomic(path, merge_into(path, settings.to_toml(), ProjectFile))


def default_user(settings: Settings | None = None) -> str:
    """The coder: $QCODE_USER, else the project's ``[user] name``, else the user settings'
    ``name``, else the login name."""
    env = os.environ.get(ENV_USER)
    if env:
        return env
    if settings is not None and settings.user:
        return settings.user
    mine = load_user_settings().name
    if mine:
        return mine
    try:
        return getpass.getuser()
    except Exception:  # no login name (containers)
        return "coder"


# -- the user's settings ---------------------------------------------------------------------------
@dataclass(frozen=True)
class UserSettings:
    """One person's settings (defaults where the file says nothing)."""

    name: str | None = None
    theme: str | None = None
    keymap: dict[str, str] = field(default_factory=dict)  # binding id -> comma-separated keys
    language: str | None = None  # interface language: "en" or "zh" (None: not chosen)
    editor: str | None = None
    path: Path | None = None  # the file read, if there was one


def read_user_file(path: Path | None = None) -> tuple[Path, UserFile | None]:
    """The user settings file's path and its validated content (None: there is no file)."""
    path = path or user_config_path()
    if not path.is_file():
        return path, None
    return path, read(path, UserFile, tables=False)


def env_overrides() -> dict[str, str]:
    """The user settings that variables of the environment set, validated like the file."""
    from pydantic import ValidationError

    from qcode.settings_schema import describe

    values = {k: os.environ[v] for k, v in USER_ENV.items() if os.environ.get(v)}
    for key, value in values.items():
        try:
            UserFile.model_validate({key: value})
        except ValidationError as exc:
            problem = describe(dict(exc.errors()[0]), UserFile, False, {})
            raise SettingsError(f"${USER_ENV[key]}", [problem]) from None
    return values


def load_user_settings(path: Path | None = None) -> UserSettings:
    """The user's settings: the file (see :func:`user_config_path`) with the environment over it.

    Raises :class:`SettingsError` (a :class:`qcode.errors.QcodeError`) for a file or variable
    with mistakes; a missing file gives the defaults.
    """
    found, f = read_user_file(path)
    values: dict[str, Any] = f.model_dump(exclude={"keymap"}) if f is not None else {}
    values.update(env_overrides())
    editor = values.get("editor") or os.environ.get("VISUAL") or os.environ.get("EDITOR") or None
    return UserSettings(
        name=values.get("name"),
        theme=values.get("theme"),
        keymap=dict(f.keymap) if f is not None else {},
        language=values.get("language"),
        editor=editor,
        path=found if f is not None else None,
    )
