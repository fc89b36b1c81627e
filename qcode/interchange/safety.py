"""Reading files that come from outside: XML without entity expansion or network access, zip
archives with bounded members and no names that leave their folder.

Nothing here extracts to disk: members are read into memory, each bounded by what the archive
declares *and* by what is actually inflated, so a forged header cannot smuggle a bomb past the
limits.
"""

from __future__ import annotations

import io
import lzma
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from lxml import etree

from qcode.errors import InputFileError
from qcode.i18n import _

MAX_MEMBERS = 20_000
MAX_TOTAL = 4 * 1024**3  # bytes inflated, all members together
MAX_MEMBER = 1024**3  # bytes inflated, one member
MAX_RATIO = 200  # inflated / compressed, for members over 1 MiB
_CHUNK = 1 << 20


def xml_parser() -> etree.XMLParser:
    """A parser that expands no entities, loads no DTD and touches no network."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=True,
        remove_comments=True,
        remove_pis=True,
    )


def parse_xml(data: bytes, where: str | Path) -> Any:
    """The root element of ``data``; a one-line :class:`InputFileError` if it is not XML."""
    try:
        root = etree.fromstring(data, parser=xml_parser())
    except etree.XMLSyntaxError as exc:
        # the message names the line and column already; str() adds "(<string>, line N)"
        raise InputFileError(
            where, _("is not well-formed XML ({v1})").format(v1=_short(exc.msg or exc))
        ) from None
    tree = root.getroottree()
    if tree.docinfo.internalDTD is not None and tree.docinfo.internalDTD.entities():
        raise InputFileError(where, _("declares XML entities; refused (possible entity expansion)"))
    return root


def _short(exc: Exception | str) -> str:
    return " ".join(str(exc).split())[:200]


_DRIVE = re.compile(r"^[A-Za-z]:")


def unsafe_name(name: str) -> bool:
    """True if a member name would land outside the folder it is extracted to."""
    if not name or "\x00" in name or name.startswith(("/", "\\")) or _DRIVE.match(name):
        return True
    return ".." in PurePosixPath(name.replace("\\", "/")).parts


@dataclass
class SafeZip:
    """A zip archive checked as a whole before any member is read."""

    path: Path
    zf: zipfile.ZipFile
    names: list[str]

    @classmethod
    def open(cls, path: Path, data: bytes | None = None) -> SafeZip:
        """Check the archive at ``path`` (or held in ``data``, named ``path`` in errors)."""
        try:
            zf = zipfile.ZipFile(io.BytesIO(data) if data is not None else path)
        except FileNotFoundError:
            raise InputFileError(path, _("does not exist")) from None
        except (zipfile.BadZipFile, OSError) as exc:
            raise InputFileError(
                path, _("is not a zip archive ({v1})").format(v1=_short(exc))
            ) from None
        infos = zf.infolist()
        if len(infos) > MAX_MEMBERS:
            zf.close()
            raise InputFileError(
                path,
                _("has {n} members (at most {MAX_MEMBERS})").format(
                    n=len(infos), MAX_MEMBERS=MAX_MEMBERS
                ),
            )
        total = 0
        for info in infos:
            if unsafe_name(info.filename):
                zf.close()
                raise InputFileError(
                    path,
                    _("member name {filename!r} leaves the folder; refused").format(
                        filename=info.filename
                    ),
                )
            total += info.file_size
            too_dense = info.file_size > _CHUNK and info.file_size > MAX_RATIO * max(
                info.compress_size, 1
            )
            if info.file_size > MAX_MEMBER or too_dense:
                zf.close()
                raise InputFileError(
                    path,
                    _("member {filename!r} inflates too far; refused as a zip bomb").format(
                        filename=info.filename
                    ),
                )
        if total > MAX_TOTAL:
            zf.close()
            raise InputFileError(path, _("inflates to more than 4 GiB; refused as a zip bomb"))
        return cls(path, zf, [i.filename for i in infos if not i.is_dir()])

    def read(self, name: str) -> bytes:
        """One member, never more than its declared size."""
        info = self.zf.getinfo(name)
        out = bytearray()
        try:
            with self.zf.open(info) as fh:
                while chunk := fh.read(_CHUNK):
                    out += chunk
                    if len(out) > info.file_size:
                        raise InputFileError(
                            self.path,
                            _("member {name!r} inflates past its declared size; refused").format(
                                name=name
                            ),
                        )
        except (
            zipfile.BadZipFile,
            OSError,
            EOFError,
            zlib.error,
            lzma.LZMAError,
            # encrypted (a password is needed), or a compression method zipfile does not read
            # (raised as a subclass of RuntimeError)
            RuntimeError,
            ValueError,
        ) as exc:
            raise InputFileError(
                self.path, _("member {name!r} is damaged ({v1})").format(name=name, v1=_short(exc))
            ) from None
        return bytes(out)

    def close(self) -> None:
        self.zf.close()

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
