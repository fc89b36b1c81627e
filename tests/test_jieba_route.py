"""The faster route through Chinese text gives jieba's own words (qcode.text.jieba_route)."""

from __future__ import annotations

import math
import random
from pathlib import Path

import jieba
import pytest

from qcode.text import jieba_route
from qcode.text.tokens import load_userdict, pipeline
from qcode.text.wordbounds import han_segmenter

EXAMPLE = Path(__file__).resolve().parents[1] / "projects/flexible-employment"
USERDICT = str(EXAMPLE / "userdict.txt")


def _jiebas(seg: jieba.Tokenizer, text: str) -> list[str]:
    """jieba's own accurate mode on the same tokenizer (its dictionary and user words)."""
    return list(jieba.Tokenizer.cut(seg, text))


def _texts(words: list[str], n: int, seed: int) -> list[str]:
    """Texts of known words, common characters jieba may not join, Latin words, digits,
    punctuation and white space, in random mixtures and lengths."""
    rng = random.Random(seed)
    chars = (
        "的一是了我不人在他有这个上们来到时大地为子中你说生国年着就那和要她出也得里后自以会家"
        "可下而过天去能对小多然于心学么之都好看起发当没成只如事把还用第样道想作种开美总从无情"
        "己面最女但现前些所同日手又行意动方期它头经长儿回位分爱老因很给名法间斯知世什两次使身"
        "者被高已亲其进此话常与活正感骑手跑单送餐屌丝嗐咱俺"
    )
    others = ["abc", "App", "GPS", "2024年", "3.5", "100%", "C++", "a-b", "#1", "&", "_x"]
    marks = list("，。？！、“”：；（）《》 \n\t　…—") + ["\r\n", "  "]
    out = []
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(1, 400)):
            r = rng.random()
            if r < 0.35:
                parts.append(rng.choice(words))
            elif r < 0.75:
                parts.append("".join(rng.choices(chars, k=rng.randint(1, 6))))
            elif r < 0.85:
                parts.append(rng.choice(others))
            else:
                parts.append(rng.choice(marks))
        out.append("".join(parts))
    return out


@pytest.fixture(scope="module")
def seg() -> jieba_route.Tokenizer:
    """The example study's segmenter: jieba's dictionary and the study's word list."""
    s = pipeline("zh", USERDICT).tokenizer.jieba_seg
    assert isinstance(s, jieba_route.Tokenizer)
    return s


def test_every_chinese_segmenter_takes_the_faster_route() -> None:
    """With or without a word list, in the pipelines and the word bounds of the reading view."""
    for s in (
        pipeline("zh").tokenizer.jieba_seg,
        pipeline("zh", USERDICT).tokenizer.jieba_seg,
        han_segmenter(USERDICT),
    ):
        assert isinstance(s, jieba_route.Tokenizer)


def test_the_example_study_is_cut_as_jieba_cuts_it(seg: jieba_route.Tokenizer) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted((EXAMPLE / "transcripts").iterdir())]
    words = 0
    for text in texts:
        mine = list(seg.cut(text))
        assert mine == _jiebas(seg, text)
        words += len(mine)
    assert words > 10_000
    # the word list counts: its words come back whole
    listed = set(load_userdict(USERDICT))
    assert listed & {w for text in texts for w in seg.cut(text)}


def test_random_texts_are_cut_as_jieba_cuts_them(seg: jieba_route.Tokenizer) -> None:
    words = load_userdict(USERDICT) + ["养老保险", "外卖骑手", "不稳定", "社保", "以后"]
    unknown = 0
    for text in _texts(words, 150, seed=7):
        mine = list(seg.cut(text))
        assert mine == _jiebas(seg, text), text[:80]
        assert "".join(mine) == text
        unknown += sum(1 for w in mine if len(w) > 1 and not seg.FREQ.get(w))
    assert unknown > 50  # the model of unknown words was used, not only the dictionary


def test_other_modes_are_jiebas(seg: jieba_route.Tokenizer) -> None:
    text = "我每个月交社保，外卖骑手的收入不稳定。"
    for kw in ({"cut_all": True}, {"HMM": False}):
        assert list(seg.cut(text, **kw)) == list(jieba.Tokenizer.cut(seg, text, **kw))
    assert seg.lcut(text) == _jiebas(seg, text)
    assert [w for w, _, _ in seg.tokenize(text)] == _jiebas(seg, text)


def _tiny(tmp_path: Path, entries: dict[str, int]) -> jieba_route.Tokenizer:
    path = tmp_path / "dict.txt"
    path.write_text("".join(f"{w} {f}\n" for w, f in entries.items()), encoding="utf-8")
    s = jieba_route.Tokenizer(str(path))
    s.tmp_dir = str(tmp_path)
    s.initialize()
    return s


def test_a_tie_goes_to_the_longer_word_as_in_jieba(tmp_path: Path) -> None:
    """甲 / 乙丙 and 甲乙 / 丙 score exactly the same (the same two logarithms added): jieba's
    max over (score, end) takes the longer first word."""
    s = _tiny(tmp_path, {"甲": 5, "乙": 1, "丙": 5, "甲乙": 40, "乙丙": 40, "丁": 3})
    lt = math.log(s.total)
    a, bc = math.log(5) - lt, math.log(40) - lt
    assert a + (bc + 0.0) == bc + (a + 0.0)  # the tie is real
    assert list(s.cut("甲乙丙")) == _jiebas(s, "甲乙丙") == ["甲乙", "丙"]
    # characters the dictionary lacks go to jieba's model, as in jieba
    for text in ("甲乙丙丁戊己庚", "戊己庚辛", "甲丁乙丁丙", "乙丙甲乙丙", "乙"):
        assert list(s.cut(text)) == _jiebas(s, text)


def test_words_added_later_count(tmp_path: Path) -> None:
    """The route reads the dictionary as it is at each call, as jieba does."""
    s = _tiny(tmp_path, {"甲": 5, "乙": 5, "丙": 5})
    before = list(s.cut("甲乙丙"))
    s.add_word("乙丙", 1000)
    after = list(s.cut("甲乙丙"))
    assert after == _jiebas(s, "甲乙丙") == ["甲", "乙丙"] != before
