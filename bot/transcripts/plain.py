"""Plain ``Speaker: text`` transcripts, including kremlin.ru pages copied as text.

Unlabelled lines continue the previous speaker. Before the first label come page
chrome, a breadcrumb, the title, a ``Month D, YYYY, Place`` dateline and a narrated
intro; after the last answer, page leftovers and the dateline again.
"""

from __future__ import annotations

import re
from collections import Counter

from .limits import check_turns
from .model import RawTurn, SourceInfo, Transcript
from .speakers import assemble, is_asker_label, is_procedural_label, looks_like_label
from .text import clean, parse_dateline

KREMLIN_MARK = "Official website of the President of Russia"
# Web page furniture that survives a copy-and-paste of a transcript page.
CHROME = frozenset(
    s.casefold()
    for s in (
        "View settings",
        "Font size:",
        "Site colours:",
        "Images:",
        KREMLIN_MARK,
        "Sharing is caring!",
        "Leave a Reply",
        "Leave a Comment",
        "Print version",
        "Share",
        "Published at www.rev.com",
    )
)
_BREADCRUMB = re.compile(r"^[^\s/][^/]{0,40}\s+/$")
# "Name: text"; Chinese and Japanese transcripts use the full-width colon.
_LABEL_LINE = re.compile(r"^(?P<label>[^:：\n]{1,120}?)\s*[:：]\s*(?P<rest>.*)$")
_QUOTES = "\"“”«»„'‘’"


def is_chrome(line: str) -> bool:
    return line.casefold() in CHROME or bool(_BREADCRUMB.match(line))


def _label_of(line: str) -> tuple[str, str] | None:
    """(label, rest of the line) when the line opens with a name-like label."""
    match = _LABEL_LINE.match(line)
    if not match or not looks_like_label(match["label"]):
        return None
    return match["label"], match["rest"]


def _trusted(label: str, counts: Counter[str]) -> bool:
    """One capitalised word before a colon ("Second: ...") is a label only if it is a
    known role or recurs as one."""
    return (
        " " in label.strip()
        or counts[label] >= 2
        or is_asker_label(label)
        or is_procedural_label(label)
    )


def parse_plain(text: str, quoted_speakers: list[str] | None = None) -> Transcript:
    """Parse plain speaker lines (and kremlin.ru text copies) into a transcript."""
    lines: list[str] = []
    labels: list[tuple[str, str] | None] = []
    labelled = 0
    for raw_line in text.splitlines():
        line = clean(raw_line)
        found = _label_of(line)
        lines.append(line)
        labels.append(found)
        if found:
            labelled += 1
            check_turns(labelled)  # a million tiny turns stop here, not after the file
    counts = Counter(found[0] for found in labels if found)

    info = SourceInfo()
    header: list[str] = []
    turns: list[RawTurn] = []
    dateline: str | None = None
    kremlin = False
    for line, found in zip(lines, labels, strict=True):
        if not line:
            continue
        if line == KREMLIN_MARK:
            kremlin = True
        if is_chrome(line) or line == dateline:
            continue
        if found and _trusted(found[0], counts):
            label, rest = found
            turns.append(RawTurn(label, [rest] if rest else []))
            check_turns(len(turns))
        elif turns:
            turns[-1].paragraphs.append(line)
        elif dateline is None and (parsed := parse_dateline(line)):
            dateline = line
            info.date, info.place = parsed
        else:
            header.append(line)

    if header and len(header[0]) <= 200 and not header[0].endswith("."):
        info.title = header[0].strip(_QUOTES + " ") or None
    fmt = "kremlin-text" if kremlin else "plain"
    return assemble(fmt, info, turns, quoted_speakers=quoted_speakers)
