"""Agreement where one coder coded nothing in some documents: the others' codings there count
as disagreement, so the command says so and names the documents every coder coded."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli, write

from qcode import Project


def test_a_coder_who_left_documents_uncoded_is_named_with_the_way_to_compare_the_rest(
    project: Project, tmp_path: Path
) -> None:
    p = project
    for name in ("a", "b", "c"):
        p.documents.import_files([write(tmp_path / f"{name}.txt", f"R: money is short in {name}.")])
    p.codes.add("money")
    for doc in ("a", "b", "c"):
        p.codings.apply(doc, 3, 8, "money", coder="ann")
    p.codings.apply("a", 3, 8, "money", coder="bo")  # bo opened a alone
    root = str(p.root)
    r = run_cli("-p", root, "agreement", "--coders", "ann,bo")
    assert r.code == 0
    [line] = [ln for ln in r.err.splitlines() if "coded nothing" in ln]
    assert "bo coded nothing in 2 documents the others coded (b, c)" in line
    assert "--docs a compares only the documents every coder coded" in line
    data = run_cli("-p", root, "agreement", "--coders", "ann,bo", "--json").json()
    assert data["uncoded"] == {"bo": ["b", "c"]} and data["coded_by_all"] == ["a"]
    # what it suggests gives full agreement on the document both coded
    only = run_cli("-p", root, "agreement", "--coders", "ann,bo", "--docs", "a", "--json").json()
    assert only["uncoded"] == {} and [row["kappa"] for row in only["rows"]] == [1.0]
    assert (
        "coded nothing"
        not in run_cli("-p", root, "agreement", "--coders", "ann,bo", "--docs", "a").err
    )
