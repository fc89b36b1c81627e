"""Where the settings and the project are, and the variables of the environment that name or
override them: what the first thing every command does (choosing the interface's language) and
the quick reads of :mod:`qcode.services.glance` need, without the validation of
:mod:`qcode.settings_schema`, which loads pydantic."""

from __future__ import annotations

import os
from pathlib import Path

from qcode.errors import NotFoundError
from qcode.i18n import _

SETTINGS_FILE = "qcode.toml"
DB_FILE = "project.db"
ENV_PROJECT = "QCODE_PROJECT"
ENV_USER = "QCODE_USER"
ENV_CONFIG = "QCODE_CONFIG"
# user settings that a variable of the environment overrides
USER_ENV = {"name": ENV_USER, "theme": "QCODE_THEME", "language": "QCODE_LANGUAGE"}
USER_ENV["editor"] = "QCODE_EDITOR"
_SPACY_LANGUAGES = """af ar bg bn ca cs da de el en es et eu fa fi fr ga gu he hi hr hu hy id is
it ja kn ko lt lv mk ml mr nb ne nl pl pt ro ru sa si sk sl sq sr sv ta te th tl tr tt uk ur vi xx
yo zh"""
LANGUAGE_CODES = frozenset(_SPACY_LANGUAGES.split())  # a document's language: spaCy's codes


def user_config_path() -> Path:
    """``$QCODE_CONFIG``, else ``$XDG_CONFIG_HOME/qcode/config.toml``, else
    ``~/.config/qcode/config.toml``."""
    explicit = os.environ.get(ENV_CONFIG)
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base).expanduser() / "qcode" / "config.toml"


def find_project(explicit: str | Path | None = None, cwd: Path | None = None) -> Path:
    """The project folder: ``explicit`` if given, else $QCODE_PROJECT, else the current folder or
    the nearest parent holding a ``qcode.toml``."""
    if explicit is None:
        explicit = os.environ.get(ENV_PROJECT) or None
    if explicit is not None:
        root = Path(explicit).expanduser()
        if not (root / SETTINGS_FILE).is_file():
            raise NotFoundError(
                _("{root}: not a qcode project (no {SETTINGS_FILE})").format(
                    root=root, SETTINGS_FILE=SETTINGS_FILE
                )
            )
        return root.resolve()
    here = (cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / SETTINGS_FILE).is_file():
            return folder
    raise NotFoundError(
        _("{here}: not inside a qcode project; run 'qcode init DIR', or pass --project DIR").format(
            here=here
        )
    )


def resolve_db_url(root: Path, url: str) -> str:
    """Make a relative SQLite path absolute against the project folder."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and ":memory:" not in url:
        return prefix + str((root / url[len(prefix) :]).resolve())
    return url
