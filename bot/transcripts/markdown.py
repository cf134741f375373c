"""Markdown transcripts: press briefings with YAML front matter, and podcasts.

Briefings label paragraphs with ALL-CAPS names (``MS. JEAN-PIERRE:``) and ``Q`` for
reporters, hard-wrap their lines and carry ``<s>…</s> \\[…\\]`` corrections.
Podcasts label paragraphs ``**Name:**`` and stamp them ``\\[mm:ss\\]``; there every
real speaker is quotable.
"""

from __future__ import annotations

import re

import frontmatter

from .model import RawTurn, SourceInfo, Transcript
from .speakers import assemble, is_asker_label, looks_like_label
from .text import clean, to_iso_date

_BOLD_LABEL = re.compile(r"^\*\*(?P<label>[^*\n]{1,80}?)(?::\*\*|\*\*\s*:)\s*(?P<rest>.*)$", re.S)
_PSEUDO_BOLD = re.compile(r"^\*\*(?P<label>[^*\n:]{1,40})\*\*\s*$")
_CAPS_LABEL = re.compile(r"^(?P<label>[^\s:a-z][^:a-z\n]{0,79}?):\s+(?P<rest>.*)$", re.S)
_Q_LINE = re.compile(r"^Q(?:\s+|:\s*)(?P<rest>\S.*)$", re.S)
_TIMESTAMP = re.compile(r"\\?\[(?P<ts>\d{1,2}:\d{2}(?::\d{2})?)\\?\]\s*")
_CLOCK_LINE = re.compile(r"^\d{1,2}:\d{2}\s*[AP]\.?M\.?(\s+[A-Z]{2,4})?$", re.I)
_STRUCK = re.compile(r"<(s|del|strike)>.*?</\1>\s*", re.S | re.I)
_TAGS = re.compile(r"</?(?:em|i|b|strong|u|br|sup|sub|span)\b[^>]*>", re.I)
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_EMPHASIS = re.compile(r"(\*{1,2}|_{1,2})(?=\S)(.+?)(?<=\S)\1")
_ASIDE = re.compile(r"\[(?:laughs?|laughter|chuckles?|crosstalk)\]\s*", re.I)


def _unmark(text: str) -> str:
    """Markdown paragraph to plain text: corrections applied, escapes and tags gone."""
    text = _STRUCK.sub("", text)
    text = _TAGS.sub("", text)
    text = _EMPHASIS.sub(r"\2", text)
    text = _ESCAPE.sub(r"\1", text)
    return _ASIDE.sub("", text)


def _paragraphs(body: str) -> list[str]:
    """Blank-line separated paragraphs with hard-wrapped lines joined."""
    blocks = re.split(r"\n[ \t\u00a0]*\n", body.replace("\r\n", "\n"))
    return [" ".join(line.strip() for line in b.splitlines() if line.strip()) for b in blocks]


def _is_caps_label(label: str) -> bool:
    letters = [c for c in label if c.isalpha()]
    return len(letters) >= 2 and label.upper() == label and looks_like_label(label.title())


def looks_like_markdown(text: str) -> bool:
    head = text[:20000]
    return head.startswith("---\n") or bool(re.search(r"^\*\*[^*\n]{1,80}:\*\*", head, re.M))


def parse_markdown(text: str, quoted_speakers: list[str] | None = None) -> Transcript:
    """Parse a Markdown briefing or podcast transcript."""
    try:
        post = frontmatter.loads(text)
        meta, body = post.metadata, post.content
    except Exception:  # malformed front matter: keep the text, lose only the metadata
        meta, body = {}, re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
    info = SourceInfo(
        title=clean(str(meta["title"])) if meta.get("title") else None,
        date=to_iso_date(meta.get("date") or meta.get("published_time")),
        url=str(meta["source_url"]) if meta.get("source_url") else None,
    )
    podcast = False
    turns: list[RawTurn] = []
    header: list[str] = []
    for paragraph in _paragraphs(body):
        if not paragraph or _CLOCK_LINE.match(paragraph):
            continue
        if m := _PSEUDO_BOLD.match(paragraph):
            # "**Break**" on its own: what follows is not the last speaker's.
            turns.append(RawTurn(m["label"], []))
            continue
        label, rest = _label(paragraph)
        if label is not None:
            podcast = podcast or paragraph.startswith("**")
            stamp = _TIMESTAMP.match(rest)
            turns.append(RawTurn(label, [], stamp["ts"] if stamp else None))
            paragraph = rest
        elif not turns:
            header.append(_unmark(paragraph))
            continue
        text_ = _unmark(_TIMESTAMP.sub("", paragraph))
        if text_:
            turns[-1].paragraphs.append(text_)
    if header and len(header[0]) <= 100:
        info.place = header[0]
    everyone = podcast and not any(is_asker_label(t.label) for t in turns)
    fmt = "markdown-podcast" if podcast else "markdown"
    return assemble(fmt, info, turns, quoted_speakers=quoted_speakers, everyone=everyone)


def _label(paragraph: str) -> tuple[str | None, str]:
    if (m := _BOLD_LABEL.match(paragraph)) and looks_like_label(_unmark(m["label"])):
        return _unmark(m["label"]), m["rest"]
    if m := _Q_LINE.match(paragraph):
        return "Q", m["rest"]
    if (m := _CAPS_LABEL.match(paragraph)) and _is_caps_label(m["label"]):
        return m["label"], m["rest"]
    return None, paragraph
