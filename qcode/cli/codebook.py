"""Codebooks out and in: qcode codebook export | import."""

from __future__ import annotations

import typer

from qcode.cli.app import app

codebook_app = typer.Typer(
    help="Export the codebook (md, csv, json, docx, xlsx, qdc) or merge one in."
)
app.add_typer(codebook_app, name="codebook")
