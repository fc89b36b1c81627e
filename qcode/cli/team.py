"""Working as a team: qcode merge."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from qcode.cli.app import app, project
from qcode.cli.options import ALL_ROWS
from qcode.cli.output import emit_json, note, ok, table, warn
from qcode.cli.progress import working
from qcode.i18n import N_, _, attribute_type, marked, ngettext, term


@app.command()
def merge(
    other: Path = typer.Argument(..., help=N_("Another coder's copy of the project (its folder).")),
    dry_run: bool = typer.Option(
        False, "--dry-run", help=N_("Report what would change; change nothing.")
    ),
    ours: bool = typer.Option(
        False, "--ours", help=N_("At a conflict keep this project's value (or its deletion).")
    ),
    theirs: bool = typer.Option(False, "--theirs", help=N_("At a conflict take the other's.")),
    json_: bool = typer.Option(False, "--json", help=N_("Print the report as JSON.")),
) -> None:
    """Bring in another coder's copy: documents matched by content, codes by GUID then path,
    duplicate codings dropped; three-way against the common ancestor (the copy's origin or the
    last merge), so deletions stay and one-sided edits win. Where both sides changed the same
    thing differently the merge stops, one line per conflict, exit 3, nothing changed, unless
    --ours or --theirs chooses. One undo step."""
    from qcode.errors import ConflictError, InvalidInputError
    from qcode.services.merge import MergeConflicts, merge_project

    if ours and theirs:
        raise InvalidInputError(_("give --ours or --theirs, not both"))
    take = "ours" if ours else "theirs" if theirs else None
    try:
        with working(_("merging {name}").format(name=Path(other).name)):
            res = merge_project(project(), other, dry_run, take)
    except MergeConflicts as exc:
        if json_:
            emit_json(exc.result.as_json())
        else:
            for line in exc.result.conflicts:
                warn(_("conflict: {line}").format(line=line))
        raise
    if json_:
        emit_json(res.as_json())
        if dry_run and res.conflicts and take is None:
            raise MergeConflicts(res)
        return
    added = _counts(res.added) or _("nothing")
    ok(
        (
            ngettext(
                "would add {added} from {other}; {duplicates} duplicate coding dropped",
                "would add {added} from {other}; {duplicates} duplicate codings dropped",
                res.duplicates,
            )
            if dry_run
            else ngettext(
                "added {added} from {other}; {duplicates} duplicate coding dropped",
                "added {added} from {other}; {duplicates} duplicate codings dropped",
                res.duplicates,
            )
        ).format(added=added, other=other, duplicates=res.duplicates)
    )
    changed = _counts(res.changed)
    if changed:
        would, did = _("would change (changed there): {v}"), _("changed (changed there): {v}")
        ok((would if dry_run else did).format(v=changed))
    matched = _counts(res.matched)
    if matched:
        ok(_("already here: {matched}").format(matched=matched))
    if res.ancestor is None:
        ok(_("no common ancestor known: merged as a union (nothing deleted)"))
    else:
        ok(_("common ancestor: {ancestor}").format(ancestor=res.ancestor))
    deleted = _counts(res.deleted)
    if deleted:
        would, did = _("would delete (deleted there): {v}"), _("deleted (deleted there): {v}")
        ok((would if dry_run else did).format(v=deleted))
    kept = _counts(res.kept_deleted)
    if kept:
        ok(_("still deleted here: {kept}").format(kept=kept))
    for line in res.conflicts:
        warn(_("conflict: {line}").format(line=line))
    for line in res.notes:
        warn(line)
    if dry_run and res.conflicts and take is None:
        raise ConflictError(
            ngettext(
                "the merge would stop at {n} conflict: choose with --ours (keep this "
                "project's) or --theirs (take the other's)",
                "the merge would stop at {n} conflicts: choose with --ours (keep this "
                "project's) or --theirs (take the other's)",
                len(res.conflicts),
            ).format(n=len(res.conflicts))
        )


# what a merge counts, by the keys of its JSON, as a person reads them
_KINDS = {
    "attributes": N_("attributes"),
    "cases": N_("cases"),
    "coders": N_("coders"),
    "codes": N_("codes"),
    "codings": N_("codings"),
    "documents": N_("documents"),
    "memos": N_("memos"),
    "relations": N_("relations"),
    "sets": N_("sets"),
    "summaries": N_("summaries"),
}


def _counts(counts: dict[str, int]) -> str:
    """``3 codes, 1 memos`` with the kinds in the interface's language."""
    return ", ".join(f"{v} {marked(_KINDS, k)}" for k, v in counts.items() if v)


def _num(v: float | None, digits: int = 3) -> str:
    return "n/a" if v is None else f"{v:.{digits}f}"


@app.command()
def agreement(
    coders: list[str] = typer.Option(..., "--coders", help=N_("Coders to compare: A,B[,C...]")),
    codes: list[str] = typer.Option([], "--codes", help=N_("Only these codes (comma-separated).")),
    docs: list[str] = typer.Option(
        [], "--docs", help=N_("Only these documents (comma-separated).")
    ),
    unit: str = typer.Option(
        "char",
        "--unit",
        help=N_("char, sentence, paragraph or turn (for alpha and Fleiss' kappa)."),
    ),
    show_disagreements: bool = typer.Option(
        False, "--disagreements", help=N_("Also list where the coders differ, with the text.")
    ),
    categories: list[str] = typer.Option(
        [],
        "--categories",
        help=N_("A set, or codes C1,C2,...: one nominal variable per unit (needs --unit)."),
    ),
    none_missing: bool = typer.Option(
        False, "--none-missing", help=N_("With --categories: a unit given none is missing.")
    ),
    attribute: str | None = typer.Option(
        None, "--attribute", help=N_("Alpha of the coders' values K@CODER of attribute K.")
    ),
    json_: bool = typer.Option(False, "--json", help=N_("Print JSON.")),
    _all_rows: bool = ALL_ROWS,
) -> None:
    """Inter-coder agreement: NVivo's character-level percent agreement and Cohen's kappa per code
    and document (totals as mean, length-weighted mean and pooled characters); Krippendorff's
    alpha per code on the unit (|u-alpha on characters), Fleiss' kappa for three or more coders;
    Krippendorff's unitizing alphas as ATLAS.ti reports them. With --categories: the codes as
    values of one variable; with --attribute: weighted alpha of coders' attribute values."""
    if none_missing and not categories:
        from qcode.errors import InvalidInputError

        raise InvalidInputError(_("--none-missing goes with --categories"))
    if categories or attribute is not None:
        _agreement_on_values(coders, categories, unit, docs, none_missing, attribute, json_)
        return
    from qcode.services.agreement import agreement as compute

    with working(_("computing agreement")):
        data = compute(project(), coders, codes, docs, unit, show_disagreements)
    if json_:
        emit_json(data)
        return
    _say_uncoded(data)
    table(
        _("character-level agreement (NVivo's coding comparison)"),
        [_("code"), _("document"), _("coders"), _("agreement %"), _("kappa")],
        [
            (
                r["code"],
                r["document"],
                f"{r['coder_a']} / {r['coder_b']}",
                _num(r["percent_agreement"], 2),
                _num(r["kappa"]),
            )
            for r in data["rows"]
        ],
        justify_right=[_("agreement %"), _("kappa")],
    )
    table(
        _("totals over documents"),
        [
            _("code"),
            _("coders"),
            _("mean %"),
            _("mean kappa"),
            _("weighted %"),
            _("weighted kappa"),
            _("pooled %"),
            _("pooled kappa"),
        ],
        [
            (
                t["code"],
                f"{t['coder_a']} / {t['coder_b']}",
                _num(t["mean"]["percent_agreement"], 2),
                _num(t["mean"]["kappa"]),
                _num(t["weighted"]["percent_agreement"], 2),
                _num(t["weighted"]["kappa"]),
                _num(t["pooled"]["percent_agreement"], 2),
                _num(t["pooled"]["kappa"]),
            )
            for t in data["totals"]["by_code"]
        ],
    )
    extra = ["fleiss_kappa"] if len(data["coders"]) >= 3 and unit != "char" else []
    table(
        _("Krippendorff's alpha ({v1})").format(
            v1="|u-alpha, characters" if unit == "char" else unit + "s"
        ),
        [_("code"), _("alpha"), *extra],
        [(a["code"], _num(a["alpha"]), *[_num(a.get(k)) for k in extra]) for a in data["alpha"]],
    )
    if "unitizing" in data:
        u = data["unitizing"]
        ok(
            _(
                "unitizing over all codes: u-alpha {u_alpha}, |u-alpha {binary}, "
                "cu-alpha {cu_alpha}"
            ).format(
                u_alpha=_num(u["u_alpha"]), binary=_num(u["binary"]), cu_alpha=_num(u["cu_alpha"])
            )
            + (f" ({u['overlap']})" if u.get("overlap") else "")
        )
        a = u.get("alpha_u_2004")
        if a:
            per = ", ".join(f"{k} {_num(v['alpha'])}" for k, v in a["per_code"].items())
            ok(
                _("{label}, not the same coefficient: {alpha}").format(
                    label=a["label"], alpha=_num(a["alpha"])
                )
                + (f" ({per})" if per else "")
            )
    for d in data.get("disagreements", []):
        warn(
            _("{document} [{start}, {end}) {code}: coded by {v1}, not by {v2}: {text!r}").format(
                document=d["document"],
                start=d["start"],
                end=d["end"],
                code=d["code"],
                v1=", ".join(d["coded_by"]),
                v2=", ".join(d["not_coded_by"]),
                text=d["text"],
            )
        )


def _agreement_on_values(
    coders: list[str],
    categories: list[str],
    unit: str,
    docs: list[str],
    none_missing: bool,
    attribute: str | None,
    json_: bool,
) -> None:
    from qcode.errors import InvalidInputError
    from qcode.services import agreement_values as values

    if categories and attribute is not None:
        raise InvalidInputError(_("--categories and --attribute are separate questions: give one"))
    if attribute is not None:
        data = values.attribute(project(), coders, attribute)
        if json_:
            emit_json(data)
            return
        table(
            _("Krippendorff's alpha of {attribute!r} ({scope} attribute, {type})").format(
                attribute=attribute, scope=term(data["scope"]), type=attribute_type(data["type"])
            ),
            [_("level"), _("alpha")],
            [(level, _num(v)) for level, v in data["alpha"].items()],
            justify_right=[_("alpha")],
        )
        ok(
            _("{units} {scope}s with a value, {pairable} with two or more").format(
                units=data["units"], scope=term(data["scope"]), pairable=data["pairable"]
            )
        )
        return
    data = values.category(project(), coders, categories, unit, docs, none_missing)
    if json_:
        emit_json(data)
        return
    ok(
        _(
            "categories {categories} as one variable per {unit}{none}: Krippendorff's alpha "
            "(nominal) {alpha}, Fleiss' kappa {kappa}; {units} units, {pairable} pairable, "
            "{complete} with every coder's value"
        ).format(
            categories=", ".join(data["categories"]),
            unit=unit,
            none=_(" (none is missing)") if none_missing else _(" (none is its own value)"),
            alpha=_num(data["alpha"]),
            kappa=_num(data["fleiss_kappa"]),
            units=data["units"],
            pairable=data["pairable"],
            complete=data["complete"],
        )
    )
    table(
        _("Cohen's kappa per pair of coders"),
        [_("coders"), _("units"), _("kappa")],
        [
            (f"{k['coder_a']} / {k['coder_b']}", k["units"], _num(k["kappa"]))
            for k in data["cohen_kappa"]
        ],
        justify_right=[_("units"), _("kappa")],
    )
    for c in data["conflicts"]:
        warn(
            _(
                "{coder} gave {document} {unit} {v1} [{start}, {end}) more than "
                "one category ({v2}): left out as missing"
            ).format(
                coder=c["coder"],
                document=c["document"],
                unit=unit,
                v1=c["unit"] + 1,
                start=c["start"],
                end=c["end"],
                v2=", ".join(c["codes"]),
            )
        )


@app.command()
def resolve(
    document: str = typer.Argument(..., help=N_("Document of the disagreement.")),
    code: str = typer.Argument(..., help=N_("Code of the disagreement.")),
    start: int = typer.Argument(..., help=N_("Start (code points).")),
    end: int = typer.Argument(..., help=N_("End (code points, exclusive).")),
    accept: str = typer.Option(
        ..., "--accept", help=N_("coded (everyone codes the range) or uncoded (no one does).")
    ),
    coders: list[str] = typer.Option(..., "--coders", help=N_("Whose codings to settle: A,B")),
    memo: str | None = typer.Option(
        None, "--memo", help=N_("Also record the discussion as a memo on the span and the code.")
    ),
) -> None:
    """Settle a disagreement found by `qcode agreement --disagreements` (one undo step)."""
    from qcode.services.agreement import resolve as settle

    ok(settle(project(), document, code, start, end, accept, coders, memo))
    if memo:
        ok(_("the discussion is a memo on the span and the code (undone with the settlement)"))


def _say_uncoded(data: dict[str, Any]) -> None:
    """A note for each coder who coded nothing in documents another coder coded: there the
    others' codings count as disagreement, which lowers every figure; how to compare only the
    documents every coder coded."""
    both = data.get("coded_by_all", [])
    for coder, docs in data.get("uncoded", {}).items():
        shown = ", ".join(docs[:8]) + (", …" if len(docs) > 8 else "")
        line = ngettext(
            "{coder} coded nothing in {n} document the others coded ({docs}): the others' "
            "codings there count as disagreement",
            "{coder} coded nothing in {n} documents the others coded ({docs}): the others' "
            "codings there count as disagreement",
            len(docs),
        ).format(coder=coder, n=len(docs), docs=shown)
        if both:
            line += _("; --docs {docs} compares only the documents every coder coded").format(
                docs=",".join(both)
            )
        note(line)
