"""Command line: Typer commands with rich output; thin over qcode.services."""
