"""Settings: qcode.toml and the user's config.toml validated when read, one line per mistake;
qcode config show|get|set|unset; the environment over the files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import write

from qcode import Project
from qcode import settings as settings_mod
from qcode.settings import Settings, SettingsError, default_user, load, load_user_settings, save
from qcode.settings_schema import SCHEMA_FILES, json_schema

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    Project.init(tmp_path / "study", name="Study").close()
    return tmp_path / "study"


def _settings_text(root: Path, text: str) -> Path:
    return write(root / "qcode.toml", text)


def test_the_string_false_is_not_true(root: Path, cli) -> None:  # type: ignore[no-untyped-def]
    """Read by hand, keep_source = "false" used to keep the source (a non-empty string is true)."""
    path = _settings_text(root, '[project]\nname = "Study"\n\n[import]\nkeep_source = "false"\n')
    r = cli("-p", str(root), "info")
    assert r.code == 1 and r.out == ""
    assert r.err == (
        f'error: {path}: line 5: [import] keep_source: expected true or false, not the string "false"\n'
    )


def test_a_misspelt_key_is_refused_with_the_one_meant(root: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = _settings_text(root, '[project]\nname = "Study"\n\n[import]\nkeep_sorce = false\n')
    r = cli("-p", str(root), "info")
    assert r.code == 1
    assert r.err == (
        f"error: {path}: line 5: [import] keep_sorce: unknown key; did you mean 'keep_source'? "
        "expected one of: speaker_patterns, keep_source\n"
    )


MISTAKES = [
    # (the line written, the line of the file it is on, the message's end)
    ("[project]\nname = 3", 2, "[project] name: expected a string in quotes, not the number 3"),
    (
        '[project]\nlanguage = "english"',
        2,
        '[project] language: expected a language code such as en or zh, not the string "english"',
    ),
    (
        '[database]\nurl = "not a url"',
        2,
        "[database] url: expected a database URL such as sqlite:///project.db, not the string "
        '"not a url"',
    ),
    ('[user]\nname = ""', 2, '[user] name: expected a non-empty string, not the string ""'),
    (
        '[import]\nspeaker_patterns = "^(?P<speaker>\\\\w+):"',
        2,
        '[import] speaker_patterns: expected a list of strings, such as ["..."], not the string '
        '"^(?P<speaker>\\\\w+):"',
    ),
    (
        '[import]\nspeaker_patterns = ["^(\\\\w+):"]',
        2,
        "[import] speaker_patterns: expected a group named 'speaker' in each pattern, as in "
        "'^(\\\\w+):'",
    ),
    (
        '[import]\nspeaker_patterns = ["(?P<speaker>"]',
        2,
        "[import] speaker_patterns: expected regular expressions; '(?P<speaker>': "
        "missing ) at position 12",
    ),
    (
        "[grounded_theory]\nparadigm = 1",
        2,
        "[grounded_theory] paradigm: expected true or false, not the number 1",
    ),
    (
        '[grounded_theory]\nmultiple_core = "yes"',
        2,
        '[grounded_theory] multiple_core: expected true or false, not the string "yes"',
    ),
    ('[text]\nuserdict = ["a"]', 2, "[text] userdict: expected a string in quotes, not a list"),
    (
        '[txt]\nuserdict = "u.txt"',
        1,
        "[txt]: unknown table; did you mean 'text'? expected one of: project, database, user, "
        "import, grounded_theory, text",
    ),
    ('project = "x"', 1, '[project]: expected a table, not the string "x"'),
    (
        'grounded_theory.paradigm = "no"',
        1,
        '[grounded_theory] paradigm: expected true or false, not the string "no"',
    ),
]


@pytest.mark.parametrize(("written", "line", "message"), MISTAKES)
def test_each_mistake_gives_its_line(
    root: Path, cli, written: str, line: int, message: str
) -> None:  # type: ignore[no-untyped-def]
    path = _settings_text(root, written + "\n")
    r = cli("-p", str(root), "info")
    assert r.code == 1 and r.out == ""
    assert r.err == f"error: {path}: line {line}: {message}\n"


def test_several_mistakes_give_a_line_each_in_file_order(root: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = _settings_text(
        root,
        "# the study\n"
        '[project]\nname = "Study"\nlanguage = "en"\n\n'
        "[import]\n"
        'keep_source = "false"\n'
        "keep_sorce = true\n\n"
        '[grounded_theory]\nparadigm = "true"\n',
    )
    r = cli("-p", str(root), "codes", "list")
    lines = r.err.splitlines()
    assert r.code == 1 and len(lines) == 3, r.err
    assert all(ln.startswith(f"error: {path}: line ") for ln in lines)
    assert [ln.split(": ")[2] for ln in lines] == ["line 7", "line 8", "line 11"]
    assert "[grounded_theory] paradigm: expected true or false" in lines[2]


def test_not_toml_and_not_utf8(root: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = _settings_text(root, '[project]\nname = "Study"\nlanguage = en\n')
    r = cli("-p", str(root), "info")
    assert r.code == 1 and r.err.startswith(f"error: {path}: line 3: not valid TOML (")
    assert r.err.count("\n") == 1
    path.write_bytes('[project]\nname = "研究"\n'.encode("gb18030"))
    r = cli("-p", str(root), "info")
    assert r.code == 1 and r.err == f"error: {path}: not UTF-8 text\n"


def test_a_refused_file_changes_nothing(root: Path, cli) -> None:  # type: ignore[no-untyped-def]
    write(root.parent / "a.txt", "Interviewer: Why?\nR: Money.\n")
    bad = _settings_text(root, '[project]\nname = "Study"\n[import]\nkeep_source = "no"\n')
    before = bad.read_bytes()
    r = cli("-p", str(root), "import", str(root.parent / "a.txt"))
    assert r.code == 1 and bad.read_bytes() == before
    _settings_text(root, '[project]\nname = "Study"\n')
    assert cli("-p", str(root), "docs", "list", "--json").json() == []


def test_valid_settings_read_as_their_types(root: Path) -> None:
    _settings_text(
        root,
        '[project]\nname = "Pensions"\nlanguage = "zh"\n\n'
        '[user]\nname = "wang"\n\n'
        '[import]\nspeaker_patterns = ["^(?P<speaker>受访者)："]\nkeep_source = false\n\n'
        "[grounded_theory]\nparadigm = false\nmultiple_core = true\n\n"
        '[text]\nuserdict = "userdict.txt"\nmodel = "zh_core_web_sm"\n',
    )
    s = load(root)
    assert s == Settings(
        name="Pensions",
        language="zh",
        db_url="sqlite:///project.db",
        user="wang",
        speaker_patterns=["^(?P<speaker>受访者)："],
        keep_source=False,
        paradigm=False,
        multiple_core=True,
        userdict="userdict.txt",
        spacy_model="zh_core_web_sm",
    )
    assert Settings.from_toml(s.to_toml()) == s


def test_save_keeps_comments_and_order(root: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = _settings_text(
        root,
        "# Pension study: settings\n"
        '[project]\nname = "Study"  # as in the paper\nlanguage = "en"\n\n'
        "# the coding families, not the paradigm\n"
        "[grounded_theory]\nparadigm = true\nmultiple_core = false\n",
    )
    assert cli("-p", str(root), "paradigm", "--disable").code == 0
    text = path.read_text()
    assert text.startswith(
        '# Pension study: settings\n[project]\nname = "Study"  # as in the paper'
    )
    assert "# the coding families, not the paradigm\n[grounded_theory]\nparadigm = false\n" in text
    assert load(root).paradigm is False
    s = load(root)
    s.user = None
    s.userdict = "words.txt"
    save(root, s)
    assert load(root).userdict == "words.txt" and "[text]" in path.read_text()


# -- the user's settings ---------------------------------------------------------------------------
def test_user_settings_path(monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("QCODE_CONFIG", str(tmp_path / "mine.toml"))
    assert settings_mod.user_config_path() == tmp_path / "mine.toml"
    monkeypatch.delenv("QCODE_CONFIG")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert settings_mod.user_config_path() == tmp_path / "xdg" / "qcode" / "config.toml"
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert (
        settings_mod.user_config_path() == tmp_path / "home" / ".config" / "qcode" / "config.toml"
    )


def test_user_settings_interface(monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("QCODE_USER")
    missing = load_user_settings()
    assert (missing.name, missing.theme, missing.keymap, missing.language, missing.editor) == (
        None,
        None,
        {},
        None,
        None,
    )
    path = write(
        tmp_path / "config.toml",
        'name = "wang"\ntheme = "nord"\nlanguage = "zh"\neditor = "nano -w"\n\n'
        '[keymap]\napply_code = "c"\nundo = ["ctrl+z", "u"]\n"quick.code" = "r, R"\n',
    )
    monkeypatch.setenv("QCODE_CONFIG", str(path))
    u = load_user_settings()
    assert (u.name, u.theme, u.language, u.editor, u.path) == (
        "wang",
        "nord",
        "zh",
        "nano -w",
        path,
    )
    assert u.keymap == {"apply_code": "c", "undo": "ctrl+z,u", "quick.code": "r,R"}
    monkeypatch.setenv("QCODE_THEME", "textual-light")
    monkeypatch.setenv("QCODE_LANGUAGE", "en")
    monkeypatch.setenv("QCODE_EDITOR", "vi")
    u = load_user_settings()
    assert (u.theme, u.language, u.editor) == ("textual-light", "en", "vi")
    monkeypatch.setenv("QCODE_LANGUAGE", "fr")
    with pytest.raises(SettingsError) as bad:
        load_user_settings()
    assert str(bad.value) == (
        "$QCODE_LANGUAGE: language: expected one of 'en' or 'zh', not the string \"fr\""
    )


def test_editor_falls_back_to_visual_then_editor(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("EDITOR", "ed")
    assert load_user_settings().editor == "ed"
    monkeypatch.setenv("VISUAL", "emacs")
    assert load_user_settings().editor == "emacs"


USER_MISTAKES = [
    ("theme = 1", 1, "theme: expected a string in quotes, not the number 1"),
    ('language = "fr"', 1, "language: expected one of 'en' or 'zh', not the string \"fr\""),
    ('editor = " "', 1, 'editor: expected a non-empty string, not the string " "'),
    (
        'colour = "blue"',
        1,
        "colour: unknown key; expected one of: name, theme, language, editor, keymap",
    ),
    (
        'them = "nord"',
        1,
        "them: unknown key; did you mean 'theme'? expected one of: name, theme, language, editor, keymap",
    ),
    (
        '[keymap]\nundo = ""',
        2,
        '[keymap] undo: expected keys such as "ctrl+s" or "j,down", comma-separated, not the string ""',
    ),
    (
        '[keymap]\nundo = "ctrl z"',
        2,
        '[keymap] undo: expected keys such as "ctrl+s" or "j,down", comma-separated, not the string "ctrl z"',
    ),
    (
        "[keymap]\nundo = 5",
        2,
        '[keymap] undo: expected keys such as "ctrl+s" or "j,down" (or a list of them), not the number 5',
    ),
    ('keymap = "vim"', 1, 'keymap: expected a table, not the string "vim"'),
]


@pytest.mark.parametrize(("written", "line", "message"), USER_MISTAKES)
def test_each_mistake_in_the_user_file_gives_its_line(
    monkeypatch, tmp_path: Path, written: str, line: int, message: str
) -> None:  # type: ignore[no-untyped-def]
    path = write(
        tmp_path / "config.toml", f'name = "wang"\n{written}\n' if line > 1 else f"{written}\n"
    )
    monkeypatch.setenv("QCODE_CONFIG", str(path))
    with pytest.raises(SettingsError) as bad:
        load_user_settings()
    n = line + 1 if line > 1 else line
    assert str(bad.value) == f"{path}: line {n}: {message}"


def test_a_bad_user_file_is_one_line_from_the_command_line(monkeypatch, root: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = write(root.parent / "config.toml", "theme = true\n")
    monkeypatch.setenv("QCODE_CONFIG", str(path))
    r = cli("config", "show", "--user")
    assert r.code == 1
    assert r.err == f"error: {path}: line 1: theme: expected a string in quotes, not true\n"


def test_the_coder_comes_from_the_environment_the_project_the_user_then_the_login(
    monkeypatch, root: Path
) -> None:  # type: ignore[no-untyped-def]
    user_file = write(root.parent / "config.toml", 'name = "from-user-file"\n')
    monkeypatch.setenv("QCODE_CONFIG", str(user_file))
    s = load(root)
    assert default_user(s) == "alice"  # QCODE_USER, set for every test
    monkeypatch.delenv("QCODE_USER")
    assert default_user(s) == "from-user-file"
    s.user = "from-project"
    assert default_user(s) == "from-project"
    s.user = None
    user_file.unlink()
    import getpass

    assert default_user(s) == getpass.getuser()


# -- qcode config ---------------------------------------------------------------------------------
def test_config_set_get_unset_keep_the_file_and_its_comments(root: Path, cli) -> None:  # type: ignore[no-untyped-def]
    p = ("-p", str(root))
    path = root / "qcode.toml"
    path.write_text("# our study\n" + path.read_text().replace("[import]", "# files\n[import]"))
    r = cli(*p, "config", "set", "grounded_theory.multiple_core", "true")
    assert r.code == 0 and r.out == f"grounded_theory.multiple_core = true in {path}\n"
    assert load(root).multiple_core is True
    assert cli(*p, "config", "get", "grounded_theory.multiple_core").out == "true\n"
    pattern = '["^(?P<speaker>[A-Z][a-z]+):"]'
    assert cli(*p, "config", "set", "import.speaker_patterns", pattern).code == 0
    assert load(root).speaker_patterns == ["^(?P<speaker>[A-Z][a-z]+):"]
    assert cli(*p, "config", "get", "import.speaker_patterns", "--json").json() == [
        "^(?P<speaker>[A-Z][a-z]+):"
    ]
    assert cli(*p, "config", "set", "text.userdict", "words.txt").code == 0
    text = path.read_text()
    assert text.startswith("# our study\n") and "# files\n[import]" in text
    assert cli(*p, "config", "unset", "import.speaker_patterns").code == 0
    assert load(root).speaker_patterns is None
    assert cli(*p, "config", "get", "text.model").out == ""  # not set: nothing
    assert cli(*p, "config", "get", "user.name").out == "alice\n"  # $QCODE_USER


def test_config_refuses_and_writes_nothing(root: Path, cli) -> None:  # type: ignore[no-untyped-def]
    p = ("-p", str(root))
    path = root / "qcode.toml"
    before = path.read_bytes()
    cases = [
        (
            ("import.keep_source", "maybe"),
            "error: import.keep_source: expected true or false, not 'maybe'\n",
        ),
        (
            ("import.keep_sorce", "false"),
            "error: unknown project setting 'import.keep_sorce'; did you mean 'import.keep_source'? "
            "(qcode config show lists them)\n",
        ),
        (
            ("theme", "nord"),
            "error: unknown project setting 'theme'; it is a user setting: use it with --user "
            "(qcode config show lists them)\n",
        ),
        (
            ("project.language", "english"),
            "error: project.language: expected a language code such as en or zh, not the string "
            '"english"; nothing written\n',
        ),
        (
            ("import.speaker_patterns", "^R:"),
            "error: import.speaker_patterns: expected a group named 'speaker' in each pattern, "
            "as in '^R:'; nothing written\n",
        ),
    ]
    for args, message in cases:
        r = cli(*p, "config", "set", *args)
        assert (r.code, r.err) == (1, message), args
    assert path.read_bytes() == before
    assert cli(*p, "config", "set", "--user", "import.keep_source", "true").err.endswith(
        "it is a project setting: use it without --user (qcode config show lists them)\n"
    )


def test_config_set_on_a_file_with_mistakes_names_them_first(root: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = _settings_text(root, '[project]\nname = "S"\n[import]\nkeep_source = "yes"\n')
    r = cli("-p", str(root), "config", "set", "project.name", "T")
    assert r.code == 1 and r.err.startswith(f"error: {path}: line 4: [import] keep_source")
    assert 'name = "S"' in path.read_text()


def test_config_user_creates_the_file_and_the_environment_wins(
    monkeypatch, tmp_path: Path, cli
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "xdg" / "qcode" / "config.toml"
    monkeypatch.delenv("QCODE_CONFIG")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert cli("config", "set", "--user", "theme", "nord").code == 0
    assert cli("config", "set", "--user", "keymap.undo", "ctrl+z,u").code == 0
    assert cli("config", "set", "--user", "language", "zh").code == 0
    assert path.read_text() == 'theme = "nord"\nlanguage = "zh"\n\n[keymap]\nundo = "ctrl+z,u"\n'
    u = load_user_settings()
    assert (u.theme, u.language, u.keymap) == ("nord", "zh", {"undo": "ctrl+z,u"})
    assert cli("config", "get", "--user", "keymap.undo").out == "ctrl+z,u\n"
    monkeypatch.setenv("QCODE_THEME", "gruvbox")
    rows = cli("config", "show", "--user", "--json").json()
    assert {r["key"]: (r["value"], r["source"]) for r in rows} == {
        "name": ("alice", "$QCODE_USER"),
        "theme": ("gruvbox", "$QCODE_THEME"),
        "language": ("zh", str(path)),
        "editor": (None, "default"),
        "keymap.undo": ("ctrl+z,u", str(path)),
    }
    r = cli("config", "set", "--user", "keymap.undo", "ctrl z")
    assert r.code == 1 and "nothing written" in r.err
    assert cli("config", "set", "--user", "keymap", "x").err == (
        "error: keymap is a table: set its entries, e.g. keymap.ID\n"
    )


def test_config_show_lists_every_setting_of_both_files(root: Path, cli) -> None:  # type: ignore[no-untyped-def]
    rows = cli("-p", str(root), "config", "show", "--json").json()
    keys = [r["key"] for r in rows if r["scope"] == "project"]
    assert keys == [
        "project.name",
        "project.language",
        "database.url",
        "user.name",
        "import.speaker_patterns",
        "import.keep_source",
        "grounded_theory.paradigm",
        "grounded_theory.multiple_core",
        "text.userdict",
        "text.model",
    ]
    by_key = {r["key"]: r for r in rows}
    assert by_key["project.name"]["value"] == "Study"
    assert by_key["project.name"]["source"] == str(root / "qcode.toml")
    assert by_key["text.model"] == {
        "scope": "project",
        "key": "text.model",
        "value": None,
        "source": "default",
    }
    assert (
        by_key["user.name"]["value"] == "alice" and by_key["user.name"]["source"] == "$QCODE_USER"
    )
    assert [r["key"] for r in rows if r["scope"] == "user"] == [
        "name",
        "theme",
        "language",
        "editor",
    ]
    out = cli("-p", str(root), "config", "show").out
    assert out.startswith(f"Project settings: {root / 'qcode.toml'}\n")
    assert "User settings: " in out and "(no file)" in out


def test_the_schemas_in_schemas_are_the_ones_read() -> None:
    for name, (model, ident, description) in SCHEMA_FILES.items():
        committed = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
        assert committed == json_schema(model, ident, description), f"regenerate schemas/{name}"


def test_the_example_study_settings_validate_against_the_json_schema(tmp_path: Path) -> None:
    import tomllib

    import jsonschema

    schema = json.loads((SCHEMAS / "settings.schema.json").read_text())
    s = Settings(name="x", user="wang", speaker_patterns=["^(?P<speaker>R):"], userdict="u.txt")
    jsonschema.validate(s.to_toml(), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(tomllib.loads('[import]\nkeep_source = "false"\n'), schema)


def test_memos_edit_opens_the_editor_of_the_settings(monkeypatch, root: Path, cli) -> None:  # type: ignore[no-untyped-def]
    p = ("-p", str(root))
    memo = cli(*p, "memos", "add", "Cost", "--body", "Fixed contributions.", "--json").json()
    script = write(
        root.parent / "append.sh", '#!/bin/sh\nprintf "\\nAgainst swinging income." >> "$1"\n'
    )
    script.chmod(0o755)
    assert cli("config", "set", "--user", "editor", str(script)).code == 0
    r = cli(*p, "memos", "edit", str(memo["id"]), "--editor")
    assert r.code == 0, r.err
    body = cli(*p, "memos", "show", str(memo["id"]), "--json").json()["body"]
    assert body == "Fixed contributions.\nAgainst swinging income."
    monkeypatch.setenv("QCODE_EDITOR", "true")  # saves nothing new
    assert (
        cli(*p, "memos", "edit", str(memo["id"]), "--editor").out
        == f"memo #{memo['id']} unchanged\n"
    )
    monkeypatch.setenv("QCODE_EDITOR", "false")  # fails
    r = cli(*p, "memos", "edit", str(memo["id"]), "--editor")
    assert (r.code, r.err) == (1, "error: the editor 'false' exited with 1; nothing changed\n")
    monkeypatch.setenv("QCODE_EDITOR", "no-such-editor-here")
    r = cli(*p, "memos", "edit", str(memo["id"]), "--editor")
    assert (r.code, r.err) == (1, "error: cannot run the editor 'no-such-editor-here'\n")
