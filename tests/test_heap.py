"""A project file's XML tree lives with glibc's fast bins off, and the setting is put back."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import write

from qcode import Project
from qcode.interchange import heap
from qcode.interchange.qdpx_read import read_qdpx
from qcode.services.exchange import export_qdpx


class _Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[int, int]] = []

    def __call__(self, param: int, value: int) -> int:
        self.calls.append((param, value))
        return 1


def test_fast_bins_are_off_inside_and_back_to_the_default_after(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rec = _Recorder()
    monkeypatch.setattr(heap, "_glibc", lambda: rec)
    with pytest.raises(RuntimeError), heap.no_fast_bins():
        assert rec.calls == [(heap.M_MXFAST, 0)]
        raise RuntimeError("a failure inside still puts the setting back")
    assert rec.calls == [(heap.M_MXFAST, 0), (heap.M_MXFAST, 128)]


def test_reading_a_qdpx_frees_its_tree_with_fast_bins_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Project.init(tmp_path / "src") as p:
        p.documents.import_files([write(tmp_path / "a.txt", "I: why?\nR: money.\n")])
        out = tmp_path / "a.qdpx"
        export_qdpx(p, out)
    rec = _Recorder()
    monkeypatch.setattr(heap, "_glibc", lambda: rec)
    x = read_qdpx(out)
    assert len(x.sources) == 1
    assert rec.calls == [(heap.M_MXFAST, 0), (heap.M_MXFAST, 128)]


@pytest.mark.skipif(
    not sys.platform.startswith("linux")
    or not (os.confstr("CS_GNU_LIBC_VERSION") or "").startswith("glibc"),
    reason="glibc only",
)
def test_glibcs_mallopt_is_found_unless_the_user_set_mxfast(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("GLIBC_TUNABLES", raising=False)
    found: Any = heap._glibc()
    assert found is not None
    assert found(heap.M_MXFAST, heap.DEFAULT_MXFAST) == 1  # glibc accepts the value
    monkeypatch.setenv("GLIBC_TUNABLES", "glibc.malloc.mxfast=64")
    assert heap._glibc() is None
