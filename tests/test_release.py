"""Release hygiene: one version, a dated changelog section per release, honest metadata."""

from __future__ import annotations

import datetime
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

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


# both write into the checkout (python -m build: qcode.egg-info; the sdist reads docs/), as the
# guide's build does (docs/_generated, tests/test_docs.py): one process runs all three
CHECKOUT = pytest.mark.xdist_group("checkout")


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What ``make dist`` builds (a wheel and an sdist), once for this module."""
    out = tmp_path_factory.mktemp("dist")
    built = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    return out


@CHECKOUT
def test_dist_builds_a_wheel_and_sdist_that_pass_twine_check(dist: Path) -> None:
    """What ``make dist`` does, into a temporary folder: build both, check them as PyPI would."""
    import tarfile
    import zipfile
    from email.parser import Parser

    bin_ = Path(sys.executable).parent
    out = dist
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
    assert {f"qcode/schemas/{p.name}" for p in (ROOT / "schemas").glob("*.json")} <= names
    with tarfile.open(sdist) as t:
        files = {n.split("/", 1)[1] for n in t.getnames() if "/" in n}
    for needed in ("LICENSE", "CHANGELOG.md", "README.md", "docs/conf.py", "docs/tutorial.md"):
        assert needed in files, needed
    assert {f"schemas/{p.name}" for p in (ROOT / "schemas").glob("*.json")} <= files
    assert not any(f.startswith(("docs/_generated", "docs/_build", "site/")) for f in files)


def test_the_schemas_shipped_in_the_package_are_those_in_schemas() -> None:
    from qcode import schemas

    top = {p.name: p.read_bytes() for p in (ROOT / "schemas").glob("*.json")}
    shipped = {p.name: p.read_bytes() for p in (ROOT / "qcode" / "schemas").glob("*.json")}
    assert sorted(top) == sorted(shipped) == schemas.names()
    for name, data in top.items():
        assert shipped[name] == data, f"copy schemas/{name} to qcode/schemas/{name}"


RUN_THROUGH = "Interviewer: Do you pay?\nR: Some months I pay 800 yuan, some months I cannot.\n"
RULES = "rules:\n  - name: amounts\n    code: money\n    regex: '\\d+ yuan'\n"


@CHECKOUT
def test_the_wheel_installed_in_a_fresh_venv_works(dist: Path, tmp_path: Path) -> None:
    """``pip install`` of the wheel into a new virtual environment, then a short run-through
    from a folder far from the checkout. The environment sees this one's dependencies (a path
    file, so no download) but not its qcode: the wheel's is the only one it can import."""
    import site
    import venv

    wheel = next(dist.glob("qcode-*.whl"))
    env = tmp_path / "env"
    venv.create(env, with_pip=False)
    py = env / "bin" / "python"
    purelib = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    deps = [p for p in site.getsitepackages() if Path(p).is_dir()]
    (Path(purelib) / "deps.pth").write_text("\n".join(deps) + "\n", encoding="utf-8")
    pip = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(py),
            "install",
            "--no-deps",
            "-q",
            str(wheel),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert pip.returncode == 0, pip.stdout + pip.stderr
    where = subprocess.run(
        [str(py), "-c", "import qcode; print(qcode.__file__)"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert where.stdout.startswith(purelib), where.stdout + where.stderr

    work = tmp_path / "work"
    work.mkdir()
    (work / "int01.txt").write_text(RUN_THROUGH, encoding="utf-8")
    (work / "rules.yaml").write_text(RULES, encoding="utf-8")
    framework = ROOT / "projects" / "flexible-employment" / "framework.yaml"
    (work / "framework.yaml").write_bytes(framework.read_bytes())
    qcode_bin = str(env / "bin" / "qcode")
    steps = [
        ["init", "study"],
        ["-p", "study", "import", "int01.txt"],
        ["-p", "study", "codes", "add", "money"],
        ["-p", "study", "code", "int01", "0", "24", "money", "--create"],
        ["-p", "study", "code", "int01", "0", "24", "money", "--coder", "bob"],
        ["-p", "study", "framework", "load", "framework.yaml"],
        ["-p", "study", "autocode", "rules.yaml", "--apply"],
        ["-p", "study", "codebook", "export", "--format", "json", "-o", "book.json"],
        ["-p", "study", "export", "-o", "study.qdpx"],
        ["-p", "study", "agreement", "--coders", "alice,bob", "--json"],
    ]
    env_vars = {
        "PATH": f"{env / 'bin'}:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "QCODE_USER": "alice",
    }
    for args in steps:
        r = subprocess.run(
            [qcode_bin, *args], capture_output=True, text=True, cwd=work, env=env_vars, timeout=120
        )
        assert r.returncode == 0, (args, r.stdout[-2000:], r.stderr[-2000:])
    assert (work / "book.json").is_file() and (work / "study.qdpx").stat().st_size > 0
    assert '"alpha' in r.stdout or "kappa" in r.stdout
