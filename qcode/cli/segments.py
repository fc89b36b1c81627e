"""Coded segments out: qcode segments export."""

from __future__ import annotations

import typer

from qcode.cli.app import app

segments_app = typer.Typer(help="Export coded segments, one row per coding (csv, xlsx, md).")
app.add_typer(segments_app, name="segments")
