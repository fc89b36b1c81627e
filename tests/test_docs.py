"""The user guide: it builds without a warning or a broken link, and every command in it runs."""

from __future__ import annotations

import html.parser
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
BIN = Path(sys.executable).parent
EXAMPLE = ROOT / "projects" / "flexible-employment"
FENCE = re.compile(r"^```(\w+)\s*$")
WORKFLOWS = sorted((DOCS / "workflows").glob("*.md"))


def blocks(page: Path, language: str) -> list[str]:
    """The fenced blocks of a page written in ``language`` (``sh`` blocks are the commands a
    reader runs; ``text`` blocks are shown only, such as the interactive workbench)."""
    found, current, lang = [], None, None
    for line in page.read_text(encoding="utf-8").splitlines():
        if current is None:
            m = FENCE.match(line)
            if m:
                current, lang = [], m.group(1)
        elif line.strip() == "```":
            if lang == language:
                found.append("\n".join(current))
            current = None
        else:
            current.append(line)
    return found


def _env(home: Path) -> dict[str, str]:
    env = {**os.environ, "HOME": str(home), "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    env.pop("QCODE_USER", None)  # the pages name their coders
    env["COLUMNS"] = "100"
    return env


def test_the_tutorial_runs_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = DOCS / "tutorial.md"
    assert len(blocks(page, "sh")) >= 10
    out = _run_page(page, ROOT, tmp_path, monkeypatch)
    mine, full = tmp_path / "pension-tutorial", tmp_path / "full-study"
    assert (mine / "network.png").stat().st_size > 10_000
    for made in ("network-axial.png", "saturation.png", "codebook.md", "codebook.docx"):
        assert (full / made).stat().st_size > 1_000, made
    assert "# Codebook: Flexible workers and basic pension insurance" in (
        full / "codebook.md"
    ).read_text(encoding="utf-8")
    assert "saturation at 4 documents" in out
    from qcode import open_project

    with open_project(mine) as p:
        assert {c.name for c in p.codes.list()} >= {"Economic pressure", "the algorithm is my boss"}
        assert p.settings.user == "wang" and len(p.codings.list()) == 6


def _commands(page: Path) -> list[str]:
    """The page's ``sh`` blocks as command lines (continued lines joined, comments dropped)."""
    text = "\n".join(blocks(page, "sh")).replace("\\\n", " ")
    return [
        ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")
    ]


def _words(line: str, cwd: Path) -> list[str]:
    """The words bash makes of ``line`` (quotes, variables, ~ and globs), without running it."""
    done = subprocess.run(
        ["bash", "-c", f'printf "%s\\0" {line}'],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, (line, done.stderr)
    return done.stdout.split("\0")[:-1]


def _compound(line: str) -> bool:
    lex = shlex.shlex(line, posix=True, punctuation_chars=True)
    return any(set(tok) <= set("|&;<>()") for tok in lex)


def _run_page(page: Path, cwd: Path, home: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run the ``sh`` blocks of a page in order, as a reader would, and return their output.

    qcode commands run in this process, split into words by bash (quotes, variables, ``~``),
    since each qcode process would spend a second importing the same libraries; ``cd`` and
    ``export`` change this run's folder and environment; anything else (and any line with a
    pipe or a redirection) runs in bash.
    """
    from conftest import run_cli

    for key, value in _env(home).items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("QCODE_USER", raising=False)
    out = []
    for line in _commands(page):
        if _compound(line) or not line.startswith(("qcode ", "cd ", "export ")):
            done = subprocess.run(
                ["bash", "-c", line], cwd=cwd, capture_output=True, text=True, timeout=600
            )
            assert done.returncode == 0 and "Traceback" not in done.stderr, (line, done.stderr)
            out.append(done.stdout)
            continue
        words = _words(line, cwd)
        if words[0] == "cd":
            cwd = (cwd / words[1]).resolve()
        elif words[0] == "export":
            key, _, value = words[1].partition("=")
            monkeypatch.setenv(key, value)
        else:
            r = run_cli(*words[1:], cwd=cwd)
            assert r.code == 0, (line, r.err)
            out.append(r.out)
    return "".join(out)


@pytest.mark.parametrize("page", WORKFLOWS, ids=[p.stem for p in WORKFLOWS])
def test_each_workflow_page_runs_on_the_example_study(
    page: Path,
    built_example: Callable[[Path], Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    study = built_example(tmp_path / "study")
    lines, py = _commands(page), blocks(page, "python")
    assert lines or py, f"{page.name} has no commands to check"
    _run_page(page, study, tmp_path, monkeypatch)
    for code in py:
        done = subprocess.run(
            [sys.executable, "-c", code], cwd=study, capture_output=True, text=True, timeout=600
        )
        assert done.returncode == 0, code + "\n" + done.stdout[-3000:] + done.stderr[-3000:]


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(str(a["id"]))
        key = "href" if tag in ("a", "link") else "src" if tag in ("img", "script") else None
        if key and a.get(key):
            self.links.append(str(a[key]))


@pytest.mark.xdist_group("checkout")  # writes docs/_generated; see tests/test_release.py
def test_the_guide_builds_without_warnings_or_broken_links(tmp_path: Path) -> None:
    site = tmp_path / "site"
    done = subprocess.run(
        [
            str(BIN / "sphinx-build"),
            "-W",
            "--keep-going",
            "-n",
            "-q",
            "-b",
            "html",
            "-d",
            str(tmp_path / "doctrees"),
            str(DOCS),
            str(site),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "COLUMNS": "100"},
    )
    assert done.returncode == 0 and done.stderr == "", done.stderr[-5000:]
    pages = {p: _Links() for p in site.rglob("*.html")}
    for p, parser in pages.items():
        parser.feed(p.read_text(encoding="utf-8"))
    broken = []
    for p, parser in pages.items():
        for link in parser.links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("//"):
                continue  # outside the guide (checked by hand: no network here)
            target = (p.parent / unquote(parts.path)).resolve() if parts.path else p
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{p.relative_to(site)}: {link}")
            elif parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else set()
                if parts.fragment not in ids:
                    broken.append(f"{p.relative_to(site)}: {link} (no such anchor)")
    assert broken == []
    # what is generated from qcode itself is there: every command, every schema, the screens
    commands = (site / "reference" / "commands.html").read_text(encoding="utf-8")
    from qcode.cli.groups import PANEL

    for name in PANEL:
        assert f'id="qcode-{name}"' in commands, name
    schemas = (site / "reference" / "formats.html").read_text(encoding="utf-8")
    for schema in (ROOT / "schemas").glob("*.json"):
        assert schema.name in schemas
    shots = sorted((ROOT / "tests" / "__snapshots__").glob("*/*.svg"))
    names = [
        re.sub(r"[^A-Za-z0-9_-]+", "_", s.stem.removeprefix("test_")).strip("_") for s in shots
    ]
    assert shots and all((site / "_images" / f"{n}.svg").is_file() for n in names)


def test_the_chinese_tutorial_runs_the_same_commands() -> None:
    """The Chinese tutorial (docs/zh/tutorial.md) gives the English one's commands, in the same
    order, so that the run of the English page proves it too."""
    zh = DOCS / "zh" / "tutorial.md"
    assert _commands(zh) == _commands(DOCS / "tutorial.md")
    assert "开放式编码" in zh.read_text(encoding="utf-8")
