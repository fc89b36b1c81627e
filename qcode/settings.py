"""The project folder and its small settings file, ``qcode.toml``.

A project folder holds ``qcode.toml`` and, for the embedded store, ``project.db``. Settings:

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
```
"""

from __future__ import annotations

import getpass
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w

from qcode.errors import InputFileError, NotFoundError

SETTINGS_FILE = "qcode.toml"
DB_FILE = "project.db"
ENV_PROJECT = "QCODE_PROJECT"
ENV_USER = "QCODE_USER"


@dataclass
class Settings:
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
    extra: dict[str, Any] = field(default_factory=dict)

    def to_toml(self) -> dict[str, Any]:
        data: dict[str, Any] = dict(self.extra)
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
    def from_toml(cls, data: dict[str, Any]) -> Settings:
        data = dict(data)
        project = data.pop("project", {}) or {}
        database = data.pop("database", {}) or {}
        user = data.pop("user", {}) or {}
        imp = data.pop("import", {}) or {}
        gt = data.pop("grounded_theory", {}) or {}
        text = data.pop("text", {}) or {}
        patterns = imp.get("speaker_patterns")
        return cls(
            name=str(project.get("name", "")),
            language=str(project.get("language", "en")),
            db_url=str(database.get("url", f"sqlite:///{DB_FILE}")),
            user=user.get("name"),
            speaker_patterns=[str(p) for p in patterns] if patterns else None,
            keep_source=bool(imp.get("keep_source", True)),
            paradigm=bool(gt.get("paradigm", True)),
            multiple_core=bool(gt.get("multiple_core", False)),
            userdict=str(text["userdict"]) if text.get("userdict") else None,
            spacy_model=str(text["model"]) if text.get("model") else None,
            extra=data,
        )


def load(root: Path) -> Settings:
    path = root / SETTINGS_FILE
    if not path.is_file():
        raise NotFoundError(f"{root}: not a qcode project (no {SETTINGS_FILE}); run 'qcode init'")
    try:
        return Settings.from_toml(tomllib.loads(path.read_text(encoding="utf-8")))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputFileError(path, f"not valid TOML ({exc})") from exc


def save(root: Path, settings: Settings) -> None:
    path = root / SETTINGS_FILE
    tmp = path.with_suffix(".toml.tmp")
    tmp.write_text(tomli_w.dumps(settings.to_toml()), encoding="utf-8")
    tmp.replace(path)


def resolve_db_url(root: Path, url: str) -> str:
    """Make a relative SQLite path absolute against the project folder."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and ":memory:" not in url:
        return prefix + str((root / url[len(prefix) :]).resolve())
    return url


def find_project(explicit: str | Path | None = None, cwd: Path | None = None) -> Path:
    """The project folder: ``explicit`` if given, else $QCODE_PROJECT, else the current folder or
    the nearest parent holding a ``qcode.toml``."""
    if explicit is None:
        explicit = os.environ.get(ENV_PROJECT) or None
    if explicit is not None:
        root = Path(explicit).expanduser()
        if not (root / SETTINGS_FILE).is_file():
            raise NotFoundError(f"{root}: not a qcode project (no {SETTINGS_FILE})")
        return root.resolve()
    here = (cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / SETTINGS_FILE).is_file():
            return folder
    raise NotFoundError(
        f"{here}: not inside a qcode project; run 'qcode init DIR', or pass --project DIR"
    )


def default_user(settings: Settings | None = None) -> str:
    env = os.environ.get(ENV_USER)
    if env:
        return env
    if settings is not None and settings.user:
        return settings.user
    try:
        return getpass.getuser()
    except Exception:  # no login name (containers)
        return "coder"
