"""REFI-QDA exchange: .qdc codebooks, .qdpx projects out and in, files from other tools, and the
refusals that keep outside files from doing harm."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import SHARED, snapshot
from lxml import etree

from qcode import Project
from qcode.errors import InputFileError
from qcode.interchange.qdpx import read_qdpx
from qcode.interchange.refi import read_qdc, write_qdc
from qcode.services.exchange import create_from_qdpx, export_qdpx

REFI = SHARED / "refi"
needs_refi = pytest.mark.skipif(not REFI.is_dir(), reason="REFI-QDA reference files absent")
NS = "{urn:QDA-XML:project:1.0}"


def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(REFI / "xsd" / name)))


@pytest.fixture(scope="module")
def example(
    tmp_path_factory: pytest.TempPathFactory, built_example: Callable[[Path], Path]
) -> Path:
    return built_example(tmp_path_factory.mktemp("ex") / "study")


def qde(path: Path) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read("project.qde")


# -- .qdc -----------------------------------------------------------------------------------------
@needs_refi
def test_atlas_codebook_is_read_with_its_code_group() -> None:
    cb = read_qdc(REFI / "samples" / "atlasti-win-23.4.0_codebook_from-requal-test.qdc")
    assert [(c.path, c.guid, c.color, c.description) for c in cb.codes] == [
        ("code1", "1ff58b12-6f6f-4b0c-8be5-bbdc91f55294", "#46AA00", "description")
    ]
    assert [(s.name, s.description, s.codes) for s in cb.sets] == [
        ("code group 1", "kategorie 1", ["code1"])
    ]


@needs_refi
@pytest.mark.parametrize("ns", ["urn:QDA-XML:codebook:1.0", "urn:QDA-XML:codebook:0:4"])
def test_codebook_namespaces_and_empty_sets_accepted(tmp_path: Path, ns: str) -> None:
    f = tmp_path / "cb.qdc"
    f.write_text(
        f'<?xml version="1.0"?><CodeBook xmlns="{ns}" origin="X"><Codes>'
        '<Code guid="{AAAAAAAA-0000-0000-0000-000000000001}" name="a/b" isCodable="true">'
        '<Code guid="aaaaaaaa-0000-0000-0000-000000000002" name="child" isCodable="false" '
        'color="#abc"/></Code></Codes><Sets/></CodeBook>',
        encoding="utf-8",
    )
    cb = read_qdc(f)
    assert [(c.path, c.guid, c.color) for c in cb.codes] == [
        ("a\u2215b", "aaaaaaaa-0000-0000-0000-000000000001", None),
        ("a\u2215b/child", "aaaaaaaa-0000-0000-0000-000000000002", "#AABBCC"),
    ]
    assert cb.sets == [] and any("'/' separates" in n for n in cb.notes)


@needs_refi
def test_written_codebook_validates_and_reads_back(example: Path, tmp_path: Path) -> None:
    from qcode.services.exchange import to_exchange

    with Project.open(example) as p:
        x, _ = to_exchange(p)
    from qcode.interchange.model import Codebook, SetEntry

    cb = Codebook(codes=x.codes, sets=[SetEntry("group", codes=[x.codes[0].path])])
    out = tmp_path / "cb.qdc"
    write_qdc(cb, out)
    assert schema("Codebook.xsd").validate(etree.parse(str(out)))
    back = read_qdc(out)
    fields = (
        "path",
        "guid",
        "level",
        "description",
        "inclusion",
        "exclusion",
        "example",
        "in_vivo",
        "color",
    )
    assert [[getattr(c, k) for k in fields] for c in back.codes] == [
        [getattr(c, k) for k in fields] for c in x.codes
    ]
    assert any(c.level == "axial" for c in back.codes) and any(c.inclusion for c in back.codes)
    assert back.sets[0].codes == [x.codes[0].path]


# -- .qdpx out ------------------------------------------------------------------------------------
@needs_refi
def test_project_export_validates_and_keeps_its_guids(example: Path, tmp_path: Path) -> None:
    with Project.open(example) as p:
        first = export_qdpx(p, tmp_path / "a.qdpx")
        export_qdpx(p, tmp_path / "b.qdpx")
        with p.read() as s:
            from sqlalchemy import func, select

            from qcode.store.models import Coding, Memo

            n_codings = s.scalar(select(func.count(Coding.id)))
            n_memos = s.scalar(select(func.count(Memo.id)))
    data = qde(tmp_path / "a.qdpx")
    root = etree.fromstring(data)
    assert schema("Project-mrt2019.xsd").validate(root.getroottree()), "invalid project.qde"
    assert data == qde(tmp_path / "b.qdpx")  # same GUIDs, same order, every time
    assert len(root.findall(f".//{NS}Coding")) == n_codings == first.counts["codings"]
    assert len(root.findall(f"{NS}Notes/{NS}Note")) >= n_memos
    with zipfile.ZipFile(tmp_path / "a.qdpx") as z:
        src = root.find(f"{NS}Sources/{NS}TextSource")
        assert src is not None
        name = src.get("plainTextPath", "").replace("internal://", "sources/")
        text = z.read(name).decode("utf-8")
    for sel in src.findall(f"{NS}PlainTextSelection"):
        s, e = int(sel.get("startPosition", "0")), int(sel.get("endPosition", "0"))
        assert 0 <= s < e <= len(text)
    assert first.notes and "framework" in first.notes[-1]


@needs_refi
def test_export_import_export_is_byte_identical(example: Path, tmp_path: Path, cli: Any) -> None:
    r = cli("-p", str(example), "export", "--format", "qdpx", "-o", str(tmp_path / "a.qdpx"))
    assert r.code == 0, r.err
    r = cli("init", str(tmp_path / "copy"), "--from", str(tmp_path / "a.qdpx"), "--json")
    assert r.code == 0, r.err
    assert r.json()["positions"] == "codepoints" and r.json()["counts"]["memos"] == 6
    r = cli("-p", str(tmp_path / "copy"), "export", "-o", str(tmp_path / "b.qdpx"))
    assert r.code == 0, r.err
    with zipfile.ZipFile(tmp_path / "a.qdpx") as a, zipfile.ZipFile(tmp_path / "b.qdpx") as b:
        assert sorted(a.namelist()) == sorted(b.namelist())
        for n in a.namelist():
            assert a.read(n) == b.read(n), n
    # and the archives themselves, byte for byte
    assert (tmp_path / "a.qdpx").read_bytes() == (tmp_path / "b.qdpx").read_bytes()


def test_export_refuses_other_formats(example: Path, tmp_path: Path, cli: Any) -> None:
    r = cli("-p", str(example), "export", "--format", "nvp", "-o", str(tmp_path / "x.nvp"))
    assert r.code != 0 and "unknown format" in r.err and not (tmp_path / "x.nvp").exists()


# -- .qdpx from NVivo -----------------------------------------------------------------------------
def _nvivo_expected(sample: Path) -> dict[str, list[str]]:
    """What NVivo's selections cover, computed independently of qcode: slice the raw file's
    UTF-16 code units (BOM dropped, CRLF kept) and only then normalise line ends."""
    out: dict[str, list[str]] = {}
    with zipfile.ZipFile(sample) as z:
        root = etree.fromstring(z.read("project.qde"))
        for src in root.iter(f"{NS}TextSource"):
            ref = src.get("plainTextPath", "").replace("internal://", "")
            member = next(n for n in z.namelist() if n.endswith("/" + ref))
            units = z.read(member).decode("utf-8-sig").encode("utf-16-le")
            texts = []
            for sel in src.iter(f"{NS}PlainTextSelection"):
                s, e = int(sel.get("startPosition", "0")), int(sel.get("endPosition", "0"))
                piece = units[2 * s : 2 * e].decode("utf-16-le")
                texts.append(piece.replace("\r\n", "\n"))
            out[src.get("name", "")] = texts
    return out


@needs_refi
@pytest.mark.parametrize(
    "sample",
    ["nvivo-win-12.6_oltas.qdpx", "nvivo-mac-12.7.0_OltasSzkepticizmus_17June.qdpx"],
)
def test_nvivo_selections_cover_what_nvivo_covered(tmp_path: Path, cli: Any, sample: str) -> None:
    path = REFI / "samples" / sample
    r = cli("init", str(tmp_path / "p"), "--from", str(path), "--json")
    assert r.code == 0, r.err
    assert r.json()["positions"] == "utf16"
    expected = _nvivo_expected(path)
    with Project.open(tmp_path / "p") as p:
        for doc in p.documents.list():
            got = sorted(c.text for c in p.codings.list(document=doc.name))
            assert got == sorted(expected[doc.name]), doc.name
            text = p.documents.text(doc.name)
            for c in p.codings.list(document=doc.name):
                assert text[c.start : c.end] == c.text
    assert sum(len(v) for v in expected.values()) in (97, 297)


@needs_refi
def test_nvivo_positions_read_as_code_points_go_wrong(tmp_path: Path) -> None:
    """The control: without the UTF-16 conversion, the emoji-heavy Mac sample's selections drift."""
    path = REFI / "samples" / "nvivo-mac-12.7.0_OltasSzkepticizmus_17June.qdpx"
    x = read_qdpx(path, units="codepoints")
    expected = _nvivo_expected(path)
    src = next(s for s in x.sources if s.codings)
    got = sorted(src.text[c.start : c.end] for c in src.codings)
    assert got != sorted(expected[src.name])


# -- .qdpx from other writers ---------------------------------------------------------------------
def _qdpx(path: Path, members: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data.encode("utf-8") if isinstance(data, str) else data)
    return path


def _project(sources: str, origin: str = "ATLAS.ti Windows 23") -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<Project xmlns="urn:QDA-XML:project:1.0" name="Other" origin="{origin}">'
        '<Users><User guid="11111111-1111-1111-1111-111111111111" name="Ana"/></Users>'
        '<CodeBook><Codes><Code guid="22222222-2222-2222-2222-222222222222" name="health" '
        'isCodable="true"/></Codes></CodeBook>'
        f"<Sources>{sources}</Sources></Project>"
    )


def _selection(start: int, end: int) -> str:
    return (
        f'<PlainTextSelection guid="{start:08d}-3333-3333-3333-333333333333" '
        f'startPosition="{start}" endPosition="{end}" '
        'creatingUser="11111111-1111-1111-1111-111111111111"><Coding '
        f'guid="{start:08d}-4444-4444-4444-444444444444"><CodeRef '
        'targetGUID="22222222-2222-2222-2222-222222222222"/></Coding></PlainTextSelection>'
    )


def test_other_folder_qde_names_and_paths(tmp_path: Path) -> None:
    text = "Hej 😀 world\r\nsecond line"
    src = (
        '<TextSource guid="55555555-5555-5555-5555-555555555555" name="one" '
        f'plainTextPath="a.txt">{_selection(6, 11)}</TextSource>'
    )
    f = _qdpx(tmp_path / "o.qdpx", {"My Project.qde": _project(src), "Sources/a.txt": text})
    p, rep = create_from_qdpx(tmp_path / "p", f)
    with p:
        [c] = p.codings.list()
        assert (c.text, c.code, c.coder) == ("world", "health", "Ana")
        assert p.documents.text("one") == "Hej 😀 world\nsecond line"
    assert rep.units == "codepoints" and rep.origin.startswith("ATLAS.ti")


def test_word_source_text_is_extracted(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("First paragraph.")
    d.add_paragraph("Second one.")
    buf = io.BytesIO()
    d.save(buf)
    src = (
        '<TextSource guid="55555555-5555-5555-5555-555555555555" name="word" '
        f'richTextPath="internal://w.docx">{_selection(0, 5)}</TextSource>'
    )
    f = _qdpx(tmp_path / "w.qdpx", {"project.qde": _project(src), "sources/w.docx": buf.getvalue()})
    p, rep = create_from_qdpx(tmp_path / "p", f)
    with p:
        assert p.documents.text("word") == "First paragraph.\nSecond one."
        assert [c.text for c in p.codings.list()] == ["First"]
    assert any("Word file" in n for n in rep.notes)


def test_what_cannot_come_over_is_reported(tmp_path: Path, cli: Any) -> None:
    src = (
        '<TextSource guid="55555555-5555-5555-5555-555555555555" name="t" '
        'plainTextPath="internal://t.txt">'
        f"{_selection(0, 4)}{_selection(90, 95)}"
        '<PlainTextSelection guid="66666666-6666-6666-6666-666666666666" startPosition="0" '
        'endPosition="2"><Coding guid="77777777-7777-7777-7777-777777777777"><CodeRef '
        'targetGUID="99999999-9999-9999-9999-999999999999"/></Coding></PlainTextSelection>'
        '</TextSource><PictureSource guid="88888888-8888-8888-8888-888888888888" name="pic" '
        'path="internal://p.png"/>'
    )
    f = _qdpx(tmp_path / "o.qdpx", {"project.qde": _project(src), "sources/t.txt": "some text"})
    r = cli("init", str(tmp_path / "p"), "--from", str(f))
    assert r.code == 0, r.err
    assert "outside the text" in r.err and "unknown code" in r.err and "PictureSource" in r.err


# -- safety ---------------------------------------------------------------------------------------
BAD_QDE = {
    "entities": '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaaaaaaaa">'
    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><Project name="&b;"/>',
    "external": '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    '<Project xmlns="urn:QDA-XML:project:1.0" name="&x;"/>',
    "malformed": "<Project><Users>",
    "not a project": '<?xml version="1.0"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0"/>',
}


@pytest.mark.parametrize("case", sorted(BAD_QDE))
def test_bad_project_files_are_refused_cleanly(tmp_path: Path, cli: Any, case: str) -> None:
    f = _qdpx(tmp_path / "bad.qdpx", {"project.qde": BAD_QDE[case]})
    r = cli("init", str(tmp_path / "p"), "--from", str(f))
    assert r.code != 0 and r.err.startswith(f"error: {f}: ") and len(r.err.splitlines()) == 1
    assert "passwd" not in r.err and "root:" not in r.err
    assert not (tmp_path / "p").exists()
    assert [q.name for q in tmp_path.iterdir()] == ["bad.qdpx"]  # no half-made project left


@pytest.mark.parametrize(
    "member", ["../evil.txt", "/etc/evil.txt", "sources/../../evil.txt", "C:/evil.txt"]
)
def test_member_names_that_leave_the_folder_are_refused(
    tmp_path: Path, cli: Any, member: str
) -> None:
    f = _qdpx(tmp_path / "bad.qdpx", {"project.qde": _project(""), member: "x"})
    r = cli("init", str(tmp_path / "p"), "--from", str(f))
    assert r.code != 0 and "leaves the folder" in r.err and not (tmp_path / "p").exists()


def test_zip_bomb_is_refused(tmp_path: Path, cli: Any) -> None:
    f = tmp_path / "bomb.qdpx"
    with zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("project.qde", _project(""))
        z.writestr("sources/zeros.txt", b"\0" * (8 << 20))
    r = cli("init", str(tmp_path / "p"), "--from", str(f))
    assert r.code != 0 and "zip bomb" in r.err and not (tmp_path / "p").exists()


def test_not_a_zip_and_missing_file(tmp_path: Path, cli: Any) -> None:
    f = tmp_path / "x.qdpx"
    f.write_text("hello")
    r = cli("init", str(tmp_path / "p"), "--from", str(f))
    assert r.code != 0 and "is not a zip archive" in r.err
    r = cli("init", str(tmp_path / "p"), "--from", str(tmp_path / "none.qdpx"))
    assert r.code != 0 and "does not exist" in r.err and not (tmp_path / "p").exists()


def test_init_from_refuses_a_folder_in_use(example: Path, tmp_path: Path, cli: Any) -> None:
    with Project.open(example) as p:
        export_qdpx(p, tmp_path / "a.qdpx")
        before = snapshot(p)
    r = cli("init", str(example), "--from", str(tmp_path / "a.qdpx"))
    assert r.code != 0 and "not empty" in r.err
    with Project.open(example) as p:
        assert snapshot(p) == before


def test_bad_qdc_names_the_file(tmp_path: Path) -> None:
    f = tmp_path / "cb.qdc"
    f.write_text("<CodeBook>", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"cb\.qdc: is not well-formed XML"):
        read_qdc(f)


def test_repeated_guids_get_new_ones(tmp_path: Path) -> None:
    guid = "55555555-5555-5555-5555-555555555555"
    src = "".join(
        f'<TextSource guid="{guid}" name="s{i}" plainTextPath="internal://t{i}.txt"/>'
        for i in range(2)
    )
    notes = "".join(
        f'<Note guid="{guid}" name="n{i}"><PlainTextContent>memo {i}</PlainTextContent></Note>'
        for i in range(2)
    )
    qde = _project(src).replace("</Sources>", f"</Sources><Notes>{notes}</Notes>")
    f = _qdpx(
        tmp_path / "o.qdpx", {"project.qde": qde, "sources/t0.txt": "a", "sources/t1.txt": "b"}
    )
    p, rep = create_from_qdpx(tmp_path / "p", f)
    with p:
        assert sorted(d.name for d in p.documents.list()) == ["s0", "s1"]
        assert sorted(m.body for m in p.memos.list()) == ["memo 0", "memo 1"]
    assert sum("repeated GUID" in n for n in rep.notes) == 2


def test_damaged_or_encrypted_members_are_refused_in_one_line(tmp_path: Path, cli: Any) -> None:
    f = tmp_path / "ok.qdpx"
    with zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("project.qde", _project(""))
    data = bytearray(f.read_bytes())
    start = 30 + len("project.qde")  # the first member's deflated bytes: make them invalid
    data[start : start + 4] = b"\xff\xff\xff\xff"
    bad = tmp_path / "bad.qdpx"
    bad.write_bytes(bytes(data))
    r = cli("init", str(tmp_path / "p"), "--from", str(bad))
    assert r.code != 0 and len(r.err.strip().splitlines()) == 1 and str(bad) in r.err
    assert not (tmp_path / "p").exists()
    enc = bytearray(f.read_bytes())
    for sig in (b"PK\x03\x04", b"PK\x01\x02"):  # mark the member encrypted in both headers
        i = enc.index(sig)
        flag = 6 if sig == b"PK\x03\x04" else 8
        enc[i + flag] |= 1
    (tmp_path / "enc.qdpx").write_bytes(bytes(enc))
    r = cli("init", str(tmp_path / "p"), "--from", str(tmp_path / "enc.qdpx"))
    assert r.code != 0 and "encrypted" in r.err and len(r.err.strip().splitlines()) == 1


# -- selections keep their identity ---------------------------------------------------------------
def _selections(path: Path) -> dict[str, tuple[str, int, int, list[str]]]:
    """Each PlainTextSelection by GUID: its name, range and its codings' GUIDs."""
    with zipfile.ZipFile(path) as z:
        name = next(n for n in z.namelist() if n.lower().endswith(".qde"))
        root = etree.fromstring(z.read(name))
    return {
        sel.get("guid"): (
            sel.get("name") or "",
            int(sel.get("startPosition")),
            int(sel.get("endPosition")),
            [c.get("guid") for c in sel.findall(f"{NS}Coding")],
        )
        for sel in root.iter(f"{NS}PlainTextSelection")
    }


def _colours(path: Path) -> dict[str, str | None]:
    with zipfile.ZipFile(path) as z:
        name = next(n for n in z.namelist() if n.lower().endswith(".qde"))
        root = etree.fromstring(z.read(name))
    return {c.get("guid").lower(): c.get("color") for c in root.iter(f"{NS}Code")}


@needs_refi
@pytest.mark.parametrize(
    "sample", ["nvivo-win-12.6_oltas.qdpx", "nvivo-mac-12.7.0_OltasSzkepticizmus_17June.qdpx"]
)
def test_nvivo_selection_guids_and_missing_colours_survive(tmp_path: Path, sample: str) -> None:
    path = REFI / "samples" / sample
    q, _ = create_from_qdpx(tmp_path / "p", path)
    with q:
        export_qdpx(q, tmp_path / "out.qdpx")
    before, after = _selections(path), _selections(tmp_path / "out.qdpx")
    assert set(after) == {g.lower() for g in before}
    assert sorted(len(v[3]) for v in after.values()) == sorted(len(v[3]) for v in before.values())
    colours = _colours(path)
    assert sum(1 for v in colours.values() if not v) >= 60  # NVivo writes codes without colour
    out = _colours(tmp_path / "out.qdpx")
    assert {g for g, v in out.items() if not v} == {g for g, v in colours.items() if not v}


def test_a_selection_with_several_codings_stays_one(tmp_path: Path, cli: Any) -> None:
    """As QualCoder and MAXQDA write them: one selection, several codings, with a name."""
    codes = "".join(
        f'<Code guid="2222222{i}-2222-2222-2222-222222222222" name="code {i}" isCodable="true"'
        + (' color="#AA0000"' if i == 0 else "")
        + "/>"
        for i in range(3)
    )

    def coding(i: int, j: int) -> str:
        return (
            f'<Coding guid="4444444{i}-4444-4444-4444-44444444444{j}">'
            f'<CodeRef targetGUID="2222222{j}-2222-2222-2222-222222222222"/></Coding>'
        )

    sels = (
        '<PlainTextSelection guid="33333330-3333-3333-3333-333333333333" name="the cost" '
        'startPosition="0" endPosition="4">'
        + coding(0, 0)
        + coding(0, 1)
        + coding(0, 2)
        + "</PlainTextSelection>"
        '<PlainTextSelection guid="33333331-3333-3333-3333-333333333333" '
        'startPosition="5" endPosition="9">' + coding(1, 1) + "</PlainTextSelection>"
    )
    project = (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<Project xmlns="urn:QDA-XML:project:1.0" name="Other" origin="QualCoder 3.5">'
        f"<CodeBook><Codes>{codes}</Codes></CodeBook><Sources>"
        '<TextSource guid="55555555-5555-5555-5555-555555555555" name="doc" '
        'plainTextPath="internal://doc.txt">' + sels + "</TextSource></Sources></Project>"
    )
    src = _qdpx(tmp_path / "qc.qdpx", {"project.qde": project, "sources/doc.txt": "cost time more"})
    q, _ = create_from_qdpx(tmp_path / "p", src)
    # and a merge into another project keeps them too
    from qcode.services.merge import merge_project

    with Project.init(tmp_path / "other") as other:
        merge_project(other, tmp_path / "p", False)
        export_qdpx(other, tmp_path / "merged.qdpx")
    assert _selections(tmp_path / "merged.qdpx") == _selections(src)
    assert _colours(tmp_path / "merged.qdpx") == _colours(src)
    with q:
        export_qdpx(q, tmp_path / "out.qdpx")
        q.codes.edit("code 2", color="#00AA00")
        export_qdpx(q, tmp_path / "edited.qdpx")
    assert _selections(tmp_path / "out.qdpx") == _selections(src)
    assert _colours(tmp_path / "out.qdpx") == _colours(src)  # code 1 and 2 still without
    edited = _colours(tmp_path / "edited.qdpx")
    assert edited["22222222-2222-2222-2222-222222222222"] == "#00AA00"
    if REFI.is_dir():
        assert schema("Project-mrt2019.xsd").validate(etree.fromstring(qde(tmp_path / "out.qdpx")))


def test_a_selection_guid_is_written_once_in_a_project(tmp_path: Path) -> None:
    """A file that repeated a selection's GUID (in two sources, or with another range) is
    written with one selection per GUID: the later ones get GUIDs of their own."""
    from qcode.interchange.model import CodeEntry
    from qcode.interchange.qdpx import Exchange, XCoding, XSource, write_qdpx

    code = "22222222-2222-2222-2222-222222222222"
    sel = "33333333-3333-3333-3333-333333333333"

    def coding(i: int, start: int) -> XCoding:
        return XCoding(
            code, start, start + 2, f"4444444{i}-4444-4444-4444-444444444444", None, None, [], sel
        )

    x = Exchange(name="x", codes=[CodeEntry(path="c", guid=code)])
    x.sources = [
        XSource(
            f"55555555-5555-5555-5555-55555555555{i}",
            f"d{i}",
            "abcdef",
            codings=[coding(i, 0), coding(i + 5, 2)],
        )
        for i in range(2)
    ]
    write_qdpx(x, tmp_path / "x.qdpx")
    root = etree.fromstring(qde(tmp_path / "x.qdpx"))
    guids = [s.get("guid") for s in root.iter(f"{NS}PlainTextSelection")]
    assert len(guids) == 4 == len(set(guids)) and guids[0] == sel


@needs_refi
def test_another_reader_sees_nvivos_selections_in_the_export(tmp_path: Path) -> None:
    """pyqdpx (from PyPI) reads qcode's export of NVivo's project: every selection GUID NVivo
    wrote, each at the range (code points) qcode coded there. (pyqdpx's own text of a selection
    is not compared: it mangles characters outside the Basic Multilingual Plane, the emoji.)"""
    from pyqdpx import QDPX
    from sqlalchemy import select

    from qcode.store.models import Coding

    path = REFI / "samples" / "nvivo-win-12.6_oltas.qdpx"
    q, _ = create_from_qdpx(tmp_path / "p", path)
    with q:
        export_qdpx(q, tmp_path / "out.qdpx")
        with q.read() as s:
            coded = {
                (u or "").lower(): (a, b)
                for u, a, b in s.execute(select(Coding.selection_uuid, Coding.start, Coding.end))
            }
    project: Any = QDPX(str(tmp_path / "out.qdpx")).get_project()
    seen = {
        sel.guid.lower(): (int(sel.start), int(sel.end))
        for source in project.sources.values()
        for sel in source.coded_selections.values()
    }
    assert set(seen) == {g.lower() for g in _selections(path)}
    assert {g: coded[g] for g in seen} == seen


def test_a_project_made_from_a_qdpx_has_every_index_of_a_new_one(
    example: Path, tmp_path: Path
) -> None:
    """The indexes dropped for the bulk inserts of a new project are all made again: the same
    indexes, by the same statements, as a project made empty; and queries use them."""
    import sqlite3

    def indexes(db: Path) -> set[tuple[str, str, str | None]]:
        with sqlite3.connect(db) as c:
            return set(
                c.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type='index'")
            )

    out = tmp_path / "example.qdpx"
    source = Project.open(example)
    export_qdpx(source, out)
    source.close()
    made, _ = create_from_qdpx(tmp_path / "made", out)
    made.close()
    Project.init(tmp_path / "empty").close()
    got, want = (
        indexes(tmp_path / "made" / "project.db"),
        indexes(tmp_path / "empty" / "project.db"),
    )
    assert got == want
    assert any(t == "codings" and sql for _, t, sql in got)  # plain indexes of codings exist


def test_a_source_whose_text_is_missing_says_how_many_codings_stay_behind(
    example: Path, tmp_path: Path
) -> None:
    import zipfile

    full, less = tmp_path / "full.qdpx", tmp_path / "less.qdpx"
    source = Project.open(example)
    export_qdpx(source, full)
    source.close()
    with zipfile.ZipFile(full) as z, zipfile.ZipFile(less, "w") as out:
        members = [n for n in z.namelist() if n.startswith("sources/")]
        for n in z.namelist():
            if n != members[0]:
                out.writestr(n, z.read(n))
    x = read_qdpx(full)
    gone = next(s for s in x.sources if members[0].endswith(s.guid + ".txt"))
    made, report = create_from_qdpx(tmp_path / "made", less)
    made.close()
    said = [n for n in report.notes if "has no readable text" in n]
    assert said == [
        f"source {gone.name!r} has no readable text; not brought over"
        f" with its {len(gone.codings)} coding(s)"
    ]
    assert report.counts["codings"] == sum(len(s.codings) for s in x.sources) - len(gone.codings)


def test_malformed_xml_is_named_once_with_its_line_and_column(tmp_path: Path) -> None:
    from qcode.interchange.safety import parse_xml

    with pytest.raises(InputFileError) as info:
        parse_xml(b"<a>\n<b></c></a>", tmp_path / "project.qde")
    message = str(info.value)
    assert message.endswith("line 2, column 8)"), message
    assert "<string>" not in message and message.count("line 2") == 2  # "b line 2", "line 2,"
