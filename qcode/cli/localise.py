"""The command line in the interface's language.

Help strings stay English in the source: option and argument help marked with ``N_`` (found by
``pybabel extract``), a command's help its docstring, whose paragraphs are the catalogue's
messages (:func:`messages` walks the command tree for them, for ``make locale`` and the tests).
They are translated when help is written, because ``--lang`` is only read while the command line
is parsed, after every command has been defined.

Typer's own words ("Options", "[default: ...]", "Missing command." ...) come from its
``gettext`` calls, pointed at the catalogue here; the words of the copy of click inside Typer
("Usage:", "Show this message and exit.", usage errors) are plain strings, translated here: the
usage prefix and the help option where help is written, the errors by :func:`usage_error`.
Chinese help is wrapped by display width (a Chinese character takes two columns).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator
from typing import Any

import typer.core
from rich.cells import cell_len
from typer.core import TyperCommand, TyperGroup

from qcode.cli.coercion import param_as_given
from qcode.i18n import N_, _, current, pgettext

# Typer's gettext calls, answered from qcode's catalogue in qcode's language
typer.core._ = _

# The words of Typer and of its click written by qcode's help, marked for the catalogue
BUILT_IN = (
    N_("Usage:"),
    N_("Arguments"),
    N_("Options"),
    N_("Commands"),
    N_("Show this message and exit."),
    N_("default: {default}"),
    N_("required"),
    N_("env var: {var}"),
    N_("(dynamic)"),
    N_("Missing command."),
    N_("No such command {name!r}."),
    N_("Aborted!"),
)
_EN = "qcode_help_en"  # the attribute that keeps a command's or parameter's English help


def paragraphs(text: str) -> list[str]:
    """A help text's paragraphs as the catalogue holds them: lines joined by one space, but a
    paragraph click keeps as written (one starting with ``\\b``) kept in its lines, its ``\\b``
    lines as blank ones."""
    text = inspect.cleandoc(text).partition("\f")[0]
    found = [p.strip("\n") for p in re.split(r"\n[ \t]*\n", text) if p.strip()]
    return [
        "\n".join("" if ln == "\b" else ln for ln in p.split("\n")[1:]).strip("\n")
        if p.startswith("\b")
        else " ".join(p.split())
        for p in found
    ]


def translated(text: str | None) -> str | None:
    """A command's help in the interface's language, paragraph by paragraph."""
    if not text or current() == "en":
        return text
    return "\n\n".join(_(p) for p in paragraphs(text))


def english(obj: Any) -> str | None:
    """The English help of a command or parameter (kept once it has been translated)."""
    return getattr(obj, _EN, obj.help)


def localise(command: Any, ctx: Any) -> None:
    """Give ``command`` and its parameters (its help option too) their help in the interface's
    language."""
    for obj in (command, *command.get_params(ctx)):
        en = english(obj)
        setattr(obj, _EN, en)
        if obj is command:
            obj.help = translated(en)
        else:
            obj.help = _(en) if en and current() != "en" else en


def short_help(command: Any, limit: int) -> str | None:
    """The first sentence of a command's Chinese help, cut to ``limit`` columns; None in
    English (click's own short help then)."""
    en = command.short_help or english(command)
    if current() == "en" or not en:
        return None
    first = _(paragraphs(en)[0])
    sentence = re.split(r"(?<=[。！？])", first, maxsplit=1)[0].rstrip("。；")
    return clip(sentence, limit)


def clip(text: str, limit: int) -> str:
    if cell_len(text) <= limit:
        return text
    while text and cell_len(text) > limit - 1:
        text = text[:-1]
    return text + "…"


# -- wrapping by display width --------------------------------------------------------------------
_WIDE = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"  # Chinese and its punctuation
_TOKEN = re.compile(rf"[{_WIDE}]|\S+?(?=[{_WIDE}]|\s|$)|\s+")
_NO_LINE_START = set("，。、；：！？）」』》〉”’,.;:!?)")
_NO_LINE_END = set("（「『《〈“‘([")


def wrap(text: str, width: int, indent: str = "", subsequent: str = "") -> list[str]:
    """``text`` in lines of at most ``width`` columns: breaks between words and between Chinese
    characters, never before closing punctuation nor after opening punctuation (the word
    before moves down with it)."""
    lines: list[str] = []
    line: list[str] = [indent]
    for token in _TOKEN.findall(" ".join(text.split())):
        if token.isspace():
            if len(line) > 1:
                line.append(" ")
            continue
        if cell_len("".join(line) + token) > width and len(line) > 1:
            carried: list[str] = []
            while len(line) > 2 and (
                (carried[0] if carried else token) in _NO_LINE_START or line[-1] in _NO_LINE_END
            ):
                while len(line) > 2 and line[-1].isspace():
                    line.pop()
                carried.insert(0, line.pop())
            lines.append("".join(line).rstrip())
            line = [subsequent, *carried]
        line.append(token)
    lines.append("".join(line).rstrip())
    return lines


def _type_names() -> dict[str, str]:
    """Typer's names of the values an option or argument takes, in the interface's language."""
    return {
        "str": pgettext("metavar", "str"),
        "int": pgettext("metavar", "int"),
        "float": pgettext("metavar", "float"),
        "bool": pgettext("metavar", "bool"),
        "path": pgettext("metavar", "path"),
        "datetime": pgettext("metavar", "datetime"),
        "int range": pgettext("metavar", "int range"),
        "float range": pgettext("metavar", "float range"),
    }


def local_types(term: str) -> str:
    """An option's or argument's term in help with the type of its value translated (``--min
    <int>`` is ``--min <整数>``; choices, such as ``<table|csv>``, stay as they are typed)."""
    names = _type_names()

    def one(m: re.Match[str]) -> str:
        listed = re.fullmatch(r"list\[(.+)\]", m.group(1))
        inner = listed.group(1) if listed else m.group(1)
        shown = ",".join(names.get(part, part) for part in inner.split(","))  # a tuple's too
        if listed:
            shown = pgettext("metavar", "list[{type}]").format(type=shown)
        return f"<{shown}>"

    return re.sub(r"<([^<>]+)>", one, term)


def _help_formatter() -> type:
    base: Any = TyperCommand.context_class.formatter_class

    class Formatter(base):
        """click's help formatter, with the usage prefix translated and, in Chinese, text
        wrapped by display width."""

        def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
            if current() != "en":
                args = args.replace("[OPTIONS]", pgettext("metavar", "[OPTIONS]"))
            super().write_usage(prog, args, f"{_('Usage:')} " if prefix is None else prefix)

        def write_text(self, text: str) -> None:
            if current() == "en":
                super().write_text(text)
                return
            indent = " " * self.current_indent
            for i, par in enumerate(text.split("\n\n")):
                if i:
                    self.write("\n")
                if "\n" in par:  # a paragraph kept as written
                    self.write("".join(f"{indent}{ln}\n" for ln in par.split("\n")))
                else:
                    self.write("".join(f"{ln}\n" for ln in wrap(par, self.width, indent, indent)))

        def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
            if current() == "en":
                super().write_dl(rows, col_max, col_spacing)
                return
            rows = [(local_types(first), second) for first, second in rows]
            first_col = min(max([0, *(cell_len(r[0]) for r in rows)]), col_max) + col_spacing
            for first, second in rows:
                self.write(f"{'':>{self.current_indent}}{first}")
                if not second:
                    self.write("\n")
                    continue
                if cell_len(first) <= first_col - col_spacing:
                    self.write(" " * (first_col - cell_len(first)))
                else:
                    self.write("\n" + " " * (first_col + self.current_indent))
                lines = wrap(second, max(self.width - first_col - 2, 10))
                pad = " " * (first_col + self.current_indent)
                self.write(lines[0] + "\n" + "".join(f"{pad}{ln}\n" for ln in lines[1:]))

    return Formatter


_BaseContext: Any = TyperCommand.context_class


class _Context(_BaseContext):
    formatter_class = _help_formatter()


class _Local:
    """Help written in the interface's language: mixed into Typer's command and group."""

    context_class: Any = _Context

    def format_help(self, ctx: Any, formatter: Any) -> None:
        localise(self, ctx)
        super().format_help(ctx, formatter)  # type: ignore[misc]

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        return option if option is None else param_as_given(option)

    def get_short_help_str(self, limit: int = 45) -> str:
        found = short_help(self, limit)
        return super().get_short_help_str(limit) if found is None else found  # type: ignore[misc]


class LocalCommand(_Local, TyperCommand):
    """A command whose help is written in the interface's language."""


class LocalGroup(_Local, TyperGroup):
    """A command group whose help is written in the interface's language."""


def use_local_classes(app: typer.Typer) -> None:
    """Have every command and group registered on ``app`` (and on its groups) written by
    :class:`LocalCommand` and :class:`LocalGroup`."""
    from typer.models import DefaultPlaceholder

    for c in app.registered_commands:
        if c.cls in (None, TyperCommand):
            c.cls = LocalCommand
    for g in app.registered_groups:
        sub = g.typer_instance
        if sub is not None:
            if isinstance(sub.info.cls, DefaultPlaceholder | None.__class__):
                sub.info.cls = LocalGroup
            use_local_classes(sub)


def messages(command: Any) -> Iterator[str]:
    """Every help message of ``command`` and the commands beneath it, in English, as the
    catalogue holds them."""
    for text in (english(command), command.short_help):
        if text:
            yield from paragraphs(text)
    for p in command.params:
        text = english(p)
        if text:
            yield text
    for sub in getattr(command, "commands", {}).values():
        yield from messages(sub)


# -- usage errors ----------------------------------------------------------------------------------
_KINDS = {"argument": N_("argument"), "option": N_("option"), "parameter": N_("parameter")}
_ERRORS: tuple[tuple[str, str], ...] = (
    (r"Missing (?P<kind>argument|option|parameter) (?P<hint>.+?)\.", N_("Missing {kind} {hint}.")),
    (r"No such option: (?P<name>\S+)", N_("No such option: {name}")),
    (r"\(Possible options: (?P<options>.+)\)", N_("(Possible options: {options})")),
    (r"No such command (?P<name>'[^']*')\.+", N_("No such command {name}.")),
    (r"Did you mean (?P<options>.+?)\?", N_("Did you mean {options}?")),
    (r"Option (?P<name>'.+') does not take a value\.", N_("Option {name} does not take a value.")),
    (r"Option (?P<name>'.+') requires an argument\.", N_("Option {name} requires an argument.")),
    (
        r"Option (?P<name>'.+') requires (?P<n>\d+) arguments\.",
        N_("Option {name} requires {n} arguments."),
    ),
    (
        r"Got unexpected extra arguments? \((?P<args>.*)\)",
        N_("Got unexpected extra argument(s) ({args})"),
    ),
    (r"Invalid value for (?P<hint>.+?): (?P<detail>.+)", N_("Invalid value for {hint}: {detail}")),
    (r"Invalid value: (?P<detail>.+)", N_("Invalid value: {detail}")),
    (r"Input should be a valid integer.*", N_("expected a whole number")),
    (r"Input should be a valid number.*", N_("expected a number")),
    (r"Input should be a valid boolean.*", N_("expected true or false")),
    (r"(?P<value>'.*') is not one of (?P<choices>.+)\.", N_("{value} is not one of {choices}.")),
    (r"Value (?P<value>.+) is not a valid (?P<label>\w+)\.", N_("{value} is not a valid {label}.")),
    (r"(?:File|Directory|Path) (?P<path>'.+') does not exist\.", N_("{path} does not exist.")),
    (r"Missing command\.", N_("Missing command.")),
)


def usage_error(message: str) -> str:
    """A usage error of Typer's click in the interface's language (English as it is)."""
    if current() == "en":
        return message
    hint = re.search(r"\.? ?Did you mean (?P<options>.+?)\?", message)
    if hint:  # Typer adds it to click's message, which click may have translated already
        before = usage_error(message[: hint.start()]).rstrip(".")
        if before[-1:] not in ("。", "？", "）"):
            before += "。"
        text = _("Did you mean {options}?").format(options=hint.group("options"))
        return before + text + usage_error(message[hint.end() :])
    for pattern, template in _ERRORS:
        m = re.match(pattern + r"(?:\s+(?P<rest>.*))?$", message, re.S)
        if m:
            parts = {k: v for k, v in m.groupdict().items() if k != "rest" and v is not None}
            if "kind" in parts:
                parts["kind"] = _(_KINDS[parts["kind"]])
            if "detail" in parts:
                parts["detail"] = usage_error(parts["detail"])
            text = _(template).format(**parts)
            rest = usage_error(m.group("rest")) if m.group("rest") else ""
            joined = rest[:1] in ("", "（") or text[-1:] in ("。", "？", "）")
            return text + ("" if joined else " ") + rest
    return message


def _add_to_template(pot: str) -> None:
    """Add every command's help (docstrings, which ``pybabel extract`` does not read) to the
    message template ``pot`` (``make locale``)."""
    from babel.messages.pofile import read_po, write_po

    from qcode.cli.main import app

    with open(pot, "rb") as f:
        catalogue = read_po(f)
    for message in messages(typer.main.get_command(app)):
        if message not in catalogue:
            catalogue.add(message)
    with open(pot, "wb") as f:
        write_po(f, catalogue, omit_header=False, sort_output=True)


if __name__ == "__main__":
    import sys

    _add_to_template(sys.argv[1])
