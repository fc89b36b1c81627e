"""Paragraphs, speaker turns and sentences in English and Chinese."""

from __future__ import annotations

import pytest

from qcode.text.segment import compile_speaker_patterns, segment

EN = (
    "Interviewer: How much do you pay? Tell me.\n"
    "R: About 845 yuan a month. It is too much!\n"
    "And the rest goes on rent.\n"
    "\n"
    "Mrs Wang: Why should I pay? Maybe next year."
)
ZH = "访谈者：你现在交养老保险吗？\n受访者：交过一段时间。后来收入掉下来，就断了！为什么？\n问：明白了。"


def kinds(text: str, lang: str, kind: str) -> list[tuple[str | None, str]]:
    return [(u.speaker, text[u.start : u.end]) for u in segment(text, lang) if u.kind == kind]


def test_english_units() -> None:
    assert [t for _, t in kinds(EN, "en", "paragraph")] == [
        "Interviewer: How much do you pay? Tell me.",
        "R: About 845 yuan a month. It is too much!",
        "And the rest goes on rent.",
        "Mrs Wang: Why should I pay? Maybe next year.",
    ]
    assert kinds(EN, "en", "turn") == [
        ("Interviewer", "Interviewer: How much do you pay? Tell me."),
        ("R", "R: About 845 yuan a month. It is too much!\nAnd the rest goes on rent."),
        ("Mrs Wang", "Mrs Wang: Why should I pay? Maybe next year."),
    ]
    assert [t for _, t in kinds(EN, "en", "sentence")] == [
        "How much do you pay?",
        "Tell me.",
        "About 845 yuan a month.",
        "It is too much!",
        "And the rest goes on rent.",
        "Why should I pay?",
        "Maybe next year.",
    ]


def test_chinese_units() -> None:
    assert kinds(ZH, "zh", "turn") == [
        ("访谈者", "访谈者：你现在交养老保险吗？"),
        ("受访者", "受访者：交过一段时间。后来收入掉下来，就断了！为什么？"),
        ("问", "问：明白了。"),
    ]
    assert [t for _, t in kinds(ZH, "zh", "sentence")] == [
        "你现在交养老保险吗？",
        "交过一段时间。",
        "后来收入掉下来，就断了！",
        "为什么？",
        "明白了。",
    ]


def test_chinese_paragraph_in_english_document_is_split_too() -> None:
    text = "I: Say it in Chinese.\n受访者：太贵了。交不起。"
    assert [t for _, t in kinds(text, "en", "sentence")] == [
        "Say it in Chinese.",
        "太贵了。",
        "交不起。",
    ]


def test_text_before_first_label_is_in_no_turn() -> None:
    text = "Interview 3, recorded in Chengdu.\nInterviewer: Hello.\nP1: Hi."
    assert [s for s, _ in kinds(text, "en", "turn")] == ["Interviewer", "P1"]


def test_urls_are_not_speaker_labels() -> None:
    assert kinds("See http://example.org for the rules.", "en", "turn") == []
    assert kinds("Http://example.org/x is the site.", "en", "turn") == []


def test_custom_patterns_and_bad_patterns() -> None:
    text = "[Alice] hello\n[Bob] hi"
    units = segment(text, "en", [r"\[(?P<speaker>\w+)\]"])
    assert [u.speaker for u in units if u.kind == "turn"] == ["Alice", "Bob"]
    with pytest.raises(ValueError, match="no group named 'speaker'"):
        compile_speaker_patterns([r"\w+:"])
    with pytest.raises(ValueError, match="not a valid regular expression"):
        compile_speaker_patterns([r"(?P<speaker>"])


def test_units_never_cross_or_exceed_the_text() -> None:
    for text, lang in ((EN, "en"), (ZH, "zh")):
        for u in segment(text, lang):
            assert 0 <= u.start < u.end <= len(text)
            assert text[u.start : u.end] == text[u.start : u.end].strip()
            if u.kind != "turn":
                assert "\n" not in text[u.start : u.end]


def _spacy_sentences(text: str, language: str) -> list[tuple[int, int]]:
    """Sentences as spaCy's sentencizer cuts each paragraph (after its speaker label), one
    ``Doc`` per paragraph: what the fast splitter must give."""
    import regex

    from qcode.text.segment import _strip, paragraphs, sentence_pipeline, turns_and_labels

    paras = paragraphs(text)
    _, content = turns_and_labels(text, paras, compile_speaker_patterns(None))
    out = []
    for p in paras:
        s, e = _strip(text, content.get(p.start, p.start), p.end)
        if s >= e:
            continue
        other = "en" if language == "zh" else language
        lang = "zh" if regex.search(r"\p{Han}", text[s:e]) else other
        for sent in sentence_pipeline(lang)(text[s:e]).sents:
            a, b = _strip(text, s + sent.start_char, s + sent.end_char)
            if a < b <= e:
                out.append((a, b))
    return sorted(out)


TRICKY = (
    'Interviewer: Really?! Yes... (I think so.) "Quoted." Next one — e.g. this; a.m. U.S. ok\n'
    "R: Ends with dots.. and ?! mixed. ) After. 845.5 yuan. Mr. Li said: 'no'. OK\n"
    "Tabs\there.\tAnd  two spaces.  Then\u00a0no-break. Done\n"
    "受访者：交过。后来……断了！为什么？“好的。”嗯 ok. English after. 第二句？ 对\n"
    "。！？Leading marks. . . x\n"
)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_fast_sentences_are_the_sentencizer_s(language: str) -> None:
    import zipfile

    from conftest import EXAMPLE, SHARED

    texts = [TRICKY, EN, ZH]
    texts += [
        p.read_text(encoding="utf-8") for p in sorted((EXAMPLE / "transcripts").glob("*.txt"))
    ]
    for qdpx in sorted((SHARED / "refi" / "samples").glob("*.qdpx")):
        with zipfile.ZipFile(qdpx) as z:
            for name in z.namelist():
                if name.endswith(".txt"):
                    texts.append(z.read(name).decode("utf-8")[:200_000])
    for text in texts:
        text = text.replace("\r\n", "\n")
        got = sorted((u.start, u.end) for u in segment(text, language) if u.kind == "sentence")
        assert got == _spacy_sentences(text, language)
