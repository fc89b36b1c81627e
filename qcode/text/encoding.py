"""Decoding a file's bytes to text: by byte-order mark, UTF-16/32 without one, strict UTF-8, else
detected with charset-normalizer, or the encoding named.

Detection decides only when it is sure: a UTF-16/32 file without BOM must decode to plausible
text in exactly one byte order; a legacy encoding must be charset-normalizer's clear choice. When
several encodings read the bytes about equally well and give different text (a short GBK file
is also valid Big5 and Korean), the file is refused with the candidates, and ``--encoding``
decides. Among encodings that read the bytes equally well, the ones this project's users meet
(GB18030, Big5, Windows-1252, Shift-JIS, EUC-KR) win, and GB2312/GBK are read as their superset
GB18030 (reported as ``gbk`` when the file holds only GBK characters).
"""

from __future__ import annotations

import codecs
from pathlib import Path

import regex

from qcode.errors import InputFileError
from qcode.i18n import _

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_PREFERRED = ("gb18030", "big5", "cp1252", "shift_jis", "euc_kr", "cp1251", "cp1250")
_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "cp936": "gb18030",
    "hz": "gb18030",
    "big5hkscs": "big5",
    "cp950": "big5",
    "latin_1": "cp1252",
    "iso8859_15": "cp1252",
    "ascii": "cp1252",
}
# what readable text is made of: letters, marks, digits, punctuation, spaces, CJK symbols
_PLAUSIBLE = regex.compile(r"[\p{L}\p{M}\p{N}\p{P}\p{Zs}\p{Sc}\p{Sm}\p{So}\n\t\u3000-\u303f]")


def _plausible(text: str) -> float:
    if not text:
        return 0.0
    return len(_PLAUSIBLE.findall(text)) / len(text)


def _unicode_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-32 or UTF-16 text without a byte-order mark: the byte order whose high bytes are the
    zeros (ASCII, line breaks) and that reads as plausible text; else None."""
    orders = []
    if len(data) % 4 == 0 and data[3::4].count(0) == len(data) // 4:
        orders = ["utf-32-le"]
    elif len(data) % 4 == 0 and data[0::4].count(0) == len(data) // 4:
        orders = ["utf-32-be"]
    elif len(data) % 2 == 0:
        odd, even = data[1::2].count(0), data[0::2].count(0)
        if odd > 3 * even:
            orders = ["utf-16-le"]
        elif even > 3 * odd:
            orders = ["utf-16-be"]
        else:
            orders = ["utf-16-le", "utf-16-be"]
    readings = []
    for name in orders:
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text and _plausible(text) > 0.95:
            readings.append((text, name))
    return readings[0] if len(readings) == 1 else None


def _detect(path: Path, data: bytes) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    results = [
        r for r in from_bytes(data) if not r.encoding.startswith(("utf_16", "utf_32", "utf_7"))
    ]
    if not results:
        raise InputFileError(
            path, _("its encoding cannot be recognised; name it with --encoding (e.g. gb18030)")
        )
    best = min(r.chaos for r in results)
    close = [r for r in results if r.chaos <= best + 0.05]
    top = max(r.coherence for r in close)
    contenders = [r for r in close if r.coherence >= top - 0.05]
    names = [_ALIASES.get(r.encoding, r.encoding) for r in contenders]
    choice = next((n for n in _PREFERRED if n in names), names[0])
    try:
        text = data.decode(choice)
    except UnicodeDecodeError:
        choice = names[0]
        text = str(contenders[0])
    others = {n for n, r in zip(names, contenders, strict=True) if n != choice and str(r) != text}
    unsure = best > 0.2 or (others and top < 0.1)
    if unsure:
        listed = ", ".join(list(dict.fromkeys([choice, *sorted(others)]))[:5])
        raise InputFileError(
            path,
            _("its encoding cannot be decided (likely {listed}); name it with --encoding").format(
                listed=listed
            ),
        )
    if choice == "gb18030":
        try:
            data.decode("gbk")
            return text, "gbk"
        except UnicodeDecodeError:
            pass
    return text, choice


def decode(path: Path, data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Text of ``data`` and the encoding used; :class:`InputFileError` when it cannot be read
    or its encoding cannot be decided."""
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputFileError(
                path, _("unknown encoding {encoding!r}").format(encoding=encoding)
            ) from None
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            raise InputFileError(
                path,
                _("cannot be decoded as {encoding} ({reason} at byte {start})").format(
                    encoding=encoding, reason=exc.reason, start=exc.start
                ),
            ) from None
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError as exc:
                raise InputFileError(
                    path,
                    _("is not valid {name} text ({reason} at byte {start})").format(
                        name=name, reason=exc.reason, start=exc.start
                    ),
                ) from None
    if b"\x00" in data[:65536]:
        found = _unicode_without_bom(data)
        if found is None:
            raise InputFileError(path, _("looks like a binary file, not text"))
        return found
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    return _detect(path, data)


def read_text_file(path: Path, encoding: str | None = None, limit: int = 200 * 2**20) -> str:
    """A whole text file (CSV, codebook, captions) decoded as :func:`decode` does."""
    try:
        if path.stat().st_size > limit:
            raise InputFileError(path, _("is larger than {v1} MB").format(v1=limit // 2**20))
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputFileError(path, _("no such file")) from None
    except OSError as exc:
        raise InputFileError(
            path, _("cannot be read ({v1})").format(v1=exc.strerror or exc)
        ) from None
    return decode(path, data, encoding)[0].lstrip("\ufeff")
