"""Transcript parsing: one parser per format family behind :func:`parse`.

The family is detected from the content, never from the file name alone, so a
``.txt`` copy of a web page or a Markdown file saved as text still reads right.
"""

from __future__ import annotations

from pathlib import Path

from .html import parse_html
from .markdown import looks_like_markdown, parse_markdown
from .model import RawTurn, SourceInfo, Transcript, TranscriptError, Turn
from .plain import parse_plain
from .rev import looks_like_rev, parse_rev
from .text import decode

__all__ = [
    "RawTurn",
    "SourceInfo",
    "Transcript",
    "TranscriptError",
    "Turn",
    "detect_format",
    "parse",
    "parse_text",
]


def detect_format(text: str) -> str:
    """The format family of a transcript's text: html, markdown, rev or plain."""
    head = text[:4096].lstrip().lower()
    if head.startswith(("<!doctype html", "<html")) or ("<p" in head and "</p>" in text[:20000]):
        return "html"
    if looks_like_markdown(text):
        return "markdown"
    if looks_like_rev(text.splitlines()):
        return "rev"
    return "plain"


_PARSERS = {"html": parse_html, "markdown": parse_markdown, "rev": parse_rev, "plain": parse_plain}


def parse_text(text: str, quoted_speakers: list[str] | None = None) -> Transcript:
    """Parse transcript text of any supported family."""
    return _PARSERS[detect_format(text)](text, quoted_speakers)


def parse(path: Path, quoted_speakers: list[str] | None = None) -> Transcript:
    """Read and parse one transcript file; decoding problems become warnings."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise TranscriptError(f"cannot read file: {exc.strerror or exc}") from exc
    text, warning = decode(data)
    transcript = parse_text(text, quoted_speakers)
    if warning:
        transcript.warnings.append(warning)
    return transcript
