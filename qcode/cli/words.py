"""Text tools: qcode words (frequencies, keyness) and qcode kwic (keyword in context)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from qcode.cli.app import app, project
from qcode.cli.options import ALL_ROWS, DOC, FORMAT, WHERE, check, write_csv
from qcode.cli.output import Listing, clip, emit_json, err, listing, ok, screenful, table
from qcode.cli.progress import working
from qcode.errors import InvalidInputError
from qcode.i18n import N_, _

FREQ_FIELDS = ("term", "count", "documents", "per_1000")
KEY_FIELDS = (
    "term",
    "count_a",
    "count_b",
    "documents_a",
    "documents_b",
    "per_1000_a",
    "per_1000_b",
    "g2",
    "p",
    "log_ratio",
    "overused_in",
)
KWIC_FIELDS = ("document", "start", "end", "left", "match", "right")


@app.command()
def words(
    doc: list[str] = DOC,
    where: list[str] = WHERE,
    code: str | None = typer.Option(
        None, "--code", help=N_("Count only the text coded with this code (and its sub-codes).")
    ),
    subcodes: bool = typer.Option(
        True, "--subcodes/--no-subcodes", help=N_("With --code: sub-codes' codings count too.")
    ),
    coder: list[str] = typer.Option(
        [], "--coder", help=N_("With --code: only these coders' codings (repeatable).")
    ),
    top: int = typer.Option(
        50, "--top", help=N_("Show the N most frequent (per group with --by; 0: all).")
    ),
    ngram: int = typer.Option(1, "--ngram", help=N_("1 (words), 2 or 3 (phrases).")),
    by: str | None = typer.Option(None, "--by", help=N_("Count per document or per case.")),
    compare: tuple[str, str] | None = typer.Option(
        None,
        "--compare",
        help=N_("Keyness: K=V K=V2, terms that set one group of documents apart from the other."),
    ),
    stopwords: bool = typer.Option(
        True,
        "--stopwords/--no-stopwords",
        help=N_("Leave out stop words (default); --no-stopwords counts them too."),
    ),
    userdict: Path | None = typer.Option(
        None,
        "--userdict",
        help=N_("Word list for Chinese (default: the project's [text] userdict)."),
    ),
    jobs: int = typer.Option(1, "--jobs", help=N_("Worker processes for large projects.")),
    format_: str = FORMAT,
    _all_rows: bool = ALL_ROWS,
) -> None:
    """Word and phrase frequencies (English by lemma, Chinese by word), or keyness between two
    groups of documents with --compare (log-likelihood G2 and log ratio)."""
    from qcode.services.words import WordsService

    check(format_)
    if jobs < 1:
        raise InvalidInputError(_("--jobs must be 1 or more"))
    service = WordsService(project())
    if compare is not None:
        if by is not None:
            raise InvalidInputError(_("--by and --compare do not go together"))
        res = service.keyness(
            compare[0],
            compare[1],
            doc,
            where,
            code,
            ngram,
            top,
            stopwords,
            userdict,
            coder,
            subcodes,
            jobs,
        )
        rows = res.as_json()
        if format_ == "json":
            emit_json(rows)
        elif format_ == "csv":
            write_csv(KEY_FIELDS, [[r[k] for k in KEY_FIELDS] for r in rows])
        else:
            table(
                _(
                    "keyness: A = {group_a} ({documents_a} documents, {size_a} {v1}) "
                    "against B = {group_b} ({documents_b} documents, {size_b} {v1})"
                ).format(
                    group_a=res.group_a,
                    documents_a=res.documents_a,
                    size_a=res.size_a,
                    v1=_unit(ngram),
                    group_b=res.group_b,
                    documents_b=res.documents_b,
                    size_b=res.size_b,
                ),
                [
                    _("term"),
                    "A",
                    "B",
                    _("A per 1,000"),
                    _("B per 1,000"),
                    "G2",
                    "p",
                    _("log ratio"),
                    _("more in"),
                ],
                [
                    [
                        r["term"],
                        r["count_a"],
                        r["count_b"],
                        f"{r['per_1000_a']:.2f}",
                        f"{r['per_1000_b']:.2f}",
                        f"{r['g2']:.2f}",
                        _p(r["p"]),
                        f"{r['log_ratio']:+.2f}",
                        "A" if r["overused_in"] == res.group_a else "B" if r["overused_in"] else "",
                    ]
                    for r in rows
                ],
                justify_right=[
                    "A",
                    "B",
                    _("A per 1,000"),
                    _("B per 1,000"),
                    "G2",
                    "p",
                    _("log ratio"),
                ],
            )
        return
    with working(_("counting words")):
        freqs = service.frequencies(
            doc, where, code, ngram, top, by, stopwords, userdict, coder, subcodes, jobs
        )
    if format_ == "json":
        out = []
        for f in freqs:
            row = {k: getattr(f, k) for k in FREQ_FIELDS}
            if by:
                row = {by: f.group, **row}
            out.append(row)
        emit_json(out)
        return
    fields = ([by] if by else []) + list(FREQ_FIELDS)
    cells = [[f.group if k == by else getattr(f, k) for k in fields] for f in freqs]
    if format_ == "csv":
        write_csv(fields, cells)
        return
    what = _("words") if ngram == 1 else _("{ngram}-word phrases").format(ngram=ngram)
    what += _(" coded {code!r}").format(code=code) if code else ""
    what += _(" by {by}").format(by=by) if by else ""
    table(
        what,
        [*([by] if by else []), _("term"), _("count"), _("documents"), _("per 1,000")],
        [[*r[:-1], f"{r[-1]:.2f}"] for r in cells],
        justify_right=[_("count"), _("documents"), _("per 1,000")],
    )


def _unit(ngram: int) -> str:
    return _("words") if ngram == 1 else _("phrases")


def _p(p: float) -> str:
    return "<0.0001" if p < 0.0001 else f"{p:.4f}"


@app.command()
def kwic(
    term: str = typer.Argument(..., help=N_("Word or phrase (or, with --regex, a pattern).")),
    is_regex: bool = typer.Option(False, "--regex", help=N_("TERM is a regular expression.")),
    window: int = typer.Option(40, "--window", help=N_("Characters of context each side.")),
    doc: list[str] = DOC,
    where: list[str] = WHERE,
    code: str | None = typer.Option(
        None, "--code", help=N_("Also code every hit with this code (one undo step).")
    ),
    unit: str | None = typer.Option(
        None,
        "--unit",
        help=N_("With --code: code the sentence, paragraph or turn around each hit."),
    ),
    coder: str | None = typer.Option(
        None, "--coder", help=N_("With --code: code as this coder (default: your user name).")
    ),
    format_: str = FORMAT,
    _all_rows: bool = ALL_ROWS,
) -> None:
    """Keyword in context: every occurrence of TERM with the text around it (ignoring case;
    whole words in alphabetic scripts, anywhere in Chinese)."""
    from qcode.services.words import WordsService

    check(format_)
    if code is None and (unit is not None or coder is not None):
        raise InvalidInputError(_("--unit and --coder go with --code"))
    service = WordsService(project())
    how = listing()
    if format_ == "table" and not how.all:  # a screenful's context, every hit counted
        hits, total, n_docs = service.kwic_page(term, is_regex, window, doc, where, screenful())
    else:
        hits = service.kwic(term, is_regex, window, doc, where)
        total, n_docs = len(hits), len({h["document"] for h in hits})
    done = None
    if code is not None:
        done = service.code_hits(term, code, is_regex, unit, coder, doc, where)
    if format_ == "json":
        emit_json(hits)
    elif format_ == "csv":
        write_csv(KWIC_FIELDS, [[h[k] for k in KWIC_FIELDS] for h in hits])
    else:
        _concordance(hits, term, how, total, n_docs)
    if done is not None:
        where_to = f" ({done.unit}s around the hits)" if done.unit else ""
        message = (
            f"coded {done.made} segment(s){where_to} with {done.code!r} as {done.coder}"
            + (f"; {done.existing} already coded" if done.existing else "")
            + (f"; {done.outside} hit(s) in no {done.unit} left uncoded" if done.outside else "")
        )
        if format_ != "table":  # keep standard output to the data
            err.print(message, markup=False)
        else:
            ok(message)


def _tail_cells(text: str, width: int) -> str:
    """The longest end of ``text`` that fits in ``width`` terminal cells."""
    from rich.cells import cell_len

    if _one_cell_each(text):  # the usual case, sliced at once
        return text[max(len(text) - width, 0) :] if width > 0 else ""
    while cell_len(text) > width:  # emoji sequences and CJK: measured as the table measures them
        text = text[1:]
    return text


def _head_cells(text: str, width: int) -> str:
    """The longest start of ``text`` that fits in ``width`` terminal cells."""
    from rich.cells import cell_len

    if _one_cell_each(text):
        return text[: max(width, 0)]
    while cell_len(text) > width:
        text = text[:-1]
    return text


def _one_cell_each(text: str) -> bool:
    """Whether every character of ``text`` takes one terminal cell (printable ASCII, and the
    line-break mark the concordance shows)."""
    rest = text.replace("⏎", "")
    return rest.isascii() and rest.isprintable()


def _concordance(
    hits: list[dict[str, Any]], term: str, how: Listing, total: int, n_docs: int
) -> None:
    """One line per hit: the context trimmed to the terminal's width around the match."""
    from rich.cells import cell_len
    from rich.table import Table

    from qcode.cli.output import cell, cells, out

    def flat(text: str) -> str:
        return text.replace("\n", " ⏎ ")

    from qcode.text.safety import visible

    streamed = how.all
    if not streamed and total > screenful():  # one screenful; the rest counted (see table())
        hits = hits[: screenful()]
    shown = [(h["document"], f"{h['start']}-{h['end']}", clip(h["match"], 40)) for h in hits]
    # the document and range columns, and 3 cells of padding and rule around each column
    fixed = max([8, *(cell_len(d) for d, _, _ in shown)])
    fixed += max([5, *(len(r) for _, r, _ in shown)]) + 15
    title = _("{total} hit(s) of {term!r} in {n} document(s)").format(
        total=total, term=term, n=n_docs
    )
    t = Table(
        title=cell(title),
        show_edge=False,
        header_style="bold",
    )
    for name, justify in ((_("document"), "left"), (_("range"), "right"), (_("left"), "right")):
        t.add_column(name, justify=justify, no_wrap=True)  # type: ignore[arg-type]
    t.add_column(_("match"), no_wrap=True, style="bold")
    t.add_column(_("right"), no_wrap=True)
    dw = max([0, *(cell_len(d) for d, _, _ in shown)])
    rw = max([0, *(len(r) for _, r, _ in shown)])
    if streamed:
        out.file.write(str(cell(title)) + "\n")
    side_of = max(out.width, 60) - fixed  # the terminal's width asked once, not per hit
    for h, (doc, span, match) in zip(hits, shown, strict=True):
        side = max(8, (side_of - max(5, cell_len(match))) // 2)
        left = _tail_cells(flat(h["left"]), side)
        right = _head_cells(flat(h["right"]), side)
        if streamed:  # every hit, a line each, as it is trimmed (a table would measure them all)
            d, r, lt, m, rt = (visible(str(c), True) for c in (doc, span, left, match, right))
            pad = " " * max(side - cell_len(lt), 0)
            out.file.write(f"{d}{' ' * (dw - cell_len(d))}  {r:>{rw}}  {pad}{lt} {m} {rt}\n")
        else:
            t.add_row(*cells((doc, span, left, match, right)))
    if not streamed:
        out.print(t)
    if total > len(hits):
        err.print(
            _(
                "... {v1:,} more hit(s) not shown: --all prints every hit; "
                "--format csv gives them to other programs"
            ).format(v1=total - len(hits)),
            markup=False,
        )
