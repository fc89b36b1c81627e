"""Codebook and project exchange formats."""
