"""Figures for hostile files: a 600-byte YAML alias bomb in a rules file, read the way a rules
file was read before (``yaml.safe_load`` and the schema check, which walks every
expanded node; run in a child process stopped after ``--limit`` seconds) and through qcode's
loader, which refuses it before building anything.

Run with ``.venv/bin/python benchmarks/bench_hostile.py``. Prints numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import multiprocessing
import time


def bomb(levels: int = 9, width: int = 9) -> str:
    lines = [f"l0: &l0 [{', '.join(['lol'] * width)}]"]
    for i in range(1, levels):
        lines.append(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * width)}]")
    return "\n".join(lines) + f"\nrules: [{{code: x, terms: *l{levels - 1}}}]\n"


def plain(text: str) -> None:
    import jsonschema
    import yaml

    from qcode.services.framework import schema

    data = yaml.safe_load(text)
    list(jsonschema.Draft202012Validator(schema("rules.schema.json")).iter_errors(data))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=float, default=60.0)
    args = ap.parse_args()
    text = bomb()
    print(f"alias bomb: {len(text.encode())} bytes, {9**9:,} nodes expanded")

    from qcode.text.yamlfile import AliasBudgetError, safe_load

    t = time.perf_counter()
    try:
        safe_load(text)
        print("qcode loader: accepted (unexpected)")
    except AliasBudgetError as exc:
        print(f"qcode loader: refused in {1000 * (time.perf_counter() - t):.1f} ms ({exc})")

    t = time.perf_counter()
    proc = multiprocessing.Process(target=plain, args=(text,))
    proc.start()
    proc.join(args.limit)
    took = time.perf_counter() - t
    if proc.is_alive():
        proc.terminate()
        proc.join()
        print(f"yaml.safe_load + schema check: still running after {took:.1f} s (stopped)")
    else:
        print(f"yaml.safe_load + schema check: {took:.1f} s")


if __name__ == "__main__":
    main()
