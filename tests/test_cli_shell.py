"""The command line as a package: --version, shell completion, grouped help, exit codes."""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import write

import qcode
from qcode.cli.app import app
from qcode.cli.groups import GROUPS, OTHER, PANEL, registered
from qcode.cli.main import main  # noqa: F401  (registers every command)

BIN = Path(sys.executable).parent


def test_version_is_the_package_version(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("--version")
    assert r.code == 0 and r.out == f"qcode {qcode.__version__}\n"
    # one place: the installed distribution's metadata comes from the same attribute
    assert importlib.metadata.version("qcode") == qcode.__version__


def test_every_command_has_a_group_and_every_group_entry_a_command() -> None:
    from qcode.cli.lazy import load_all

    load_all()  # the commands register when used; here, every one
    names = registered(app)
    assert len(names) == len(set(names)) and len(names) > 40
    assert [n for n in names if n not in PANEL] == [], "add these to qcode/cli/groups.py"
    assert [n for n in PANEL if n not in names] == [], "stale names in qcode/cli/groups.py"
    for issue_group in ("Import", "Coding", "Structure", "Analysis", "Exchange", "Team", "Text"):
        assert GROUPS[issue_group], issue_group


def test_help_lists_each_command_once_under_its_group(cli) -> None:  # type: ignore[no-untyped-def]
    out = cli("--help").out
    headings = [ln[:-1] for ln in out.splitlines() if ln.endswith(":") and not ln.startswith(" ")]
    assert headings == ["Options", *GROUPS], headings
    assert OTHER + ":" not in out
    group = None
    seen: dict[str, str] = {}
    for line in out.splitlines():
        if not line.strip():
            group = None  # a blank line ends a group (the epilog follows the last one)
        elif line.endswith(":") and not line.startswith(" "):
            group = line[:-1]
        elif group in GROUPS and line.startswith("  ") and not line.startswith("   "):
            seen[line.split()[0]] = group  # a command's row (wrapped help is indented further)
    assert seen == PANEL
    assert "Exit codes: 0 done, 1 bad input, 2 usage error, 3 conflict, 4 database" in out


def test_completion_script_for_a_named_shell(monkeypatch, cli) -> None:  # type: ignore[no-untyped-def]
    for shell, mark in [
        ("bash", "complete -o default -F _qcode_completion qcode"),
        ("zsh", "#compdef qcode"),
        ("fish", "complete --command qcode"),
        ("powershell", "Register-ArgumentCompleter -Native -CommandName qcode"),
    ]:
        monkeypatch.setenv("_QCODE_COMPLETE", f"source_{shell}")
        r = cli()
        assert r.code == 0 and mark in r.out and f"complete_{shell}" in r.out, (shell, r.out)


def test_completion_answers_commands_subcommands_and_options(monkeypatch, cli) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("_QCODE_COMPLETE", "complete_bash")
    monkeypatch.setenv("COMP_WORDS", "qcode co")
    monkeypatch.setenv("COMP_CWORD", "1")
    r = cli()
    assert r.code == 0
    assert set(r.out.split()) == {n for n in PANEL if n.startswith("co")}
    monkeypatch.setenv("COMP_WORDS", "qcode codes ")
    monkeypatch.setenv("COMP_CWORD", "2")
    assert {"add", "list", "merge", "rename"} <= set(cli().out.split())
    monkeypatch.setenv("COMP_WORDS", "qcode cooccur --un")
    assert cli().out.split() == ["--unit"]


def _bash(script: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOME": str(home), "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    env.pop("_QCODE_COMPLETE", None)
    return subprocess.run(
        ["bash", "--norc", "-c", script], env=env, capture_output=True, text=True, timeout=120
    )


def test_show_completion_drives_bash(tmp_path: Path) -> None:
    """The script printed for the shell qcode runs under makes bash itself complete qcode."""
    done = _bash(
        'eval "$(qcode --show-completion)"; COMP_WORDS=(qcode exp); COMP_CWORD=1; '
        '_qcode_completion qcode; printf "%s\\n" "${COMPREPLY[@]}"',
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["export"]


def test_install_completion_for_bash(tmp_path: Path) -> None:
    done = _bash("qcode --install-completion", tmp_path)
    assert done.returncode == 0, done.stderr
    script = tmp_path / ".bash_completions" / "qcode.sh"
    assert f"bash completion for qcode installed in {script}" in done.stdout
    assert "_QCODE_COMPLETE=complete_bash" in script.read_text()
    assert f"source '{script}'" in (tmp_path / ".bashrc").read_text()
    again = _bash("qcode --install-completion", tmp_path)  # idempotent: the line is added once
    assert again.returncode == 0
    assert (tmp_path / ".bashrc").read_text().count("source ") == 1


def test_a_shell_without_completion_gets_one_line(monkeypatch, cli) -> None:  # type: ignore[no-untyped-def]
    import shellingham

    def undetectable() -> tuple[str, str]:
        raise shellingham.ShellDetectionFailure()

    monkeypatch.setattr(shellingham, "detect_shell", undetectable)
    monkeypatch.setenv("SHELL", "/bin/tcsh")
    for option in ("--show-completion", "--install-completion"):
        r = cli(option)
        assert r.code == 1 and r.out == "", r.out
        assert r.err == (
            "error: no completion for the shell 'tcsh' (bash, zsh, fish, powershell); "
            "for bash: _QCODE_COMPLETE=source_bash qcode\n"
        )
    monkeypatch.delenv("SHELL")
    r = cli("--show-completion")
    assert r.code == 1 and r.err.startswith("error: cannot tell which shell this is")
    monkeypatch.setenv("SHELL", "/usr/bin/zsh")  # not detected, but the login shell is known
    assert "#compdef qcode" in cli("--show-completion").out


@pytest.fixture
def proj(tmp_path: Path, cli) -> Path:  # type: ignore[no-untyped-def]
    root = tmp_path / "study"
    assert cli("init", str(root), "--name", "Study").code == 0
    return root


def test_exit_codes_tell_the_kind_of_failure(proj: Path, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    p = ("-p", str(proj))
    assert cli(*p, "codes", "add", "cost").code == 0
    assert cli(*p, "codes", "show", "nothing").code == 1  # bad input: unknown name
    assert cli(*p, "import", str(tmp_path / "none.txt")).code == 1  # bad input: no such file
    assert cli(*p, "codes", "add", "--colour").code == 2  # usage: unknown option
    assert cli(*p, "freq", "--min", "x").code == 2  # usage: a value of the wrong type
    assert cli(*p, "code", "int01", "abc", "10", "cost").code == 2  # START not a number either
    below = cli(*p, "cooccur", "--min", "-1")  # a count below 1 is refused, not ignored
    assert below.code == 2 and "below 1" in below.err and below.out == ""
    dup = cli(*p, "codes", "add", "cost")  # conflict: the name is taken
    assert dup.code == 3 and dup.err.startswith("error: ") and dup.err.count("\n") == 1
    # database or server: a server that is not there (loopback, a port nothing listens on)
    remote = tmp_path / "remote"
    write(
        remote / "qcode.toml",
        '[project]\nname = "r"\n\n[database]\nurl = "postgresql+psycopg://q@127.0.0.1:1/q"\n',
    )
    down = cli("-p", str(remote), "info")
    assert down.code == 4 and "cannot open the project database" in down.err, down.err
    assert down.err.count("\n") == 1


def test_a_damaged_database_file_is_bad_input(proj: Path, cli) -> None:  # type: ignore[no-untyped-def]
    (proj / "project.db").write_bytes(b"not a database, only text " * 200)
    for wal in ("project.db-wal", "project.db-shm"):
        (proj / wal).unlink(missing_ok=True)
    r = cli("-p", str(proj), "info")
    assert r.code == 1 and r.out == ""
    assert r.err.count("\n") == 1 and r.err.startswith("error: ") and "not a database" in r.err
