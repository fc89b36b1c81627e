"""The query language: a hand-written recursive-descent parser.

Grammar (loosest binding first; keywords are case-insensitive)::

    query    := or
    or       := and ("or" and)*
    and      := not ("and" not)*
    not      := "not" not | rel
    rel      := operand (relop operand)*
    relop    := "inside" | "outside" | "overlaps"
              | "followed" "by" ... "within" N unit      (operand written before "within")
              | "near" ... "within" N unit
    operand  := "(" query ")"
              | "text" QUOTED | "text" /REGEX/[i]
              | "word" (WORD | QUOTED)
              | "set" (NAME | QUOTED)
              | "only" "one" "of" "(" query ("," query)* ")"
              | "at" "least" N "of" "(" query ("," query)* ")"
              | CODE
    CODE     := QUOTED | bare words joined by single spaces (a path may hold "/"), either
                followed by "/*" for the code with every code under it
    unit     := chars | sentences | paragraphs | turns     (singular forms too)

A malformed query raises :class:`QuerySyntaxError` naming the 1-based column of the problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from qcode.errors import InvalidInputError
from qcode.i18n import N_, _

KEYWORDS = frozenset(
    {"and", "or", "not", "inside", "outside", "overlaps", "followed", "by", "near", "within"}
    | {"text", "word", "set", "only", "one", "at", "least", "of"}
)
UNIT_WORDS = {
    "char": "chars",
    "chars": "chars",
    "character": "chars",
    "characters": "chars",
    "sentence": "sentences",
    "sentences": "sentences",
    "paragraph": "paragraphs",
    "paragraphs": "paragraphs",
    "turn": "turns",
    "turns": "turns",
}
MAX_DISTANCE = 1_000_000
OPERAND = N_("expected a code, a text search or '('")


class QuerySyntaxError(InvalidInputError):
    """A malformed query: ``query: column N: what was expected``."""

    def __init__(self, column: int, message: str) -> None:
        self.column = column
        self.detail = message
        super().__init__(
            _("query: column {column}: {message}").format(column=column, message=message)
        )


# -- the tree -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Node:
    column: int = field(compare=False)


@dataclass(frozen=True)
class CodeRef(Node):
    ref: str
    subcodes: bool = False  # written CODE/*: the code and every code under it


@dataclass(frozen=True)
class TextSearch(Node):
    needle: str


@dataclass(frozen=True)
class RegexSearch(Node):
    pattern: str
    ignore_case: bool = False


@dataclass(frozen=True)
class WordSearch(Node):
    word: str


@dataclass(frozen=True)
class SetRef(Node):
    name: str


@dataclass(frozen=True)
class And(Node):
    left: Node
    right: Node


@dataclass(frozen=True)
class Or(Node):
    left: Node
    right: Node


@dataclass(frozen=True)
class Not(Node):
    operand: Node


@dataclass(frozen=True)
class Count(Node):
    """``only one of`` (``exactly=True, k=1``) or ``at least k of``."""

    k: int
    exactly: bool
    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Relation(Node):
    """``left OP right``; returns left's ranges. ``n`` and ``unit`` for followed by and near."""

    op: str  # inside, outside, overlaps, followed_by, near
    left: Node
    right: Node
    n: int = 0
    unit: str = "chars"


def leaves(node: Node) -> list[Node]:
    """The operands (codes, searches, sets) of a query, left to right."""
    if isinstance(node, And | Or):
        return leaves(node.left) + leaves(node.right)
    if isinstance(node, Relation):
        return leaves(node.left) + leaves(node.right)
    if isinstance(node, Not):
        return leaves(node.operand)
    if isinstance(node, Count):
        return [leaf for o in node.operands for leaf in leaves(o)]
    return [node]


# -- tokens -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Token:
    kind: str  # word, quoted, regex, punct, end
    value: str
    column: int
    flags: str = ""

    def is_kw(self, *words: str) -> bool:
        return self.kind == "word" and self.value.lower() in words


def tokenize(text: str) -> list[Token]:
    out: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        col = i + 1
        if ch in "(),":
            out.append(Token("punct", ch, col))
            i += 1
        elif ch in "\"'":
            j, buf = i + 1, []
            while j < n and text[j] != ch:
                if text[j] == "\\" and j + 1 < n:
                    j += 1
                buf.append(text[j])
                j += 1
            if j >= n:
                raise QuerySyntaxError(col, _("the quotation is not closed"))
            flags = "subcodes" if text.startswith("/*", j + 1) else ""
            out.append(Token("quoted", "".join(buf), col, flags))
            i = j + 1 + (2 if flags else 0)
        elif ch == "/" and out and out[-1].is_kw("text"):
            j, buf = i + 1, []
            while j < n and text[j] != "/":
                if text[j] == "\\" and j + 1 < n:
                    if text[j + 1] != "/":
                        buf.append("\\")
                    j += 1
                buf.append(text[j])
                j += 1
            if j >= n:
                raise QuerySyntaxError(col, _("the regex is not closed with '/'"))
            k = j + 1
            while k < n and text[k].isalpha():
                k += 1
            flags = text[j + 1 : k]
            if set(flags) - {"i"}:
                raise QuerySyntaxError(
                    j + 2, _("unknown regex flag {flags!r} (only i)").format(flags=flags)
                )
            out.append(Token("regex", "".join(buf), col, flags))
            i = k
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in "(),\"'":
                j += 1
            out.append(Token("word", text[i:j], col))
            i = j
    out.append(Token("end", "", n + 1))
    return out


# -- the parser ---------------------------------------------------------------------------------
class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = tokenize(text)
        self.i = 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def take(self) -> Token:
        t = self.tokens[self.i]
        self.i += 1
        return t

    def expect_kw(self, word: str, after: str) -> Token:
        if not self.tok.is_kw(word):
            raise QuerySyntaxError(
                self.tok.column,
                _("expected '{word}' after '{after}'").format(word=word, after=after),
            )
        return self.take()

    def expect_punct(self, ch: str, message: str) -> Token:
        if not (self.tok.kind == "punct" and self.tok.value == ch):
            raise QuerySyntaxError(self.tok.column, message)
        return self.take()

    def number(self, after: str, low: int, high: int) -> int:
        t = self.tok
        if t.kind != "word" or not t.value.isdigit():
            raise QuerySyntaxError(
                t.column, _("expected a number after '{after}'").format(after=after)
            )
        self.take()
        value = int(t.value)
        if not low <= value <= high:
            raise QuerySyntaxError(
                t.column,
                _("{value} is out of range ({low} to {high})").format(
                    value=value, low=low, high=high
                ),
            )
        return value

    def parse(self) -> Node:
        node = self.or_()
        if self.tok.kind != "end":
            what = _("')' without '('") if self.tok.value == ")" else repr(self.tok.value)
            raise QuerySyntaxError(
                self.tok.column,
                _(
                    "expected an operator (and, or, inside, outside, overlaps, "
                    "followed by, near) or the end of the query, not {what}"
                ).format(what=what),
            )
        return node

    def or_(self) -> Node:
        node = self.and_()
        while self.tok.is_kw("or"):
            col = self.take().column
            node = Or(col, node, self.and_())
        return node

    def and_(self) -> Node:
        node = self.not_()
        while self.tok.is_kw("and"):
            col = self.take().column
            node = And(col, node, self.not_())
        return node

    def not_(self) -> Node:
        if self.tok.is_kw("not"):
            col = self.take().column
            return Not(col, self.not_())
        return self.rel()

    def rel(self) -> Node:
        node = self.operand()
        while True:
            t = self.tok
            if t.is_kw("inside", "outside", "overlaps"):
                self.take()
                node = Relation(t.column, t.value.lower(), node, self.operand())
            elif t.is_kw("followed", "near"):
                self.take()
                op = "near"
                if t.is_kw("followed"):
                    self.expect_kw("by", "followed")
                    op = "followed_by"
                right = self.operand()
                self.expect_kw("within", "followed by B" if op != "near" else "near B")
                n = self.number("within", 0, MAX_DISTANCE)
                u = self.tok
                if not (u.kind == "word" and u.value.lower() in UNIT_WORDS):
                    raise QuerySyntaxError(
                        u.column, _("expected chars, sentences, paragraphs or turns")
                    )
                self.take()
                node = Relation(t.column, op, node, right, n, UNIT_WORDS[u.value.lower()])
            else:
                return node

    def operands(self, after: str) -> tuple[Node, ...]:
        self.expect_punct("(", f"expected '(' after '{after}'")
        items = [self.or_()]
        while self.tok.kind == "punct" and self.tok.value == ",":
            self.take()
            items.append(self.or_())
        self.expect_punct(")", "expected ',' or ')'")
        return tuple(items)

    def operand(self) -> Node:
        t = self.tok
        if t.kind == "punct" and t.value == "(":
            self.take()
            node = self.or_()
            self.expect_punct(")", "expected ')'")
            return node
        if t.kind == "quoted":
            self.take()
            if not t.value.strip():
                raise QuerySyntaxError(t.column, _("an empty code name"))
            return CodeRef(t.column, t.value.strip(), t.flags == "subcodes")
        if t.kind != "word":
            raise QuerySyntaxError(t.column, _(OPERAND))
        low = t.value.lower()
        if low == "text":
            self.take()
            v = self.take()
            if v.kind == "quoted":
                if not v.value:
                    raise QuerySyntaxError(v.column, _("the text to search for is empty"))
                return TextSearch(t.column, v.value)
            if v.kind == "regex":
                if not v.value:
                    raise QuerySyntaxError(v.column, _("the regex is empty"))
                return RegexSearch(t.column, v.value, "i" in v.flags)
            raise QuerySyntaxError(v.column, _("expected a quoted text or a /regex/ after 'text'"))
        if low in ("word", "set"):
            self.take()
            v = self.take()
            if v.kind not in ("quoted", "word") or not v.value.strip():
                what = "a word" if low == "word" else "a set name"
                raise QuerySyntaxError(
                    v.column, _("expected {what} after '{low}'").format(what=what, low=low)
                )
            return (WordSearch if low == "word" else SetRef)(t.column, v.value.strip())
        if low == "only":
            self.take()
            self.expect_kw("one", "only")
            self.expect_kw("of", "only one")
            return Count(t.column, 1, True, self.operands("only one of"))
        if low == "at":
            self.take()
            self.expect_kw("least", "at")
            k_tok = self.tok
            k = self.number("at least", 1, MAX_DISTANCE)
            self.expect_kw("of", f"at least {k}")
            items = self.operands(f"at least {k} of")
            if k > len(items):
                raise QuerySyntaxError(
                    k_tok.column,
                    _("at least {k} of {n} operand(s) can never hold").format(k=k, n=len(items)),
                )
            return Count(t.column, k, False, items)
        if low in KEYWORDS:
            raise QuerySyntaxError(
                t.column,
                _("expected a code, a text search or '(' (quote a code named {value!r})").format(
                    value=t.value
                ),
            )
        words = [self.take().value]
        while self.tok.kind == "word" and self.tok.value.lower() not in KEYWORDS:
            words.append(self.take().value)
        name = " ".join(words)
        if name.endswith("/*"):
            if not name[:-2].strip():
                raise QuerySyntaxError(t.column, _(OPERAND))
            return CodeRef(t.column, name[:-2].rstrip(), True)
        return CodeRef(t.column, name)


def parse(text: str) -> Node:
    """The tree of a query, or :class:`QuerySyntaxError`."""
    return _Parser(text).parse()
