"""Bounds on what one file may make quotebot do and store.

A transcript comes from anywhere, so every size the parsers and the store depend on
is capped here: a hostile or broken file is skipped (or its field shortened) with a
reason, and never costs minutes, gigabytes or an oversized Telegram message.
"""

from __future__ import annotations

from ..words import cut_at_word
from .model import SourceInfo, TranscriptError

# The largest real transcript in the three corpora (en.kremlin.ru, White House
# briefings, Go Time) is 355 KB; 4 MiB is 11 times that (some 80 hours of speech)
# and is parsed and stored in about 2 s (bench/hostile_corpus.py).
MAX_FILE_BYTES = 4 * 1024 * 1024
# Turns per file. The longest real transcript has 1,159; turn ids in the store are
# source id x 1,000,000 + position, so 50,000 keeps far below that, lets a file of a
# million tiny lines be refused while it is being read, and is parsed and stored in
# under 3 s.
MAX_TURNS = 50_000
# YAML front matter holds a title, a date and a URL: at most 693 bytes in the real
# briefings. 16 KiB is 23 times that and keeps YAML's own work (pure Python, so that
# aliases can be refused) under a fifth of a second.
MAX_FRONT_MATTER_CHARS = 16 * 1024
# Element nesting in an HTML page. Chromium's parser stops nesting at 512 and real
# transcript pages nest about 20 deep; deeper nesting makes the HTML parser quadratic
# (200,000 nested divs take minutes).
MAX_HTML_DEPTH = 512

# Stored fields, in characters. Each is shown in every reply, so together with the
# markup they must leave room for a quote within Telegram's 4,096 characters.
# Real titles run to about 250 characters (long kremlin.ru event names).
MAX_TITLE_CHARS = 300
# A place is a city, a building, or "On board the presidential aircraft".
MAX_PLACE_CHARS = 120
# A speaker label is a name plus titles ("President of Russia Vladimir Putin");
# the label rules already refuse longer ones.
MAX_SPEAKER_CHARS = 120
# Longer URLs are refused by many browsers and are never a transcript's address.
MAX_URL_CHARS = 2048
# "01:02:03" is eight characters; anything longer is not a timestamp.
MAX_TIMESTAMP_CHARS = 12
# A date is stored as YYYY-MM-DD; date text longer than this is never a date
# (and would make the date parser slow).
MAX_DATE_TEXT_CHARS = 64


def too_many_turns() -> TranscriptError:
    """The error for a file with more than :data:`MAX_TURNS` turns."""
    return TranscriptError(f"more than {MAX_TURNS:,} turns; not a transcript quotebot can store")


def check_turns(count: int) -> None:
    """Refuse a file as soon as its parser has found more than MAX_TURNS turns."""
    if count > MAX_TURNS:
        raise too_many_turns()


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, at a word when one is in the second
    half of the cut (a name or title keeps at least half of itself), with '…'."""
    return cut_at_word(text, limit, near=0.5)


def bounded_info(info: SourceInfo, warnings: list[str]) -> SourceInfo:
    """``info`` with every field within its limit; each change adds a warning."""
    title, place, url, date = info.title, info.place, info.url, info.date
    if title and len(title) > MAX_TITLE_CHARS:
        warnings.append(f"title of {len(title):,} characters cut to {MAX_TITLE_CHARS}")
        title = shorten(title, MAX_TITLE_CHARS)
    if place and len(place) > MAX_PLACE_CHARS:
        warnings.append(f"place of {len(place):,} characters cut to {MAX_PLACE_CHARS}")
        place = shorten(place, MAX_PLACE_CHARS)
    if url and len(url) > MAX_URL_CHARS:
        warnings.append(f"URL of {len(url):,} characters dropped (limit {MAX_URL_CHARS})")
        url = None
    elif url and not url.lower().startswith(("http://", "https://")):
        warnings.append("URL dropped: not an http(s) address")
        url = None
    if date and len(date) != 10:
        warnings.append("date dropped: not a YYYY-MM-DD date")
        date = None
    return SourceInfo(title=title, date=date, place=place, url=url)


def bounded_speaker(name: str) -> str:
    """A speaker name within :data:`MAX_SPEAKER_CHARS`."""
    return shorten(name, MAX_SPEAKER_CHARS)


def bounded_timestamp(stamp: str | None) -> str | None:
    """A timestamp, or None when it is too long to be one."""
    if stamp is None or len(stamp) > MAX_TIMESTAMP_CHARS:
        return None
    return stamp
