"""The study framework: schema validation with the failing path, loading, links, reloading."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FRAMEWORK, snapshot, write

from qcode import Project
from qcode.errors import ConflictError, InputFileError, NotFoundError


def test_example_framework_loads(project: Project) -> None:
    fw = project.framework.load(FRAMEWORK)
    assert [d["key"] for d in fw["dimensions"]] == [
        "structural_driver",
        "resilience_type",
        "resilience_dimension",
        "resilience_problem",
        "dilemma",
    ]
    types = next(d for d in fw["dimensions"] if d["key"] == "resilience_type")
    assert [e["name"] for e in types["elements"]] == [
        "Perceived resilience",
        "Contractual resilience",
        "Financial resilience",
        "Gaming resilience",
    ]
    assert {"from": "structural_driver", "to": "resilience_type"} in fw["links"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("name: x\n", "(top level): 'dimensions' is a required property"),
        (
            "name: x\ndimensions:\n  - key: a\n    name: A\n    elements:\n      - description: d\n",
            "dimensions/0/elements/0: 'name' is a required property",
        ),
        (
            "name: x\ndimensions:\n  - key: Bad Key\n    name: A\n    elements: [{name: e}]\n",
            "dimensions/0/key: 'Bad Key' does not match",
        ),
        (
            "name: x\ndimensions:\n  - {key: a, name: A, elements: [{name: e, parent: nope}]}\n",
            "dimensions/0/elements/0/parent: no element 'nope' in dimension 'a'",
        ),
        (
            "name: x\ndimensions:\n  - {key: a, name: A, elements: [{name: e}]}\n"
            "links:\n  - {from: a, to: b}\n",
            "links/0/to: no dimension 'b'",
        ),
        ("name: [unclosed\n", "cannot be parsed"),
    ],
)
def test_bad_framework_files_name_the_failing_path(
    project: Project, tmp_path: Path, text: str, problem: str
) -> None:
    before = snapshot(project)
    f = write(tmp_path / "fw.yaml", text)
    with pytest.raises(InputFileError) as exc:
        project.framework.load(f)
    assert str(exc.value).startswith(f"{f}: ")
    assert problem in str(exc.value)
    assert snapshot(project) == before


def test_links_and_reload(project: Project, tmp_path: Path) -> None:
    project.framework.load(FRAMEWORK)
    project.codes.add("fixed contribution")
    project.framework.link("fixed contribution", "Financial resilience", "weakens")
    project.framework.link("fixed contribution", "dilemma/Adaptation dilemma")
    with pytest.raises(NotFoundError, match="no framework element 'Nonexistent'"):
        project.framework.link("fixed contribution", "Nonexistent")
    with pytest.raises(ConflictError, match="already"):
        project.framework.link("fixed contribution", "Financial resilience", "weakens")
    fw = project.framework.show()
    fin = next(
        e for d in fw["dimensions"] for e in d["elements"] if e["name"] == "Financial resilience"
    )
    assert fin["codes"] == [{"code": "fixed contribution", "relation": "weakens"}]
    # a reload that keeps the element keeps the link; one that drops it is refused
    project.framework.load(FRAMEWORK)
    assert project.framework.show() == fw
    smaller = FRAMEWORK.read_text().replace(
        "      - name: Financial resilience\n", "      - name: Money\n"
    )
    f = write(tmp_path / "smaller.yaml", smaller)
    with pytest.raises(ConflictError, match="use --force"):
        project.framework.load(f)
    project.framework.load(f, force=True)
    names = [e["name"] for d in project.framework.show()["dimensions"] for e in d["elements"]]
    assert "Money" in names and "Financial resilience" not in names
    project.history.undo()
    assert project.framework.show() == fw


def test_framework_from_the_command_line(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    p = ["-p", str(project.root)]
    assert cli(*p, "framework", "load", str(FRAMEWORK)).code == 0
    assert cli(*p, "codes", "add", "trust in the scheme").code == 0
    assert cli(*p, "link", "trust in the scheme", "Perceived resilience").code == 0
    shown = cli(*p, "framework", "show", "--json").json()
    assert [d["key"] for d in shown["dimensions"]][0] == "structural_driver"
    per = shown["dimensions"][1]["elements"][0]
    assert per["codes"] == [{"code": "trust in the scheme", "relation": "indicates"}]
    bad = cli(*p, "link", "trust in the scheme", "Nope")
    assert bad.code == 1 and "no framework element 'Nope'" in bad.err
