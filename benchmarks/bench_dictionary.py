"""Throughput of dictionary scoring (``qcode.analysis.dictionary.score``) on synthetic English and
Chinese transcripts, with the dictionaries that ship with the example study (pension-talk for
English, policy-dimensions for Chinese).

Run with ``.venv/bin/python benchmarks/bench_dictionary.py`` (``--mb 5`` for a quick look).
Prints, per language and number of processes, seconds and MB/s (MB of UTF-8 text); asserts
nothing.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_foundation import transcript  # noqa: E402

from qcode.analysis.dictionary import default_workers, load_dictionary, score  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DICTIONARIES = ROOT / "projects" / "flexible-employment" / "dictionaries"

# Words of interview and policy Chinese: domain terms (some in the policy dictionary, some only
# parts of its terms), everyday words and function words, so that jieba has real work to do.
_ZH = (
    "我 你 他 我们 他们 的 了 是 在 有 不 没有 就 都 也 还 要 会 能 说 想 觉得 知道 听说 "
    "一个 这个 那个 什么 怎么 为什么 时候 现在 以前 以后 每个月 一年 十五年 六十岁 "
    "外卖 骑手 快递员 网约车 司机 主播 设计师 平台 站长 系统 算法 订单 派单 罚款 "
    "灵活就业 灵活就业人员 新就业形态 养老保险 职工养老保险 城乡居民养老保险 医疗保险 医保 "
    "工伤 工伤保险 职业伤害保障 失业保险 生育保险 社保 社会保险 商业保险 意外险 "
    "缴费 缴费基数 缴费比例 缴费年限 档次 补贴 补贴标准 个人账户 待遇 计发 转移接续 "
    "办理 流程 材料 申报 线上办理 政策 文件 规定 实施办法 通知 考核 监督 责任 问责 督查 "
    "收入 工资 房租 存钱 看病 孩子 老人 老家 户口 外地 本地 城市 农村 合同 劳动合同 "
    "外包公司 合作 协议 签 工会 政府 国家 相信 担心 风险 看不懂 算不清 划算 不划算 "
    "钱 攥 手里 踏实 以后 再说 八百多 两百块 4227 元 845 20%"
)
ZH_WORDS = _ZH.split()
ZH_PUNCT = ["，", "，", "，", "。", "。", "？", "！", "、"]


def chinese_transcript(rng: random.Random, size: int, words: Sequence[str] = ZH_WORDS) -> str:
    """Interviewer and respondent turns of random Chinese sentences, ``size`` bytes of UTF-8."""
    lines, total, turn = [], 0, 0
    while total < size:
        speaker = "访谈者：" if turn % 2 == 0 else "受访者："
        sentences = []
        for _ in range(rng.randint(1, 6)):
            chosen = rng.choices(words, k=rng.randint(4, 24))
            sentences.append("".join(chosen) + rng.choice(ZH_PUNCT))
        line = speaker + "".join(sentences)
        lines.append(line)
        total += len(line.encode("utf-8")) + 1
        turn += 1
    text = "\n".join(lines)
    while len(text.encode("utf-8")) > size:
        text = text[: -max(1, (len(text.encode("utf-8")) - size) // 3)]
    return text


def corpus(language: str, mb: float, doc_kb: int = 100) -> dict[str, str]:
    rng = random.Random(7)
    n = max(1, round(mb * 1000 / doc_kb))
    make = chinese_transcript if language == "zh" else transcript
    return {f"{language}{i:04d}": make(rng, doc_kb * 1000) for i in range(n)}


def bench(language: str, dictionary: Path, mb: float, workers: Sequence[int]) -> None:
    texts = corpus(language, mb)
    size = sum(len(t.encode("utf-8")) for t in texts.values()) / 1e6
    chars = sum(len(t) for t in texts.values()) / 1e6
    score(load_dictionary(dictionary), {"warm-up": texts[next(iter(texts))][:1000]}, language)
    for w in workers:
        d = load_dictionary(dictionary)  # compiled afresh: a cold start, as a command has
        t0 = time.perf_counter()
        scores = score(d, texts, language, workers=w)
        dt = time.perf_counter() - t0
        tokens = sum(s.tokens for s in scores)
        matches = sum(sum(s.counts.values()) for s in scores)
        print(
            f"{language}: {len(texts)} documents, {size:.1f} MB ({chars:.1f} M characters), "
            f"{tokens / 1e6:.1f} M word tokens, {matches / 1e6:.2f} M matches "
            f"({dictionary.name}); {w} process{'es' if w > 1 else ''}: {dt:.1f} s, "
            f"{size / dt:.2f} MB/s"
        )


def _spin(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def headroom(workers: int) -> float:
    """The speed-up ``workers`` processes give a pure-Python loop here: what the machine can
    give at the moment (other work on it takes its share), to read the figures above against."""
    import multiprocessing

    n, jobs = 3_000_000, 2 * workers
    t0 = time.perf_counter()
    for _ in range(jobs):
        _spin(n)
    serial = time.perf_counter() - t0
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        t0 = time.perf_counter()
        pool.map(_spin, [n] * jobs)
        parallel = time.perf_counter() - t0
    return serial / parallel


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mb", type=float, default=50.0, help="MB of text per language (50)")
    ap.add_argument(
        "--workers",
        type=int,
        nargs="*",
        default=sorted({1, default_workers()}),
        help="process counts to measure (default: 1 and one per core)",
    )
    ap.add_argument("--language", choices=["en", "zh"], nargs="*", default=["en", "zh"])
    args = ap.parse_args(argv)
    dictionaries = {
        "en": DICTIONARIES / "pension-talk.yaml",
        "zh": DICTIONARIES / "policy-dimensions.yaml",
    }
    for language in args.language:
        bench(language, dictionaries[language], args.mb, args.workers)
    for w in args.workers:
        if w > 1:
            print(
                f"control: {w} processes run a pure-Python loop {headroom(w):.2f}x as fast as one"
            )


if __name__ == "__main__":
    main()
