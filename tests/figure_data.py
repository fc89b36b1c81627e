"""Code networks of any size for the figure tests and benchmarks: seeded, with English or
Chinese code names, a hierarchy of categories and a skewed co-occurrence (a few codes with many
partners, most with few), as a real study's network is."""

from __future__ import annotations

import random

import networkx as nx

from qcode.analysis.cooccurrence import Pair
from qcode.analysis.network import CodeNode, build_network

WORDS = [
    "income",
    "pension",
    "rules",
    "family",
    "health",
    "housing",
    "trust",
    "platform",
    "savings",
    "debt",
    "contract",
    "hours",
    "insurance",
    "training",
    "children",
    "migration",
    "employer",
    "status",
    "rights",
    "future",
    "welfare",
    "skills",
]
HAN = "收入养老规则家庭健康住房信任平台储蓄债务合同工时保险培训子女迁移雇主身份权利未来福利技能灵活就业社会"


def name(i: int, lang: str, rng: random.Random) -> str:
    if lang == "zh":
        return "".join(rng.choice(HAN) for _ in range(rng.randint(2, 6))) + str(i)
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 3))) + f" {i}"


def sample_network(
    n: int, lang: str = "en", seed: int = 1, all_pairs: bool = False
) -> nx.MultiGraph:
    rng = random.Random(seed)
    n_cat = max(1, n // 10)
    cats = [f"{name(i, lang, rng)}" for i in range(n_cat)]
    codes = [CodeNode(c, "axial", 0, "") for c in cats]
    children: list[str] = []
    hierarchy = []
    for i in range(n - n_cat):
        parent = cats[i % n_cat]
        path = f"{parent}/{name(n_cat + i, lang, rng)}"
        children.append(path)
        hierarchy.append((path, parent))
        codes.append(CodeNode(path, "open", int(rng.paretovariate(1.2) * 3), ""))
    if codes and n >= 10:
        codes[0] = CodeNode(cats[0], "selective", 0, "")
    pairs = []
    weight = {c: 1.0 / (k + 1) ** 0.8 for k, c in enumerate(children)}
    for a in range(len(children)):
        for b in range(a + 1, len(children)):
            ca, cb = children[a], children[b]
            p = (
                1.0
                if all_pairs
                else min(1.0, 6.0 * weight[ca] * weight[cb] * 10 / max(1, len(children)) ** 0.3)
            )
            if rng.random() < p:
                count = 1 + int(rng.expovariate(0.5) * weight[ca] * 10)
                pairs.append(Pair(ca, cb, 1, 1, count, 0.1, 0.1, False))
    return build_network(codes, pairs, hierarchy=hierarchy)
