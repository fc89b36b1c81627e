"""The garbage collector's automatic passes stop during bulk work and come back as they were."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from qcode.analysis import word_stats as ws
from qcode.analysis import words as wd
from qcode.bulkload import collector_paused


@pytest.fixture
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_the_collector_pauses_and_comes_back_however_the_work_ends(collector_on: None) -> None:
    with pytest.raises(KeyError), collector_paused():
        assert not gc.isenabled()
        raise KeyError("a failure inside")
    assert gc.isenabled()
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()  # off before, off after
    gc.enable()


def test_counting_words_runs_with_the_collector_paused(
    collector_on: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []
    real = wd.TermCounter.count

    def count(self: wd.TermCounter, *args: object) -> ws.TermCounts:
        seen.append(gc.isenabled())
        return real(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(wd.TermCounter, "count", count)
    counts = wd.count_texts([("Riders pay the pension.", "en", None)])
    table = ws.frequencies(counts)
    assert seen == [False]
    assert gc.isenabled()
    assert {f.term: f.count for f in table} == {"rider": 1, "pay": 1, "pension": 1}
