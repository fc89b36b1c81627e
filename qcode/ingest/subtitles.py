"""WebVTT and SubRip captions as a transcript: one line per speaker turn.

Timestamps, cue numbers and identifiers, the WEBVTT header and NOTE, STYLE and REGION blocks are
dropped. A WebVTT voice span ``<v Speaker>text`` becomes ``Speaker: text``; other tags are removed
with their text kept; entities are decoded. A cue's lines are joined with a space. Consecutive cues
of the same speaker (or unlabelled cues after a labelled one) are merged into one line; a new
speaker, or a cue that opens with its own speaker label (``W07:``, ``受访者：``; see
:mod:`qcode.text.speakers`), starts a new line. The voices' names are returned too, so that they
open turns even where they would not look like labels (``<v roger>``).
"""

from __future__ import annotations

import html
import re

from qcode.text.speakers import compile_speaker_patterns, match_label

_TIMING = re.compile(r"^\s*(\d+:)?\d{1,2}:\d{2}[.,]\d{1,3}\s*-->\s*(\d+:)?\d{1,2}:\d{2}[.,]\d{1,3}")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?\s+([^>]+)>")
_TAG = re.compile(r"</?[^>]*>")
_RULES = compile_speaker_patterns(None)


def _cues(text: str, fmt: str) -> list[list[str]]:
    """The text lines of each cue."""
    blocks = re.split(r"\n\s*\n", text.strip("\n"))
    cues = []
    for i, block in enumerate(blocks):
        lines = block.split("\n")
        if fmt == "vtt" and i == 0 and lines[0].startswith("WEBVTT"):
            continue
        if fmt == "vtt" and lines[0].split(" ", 1)[0] in ("NOTE", "STYLE", "REGION"):
            continue
        for j, line in enumerate(lines):
            if _TIMING.match(line):
                cues.append([ln for ln in lines[j + 1 :] if ln.strip()])
                break
    return cues


def subtitle_text(text: str, fmt: str) -> tuple[str, list[str]]:
    """The transcript of a caption file, and the names of its WebVTT voices."""
    out: list[tuple[str | None, str]] = []  # (speaker, line text)
    voices: dict[str, None] = {}
    for cue in _cues(text, fmt):
        raw = " ".join(cue)
        m = _VOICE.search(raw)
        speaker = " ".join(m.group(1).split()) if m else None
        body = " ".join(html.unescape(_TAG.sub("", raw)).replace("\u00a0", " ").split())
        body = body.replace("\u200e", "").replace("\u200f", "")
        if not body:
            continue
        if speaker is not None:
            voices[speaker] = None
            if out and out[-1][0] == speaker:
                out[-1] = (speaker, out[-1][1] + " " + body)
            else:
                out.append((speaker, f"{speaker}: {body}"))
        elif (label := match_label(body, 0, len(body), _RULES)) is not None:
            out.append((label[0], body))
        elif out and out[-1][0]:
            out[-1] = (out[-1][0], out[-1][1] + " " + body)
        else:
            out.append(("", body))
    return "\n".join(line for _, line in out), list(voices)
