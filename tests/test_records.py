"""Typed results with .to_pandas(): codings, co-occurrence, frequencies, words, matrices,
queries and agreement; the command line prints the same records."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import fields
from pathlib import Path

import pytest
from conftest import run_cli

from qcode import Project
from qcode.errors import InvalidInputError
from qcode.records import Records

pd = pytest.importorskip("pandas")

CODERS = ["li.na", "chen.wei"]


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory, built_example: Callable[[Path], Path]) -> Path:
    return built_example(tmp_path_factory.mktemp("example") / "flexible-employment")


@pytest.fixture(scope="module")
def study(root: Path) -> Iterator[Project]:
    with Project.open(root) as p:
        yield p


def _same(frame: object, records: Records[object]) -> None:
    assert isinstance(frame, pd.DataFrame)
    names = [f.name for f in fields(records.of)]  # type: ignore[arg-type]
    assert list(frame.columns) == names
    assert len(frame) == len(records) > 0
    for i in (0, len(records) // 2, len(records) - 1):
        for n in names:
            value, expected = frame.iloc[i][n], getattr(records[i], n)
            assert (pd.isna(value) and expected is None) or value == expected, (i, n)


def test_codings(study: Project, root: Path) -> None:
    rows = study.codings.list()
    assert isinstance(rows, Records)
    _same(rows.to_pandas(), rows)
    assert run_cli("-p", str(root), "codings", "--json").json() == rows.as_json()


def test_cooccurrence(study: Project) -> None:
    pairs = study.analysis.cooccur("paragraph")
    assert isinstance(pairs, Records)
    frame = pairs.to_pandas()
    _same(frame, pairs)
    assert "jaccard" in frame.columns


def test_frequencies(study: Project, root: Path) -> None:
    freqs = study.analysis.frequencies()
    _same(freqs.to_pandas(), freqs)
    assert run_cli("-p", str(root), "freq", "--format", "json").json() == freqs.as_json()


def test_word_frequencies(study: Project) -> None:
    words = study.words.frequencies(top=20)
    frame = words.to_pandas()
    _same(frame, words)
    assert list(frame["term"]) == [w.term for w in words]


def test_matrix(study: Project) -> None:
    m = study.analysis.matrix()
    frame = m.to_pandas()
    assert list(frame.index) == m.rows and list(frame.columns) == m.columns
    i, j = len(m.rows) // 2, len(m.columns) // 2
    assert frame.loc[m.rows[i], m.columns[j]] == m.values[i][j]
    assert frame.to_numpy().sum() == sum(map(sum, m.values)) > 0


def test_query(study: Project) -> None:
    hits = study.query("'income swings month to month'")
    frame = hits.to_pandas()
    assert list(frame.columns) == ["document", "case", "start", "end", "codes", "coders", "text"]
    assert list(frame["start"]) == [h.start for h in hits] and len(hits) > 0


def test_agreement_records_and_unchanged_json(study: Project, root: Path) -> None:
    from qcode.services.agreement import agreement

    res = study.analysis.agreement(CODERS)
    data = agreement(study, CODERS)
    assert res.as_json() == data
    frame = res.to_pandas()
    assert len(frame) == len(data["rows"]) > 0
    assert list(frame.columns) == list(data["rows"][0])  # the JSON's keys, in its order
    assert frame["kappa"].tolist()[:5] == [r["kappa"] for r in data["rows"][:5]]
    alpha = res.alpha.to_pandas()
    assert alpha["alpha"].tolist() == [a["alpha"] for a in data["alpha"]]
    cli = run_cli("-p", str(root), "agreement", "--coders", ",".join(CODERS), "--json")
    assert cli.code == 0, cli.err
    assert cli.json() == data


def test_empty_records_keep_their_columns(study: Project) -> None:
    from qcode.services.codings import CodingInfo

    frame = Records([], of=CodingInfo).to_pandas()
    assert len(frame) == 0 and list(frame.columns) == [f.name for f in fields(CodingInfo)]


def test_without_pandas_one_line(study: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now fails
    with pytest.raises(InvalidInputError, match=r"qcode\[pandas\]") as exc:
        study.codings.list().to_pandas()
    assert "\n" not in str(exc.value)
    with pytest.raises(InvalidInputError, match=r"qcode\[pandas\]"):
        study.analysis.matrix().to_pandas()
