"""``python -m qcode``: the same as the ``qcode`` command."""

from qcode.cli.main import run

run()
