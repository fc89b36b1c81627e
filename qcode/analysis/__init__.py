"""Analysis: pure functions over plain data."""
