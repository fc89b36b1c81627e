"""qcode agreement --categories and --attribute from the command line: Fleiss 1971's
five-category example, Krippendorff 2011's nominal example and example C at four levels, the
conflicts reported, and refusals."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import snapshot, write
from test_agreement import FLEISS_1971, KRIPPENDORFF_2011_C

from qcode import Project
from qcode.store.models import Code, CodeSet, SetMember


def sentence_project(root: Path, n: int) -> list[tuple[int, int]]:
    text = " ".join(f"Sentence number {i} is here." for i in range(n))
    with Project.init(root / "p") as p:
        p.documents.import_files([write(root / "d.txt", text)])
        units = [(u["start"], u["end"]) for u in p.documents.units("d", "sentence")]
    assert len(units) == n
    return units


def code_units(root: Path, data: list[list[int | None]], cats: list[str]) -> None:
    units = sentence_project(root, len(data[0]))
    with Project.open(root / "p") as p:
        for c in cats:
            p.codes.add(c)
        for i, row in enumerate(data):
            for u, v in enumerate(row):
                if v is not None:
                    s, e = units[u]
                    p.codings.apply("d", s, e - 1, cats[v - 1], coder=f"c{i}")


def test_fleiss_1971_from_the_command_line(tmp_path: Path, cli: Any) -> None:
    cats = ["one", "two", "three", "four", "five"]
    code_units(tmp_path, [[row[r] for row in FLEISS_1971] for r in range(6)], cats)
    coders = ",".join(f"c{i}" for i in range(6))
    args = ["-p", str(tmp_path / "p"), "agreement", "--coders", coders, "--unit", "sentence"]
    r = cli(*args, "--categories", ",".join(cats), "--json")
    assert r.code == 0, r.err
    data = r.json()
    assert round(data["fleiss_kappa"], 3) == 0.430
    assert (data["units"], data["complete"], data["conflicts"]) == (30, 30, [])
    assert len(data["cohen_kappa"]) == 15 and data["categories"] == cats
    # the same five codes as a set
    with Project.open(tmp_path / "p") as p, p.change("test") as ch:
        sid = ch.insert_one(CodeSet, name="opinion")
        for cid in ch.conn.execute(Code.__table__.select()).all():
            ch.insert_one(SetMember, set_id=sid, kind="code", target_id=cid.id)
    by_set = cli(*args, "--categories", "opinion", "--json").json()
    assert by_set["fleiss_kappa"] == pytest.approx(data["fleiss_kappa"], abs=1e-15)
    table = cli(*args, "--categories", "opinion")
    assert table.code == 0 and "Fleiss' kappa 0.430" in table.out


def test_krippendorff_2011_nominal_from_the_command_line(tmp_path: Path, cli: Any) -> None:
    cats = ["v1", "v2", "v3", "v4", "v5"]
    code_units(tmp_path, KRIPPENDORFF_2011_C, cats)
    args = ["-p", str(tmp_path / "p"), "agreement", "--coders", "c0,c1,c2,c3"]
    args += ["--unit", "sentence", "--categories", ",".join(cats), "--json"]
    data = cli(*args, "--none-missing").json()
    assert round(data["alpha"], 3) == 0.743 and data["pairable"] == 11
    krippendorff = pytest.importorskip("krippendorff")
    import numpy as np

    with_none = [[0 if v is None else v for v in row] for row in KRIPPENDORFF_2011_C]
    expected = krippendorff.alpha(
        reliability_data=np.array(with_none, float), level_of_measurement="nominal"
    )
    assert cli(*args).json()["alpha"] == pytest.approx(expected, abs=1e-12)


def test_two_categories_in_one_unit_are_reported(tmp_path: Path, cli: Any) -> None:
    units = sentence_project(tmp_path, 3)
    with Project.open(tmp_path / "p") as p:
        for c in ("x", "y"):
            p.codes.add(c)
        p.codings.apply("d", units[0][0], units[0][0] + 3, "x", coder="A")
        p.codings.apply("d", units[0][0] + 5, units[0][0] + 8, "y", coder="A")
        p.codings.apply("d", units[0][0], units[0][1], "x", coder="B")
    args = ["-p", str(tmp_path / "p"), "agreement", "--coders", "A,B", "--unit", "sentence"]
    r = cli(*args, "--categories", "x,y")
    assert r.code == 0
    assert "A gave d sentence 1" in r.err and "(x, y)" in r.err
    [c] = cli(*args, "--categories", "x,y", "--json").json()["conflicts"]
    assert (c["coder"], c["unit"], c["codes"]) == ("A", 0, ["x", "y"])


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--categories", "x,y", "--unit", "char"], "--categories needs --unit"),
        (["--categories", "x", "--unit", "sentence"], "no set named 'x'"),
        (["--categories", "x,nope", "--unit", "sentence"], "nope"),
        (["--attribute", "severity"], "no attribute 'severity'"),
        (["--attribute", "k", "--categories", "x,y"], "give one"),
        (["--none-missing", "--unit", "sentence"], "--none-missing goes with --categories"),
        (["--categories", "x,y", "--unit", "sentence", "--coders", "A,Z"], "no coder named 'Z'"),
    ],
)
def test_refusals(tmp_path: Path, cli: Any, extra: list[str], message: str) -> None:
    sentence_project(tmp_path, 2)
    with Project.open(tmp_path / "p") as p:
        for c in ("x", "y"):
            p.codes.add(c)
        p.codings.apply("d", 0, 3, "x", coder="A")
        p.codings.apply("d", 0, 3, "y", coder="B")
        before = snapshot(p)
    r = cli("-p", str(tmp_path / "p"), "agreement", "--coders", "A,B", *extra)
    assert r.code != 0 and message in r.err and "Traceback" not in r.err
    assert len(r.err.strip().splitlines()) == 1
    with Project.open(tmp_path / "p") as p:
        assert snapshot(p) == before


def test_attribute_example_c_from_the_command_line(tmp_path: Path, cli: Any) -> None:
    with Project.init(tmp_path / "p") as p:
        for u in range(12):
            p.cases.add(f"case{u:02d}")
        for i in range(4):
            p.attributes.define(f"severity@c{i}", "number")
        for i, row in enumerate(KRIPPENDORFF_2011_C):
            for u, v in enumerate(row):
                if v is not None:
                    p.attributes.set(f"case{u:02d}", {f"severity@c{i}": str(v)})
    args = ["-p", str(tmp_path / "p"), "agreement", "--coders", "c0,c1,c2,c3"]
    r = cli(*args, "--attribute", "severity", "--json")
    assert r.code == 0, r.err
    data = r.json()
    alpha = {k: round(v, 3) for k, v in data["alpha"].items()}
    assert alpha == {"nominal": 0.743, "ordinal": 0.815, "interval": 0.849, "ratio": 0.797}
    assert (data["scope"], data["units"], data["pairable"]) == ("case", 12, 11)
    krippendorff = pytest.importorskip("krippendorff")
    import numpy as np

    matrix = np.array([[np.nan if v is None else v for v in row] for row in KRIPPENDORFF_2011_C])
    for level, value in data["alpha"].items():
        theirs = krippendorff.alpha(reliability_data=matrix, level_of_measurement=level)
        assert value == pytest.approx(theirs, abs=1e-12)
    shown = cli(*args, "--attribute", "severity")
    assert shown.code == 0 and "0.849" in shown.out


def test_a_document_a_coder_never_coded_is_missing_not_none(tmp_path: Path, cli: Any) -> None:
    with Project.init(tmp_path / "p") as p:
        for name in ("d1", "d2"):
            text = " ".join(f"Sentence {i} of {name} is here." for i in range(4))
            p.documents.import_files([write(tmp_path / f"{name}.txt", text)])
        for c in ("x", "y"):
            p.codes.add(c)
        u1 = [(u["start"], u["end"]) for u in p.documents.units("d1", "sentence")]
        u2 = [(u["start"], u["end"]) for u in p.documents.units("d2", "sentence")]
        p.codings.apply("d1", u1[0][0], u1[0][0] + 3, "x", coder="A")
        p.codings.apply("d1", u1[0][0], u1[0][0] + 3, "x", coder="B")
        p.codings.apply("d2", u2[1][0], u2[1][0] + 3, "y", coder="A")  # B never opened d2
    data = cli(
        "-p", str(tmp_path / "p"), "agreement", "--coders", "A,B", "--unit", "sentence",
        "--categories", "x,y", "--json",
    ).json()  # fmt: skip
    assert (data["units"], data["pairable"]) == (len(u1) + len(u2), len(u1))
    assert data["alpha"] == 1.0
