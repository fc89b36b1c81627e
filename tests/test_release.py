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


def test_dist_builds_a_wheel_and_sdist_that_pass_twine_check(tmp_path: Path) -> None:
    """What ``make dist`` does, into a temporary folder: build both, check them as PyPI would."""
    import subprocess
    import sys
    import tarfile
    import zipfile
    from email.parser import Parser

    bin_ = Path(sys.executable).parent
    out = tmp_path / "dist"
    built = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    version = qcode.__version__
    wheel = out / f"qcode-{version}-py3-none-any.whl"
    sdist = out / f"qcode-{version}.tar.gz"
    checked = subprocess.run(
        [str(bin_ / "twine"), "check", "--strict", str(wheel), str(sdist)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.count("PASSED") == 2, checked.stdout
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        meta = Parser().parsestr(z.read(f"qcode-{version}.dist-info/METADATA").decode())
    assert meta["Version"] == version and meta["License-Expression"] == "MIT"
    assert meta.get_all("Classifier") == PYPROJECT["project"]["classifiers"]
    assert f"qcode-{version}.dist-info/licenses/LICENSE" in names
    assert {"qcode/py.typed", "qcode/tui/help.md", "qcode/tui/qcode.tcss"} <= names
    with tarfile.open(sdist) as t:
        files = {n.split("/", 1)[1] for n in t.getnames() if "/" in n}
    for needed in ("LICENSE", "CHANGELOG.md", "README.md", "docs/conf.py", "docs/tutorial.md"):
        assert needed in files, needed
    assert {f"schemas/{p.name}" for p in (ROOT / "schemas").glob("*.json")} <= files
    assert not any(f.startswith(("docs/_generated", "docs/_build", "site/")) for f in files)
