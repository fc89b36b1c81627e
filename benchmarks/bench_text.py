"""Figures for the text tools: word-frequency throughput over 50 MB of English and 50 MB of
Chinese interview text (synthetic, from word lists; in documents of about 100 KB), through the
tokenizer and the counting of ``qcode.analysis.words`` (what ``qcode words`` runs after reading
the texts), in one process and in two; and, on a smaller sample, the straightforward way of
counting ``qcode.text.tokens.tokenize``'s tokens one by one, for comparison; for Chinese, also
jieba's own segmenting against qcode's route through the same dictionary.

Run with ``PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/bench_text.py`` (``--mb`` for a
quicker look; ``--languages ''`` for the Zipf corpus alone). MB are millions of bytes of UTF-8.
Prints numbers (wall time, and for one process the MB/s of its CPU time, with the load average
after each, as the machine may be shared), each figure beside its baseline in the same run: on
the Zipf corpus, the chunk tokenizer sending every new chunk to spaCy; everywhere, the tokens
counted one by one. Asserts nothing beyond the counts agreeing between the ways and between one
and two processes.

Each experiment is a function over a list of texts (``bench_words``, ``bench_tokens``), so
others (a dictionary's throughput, say ``bench_dictionary(texts, language, ...)``) can be added
beside them and called from ``main``.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from bench_foundation import transcript

from qcode.analysis.word_stats import frequencies
from qcode.analysis.words import count_texts
from qcode.text.tokens import pipeline, tokenize

USERDICT = str(Path(__file__).resolve().parents[1] / "projects/flexible-employment/userdict.txt")
DOC_BYTES = 100_000

WORDS_ZH = [
    "我",
    "你",
    "他们",
    "每个月",
    "一年",
    "交",
    "不交",
    "社保",
    "养老保险",
    "灵活就业",
    "平台",
    "收入",
    "不稳定",
    "外卖骑手",
    "网约车",
    "司机",
    "主播",
    "老家",
    "孩子",
    "父母",
    "退休",
    "以后",
    "缴费基数",
    "最低档",
    "八百多",
    "两三百",
    "合同",
    "没有",
    "外包公司",
    "站长",
    "算法",
    "罚款",
    "下雨天",
    "单子",
    "多",
    "少",
    "钱",
    "攥在",
    "自己",
    "手里",
    "踏实",
    "政策",
    "看不懂",
    "指数化",
    "工资",
    "跨省",
    "转移",
    "断缴",
    "补缴",
    "工会",
    "商业意外险",
    "工伤保险",
    "觉得",
    "划算",
    "不划算",
    "就是",
    "但是",
    "所以",
    "如果",
    "还是",
    "城乡居民",
    "职工",
    "个人账户",
    "新业态",
    "平台经济",
    "想",
    "说",
    "知道",
    "不知道",
    "算过",
    "扛",
    "负担",
    "重",
]


def transcript_zh(rng: random.Random, size: int, words: Sequence[str] = WORDS_ZH) -> str:
    """Interviewer and respondent turns of random sentences, about ``size`` characters long:
    the Chinese counterpart of ``bench_foundation.transcript``."""
    lines, total, turn = [], 0, 0
    while total < size:
        speaker = "访谈者" if turn % 2 == 0 else "受访者"
        sentences = []
        for _ in range(rng.randint(1, 6)):
            chosen = rng.choices(words, k=rng.randint(4, 24))
            if len(chosen) > 8:
                chosen[rng.randrange(3, len(chosen) - 2)] += "，"
            sentences.append("".join(chosen) + rng.choice(["。", "。", "？", "！"]))
        line = f"{speaker}：{''.join(sentences)}"
        lines.append(line)
        total += len(line) + 1
        turn += 1
    return "\n".join(lines)[:size]


def corpus(language: str, mb: float, seed: int = 1) -> list[str]:
    """Documents of about ``DOC_BYTES`` bytes of UTF-8, ``mb`` million bytes in all."""
    rng = random.Random(seed)
    per_char = 3 if language == "zh" else 1  # the generated Chinese is all Han characters
    make = transcript_zh if language == "zh" else transcript
    docs, total = [], 0
    while total < mb * 1e6:
        doc = make(rng, DOC_BYTES // per_char)
        docs.append(doc)
        total += len(doc.encode("utf-8"))
    return docs


def zipf_corpus(mb: float, forms: int = 50_000, seed: int = 1) -> list[str]:
    """English-like text over a vocabulary of ``forms`` made-up word forms drawn with Zipf's law
    (rank r has weight 1/r): unlike the word-list corpus, most words are rare, as in real
    interviews, so the tokenizer's cache of words it has seen covers little of the text."""
    rng = random.Random(seed)
    letters = "etaoinshrdlcumwfgypbvk"
    vocab: set[str] = set()
    while len(vocab) < forms:
        vocab.add("".join(rng.choices(letters, k=rng.randint(2, 10))))
    words = sorted(vocab)
    rng.shuffle(words)
    # cumulative weights once: choices() would add up the 50,000 weights at every sentence
    cum = list(itertools.accumulate(1 / r for r in range(1, forms + 1)))
    docs, total = [], 0
    while total < mb * 1e6:
        parts, n = [], 0
        while n < DOC_BYTES:
            sent = rng.choices(words, cum_weights=cum, k=rng.randint(4, 24))
            line = " ".join(sent).capitalize() + rng.choice([".", ".", "?", "!"])
            if rng.random() < 0.3:
                line = rng.choice(["Interviewer: ", "Respondent: "]) + line
            parts.append(line)
            n += len(line) + 1
        doc = "\n".join(parts)
        docs.append(doc)
        total += len(doc)
    return docs


def size_mb(texts: Sequence[str]) -> float:
    return sum(len(t.encode("utf-8")) for t in texts) / 1e6


def _load(language: str) -> None:
    """Load the pipelines first (both: a line with Han characters goes to the Chinese one), so
    that start-up is not counted as throughput."""
    count_texts([("x y.\n交", language, None)], userdict=USERDICT)


def _load_avg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def bench_words(
    texts: Sequence[str], language: str, processes: int = 1, ngram: int = 1, label: str = ""
) -> dict[str, int]:
    """Word frequencies over ``texts`` the way ``qcode words`` counts them; prints MB/s."""
    _load(language)
    items = [(t, language, None) for t in texts]
    t0, c0 = time.perf_counter(), time.process_time()
    counts = count_texts(items, ngram, userdict=USERDICT, processes=processes)
    table = frequencies(counts)
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    mb = size_mb(texts)
    words = sum(c.size for c in counts)
    cpu_note = f" ({mb / cpu:.2f} MB/s of this process's CPU)" if processes == 1 else ""
    print(
        f"words {language}, n-gram {ngram}, {processes} process(es){label}: {mb:.1f} MB "
        f"({len(texts)} documents, {words:,} {'words' if ngram == 1 else 'phrases'}, "
        f"{len(table):,} terms): {dt:.2f} s, {mb / dt:.2f} MB/s{cpu_note}; load {_load_avg()}"
    )
    return {f.term: f.count for f in table}


def bench_tokens(texts: Sequence[str], language: str) -> dict[str, int]:
    """The straightforward way: every token of ``tokenize`` into a Counter."""
    _load(language)
    ud = USERDICT if language == "zh" else None
    t0 = time.perf_counter()
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(t.norm for t in tokenize(text, language, ud) if t.is_word and not t.is_stop)
    dt = time.perf_counter() - t0
    mb = size_mb(texts)
    print(
        f"tokens one by one {language} (for comparison): {mb:.1f} MB: {dt:.2f} s, "
        f"{mb / dt:.2f} MB/s"
    )
    return dict(counts)


def bench_route(texts: Sequence[str]) -> None:
    """Segmenting alone: jieba's own accurate mode against qcode's route through the same
    tokenizer (``qcode.text.jieba_route``), the words checked equal."""
    import jieba

    seg = pipeline("zh", USERDICT).tokenizer.jieba_seg
    mb = size_mb(texts)
    t0 = time.perf_counter()
    theirs = [list(jieba.Tokenizer.cut(seg, t)) for t in texts]
    t1 = time.perf_counter()
    ours = [list(seg.cut(t)) for t in texts]
    t2 = time.perf_counter()
    assert ours == theirs, "the route gives other words than jieba's"
    print(
        f"segmenting zh, one process: {mb:.1f} MB: jieba's cut {t1 - t0:.2f} s "
        f"({mb / (t1 - t0):.2f} MB/s), qcode's route {t2 - t1:.2f} s ({mb / (t2 - t1):.2f} MB/s), "
        f"{(t1 - t0) / (t2 - t1):.2f}x; load {_load_avg()}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mb", type=float, default=50.0, help="MB of text per language")
    ap.add_argument("--sample-mb", type=float, default=5.0, help="MB for the comparison")
    ap.add_argument("--languages", default="en,zh")
    ap.add_argument("--zipf-mb", type=float, default=10.0, help="MB of Zipf-vocabulary English")
    args = ap.parse_args()
    if args.zipf_mb:
        texts = zipf_corpus(args.zipf_mb)
        print(f"generated {size_mb(texts):.1f} MB of English over 50,000 word forms (Zipf)")
        bench_words(texts, "en", 1)
        sample = texts[: max(1, int(len(texts) * args.sample_mb / args.zipf_mb))]
        assert bench_words(sample, "en", 1) == bench_tokens(sample, "en"), "the two ways disagree"
    for language in filter(None, args.languages.split(",")):
        t0 = time.perf_counter()
        texts = corpus(language, args.mb)
        print(
            f"generated {size_mb(texts):.1f} MB of {language} in {len(texts)} documents "
            f"({time.perf_counter() - t0:.1f} s)"
        )
        sample = texts[: max(1, int(len(texts) * args.sample_mb / args.mb))]
        if language == "zh":
            bench_route(sample)
        slow = bench_tokens(sample, language)
        assert bench_words(sample, language, 1) == slow, "the two ways disagree"
        one = bench_words(texts, language, 1)
        two = bench_words(texts, language, 2)
        assert one == two, "one and two processes disagree"
        bench_words(texts, language, 2, ngram=2)


if __name__ == "__main__":
    main()
