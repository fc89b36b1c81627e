"""Where the settings are and the variables of the environment that name or override them: what
the first thing every command does (choosing the interface's language) needs, without the
validation of :mod:`qcode.settings_schema`, which loads pydantic."""

from __future__ import annotations

import os
from pathlib import Path

SETTINGS_FILE = "qcode.toml"
DB_FILE = "project.db"
ENV_PROJECT = "QCODE_PROJECT"
ENV_USER = "QCODE_USER"
ENV_CONFIG = "QCODE_CONFIG"
# user settings that a variable of the environment overrides
USER_ENV = {"name": ENV_USER, "theme": "QCODE_THEME", "language": "QCODE_LANGUAGE"}
USER_ENV["editor"] = "QCODE_EDITOR"


def user_config_path() -> Path:
    """``$QCODE_CONFIG``, else ``$XDG_CONFIG_HOME/qcode/config.toml``, else
    ``~/.config/qcode/config.toml``."""
    explicit = os.environ.get(ENV_CONFIG)
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base).expanduser() / "qcode" / "config.toml"
