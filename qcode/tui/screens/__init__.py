"""Screens of the terminal UI: coding, codebook, memos, help."""
