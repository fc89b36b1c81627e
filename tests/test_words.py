"""qcode words: word and phrase frequencies (whole documents, a code's text, per document and
per case), Chinese segmentation with the example study's word list, and keyness."""

from __future__ import annotations

import math
import random
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import regex
from conftest import EXAMPLE, run_cli, write
from test_chunk_tokens import assert_spacys_tokens

from qcode import Project
from qcode.analysis.word_stats import TermCounts, keyness, log_likelihood, log_ratio
from qcode.analysis.words import count_terms, intersect_ranges, merge_ranges
from qcode.services.build import build
from qcode.services.words import WordsService
from qcode.text.tokens import tokenize

USERDICT = str(EXAMPLE / "userdict.txt")
CJK = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]")


# -- Chinese segmentation with the shipped word list ----------------------------------------------
def test_the_word_list_keeps_domain_terms_whole() -> None:
    # sentences from the example study's transcripts (P09, P10)
    one = "有没有考虑过在广州以灵活就业人员身份交职工养老保险？"
    two = "离开以后我就以灵活就业人员的身份自己交职工养老保险，一直没断过。"
    three = "他们参加的是城镇职工基本养老保险，缴费基数按个人账户计，新业态下的外卖骑手也一样"
    for text in (one, two):
        words = [t.text for t in tokenize(text, "zh", USERDICT)]
        assert "灵活就业" in words and "养老保险" in words
    words = [t.text for t in tokenize(three, "zh", USERDICT)]
    for term in ("城镇职工基本养老保险", "缴费基数", "个人账户", "新业态", "外卖骑手"):
        assert term in words
    # without the list jieba splits the term: and loading the list above changed nothing here
    assert "灵活就业" not in [t.text for t in tokenize(one, "zh")]


def test_build_writes_the_word_list_into_the_settings(tmp_path: Path) -> None:
    root = tmp_path / "study"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("project.db*", "qcode.toml"))
    with build(root) as p:
        assert p.settings.userdict == "userdict.txt"
        assert '[text]\nuserdict = "userdict.txt"' in (root / "qcode.toml").read_text()
        names = ["P09", "P10", "P11", "P12"]
        terms = {f.term: f.count for f in WordsService(p).frequencies(docs=names)}
        texts = "".join(p.documents.text(n) for n in names)
        # every occurrence is one word (no longer term of the list contains these two)
        assert terms["灵活就业"] == texts.count("灵活就业") > 0
        assert terms["养老保险"] == texts.count("养老保险") > 0
    # a study naming a list that is not there is refused before anything is built
    (root / "userdict.txt").unlink()
    with pytest.raises(Exception, match="userdict"):
        build(root)


# -- counting, checked by hand ------------------------------------------------------------------
def test_english_is_counted_by_lemma_without_stop_words() -> None:
    tc = count_terms("The riders paid. A rider pays; riders were paying!", "en")
    # riders/rider -> rider, paid/pays/paying -> pay; the, a, were are stop words
    assert tc.counts == {"rider": 3, "pay": 3}
    assert tc.size == 9  # every word, stop words included
    kept = count_terms("The riders paid. A rider pays; riders were paying!", "en", stopwords=False)
    assert kept.counts == {"the": 1, "a": 1, "be": 1, "rider": 3, "pay": 3}


def test_chinese_is_counted_by_word() -> None:
    text = "我交社保。社保太贵，灵活就业人员交不起社保😀。"
    # 我交 / 社保 / 。 / 社保 / 太贵 / ， / 灵活就业 / 人员 / 交不起 / 社保 / 😀 / 。
    tc = count_terms(text, "zh", userdict=USERDICT)
    assert tc.counts == {"我交": 1, "社保": 3, "太贵": 1, "灵活就业": 1, "人员": 1, "交不起": 1}
    assert tc.size == 8
    two = count_terms(text, "zh", 2, userdict=USERDICT)
    # words written together are joined without a space; punctuation and the emoji break phrases
    assert two.counts == {
        "我交社保": 1,
        "社保太贵": 1,
        "灵活就业人员": 1,
        "人员交不起": 1,
        "交不起社保": 1,
    }


def test_phrases_stop_at_punctuation_and_line_breaks() -> None:
    text = "Basic pension insurance. Keep the money in my own hands\nmoney in the bank"
    two = count_terms(text, "en", 2)
    # phrases that begin or end with a stop word are left out by default
    assert two.counts == {"basic pension": 1, "pension insurance": 1}
    assert two.size == 2 + 6 + 3
    kept = count_terms(text, "en", 2, stopwords=False)
    assert "hand money" not in kept.counts  # the line break ends the phrase
    assert kept.counts["money in"] == 2 and kept.counts["own hand"] == 1
    three = count_terms("A loss of income, then basic pension insurance.", "en", 3)
    # a stop word inside a phrase is fine
    assert three.counts == {"loss of income": 1, "basic pension insurance": 1}


def test_mixed_lines_go_to_their_own_pipeline() -> None:
    text = "R: The riders paid.\n受访者：灵活就业人员交社保。\n"
    tc = count_terms(text, "en", userdict=USERDICT)
    assert tc.counts["rider"] == 1 and tc.counts["灵活就业"] == 1 and tc.counts["社保"] == 1
    # a Chinese document's English line is lemmatised as English
    assert count_terms("我交社保。\nThe riders paid.", "zh").counts["rider"] == 1


def _reference(
    text: str, language: str, n: int, stop: bool, ranges: list[tuple[int, int]] | None = None
) -> tuple[dict[str, int], int]:
    """The module's rules applied naively to ``tokenize``'s tokens, one phrase at a time."""
    toks = list(tokenize(text, language, USERDICT if language == "zh" else None))

    def stretch(t: Any) -> int | None:
        assert ranges is not None
        hits = [i for i, (a, b) in enumerate(ranges) if a < t.end and t.start < b]
        return hits[0] if hits else None

    out: Counter[str] = Counter()
    size = 0
    for i in range(len(toks) - n + 1):
        g = toks[i : i + n]
        if not all(t.is_word for t in g):
            continue
        if any("\n" in text[g[k - 1].end : g[k].start] for k in range(1, n)):
            continue
        if ranges is not None:
            where = {stretch(t) for t in g}
            if None in where or len(where) != 1:
                continue
        size += 1
        if stop and (g[0].is_stop or g[-1].is_stop):
            continue
        term = g[0].norm
        for k in range(1, n):
            touch = g[k - 1].end == g[k].start and bool(
                CJK.match(g[k - 1].text[-1]) or CJK.match(g[k].text)
            )
            term += ("" if touch else " ") + g[k].norm
        out[term] += 1
    return dict(out), size


@pytest.mark.parametrize("language,case", [("en", "P01"), ("zh", "P09")])
def test_counts_agree_with_the_tokens_one_by_one(language: str, case: str) -> None:
    text = (EXAMPLE / "transcripts" / f"{case}.txt").read_text(encoding="utf-8")[:6000]
    if language == "en":
        text += "\nDon't pay 😀 the e-mail, I'm paying!\n\n  two  spaces\tand a tab 845 yuan"
    else:  # lines without Han characters would go to the English pipeline
        text += "\n我交社保😀，灵活就业！\n\n  两个  空格\t和 845 元 app 订单"
    rng = random.Random(7)
    ranges = merge_ranges(
        (a, a + rng.randint(1, 200)) for a in (rng.randrange(len(text)) for _ in range(25))
    )
    ud = USERDICT if language == "zh" else None
    for n in (1, 2, 3):
        for stop in (True, False):
            tc = count_terms(text, language, n, stop, userdict=ud)
            assert (tc.counts, tc.size) == _reference(text, language, n, stop)
            tc = count_terms(text, language, n, stop, ranges, userdict=ud)
            assert (tc.counts, tc.size) == _reference(text, language, n, stop, ranges)


MIXED_EN = (
    "Interviewer: Don't you think the U.S. pension's fine? I'm not sure, e.g. 5km at 3 a.m.!\n"
    'R:  (It\'s) "co-operative"... see https://example.org/a?b=1 or mail@example.com :) 10,000\n'
    "Tabs\tand\x0bvertical\x1cseparators\u00a0no-break\u2003em\u3000ideographic\u2028line\n"
    "Riders' riders RIDERS rode; paid/pays $30 -- 'quoted' cannot gonna O'Neil's 😀 e-mail.\n"
)


def test_fast_tokens_agree_with_spacy_on_mixed_english() -> None:
    """The chunk tokenizer's columns give the counts of spaCy's tokens taken one by one, on
    text with special cases, affixes, URLs and every kind of white space, for a counter reused
    over texts (so chunks seen before come from its cache)."""
    from qcode.analysis.words import TermCounter

    rng = random.Random(3)
    lines = MIXED_EN.splitlines(keepends=True)
    texts = ["".join(rng.choices(lines, k=12)) + rng.choice(["", " ", "\n"]) for _ in range(6)]
    texts.append((EXAMPLE / "transcripts" / "P01.txt").read_text(encoding="utf-8")[:8000])
    for n in (1, 2):
        counter = TermCounter(n)
        for text in texts:
            tc = counter.count(text, "en")
            assert (tc.counts, tc.size) == _reference(text, "en", n, True)


def test_chunk_tokens_are_spacy_tokens() -> None:
    import sys

    from qcode.text.chunks import chunk_tokenizer
    from qcode.text.tokens import pipeline

    assert not any(chr(c).isspace() for c in range(0x3001, sys.maxunicode + 1))
    nlp = pipeline("en")
    ct = chunk_tokenizer(nlp)
    assert ct is not None
    text = MIXED_EN * 3
    assert_spacys_tokens(ct, nlp, text)


def test_ranges() -> None:
    assert merge_ranges([(5, 9), (0, 3), (2, 4), (9, 10), (12, 12)]) == [(0, 4), (5, 10)]
    assert intersect_ranges([(0, 4), (5, 10)], [(3, 6), (8, 20)]) == [(3, 4), (5, 6), (8, 10)]


# -- through the project --------------------------------------------------------------------------
@pytest.fixture
def study(project: Project, tmp_path: Path) -> Project:
    p = project
    texts = {
        "d1": ("A", "rider", "R: Riders pay the pension. The pension is high."),
        "d2": ("A", "rider", "R: A rider pays. Pension pension!"),
        "d3": ("B", "driver", "R: Drivers drive. A driver pays the pension."),
    }
    for name, (case, occupation, text) in texts.items():
        p.documents.import_files(
            [write(tmp_path / f"{name}.txt", text)], case=case, attrs=[f"occupation={occupation}"]
        )
    p.codes.add("cost")
    p.codes.add("high", parent="cost")
    # d1: "Riders pay the pension" [3, 25) and "pay the pension. The pen" [10, 34) overlap (and
    # the second cuts a word); "high" [42, 46) is coded with a sub-code
    p.codings.apply("d1", 3, 25, "cost", coder="ann")
    p.codings.apply("d1", 10, 34, "cost", coder="bo")
    p.codings.apply("d1", 42, 46, "cost/high", coder="ann")
    return p


def test_frequencies_in_scope_by_document_and_case(study: Project) -> None:
    w = WordsService(study)
    # the speaker label "R:" is left out (no sentence covers it)
    got = {f.term: (f.count, f.documents) for f in w.frequencies()}
    assert got == {"pension": (5, 3), "pay": (3, 3), "rider": (2, 2), "high": (1, 1)} | {
        "drive": (1, 1),
        "driver": (2, 1),
    }
    total_words = 8 + 5 + 7  # stop words included
    top = w.frequencies(top=1)[0]
    assert (top.term, top.count, top.per_1000) == ("pension", 5, 1000 * 5 / total_words)
    got = {f.term: f.count for f in w.frequencies(where=["occupation=rider"])}
    assert got == {"pension": 4, "pay": 2, "rider": 2, "high": 1}
    by_case = {(f.group, f.term): (f.count, f.documents) for f in w.frequencies(by="case")}
    assert by_case[("A", "pension")] == (4, 2) and by_case[("B", "pension")] == (1, 1)
    assert by_case[("A", "rider")] == (2, 2) and ("B", "rider") not in by_case
    by_doc = {(f.group, f.term): f.count for f in w.frequencies(by="document", docs=["d2"])}
    assert by_doc == {("d2", "pension"): 2, ("d2", "rider"): 1, ("d2", "pay"): 1}


def test_frequencies_in_a_codes_text(study: Project) -> None:
    w = WordsService(study)
    # union [3, 34) + [42, 46): "Riders pay the pension. The pen" + "high"
    got = {f.term: f.count for f in w.frequencies(code="cost")}
    assert got == {"rider": 1, "pay": 1, "pension": 2, "high": 1}  # overlap counted once
    got = {f.term: f.count for f in w.frequencies(code="cost", subcodes=False)}
    assert got == {"rider": 1, "pay": 1, "pension": 2}
    got = {f.term: f.count for f in w.frequencies(code="cost", coders=["bo"])}
    assert got == {"pay": 1, "pension": 2}  # [10, 34): "pay the pension. The pen"
    two = {f.term: f.count for f in w.frequencies(code="cost", ngram=2, stopwords=False)}
    assert two == {"rider pay": 1, "pay the": 1, "the pension": 2}


def test_words_command(study: Project) -> None:
    root = str(study.root)
    r = run_cli("-p", root, "words", "--format", "json", "--top", "2")
    assert r.code == 0, r.err
    rows = r.json()
    assert [(x["term"], x["count"], x["documents"]) for x in rows] == [
        ("pension", 5, 3),
        ("pay", 3, 3),
    ]
    assert {"term", "count", "documents", "per_1000"} <= set(rows[0])
    r = run_cli("-p", root, "words", "--by", "case", "--format", "csv", "--top", "1")
    assert r.out.splitlines() == ["case,term,count,documents,per_1000", "A,pension,4,2,307.692"] + [
        "B,driver,2,1,285.714"
    ]
    r = run_cli("-p", root, "words", "--ngram", "2", "--no-stopwords")
    assert r.code == 0 and "pay the" in r.out
    for bad in (["--ngram", "4"], ["--by", "coder"], ["--code", "nope"], ["--format", "xml"]):
        r = run_cli("-p", root, "words", *bad)
        assert r.code == 1 and r.err.startswith("error: ") and r.err.count("\n") == 1, bad
    r = run_cli("-p", root, "words", "--userdict", "/no/such/list.txt")
    assert r.code == 1 and "list.txt" in r.err


# -- keyness ------------------------------------------------------------------------------------
def test_log_likelihood_by_hand() -> None:
    # 10 in 1,000 words against 2 in 2,000: E1 = 1000 * 12 / 3000 = 4, E2 = 8
    g2 = 2 * (10 * math.log(10 / 4) + 2 * math.log(2 / 8))
    assert g2 == pytest.approx(12.780637, abs=1e-6)
    assert log_likelihood(10, 2, 1000, 2000) == pytest.approx(g2)
    assert log_likelihood(0, 5, 1000, 1000) == pytest.approx(2 * 5 * math.log(2))
    assert log_likelihood(3, 3, 500, 500) == 0
    assert log_ratio(10, 2, 1000, 2000) == pytest.approx(math.log2(0.01 / 0.001))
    assert log_ratio(0, 4, 100, 100) == pytest.approx(math.log2(0.5 / 4))  # zero as 0.5


def test_keyness_of_two_groups() -> None:
    a = [TermCounts({"pension": 3, "work": 1}, 4)]
    b = [TermCounts({"work": 3, "pension": 1}, 2), TermCounts({}, 2)]
    rows = {k.term: k for k in keyness(a, b)}
    # pension: 3 of 4 against 1 of 4; E = 2 and 2; G2 = 2 (3 ln 1.5 + 1 ln 0.5) = 1.046496
    p = rows["pension"]
    assert (p.count_a, p.count_b, p.documents_a, p.documents_b) == (3, 1, 1, 1)
    assert p.g2 == pytest.approx(1.046496, abs=1e-6)
    assert p.log_ratio == pytest.approx(math.log2(3))
    assert p.overused_in == "a" and rows["work"].overused_in == "b"
    assert p.p == pytest.approx(0.30632, abs=1e-4)  # chi-squared, 1 d.f.


def test_keyness_through_the_project(study: Project) -> None:
    w = WordsService(study)
    res = w.keyness("occupation=rider", "driver")  # the second group may name just a value
    assert (res.documents_a, res.documents_b, res.size_a, res.size_b) == (2, 1, 13, 7)
    rows = {r["term"]: r for r in res.as_json()}
    # pension: 4 of 13 words against 1 of 7
    e_a, e_b = 13 * 5 / 20, 7 * 5 / 20
    g2 = 2 * (4 * math.log(4 / e_a) + 1 * math.log(1 / e_b))
    assert rows["pension"]["g2"] == pytest.approx(g2)
    assert rows["pension"]["overused_in"] == "occupation=rider"
    assert rows["driver"]["overused_in"] == "occupation=driver"
    assert res.terms[0].g2 >= res.terms[-1].g2
    r = run_cli(
        "-p", str(study.root), "words", "--compare", "occupation=rider", "occupation=driver"
    )
    assert r.code == 0 and "pension" in r.out and "G2" in r.out
    r = run_cli(
        "-p", str(study.root), "words", "--compare", "occupation=rider", "x=1", "--format", "json"
    )
    assert r.code == 1 and r.err.startswith("error: ")


def test_frequencies_add_up_the_texts_as_counting_them_one_by_one_does() -> None:
    """Occurrences, texts holding each term and the rate per 1,000 words, most frequent first
    and ties by term, against a plain Counter over random texts (with ties, terms of several
    scripts, a top cut and an empty text)."""
    from qcode.analysis.word_stats import TermCounts, frequencies

    rng = random.Random(8)
    words = ["a", "B", "b", "é", "中文", "z1", "Ω", "ab", "aa", "a-b", "𝔘"] + [
        f"w{i}" for i in range(300)
    ]
    per_text = [
        TermCounts(dict(Counter(rng.choices(words, k=rng.randint(0, 400)))), rng.randint(400, 900))
        for _ in range(40)
    ] + [TermCounts({}, 0)]
    total: Counter[str] = Counter()
    texts: Counter[str] = Counter()
    for tc in per_text:
        for term, n in tc.counts.items():
            total[term] += n
            texts[term] += 1
    size = sum(tc.size for tc in per_text)
    want = [
        (t, n, texts[t], round(1000 * n / size, 3))
        for t, n in sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    got = [(f.term, f.count, f.documents, f.per_1000) for f in frequencies(per_text)]
    assert got == want and len({n for _, n, _, _ in want}) < len(want)  # there are ties
    assert [f.term for f in frequencies(per_text, top=5, group="g")] == [w[0] for w in want[:5]]
    assert {f.group for f in frequencies(per_text, top=5, group="g")} == {"g"}
    assert frequencies([TermCounts({}, 0)]) == [] and frequencies([]) == []
