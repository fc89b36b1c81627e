"""Architecture: nothing below the CLI and TUI imports typer, textual or rich."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INTERFACE = {"cli", "tui"}
FORBIDDEN = {"typer", "textual", "rich"}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_no_ui_imports_below_the_interfaces() -> None:
    offenders = []
    for path in (ROOT / "qcode").rglob("*.py"):
        rel = path.relative_to(ROOT / "qcode")
        if rel.parts[0] in INTERFACE:
            continue
        bad = imported_roots(path) & FORBIDDEN
        if bad:
            offenders.append(f"{rel}: {sorted(bad)}")
    assert offenders == []


def test_the_scan_would_catch_an_offender(tmp_path: Path) -> None:
    f = tmp_path / "x.py"
    f.write_text("from rich.console import Console\nimport textual.app\n")
    assert imported_roots(f) == {"rich", "textual"}


def test_import_linter_contracts_are_kept() -> None:
    exe = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(exe)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 kept, 0 broken" in done.stdout
