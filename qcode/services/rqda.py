"""A new project from an RQDA project file (``qcode init DIR --from study.rqda``): RQDA's
project read as an exchange (:mod:`qcode.interchange.rqda`) and written as a ``.qdpx`` would be,
then its partial case links; all in a folder beside the target, renamed into place at the end."""

from __future__ import annotations

from pathlib import Path

from qcode.errors import ConflictError
from qcode.i18n import _
from qcode.interchange.rqda import read_rqda
from qcode.services.exchange import ImportReport, _fill
from qcode.services.project import Project
from qcode.services.scratch import build_in_scratch
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
        raise ConflictError(
            _("{target}: exists and is not empty; choose a new folder").format(target=target)
        )
    rq = read_rqda(source)

    def build(folder: Path) -> ImportReport:
        p = Project.init(folder, name=name or source.stem, language=language, user=user)
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
            return report
        finally:
            p.close()

    report = build_in_scratch(target, source, build)
    return Project.open(target), report
