"""Decoding bytes to text: by byte-order mark, else strict UTF-8, else the encoding named."""

from __future__ import annotations

import codecs
from pathlib import Path

from qcode.errors import InputFileError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    return b"\x00" in head


def decode(path: Path, data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Text of ``data`` and the encoding used. UTF-32/UTF-16 need a BOM; UTF-8 may have one."""
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputFileError(path, f"unknown encoding {encoding!r}") from None
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            raise InputFileError(
                path, f"cannot be decoded as {encoding} ({exc.reason} at byte {exc.start})"
            ) from None
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError as exc:
                raise InputFileError(
                    path, f"is not valid {name} text ({exc.reason} at byte {exc.start})"
                ) from None
    if _looks_binary(data):
        raise InputFileError(path, "looks like a binary file, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        raise InputFileError(
            path,
            f"is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "name its encoding with --encoding",
        ) from None
