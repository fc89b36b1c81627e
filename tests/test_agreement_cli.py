"""qcode agreement on a project: the JSON contract, NVivo's worked example end to end, the three
totals, alpha on stored units against the krippendorff package, and refusals."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import write

from qcode import Project
from qcode.services.memos import Target


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """NVivo's example: a 1,000-character document, 200 characters coded by A, 50 of them also by
    B: 85% agreement. A second, 500-character document where they agree on 100 characters."""
    doc1 = ("Some months I pay. " * 60)[:999] + "\n"
    doc2 = ("我们灵活就业，养老保险太贵了。" * 40)[:500]
    with Project.init(tmp_path / "p") as p:
        p.documents.import_files([write(tmp_path / "d1.txt", doc1)])
        p.documents.import_files([write(tmp_path / "d2.txt", doc2)])
        p.codes.add("money")
        p.codes.add("family")
        p.codings.apply("d1", 0, 200, "money", coder="A")
        p.codings.apply("d1", 150, 200, "money", coder="B")
        p.codings.apply("d2", 0, 100, "money", coder="A")
        p.codings.apply("d2", 0, 100, "money", coder="B")
        p.codings.apply("d2", 300, 320, "family", coder="C")
        assert p.documents.get("d1").chars == 1000
    return tmp_path / "p"


def kappa(both: int, a: int, b: int, neither: int) -> float:
    n = both + a + b + neither
    po = (both + neither) / n
    pe = ((both + a) * (both + b) + (neither + a) * (neither + b)) / n**2
    return (po - pe) / (1 - pe)


def test_nvivo_example_and_the_three_totals(root: Path, cli: Any) -> None:
    r = cli("-p", str(root), "agreement", "--coders", "A,B", "--codes", "money", "--json")
    assert r.code == 0, r.err
    data = r.json()
    assert set(data) >= {"rows", "totals", "alpha"}
    rows = {row["document"]: row for row in data["rows"]}
    assert set(rows["d1"]) >= {
        "code",
        "document",
        "coder_a",
        "coder_b",
        "percent_agreement",
        "kappa",
    }
    assert rows["d1"]["percent_agreement"] == pytest.approx(85.0)
    assert rows["d1"]["kappa"] == pytest.approx(kappa(50, 150, 0, 800))
    assert rows["d2"]["percent_agreement"] == pytest.approx(100.0)
    assert rows["d2"]["kappa"] == pytest.approx(1.0)
    [t] = data["totals"]["by_code"]
    assert t["mean"]["percent_agreement"] == pytest.approx((85 + 100) / 2)
    assert t["weighted"]["percent_agreement"] == pytest.approx((85 * 1000 + 100 * 500) / 1500)
    assert t["pooled"]["percent_agreement"] == pytest.approx(100 * (150 + 1200) / 1500)
    assert t["pooled"]["kappa"] == pytest.approx(kappa(150, 150, 0, 1200))
    assert data["alpha"][0]["unit"] == "char" and data["alpha"][0]["code"] == "money"


def test_alpha_on_sentences_matches_the_krippendorff_package(root: Path, cli: Any) -> None:
    krippendorff = pytest.importorskip("krippendorff")
    data = cli(
        "-p", str(root), "agreement", "--coders", "A,B,C", "--unit", "sentence", "--json"
    ).json()
    with Project.open(root) as p:
        units = [
            (d, u["start"], u["end"])
            for d in ("d1", "d2")
            for u in p.documents.units(d, "sentence")
        ]
        coded: dict[tuple[str, str], list[tuple[str, int, int]]] = {}
        for c in p.codings.list():
            coded.setdefault((c.coder, c.code), []).append((c.document, c.start, c.end))
    for code in ("money", "family"):
        table = [
            [
                int(any(d == ud and s < ue and us < e for d, s, e in coded.get((coder, code), [])))
                for ud, us, ue in units
            ]
            for coder in "ABC"
        ]
        expected = krippendorff.alpha(reliability_data=table, level_of_measurement="nominal")
        got = next(a for a in data["alpha"] if a["code"] == code)
        assert got["unit"] == "sentence" and got["alpha"] == pytest.approx(expected)
        assert "fleiss_kappa" in got


def test_disagreements_come_with_their_text(root: Path, cli: Any) -> None:
    data = cli(
        "-p",
        str(root),
        "agreement",
        "--coders",
        "A,B",
        "--codes",
        "money",
        "--disagreements",
        "--json",
    ).json()
    [d] = data["disagreements"]
    assert (d["document"], d["start"], d["end"], d["coded_by"]) == ("d1", 0, 150, ["A"])
    with Project.open(root) as p:
        assert d["text"] == p.documents.text("d1")[0:150]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--coders", "A"), "two or more coders"),
        (("--coders", "A,Z"), "no coder named 'Z'"),
        (("--coders", "A,B", "--unit", "word"), "unknown unit"),
        (("--coders", "A,B", "--docs", "nope"), "no document named 'nope'"),
    ],
)
def test_refusals(root: Path, cli: Any, args: tuple[str, ...], message: str) -> None:
    r = cli("-p", str(root), "agreement", *args)
    assert r.code != 0 and message in r.err


@pytest.mark.parametrize(
    ("accept", "a_ranges", "b_ranges"),
    [("coded", [(0, 200)], [(0, 150), (150, 200)]), ("uncoded", [(150, 200)], [(150, 200)])],
)
def test_resolving_a_disagreement(
    root: Path, cli: Any, accept: str, a_ranges: list[Any], b_ranges: list[Any]
) -> None:
    from conftest import snapshot

    with Project.open(root) as p:
        before = snapshot(p)
    r = cli(
        "-p",
        str(root),
        "resolve",
        "d1",
        "money",
        "0",
        "150",
        "--accept",
        accept,
        "--coders",
        "A,B",
        "--memo",
        "We agreed after discussion.",
    )
    assert r.code == 0, r.err
    data = cli(
        "-p",
        str(root),
        "agreement",
        "--coders",
        "A,B",
        "--codes",
        "money",
        "--docs",
        "d1",
        "--json",
    ).json()
    assert data["rows"][0]["percent_agreement"] == pytest.approx(100.0)
    with Project.open(root) as p:
        got = {
            coder: sorted((c.start, c.end) for c in p.codings.list(document="d1", coder=coder))
            for coder in "AB"
        }
        assert got == {"A": a_ranges, "B": b_ranges}
        [memo] = p.memos.list()
        assert memo.body == "We agreed after discussion." and memo.type == "method"
        p.history.undo()  # the settlement and its memo: one step
        assert snapshot(p) == before


def test_taking_a_range_out_keeps_memos_and_makes_no_twin(root: Path, cli: Any) -> None:
    with Project.open(root) as p:
        p.codings.apply("d1", 0, 12, "money", coder="A")  # A also has [0, 200)
        c = next(c for c in p.codings.list(document="d1", coder="B"))
        p.memos.add(
            "on B's coding",
            "why",
            targets=[Target("coding", str(c.id))],
        )
    # B: [150, 200) -> [150, 160) + [180, 200); A: [0, 200) and [0, 12) both trimmed at 5..
    r = cli(
        "-p",
        str(root),
        "resolve",
        "d1",
        "money",
        "160",
        "180",
        "--accept",
        "uncoded",
        "--coders",
        "A,B",
    )
    assert r.code == 0, r.err
    r = cli(
        "-p",
        str(root),
        "resolve",
        "d1",
        "money",
        "5",
        "150",
        "--accept",
        "uncoded",
        "--coders",
        "A",
    )
    assert r.code == 0, r.err
    with Project.open(root) as p:
        got = {
            coder: sorted((c.start, c.end) for c in p.codings.list(document="d1", coder=coder))
            for coder in "AB"
        }
        assert got == {"A": [(0, 5), (150, 160), (180, 200)], "B": [(150, 160), (180, 200)]}
        [memo] = p.memos.list()
        [link] = memo.links
        assert link.kind == "coding"  # still on B's (trimmed) coding
