"""Document texts are read once however the coder moves between documents, and bulk coding
checks duplicates and returns ids exactly as single codings do."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from qcode import Project
from qcode.errors import InvalidInputError
from qcode.services.codings import CodingRequest
from qcode.services.project import TextCache


@pytest.fixture
def hundred(tmp_path: Path) -> Project:
    src = tmp_path / "src"
    src.mkdir()
    for i in range(100):
        (src / f"d{i:03d}.txt").write_text(f"interview {i}: income 收入 varies\n", encoding="utf-8")
    p = Project.init(tmp_path / "p", name="p")
    p.documents.import_files(sorted(src.iterdir()))
    p.codes.add("income")
    return p


def test_random_order_over_a_hundred_documents_reads_each_text_once(hundred: Project) -> None:
    p = hundred
    p._texts = TextCache()
    names = [f"d{i:03d}" for i in range(100)] * 3
    random.Random(5).shuffle(names)
    for k, name in enumerate(names):
        p.codings.apply(name, k % 5, 10 + k % 7, "income", coder=f"c{k}")
    assert p._texts.loads == 100 and len(p._texts) == 100


def test_the_cache_drops_the_least_recently_used_text_when_full() -> None:
    c = TextCache(max_chars=10)
    c.put("a", "aaaa")
    c.put("b", "bbbb")
    assert c.get("a") == "aaaa"  # a is now the most recent
    c.put("c", "cccc")
    assert c.get("b") is None and c.get("a") == "aaaa" and c.get("c") == "cccc"
    c.put("big", "x" * 50)  # bigger than the cache: kept alone, never evicted on entry
    assert c.get("big") == "x" * 50 and len(c) == 1


def test_bulk_coding_refuses_a_stored_duplicate_and_returns_the_stored_ids(
    hundred: Project,
) -> None:
    p = hundred
    p.codings.apply("d007", 0, 9, "income")
    many = [
        CodingRequest(f"d{i:03d}", 1, 3 + k, "income", None) for i in range(100) for k in range(6)
    ]
    infos = p.codings.apply_many(many)  # a bulk batch: ids come from the bulk insert
    stored = {c.id: (c.document, c.start, c.end) for c in p.codings.list()}
    assert len(infos) == 600
    assert all(stored[i.id] == (i.document, i.start, i.end) for i in infos)
    with pytest.raises(InvalidInputError, match="already coded"):
        p.codings.apply_many([*many[:50], CodingRequest("d007", 0, 9, "income", None)])
    assert len(p.codings.list()) == 601  # all or nothing
