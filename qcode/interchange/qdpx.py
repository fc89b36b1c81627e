"""REFI-QDA projects (``.qdpx``): a zip holding ``project.qde`` and a folder of sources.

:class:`Exchange` is a whole project as plain data, positions in code points of qcode's normalised
text. :func:`write_qdpx` writes one so that ``project.qde`` validates against the standard's
``Project-mrt2019.xsd``; :func:`read_qdpx` reads one written by any tool, in the dialect that tool
writes (see :mod:`qcode.text.foreign`), and lists in ``Exchange.report`` what it could not bring
over.

What the standard cannot hold travels in descriptions (see :mod:`qcode.interchange.refi`) and in
lines of a note's description: ``qcode-type: theory`` (the memo type), ``qcode-case: GUID`` (a memo
linked to a case) and ``qcode-comment`` (a note that is a relation's comment); a variable of
documents says ``qcode-scope: document`` in its description.
"""

from __future__ import annotations

from qcode.interchange.qdpx_model import (
    COMMENT,
    MEMO_CASE,
    MEMO_TYPE,
    SCOPE,
    VARIABLE_TYPES,
    Exchange,
    XCase,
    XCoding,
    XLink,
    XNote,
    XRange,
    XSet,
    XSource,
    XVariable,
)
from qcode.interchange.qdpx_read import Extract, read_qdpx
from qcode.interchange.qdpx_write import (
    project_xml,
    representation_guid,
    selection_guid,
    write_qdpx,
)

__all__ = [
    "COMMENT",
    "MEMO_CASE",
    "MEMO_TYPE",
    "SCOPE",
    "VARIABLE_TYPES",
    "Exchange",
    "Extract",
    "XCase",
    "XCoding",
    "XLink",
    "XNote",
    "XRange",
    "XSet",
    "XSource",
    "XVariable",
    "project_xml",
    "read_qdpx",
    "representation_guid",
    "selection_guid",
    "write_qdpx",
]
