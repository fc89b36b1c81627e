"""Sentences cut in a helper process while a new project's codings are written: the same
project as segmenting in the process itself, and the same when the helper fails."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

import qcode.services.exchange as exchange
import qcode.text.segment_pool as pool
from qcode.services.exchange import create_from_qdpx, export_qdpx
from qcode.text.segment_pool import Segmenter, segment_rows

TABLES = {
    "segments": 'document_id, kind, start, "end", speaker',
    "codings": 'uuid, document_id, code_id, coder_id, start, "end", text',
    "documents": "uuid, name, text, language, chars, text_hash",
}


@pytest.fixture(scope="module")
def study_qdpx(
    tmp_path_factory: pytest.TempPathFactory, built_example: Callable[[Path], Path]
) -> Path:
    from qcode import Project

    root = built_example(tmp_path_factory.mktemp("seg") / "study")
    out = root.parent / "study.qdpx"
    p = Project.open(root)
    try:
        export_qdpx(p, out)
    finally:
        p.close()
    return out


def rows(project_dir: Path) -> dict[str, list[tuple[object, ...]]]:
    con = sqlite3.connect(project_dir / "project.db")
    try:
        return {
            t: con.execute(f"SELECT {c} FROM {t} ORDER BY 1, 2, 3").fetchall()
            for t, c in TABLES.items()
        }
    finally:
        con.close()


def build(tmp_path: Path, name: str, qdpx: Path) -> dict[str, list[tuple[object, ...]]]:
    p, _ = create_from_qdpx(tmp_path / name, qdpx)
    p.close()
    return rows(tmp_path / name)


def test_a_helper_process_gives_the_project_segmenting_here_gives(
    study_qdpx: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    used: list[bool] = []
    real = Segmenter.__init__

    def spy(self: Segmenter, use_worker: bool) -> None:
        real(self, use_worker)
        used.append(self.in_worker)

    monkeypatch.setattr(Segmenter, "__init__", spy)
    here = build(tmp_path, "here", study_qdpx)  # the example is small: segmented here
    monkeypatch.setattr(exchange, "SEGMENT_APART_BYTES", 0)
    apart = build(tmp_path, "apart", study_qdpx)
    assert used == [False, True]
    assert here == apart and len(here["segments"]) > 100


@pytest.mark.parametrize(
    "helper",
    [
        ("-c", "import sys; sys.exit(3)"),  # dies at once
        ("-c", "import sys; sys.stdin.buffer.read(); sys.stdout.write('nonsense')"),
        (
            "-c",
            "import pickle, sys; pickle.load(sys.stdin.buffer); "
            "pickle.dump([[]], sys.stdout.buffer)",
        ),  # the wrong number of texts
    ],
)
def test_a_failing_helper_leaves_the_work_to_this_process(
    study_qdpx: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    helper: tuple[str, ...],
) -> None:
    expected = build(tmp_path, "here", study_qdpx)
    monkeypatch.setattr(exchange, "SEGMENT_APART_BYTES", 0)
    monkeypatch.setattr(pool, "HELPER", helper)
    assert build(tmp_path, "apart", study_qdpx) == expected


def test_segmenter_answers_in_order_and_cleans_up() -> None:
    items = [("R: One sentence. Two sentences.\n", "en"), ("我交社保。很贵。\n", "zh"), ("", "en")]
    with Segmenter(True) as seg:
        helper = seg._proc
        assert helper is not None and helper.poll() is None  # started at once, waiting
        got = seg.submit(items, None)()
        assert seg._proc is None and helper.poll() is not None  # gone once its answer is read
    assert got == segment_rows(items, None)
    with Segmenter(True) as seg:  # made and never used: stopped on leaving
        unused = seg._proc
        assert unused is not None and unused.poll() is None
    assert unused.poll() is not None


def test_a_stuck_helper_is_stopped_and_the_work_done_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """A helper that reads the texts and never answers (nor dies) would make the import wait
    for ever: past its patience it is stopped, and the texts are segmented here."""
    monkeypatch.setattr(pool, "PATIENCE", 0.5)
    monkeypatch.setattr(
        pool, "HELPER", ("-c", "import sys, time; sys.stdin.read(); time.sleep(600)")
    )
    items = [("R: One sentence. Two sentences.\n", "en"), ("我交社保。很贵。\n", "zh")]
    with Segmenter(True) as seg:
        helper = seg._proc
        assert helper is not None
        got = seg.submit(items, None)()
    assert got == segment_rows(items, None)
    assert helper.poll() is not None  # stopped, not left sleeping
