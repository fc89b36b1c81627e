"""A throwaway PostgreSQL server for tests and benchmarks: initdb in a temporary folder, listening
on loopback only at a free port, stopped and removed afterwards.

Uses the server programs of the Debian packages (``/usr/lib/postgresql/*/bin``) that the set-up
installs (``.ci/postgres``). PostgreSQL refuses to run as root, so under root the server runs as the
``postgres`` user the packages create.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _bin() -> Path:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if not found:
        raise RuntimeError("PostgreSQL's server programs are missing; run .ci/postgres")
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def server(durable: bool = False, password: str | None = None) -> Iterator[str]:
    """Yield the URL prefix ``postgresql+psycopg://qcode@127.0.0.1:PORT/`` of a running server.
    Tests run it with ``fsync=off``; ``durable`` keeps PostgreSQL's default (for benchmarks).
    With ``password`` the server asks for it (SCRAM) instead of trusting every local client."""
    bindir = _bin()
    root = Path(tempfile.mkdtemp(prefix="qcode-pg-"))
    data, sock = root / "data", root / "sock"
    data.mkdir()
    sock.mkdir()
    as_root = os.geteuid() == 0
    if as_root:
        shutil.chown(root, "postgres")
        shutil.chown(data, "postgres")
        shutil.chown(sock, "postgres")
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []

    def run(*args: str) -> None:
        subprocess.run(prefix + list(args), check=True, capture_output=True, cwd=root)

    port = _free_port()
    auth = ["-A", "trust"]
    if password is not None:
        pwfile = root / "pw"
        pwfile.write_text(password + "\n", encoding="utf-8")
        if as_root:
            shutil.chown(pwfile, "postgres")
        auth = ["-A", "scram-sha-256", f"--pwfile={pwfile}"]
    run(str(bindir / "initdb"), "-D", str(data), *auth, "-U", "qcode", "-E", "UTF8")
    opts = f"-h 127.0.0.1 -p {port} -k {sock} -c max_connections=60"
    if not durable:
        opts += " -c fsync=off"
    run(str(bindir / "pg_ctl"), "-D", str(data), "-o", opts, "-l", str(root / "log"), "-w", "start")
    try:
        yield f"postgresql+psycopg://qcode@127.0.0.1:{port}/"
    finally:
        subprocess.run(
            prefix + [str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
            capture_output=True,
            cwd=root,
        )
        shutil.rmtree(root, ignore_errors=True)


def create_database(url_prefix: str, name: str) -> str:
    """Create database ``name`` on the server; returns its URL."""
    import psycopg

    dsn = url_prefix.replace("postgresql+psycopg://", "postgresql://") + "postgres"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return url_prefix + name
