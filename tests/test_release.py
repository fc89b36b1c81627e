"""Release hygiene: one version, a dated changelog section per release, honest metadata."""

from __future__ import annotations

import datetime
import re
import tomllib
from pathlib import Path

import qcode

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
HEADING = re.compile(r"^## (?:(Unreleased)|(\d+\.\d+\.\d+) - (\d{4}-\d{2}-\d{2}))$")


def test_the_version_is_written_once() -> None:
    project = PYPROJECT["project"]
    assert "version" not in project and "version" in project["dynamic"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "qcode.__version__"}
    assert re.fullmatch(r"\d+\.\d+\.\d+(\.dev\d+)?", qcode.__version__)


def _sections() -> list[tuple[str, datetime.date | None]]:
    out: list[tuple[str, datetime.date | None]] = []
    for line in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            m = HEADING.match(line)
            assert m, (
                f"CHANGELOG.md: {line!r} is neither '## Unreleased' nor '## X.Y.Z - YYYY-MM-DD'"
            )
            if m.group(1):
                out.append(("Unreleased", None))
            else:
                out.append((m.group(2), datetime.date.fromisoformat(m.group(3))))
    return out


def test_each_release_has_a_dated_changelog_section_newest_first() -> None:
    sections = _sections()
    assert sections, "CHANGELOG.md has no sections"
    names = [n for n, _ in sections]
    assert names.count("Unreleased") <= 1 and "Unreleased" not in names[1:]
    dated = [(n, d) for n, d in sections if d is not None]
    assert [d for _, d in dated] == sorted((d for _, d in dated), reverse=True)
    assert len({n for n, _ in dated}) == len(dated)
    version = qcode.__version__
    if ".dev" in version:  # work towards the next release is listed under Unreleased
        assert names[0] == "Unreleased"
        base = version.split(".dev")[0]
        assert base not in names, f"{base} is released: the version should be past it"
    else:
        assert names[0] == version or (names[0] == "Unreleased" and names[1] == version), (
            f"CHANGELOG.md has no dated section for {version}"
        )


def test_classifiers_are_known_and_no_address_is_invented() -> None:
    from trove_classifiers import classifiers

    project = PYPROJECT["project"]
    assert [c for c in project["classifiers"] if c not in classifiers] == []
    assert project["license"] == "MIT" and (ROOT / "LICENSE").is_file()
    assert not any(c.startswith("License ::") for c in project["classifiers"])  # SPDX instead
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    for made_up in ("localhost", "127.0.0.1", "example.com", "example.org"):
        assert made_up not in text
    assert not re.search(r"/(home|root|Users|work|tmp)/", text)  # no folder of a machine
    for url in project.get("urls", {}).values():
        assert url.startswith("https://"), url
