"""The export's fast path (selections written as XML text and parsed at once) makes the same
tree as making each element, whatever the names and GUIDs hold."""

from __future__ import annotations

import uuid
from datetime import datetime

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
