"""``python -m qcode``: the same as the ``qcode`` command."""

from qcode.cli.main import run

if __name__ == "__main__":  # not again when a spawned worker process imports this module
    run()
