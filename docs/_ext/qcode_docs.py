"""Pages of the guide written from qcode itself when the guide is built, so they stay true.

- ``commands.md``: every command's ``--help``, found by walking the command line's tree (a
  command added anywhere appears without touching the guide), grouped as ``qcode --help`` groups
  them;
- ``bindings.md``: the workbench's keys, read from the ``BINDINGS`` of the app, its screens and
  widgets;
- ``settings.md``: every setting of ``qcode.toml`` and ``config.toml`` from their schema;
- ``schemas.md``: every JSON Schema in ``schemas/``;
- ``screens.md`` and ``screens/``: the SVG snapshots the workbench's tests compare against.

They are written into ``docs/_generated/`` (not tracked) and included by the pages around them.
"""

from __future__ import annotations

import importlib
import io
import json
import os
import pkgutil
import re
import shutil
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

DOCS = Path(__file__).resolve().parents[1]
ROOT = DOCS.parent
OUT = DOCS / "_generated"
SNAPSHOTS = ROOT / "tests" / "__snapshots__"
_SPECIAL = re.compile(r"([\\*_\[\]<>{}|#$~])")


def md(text: str) -> str:
    """Plain text as Markdown that shows it as written: ``code spans`` kept, the rest escaped."""
    parts = re.split(r"(`[^`\n]+`)", text)
    return "".join(p if p.startswith("`") else _SPECIAL.sub(r"\\\1", p) for p in parts)


def _write(name: str, text: str) -> None:
    path = OUT / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


# -- the command line ------------------------------------------------------------------------------
def _help(args: list[str]) -> str:
    from qcode.cli.main import main

    out = io.StringIO()
    with redirect_stdout(out), redirect_stderr(io.StringIO()):
        code = main([*args, "--help"])
    if code != 0:
        raise RuntimeError(f"qcode {' '.join(args)} --help exited with {code}")
    return out.getvalue().rstrip()


def _tree(cmd: Any, path: list[str]) -> list[tuple[list[str], Any]]:
    out = [(path, cmd)]
    for name, sub in getattr(cmd, "commands", {}).items():
        if not getattr(sub, "hidden", False):
            out += _tree(sub, [*path, name])
    return out


def commands() -> str:
    import typer.main

    from qcode.cli.groups import GROUPS, OTHER, PANEL
    from qcode.cli.main import app

    os.environ["COLUMNS"] = "96"  # the same width for every build
    root = typer.main.get_command(app)
    top = list(getattr(root, "commands", {}))
    order = {name: i for i, name in enumerate(PANEL)}
    lines = ["## qcode", "", "```text", _help([]), "```", ""]
    for group in [*GROUPS, OTHER]:
        names = sorted((n for n in top if PANEL.get(n, OTHER) == group), key=order.get)
        if not names:
            continue
        lines += [f"## {group}", ""]
        for name in names:
            for path, cmd in _tree(root.commands[name], [name]):
                level = "###" if len(path) == 1 else "####"
                lines += [f"{level} qcode {' '.join(path)}", ""]
                short = (
                    cmd.get_short_help_str(limit=200) if hasattr(cmd, "get_short_help_str") else ""
                )
                if short:
                    lines += [md(short), ""]
                lines += ["```text", _help(path), "```", ""]
    return "\n".join(lines)


# -- the workbench's keys --------------------------------------------------------------------------
def _title(cls: type) -> str:
    words = re.sub(r"(?<!^)(?=[A-Z])", " ", cls.__name__).split()
    if words and words[0] == "Qcode" and words[-1] == "App":
        return "Everywhere"
    return " ".join([words[0], *(w.lower() for w in words[1:])])


def bindings() -> str:
    import qcode.tui
    from qcode.tui.app import QcodeApp

    classes: list[type] = [QcodeApp]
    for pkg in ("qcode.tui.screens", "qcode.tui.widgets"):
        mod = importlib.import_module(pkg)
        for info in pkgutil.iter_modules(mod.__path__):
            m = importlib.import_module(f"{pkg}.{info.name}")
            for obj in vars(m).values():
                if (
                    isinstance(obj, type)
                    and obj.__module__ == m.__name__
                    and "BINDINGS" in vars(obj)
                ):
                    classes.append(obj)
    assert qcode.tui
    with_ids = any(getattr(b, "id", None) for cls in classes for b in vars(cls)["BINDINGS"])
    lines: list[str] = []
    for cls in classes:
        rows = []
        for b in vars(cls)["BINDINGS"]:
            key, action, description = (
                (b.key, b.action, b.description) if hasattr(b, "key") else (*tuple(b), "")[:3]
            )
            keys = " ".join(f"`{k.strip()}`" for k in key.split(","))
            row = f"| {keys} | {md(description or action)} |"
            if with_ids:
                ident = getattr(b, "id", None)
                row += f" {f'`{ident}`' if ident else ''} |"
            rows.append(row)
        head = ["| keys | what it does |", "| --- | --- |"]
        if with_ids:
            head = ["| keys | what it does | binding id |", "| --- | --- | --- |"]
        lines += [f"### {_title(cls)}", "", *head, *rows, ""]
    return "\n".join(lines)


# -- settings and schemas --------------------------------------------------------------------------
def _type(annotation: Any) -> str:
    """A setting's type in TOML's words."""
    import types
    import typing

    args = typing.get_args(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        rest = [a for a in args if a is not type(None)]
        return _type(rest[0]) if len(rest) == 1 else " or ".join(_type(a) for a in rest)
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return "one of " + ", ".join(f'"{a}"' for a in args)
    if origin is typing.Annotated:
        return _type(args[0])
    if origin is list:
        return f"list of {_type(args[0])}"
    if origin is dict:
        return f"table of {_type(args[1])}"
    return {bool: "true or false", str: "string", int: "whole number"}.get(
        annotation, str(annotation)
    )


def _default(value: Any) -> str:
    if value is None:
        return "(not set)"
    if value == {}:
        return "(empty)"
    return f"`{json.dumps(value, ensure_ascii=False)}`"


def settings() -> str:
    from qcode.settings_edit import PROJECT, USER, keys

    lines = []
    for scope, title in ((PROJECT, "`qcode.toml` (the project)"), (USER, "`config.toml` (you)")):
        lines += [
            f"### {title}",
            "",
            "| key | type | default | meaning |",
            "| --- | --- | --- | --- |",
        ]
        for k in keys(scope):
            kind, default = md(_type(k.annotation)), _default(k.default)
            lines.append(f"| `{k.name}` | {kind} | {default} | {md(k.description)} |")
        lines.append("")
    return "\n".join(lines)


def schemas() -> str:
    lines = []
    for path in sorted((ROOT / "schemas").glob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        lines += [f"### {path.name}", "", f"**{md(schema.get('title', path.stem))}**", ""]
        if schema.get("description"):
            lines += [md(schema["description"]), ""]
        lines += [
            "```{literalinclude} " + f"../../schemas/{path.name}",
            ":language: json",
            "```",
            "",
        ]
    return "\n".join(lines)


# -- the workbench as its tests see it -------------------------------------------------------------
def screens() -> str:
    target = OUT / "screens"
    target.mkdir(parents=True, exist_ok=True)
    lines = []
    for svg in sorted(SNAPSHOTS.glob("*/*.svg")):
        stem = svg.stem.removeprefix("test_")
        # a parametrised test's name holds brackets, which a link cannot: name the file plainly
        name = re.sub(r"[^A-Za-z0-9_-]+", "_", stem).strip("_")
        shutil.copyfile(svg, target / f"{name}.svg")
        caption = stem.replace("_", " ").capitalize()
        lines += [f"## {caption}", "", f"![{caption}](../_generated/screens/{name}.svg)", ""]
    return "\n".join(lines)


def generate(*_args: Any) -> None:
    _write("commands.md", commands())
    _write("bindings.md", bindings())
    _write("settings.md", settings())
    _write("schemas.md", schemas())
    _write("screens.md", screens())


def setup(app: Any) -> dict[str, Any]:
    app.connect("builder-inited", generate)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
