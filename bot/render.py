"""Hits as text people read: Telegram HTML (escaped, within limits) and plain text."""

from __future__ import annotations

import re
from datetime import date as date_type
from html import escape, unescape
from pathlib import Path

from .search import Hit

MESSAGE_LIMIT = 4096


def human_date(iso: str | None) -> str | None:
    """``2024-07-04`` -> ``4 July 2024``."""
    if not iso:
        return None
    try:
        d = date_type.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{d.day} {d.strftime('%B %Y')}"


def source_title(hit: Hit) -> str:
    """The source's title, else a readable form of its file name."""
    return hit.title or Path(hit.file).stem.replace("_", " ").replace("-", " ")


def source_line(hit: Hit) -> str:
    """Title, date, place and timestamp, as plain text."""
    parts = [source_title(hit), human_date(hit.date), hit.place]
    line = ", ".join(p for p in parts if p)
    if hit.timestamp:
        line += f" (at {hit.timestamp})"
    return line


def hit_text(hit: Hit) -> str:
    """A hit for a terminal: quote, speaker, source."""
    lines = [f"“{hit.quote}”", f"  — {hit.speaker}", f"  {source_line(hit)}"]
    if hit.url:
        lines.append(f"  {hit.url}")
    return "\n".join(lines)


def hit_html(hit: Hit) -> str:
    """A hit for Telegram: the quote as a blockquote, who said it, and the source."""
    title = escape(source_title(hit))
    if hit.url:
        title = f'<a href="{escape(hit.url, quote=True)}">{title}</a>'
    details = [human_date(hit.date), hit.place]
    source = ", ".join([title, *(escape(d) for d in details if d)])
    if hit.timestamp:
        source += f" (at {escape(hit.timestamp)})"
    speaker = f"— <b>{escape(hit.speaker[:200])}</b>"
    room = MESSAGE_LIMIT - len(source) - len(speaker) - len("<blockquote></blockquote>\n\n")
    return f"<blockquote>{_escaped_within(hit.quote, room)}</blockquote>\n{speaker}\n{source}"


def _escaped_within(text: str, room: int) -> str:
    """``text`` HTML-escaped, cut at a word so the escaped form fits in ``room``."""
    escaped = escape(text)
    if len(escaped) <= room:
        return escaped
    while len(escaped) > room and text:
        text = text[: max(0, min(len(text) - 1, room - 1))].rsplit(" ", 1)[0]
        escaped = escape(text) + "…"
    return escaped


def question_html(hit: Hit) -> str:
    """The question that was asked, and who asked it, within one message."""
    if not hit.question:
        return "No question was recorded before this answer."
    who = f"<b>{escape((hit.asked_by or 'Someone')[:200])}</b> asked:\n"
    room = MESSAGE_LIMIT - len(who) - len("<blockquote></blockquote>")
    return f"{who}<blockquote>{_escaped_within(hit.question, room)}</blockquote>"


def answer_parts(hit: Hit) -> list[str]:
    """The whole answer as messages of at most 4,096 characters, split on paragraphs.

    Each part is a complete blockquote, so no tag is ever cut.
    """
    header = f"— <b>{escape(hit.speaker)}</b>, {escape(source_line(hit))}\n"
    parts: list[str] = []
    current: list[str] = []
    budget = MESSAGE_LIMIT - len(header) - len("<blockquote expandable></blockquote>") - 8
    size = 0
    for paragraph in _chunks(hit.answer, budget):
        piece = escape(paragraph)
        if current and size + len(piece) + 2 > budget:
            parts.append("\n\n".join(current))
            current, size = [], 0
        current.append(piece)
        size += len(piece) + 2
    if current:
        parts.append("\n\n".join(current))
    messages = [f"<blockquote expandable>{p}</blockquote>" for p in parts]
    messages[0] = header + messages[0]
    return messages


def _chunks(text: str, budget: int) -> list[str]:
    """Paragraphs, with any paragraph too long for one message cut at a space."""
    out: list[str] = []
    for paragraph in text.split("\n\n"):
        while len(escape(paragraph)) > budget:
            cut = paragraph[: budget // 2].rsplit(" ", 1)[0] or paragraph[: budget // 2]
            out.append(cut)
            paragraph = paragraph[len(cut) :].lstrip()
        if paragraph:
            out.append(paragraph)
    return out


def plain_text(html_text: str) -> str:
    """Telegram HTML as terminal text (the terminal chat prints what the bot sends)."""
    text = re.sub(r"</?blockquote[^>]*>", "\n", html_text)
    text = re.sub(r"<[^>]+>", "", text)
    return unescape(re.sub(r"\n{3,}", "\n\n", text)).strip()
