"""Dictionary analysis: loading and checking dictionaries, matching English and Chinese, counts
and rates worked by hand, grouping by case and attribute, errors, figures, and the dictionaries
that ship with the example study."""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLE, snapshot, write

from qcode import Project
from qcode.analysis import dictionary as dic
from qcode.analysis.dictionary import (
    find_matches,
    load_dictionary,
    longest_first,
    parse_dictionary,
    rates,
    score,
)
from qcode.errors import InputFileError, InvalidInputError
from qcode.text.tokens import tokenize

DICTIONARIES = EXAMPLE / "dictionaries"

EN_DICT = """\
name: test
categories:
  money:
    terms: [pay, contribut*, yuan]
    patterns:
      - [{LIKE_NUM: true}, {LOWER: yuan}]
  contracts:
    terms: [contract, labour contract]
  insurance:
    terms: ["social insur*"]
"""

# "I pay 845 yuan a month 🙂. Contributions rise; my contract, a labour contract, ends.
#  Social insurance is social."
EN_TEXT = (
    "I pay 845 yuan a month 🙂. Contributions rise; my contract, a labour contract, ends.\n"
    "Social insurance is social."
)
# word tokens (letters or digits; stop words included), by hand:
# I pay 845 yuan a month | Contributions rise | my contract | a labour contract | ends |
# Social insurance is social  -> 6 + 2 + 2 + 3 + 1 + 4 = 18; the emoji and punctuation are not words
EN_TOKENS = 18

ZH_DICT = """\
name: 中文测试
categories:
  pertinence:
    terms: [灵活就业]
  detail:
    terms: [缴费基数]
    patterns:
      - [{LIKE_NUM: true}, {ORTH: 元}]
  completeness:
    terms: [养老保险, 医疗保险, 保险]
"""
ZH_TEXT = "🙂灵活就业人员的缴费基数是4227元。\n养老保险和医疗保险都是保险。"


def dictionary_file(tmp_path: Path, text: str, name: str = "d.yaml") -> Path:
    return write(tmp_path / name, text)


def spans(text: str, found: list[dic.Match], category: str) -> list[str]:
    out = []
    for m in found:
        assert text[m.start : m.end] == m.text  # offsets slice the text exactly
        if m.category == category:
            out.append(m.text)
    return out


# -- matching -------------------------------------------------------------------------------------
def test_english_counts_rates_and_offsets_by_hand(tmp_path: Path) -> None:
    d = load_dictionary(dictionary_file(tmp_path, EN_DICT))
    found = find_matches(d, {"t": EN_TEXT}, "en")
    # "845 yuan" (pattern) holds "yuan" (term): one match, the longer
    assert spans(EN_TEXT, found, "money") == ["pay", "845 yuan", "Contributions"]
    # "labour contract" holds "contract": counted once
    assert spans(EN_TEXT, found, "contracts") == ["contract", "labour contract"]
    assert spans(EN_TEXT, found, "insurance") == ["Social insurance"]
    first = found[0]
    assert (first.start, first.end) == (2, 5)
    emoji_after = EN_TEXT.index("Contributions")
    assert (
        [m for m in found if m.text == "Contributions"][0].start == emoji_after == 26
    )  # one code point for the emoji

    (s,) = score(d, {"t": EN_TEXT}, "en")
    assert s.tokens == EN_TOKENS == sum(t.is_word for t in tokenize(EN_TEXT, "en"))
    assert s.counts == {"money": 3, "contracts": 2, "insurance": 1}
    rows = {r.category: r for r in rates([s], {"t": "all"}, list(d.categories), per=1000)}
    assert rows["money"].rate == pytest.approx(3 / 18 * 1000)  # 166.67
    assert rows["insurance"].rate == pytest.approx(1 / 18 * 1000)
    rows100 = rates([s], {"t": "all"}, list(d.categories), per=100)
    assert rows100[1].rate == pytest.approx(2 / 18 * 100)


def test_chinese_terms_match_however_jieba_segments(tmp_path: Path) -> None:
    d = load_dictionary(dictionary_file(tmp_path, ZH_DICT))
    words = [t.text for t in tokenize(ZH_TEXT, "zh")]
    assert "缴费基数" not in words  # jieba splits it (缴费 / 基数), and it must still match
    found = find_matches(d, {"z": ZH_TEXT}, "zh")
    assert spans(ZH_TEXT, found, "pertinence") == ["灵活就业"]  # inside 灵活就业人员
    assert spans(ZH_TEXT, found, "detail") == ["缴费基数", "4227元"]
    # 保险 inside 养老保险 and 医疗保险 counts once, with the longer term
    assert spans(ZH_TEXT, found, "completeness") == ["养老保险", "医疗保险", "保险"]
    assert [m.start for m in found if m.category == "pertinence"] == [1]  # after the emoji
    (s,) = score(d, {"z": ZH_TEXT}, "zh")
    assert s.counts == {"pertinence": 1, "detail": 2, "completeness": 3}
    assert s.tokens == sum(t.is_word for t in tokenize(ZH_TEXT, "zh"))
    (r,) = [x for x in rates([s], {"z": "z"}, list(d.categories)) if x.category == "detail"]
    assert r.rate == pytest.approx(2 / s.tokens * 1000)


def test_wildcards_prefix_only_and_phrases_within_lines() -> None:
    d = parse_dictionary(
        {
            "name": "w",
            "categories": {
                "c": {"terms": ["contribut*"]},
                "p": {"terms": ["social insur*", "labour contract"]},
            },
        }
    )
    text = (
        "Contribute, contributions; CONTRIBUTING. Not recontribute, not contribu.\n"
        "Social Insurers and social insurance; labour\ncontract; labour contracts."
    )
    found = find_matches(d, {"x": text}, "en")
    assert spans(text, found, "c") == ["Contribute", "contributions", "CONTRIBUTING"]
    # a phrase never spans a line break; "labour contracts" is not "labour contract"
    assert spans(text, found, "p") == ["Social Insurers", "social insurance"]


def test_case_sensitive_and_mixed_languages() -> None:
    d = parse_dictionary(
        {
            "name": "cs",
            "case_sensitive": True,
            "categories": {
                "names": {"terms": ["Didi", "App*"]},
                "loose": {"terms": ["didi", "app平台"], "case_sensitive": False},
            },
        }
    )
    text = "Didi didi DIDI Apps apps\n滴滴的App平台和Didi"
    found = find_matches(d, {"x": text}, {"x": "en"})
    # English tokens: the second line is one token, so only the Han term matches there
    assert spans(text, found, "names") == ["Didi", "Apps"]
    assert spans(text, found, "loose") == ["Didi", "didi", "DIDI", "App平台"]
    # through the Chinese pipeline, Latin terms match jieba's tokens
    found_zh = find_matches(d, {"x": text}, "zh")
    assert spans(text, found_zh, "names") == ["Didi", "Apps", "App", "Didi"]
    assert spans(text, found_zh, "loose") == ["Didi", "didi", "DIDI", "App平台", "Didi"]


def test_token_patterns_with_lemmas_and_quantifiers() -> None:
    d = parse_dictionary(
        {
            "name": "p",
            "categories": {
                "paying": {"patterns": [[{"LEMMA": "pay"}, {"LOWER": "into", "OP": "?"}]]},
                "amount": {"patterns": [[{"LIKE_NUM": True, "OP": "+"}, {"LOWER": "yuan"}]]},
            },
        }
    )
    text = "She paid into the fund; he pays 1,800 yuan, they pay. Payment is not pay-day."
    found = find_matches(d, {"x": text}, "en")
    # "paid into" and "paid" overlap: the longer counts; lemmas come from the lookup tables
    assert spans(text, found, "paying")[:3] == ["paid into", "pays", "pay"]
    assert spans(text, found, "amount") == ["1,800 yuan"]


def test_patterns_near_anchors_find_what_the_whole_text_finds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    spec = {
        "name": "anchors",
        "categories": {
            "amount": {"patterns": [[{"LIKE_NUM": True}, {"LOWER": "yuan"}]]},
            "month": {
                "patterns": [
                    [
                        {"LOWER": {"IN": ["good", "bad"]}},
                        {"LOWER": "month", "OP": "?"},
                        {"IS_PUNCT": True, "OP": "!"},
                    ]
                ]
            },
            "percent": {
                "patterns": [
                    [{"TEXT": {"REGEX": "^[0-9]+%$"}}],
                    [{"lower": "pay"}, {"IS_ALPHA": True, "OP": "{1,2}"}],
                ]
            },
            "unbounded": {"patterns": [[{"LOWER": "the"}, {"IS_ALPHA": True, "OP": "+"}]]},
        },
    }
    rng = random.Random(11)
    words = ["20%", "845", "yuan", "Yuan", "good", "bad", "month", ",", "pay", "the", "x", "7%"]
    # anchors few and far between (the matcher then runs near them only), and everywhere
    sparse = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 200, 1]
    texts = {f"t{i}": " ".join(rng.choices(words, sparse, k=2000)) for i in range(4)}
    texts.update({f"d{i}": " ".join(rng.choices(words, k=400)) for i in range(2)})
    texts["few"] = "nothing to see here"
    near = find_matches(parse_dictionary(spec), texts, "en")
    assert {m.category for m in near} == set(spec["categories"])
    monkeypatch.setattr(dic, "_anchor", lambda pattern: None)
    assert find_matches(parse_dictionary(spec), texts, "en") == near


def test_pattern_lengths() -> None:
    assert [dic._most(op) for op in (None, "?", "!", "{2}", "{1,3}", "{,2}")] == [1, 1, 1, 2, 3, 2]
    assert [dic._most(op) for op in ("+", "*", "{2,}")] == [None, None, None]
    anchor = dic._anchor([{"LOWER": {"IN": ["a", "b"]}}, {"ORTH": "c", "OP": "?"}, {"TEXT": "d"}])
    assert anchor is not None and (anchor.attr, anchor.values, anchor.longest) == ("ORTH", ["d"], 3)
    assert dic._anchor([{"LIKE_NUM": True}]) is None  # nothing to look for
    assert dic._anchor([{"LOWER": "a"}, {"IS_ALPHA": True, "OP": "*"}]) is None  # unbounded


def test_pattern_needing_annotation_the_pipeline_lacks(tmp_path: Path) -> None:
    d = load_dictionary(
        dictionary_file(tmp_path, "name: x\ncategories:\n  v:\n    patterns: [[{POS: VERB}]]\n")
    )
    with pytest.raises(InvalidInputError, match=r"d\.yaml: categories/v/patterns/0: needs POS"):
        score(d, {"x": "text"}, "en")


def test_longest_first_is_spacys_filter_spans() -> None:
    from spacy.tokens import Doc
    from spacy.util import filter_spans
    from spacy.vocab import Vocab

    rng = random.Random(7)
    doc = Doc(Vocab(), words=[f"w{i}" for i in range(40)])
    for _ in range(300):
        ranges = set()
        for _ in range(rng.randint(0, 12)):
            a = rng.randrange(40)
            ranges.add((a, min(40, a + rng.randint(1, 6))))
        want = sorted((s.start, s.end) for s in filter_spans([doc[a:b] for a, b in ranges]))
        assert longest_first(ranges) == want


def test_pieces_and_processes_give_the_same_matches(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(3)
    words = ["pay", "contract", "labour", "social", "insurance", "yuan", "845", "the", "🙂"]
    texts = {
        f"d{i}": "\n".join(" ".join(rng.choices(words, k=12)) for _ in range(40)) for i in range(6)
    }
    texts["zh"] = "灵活就业人员的缴费基数是4227元。\n" * 30
    langs = {k: "zh" if k == "zh" else "en" for k in texts}
    whole = find_matches(load_en_zh(), texts, langs)
    counts = score(load_en_zh(), texts, langs)
    monkeypatch.setattr(dic, "PIECE_DEFAULT", 100)  # a line or so: pieces end at line ends
    monkeypatch.setattr(dic, "PIECE", {"zh": 40})
    monkeypatch.setattr(dic, "BATCH_CHARS", 300)
    assert find_matches(load_en_zh(), texts, langs) == whole
    monkeypatch.setattr(dic, "POOL_MIN_CHARS", 0)
    assert find_matches(load_en_zh(), texts, langs, workers=2) == whole
    assert score(load_en_zh(), texts, langs, workers=2) == counts
    assert sum(sum(s.counts.values()) for s in counts) == len(whole) > 100


def load_en_zh() -> dic.Dictionary:
    return parse_dictionary(
        {
            "name": "both",
            "categories": {
                "money": {"terms": ["pay", "yuan"], "patterns": [[{"LIKE_NUM": True}]]},
                "contracts": {"terms": ["labour contract", "contract*"]},
                "insurance": {"terms": ["social insur*", "缴费基数", "灵活就业"]},
            },
        }
    )


# -- errors ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "name", "message"),
    [
        (
            "name: x\ncategories:\n  a:\n    description: no terms\n",
            "d.yaml",
            r"d\.yaml: categories/a: give terms or patterns",
        ),
        (
            "categories:\n  a:\n    terms: [x]\n",
            "d.yaml",
            r"d\.yaml: \(top level\): 'name' is a required property",
        ),
        (
            "name: x\ncategories:\n  a:\n    terms: pay\n",
            "d.yaml",
            r"d\.yaml: categories/a/terms: 'pay' is not of type 'array'",
        ),
        (
            "name: x\ncategories:\n  a:\n    terms: [ok, '  ']\n",
            "d.yaml",
            r"d\.yaml: categories/a/terms/1: a term must not be blank",
        ),
        (
            "name: x\ncategories: {}\n",
            "d.yaml",
            r"d\.yaml: categories: .*(non-empty|fewer than 1|should have)",
        ),
        (
            "name: x\ncategories:\n  a:\n    terms: [con*tract]\n",
            "d.yaml",
            r"d\.yaml: categories/a/terms/0: 'con\*tract': '\*' may only end a word",
        ),
        (
            "name: x\ncategories:\n  a:\n    terms: [pay, 'c*']\n",
            "d.yaml",
            r"d\.yaml: categories/a/terms/1: 'c\*': a wildcard needs two or more characters",
        ),
        (
            "name: x\ncategories:\n  a:\n    terms: [x]\n  b:\n    patterns: [[{LOWER: pay, FOO: 1}]]\n",
            "d.yaml",
            r"d\.yaml: categories/b/patterns/0: invalid token pattern: token 0, FOO: "
            r"Extra inputs are not permitted",
        ),
        (
            "name: x\ncategories:\n  b:\n    patterns: [[{LOWER: {REGEX: '('}}]]\n",
            "d.yaml",
            r"d\.yaml: categories/b/patterns/0: invalid token pattern: .*",
        ),
        (
            "name: x\ncategories:\n  a: [terms]\n  b:\n",
            "d.yaml",
            r"d\.yaml: categories/a: \['terms'\] is not of type 'object'",
        ),
        (
            "name: x\ncategories:\n  a:\n    terms: [pay\n  b: 1\n",
            "d.yaml",
            r"d\.yaml: not valid YAML \(line \d+, column \d+: .+\)",
        ),
        (
            '{"name": "x", "categories": {"a": {"terms": ["pay",]}}}',
            "d.json",
            r"d\.json: line 1, column \d+: not valid JSON \(.+\)",
        ),
        ("", "d.yaml", r"d\.yaml: is empty"),
    ],
)
def test_bad_dictionaries_are_refused_in_one_line(
    tmp_path: Path, cli: Any, text: str, name: str, message: str
) -> None:
    path = dictionary_file(tmp_path, text, name)
    with pytest.raises(InputFileError, match=message) as info:
        load_dictionary(path)
    assert "\n" not in str(info.value)
    assert str(path) in str(info.value)
    r = cli("dict", "check", str(path))
    assert r.code == 1 and r.out == ""
    assert r.err.count("\n") == 1 and r.err.startswith(f"error: {path}")


def test_missing_file(tmp_path: Path, cli: Any) -> None:
    r = cli("dict", "check", str(tmp_path / "none.yaml"))
    assert r.code == 1 and "none.yaml: no such file" in r.err


# -- the project: units, formats, figures ---------------------------------------------------------
@pytest.fixture
def corpus(project: Project, tmp_path: Path) -> Project:
    folder = tmp_path / "texts"
    a = write(
        folder / "a.txt", "I pay 845 yuan. My contract.\n"
    )  # 6 tokens: I pay 845 yuan My contract
    b = write(folder / "b.txt", "No contract, no pay, no labour contract.\n")  # 7 tokens
    c = write(folder / "c.txt", "Social insurance costs money.\n")  # 4 tokens
    z = write(folder / "z.txt", ZH_TEXT + "\n")
    project.documents.import_files([a, b], case="wang", attrs={"region": "north"})
    project.documents.import_files([c], case="li", attrs={"region": "south"})
    project.documents.import_files([z], case="zhang")
    return project


def test_score_by_document_case_and_attribute(corpus: Project, tmp_path: Path) -> None:
    from qcode.services.dictionary import DictionaryService

    path = dictionary_file(tmp_path, EN_DICT)
    service = DictionaryService(corpus)
    by_doc = service.score(path)
    assert by_doc.units == ["a", "b", "c", "z"]
    assert by_doc.tokens() == {
        "a": 6,
        "b": 7,
        "c": 4,
        "z": sum(t.is_word for t in tokenize(ZH_TEXT + "\n", "zh")),
    }
    assert by_doc.matrix("count") == [[2, 1, 0], [1, 2, 0], [0, 0, 1], [0, 0, 0]]

    by_case = service.score(path, by="case")
    assert by_case.units == ["li", "wang", "zhang"]
    cells = {(r.unit, r.category): r for r in by_case.rows}
    assert cells[("wang", "money")].count == 3 and cells[("wang", "money")].tokens == 13
    assert cells[("wang", "money")].rate == pytest.approx(3 / 13 * 1000)
    assert cells[("wang", "contracts")].documents == 2
    assert cells[("li", "insurance")].rate == pytest.approx(250.0)

    by_region = service.score(path, by="region", per=100)
    assert by_region.units == ["north", "south", "(no value)"]
    assert by_region.matrix("count")[0] == [3, 3, 0]
    assert by_region.matrix("rate")[0] == pytest.approx([300 / 13, 300 / 13, 0.0])
    assert service.score(path, by="attribute:region", per=100).rows == by_region.rows

    only = service.score(path, by="case", where=["region=south"])
    assert only.units == ["li"]
    docs = service.score(path, docs=["b"])
    assert docs.units == ["b"]


def test_matches_for_auto_coding(corpus: Project, tmp_path: Path) -> None:
    from qcode.services.dictionary import matches

    found = matches(corpus, load_dictionary(dictionary_file(tmp_path, ZH_DICT)))
    assert {m.document for m in found} == {"z"}
    text = corpus.documents.text("z")
    assert [text[m.start : m.end] for m in found] == [m.text for m in found]
    assert [m.text for m in found] == [
        "灵活就业",
        "缴费基数",
        "4227元",
        "养老保险",
        "医疗保险",
        "保险",
    ]
    only = matches(corpus, dictionary_file(tmp_path, EN_DICT), categories=["insurance"])
    assert [(m.document, m.text) for m in only] == [("c", "Social insurance")]


def test_cli_score_formats_and_figure(corpus: Project, tmp_path: Path, cli: Any) -> None:
    path = dictionary_file(tmp_path, EN_DICT)
    root = str(corpus.root)
    r = cli("-p", root, "dict", "score", str(path), "--format", "json", "--by", "case")
    assert r.code == 0, r.err
    rows = r.json()
    assert {"unit", "category", "count", "rate", "tokens"} <= set(rows[0])
    wang = {x["category"]: x for x in rows if x["unit"] == "wang"}
    assert wang["contracts"]["count"] == 3 and wang["contracts"]["rate"] == pytest.approx(
        3 / 13 * 1000
    )
    r = cli("-p", root, "dict", "score", str(path), "--format", "csv", "--per", "100")
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    assert lines[0] == "unit,category,count,tokens,rate,documents"
    assert lines[1].startswith("a,money,2,6,33.33")

    png = tmp_path / "out" / "dims.png"
    png.parent.mkdir()
    r = cli("-p", root, "dict", "score", str(path), "--figure", str(png))
    assert r.code == 0, r.err
    assert "per 1000 word tokens" in r.out and "stop words included" in r.out
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    from matplotlib.image import imread

    assert imread(png).shape[0] > 300
    svg = tmp_path / "out" / "dims.svg"
    assert cli("-p", root, "dict", "score", str(path), "--figure", str(svg)).code == 0
    assert "<svg" in svg.read_text()
    # --check: the heat map's findings, as the other figure commands give them
    r = cli("-p", root, "dict", "score", str(path), "--figure", str(svg), "--check")
    assert r.code == 0, r.out + r.err
    assert f"{svg}: " in r.out and ": clean" in r.out
    r = cli(
        "-p", root, "dict", "score", str(path), "--figure", str(png), "--check", "--format", "json"
    )
    assert r.code == 0 and "clean" in r.err
    pdf = tmp_path / "out" / "dims.pdf"
    r = cli("-p", root, "dict", "score", str(path), "--figure", str(pdf), "--check")
    assert r.code == 1 and "--check reads .png and .svg figures" in r.err
    assert len(r.err.strip().splitlines()) == 1 and not pdf.exists()

    r = cli("-p", root, "dict", "matches", str(path), "--doc", "a", "--format", "json")
    assert [(m["start"], m["end"], m["text"]) for m in r.json()] == [
        (2, 5, "pay"),
        (6, 14, "845 yuan"),
        (19, 27, "contract"),
    ]


def test_cli_errors_leave_the_project_unchanged(corpus: Project, tmp_path: Path, cli: Any) -> None:
    good = dictionary_file(tmp_path, EN_DICT)
    bad = dictionary_file(
        tmp_path, "name: x\ncategories:\n  b:\n    patterns: [[{OP: '?!'}]]\n", "bad.yaml"
    )
    before = snapshot(corpus)
    root = str(corpus.root)
    for args, message in [
        (
            ("dict", "score", str(bad)),
            f"error: {bad}: categories/b/patterns/0: invalid token pattern",
        ),
        (
            ("dict", "score", str(good), "--by", "regoin"),
            "error: no attribute 'regoin' to group by",
        ),
        (("dict", "score", str(good), "--where", "nope=1"), "error: no attribute 'nope'"),
        (("dict", "score", str(good), "--per", "0"), "error: --per 0: give a positive number"),
        (("dict", "score", str(good), "--figure", "x.gif"), "error: x.gif: a figure must end"),
        (("dict", "score", str(good), "--format", "xml"), "error: unknown format 'xml'"),
        (("dict", "matches", str(good), "--category", "nope"), "error: "),
    ]:
        r = cli("-p", root, *args)
        assert r.code == 1, (args, r.out)
        assert r.err.startswith(message) and r.err.count("\n") == 1, r.err
    assert snapshot(corpus) == before


def test_cli_check_summary(tmp_path: Path, cli: Any) -> None:
    r = cli("dict", "check", str(DICTIONARIES / "pension-talk.yaml"), "--format", "json")
    assert r.code == 0, r.err
    data = r.json()
    assert [c["category"] for c in data["categories"]][:2] == ["money", "contracts"]
    assert data["categories"][0]["patterns"] >= 1 and data["categories"][0]["wildcards"] >= 1
    r = cli("dict", "check", str(DICTIONARIES / "policy-dimensions.yaml"))
    assert r.code == 0 and "valid, 6 categories" in r.out


# -- the dictionaries that ship with the example study --------------------------------------------
@pytest.fixture(scope="module")
def example(
    tmp_path_factory: pytest.TempPathFactory, built_example: Callable[[Path], Path]
) -> Iterator[Project]:
    root = tmp_path_factory.mktemp("example") / "flexible-employment"
    with Project.open(built_example(root)) as p:
        yield p


def test_shipped_dictionaries_validate() -> None:
    import jsonschema
    import yaml

    schema = json.loads((EXAMPLE.parents[1] / "schemas" / "dictionary.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    for path in sorted(DICTIONARIES.glob("*.yaml")):
        jsonschema.Draft202012Validator(schema).validate(yaml.safe_load(path.read_text()))
        d = load_dictionary(path)
        assert len(d.categories) >= 6
    policy = load_dictionary(DICTIONARIES / "policy-dimensions.yaml")
    assert list(policy.categories) == [
        "quantity",
        "attention",
        "pertinence",
        "completeness",
        "detail",
        "accountability",
    ]


def test_shipped_dictionaries_score_the_example_study(example: Project) -> None:
    from qcode.services.dictionary import DictionaryService

    service = DictionaryService(example)
    langs = {d.name: d.language for d in example.documents.list()}
    policy = service.score(DICTIONARIES / "policy-dimensions.yaml", by="document")
    chinese = [r for r in policy.rows if langs[r.unit] == "zh"]
    found = {r.category for r in chinese if r.count}
    assert {"pertinence", "completeness", "detail"} <= found and len(found) >= 4
    assert all(r.count == 0 for r in policy.rows if langs[r.unit] == "en")

    talk = service.score(DICTIONARIES / "pension-talk.yaml", by="occupation")
    english = {r.category for r in talk.rows if r.count and r.unit.isascii()}
    assert english == set(talk.categories)  # every category in the English interviews
    money = [r for r in talk.rows if r.category == "money" and r.unit == "food-delivery rider"]
    assert money[0].count > 20 and money[0].documents == 2
