"""Auto-coding through a review queue (``qcode autocode RULES``, ``qcode review``).

Rules (``schemas/rules.schema.json``) find text by terms, a regular expression, spaCy token
patterns or a dictionary category, and propose a code for the match or for the sentence, paragraph
or turn around it. A run stores its proposals as :class:`~qcode.store.models.Suggestion` rows,
pending; a coder accepts (the suggestion becomes a coding by that coder, the rule kept on the
suggestion), rejects or adjusts each. ``--apply`` accepts every proposal of the run at once, in the
same single change, so ``qcode undo`` takes the whole run back; ``qcode review revert RUN`` removes
a run and every coding accepted from it in one change.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from qcode.errors import InputFileError, InvalidInputError, NotFoundError
from qcode.i18n import _
from qcode.services.changes import Change
from qcode.services.codes import CodeTree
from qcode.services.framework import schema
from qcode.services.project import Project
from qcode.store.models import (
    AutocodeRun,
    Coder,
    Coding,
    Document,
    Segment,
    Suggestion,
    utcnow,
)
from qcode.text.offsets import snap_range
from qcode.text.yamlfile import safe_load

UNITS = ("match", "sentence", "paragraph", "turn")


@dataclass
class Rule:
    name: str
    code: str
    unit: str
    find: Any  # a callable text, language -> list of (start, end)
    spec: dict[str, Any]


@dataclass
class RunReport:
    run: int
    name: str
    proposed: int
    applied: int
    skipped_existing: int
    by_rule: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class SuggestionInfo:
    id: int
    run: int
    document: str
    code: str
    start: int
    end: int
    text: str
    rule: str
    status: str

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


# -- rules ----------------------------------------------------------------------------------------
def load_rules(path: Path, roots: Sequence[Path] = ()) -> tuple[str, list[Rule]]:
    """Parse and check a rules file; every problem is one line naming the file and the rule.
    A rule's ``dictionary`` is looked for in the rules file's folder or in ``roots`` (the
    project folder), nowhere else."""
    import jsonschema
    import yaml

    if not path.is_file():
        raise InputFileError(path, _("no such file") if not path.exists() else _("is not a file"))
    try:
        text = path.read_text(encoding="utf-8-sig")
        data = json.loads(text) if path.suffix.lower() == ".json" else safe_load(text)
    except (UnicodeDecodeError, json.JSONDecodeError, yaml.YAMLError) as exc:
        raise InputFileError(
            path, _("cannot be parsed ({v1})").format(v1=" ".join(str(exc).split()))
        ) from None
    validator = jsonschema.Draft202012Validator(schema("rules.schema.json"))
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        e = errors[0]
        where = "/".join(str(p) for p in e.absolute_path) or "(top level)"
        message = e.message
        if e.validator == "oneOf":
            message = "give exactly one of terms, regex, patterns, or dictionary with category"
        raise InputFileError(path, f"{where}: {message}")
    rules = []
    for i, spec in enumerate(data["rules"]):
        name = spec.get("name") or f"rule {i + 1}"
        rules.append(
            Rule(
                name,
                spec["code"],
                spec.get("unit", "match"),
                _finder(path, name, spec, roots),
                spec,
            )
        )
    return str(data.get("name") or path.stem), rules


def _finder(path: Path, name: str, spec: dict[str, Any], roots: Sequence[Path]) -> Any:
    import regex

    flags = 0 if spec.get("case_sensitive") else regex.IGNORECASE
    if "terms" in spec:
        parts = []
        for term in spec["terms"]:
            body = r"\s+".join(regex.escape(w) for w in term.split())
            # whole words where the term starts or ends with a letter of an alphabetic script
            lead = r"(?<![\p{L}\p{N}])" if regex.match(r"[\p{Latin}\p{N}]", term) else ""
            trail = r"(?![\p{L}\p{N}])" if regex.search(r"[\p{Latin}\p{N}]$", term) else ""
            parts.append(lead + body + trail)
        rx = regex.compile("|".join(parts), flags)
        return lambda text, _lang: [m.span() for m in rx.finditer(text)]
    if "regex" in spec:
        try:
            rx = regex.compile(spec["regex"], flags)
        except regex.error as exc:
            raise InputFileError(
                path,
                _("rule {name!r}: invalid regular expression ({exc})").format(name=name, exc=exc),
            ) from None
        return lambda text, _lang: [m.span() for m in rx.finditer(text) if m.end() > m.start()]
    if "patterns" in spec:
        return _pattern_finder(path, name, spec["patterns"])
    return _dictionary_finder(path, name, spec, roots)


def _pattern_finder(path: Path, name: str, patterns: list[Any]) -> Any:
    from spacy.matcher import Matcher

    from qcode.text.tokens import pipeline

    def check(language: str) -> Any:
        nlp = pipeline(language)
        matcher = Matcher(nlp.vocab, validate=True)
        try:
            matcher.add(name, patterns)
        except (ValueError, KeyError, TypeError) as exc:
            problem = " ".join(str(exc).split())[:300]
            raise InputFileError(
                path,
                _("rule {name!r}: invalid spaCy pattern ({problem})").format(
                    name=name, problem=problem
                ),
            ) from None
        return nlp, matcher

    check("en")  # refuse a bad pattern before anything runs

    def find(text: str, language: str) -> list[tuple[int, int]]:
        nlp, matcher = check(language)
        nlp.max_length = max(nlp.max_length, len(text) + 1)
        doc = nlp(text)
        return [(doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text)) for _, s, e in matcher(doc)]

    return find


def _dictionary_file(path: Path, name: str, ref: str, roots: Sequence[Path]) -> Path:
    """The dictionary ``ref`` of rule ``name``, inside the rules file's folder or a root (links
    followed first, so none leads out)."""
    folders = [path.parent.resolve(), *(Path(r).resolve() for r in roots)]
    for folder in folders:
        file = (folder / ref).resolve()
        if file.is_relative_to(folder) and file.is_file():
            return file
    inside = any((f / ref).resolve().is_relative_to(f) for f in folders)
    raise InputFileError(
        path,
        (
            _("rule {name!r}: dictionary {ref!r} does not exist")
            if inside
            else _(
                "rule {name!r}: dictionary {ref!r} is outside the rules file's folder "
                "and the project folder; refused"
            )
        ).format(name=name, ref=ref),
    )


def _dictionary_finder(path: Path, name: str, spec: dict[str, Any], roots: Sequence[Path]) -> Any:
    from qcode.analysis import dictionary as dic

    ref = spec["dictionary"]
    file = _dictionary_file(path, name, ref, roots)
    try:
        d = dic.load_dictionary(file)
    except InputFileError:  # its message may quote the file: say where to see it instead
        raise InputFileError(
            path,
            _(
                "rule {name!r}: dictionary {ref!r} is not a usable dictionary "
                "file ('qcode dict check {ref}' says why)"
            ).format(name=name, ref=ref),
        ) from None
    category = spec["category"]
    if category not in d.categories:
        raise InputFileError(
            path,
            _("rule {name!r}: no category {category!r} in {name2}").format(
                name=name, category=category, name2=file.name
            ),
        )

    def find(text: str, language: str) -> list[tuple[int, int]]:
        return [
            (m.start, m.end)
            for m in dic.find_matches(d, {"_": text}, {"_": language})
            if m.category == category
        ]

    return find


# -- running --------------------------------------------------------------------------------------
def run_rules(
    p: Project,
    path: str | Path,
    docs: Sequence[str] = (),
    where: Sequence[str] = (),
    apply: bool = False,
) -> RunReport:
    """Run the rules of ``path`` over the documents in scope; one change."""
    path = Path(path)
    name, rules = load_rules(path, (p.root,))
    with p.read() as s:
        tree = CodeTree(s.connection())
        for r in rules:
            try:
                tree.resolve(r.code)
            except NotFoundError:
                raise InputFileError(
                    path, _("rule {name!r}: no code {code!r}").format(name=r.name, code=r.code)
                ) from None
    scope = p.analysis.documents_in_scope(list(where), list(docs))
    with p.change("autocode", f"auto-code with {name!r}") as ch:
        c = ch.conn
        tree = CodeTree(c)
        coder = p.ensure_coder(ch, None)
        run_id = ch.insert_one(
            AutocodeRun,
            name=name,
            source=path.name,
            rules={"rules": [r.spec for r in rules]},
            coder_id=coder,
        )
        rows: list[dict[str, Any]] = []
        report = RunReport(run_id, name, 0, 0, 0)
        doc_rows = c.execute(
            select(Document.id, Document.uuid, Document.name, Document.language)
            .where(Document.id.in_(list(scope)))
            .order_by(Document.name)
        ).all()
        for d in doc_rows:
            text = p.text_of(c, d)
            have = {
                (r.code_id, r.start, r.end)
                for r in c.execute(
                    select(Coding.code_id, Coding.start, Coding.end).where(
                        Coding.document_id == d.id, Coding.coder_id == coder
                    )
                )
            }
            units = {
                u: [
                    (r.start, r.end)
                    for r in c.execute(
                        select(Segment.start, Segment.end)
                        .where(Segment.document_id == d.id, Segment.kind == u)
                        .order_by(Segment.start)
                    )
                ]
                for u in {r.unit for r in rules if r.unit != "match"}
            }
            seen: set[tuple[int, int, int]] = set()
            for r in rules:
                code_id = tree.resolve(r.code)
                for a, b in r.find(text, d.language):
                    if r.unit != "match":
                        around = _around(units[r.unit], a)
                        if around is None:
                            continue
                        a, b = around
                    a, b = snap_range(text, a, b)
                    if b <= a or (code_id, a, b) in seen:
                        continue
                    seen.add((code_id, a, b))
                    if (code_id, a, b) in have:
                        report.skipped_existing += 1
                        continue
                    rows.append(
                        {
                            "run_id": run_id,
                            "document_id": d.id,
                            "code_id": code_id,
                            "start": a,
                            "end": b,
                            "rule": r.name[:300],
                            "status": "pending",
                            "_text": text[a:b],
                        }
                    )
                    report.by_rule[r.name] = report.by_rule.get(r.name, 0) + 1
        report.proposed = len(rows)
        texts = [row.pop("_text") for row in rows]
        if apply:
            now = utcnow()
            codings = ch.insert_full(
                Coding,
                [
                    {
                        "document_id": row["document_id"],
                        "code_id": row["code_id"],
                        "coder_id": coder,
                        "start": row["start"],
                        "end": row["end"],
                        "text": t,
                    }
                    for row, t in zip(rows, texts, strict=True)
                ],
            )
            for row, cod in zip(rows, codings, strict=True):
                row.update(status="accepted", coding_id=cod["id"], reviewer_id=coder, reviewed=now)
            report.applied = len(rows)
        ch.insert(Suggestion, rows)
        ch.summary = f"auto-code with {name!r}: {len(rows)} " + (
            "coding(s) applied" if apply else "suggestion(s) queued"
        )
    return report


def _around(units: list[tuple[int, int]], pos: int) -> tuple[int, int] | None:
    import bisect

    i = bisect.bisect_right(units, (pos, 1 << 62)) - 1
    if i >= 0 and units[i][0] <= pos < units[i][1]:
        return units[i]
    return None


# -- the queue ------------------------------------------------------------------------------------
def suggestions(
    p: Project, run: int | None = None, status: str | None = "pending"
) -> list[SuggestionInfo]:
    with p.read() as s:
        c = s.connection()
        tree = CodeTree(c)
        q = select(Suggestion, Document.name.label("doc")).join(
            Document, Document.id == Suggestion.document_id
        )
        texts: dict[int, str] = {}
        if run is not None:
            q = q.where(Suggestion.run_id == run)
        if status:
            q = q.where(Suggestion.status == status)
        out = []
        for r in c.execute(q.order_by(Document.name, Suggestion.start, Suggestion.id)):
            if r.document_id not in texts:
                texts[r.document_id] = (
                    c.scalar(select(Document.text).where(Document.id == r.document_id)) or ""
                )
            text = texts[r.document_id]
            out.append(
                SuggestionInfo(
                    r.id,
                    r.run_id,
                    r.doc,
                    tree.path(r.code_id),
                    r.start,
                    r.end,
                    text[r.start : r.end],
                    r.rule,
                    r.status,
                )
            )
        return out


def _pending(ch: Change, ids: Sequence[int]) -> list[Any]:
    rows = ch.conn.execute(select(Suggestion).where(Suggestion.id.in_(list(ids)))).all()
    found = {r.id: r for r in rows}
    for i in ids:
        if i not in found:
            raise NotFoundError(_("no suggestion {i}").format(i=i))
        if found[i].status != "pending":
            raise InvalidInputError(
                _("suggestion {i} is already {status}").format(i=i, status=found[i].status)
            )
    return [found[i] for i in ids]


def accept(p: Project, ids: Sequence[int]) -> int:
    """Accept suggestions: each becomes a coding by the current coder; one change."""
    ids = list(dict.fromkeys(ids))
    with p.change("review.accept", f"accept {len(ids)} suggestion(s)") as ch:
        rows = _pending(ch, ids)
        coder = p.ensure_coder(ch, None)
        now = utcnow()
        for r in rows:
            text = ch.conn.scalar(select(Document.text).where(Document.id == r.document_id)) or ""
            existing = ch.conn.scalar(
                select(Coding.id).where(
                    Coding.document_id == r.document_id,
                    Coding.code_id == r.code_id,
                    Coding.coder_id == coder,
                    Coding.start == r.start,
                    Coding.end == r.end,
                )
            )
            # an identical coding already there is not the suggestion's to take back on revert
            coding = (
                None
                if existing
                else ch.insert_one(
                    Coding,
                    document_id=r.document_id,
                    code_id=r.code_id,
                    coder_id=coder,
                    start=r.start,
                    end=r.end,
                    text=text[r.start : r.end],
                )
            )
            ch.update(
                Suggestion,
                [r.id],
                status="accepted",
                coding_id=coding,
                reviewer_id=coder,
                reviewed=now,
            )
    return len(ids)


def reject(p: Project, ids: Sequence[int]) -> int:
    ids = list(dict.fromkeys(ids))
    with p.change("review.reject", f"reject {len(ids)} suggestion(s)") as ch:
        _pending(ch, ids)
        coder = p.ensure_coder(ch, None)
        ch.update(Suggestion, ids, status="rejected", reviewer_id=coder, reviewed=utcnow())
    return len(ids)


def adjust(p: Project, sid: int, start: int, end: int) -> SuggestionInfo:
    """Move a pending suggestion's range (snapped to whole graphemes)."""
    with p.change("review.adjust") as ch:
        [r] = _pending(ch, [sid])
        text = ch.conn.scalar(select(Document.text).where(Document.id == r.document_id)) or ""
        if not 0 <= start < end <= len(text):
            raise InvalidInputError(
                _("range [{start}, {end}) is outside the document").format(start=start, end=end)
            )
        a, b = snap_range(text, start, end)
        ch.update(Suggestion, [sid], start=a, end=b)
        ch.summary = f"adjust suggestion {sid} to [{a}, {b})"
    return next(s for s in suggestions(p, status=None) if s.id == sid)


def runs(p: Project) -> list[dict[str, Any]]:
    with p.read() as s:
        c = s.connection()
        out = []
        for r in c.execute(
            select(
                AutocodeRun.id,
                AutocodeRun.name,
                AutocodeRun.source,
                AutocodeRun.created,
                Coder.name.label("coder"),
            )
            .join(Coder, Coder.id == AutocodeRun.coder_id)
            .order_by(AutocodeRun.id)
        ):
            counts: dict[str, int] = {}
            for st in c.scalars(select(Suggestion.status).where(Suggestion.run_id == r.id)):
                counts[st] = counts.get(st, 0) + 1
            out.append(
                {
                    "run": r.id,
                    "name": r.name,
                    "source": r.source,
                    "coder": r.coder,
                    "created": r.created.isoformat(timespec="seconds"),
                    **counts,
                }
            )
        return out


def revert(p: Project, run: int) -> int:
    """Take a whole run back: the codings accepted from it and its suggestions; one change."""
    with p.change("review.revert") as ch:
        name = ch.conn.scalar(select(AutocodeRun.name).where(AutocodeRun.id == run))
        if name is None:
            raise NotFoundError(_("no auto-coding run {run}").format(run=run))
        rows = ch.conn.execute(select(Suggestion).where(Suggestion.run_id == run)).all()
        made = {
            r.coding_id: (r.document_id, r.code_id, r.reviewer_id, r.start, r.end)
            for r in rows
            if r.coding_id is not None
        }
        # a coding removed since may have left its id to another one: only the very coding the
        # suggestion made (same document, code, coder and range) goes
        present = [
            c.id
            for c in ch.conn.execute(
                select(
                    Coding.id,
                    Coding.document_id,
                    Coding.code_id,
                    Coding.coder_id,
                    Coding.start,
                    Coding.end,
                ).where(Coding.id.in_(list(made)))
            )
            if made[c.id] == (c.document_id, c.code_id, c.coder_id, c.start, c.end)
        ]
        ch.detach_codings(present)
        ch.delete(Coding, present)
        ch.delete(Suggestion, [r.id for r in rows])
        ch.delete(AutocodeRun, [run])
        ch.summary = f"revert auto-coding run {run} ({name!r}): {len(present)} coding(s) removed"
    return len(present)
