"""Whole projects out: qcode export --format qdpx."""

from __future__ import annotations
