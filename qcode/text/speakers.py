"""Speaker labels: which lines open a speaker turn, and who speaks.

A label is matched at the start of a paragraph by regular expressions (the ``regex`` module's
syntax) with a group named ``speaker``, optionally after a time stamp (``[00:01:02]``, ``10:30``).

The default rules know three kinds of label:

- *strong* labels, accepted wherever they occur: role words and their abbreviations
  (``Interviewer:``, ``Respondent 3:``, ``Q:``, ``A：``, ``I:``), participant codes of letters and
  digits (``W07:``, ``R12:``, ``S05:``, ``P3:``, ``INT01:``), names with a title (``Mrs Wang:``,
  ``Dr. Li:``), Chinese role words (``访谈者：``, ``受访者：``, ``受访者A：``, ``问：``, ``答：``,
  ``主持人：``) and Chinese forms of address (``王师傅：``, ``李女士：``);
- *weak* labels: any other capitalised name of one to three words (``Li Wei:``, ``Driver 3:``)
  or a short run of Han characters (``老王：``). A weak label opens a turn only in a document that
  also has a strong label, or when the same label opens at least two paragraphs; so a policy
  text's ``工作目标：`` or a paper's ``Methods:`` does not become a speaker;
- words that are never speakers (``Abstract:``, ``Received:``, ``ISSN:``, ``Note:``, ``摘要：``,
  ``关键词：``, ``第一条：`` ...), refused whatever matched them.

Patterns from the settings (``[import] speaker_patterns``) replace the default rules; each of
them is strong and the stop words do not apply. Known speakers (the voices of a WebVTT file) are
strong labels too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import regex

_TS = r"(?:[\[(]?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?[\])]?\s+)?"
_COLON = r"\s*(?::(?!//)|：)"
_TITLES = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Madam|Mme|Sir|Auntie|Uncle)"
_NAME_WORD = r"\p{Lu}[\p{L}\p{M}'’\-]*\.?"
_HAN_ROLES = (
    "访谈者|访谈人|访谈员|采访者|采访人|记者|主持人|主持|调查员|调研员|研究者|研究员|问|答"
    "|受访者|受访人|被访者|被访人|访员|提问|回答|主访|编者"
)
_HAN_ADDRESS = (
    "师傅|老师|先生|女士|小姐|阿姨|大姐|大哥|大爷|大妈|老板|经理|主任|书记|同学|主播|骑手|司机"
)

DEFAULT_SPEAKER_PATTERNS: tuple[str, ...] = (
    # role words and the usual abbreviations, any case: "Interviewer:", "R:", "Speaker 2:"
    _TS + r"(?i:(?P<speaker>(?:interviewer|interviewee|respondent|participant|moderator"
    r"|facilitator|researcher|informant|speaker|int|q|a|i|r|p)(?:\s?\d{1,4}|\s[A-Z])?))" + _COLON,
    # participant codes: a capital letter or three and digits: "W07:", "R12:", "P3:", "INT01:"
    _TS + r"(?P<speaker>\p{Lu}{1,3}-?\d{1,4}[a-z]?)" + _COLON,
    # a name with a title: "Mrs Wang:", "Dr. Li Ming:"
    _TS + rf"(?P<speaker>{_TITLES}\.?\s{_NAME_WORD}(?:\s{_NAME_WORD})?)" + _COLON,
    # Chinese roles, with a letter or number: "访谈者：", "受访者A：", "问：", "答1："
    _TS + rf"(?P<speaker>(?:{_HAN_ROLES})[A-Za-z0-9Ａ-Ｚ０-９]{{0,3}})" + _COLON,
    # Chinese forms of address: "王师傅：", "李女士：", "骑手小张："
    _TS + rf"(?P<speaker>\p{{Han}}{{1,3}}(?:{_HAN_ADDRESS})[A-Za-z0-9]{{0,2}})" + _COLON,
)
WEAK_SPEAKER_PATTERNS: tuple[str, ...] = (
    # a capitalised name of one to three words: "Li Wei:", "Driver 3:"
    _TS + rf"(?P<speaker>{_NAME_WORD}(?:\s{_NAME_WORD}|\s\d{{1,3}}){{0,2}})" + _COLON,
    # a short Chinese label: "老王：", "小李："
    _TS + r"(?P<speaker>\p{Han}{1,4}[A-Za-z0-9]{0,2})" + _COLON,
)


def _words(listing: str, sep: str | None = None) -> list[str]:
    return listing.split(sep)


STOP_WORDS = frozenset(
    w.casefold()
    for w in _words(
        # the front and back matter of papers and reports
        "Abstract Summary Keywords Keyword Received Revised Accepted Published Available ISSN "
        "ISBN DOI PMID PMCID URL URI Note Notes NB PS Source Sources Reference References "
        "Citation Cite Correspondence Contact Email E-mail Tel Phone Fax Address Date Time "
        "Location Place Venue Duration Title Subject Re Cc Bcc From To Sent Attachment "
        "Attachments Introduction Background Objective Objectives Aim Aims Purpose Method "
        "Methods Methodology Design Setting Results Result Findings Discussion Conclusion "
        "Conclusions Implications Limitations Funding Acknowledgements Acknowledgments "
        "Copyright License Licence Disclaimer Author Authors Affiliation Affiliations Editor "
        "Editors Volume Issue Pages Page Chapter Section Part Figure Fig Table Appendix "
        "Example Examples Definition Question Questions Answer Answers Warning Caution "
        "Important Tip Hint Update Updated Version Status Category Categories Tags Tag "
        "Description Comment Comments Remark Remarks Total Sum Step Steps Goal Goals Task "
        "Tasks Policy Article Clause Item Topic Theme Transcript Interview Recording Audio "
        "Video Language Translation Translator Transcriber Coder Code Codes Memo Memos "
        "Yes No OK Okay Well So But And Or However Therefore Thus Also Then Now Here There "
        "Today Yesterday Tomorrow Monday Tuesday Wednesday Thursday Friday Saturday Sunday "
        "Http Https Ftp Mailto Www"
    )
) | frozenset(
    _words(
        "Key words|Case study|Case studies|Data availability|Conflict of interest|"
        "Competing interests|Ethics statement|Ethical approval|Supplementary material|"
        "Corresponding author|Date of interview|Interview date|Interview location|Place of "
        "interview|Last updated|Published online|Accepted for publication|Received date|"
        "摘要|关键词|关键字|主题词|注|注释|备注|说明|附|附件|附注|附表|附录|来源|资料来源|数据来源|"
        "作者|作者简介|通讯作者|标题|题目|时间|日期|地点|地址|电话|传真|邮箱|电子邮箱|网址|邮编|"
        "收稿日期|修回日期|录用日期|基金项目|中图分类号|文献标识码|文章编号|引用格式|参考文献|"
        "联系人|联系电话|抄送|印发|发布日期|发文机关|发文字号|成文日期|主题分类|索引号|文号|"
        "目的|方法|结果|结论|背景|讨论|意义|例如|比如|如|即|其中|包括|一是|二是|三是|四是|五是|"
        "首先|其次|再次|最后|总之|因此|所以|但是|另外|此外|目标|任务|要求|原则|措施|内容|范围|"
        "对象|条件|标准|依据|流程|程序|责任|职责|附则|总则|问题|建议|对策|现状|原因|影响|"
        "表|图|例|案例|访谈时间|访谈地点|访谈对象|访谈方式|访谈编号|记录人|整理人|转录",
        "|",
    )
)
_STOP_HAN = regex.compile(r"^第[\p{Han}\d]{1,6}[条章节款项部分篇]$")


@dataclass(frozen=True, slots=True)
class SpeakerRule:
    rx: Any
    strong: bool


def compile_speaker_patterns(patterns: Sequence[str] | None = None) -> list[SpeakerRule]:
    """The rules for ``patterns`` (all strong), or the default strong and weak rules when
    ``patterns`` is None. Raises ``ValueError`` naming a bad pattern."""
    if patterns is None:
        return [SpeakerRule(regex.compile(p), True) for p in DEFAULT_SPEAKER_PATTERNS] + [
            SpeakerRule(regex.compile(p), False) for p in WEAK_SPEAKER_PATTERNS
        ]
    out = []
    for p in patterns:
        try:
            rx = regex.compile(p)
        except regex.error as exc:
            raise ValueError(
                f"speaker pattern {p!r} is not a valid regular expression: {exc}"
            ) from exc
        if "speaker" not in rx.groupindex:
            raise ValueError(f"speaker pattern {p!r} has no group named 'speaker'")
        out.append(SpeakerRule(rx, True))
    return out


def is_default(rules: Sequence[SpeakerRule]) -> bool:
    return any(not r.strong for r in rules)


def is_stop_word(label: str) -> bool:
    folded = label.casefold().rstrip(".")
    return folded in STOP_WORDS or bool(_STOP_HAN.match(label))


def match_label(
    text: str, start: int, end: int, rules: Sequence[SpeakerRule], known: Iterable[str] = ()
) -> tuple[str, int, bool] | None:
    """The label opening ``text[start:end]``: (speaker, offset after the label, strong)."""
    for name in known:
        if text.startswith(name, start):
            m = regex.compile(_COLON).match(text, start + len(name), end)
            if m is not None:
                return name, m.end(), True
    defaults = is_default(rules)
    for rule in rules:
        m = rule.rx.match(text, start, end)
        if m is None:
            continue
        speaker = " ".join(m.group("speaker").split())
        if not speaker:
            continue
        if defaults and is_stop_word(speaker):
            return None
        return speaker, m.end(), rule.strong
    return None


def find_labels(
    text: str,
    paragraphs: Sequence[tuple[int, int]],
    rules: Sequence[SpeakerRule],
    known: Sequence[str] = (),
) -> dict[int, tuple[str, int]]:
    """For each paragraph (start, end) that opens a turn: its start -> (speaker, content start).
    Weak labels count only in a document with a strong label or when they recur."""
    found: dict[int, tuple[str, int, bool]] = {}
    for s, e in paragraphs:
        lab = match_label(text, s, e, rules, known)
        if lab is not None:
            found[s] = lab
    if not found:
        return {}
    has_strong = any(strong for _, _, strong in found.values())
    recurring = Counter(sp for sp, _, strong in found.values() if not strong)
    return {
        s: (sp, after)
        for s, (sp, after, strong) in found.items()
        if strong or has_strong or recurring[sp] >= 2
    }


_GENERIC_LABEL = regex.compile(r"^\s*[^\s:：]{1,24}(?:\s[^\s:：]{1,24}){0,2}\s*[:：]\s*\S")
_TRANSCRIPT_NAME = regex.compile(
    r"(?i)interview|transcript|focus.?group|dialog|conversation|访谈|采访|座谈|对话|笔录"
)


def looks_like_transcript(
    name: str, fmt: str, text: str, paragraphs: Sequence[tuple[int, int]]
) -> bool:
    """Whether a document looks like a transcript (and so should have speakers): a subtitle
    file, a file named like one, or many paragraphs opening with something like a label."""
    if fmt in ("vtt", "srt") or _TRANSCRIPT_NAME.search(name):
        return True
    labelled = sum(1 for s, e in paragraphs if _GENERIC_LABEL.match(text, s, e))
    return labelled >= 3 and labelled >= 0.3 * len(paragraphs)


def speaker_warnings(
    turn_speakers: Sequence[str | None], transcript_like: bool, share: float = 0.9
) -> list[str]:
    """What looks wrong about a document's speaker turns, one line each."""
    speakers = [s for s in turn_speakers if s]
    if not speakers:
        if transcript_like:
            return [
                "no speaker labels found in what looks like a transcript; set "
                "[import] speaker_patterns in qcode.toml if its labels look unusual"
            ]
        return []
    (top, n), *_ = Counter(speakers).most_common(1)
    total = len(speakers)
    if n / total > share:
        return [
            f"one speaker ({top!r}) holds {n} of {total} turn(s) ({100 * n / total:.0f}%); "
            "the other speakers' labels may not be recognised (qcode docs speakers)"
        ]
    return []
