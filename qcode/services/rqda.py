"""A new project from an RQDA project file (``qcode init DIR --from study.rqda``): RQDA's
project read as an exchange (:mod:`qcode.interchange.rqda`) and written as a ``.qdpx`` would be,
then its partial case links; all in a folder beside the target, renamed into place at the end."""

from __future__ import annotations

import shutil
from pathlib import Path

from qcode.errors import ConflictError, InputFileError, QcodeError
from qcode.interchange.rqda import read_rqda
from qcode.services.exchange import ImportReport, _fill
from qcode.services.project import Project
from qcode.services.scratch import scratch_dir
from qcode.store.models import Case, CaseLink, Document


def create_from_rqda(
    directory: str | Path,
    source: str | Path,
    name: str | None = None,
    language: str = "en",
    user: str | None = None,
) -> tuple[Project, ImportReport]:
    target = Path(directory)
    source = Path(source)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ConflictError(f"{target}: exists and is not empty; choose a new folder")
    rq = read_rqda(source)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = scratch_dir(target.parent)
    try:
        p = Project.init(tmp / "project", name=name or source.stem, language=language, user=user)
        try:
            report = _fill(p, rq.exchange, source)
            if rq.partial_links:
                with p.change("init.rqda", f"case links from {source.name}") as ch:
                    s = ch.session
                    case_id = dict(
                        s.execute(
                            Case.__table__.select().with_only_columns(Case.uuid, Case.id)
                        ).all()
                    )
                    doc_id = dict(
                        s.execute(
                            Document.__table__.select().with_only_columns(
                                Document.uuid, Document.id
                            )
                        ).all()
                    )
                    rows = {
                        (case_id[c], doc_id[d], a, b)
                        for c, d, a, b in rq.partial_links
                        if c in case_id and d in doc_id
                    }
                    ch.insert(
                        CaseLink,
                        [
                            {"case_id": c, "document_id": d, "start": a, "end": b}
                            for c, d, a, b in sorted(rows)
                        ],
                    )
                report.counts["case links"] = len(rows)
        finally:
            p.close()
        if target.exists():
            target.rmdir()
        (tmp / "project").rename(target)
    except QcodeError:
        raise
    except Exception as exc:  # a damaged file must not leave a half-made project
        raise InputFileError(source, f"cannot be imported ({type(exc).__name__}: {exc})") from exc
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return Project.open(target), report
