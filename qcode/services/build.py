"""Building a project from a folder of reviewable text files (``qcode build DIR``).

The folder holds:

- ``study.yaml``: ``name``, ``language`` (default language of the transcripts), optional ``user``
  (the coder of rows and memos that name none; not kept as the project's user, so whoever opens
  the built project codes under their own name)
  and ``userdict`` (a word list for Chinese segmentation in the folder, written to the
  project's ``[text] userdict``);
- ``cases.csv``: a ``case`` column (one transcript per case: ``transcripts/<case>.txt``), an
  optional ``language`` column, and one column per case attribute;
- ``transcripts/*.txt``;
- ``framework.yaml`` (optional): see ``schemas/framework.schema.json``;
- ``codebook.yaml`` (optional): ``codes`` (a tree: name, level, description, inclusion,
  exclusion, example, in_vivo, color, ``links`` to framework elements, ``children``), ``core``
  (a code path) and ``relations`` (source, type, target, comment);
- ``codings.csv`` (optional): ``document,code,coder`` and either ``start,end`` or ``text`` (the
  exact words, with an optional 1-based ``occurrence``);
- ``memos/*.md`` (optional): Markdown with a YAML front matter (title, type, coder, links: a list
  of ``{code: PATH}``, ``{document: NAME}`` or ``{case: NAME}``).

The database is rebuilt from scratch each time (``qcode.toml`` and ``project.db`` in the folder):
built in a temporary folder first, so a failed build leaves the previous one in place. A build
records its last event; a project with events after it (codes, codings, memos added since) is
never rebuilt unless ``force`` is given, so a rebuild cannot discard a researcher's work.
"""

from __future__ import annotations

import csv
import shutil
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update

from qcode.errors import ConflictError, InputFileError, QcodeError
from qcode.i18n import _
from qcode.services.codings import CodingRequest
from qcode.services.memos import Target
from qcode.services.project import Project
from qcode.settings import DB_FILE, SETTINGS_FILE
from qcode.settings import save as save_settings
from qcode.store.models import Event, ProjectRow
from qcode.text import normalize
from qcode.text.yamlfile import safe_load

NOTE_KEYS = ("inclusion", "exclusion", "example", "in_vivo")


def _yaml(path: Path) -> Any:
    import yaml

    try:
        return safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InputFileError(
            path, _("cannot be read ({v1})").format(v1=" ".join(str(exc).split()))
        ) from None


def _csv(path: Path) -> list[tuple[int, dict[str, str]]]:
    from qcode.text.encoding import read_text_file

    try:
        reader = csv.DictReader(read_text_file(path).splitlines())
        return [
            (reader.line_num, {k.strip(): (v or "").strip() for k, v in row.items() if k})
            for row in reader
        ]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputFileError(path, _("cannot be read ({exc})").format(exc=exc)) from None


def edits_since_build(folder: str | Path) -> tuple[int, str]:
    """How many changes the project in ``folder`` holds that its build did not make, and the
    latest of them (``(0, "")`` when there is no project or it is as built). A project that was
    not made by a build counts all its changes."""
    folder = Path(folder)
    if not (folder / SETTINGS_FILE).is_file():
        return 0, ""
    with Project.open(folder) as p, p.read() as s:
        built = s.scalar(select(ProjectRow.built_event)) or 0
        count = s.scalar(select(func.count()).where(Event.id > built)) or 0
        last = s.execute(
            select(Event.actor, Event.at, Event.summary)
            .where(Event.id > built)
            .order_by(Event.id.desc())
        ).first()
    if not count or last is None:
        return 0, ""
    when = last.at.isoformat(sep=" ", timespec="minutes")
    return count, f"the latest by {last.actor} at {when} UTC: {last.summary}"


def check_unedited(folder: str | Path) -> None:
    """Refuse (one line, saying how to go on) when ``folder`` holds edits a build would lose."""
    folder = Path(folder)
    try:
        count, latest = edits_since_build(folder)
    except QcodeError as exc:
        raise ConflictError(
            _(
                "{folder}: cannot tell whether its project has edits ({exc}); "
                "'qcode build --force {folder}' rebuilds it anyway"
            ).format(folder=folder, exc=exc)
        ) from None
    if count:
        raise ConflictError(
            _(
                "{folder}: the project has {count} change(s) since it was built "
                "({latest}); rebuilding would discard them: 'qcode build --force "
                "{folder}' does so"
            ).format(folder=folder, count=count, latest=latest)
        )


def build(folder: str | Path, force: bool = False) -> Project:
    """Rebuild the project in ``folder`` from its text files; returns it open. Refused when the
    project there has changes since its build, unless ``force``."""
    folder = Path(folder).resolve()
    study_file = folder / "study.yaml"
    if not study_file.is_file():
        raise InputFileError(folder, _("has no study.yaml: not a buildable study folder"))
    study = _yaml(study_file) or {}
    if not isinstance(study, dict) or not study.get("name"):
        raise InputFileError(study_file, _("needs a 'name'"))
    userdict = str(study["userdict"]) if study.get("userdict") else None
    if userdict is not None and not (folder / userdict).is_file():
        raise InputFileError(
            study_file,
            _("userdict: no file {userdict!r} in {folder}").format(
                userdict=userdict, folder=folder
            ),
        )
    if not force:
        check_unedited(folder)
    with tempfile.TemporaryDirectory(prefix="qcode-build-") as tmp:
        target = Path(tmp) / "project"
        p = Project.init(
            target,
            name=str(study["name"]),
            language=str(study.get("language", "en")),
            user=study.get("user"),
        )
        if userdict is not None:
            p.settings.userdict = userdict  # relative to the project folder, i.e. this one
            save_settings(target, p.settings)
        try:
            _fill(p, folder)
            with p.Session() as s, s.begin():
                last = s.scalar(select(func.max(Event.id)))
                s.execute(update(ProjectRow).values(built_event=last))
        finally:
            p.close()
        if p.settings.user:  # the study's coder wrote its rows; whoever opens it codes as themself
            p.settings.user = None
            save_settings(target, p.settings)
        for name in (DB_FILE, f"{DB_FILE}-wal", f"{DB_FILE}-shm"):
            (folder / name).unlink(missing_ok=True)
        shutil.copy2(target / DB_FILE, folder / DB_FILE)
        shutil.copy2(target / SETTINGS_FILE, folder / SETTINGS_FILE)
    return Project.open(folder)


def _fill(p: Project, folder: Path) -> None:
    cases_file = folder / "cases.csv"
    rows = _csv(cases_file)
    if not rows:
        raise InputFileError(cases_file, _("has no cases"))
    for line, row in rows:
        case = row.pop("case", "")
        language = row.pop("language", "") or None
        if not case:
            raise InputFileError(cases_file, _("line {line}: missing case").format(line=line))
        transcript = folder / "transcripts" / f"{case}.txt"
        attrs = {k: v for k, v in row.items() if v}
        try:
            p.documents.import_files([transcript], case=case, attrs=attrs, language=language)
        except QcodeError as exc:
            raise InputFileError(
                cases_file, _("line {line}: {exc}").format(line=line, exc=exc)
            ) from None
    if (folder / "framework.yaml").is_file():
        p.framework.load(folder / "framework.yaml")
    if (folder / "codebook.yaml").is_file():
        _codebook(p, folder / "codebook.yaml")
    if (folder / "codings.csv").is_file():
        _codings(p, folder / "codings.csv")
    for memo_file in sorted((folder / "memos").glob("*.md")):
        _memo(p, memo_file)


def _codebook(p: Project, path: Path) -> None:
    book = _yaml(path) or {}

    def add(items: list[dict[str, Any]], parent: str | None, where: str) -> None:
        for i, item in enumerate(items or []):
            at = f"{where}/{i}"
            try:
                notes = {k: item[k] for k in NOTE_KEYS if k in item}
                code = p.codes.add(
                    str(item["name"]),
                    parent,
                    item.get("description", ""),
                    item.get("color"),
                    item.get("level", "open"),
                    **notes,
                )
                for link in item.get("links", []):
                    p.framework.link(
                        code.path, str(link["element"]), str(link.get("relation", "indicates"))
                    )
            except (QcodeError, KeyError, TypeError) as exc:
                raise InputFileError(path, f"{at}: {exc}") from None
            add(item.get("children", []), code.path, f"{at}/children")

    add(book.get("codes", []), None, "codes")
    try:
        if book.get("core"):
            p.structure.set_core(str(book["core"]))
    except QcodeError as exc:
        raise InputFileError(path, _("core: {exc}").format(exc=exc)) from None
    for i, rel in enumerate(book.get("relations", [])):
        try:
            p.structure.relate(
                str(rel["source"]),
                str(rel["type"]),
                str(rel["target"]),
                str(rel.get("comment", "")),
            )
        except (QcodeError, KeyError, TypeError) as exc:
            raise InputFileError(path, _("relations/{i}: {exc}").format(i=i, exc=exc)) from None


def _codings(p: Project, path: Path) -> None:
    reqs: list[CodingRequest] = []
    where: list[str] = []
    texts: dict[str, str] = {}
    for line, row in _csv(path):
        try:
            doc, code, coder = row["document"], row["code"], row.get("coder") or None
            if row.get("text"):
                if doc not in texts:
                    texts[doc] = p.documents.text(doc)
                needle = normalize(row["text"])
                nth = int(row.get("occurrence") or 1)
                pos = -1
                for _i in range(nth):
                    pos = texts[doc].find(needle, pos + 1)
                    if pos < 0:
                        raise InputFileError(
                            path,
                            _("line {line}: {v1!r} does not occur {nth} time(s) in {doc!r}").format(
                                line=line, v1=row["text"][:50], nth=nth, doc=doc
                            ),
                        )
                start, end = pos, pos + len(needle)
            else:
                start, end = int(row["start"]), int(row["end"])
        except (KeyError, ValueError) as exc:
            raise InputFileError(
                path, _("line {line}: bad row ({exc})").format(line=line, exc=exc)
            ) from None
        except InputFileError:
            raise
        except QcodeError as exc:
            raise InputFileError(path, _("line {line}: {exc}").format(line=line, exc=exc)) from None
        reqs.append(CodingRequest(doc, start, end, code, coder))
        where.append(f"{path}: line {line}")
    with p.change("build.codings") as ch:
        p.codings.apply_in(ch, reqs, create=False, where=where)
        ch.summary = f"code {len(reqs)} segment(s) from {path.name}"


def _memo(p: Project, path: Path) -> None:
    import yaml

    text = path.read_text(encoding="utf-8")
    meta: dict[str, Any] = {}
    body = text
    if text.startswith("---\n"):
        head, sep, rest = text[4:].partition("\n---\n")
        if not sep:
            raise InputFileError(path, _("front matter has no closing '---'"))
        try:
            meta = safe_load(head) or {}
        except yaml.YAMLError as exc:
            raise InputFileError(
                path, _("front matter: {v1}").format(v1=" ".join(str(exc).split()))
            ) from None
        body = rest.lstrip("\n")
    targets = []
    for link in meta.get("links", []):
        ((kind, ref),) = link.items()
        targets.append(Target(str(kind), str(ref)))
    try:
        p.memos.add(
            str(meta.get("title") or path.stem),
            body,
            str(meta.get("type", "free")),
            targets,
            meta.get("coder"),
        )
    except QcodeError as exc:
        raise InputFileError(path, str(exc)) from None
