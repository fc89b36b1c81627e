"""Project-wide commands: init, info, import, undo, redo, log."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from qcode.cli.app import _state, app, project, project_dir
from qcode.cli.options import ALL_ROWS
from qcode.cli.output import emit_json, err, ok, table, warn
from qcode.cli.progress import working
from qcode.errors import EXIT_STORE, InvalidInputError
from qcode.i18n import N_, _, marked, pgettext

if TYPE_CHECKING:
    from qcode.services.documents import DocumentInfo


@app.command()
def init(
    directory: Path = typer.Argument(..., help=N_("Folder to create the project in.")),
    name: str | None = typer.Option(
        None, "--name", help=N_("Project name (default: folder name).")
    ),
    language: str = typer.Option("en", "--language", help=N_("Default language: en, zh, ...")),
    user: str | None = typer.Option(None, "--user", help=N_("Default coder name.")),
    db: str | None = typer.Option(None, "--db", help=N_("SQLAlchemy URL of the database.")),
    from_: Path | None = typer.Option(
        None,
        "--from",
        help=N_(
            "Create it from a REFI-QDA project (.qdpx) written by any tool, or an RQDA "
            "project (.rqda)."
        ),
    ),
    positions: str = typer.Option(
        "auto",
        "--positions",
        help=N_(
            "How the .qdpx counts text positions: auto (by its writer; NVivo counts UTF-16 "
            "units), codepoints or utf16."
        ),
    ),
    json_: bool = typer.Option(False, "--json", help=N_("Print the import report as JSON.")),
) -> None:
    """Create a project folder with its database and settings file (or from a .qdpx)."""
    from qcode.services import Project

    if from_ is None:
        p = Project.init(directory, name=name, language=language, user=user, db_url=db)
        ok(_("created project {name!r} in {root}").format(name=p.settings.name, root=p.root))
        return
    if db is not None:
        raise InvalidInputError(_("--from creates a project file of its own; leave out --db"))
    if from_.suffix.lower() == ".rqda":
        from qcode.services.rqda import create_from_rqda

        with working(_("reading {name}").format(name=from_.name)):
            p, report = create_from_rqda(directory, from_, name, language, user)
    else:
        from qcode.services.exchange import create_from_qdpx

        with working(_("reading {name}").format(name=from_.name)) as step:
            p, report = create_from_qdpx(
                directory, from_, positions, name, language, user, on_progress=step
            )
    if json_:
        emit_json(
            {
                "project": str(p.root),
                "origin": report.origin,
                "positions": report.units,
                "counts": report.counts,
                "notes": report.notes,
            }
        )
        return
    parts = ", ".join(f"{v} {k}" for k, v in report.counts.items())
    ok(
        _("created project {name!r} in {root} from {name2}").format(
            name=p.settings.name, root=p.root, name2=from_.name
        )
    )
    ok(
        _("written by {origin} (positions read as {units}): {parts}").format(
            origin=report.origin, units=report.units, parts=parts
        )
    )
    for note in report.notes:
        warn(note)


@app.command()
def info(json_: bool = typer.Option(False, "--json", help=N_("Print JSON."))) -> None:
    """Summarise the project."""
    from qcode.services import glance  # SQLite read directly, when it surely reads the same

    found = glance.info(project_dir())
    data = project().info() if found is None else found
    if json_:
        emit_json(data)
        return
    table(
        None,
        ["", ""],
        [(marked(INFO_KEYS, k), v) for k, v in data.items()],
        header=False,
    )


INFO_KEYS = {  # qcode info's rows, as the table names them (the JSON keeps its keys)
    "name": N_("name"),
    "uuid": N_("uuid"),
    "path": N_("path"),
    "database": N_("database"),
    "language": N_("language"),
    "user": N_("user"),
    "schema": N_("schema"),
    "documents": N_("documents"),
    "characters": N_("characters"),
    "cases": N_("cases"),
    "codes": N_("codes"),
    "codings": N_("codings"),
    "coders": N_("coders"),
    "memos": N_("memos"),
    "segments": N_("segments"),
    "events": N_("events"),
    "undo_steps": N_("undo_steps"),
    "redo_steps": N_("redo_steps"),
}


@app.command("import")
def import_(
    files: list[Path] = typer.Argument(
        ...,
        help=N_(
            "Sources: .txt .md .docx .odt .rtf .html .vtt .srt .pdf, folders (recursively), or "
            "spreadsheets (.csv .xlsx) with --text-columns."
        ),
    ),
    case: str | None = typer.Option(
        None,
        "--case",
        help=N_("Case for every file (default: one case per document, named after it)."),
    ),
    attr: list[str] = typer.Option([], "--attr", help=N_("Case attribute KEY=VALUE (repeatable).")),
    doc_attr: list[str] = typer.Option([], "--doc-attr", help=N_("Document attribute KEY=VALUE.")),
    name: str | None = typer.Option(None, "--name", help=N_("Document name (single file only).")),
    encoding: str | None = typer.Option(
        None, "--encoding", help=N_("Text encoding, e.g. gb18030 (default: detected).")
    ),
    language: str | None = typer.Option(
        None, "--language", help=N_("Language of these documents.")
    ),
    allow_duplicates: bool = typer.Option(
        False, "--allow-duplicates", help=N_("Import content already in the project again.")
    ),
    keep_going: bool = typer.Option(
        False, "--keep-going", help=N_("Import the files that can be read and list the others.")
    ),
    speakers_as_cases: bool = typer.Option(
        False, "--speakers-as-cases", help=N_("Each speaker becomes a case holding their turns.")
    ),
    code_speakers: bool = typer.Option(
        False, "--code-speakers", help=N_("Code each speaker's turns with a code speaker/NAME.")
    ),
    text_columns: str | None = typer.Option(
        None, "--text-columns", help=N_("Spreadsheet: the columns of open answers, e.g. Q5,Q9.")
    ),
    case_column: str | None = typer.Option(
        None, "--case-column", help=N_("Spreadsheet: the column naming each row's case.")
    ),
    one_document_per: str = typer.Option(
        "answer", "--one-document-per", help=N_("Spreadsheet: answer (row and question) or row.")
    ),
    code_by_question: bool = typer.Option(
        False, "--code-by-question", help=N_("Spreadsheet: code each answer with its question.")
    ),
    json_: bool = typer.Option(False, "--json", help=N_("Print JSON.")),
) -> None:
    """Import sources (normalised once; paragraphs, speaker turns, sentences, pages stored)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    p = project()
    if text_columns is not None:
        from qcode.cli.sheets import import_sheets

        import_sheets(
            p,
            files,
            text_columns,
            case_column,
            one_document_per,
            code_by_question,
            encoding,
            language,
            attr,
            json_,
        )
        return

    def report(d: DocumentInfo) -> None:
        u = d.units
        pages = _(", {n} pages").format(n=u["page"]) if u.get("page") else ""
        encoding = _("; encoding {encoding}").format(encoding=d.encoding) if d.encoding else ""
        ok(
            _(
                "imported {name!r}: {chars} characters, {paragraphs} paragraphs, {turns} turns, "
                "{sentences} sentences{pages} (case {case!r}{encoding})"
            ).format(
                name=d.name,
                chars=d.chars,
                paragraphs=u["paragraph"],
                turns=u["turn"],
                sentences=u["sentence"],
                pages=pages,
                case=d.case,
                encoding=encoding,
            )
        )

    with Progress(
        TextColumn("{task.fields[stage]}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        # silent when piped, as every bar (off a terminal rich still ended it with a blank line)
        disable=not err.is_terminal or (len(files) < 2 and not files[0].is_dir()),
    ) as bar:
        task = bar.add_task("", total=len(files), stage="reading")

        def read(done: int, total: int, path: Path) -> None:
            bar.update(task, completed=done - 1, total=total, description=path.name)

        def step(done: int, total: int, doc: DocumentInfo) -> None:
            bar.update(task, completed=done, total=total, description=doc.name, stage="importing")
            if not json_:
                report(doc)

        result = p.documents.import_files(
            files,
            case=case,
            attrs=attr,
            doc_attrs=doc_attr,
            name=name,
            encoding=encoding,
            language=language,
            allow_duplicates=allow_duplicates,
            on_progress=step,
            keep_going=keep_going,
            speakers_as_cases=speakers_as_cases,
            code_speakers=code_speakers,
            on_read=read,
        )
    if json_:
        emit_json(
            {
                "imported": [d.as_json() for d in result.imported],
                "skipped": [s.__dict__ for s in result.skipped],
                "failed": [s.__dict__ for s in result.failed],
                "warnings": result.warnings,
                "notes": result.notes,
            }
        )
    else:
        for note in result.notes:
            ok(note)
    for line in result.warnings:
        warn(line)
    for s in result.skipped:
        warn(_("skipped {path}: {reason}").format(path=s.path, reason=s.reason))
    for s in result.failed:
        warn(_("not imported {path}: {reason}").format(path=s.path, reason=s.reason))
    if result.failed:
        raise typer.Exit(1)


PROJECT_WIDE = typer.Option(
    False, "--project", help=N_("The project's newest step, whoever made it (for a lead).")
)


@app.command()
def undo(project_wide: bool = PROJECT_WIDE) -> None:
    """Undo your last change (works across sessions); refused when another coder's later change
    depends on it."""
    from qcode.services.historywords import shown

    ok(_("undone: {v1}").format(v1=shown(project().history.undo(project_wide))))


@app.command()
def redo(project_wide: bool = PROJECT_WIDE) -> None:
    """Redo the change you undid last."""
    from qcode.services.historywords import shown

    ok(_("redone: {v1}").format(v1=shown(project().history.redo(project_wide))))


@app.command()
def log(
    coder: str | None = typer.Option(None, "--coder", help=N_("Only this coder's actions.")),
    since: str | None = typer.Option(None, "--since", help=N_("Only from this date (YYYY-MM-DD).")),
    limit: int | None = typer.Option(None, "--limit", help=N_("At most this many, newest.")),
    json_: bool = typer.Option(False, "--json", help=N_("Print JSON.")),
    next_: bool = typer.Option(
        False, "--next", help=N_("Only whose step undo and redo take next, for each coder.")
    ),
    _all_rows: bool = ALL_ROWS,
) -> None:
    """Who did what and when, from the event log (newest first; JSON oldest first), and whose
    step undo and redo take next for whom."""
    history = project().history
    if next_:
        steps = history.next_steps()
        if json_:
            emit_json([st.as_json() for st in steps])
            return
        _print_next(steps)
        return
    when = None
    if since:
        try:
            when = datetime.fromisoformat(since)
        except ValueError:
            raise InvalidInputError(
                _("--since {since!r} is not a date (YYYY-MM-DD)").format(since=since)
            ) from None
    entries = history.log(coder, when, limit)
    from qcode.services.historywords import action_label, shown

    if json_:
        emit_json([e.as_json() for e in entries])
        return
    table(
        None,
        ["#", _("when (UTC)"), _("who"), _("action"), _("what")],
        [
            (
                e.id,
                e.at.isoformat(sep=" ", timespec="seconds"),
                e.actor,
                action_label(e.action),
                shown(e.summary),
            )
            for e in reversed(entries)  # newest first, as git log: the screenful is recent work
        ],
        justify_right=["#"],
    )
    _print_next(history.next_steps())


def _print_next(steps: list[Any]) -> None:
    from qcode.services.historywords import shown

    if not steps:
        ok(_("nothing to undo or redo"))
        return
    table(
        _("next steps"),
        [_("for"), _("step"), _("whose"), _("what"), _("when (UTC)")],
        [
            (
                st.coder or "--project",
                _(st.action),
                st.owner,
                shown(st.summary),
                st.at.isoformat(sep=" ", timespec="seconds"),
            )
            for st in steps
        ],
    )


@app.command()
def build(
    folder: Path = typer.Argument(..., help=N_("A study folder with study.yaml.")),
    force: bool = typer.Option(
        False, "--force", help=N_("Rebuild even a project with changes since its build (lost).")
    ),
    keep: bool = typer.Option(
        False, "--keep", help=N_("Leave a project with changes since its build as it is (exit 0).")
    ),
) -> None:
    """Rebuild a project from a folder of text files (transcripts, cases, codebook, codings,
    memos), from scratch. Refused when the project has changes since its build (codes, codings,
    memos added), unless --force; with --keep such a project is kept and used as it is."""
    from qcode.services.build import build as build_project
    from qcode.services.build import edits_since_build

    if force and keep:
        raise InvalidInputError(_("--force and --keep contradict each other"))
    if keep:
        count, latest = edits_since_build(folder)
        if count:
            ok(
                _(
                    "kept the project in {folder}: {count} change(s) since its build "
                    "({latest}); 'qcode build --force {folder}' rebuilds it and "
                    "discards them"
                ).format(folder=folder, count=count, latest=latest)
            )
            return
    with build_project(folder, force=force) as p:
        info = p.info()
    ok(
        _(
            "built {name!r} in {folder}: {documents} documents, {codes} "
            "codes, {codings} codings, {memos} memos"
        ).format(
            name=info["name"],
            folder=folder,
            documents=info["documents"],
            codes=info["codes"],
            codings=info["codings"],
            memos=info["memos"],
        )
    )


@app.command()
def check(
    repair: bool = typer.Option(
        False, "--repair", help=N_("Put the newest sound backup in place of a damaged database.")
    ),
    json_: bool = typer.Option(False, "--json", help=N_("Print JSON.")),
    _all_rows: bool = ALL_ROWS,
) -> None:
    """Check the project's database: SQLite's integrity and foreign keys, and qcode's own rules
    (codings inside their documents, units covering the text, history consistent)."""
    from qcode.services import check as checks

    folder = _state["project"]
    findings = checks.check(folder)
    repaired = None
    if repair and not all(f.ok for f in findings):
        repaired = checks.repair(folder)
        findings = checks.check(folder)
    if json_:
        emit_json({"checks": [f.as_json() for f in findings], "repaired": repaired})
    else:
        if repaired:
            ok(repaired)
        table(
            None,
            [_("check"), _("result"), _("detail")],
            [(_check_name(f.check), _check_result(f.ok), f.detail) for f in findings],
        )
    if not all(f.ok for f in findings):
        damaged = any(not f.ok and f.check in checks.FILE_CHECKS for f in findings)
        if not repair and not json_ and damaged:
            err.print(checks.repair_advice(folder), markup=False)
        raise typer.Exit(EXIT_STORE)


_CHECKS = {  # the services' names of the checks, as the table shows them
    "open": N_("open"),
    "file": N_("file"),
    "integrity": N_("integrity"),
    "foreign keys": N_("foreign keys"),
    "codings inside documents": N_("codings inside documents"),
    "units cover the text": N_("units cover the text"),
    "history consistent": N_("history consistent"),
}


def _check_name(name: str) -> str:
    return marked(_CHECKS, name)


def _check_result(sound: bool) -> str:
    return pgettext("check result", "ok") if sound else pgettext("check result", "FAILED")
