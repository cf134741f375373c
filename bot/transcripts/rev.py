"""rev.com transcripts: ``Speaker: (mm:ss)`` label lines with the speech below.

The first line is the date, the next a summary; ``[inaudible 00:16:09]`` marks
gaps and ``[Name 00:01:33]`` a spelling the transcriber was unsure of.
"""

from __future__ import annotations

import re

from .limits import check_turns
from .model import RawTurn, SourceInfo, Transcript
from .plain import is_chrome
from .speakers import assemble
from .text import clean, to_iso_date

LABEL_LINE = re.compile(r"^(?P<label>[^:()\n]{1,80}):\s*\((?P<ts>\d{1,2}:\d{2}(?::\d{2})?)\)\s*$")
# Lines are cleaned (spaces collapsed) first, and the body holds no bracket, so each
# "[" is looked at up to the next bracket only: linear on a line of brackets.
_ANNOTATION = re.compile(r"\[(?P<body>[^\[\]]{0,80}?) ?\d{1,2}:\d{2}:\d{2}\]")
_NOTES = ("inaudible", "crosstalk", "foreign language", "silence", "music", "laughter")
_FIRST_SENTENCE = re.compile(r"^(.+?[.!?])(?:\s|$)")


def _annotation(match: re.Match[str]) -> str:
    body = match["body"].strip()
    if not body or body.lower() in _NOTES:
        return f"[{body.lower() or 'inaudible'}]"
    return body


def looks_like_rev(lines: list[str]) -> bool:
    return sum(1 for line in lines[:400] if LABEL_LINE.match(line.strip())) >= 2


def parse_rev(text: str, quoted_speakers: list[str] | None = None) -> Transcript:
    """Parse a rev.com transcript; one speaker's consecutive segments become one turn."""

    info = SourceInfo()
    header: list[str] = []
    turns: list[RawTurn] = []
    for raw_line in text.splitlines():
        line = clean(raw_line)
        if not line or is_chrome(line):
            continue
        match = LABEL_LINE.match(line)
        if match:
            turns.append(RawTurn(match["label"], [], match["ts"]))
            check_turns(len(turns))
        elif turns:
            turns[-1].paragraphs.append(_ANNOTATION.sub(_annotation, line))
        elif info.date is None and not header and (iso := to_iso_date_strict(line)):
            info.date = iso
        else:
            header.append(line)
    if header:
        first = _FIRST_SENTENCE.match(header[0])
        info.title = (first[1] if first else header[0])[:200]
    return assemble("rev", info, turns, quoted_speakers=quoted_speakers)


def to_iso_date_strict(line: str) -> str | None:
    """A line that is nothing but a date (``Jun 16, 2021``), as ISO; else None."""
    if len(line) > 40 or not re.search(r"\d{4}", line):
        return None
    return to_iso_date(line)
