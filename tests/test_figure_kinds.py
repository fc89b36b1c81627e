"""The code line, the coding stripes and the paradigm map: drawn, clean by the geometry check,
and showing what they should."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import write

from qcode import Project
from qcode.analysis.figure_check import findings, read
from qcode.analysis.figure_kinds import _lines, codeline, paradigm_map, stripes

TEXT_EN = "\n".join(
    f"R{i}: the pension rules change again and the platform pays late, so I save less."
    for i in range(60)
)
TEXT_ZH = "\n".join(
    f"受访者{i}：平台的规则总在变，收入不稳定，所以我没有交养老保险。" for i in range(60)
)


def codings_for(text: str) -> list[tuple[str, int, int]]:
    starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    out = []
    for i, code in enumerate(["money", "rules", "family/children", "platform"]):
        for k in range(i, 50, 7):
            out.append((code, starts[k] + 2, starts[k] + 12 + 5 * i))
    return out


def test_lines_keep_offsets() -> None:
    text = "a" * 30 + " " + "b" * 30 + "\n" + "收入" * 20
    lines = _lines(text, 40)
    assert "".join(text[a:b] for a, b in lines).replace(" ", "") == text.replace("\n", "").replace(
        " ", ""
    )
    assert all(b - a <= 40 for a, b in lines)
    assert all(b - a <= 20 for a, b in lines[-2:])  # wide characters take two columns
    # a closing mark at the wrap goes down with the character before it, never alone
    text = "受访者：说是和一家劳务外包公司签的，叫什么人力资源服务公司。名字我都记不住。"
    lines = _lines(text, 32)
    assert "".join(text[a:b] for a, b in lines) == text and len(lines) > 2
    assert all(text[a] not in "，。" for a, _ in lines) and text[lines[1][0]] == "的"


@pytest.mark.parametrize("text", [TEXT_EN, TEXT_ZH])
def test_codeline_and_stripes_are_clean(text: str, tmp_path: Path) -> None:
    codings = codings_for(text)
    levels = {"money": "axial"}
    geom = read(codeline("P01", len(text), codings, levels, tmp_path / "c.png"))
    assert findings(geom) == []
    rows = {lab.text for lab in geom.labels}
    assert {"money", "rules", "children", "platform"} <= rows
    geom = read(stripes("P01", text, codings, levels, tmp_path / "s.svg"))
    assert findings(geom) == []
    caption = next(lab.text for lab in geom.labels if lab.text.startswith("Coding stripes"))
    assert "lines 1-" in caption and "of 60" in " ".join(caption.split())
    svg = (tmp_path / "s.svg").read_text(encoding="utf-8")
    assert svg.count("stroke-width: 3") >= 4  # the stripes
    assert svg.count("stroke: #1a1a1a; stroke-width: 3.8") >= 4  # outlined, for pale ones


def test_paradigm_map_is_clean(tmp_path: Path) -> None:
    def item(code: str, n: int) -> dict[str, object]:
        return {"code": code, "relation": 1, "comment": "", "evidence": n}

    sheet = {
        "phenomenon": "Participation resilience",
        "slots": {
            "causal conditions": [
                item("Economic pressure", 3),
                item("Ambiguous labour relations", 2),
            ],
            "context": [item("Institutional mismatch", 1)],
            "intervening conditions": [item("Support networks", 0), item("风险认知", 4)],
            "strategies": [item("Coping strategies", 5)],
            "consequences": [],
        },
        "empty": ["consequences"],
    }
    geom = read(paradigm_map(sheet, tmp_path / "p.png"))
    assert findings(geom) == []
    text = " ".join(lab.text for lab in geom.labels)
    assert "PHENOMENON\nParticipation resilience" in text and "风险认知 (4)" in text
    assert "(none yet)" in text and "empty: consequences" in text
    # every box's ink reads on its fill
    boxes = [lab for lab in geom.labels if lab.text.split("\n")[0].isupper()]
    assert len(boxes) == 6 and all(lab.background != "#ffffff" for lab in boxes)


def test_figure_kind_commands(project: Project, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    p = project
    p.documents.import_files([write(tmp_path / "a.txt", TEXT_EN)])
    for code, start, end in codings_for(TEXT_EN):
        if code not in {c.path for c in p.codes.list(counts=False)}:
            p.codes.add(code.split("/")[0]) if "/" in code else None
            p.codes.add(
                code.rsplit("/", 1)[-1], parent=code.split("/")[0]
            ) if "/" in code else p.codes.add(code)
        p.codings.apply("a", start, end, code)
    for kind in ("codeline", "stripes"):
        out = tmp_path / f"{kind}.png"
        r = cli("-p", str(p.root), "figure", kind, "a", str(out), "--check", "--size", "single")
        assert r.code == 0 and f"drew {out}" in r.out and "clean" in r.out
    r = cli("-p", str(p.root), "figure", "codeline", "a", str(tmp_path / "x.gif"))
    assert r.code == 1 and "x.gif: a figure must end in .png, .svg or .pdf" in r.err
    for args in (["figure", "codeline", "a"], ["freq", "--figure"], ["network", "--figure"]):
        missing = tmp_path / "no-such-folder" / "x.png"  # one line, no traceback, nothing made
        r = cli("-p", str(p.root), *args, str(missing))
        assert r.code == 1 and r.err == f"error: {missing}: its folder does not exist\n", r.err
        assert not missing.parent.exists()
    r = cli("-p", str(p.root), "figure", "stripes", "a", str(tmp_path / "x.pdf"), "--check")
    assert r.code == 1 and "--check reads .png and .svg" in r.err


LONG_NAMES = [
    "rumours in chat groups and short videos",
    "remittances and family obligations",
    "policy wording hard to understand",
    "money",
]


def test_codeline_at_the_smallest_size_shows_whole_names(tmp_path: Path) -> None:
    # a single column in grey: names longer than two fifths of the width are wrapped, not cut
    # at the figure's edge
    codings = [(name, 100 * i, 100 * i + 40) for i, name in enumerate(LONG_NAMES)]
    out = codeline("P01", 1000, codings, {}, tmp_path / "c.png", size="single", grey=True)
    geom = read(out)
    assert findings(geom) == []
    rows = {" ".join(lab.text.split()) for lab in geom.labels}
    assert set(LONG_NAMES) <= rows
    assert any("\n" in lab.text for lab in geom.labels)
    # and a margin at either side: the names on the left, the last position's number ("1000")
    # on the right
    assert all(lab.box[0] >= 4 and lab.box[2] <= geom.width - 4 for lab in geom.labels)
    assert all(lab.box[3] <= geom.height - 4 for lab in geom.labels)  # the title too


def test_paradigm_map_at_the_smallest_size_fits_and_points(tmp_path: Path) -> None:
    from PIL import Image

    def item(code: str) -> dict[str, object]:
        return {"code": code, "relation": 1, "comment": "", "evidence": 0}

    sheet = {
        "phenomenon": "Participation resilience",
        "slots": {
            "causal conditions": [item("Economic pressure"), item("Ambiguous labour relations")],
            "context": [item("Institutional mismatch")],
            "intervening conditions": [item("Information barriers"), item("Risk perception")],
            "strategies": [item("Coping strategies")],
            "consequences": [item("Participation outcomes")],
        },
        "empty": [],
    }
    out = paradigm_map(sheet, tmp_path / "p.png", size="single", grey=True, dpi=300)
    geom = read(out)
    assert findings(geom) == []  # no box over another or past the edge
    box = {lab.text.split("\n")[0]: lab.box for lab in geom.labels}
    # each arrow of the middle row ends in a head just before the box it points at (a bare
    # line is 0.8 pt thick; the head is wider)
    image = Image.open(out).convert("L")
    px = 300 / 72

    def dark(x: float, y: float) -> bool:
        value = image.getpixel((round(x * px), round((geom.height - y) * px)))
        return isinstance(value, int | float) and value < 100

    for target in ("PHENOMENON", "STRATEGIES", "CONSEQUENCES"):
        x0, y0, _, y1 = box[target]
        mid = (y0 + y1) / 2
        assert any(dark(x0 - dx, mid + dy) for dx in (4.5, 5.0, 5.5) for dy in (1.0, -1.0)), target
