"""Transcript parsing: one parser per format family behind :func:`parse`.

The family is detected from the content, never from the file name alone, so a
``.txt`` copy of a web page or a Markdown file saved as text still reads right.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from . import limits
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
    "parse_bytes",
    "parse_text",
    "read_limited",
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


def read_limited(path: Path) -> bytes:
    """A regular file's bytes, refusing one over :data:`MAX_FILE_BYTES` before reading.

    Opened without blocking, so a FIFO put in a file's place cannot hang the reader.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise TranscriptError(f"cannot read file: {exc.strerror or exc}") from exc
    with os.fdopen(fd, "rb") as handle:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            raise TranscriptError("not a regular file")
        if status.st_size > limits.MAX_FILE_BYTES:
            raise TranscriptError(_too_big(status.st_size))
        try:
            data = handle.read(limits.MAX_FILE_BYTES + 1)  # the file may grow while it is read
        except OSError as exc:
            raise TranscriptError(f"cannot read file: {exc.strerror or exc}") from exc
    if len(data) > limits.MAX_FILE_BYTES:
        raise TranscriptError(_too_big(len(data)))
    return data


def _too_big(size: int) -> str:
    return (
        f"file too large ({size / 2**20:,.1f} MiB; the limit is"
        f" {limits.MAX_FILE_BYTES / 2**20:.0f} MiB): not a single transcript"
    )


def parse_bytes(data: bytes, quoted_speakers: list[str] | None = None) -> Transcript:
    """Parse a transcript file's content; decoding problems become warnings."""
    if len(data) > limits.MAX_FILE_BYTES:
        raise TranscriptError(_too_big(len(data)))
    text, warning = decode(data)
    transcript = parse_text(text, quoted_speakers)
    if warning:
        transcript.warnings.insert(0, warning)
    return transcript


def parse(path: Path, quoted_speakers: list[str] | None = None) -> Transcript:
    """Read and parse one transcript file; decoding problems become warnings."""
    return parse_bytes(read_limited(Path(path)), quoted_speakers)
