"""Krippendorff's 2004 alpha-U (Content Analysis, 2nd ed., section 12.4), beside the 2016 family:
the book's example (p. 254) with the figures DKPro Statistics reports for it, and a literal
section-by-section computation on random data."""

from __future__ import annotations

import random

import pytest

from qcode.analysis.agreement import Coding, unitizing_agreement

# Krippendorff (2004), p. 254: two observers on a continuum from 150 to 450 (length 300),
# categories c and k, as (start, length, category); DKPro Statistics' Krippendorff2004Test
# reports for it Do_c 0.0144, De_c 0.0532, alpha_c 0.7286; Do_k 0, De_k 0.0490, alpha_k 1;
# alpha-U 0.8591 (within 0.0005).
BOOK = {
    "i": [(225, 70, "c"), (370, 30, "c"), (180, 60, "k"), (300, 50, "k")],
    "j": [(220, 80, "c"), (355, 20, "c"), (400, 20, "c"), (180, 60, "k"), (300, 50, "k")],
}


def book_codings() -> list[Coding]:
    return [
        Coding("d", cat, who, b - 150, b - 150 + length)
        for who, units in BOOK.items()
        for b, length, cat in units
    ]


def test_krippendorff_2004_example() -> None:
    u = unitizing_agreement(book_codings(), {"d": 300}, ["i", "j"])
    a = u.alpha_u_2004
    assert a is not None and "2004" in a.label
    c, k = a.per_code["c"], a.per_code["k"]
    assert round(c["observed"] or 0, 4) == 0.0144 and round(c["expected"] or 0, 4) == 0.0532
    assert round(c["alpha"] or 0, 4) == 0.7286
    assert k["observed"] == 0 and round(k["expected"] or 0, 4) == 0.0490 and k["alpha"] == 1.0
    # over both categories, 1 - sum Do / sum De; DKPro's test holds 0.8591 within 0.0005
    assert a.alpha == pytest.approx(0.8591, abs=0.0005)
    assert a.alpha == pytest.approx(1 - c["observed"] / (c["expected"] + k["expected"]), abs=1e-15)
    # the observed disagreement by hand: 50 + 850 + 400 each way, over m (m - 1) L^2
    assert c["observed"] == pytest.approx(2 * 1300 / (2 * 300**2), abs=1e-15)
    # not the 2016 family's numbers, and labelled apart in JSON
    js = u.as_json()
    assert js["alpha_u_2004"]["alpha"] == a.alpha and js["u_alpha"] != a.alpha


def literal(
    units: dict[str, list[tuple[int, int, str]]], length: int, cat: str
) -> tuple[float, float]:
    """Do and De for one category, section by section as the book defines them."""

    def sections(us: list[tuple[int, int, str]]) -> list[tuple[int, int, bool]]:
        out, pos = [], 0
        for b, e, _ in sorted(u for u in us if u[2] == cat):
            if b > pos:
                out.append((pos, b - pos, False))
            out.append((b, e - b, True))
            pos = e
        if pos < length:
            out.append((pos, length - pos, False))
        return out

    def d(g: tuple[int, int, bool], h: tuple[int, int, bool]) -> int:
        (b1, l1, u1), (b2, l2, u2) = g, h
        if u1 and u2 and -l1 < b1 - b2 < l2:
            return (b1 - b2) ** 2 + (b1 + l1 - b2 - l2) ** 2
        if u1 and not u2 and l2 - l1 >= b1 - b2 >= 0:
            return l1**2
        if u2 and not u1 and l1 - l2 >= b2 - b1 >= 0:
            return l2**2
        return 0

    secs = {who: sections(us) for who, us in units.items()}
    m = len(secs)
    obs = sum(d(g, h) for i in secs for j in secs if i != j for g in secs[i] for h in secs[j])
    do = obs / (m * (m - 1) * length**2)
    cu = [s[1] for ss in secs.values() for s in ss if s[2]]
    gaps = [s[1] for ss in secs.values() for s in ss if not s[2]]
    n = len(cu)
    num = (2 / length) * sum(
        (n - 1) / 3 * (2 * lu**3 - 3 * lu**2 + lu)
        + lu**2 * sum(lh - lu + 1 for lh in gaps if lh >= lu)
        for lu in cu
    )
    den = m * length * (m * length - 1) - sum(lu * (lu - 1) for lu in cu)
    return do, (num / den if cu else 0.0)


@pytest.mark.parametrize("seed", range(40))
def test_alpha_u_2004_matches_the_literal_definition(seed: int) -> None:
    rng = random.Random(seed)
    length, cats = rng.randint(20, 120), ["a", "b"]
    coders = [f"o{i}" for i in range(rng.randint(2, 4))]
    units: dict[str, list[tuple[int, int, str]]] = {}
    for who in coders:
        units[who] = []
        for cat in cats:  # disjoint units per coder and category, touching allowed
            pos = rng.randint(0, 10)
            while pos < length - 1:
                end = min(length, pos + rng.randint(1, 15))
                if rng.random() < 0.6:
                    units[who].append((pos, end, cat))
                pos = end + rng.choice([0, 0, 1, 3])
    codings = [Coding("d", c, who, b, e) for who, us in units.items() for b, e, c in us]
    a = unitizing_agreement(codings, {"d": length}, coders, cats).alpha_u_2004
    assert a is not None
    dos, des = 0.0, 0.0
    for cat in cats:
        do, de = literal(units, length, cat)
        assert a.per_code[cat]["observed"] == pytest.approx(do, abs=1e-12)
        assert a.per_code[cat]["expected"] == pytest.approx(de, abs=1e-12)
        dos, des = dos + do, des + de
    if des > 0:
        assert a.alpha == pytest.approx(1 - dos / des, abs=1e-12)


def test_the_book_example_from_the_command_line(tmp_path, cli) -> None:  # type: ignore[no-untyped-def]
    from conftest import write

    from qcode import Project

    with Project.init(tmp_path / "p") as p:
        p.documents.import_files([write(tmp_path / "d.txt", "x" * 299 + "\n")])
        for cat in ("c", "k"):
            p.codes.add(cat)
        for c in book_codings():
            p.codings.apply("d", c.start, c.end, c.code, coder=c.coder)
    r = cli("-p", str(tmp_path / "p"), "agreement", "--coders", "i,j", "--json")
    assert r.code == 0, r.err
    a = r.json()["unitizing"]["alpha_u_2004"]
    assert round(a["per_code"]["c"]["alpha"], 4) == 0.7286 and a["per_code"]["k"]["alpha"] == 1.0
    shown = cli("-p", str(tmp_path / "p"), "agreement", "--coders", "i,j")
    assert "Krippendorff 2004 alpha-U" in shown.out and "c 0.729" in shown.out
