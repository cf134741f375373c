"""Markdown transcripts: press briefings with YAML front matter, and podcasts.

Briefings label paragraphs with ALL-CAPS names (``MS. JEAN-PIERRE:``) and ``Q`` for
reporters, hard-wrap their lines and carry ``<s>…</s> \\[…\\]`` corrections.
Podcasts label paragraphs ``**Name:**`` and stamp them ``\\[mm:ss\\]``; there every
real speaker is quotable.
"""

from __future__ import annotations

import html
import re
from collections.abc import Container
from typing import Any

import yaml

from .limits import MAX_FRONT_MATTER_CHARS, check_turns
from .model import RawTurn, SourceInfo, Transcript
from .speakers import assemble, is_asker_label, looks_like_label
from .text import clean, to_iso_date

_BOLD_LABEL = re.compile(r"^\*\*(?P<label>[^*\n]{1,80}?)(?::\*\*|\*\*\s*:)\s*(?P<rest>.*)$", re.S)
# A label as the file sets it in bold elsewhere, here plain ("Johnny Boursiquot: Wow").
_PLAIN_LABEL = re.compile(r"^(?P<label>[^*:\n]{2,80}):\s+(?P<rest>\S.*)$", re.S)
# A date in brackets after a place ("Via Teleconference (May 19, 2021)").
_DATED = re.compile(r"\s*\((?:[A-Z][a-z]+\.? \d{1,2}, \d{4})\)\s*$")
# A line longer than this above the first speaker is no place.
MAX_PLACE_CHARS = 100
_PSEUDO_BOLD = re.compile(r"^\*\*(?P<label>[^*\n:]{1,40})\*\*\s*$")
# An honorific written in title case before a name in capitals ("Mr. KIRBY:").
_TITLE_CASE_HONORIFIC = r"(?:Mr|Ms|Mrs|Dr)\.?\s+"
_CAPS_LABEL = re.compile(
    rf"^(?P<label>(?:{_TITLE_CASE_HONORIFIC})?[^\s:a-z][^:a-z\n]{{0,79}}?):\s+(?P<rest>.*)$", re.S
)
_Q_LINE = re.compile(r"^Q(?:\s+|:\s*)(?P<rest>\S.*)$", re.S)
# "[12:05]", "\[01:04:07\]", "\[01:04:07.23\]" (hundredths, in some episodes)
_TIMESTAMP = re.compile(r"\\?\[(?P<ts>\d{1,2}:\d{2}(?::\d{2})?)(?:\.\d{1,3})?\\?\]\s*")
_CLOCK_LINE = re.compile(r"^\d{1,2}:\d{2}\s*[AP]\.?M\.?(\s+[A-Z]{2,4})?$", re.I)
# A briefing's end mark, with the time it ended ("END 3:21 P.M. EST"): nobody's words.
_END_LINE = re.compile(r"^END(?:\s+\d{1,2}:\d{2}\s*[AP]\.?M\.?(?:\s+[A-Z]{2,4})?)?$")
# A struck passage runs to its closing tag and never past another opening one, so
# each "<s>" is scanned only to the next: linear however many are left open.
_STRUCK = re.compile(r"<(?P<t>s|del|strike)>(?:[^<]|<(?!/?(?P=t)>))*?</(?P=t)>\s*", re.S | re.I)
# A tag's attributes hold no "<": an unclosed "<em" is scanned only to the next tag.
_TAGS = re.compile(r"</?(?:em|i|b|strong|u|br|sup|sub|span)\b[^<>]*>", re.I)
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
# Emphasis never holds its own marker, so each marker is scanned only to the next one
# (".+?" made "*a " repeated 40,000 times take a minute).
_EMPHASIS = re.compile(
    r"\*\*(?=[^\s*])([^*]+?)(?<=\S)\*\*|__(?=[^\s_])([^_]+?)(?<=\S)__"
    r"|\*(?=[^\s*])([^*]+?)(?<=\S)\*|_(?=[^\s_])([^_]+?)(?<=\S)_"
)
_FRONT_MATTER_END = re.compile(r"^-{3,}[ \t]*$", re.M)
_ASIDE = re.compile(r"\[(?:laughs?|laughter|chuckles?|crosstalk)\]\s*", re.I)
# A link is its text ("[Plan 9](https://9p.io/plan9/) came out"): the words said. The
# target's two kinds of character (a bracket opening a pair, anything else) never
# overlap, so a long unclosed one is scanned once.
_LINK = re.compile(r"\[(?P<text>[^\[\]\n]{1,300})\]\((?:[^()\s]|\([^()\s]*\))+\)")


def _unmark(text: str) -> str:
    """Markdown paragraph to plain text: corrections applied, escapes, tags and link
    targets gone."""
    # each pattern needs a character most paragraphs lack, looked for in the text as it
    # is by then: cheaper than a scan by the pattern
    if "<" in text:
        text = _STRUCK.sub("", text)
    if "](" in text:
        text = _LINK.sub(r"\g<text>", text)
    if "<" in text:
        text = _TAGS.sub("", text)
    if "*" in text or "_" in text:
        text = _EMPHASIS.sub(_emphasised, text)
    if "\\" in text:
        text = _ESCAPE.sub(r"\1", text)
    if "[" in text:
        text = _ASIDE.sub("", text)
    if "&" in text:
        text = html.unescape(text)  # "It&#39;s": Markdown allows HTML's entities
    return text


def _emphasised(match: re.Match[str]) -> str:
    return next(g for g in match.groups() if g is not None)


class _NoAliasLoader(yaml.SafeLoader):
    """YAML without anchors and aliases: front matter never needs them, and an alias
    bomb in a title expands to gigabytes when the title is read."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise yaml.YAMLError("aliases are not allowed in front matter")
        return super().compose_node(parent, index)


def split_front_matter(text: str) -> tuple[dict[str, Any], str, list[str]]:
    """(metadata, body, warnings) of a Markdown file with optional YAML front matter.

    Front matter over MAX_FRONT_MATTER_CHARS, with aliases, or not a mapping is
    ignored with a warning; the body is kept either way.
    """
    if not text.startswith("---\n"):
        return {}, text, []
    end = _FRONT_MATTER_END.search(text, 4)
    if end is None:
        return {}, text, ["front matter not closed; read as text"]
    source, body = text[4 : end.start()], text[end.end() :].lstrip("\n")
    if len(source) > MAX_FRONT_MATTER_CHARS:
        return {}, body, [f"front matter over {MAX_FRONT_MATTER_CHARS:,} characters ignored"]
    try:
        meta = yaml.load(source, Loader=_NoAliasLoader)
    except Exception as exc:  # YAMLError, and constructors' ValueError, RecursionError...
        reason = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        return {}, body, [f"front matter ignored: {reason}"]
    if meta is None:
        return {}, body, []
    if not isinstance(meta, dict):
        return {}, body, ["front matter ignored: not a mapping"]
    return meta, body, []


def _scalar(meta: dict[str, Any], key: str, warnings: list[str]) -> Any:
    """A front-matter value that is a single value (text, number, date), else None."""
    value = meta.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, (list, dict, set, tuple, bytes)):
        warnings.append(f"front matter {key!r} ignored: not a single value")
        return None
    return value


def _paragraphs(body: str) -> list[str]:
    """Blank-line separated paragraphs with hard-wrapped lines joined; a line that a
    hard line break (two trailing spaces or a backslash) puts under the last and that
    opens with a speaker's label is a paragraph of its own (a briefing's question and
    its answer are often one block: "...for his house?  \nMS. JEAN-PIERRE: So I'm")."""
    out: list[str] = []
    for block in re.split(r"\n[ \t\u00a0]*\n", body.replace("\r\n", "\n")):
        lines: list[str] = []
        broken = False  # the last line ended with a hard line break
        for line in block.splitlines():
            if line.strip():
                if lines and broken and _label(line.strip())[0] is not None:
                    out.append(" ".join(lines))
                    lines = []
                lines.append(line.strip())
                broken = line.endswith(("  ", "\\"))
        out.append(" ".join(lines))
    return out


_HONORIFIC = re.compile(rf"^{_TITLE_CASE_HONORIFIC}(?=[A-Z])")


def _is_caps_label(label: str) -> bool:
    name = _HONORIFIC.sub("", label)
    letters = [c for c in name if c.isalpha()]
    return len(letters) >= 2 and name.upper() == name and looks_like_label(label.title())


def looks_like_markdown(text: str) -> bool:
    head = text[:20000]
    return head.startswith(("---\n", "---\r\n")) or bool(
        re.search(r"^\*\*[^*\n]{1,80}:\*\*", head, re.M)
    )


def parse_markdown(text: str, quoted_speakers: list[str] | None = None) -> Transcript:
    """Parse a Markdown briefing or podcast transcript."""
    meta, body, warnings = split_front_matter(text.replace("\r\n", "\n"))
    title = _scalar(meta, "title", warnings)
    url = _scalar(meta, "source_url", warnings)
    info = SourceInfo(
        title=clean(str(title)) or None if title is not None else None,
        date=to_iso_date(
            _scalar(meta, "date", warnings) or _scalar(meta, "published_time", warnings)
        ),
        url=str(url).strip() or None if url is not None else None,
    )
    podcast = False
    turns: list[RawTurn] = []
    header: list[str] = []
    paragraphs = list(_paragraphs(body))
    bold = {found[0] for p in paragraphs if (found := _bold_label(p)) and found[0]}
    for paragraph in paragraphs:
        if not paragraph or _CLOCK_LINE.match(paragraph) or _END_LINE.match(paragraph):
            continue
        if m := _PSEUDO_BOLD.match(paragraph):
            # "**Break**" on its own: what follows is not the last speaker's.
            turns.append(RawTurn(m["label"], []))
            check_turns(len(turns))
            continue
        label, rest = _label(paragraph, bold)
        if label is not None:
            podcast = podcast or paragraph.startswith("**")
            stamp = _TIMESTAMP.match(rest)
            turns.append(RawTurn(label, [], stamp["ts"] if stamp else None))
            check_turns(len(turns))
            paragraph = rest
        elif not turns:
            header.append(_unmark(paragraph))
            continue
        text_ = _unmark(_TIMESTAMP.sub("", paragraph))
        if text_:
            turns[-1].paragraphs.append(text_)
    info.place = _place(header)
    everyone = podcast and not any(is_asker_label(t.label) for t in turns)
    fmt = "markdown-podcast" if podcast else "markdown"
    return assemble(
        fmt, info, turns, quoted_speakers=quoted_speakers, everyone=everyone, warnings=warnings
    )


def _place(header: list[str]) -> str | None:
    """Where it was said: the first line above the first speaker that reads as a place.
    Not a heading in capitals ("REMARKS BY PRESIDENT TRUMP", "PRESS GAGGLE BY"), a
    date, a release line or a stage direction ("(A costumed Easter Bunny approaches
    the podium.)"); brackets, stray emphasis and a date after the place go."""
    for line in header:
        line = " ".join(line.replace("*", " ").split()).strip()
        line = _DATED.sub("", line).strip()
        if line[:1] + line[-1:] in ("()", "[]"):
            line = line[1:-1].strip()
        letters = [c for c in line if c.isalpha()]
        if (
            not letters
            or len(line) > MAX_PLACE_CHARS
            or (line.upper() == line and len(line.split()) > 1)
            or line.endswith((".", "!", "?"))
            or line.lower().startswith("for immediate release")
            or to_iso_date(line)
        ):
            continue
        return line
    return None


def _bold_label(paragraph: str) -> tuple[str, str] | None:
    """(label, the rest) of a paragraph that opens with a label in bold."""
    if (m := _BOLD_LABEL.match(paragraph)) and looks_like_label(label := _unmark(m["label"])):
        return label, m["rest"]
    return None


def _label(paragraph: str, bold: Container[str] = ()) -> tuple[str | None, str]:
    """(label, the rest) of a paragraph that opens with a speaker's label; ``bold``:
    the labels the file sets in bold, which name their speaker unbolded too
    ("Johnny Boursiquot: Wow...!" where he is "**Johnny Boursiquot:**" elsewhere)."""
    if found := _bold_label(paragraph):
        return found
    if (m := _PLAIN_LABEL.match(paragraph)) and m["label"] in bold:
        return m["label"], m["rest"]
    if m := _Q_LINE.match(paragraph):
        return "Q", m["rest"]
    if (m := _CAPS_LABEL.match(paragraph)) and _is_caps_label(m["label"]):
        return m["label"], m["rest"]
    return None, paragraph
