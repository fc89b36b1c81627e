"""Finding words in documents: in one text (the viewer's search) and across a project.

Case-insensitive unless asked; a plain pattern is matched literally (so Chinese finds any
substring); ``regex`` takes it as a regular expression (the ``regex`` module's syntax);
``whole_word`` keeps only matches that neither start nor end inside a word.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import regex

from qcode.errors import InvalidInputError
from qcode.i18n import _

if TYPE_CHECKING:
    from qcode.services.project import Project

CONTEXT = 40
_CLOSING = " \t，。！？；：、）》」』】,.;:!?)]}"


@dataclass(frozen=True)
class SearchHit:
    document: str
    start: int
    end: int
    left: str
    match: str
    right: str

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def compile_pattern(
    pattern: str, use_regex: bool = False, whole_word: bool = False, case: bool = False
) -> Any:
    """The compiled pattern; a bad regular expression is an :class:`InvalidInputError`."""
    if not pattern:
        raise InvalidInputError(_("nothing to search for"))
    body = pattern if use_regex else regex.escape(pattern)
    if whole_word:
        body = rf"(?<!\w)(?:{body})(?!\w)"
    flags = regex.V1 | (0 if case else regex.IGNORECASE)
    try:
        return regex.compile(body, flags)
    except regex.error as exc:
        raise InvalidInputError(
            _("search pattern {pattern!r} is not a valid regex: {exc}").format(
                pattern=pattern, exc=exc
            )
        ) from None


def find(text: str, rx: Any) -> list[tuple[int, int]]:
    """Every non-empty match of ``rx`` in ``text`` as ``(start, end)``."""
    return [m.span() for m in rx.finditer(text) if m.end() > m.start()]


def _hits(name: str, text: str, rx: Any) -> Iterator[SearchHit]:
    for a, b in find(text, rx):
        left = text[max(0, a - CONTEXT) : a].rsplit("\n", 1)[-1]
        if a > CONTEXT:  # cut mid-text: not from the punctuation that closed the words before
            left = left.lstrip(_CLOSING)
        right = text[b : b + CONTEXT].split("\n", 1)[0]
        yield SearchHit(name, a, b, left, text[a:b], right)


def search_documents(
    p: Project,
    pattern: str,
    use_regex: bool = False,
    whole_word: bool = False,
    case: bool = False,
    documents: Sequence[str] | None = None,
    limit: int = 2000,
) -> list[SearchHit]:
    """Hits in every document (or those named), in document order, at most ``limit``."""
    rx = compile_pattern(pattern, use_regex, whole_word, case)
    names = list(documents) if documents else [d.name for d in p.documents.list()]
    out: list[SearchHit] = []
    for name in names:
        for hit in _hits(name, p.documents.text(name), rx):
            out.append(hit)
            if len(out) >= limit:
                return out
    return out
