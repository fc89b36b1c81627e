"""Readers that turn a transcript file into normalised text.

``read_document(path)`` reads ``.txt``, ``.md``, ``.docx``, ``.vtt`` and ``.srt`` files. Every
failure is an :class:`~qcode.errors.InputFileError` naming the file and the problem.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from qcode.errors import InputFileError
from qcode.text import normalize
from qcode.text.encoding import decode

SUPPORTED = (".txt", ".md", ".docx", ".vtt", ".srt")
MAX_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class Loaded:
    text: str
    source: bytes
    format: str
    encoding: str | None
    speakers: tuple[str, ...] = ()  # names known to be speakers (WebVTT voices)


def read_document(path: str | Path, encoding: str | None = None) -> Loaded:
    """Read one transcript; the text is normalised and not empty."""
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.exists():
        raise InputFileError(path, "no such file")
    if path.is_dir():
        raise InputFileError(path, "is a directory, not a file")
    if suffix not in SUPPORTED:
        kinds = ", ".join(SUPPORTED)
        raise InputFileError(path, f"unsupported file type {suffix or '(none)'!r} ({kinds})")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputFileError(path, f"is larger than {MAX_BYTES // 2**20} MB")
        data = path.read_bytes()
    except OSError as exc:
        raise InputFileError(path, f"cannot be read ({exc.strerror})") from exc
    fmt = suffix[1:]
    used: str | None
    voices: list[str] = []
    if fmt == "docx":
        from qcode.ingest.docx import docx_text

        raw, used = docx_text(path, data), None
    else:
        raw, used = decode(path, data, encoding)
        if fmt in ("vtt", "srt"):
            from qcode.ingest.subtitles import subtitle_text

            raw, voices = subtitle_text(normalize(raw), fmt)
    text = normalize(raw)
    if not text.strip():
        raise InputFileError(path, "is empty")
    return Loaded(text, data, fmt, used, tuple(normalize(v) for v in voices))


__all__ = ["SUPPORTED", "Loaded", "read_document"]
