"""Decoding and clean-up of transcript text shared by every format."""

from __future__ import annotations

import re

from dateutil import parser as dateparser

from .model import TranscriptError

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"[\s\u00a0\u2007\u202f\u2009\u200a\u3000]+")
# "(Laughter.)", "(Cross-talk by reporters.)": narrated asides, not speech.
_STAGE_DIRECTION = re.compile(r"\s*\((?:[A-Z][^()]{0,80}?\.|Laughter|Applause|Inaudible)\)")
_MONTH_DATE = re.compile(
    r"^(?P<date>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? \d{1,2}, \d{4})"
    r"(?:,\s*(?P<place>.+))?$"
)


def decode(data: bytes) -> tuple[str, str | None]:
    """Bytes to text, never rejecting text that is merely not clean UTF-8.

    Returns the text and a warning when a fallback was needed. Binary data raises.
    """
    if not data.strip():
        raise TranscriptError("empty file")
    if b"\x00" in data[:8192]:
        raise TranscriptError("binary file (contains NUL bytes), not a transcript")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for c in text if ord(c) > 127) - bad
    # Mostly valid UTF-8 with a stray byte: keep it UTF-8. No valid multi-byte
    # characters at all: a legacy single-byte encoding.
    if good > bad and bad <= max(8, len(data) // 1000):
        return text, f"{bad} invalid UTF-8 byte(s) replaced (first at offset {first_bad})"
    return data.decode("cp1252", errors="replace"), "not UTF-8; decoded as Windows-1252"


def clean(text: str) -> str:
    """One paragraph made readable: invisible characters gone, spaces collapsed."""
    text = text.translate(_INVISIBLE)
    text = _STAGE_DIRECTION.sub("", text)
    return _SPACES.sub(" ", text).strip()


def parse_dateline(line: str) -> tuple[str, str | None] | None:
    """``July 4, 2024, Astana`` -> (``2024-07-04``, ``Astana``); None if not a dateline."""
    match = _MONTH_DATE.match(clean(line))
    if not match:
        return None
    iso = to_iso_date(match["date"])
    if iso is None:
        return None
    place = match["place"].strip() if match["place"] else None
    return iso, place or None


def to_iso_date(value: object) -> str | None:
    """Any date a transcript gives (text, date, datetime) as ``YYYY-MM-DD``, or None."""
    if value is None:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    try:
        return dateparser.parse(str(value)).date().isoformat()
    except (ValueError, OverflowError):
        return None
