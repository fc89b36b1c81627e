"""A category dictionary as qcode reads it: the model (categories with their terms and token
patterns), reading and checking a file, and the results a scan gives (``qcode.analysis.dictionary``
scans texts with it)."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Hashable
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qcode import schemas
from qcode.errors import InputFileError
from qcode.i18n import _
from qcode.text.yamlfile import safe_load

if TYPE_CHECKING:  # the compiled matchers, in the module that scans
    from qcode.analysis.dictionary import _Compiled

# pattern attributes that need a pipeline component, and the annotation each one needs
_ANNOTATED = ("LEMMA", "POS", "TAG", "MORPH", "DEP")
_NEEDS_COMPONENTS = {*_ANNOTATED, "ENT_TYPE", "ENT_IOB", "ENT_ID", "ENT_KB_ID", "_"}
_NEEDS_COMPONENTS |= {"SENT_START", "IS_SENT_START"}

# pieces scanned at a time: jieba's alignment in spaCy grows with the square of a piece
PIECE = {"zh": 10_000}
PIECE_DEFAULT = 100_000
BATCH_CHARS = 200_000  # pieces handed to a worker at a time
POOL_MIN_CHARS = 2_000_000  # below this, one process (starting workers costs more than it saves)


@lru_cache(maxsize=1)
def _spaceless() -> Any:
    import regex

    return regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}]")


# -- the dictionary ------------------------------------------------------------------------------
@dataclass
class Category:
    name: str
    terms: list[str] = field(default_factory=list)
    patterns: list[list[dict[str, Any]]] = field(default_factory=list)
    description: str = ""
    case_sensitive: bool = False


@dataclass
class Dictionary:
    name: str
    categories: dict[str, Category]
    description: str = ""
    source: str = "<dictionary>"
    _compiled: dict[tuple[str, str | None, str | None], _Compiled] = field(
        default_factory=dict, repr=False, compare=False
    )

    def compiled(
        self, language: str, userdict: str | None = None, model: str | None = None
    ) -> _Compiled:
        """The matchers for ``language`` (built once per language and pipeline)."""
        key = (language, userdict, model)
        c = self._compiled.get(key)
        if c is None:
            from qcode.analysis.dictionary import _Compiled

            c = self._compiled[key] = _Compiled(self, language, userdict, model)
        return c

    def summary(self) -> list[dict[str, Any]]:
        """Per category: terms (of which wildcards and Han/kana terms) and patterns."""
        out = []
        for c in self.categories.values():
            chars = [t for t in c.terms if _spaceless().search(t)]
            out.append(
                {
                    "category": c.name,
                    "terms": len(c.terms),
                    "wildcards": sum(1 for t in c.terms if "*" in t and t not in chars),
                    "character_terms": len(chars),
                    "patterns": len(c.patterns),
                    "case_sensitive": c.case_sensitive,
                    "description": c.description,
                }
            )
        return out


@dataclass(frozen=True, slots=True)
class Match:
    document: Hashable
    category: str
    start: int  # code points into the document's text, half-open
    end: int
    text: str

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class DocumentScore:
    document: Hashable
    language: str
    tokens: int  # word tokens, stop words included
    counts: dict[str, int]


@dataclass
class Score:
    unit: str
    category: str
    count: int
    tokens: int
    rate: float  # count per ``per`` word tokens (0 where the unit has no tokens)
    documents: int

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


# -- reading and checking ------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _schema() -> dict[str, Any]:
    return schemas.load("dictionary.schema.json")


def load_dictionary(path: str | Path) -> Dictionary:
    """Read, validate and check a dictionary file; every problem is one line naming the file,
    the entry (``categories/money/patterns/1``) and the problem."""
    import yaml

    path = Path(path)
    if not path.is_file():
        raise InputFileError(path, _("no such file") if not path.exists() else _("is not a file"))
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFileError(path, _("cannot be read as UTF-8 ({exc})").format(exc=exc)) from None
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else safe_load(text)
    except json.JSONDecodeError as exc:
        raise InputFileError(
            path,
            _("line {lineno}, column {colno}: not valid JSON ({msg})").format(
                lineno=exc.lineno, colno=exc.colno, msg=exc.msg
            ),
        ) from None
    except yaml.YAMLError as exc:
        raise InputFileError(
            path, _("not valid YAML ({v1})").format(v1=_yaml_problem(exc))
        ) from None
    return parse_dictionary(data, str(path))


def _yaml_problem(exc: Any) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
    return " ".join(f"{where}{problem}".split())


def _schema_message(e: Any) -> str:
    path = list(e.absolute_path)
    if e.validator == "anyOf" and len(path) == 2 and path[0] == "categories":
        return "give terms or patterns (a non-empty list)"
    if e.validator == "pattern" and "propertyNames" in list(e.schema_path):
        return f"category name {e.instance!r} is blank or starts or ends with a space"
    if e.validator == "pattern" and len(path) == 4 and path[2] == "terms":
        return "a term must not be blank"
    message = " ".join(str(e.message).split())
    return message if len(message) <= 200 else message[:199] + "…"


def parse_dictionary(data: Any, source: str = "<dictionary>") -> Dictionary:
    """A dictionary from parsed YAML/JSON data, validated against the schema, its terms checked
    and its patterns validated by spaCy; errors name ``source`` and the entry."""
    import jsonschema

    if data is None:
        raise InputFileError(source, _("is empty (a dictionary needs a name and categories)"))
    validator = jsonschema.Draft202012Validator(_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    if errors:
        e = errors[0]
        where = "/".join(str(p) for p in e.absolute_path) or "(top level)"
        raise InputFileError(source, f"{where}: {_schema_message(e)}")
    default_case = bool(data.get("case_sensitive", False))
    categories: dict[str, Category] = {}
    for name, spec in data["categories"].items():
        terms = [_check_term(source, name, i, t) for i, t in enumerate(spec.get("terms", []))]
        patterns = spec.get("patterns", [])
        for j, pattern in enumerate(patterns):
            _check_pattern(source, name, j, pattern)
        categories[name] = Category(
            name=name,
            terms=terms,
            patterns=patterns,
            description=str(spec.get("description", "")),
            case_sensitive=bool(spec.get("case_sensitive", default_case)),
        )
    return Dictionary(
        name=str(data["name"]),
        categories=categories,
        description=str(data.get("description", "")),
        source=source,
    )


def _check_term(source: str, category: str, i: int, term: str) -> str:
    term = " ".join(unicodedata.normalize("NFC", term).split())
    where = f"categories/{category}/terms/{i}"
    if "*" not in term:
        return term
    for word in term.split(" "):
        if "*" in word[:-1]:
            raise InputFileError(
                source,
                _("{where}: {term!r}: '*' may only end a word (as in contribut*)").format(
                    where=where, term=term
                ),
            )
        if word.endswith("*") and len(word) < 3 and not _spaceless().search(word):
            raise InputFileError(
                source,
                _("{where}: {term!r}: a wildcard needs two or more characters before '*'").format(
                    where=where, term=term
                ),
            )
    if _spaceless().search(term) and "*" in term[:-1]:
        raise InputFileError(
            source,
            _("{where}: {term!r}: in a Chinese or Japanese term '*' may only end the term").format(
                where=where, term=term
            ),
        )
    return term


def _check_pattern(source: str, category: str, j: int, pattern: list[Any]) -> None:
    from spacy.matcher import Matcher

    where = f"categories/{category}/patterns/{j}"
    try:
        Matcher(_blank_vocab(), validate=True).add(category, [pattern])
    except Exception as exc:  # spaCy raises MatchPatternError, ValueError, KeyError, re.error
        raise InputFileError(
            source,
            _("{where}: invalid token pattern: {v1}").format(where=where, v1=_spacy_problem(exc)),
        ) from None


@lru_cache(maxsize=1)
def _blank_vocab() -> Any:
    from spacy.vocab import Vocab

    return Vocab()


def _spacy_problem(exc: Exception) -> str:
    text = str(exc)
    problems = [line[2:] for line in text.splitlines() if line.startswith("- ")]
    if problems:
        first = problems[0]
        m = re.match(r"\[pattern -> (\d+)(?: -> ([^\]]*))?\] (.*)", first)
        if m:
            token, attr, message = m.groups()
            first = f"token {token}" + (f", {attr}" if attr else "") + f": {message}"
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        return first + more
    text = re.sub(r"^\[E\d+\]\s*", "", " ".join(text.split()))
    return text if len(text) <= 200 else text[:199] + "…"
