"""Round trip through REFI-QDA on generated projects: export to .qdpx, create a project from it,
and everything comes back: codes and hierarchy, codings (offsets and text), coders, cases,
attributes, memos and their links, relations and sets."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from qcode import Project
from qcode.services.codes import CodeTree
from qcode.services.exchange import create_from_qdpx, export_qdpx
from qcode.services.memos import MEMO_TYPES, Target
from qcode.store.models import (
    AttributeDef,
    Case,
    CaseAttribute,
    Coder,
    CodeSet,
    Coding,
    Document,
    DocumentAttribute,
    Memo,
    MemoLink,
    Relation,
    RelationType,
    SetMember,
)
from qcode.store.models import Code as CodeRow
from qcode.text import normalize
from qcode.text.offsets import snap_range

ALPHABET = "abcdefgh xyzéü灵活就业😀👍🏽\n.,"
words = st.text(alphabet="abcdefghijklmnop灵活就业éß😀", min_size=1, max_size=6)
prose = st.text(alphabet=ALPHABET, max_size=40).map(lambda s: " ".join(s.split(" ")).strip())


@st.composite
def projects(draw: Any) -> dict[str, Any]:
    n_codes = draw(st.integers(1, 8))
    codes = []
    for i in range(n_codes):
        parent = draw(st.one_of(st.none(), st.integers(0, i - 1))) if i else None
        codes.append(
            {
                "name": f"{draw(words)} {i}",
                "parent": parent,
                "level": draw(st.sampled_from(["open", "open", "axial"])),
                "description": draw(prose),
                "inclusion": draw(prose.map(lambda s: s.replace("\n", " ").strip())),
                "in_vivo": draw(st.booleans()),
            }
        )
    docs = [
        normalize(draw(st.text(alphabet=ALPHABET, min_size=1, max_size=120)))
        for _ in range(draw(st.integers(1, 3)))
    ]
    docs = [d if d.strip() else d + "x" for d in docs]
    codings = []
    for _ in range(draw(st.integers(0, 12))):
        d = draw(st.integers(0, len(docs) - 1))
        a = draw(st.integers(0, len(docs[d]) - 1))
        b = draw(st.integers(a + 1, len(docs[d])))
        codings.append((d, a, b, draw(st.integers(0, n_codes - 1)), draw(st.sampled_from("AB"))))
    memos = [
        (draw(words), draw(prose), draw(st.sampled_from(MEMO_TYPES)), draw(st.integers(0, 4)))
        for _ in range(draw(st.integers(0, 4)))
    ]
    relations = [
        (draw(st.integers(0, n_codes - 1)), draw(st.integers(0, n_codes - 1)), draw(prose))
        for _ in range(draw(st.integers(0, 3)))
    ]
    ages = [draw(st.integers(18, 80)) for _ in docs]
    return {
        "codes": codes,
        "docs": docs,
        "codings": codings,
        "memos": memos,
        "relations": relations,
        "ages": ages,
    }


def make(root: Path, spec: dict[str, Any]) -> Project:
    p = Project.init(root, name="Generated")
    paths: list[str] = []
    for c in spec["codes"]:
        parent = paths[c["parent"]] if c["parent"] is not None else None
        p.codes.add(
            c["name"],
            parent,
            description=c["description"],
            level=c["level"],
            inclusion=c["inclusion"],
            in_vivo=c["in_vivo"],
        )
        paths.append(f"{parent}/{c['name']}" if parent else c["name"])
    for i, text in enumerate(spec["docs"]):
        f = root.parent / f"d{i}.txt"
        f.write_text(text, encoding="utf-8")
        p.documents.import_files(
            [f],
            case=f"case {i % 2}",
            attrs={"age": str(spec["ages"][i])},
            doc_attrs={"wave": f"w{i}"},
            allow_duplicates=True,
        )
    stored = [p.documents.text(f"d{i}") for i in range(len(spec["docs"]))]
    seen = set()
    for d, a, b, code, coder in spec["codings"]:
        s, e = snap_range(stored[d], min(a, len(stored[d]) - 1), min(b, len(stored[d])))
        if e > s and (d, s, e, code, coder) not in seen:
            seen.add((d, s, e, code, coder))
            p.codings.apply(f"d{d}", s, e, paths[code], coder=coder)
    codings = p.codings.list()
    for title, body, kind, target in spec["memos"]:
        targets = [
            [],
            [Target("code", paths[0])],
            [Target("document", "d0")],
            [Target("document", "d0", 0, 1)],
            [Target("case", "case 0")]
            + ([Target("coding", str(codings[0].id))] if codings else []),
        ][target]
        p.memos.add(title, body, kind, targets, coder="A")
    for a, b, comment in spec["relations"]:
        if a != b:
            try:
                p.structure.relate(paths[a], "is part of", paths[b], comment=comment)
            except Exception as exc:  # a repeated pair is refused; that is not under test
                assert "already" in str(exc)
    with p.change("sets") as ch:
        sid = ch.insert_one(CodeSet, name="group", description="a set")
        ch.insert(
            SetMember,
            [
                {"set_id": sid, "kind": "code", "target_id": 1},
                {"set_id": sid, "kind": "document", "target_id": 1},
            ],
        )
    return p


def state(p: Project) -> dict[str, Any]:
    """Everything the round trip must keep, by GUIDs and names (never local ids)."""
    with p.read() as s:
        c = s.connection()
        tree = CodeTree(c)
        code = {r.id: r.uuid for r in c.execute(select(CodeRow.id, CodeRow.uuid))}
        doc = {r.id: r.uuid for r in c.execute(select(Document.id, Document.uuid))}
        coder = {r.id: r.name for r in c.execute(select(Coder.id, Coder.name))}
        case = {r.id: r.uuid for r in c.execute(select(Case.id, Case.uuid))}
        memo = {r.id: r.uuid for r in c.execute(select(Memo.id, Memo.uuid))}
        coding = {r.id: r.uuid for r in c.execute(select(Coding.id, Coding.uuid))}
        attr = {r.id: (r.uuid, r.name, r.type, r.scope) for r in c.execute(select(AttributeDef))}
        rtype = {r.id: r.name for r in c.execute(select(RelationType.id, RelationType.name))}
        rel = {r.id: r.uuid for r in c.execute(select(Relation.id, Relation.uuid))}
        target = {
            "code": code,
            "document": doc,
            "case": case,
            "memo": memo,
            "coding": coding,
            "relation": rel,
        }
        return {
            "codes": sorted(
                (
                    tree.path(r.id),
                    r.uuid,
                    r.level,
                    r.description,
                    r.inclusion,
                    r.exclusion,
                    r.example,
                    r.in_vivo,
                    r.color,
                )
                for r in c.execute(select(CodeRow))
            ),
            "coders": sorted(r.name for r in c.execute(select(Coder.name))),
            "cases": sorted((r.uuid, r.name, r.description) for r in c.execute(select(Case))),
            "documents": sorted(
                (r.uuid, r.name, r.text, case.get(r.case_id))
                for r in c.execute(
                    select(Document.uuid, Document.name, Document.text, Document.case_id)
                )
            ),
            "attributes": sorted(attr.values()),
            "values": sorted(
                [
                    ("case", case[r.case_id], attr[r.attribute_id][0], r.value)
                    for r in c.execute(select(CaseAttribute))
                ]
                + [
                    ("doc", doc[r.document_id], attr[r.attribute_id][0], r.value)
                    for r in c.execute(select(DocumentAttribute))
                ]
            ),
            "codings": sorted(
                (
                    r.uuid,
                    doc[r.document_id],
                    code[r.code_id],
                    coder[r.coder_id],
                    r.start,
                    r.end,
                    r.text,
                )
                for r in c.execute(select(Coding))
            ),
            "memos": sorted(
                (r.uuid, r.title, r.body, r.type, coder[r.coder_id])
                for r in c.execute(select(Memo))
            ),
            "memo_links": sorted(
                (memo[r.memo_id], r.target_kind, target[r.target_kind][r.target_id], r.start, r.end)
                for r in c.execute(select(MemoLink))
            ),
            "relations": sorted(
                (r.uuid, code[r.source_id], rtype[r.type_id], code[r.target_id], r.comment)
                for r in c.execute(select(Relation))
            ),
            "sets": sorted(
                (st_.uuid, st_.name, st_.description) for st_ in c.execute(select(CodeSet))
            ),
            "members": sorted(
                (r.kind, target[r.kind][r.target_id]) for r in c.execute(select(SetMember))
            ),
        }


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(spec=projects())
def test_qdpx_round_trip_keeps_everything(spec: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        with make(root / "a", spec) as p:
            export_qdpx(p, root / "a.qdpx")
            before = state(p)
        q, report = create_from_qdpx(root / "b", root / "a.qdpx")
        with q:
            after = state(q)
        assert not [n for n in report.notes if "not brought over" in n]
        for key in before:
            assert after[key] == before[key], key


def test_unused_document_attribute_keeps_its_scope(tmp_path: Path) -> None:
    with Project.init(tmp_path / "a") as p:
        p.attributes.define("wave", "number", "document")
        p.attributes.define("age", "number", "case")
        export_qdpx(p, tmp_path / "a.qdpx")
    q, _ = create_from_qdpx(tmp_path / "b", tmp_path / "a.qdpx")
    with q:
        assert sorted((a.name, a.type, a.scope) for a in q.attributes.list()) == [
            ("age", "number", "case"),
            ("wave", "number", "document"),
        ]


@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(spec=projects())
def test_export_import_export_gives_the_same_bytes(spec: dict[str, Any]) -> None:
    """The same project gives the same .qdpx bytes, whenever it is exported (fixed zip times,
    fixed member order), and so does the project made from it."""
    import time
    import zipfile
    from unittest import mock

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        with make(root / "a", spec) as p:
            export_qdpx(p, root / "a.qdpx")
            later = time.time() + 86_400 * 3
            with mock.patch("time.time", return_value=later):
                export_qdpx(p, root / "a2.qdpx")
        assert (root / "a.qdpx").read_bytes() == (root / "a2.qdpx").read_bytes()
        q, _ = create_from_qdpx(root / "b", root / "a.qdpx")
        with q:
            export_qdpx(q, root / "b.qdpx")
        assert (root / "a.qdpx").read_bytes() == (root / "b.qdpx").read_bytes()
        with zipfile.ZipFile(root / "a.qdpx") as z:
            names = z.namelist()
            assert names[0] == "project.qde" and names[1:] == sorted(names[1:])
            assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
