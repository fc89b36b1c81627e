"""The interface's language: English (the source strings) or Simplified Chinese.

Strings shown to the researcher are marked with :func:`_` (or :func:`ngettext` where a count
decides the form), and translated through the standard library's :mod:`gettext` from the
catalogue ``qcode/locale/zh/LC_MESSAGES/qcode.mo`` (compiled from ``qcode.po`` by
``make locale``; ``tests/test_i18n.py`` checks the two agree and cover every marked string).
A string needed before the language is known (a class attribute, a module constant) is marked
with :func:`N_`, which only marks it, and translated with :func:`_` where it is shown.

The language, first that says one: :func:`set_language` (``qcode --lang``), ``$QCODE_LANGUAGE``
or ``language`` in the user settings file, then the locale (``LC_ALL``, ``LC_MESSAGES``,
``LANG`` starting with ``zh``); else English.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Mapping
from pathlib import Path

__all__ = [
    "LANGUAGES",
    "N_",
    "_",
    "current",
    "fill",
    "from_environment",
    "ngettext",
    "pgettext",
    "relation_arrow",
    "relation_type",
    "sentences",
    "attribute_type",
    "link_kind",
    "memo_type",
    "set_language",
    "term",
]

DOMAIN = "qcode"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("en", "zh")

_state: dict[str, object] = {"language": None, "catalogue": None}


def _catalogue() -> gettext.NullTranslations:
    found = _state["catalogue"]
    if found is None:
        set_language(from_environment())
        found = _state["catalogue"]
    assert isinstance(found, gettext.NullTranslations)
    return found


def _(message: str) -> str:
    """``message`` in the interface's language."""
    return _catalogue().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of ``singular``/``plural`` for the count ``n``, in the interface's language."""
    return _catalogue().ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` in the interface's language, as meant in ``context`` (the same English word
    can need two Chinese ones: a level "open" is 开放式编码, the action "open" is 打开)."""
    return _catalogue().pgettext(context, message)


def term(value: str) -> str:
    """A level, unit, measure, order or what a matrix counts, as the services name it
    (``open``, ``paragraph``, ``jaccard``, ``descending``, ``codings`` ...), in the interface's
    language, translated in the context of what it names; any other value as it is."""
    return {
        "open": pgettext("level", "open"),
        "axial": pgettext("level", "axial"),
        "selective": pgettext("level", "selective"),
        "overlap": pgettext("unit", "overlap"),
        "sentence": pgettext("unit", "sentence"),
        "turn": pgettext("unit", "turn"),
        "paragraph": pgettext("unit", "paragraph"),
        "document": pgettext("unit", "document"),
        "count": pgettext("measure", "count"),
        "c": pgettext("measure", "c"),
        "jaccard": pgettext("measure", "jaccard"),
        "ascending": pgettext("order", "ascending"),
        "descending": pgettext("order", "descending"),
        # what a matrix's cells count
        "codings": _("codings"),
        "characters": _("characters"),
        "documents": _("documents"),
        "cases": _("cases"),
        "segments": _("segments"),
        # what an attribute describes (its scope; "document" as above)
        "case": pgettext("link", "case"),
    }.get(value, value)


def attribute_type(value: str) -> str:
    """An attribute's type (text, number, date, boolean) in the interface's language."""
    return {
        "text": pgettext("attribute type", "text"),
        "number": pgettext("attribute type", "number"),
        "date": pgettext("attribute type", "date"),
        "boolean": pgettext("attribute type", "boolean"),
    }.get(value, value)


def link_kind(value: str) -> str:
    """What a memo is linked to (code, document, coding, case), in the interface's language."""
    return {
        "code": pgettext("link", "code"),
        "document": pgettext("link", "document"),
        "coding": pgettext("link", "coding"),
        "case": pgettext("link", "case"),
    }.get(value, value)


def memo_type(value: str) -> str:
    """A memo type (the services' name) in the interface's language."""
    return {
        "free": pgettext("memo type", "free"),
        "code": pgettext("memo type", "code"),
        "theory": pgettext("memo type", "theory"),
        "method": pgettext("memo type", "method"),
        "sampling": pgettext("memo type", "sampling"),
        "storyline": pgettext("memo type", "storyline"),
    }.get(value, value)


def N_(message: str) -> str:  # noqa: N802  (gettext's name for a mark without translation)
    """Marks ``message`` for the catalogue; :func:`_` translates it where it is shown."""
    return message


# the built-in relation types (the paradigm model's and ATLAS.ti's), as qcode shows them;
# a type the researcher defined keeps its own name
RELATION_TYPES = {
    "causal condition of": N_("causal condition of"),
    "context of": N_("context of"),
    "intervening condition of": N_("intervening condition of"),
    "action/interaction strategy for": N_("action/interaction strategy for"),
    "consequence of": N_("consequence of"),
    "is associated with": N_("is associated with"),
    "is part of": N_("is part of"),
    "is cause of": N_("is cause of"),
    "contradicts": N_("contradicts"),
    "is a": N_("is a"),
    "is property of": N_("is property of"),
}


def marked(table: Mapping[str, str], value: str, otherwise: str | None = None) -> str:
    """``value`` shown through ``table``, a table of names marked for translation
    (``{name: N_(label)}``): its label in the interface's language, or ``otherwise`` (``value``
    itself when not given) for a name the table does not hold."""
    if value in table:
        return _(table[value])
    return value if otherwise is None else otherwise


def _han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def _apart(a: str, b: str) -> bool:
    """Whether Chinese typesetting sets the two characters apart with a space: a Han character
    beside a Latin letter or digit."""
    latin = [ch.isascii() and ch.isalnum() for ch in (a, b)]
    return (_han(a) and latin[1]) or (latin[0] and _han(b))


def fill(template: str, **values: object) -> str:
    """``template.format(**values)``; in Chinese, with a space where an inserted value meets a
    Han character on one side and a Latin letter or digit on the other (``Coping strategies
    的子编码``, not ``Coping strategies的子编码``), as Chinese text sets Latin words apart. Only
    the seams of the inserted values are spaced, never the text within a value (a quote, a
    name as written)."""
    if current() != "zh":
        return template.format(**values)
    from string import Formatter

    pieces: list[str] = []
    for literal, field, spec, conversion in Formatter().parse(template):
        if literal:
            pieces.append(literal)
        if field is not None:
            code = field + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            pieces.append("{" + code + "}")
            pieces[-1] = pieces[-1].format(**values)
    out = ""
    for piece in pieces:
        if out and piece and _apart(out[-1], piece[0]):
            out += " "
        out += piece
    return out


def sentences(*parts: str) -> str:
    """Sentences one after the other: a space between them, none after a full-width mark
    (Chinese sets none after 。！？)."""
    out = ""
    for part in filter(None, parts):
        if out and not ("\u3000" <= out[-1] <= "\u303f" or "\uff00" <= out[-1] <= "\uffef"):
            out += " "
        out += part
    return out


def relation_type(value: str) -> str:
    """A relation type's name in the interface's language."""
    return marked(RELATION_TYPES, value)


def relation_arrow(value: str) -> str:
    """A relation type as the label of an arrow from one name to another: in Chinese without
    the frame that a sentence needs and an arrow does not (``—因果条件→``, not
    ``—是……的因果条件→``)."""
    name = relation_type(value)
    if current() == "zh":
        for frame in ("是……的", "与……"):
            if name.startswith(frame) and len(name) > len(frame):
                return name[len(frame) :]
    return name


def relation_family(value: str) -> str:
    """Where a relation type comes from (the paradigm model, ATLAS.ti, the researcher)."""
    return {
        "paradigm": pgettext("relation family", "paradigm"),
        "atlas": pgettext("relation family", "ATLAS.ti"),
        "user": pgettext("relation family", "user-defined"),
    }.get(value, value)


def set_language(language: str) -> None:
    """Speak ``language`` (``en`` or ``zh``) from now on."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown interface language {language!r} (expected en or zh)")
    if language == "en":
        catalogue: gettext.NullTranslations = gettext.NullTranslations()
    else:
        catalogue = gettext.translation(DOMAIN, LOCALE_DIR, languages=[language])
    _state["language"] = language
    _state["catalogue"] = catalogue


def current() -> str:
    """The interface's language now (``en`` or ``zh``)."""
    _catalogue()
    return str(_state["language"])


def from_locale(environ: dict[str, str] | None = None) -> str:
    """``zh`` where the locale's first set variable names Chinese, else ``en``."""
    env = os.environ if environ is None else environ
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def from_environment() -> str:
    """The language the user settings (with ``$QCODE_LANGUAGE`` over them) choose, else the
    locale's. A settings file with mistakes chooses nothing here: the command that reads it
    reports them."""
    from qcode.settings_paths import USER_ENV, user_config_path

    explicit = os.environ.get(USER_ENV["language"])
    if explicit in LANGUAGES:
        return explicit
    if _names_a_language(user_config_path()):  # only then is the file validated (pydantic)
        from qcode.settings import SettingsError, load_user_settings

        try:
            chosen = load_user_settings().language
        except SettingsError:
            chosen = None
        if chosen in LANGUAGES:
            return str(chosen)
    return from_locale()


def _names_a_language(path: Path) -> bool:
    """Whether the user settings file at ``path`` sets ``language`` (read as plain TOML; a file
    that is not TOML chooses nothing, as one with any other mistake)."""
    if not path.is_file():  # no file: no TOML reader to load
        return False
    import tomllib

    try:
        with path.open("rb") as f:
            return "language" in tomllib.load(f)
    except (OSError, ValueError):
        return False
