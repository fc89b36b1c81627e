"""Normalisation of transcript text, done once at import.

The normalised text is what every offset in a project counts into, so this function must be
idempotent and must never be applied to stored text a second time with different rules.

Rules:
- Unicode NFC;
- every line break (CRLF, CR, U+2028 LINE SEPARATOR, U+2029 PARAGRAPH SEPARATOR, U+0085 NEXT
  LINE, U+000B VERTICAL TAB, U+000C FORM FEED) becomes a single LF;
- byte-order marks (U+FEFF) at the very start are dropped.
"""

from __future__ import annotations

import re
import unicodedata

LINE_BREAKS = "\r\n\u2028\u2029\u0085\u000b\u000c"
_BREAK_RE = re.compile("\r\n|[\r\u2028\u2029\u0085\u000b\u000c]")


def normalize(text: str) -> str:
    """Return ``text`` in qcode's canonical form (NFC, LF line breaks, no leading BOM)."""
    text = text.lstrip("\ufeff")
    text = _BREAK_RE.sub("\n", text)
    return unicodedata.normalize("NFC", text)


def is_normalized(text: str) -> bool:
    return normalize(text) == text


def text_hash(text: str) -> str:
    """SHA-256 of the UTF-8 encoding of (normalised) text, as 64 hex digits."""
    import hashlib  # not needed by --help, which imports this module

    return hashlib.sha256(text.encode("utf-8")).hexdigest()
