"""The history's summaries ("add code 'rent'", "import P01.txt as 'P01'" ...) in the interface's
language, as they are shown.

A summary is stored in English, as every version of qcode wrote it (projects and their
summaries stay as they are, and a team's members may speak different languages); it is
translated when shown: matched against the English forms below, each with named placeholders,
and written in the form the catalogue gives, with the matched values as they were stored. A
summary that matches none (one written by another tool, or a form this version does not know)
is shown as it is stored. ``tests/test_i18n.py`` checks that every summary the services write
has its form here.
"""

from __future__ import annotations

import functools
import re

from qcode.i18n import N_, _, attribute_type, current, pgettext, term

FORMS = (
    N_("settle {path!r} in {document!r} [{start}, {end}) as {verb} for {coders}"),
    N_("define {scope} attribute {name!r} ({type})"),
    N_("set {values} on {scope} {owner!r}"),
    N_("unset {names} on {scope} {owner!r}"),
    N_("add case {name!r}"),
    N_("rename case {name!r} to {new!r}"),
    N_("delete case {name!r}"),
    N_("put document {document!r} in case {case!r}"),
    N_("auto-code with {name!r}: {n} coding(s) applied"),
    N_("auto-code with {name!r}: {n} suggestion(s) queued"),
    N_("auto-code with {name!r}"),
    N_("adjust suggestion {id} to [{start}, {end})"),
    N_("revert auto-coding run {run} ({name!r}): {n} coding(s) removed"),
    N_("accept {n} suggestion(s)"),
    N_("reject {n} suggestion(s)"),
    N_("code {n} segment(s) from {file}"),
    N_("import codebook {file}: added {added}, updated {updated}"),
    N_("add code {name!r}"),
    N_("rename code {path!r} to {new!r}"),
    N_("edit code {path!r}"),
    N_("move code {path!r} under the top"),
    N_("move code {path!r} under {parent}"),
    N_("merge code {source!r} into {target!r}"),
    N_("delete code {path!r} and {n} sub-code(s)"),
    N_("delete code {path!r}"),
    N_("code {n} segment(s)"),
    N_("code {document!r} [{start}, {end}) with {code!r}"),
    N_("code {document!r} [{start}, {end}) in vivo with {name!r}"),
    N_("remove {n} coding(s)"),
    N_("rename document {name!r} to {new!r}"),
    N_("delete document {name!r}"),
    N_("import {file} as {name!r}"),
    N_("import {files}: {documents} documents, {cases} cases"),
    N_("load framework {name!r} from {file}"),
    N_("link {path!r} to {dimension}/{element}"),
    N_("unlink {code!r} from {dimension}/{element}"),
    N_("add memo {title!r}"),
    N_("link memo {id}"),
    N_("edit memo {id}"),
    N_("delete memo {title!r}"),
    N_("code {n} query result(s) with {path!r}: {query}"),
    N_("queue {n} query result(s) for {path!r}: {query}"),
    N_("add relation type {name!r}"),
    N_("relate {source!r} {type} {target!r}"),
    N_("edit relation {id}"),
    N_("remove relation {id}"),
    N_("make {path!r} the core category"),
    N_("summarise {path!r} for {kind} {row!r}"),
    N_("mark segments of summary {id}"),
    N_("unmark segments of summary {id}"),
    N_("delete the summary of {path!r} for {kind} {row!r}"),
    N_("code {n} hit(s) of {term!r} with {path!r}"),
    N_("add coder {name!r}"),
    N_("edit coder {name!r}"),
    N_("create from {file}"),
    N_("merge {file}"),
    N_("case links from {file}"),
    N_("save query {name!r}: {query}"),
    N_("delete set {name!r}"),
)
NUMBERS = {"n", "start", "end", "id", "run", "added", "updated", "documents", "cases"}
PLACEHOLDER = re.compile(r"{(\w+)(![rsa])?}")


@functools.cache
def _patterns() -> list[tuple[re.Pattern[str], str]]:
    """Each form as a pattern that matches a whole summary, the most specific first (the most
    words of its own)."""
    out = []
    for form in FORMS:
        parts, pos = [], 0
        for m in PLACEHOLDER.finditer(form):
            parts.append(re.escape(form[pos : m.start()]))
            name = m.group(1)
            value = r"\d+" if name in NUMBERS else r"'.*?'|\".*?\"" if m.group(2) else r".+?"
            parts.append(f"(?P<{name}>{value})")
            pos = m.end()
        parts.append(re.escape(form[pos:]))
        out.append((re.compile("".join(parts), re.DOTALL), form))
    return sorted(out, key=lambda p: -len(PLACEHOLDER.sub("", p[1])))


def _value(name: str, value: str) -> str:
    """A value as the summary stored it; a word of qcode's own (a scope, an attribute's type, a
    verdict) in the interface's language."""
    if name in ("scope", "kind"):
        return term(value)
    if name == "type" and value in ("text", "number", "date", "boolean"):
        return attribute_type(value)
    if name == "verb":
        return {
            "coded": pgettext("verdict", "coded"),
            "not coded": pgettext("verdict", "not coded"),
        }.get(value, value)
    return value


def _fill(form: str, values: dict[str, str]) -> str:
    return PLACEHOLDER.sub(lambda p: values.get(p.group(1), p.group(0)), form)


def shown(summary: str) -> str:
    """A stored summary in the interface's language (as stored where no form matches it)."""
    if current() == "en" or not summary:
        return summary
    for pattern, form in _patterns():
        m = pattern.fullmatch(summary)
        if m is not None:
            values = {k: _value(k, v) for k, v in m.groupdict().items()}
            return _fill(_(form), values)
    return summary


def action_label(action: str) -> str:
    """An action of the history (stored as the services name it) in the interface's language:
    in English the name itself, in a translation what the step did; as stored when unknown."""
    if current() == "en":
        return action
    return _action_labels(current()).get(action, action)


@functools.cache
def _action_labels(_language: str) -> dict[str, str]:
    """Every action's label in ``_language`` (the current one), made once, not for each row of
    the log."""
    return {
        "agreement.resolve": pgettext("history action", "agreement.resolve"),
        "attrs.define": pgettext("history action", "attrs.define"),
        "attrs.set": pgettext("history action", "attrs.set"),
        "attrs.unset": pgettext("history action", "attrs.unset"),
        "autocode": pgettext("history action", "autocode"),
        "build.codings": pgettext("history action", "build.codings"),
        "cases.add": pgettext("history action", "cases.add"),
        "cases.assign": pgettext("history action", "cases.assign"),
        "cases.delete": pgettext("history action", "cases.delete"),
        "cases.rename": pgettext("history action", "cases.rename"),
        "code": pgettext("history action", "code"),
        "code.file": pgettext("history action", "code.file"),
        "code.in_vivo": pgettext("history action", "code.in_vivo"),
        "codebook.import": pgettext("history action", "codebook.import"),
        "coders.add": pgettext("history action", "coders.add"),
        "coders.edit": pgettext("history action", "coders.edit"),
        "codes.add": pgettext("history action", "codes.add"),
        "codes.delete": pgettext("history action", "codes.delete"),
        "codes.edit": pgettext("history action", "codes.edit"),
        "codes.merge": pgettext("history action", "codes.merge"),
        "codes.move": pgettext("history action", "codes.move"),
        "codes.rename": pgettext("history action", "codes.rename"),
        "core": pgettext("history action", "core"),
        "docs.delete": pgettext("history action", "docs.delete"),
        "docs.rename": pgettext("history action", "docs.rename"),
        "framework.link": pgettext("history action", "framework.link"),
        "framework.load": pgettext("history action", "framework.load"),
        "framework.unlink": pgettext("history action", "framework.unlink"),
        "import": pgettext("history action", "import"),
        "import.sheet": pgettext("history action", "import.sheet"),
        "init.qdpx": pgettext("history action", "init.qdpx"),
        "init.rqda": pgettext("history action", "init.rqda"),
        "kwic.code": pgettext("history action", "kwic.code"),
        "memos.add": pgettext("history action", "memos.add"),
        "memos.delete": pgettext("history action", "memos.delete"),
        "memos.edit": pgettext("history action", "memos.edit"),
        "memos.link": pgettext("history action", "memos.link"),
        "merge": pgettext("history action", "merge"),
        "query.code": pgettext("history action", "query.code"),
        "query.queue": pgettext("history action", "query.queue"),
        "relate": pgettext("history action", "relate"),
        "relations.edit": pgettext("history action", "relations.edit"),
        "relations.remove": pgettext("history action", "relations.remove"),
        "relations.type": pgettext("history action", "relations.type"),
        "review.accept": pgettext("history action", "review.accept"),
        "review.adjust": pgettext("history action", "review.adjust"),
        "review.reject": pgettext("history action", "review.reject"),
        "review.revert": pgettext("history action", "review.revert"),
        "sets.delete": pgettext("history action", "sets.delete"),
        "sets.save": pgettext("history action", "sets.save"),
        "summaries.delete": pgettext("history action", "summaries.delete"),
        "summaries.mark": pgettext("history action", "summaries.mark"),
        "summaries.set": pgettext("history action", "summaries.set"),
        "uncode": pgettext("history action", "uncode"),
    }
