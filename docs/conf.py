"""Sphinx configuration of the qcode user guide (Markdown pages through MyST, the Furo theme)."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "_ext"))

import qcode  # noqa: E402

project = "qcode"
author = "The qcode authors"
copyright = "2026, the qcode authors"
version = release = qcode.__version__

extensions = ["myst_parser", "qcode_docs"]
source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "_generated", "_ext", "README.md", "notebooks/*.ipynb"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 4
nitpicky = True
suppress_warnings: list[str] = []

html_theme = "furo"
html_title = f"qcode {release}"
html_static_path: list[str] = []
html_last_updated_fmt = None
html_copy_source = False
html_show_sourcelink = False
