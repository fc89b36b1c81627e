"""The Python API notebook of the user guide runs, top to bottom, on the bundled example study."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "docs" / "notebooks" / "python-api.ipynb"

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("pandas")


def test_the_python_api_notebook_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QCODE_EXAMPLE", str(ROOT / "projects" / "flexible-employment"))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    for cell in nb.cells:  # the notebook is kept without outputs; these are this run's
        assert cell.cell_type != "code" or not cell.get("outputs")
    client = nbclient.NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()  # raises CellExecutionError on the first cell that fails
    code = [c for c in nb.cells if c.cell_type == "code"]
    text = ["".join(_text(o) for o in c.outputs) for c in code]
    assert "Flexible workers and basic pension insurance" in text[0]
    assert "chen.wei" in text[2] and "li.na" in text[2]  # codings per coder
    assert "Desired policy" in text[3]  # frequencies per category
    assert "jaccard" in text[5]
    assert "kappa" in text[7]
    assert "|u-alpha" in text[8]
    assert "pension" in text[9]


def _text(output: dict) -> str:
    if output.get("output_type") == "stream":
        return str(output.get("text", ""))
    data = output.get("data", {})
    return str(data.get("text/plain", ""))
