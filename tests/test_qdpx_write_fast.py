"""The export's fast path (selections written as XML text and parsed at once) makes the same
tree as making each element, whatever the names and GUIDs hold."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from lxml import etree

from qcode.interchange.qdpx_model import _Q, _SELECTION_NS, Exchange, XCoding, XSource
from qcode.interchange.qdpx_write import project_xml, selection_guid


def test_selection_guid_is_uuid5() -> None:
    for _ in range(200):
        g = str(uuid.uuid4())
        assert selection_guid(g) == str(uuid.uuid5(_SELECTION_NS, g))


def _one(guid: str, name: str, user: str | None) -> Exchange:
    x = Exchange(name="p")
    code = str(uuid.uuid4())
    c = XCoding(code, 0, 3, guid, user, datetime(2024, 5, 1, 12, 0, 0, 999), ["n1"], guid, name)
    x.sources.append(XSource(str(uuid.uuid4()), "s", "abcdef", codings=[c]))
    return x


def test_names_and_odd_values_come_back_exactly() -> None:
    name = 'a & b < c > "d"\tnew\nline\r\x01'
    odd = 'x"&<y'  # not a GUID: the fast path fails and every value is escaped
    for guid, user in ((str(uuid.uuid4()), str(uuid.uuid4())), (odd, odd), (odd, None)):
        root = project_xml(_one(guid, name, user))
        sel = root.find(f"{_Q}Sources/{_Q}TextSource/{_Q}PlainTextSelection")
        assert sel is not None
        assert sel.get("name") == name.replace("\x01", "\ufffd")
        assert sel.get("guid") == guid
        coding = sel.find(f"{_Q}Coding")
        assert coding is not None
        assert coding.get("guid") == guid
        assert coding.get("creatingUser") == user
        assert coding.get("creationDateTime") == "2024-05-01T12:00:00Z"
        assert [r.get("targetGUID") for r in coding] == [coding[0].get("targetGUID"), "n1"]
        # the serialised bytes declare the namespace once, on the root
        assert etree.tostring(root).count(b"xmlns=") == 1


def _qde_written(x: Exchange, tmp_path: Path) -> bytes:
    import zipfile

    from qcode.interchange.qdpx_write import write_qdpx

    out = tmp_path / "x.qdpx"
    write_qdpx(x, out)
    with zipfile.ZipFile(out) as z:
        return z.read("project.qde")


def _qde_tree(x: Exchange) -> bytes:
    return etree.tostring(project_xml(x), xml_declaration=True, encoding="utf-8")


def test_selections_put_in_as_text_give_the_bytes_of_the_whole_tree(
    tmp_path: Path, built_example: Callable[[Path], Path]
) -> None:
    """write_qdpx puts each source's selections into the serialised project as text; the bytes
    are those of serialising the tree made element by element, for odd names and GUIDs and for
    the example study (memos on spans, several coders, Chinese and English)."""
    from qcode import Project
    from qcode.services.exchange import to_exchange

    name = 'a & b < c > "d"\tnew\nline\r\x01 养老'
    odd = 'x"&<y'
    for guid, user in ((str(uuid.uuid4()), str(uuid.uuid4())), (odd, odd), (odd, None)):
        x = _one(guid, name, user)
        assert _qde_written(x, tmp_path) == _qde_tree(x)
    p = Project.open(built_example(tmp_path / "study"))
    try:
        x, _ = to_exchange(p)
    finally:
        p.close()
    assert sum(len(s.codings) for s in x.sources) > 100
    assert _qde_written(x, tmp_path) == _qde_tree(x)
