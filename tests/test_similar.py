"""Similar segments: TF-IDF cosine with the centroid of a code's segments, checked by hand."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
from conftest import write

from qcode import Project
from qcode.analysis.similar import rank_tfidf


def test_tfidf_ranking_by_hand() -> None:
    segments = [["pay", "contribution"], ["contribution", "high"]]
    units = [("u1", ["contribution", "rent"]), ("u2", ["rent", "rent"]), ("u3", ["pay"])]
    # N = 5 bags; df: contribution 3, pay 2, high 1, rent 2
    n = 5

    def idf(df: int) -> float:
        return math.log((1 + n) / (1 + df)) + 1

    def unit(vec: dict[str, float]) -> dict[str, float]:
        norm = math.sqrt(sum(v * v for v in vec.values()))
        return {k: v / norm for k, v in vec.items()}

    s1 = unit({"pay": idf(2), "contribution": idf(3)})
    s2 = unit({"contribution": idf(3), "high": idf(1)})
    centroid = unit({k: s1.get(k, 0) + s2.get(k, 0) for k in set(s1) | set(s2)})
    u1 = unit({"contribution": idf(3), "rent": idf(2)})
    u3 = unit({"pay": idf(2)})
    expected = {
        "u1": u1["contribution"] * centroid["contribution"],
        "u3": u3["pay"] * centroid["pay"],
    }
    got = rank_tfidf(segments, units)
    assert [r.key for r in got] == sorted(expected, key=lambda k: -expected[k])
    for r in got:
        assert r.score == pytest.approx(expected[str(r.key)])
    assert got[0].terms and "u2" not in [r.key for r in got]  # nothing shared: left out


def test_uncoded_sentences_most_like_a_code(tmp_path: Path, cli: Any) -> None:
    text = (
        "R: The contribution is too high for me. I like my bike. "
        "The monthly contribution is high again. Rent comes first. 缴费基数太高。\n"
    )
    with Project.init(tmp_path / "p") as p:
        p.documents.import_files([write(tmp_path / "d.txt", text)])
        p.codes.add("cost")
        s = text.index("The contribution")
        p.codings.apply("d", s, s + len("The contribution is too high for me."), "cost")
    r = cli("-p", str(tmp_path / "p"), "similar", "cost", "--json")
    assert r.code == 0, r.err
    rows = r.json()
    assert rows[0]["text"] == "The monthly contribution is high again."
    assert set(rows[0]["terms"]) >= {"contribution", "high"}
    assert all("too high for me" not in row["text"] for row in rows)  # coded units left out
    assert all(text[row["start"] : row["end"]] == row["text"] for row in rows)
    r = cli("-p", str(tmp_path / "p"), "similar", "cost", "--unit", "word")
    assert r.code != 0 and "unknown unit" in r.err
    r = cli("-p", str(tmp_path / "p"), "similar", "cost", "--top", "-1")
    assert r.code != 0 and "1 or more" in r.err
