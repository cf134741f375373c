"""Decoding and clean-up of transcript text shared by every format."""

from __future__ import annotations

import re

from dateutil import parser as dateparser

from .limits import MAX_DATE_TEXT_CHARS
from .model import TranscriptError

_INVISIBLE_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_INVISIBLE = dict.fromkeys(map(ord, _INVISIBLE_CHARS), None)
_HAS_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]")
# "(Laughter.)", "(Cross-talk by reporters.)": narrated asides, not speech. Applied
# after spaces are collapsed, so one optional space before it is all there is to
# take (a "\s*" there is quadratic on a line of spaces).
_STAGE_DIRECTION = re.compile(r" ?\((?:[A-Z][^()]{0,80}?\.|Laughter|Applause|Inaudible)\)")
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# Bytes looked at to tell text from binary data and UTF-16 without a BOM.
_SNIFF_BYTES = 8192
# Share of NUL bytes at odd (or even) offsets that marks BOM-less UTF-16 text.
_UTF16_NUL_SHARE = 0.4
_MONTH_DATE = re.compile(
    r"^(?P<date>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? \d{1,2}, \d{4})"
    r"(?:,\s*(?P<place>.+))?$"
)


def decode(data: bytes) -> tuple[str, str | None]:
    """Bytes to text, never rejecting text that is merely not clean UTF-8.

    Returns the text and a warning when a fallback was needed. UTF-16 and UTF-32
    (with a byte order mark, or UTF-16 without one) are text too. Binary data raises.
    """
    if not data.strip():
        raise TranscriptError("empty file")
    wide = _wide_encoding(data)
    if wide is not None:
        text = data.decode(wide, errors="replace").lstrip("\ufeff")
        if not text.strip():
            raise TranscriptError("empty file")
        bad = text.count("\ufffd")
        return text, f"decoded as {wide.upper()}" + (
            f" ({bad} invalid unit(s) replaced)" if bad else ""
        )
    if b"\x00" in data[:_SNIFF_BYTES]:
        raise TranscriptError("binary file (contains NUL bytes), not a transcript")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = len(text) - len(text.encode("ascii", "ignore")) - bad
    # Mostly valid UTF-8 with a stray byte: keep it UTF-8. No valid multi-byte
    # characters at all: a legacy single-byte encoding.
    if good > bad and bad <= max(8, len(data) // 1000):
        return text, f"{bad} invalid UTF-8 byte(s) replaced (first at offset {first_bad})"
    return data.decode("cp1252", errors="replace"), "not UTF-8; decoded as Windows-1252"


def _wide_encoding(data: bytes) -> str | None:
    """The UTF-16/32 codec ``data`` is in, from its BOM or its NUL pattern; else None."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec
    head = data[:_SNIFF_BYTES]
    half = len(head) // 2
    if half < 8:
        return None
    if head[1::2].count(0) >= _UTF16_NUL_SHARE * half and not head[0::2].count(0):
        return "utf-16-le"
    if head[0::2].count(0) >= _UTF16_NUL_SHARE * half and not head[1::2].count(0):
        return "utf-16-be"
    return None


def clean(text: str) -> str:
    """One paragraph made readable: invisible characters gone, spaces collapsed."""
    if _HAS_INVISIBLE.search(text):  # translate() is slow, and rarely needed
        text = text.translate(_INVISIBLE)
    # every run of spaces of any kind (no-break and thin ones too: str.isspace, as the
    # pattern \s) becomes one plain space: splitting is several times faster than a
    # pattern doing the same
    text = " ".join(text.split())
    if "(" in text:
        text = _STAGE_DIRECTION.sub("", text)
    return text.strip()


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
    if len(str(value)) > MAX_DATE_TEXT_CHARS:
        return None
    try:
        return dateparser.parse(str(value)).date().isoformat()
    except (ValueError, OverflowError, TypeError):
        return None
