"""Hits as text people read: Telegram HTML (escaped, within limits) and plain text.

Every message fits in Telegram's limit by construction, whatever the stored fields
hold: each field around the quote has a fixed budget (cut with '…' past it), and the
quote or answer gets what is left. Lengths are counted in UTF-16 code units, as
Telegram counts them, over the escaped text (never less than what Telegram sees).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date as date_type
from html import escape, unescape
from pathlib import Path

from .search import Hit
from .words import cut_at_word, cut_point, split_sentences

MESSAGE_LIMIT = 4096
# Budgets of the fields every reply shows, in UTF-16 units after escaping. Stored
# fields are bounded at ingest (a title at 300 characters, a speaker at 120), but
# escaping can multiply a length by six ("&quot;"), and a database may predate the
# bounds. Together with the markup they leave at least 1,500 units for the quote.
SPEAKER_ROOM = 200
TITLE_ROOM = 600
# Date, place and timestamp together.
DETAILS_ROOM = 400
# A longer (escaped) link is left out and the title shown without it.
URL_ROOM = 1200
# The source line of the full answer's first message and of plain text.
SOURCE_ROOM = TITLE_ROOM + DETAILS_ROOM
# A cut is moved back to the last space when that loses at most this share of the text.
_WORD_CUT_SHARE = 0.3
ELLIPSIS = "…"


def units(text: str) -> int:
    """Length in UTF-16 code units: what Telegram's limits count."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def _plain(text: str) -> str:
    return text


def _escaped_units(text: str) -> int:
    return units(escape(text))


def fit(text: str, room: int, render: Callable[[str], str] = escape) -> str:
    """``render(text)``, or of its start cut at a word with '…', in at most ``room`` units."""
    rendered = render(text)
    if units(rendered) <= room:
        return rendered
    if room < len(ELLIPSIS):
        return ""
    k = cut_point(text, room - len(ELLIPSIS), lambda s: units(render(s)), _WORD_CUT_SHARE)
    return render(text[:k].rstrip()) + ELLIPSIS


# A run of hex digits this long in a file name is a hash, not a name.
_HASHLIKE = re.compile(r"\b[0-9a-f]{12,}\b")


def human_date(iso: str | None) -> str | None:
    """``2024-07-04`` -> ``4 July 2024``."""
    if not iso:
        return None
    try:
        d = date_type.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{d.day} {d.strftime('%B %Y')}"


# After a timestamp: where in the recording, lest "16 June 2021, 20:48" read as a time.
INTO_RECORDING = "into the recording"


def source_title(hit: Hit) -> str:
    """The source's title, else a readable form of its file name (hashes left out:
    ``000_20ad4156766dc070.txt`` is "Transcript 000"; ``go-time-301.md`` "Go Time 301")."""
    if hit.title:
        return hit.title
    name = _HASHLIKE.sub("", Path(hit.file).stem.replace("_", " ").replace("-", " "))
    name = " ".join(name.split())
    if name.islower():
        name = " ".join(w[:1].upper() + w[1:] for w in name.split())
    return name if name and not name.isdigit() else f"Transcript {name}".rstrip()


def _names_date(title: str | None, iso: str | None) -> bool:
    """Whether ``title`` already gives the date (``June 16, 2021``, ``16 June 2021``,
    ``March 3rd, 2022``, ``Sept. 16, 2021``)."""
    if not title or not iso:
        return False
    try:
        d = date_type.fromisoformat(iso)
    except ValueError:
        return False
    folded = " ".join(_ORDINAL.sub(r"\1", title).replace(".", " ").split()).casefold()
    for month in {d.strftime("%B"), d.strftime("%B")[:3], d.strftime("%B")[:4]}:
        forms = (f"{month} {d.day}, {d.year}", f"{d.day} {month} {d.year}", d.isoformat())
        if any(form.casefold() in folded for form in forms):
            return True
    return False


# "3rd", "21st": a day of the month as a title may write it.
_ORDINAL = re.compile(r"(\d)(?:st|nd|rd|th)\b")


def _details(hit: Hit, render: Callable[[str], str]) -> str:
    """``, 4 July 2024, Astana (01:37 into the recording)`` within DETAILS_ROOM,
    rendered; the date only when the title does not give it already (a timestamp is a
    place in the recording, not a time of day)."""
    when = None if _names_date(hit.title, hit.date) else human_date(hit.date)
    parts = [p for p in (when, hit.place) if p]
    text = "".join(f", {p}" for p in parts)
    if hit.timestamp:
        text += f" ({hit.timestamp} {INTO_RECORDING})"
    return fit(text, DETAILS_ROOM, render)


def source_line(hit: Hit) -> str:
    """Title, date, place and timestamp, as plain text (at most SOURCE_ROOM units)."""
    return fit(source_title(hit), TITLE_ROOM, _plain) + _details(hit, _plain)


def _link(url: str | None) -> str | None:
    """The escaped href for ``url``, or None when it is not a short http(s) address."""
    if not url or not url.lower().startswith(("http://", "https://")):
        return None
    href = escape(url, quote=True)
    return href if units(href) <= URL_ROOM else None


def hit_text(hit: Hit, note: str | None = None) -> str:
    """A hit for a terminal: quote, speaker, source (within MESSAGE_LIMIT too);
    ``note`` (e.g. "not sure this is it") goes first, on a line of its own."""
    lead = f"{fit(note, NOTE_ROOM, _plain)}\n" if note else ""
    speaker = f"  — {fit(hit.who, SPEAKER_ROOM, _plain)}"
    source = f"  {source_line(hit)}"
    url = f"\n  {hit.url}" if _link(hit.url) else ""
    room = MESSAGE_LIMIT - units(lead) - units(speaker) - units(source) - units(url) - len("“”\n\n")
    return f"{lead}“{fit(hit.quote, room, _plain)}”\n{speaker}\n{source}{url}"


def hit_html(hit: Hit, link: str | None = None, note: str | None = None) -> str:
    """A hit for Telegram: the quote as a blockquote, who said it, and the source;
    ``link`` (a bot deep link, see :func:`deep_link`) ends messages that are shared;
    ``note`` (plain text, e.g. "not sure this is it") goes first, in italics."""
    title = fit(source_title(hit), TITLE_ROOM)
    href = _link(hit.url)
    if href:
        title = f'<a href="{href}">{title}</a>'
    source = title + _details(hit, escape) + link_html(link)
    speaker = f"— <b>{fit(hit.who, SPEAKER_ROOM)}</b>"
    lead = f"<i>{fit(note, NOTE_ROOM)}</i>\n" if note else ""
    room = (
        MESSAGE_LIMIT
        - units(lead)
        - units(source)
        - units(speaker)
        - len("<blockquote></blockquote>\n\n")
    )
    return f"{lead}<blockquote>{fit(hit.quote, room)}</blockquote>\n{speaker}\n{source}"


# Characters of a note above a quote (one short sentence).
NOTE_ROOM = 120


# -- citing and sharing -----------------------------------------------------------
# Telegram's limit on a copy-text button's text, in characters (counted here in UTF-16
# units, never fewer than characters).
CITE_LIMIT = 256
# Budgets inside a citation, in characters: enough for a name, a short title and a
# place, so that the quote, which gets the rest, always keeps at least CITE_QUOTE_MIN.
CITE_SPEAKER_ROOM = 40
CITE_TITLE_ROOM = 70
CITE_DATE_ROOM = 18
CITE_PLACE_ROOM = 20
CITE_TIMESTAMP_ROOM = 12
# A source URL longer than this is replaced by the (shorter) bot deep link.
CITE_URL_ROOM = 80
# The least of the quote a citation keeps before the source's title is cut further.
CITE_QUOTE_MIN = 80
# Tighter budgets (speaker, title) tried in turn when a citation does not leave the
# quote CITE_QUOTE_MIN: the last one always does (see test_citation_always_fits).
_CITE_SQUEEZES = ((CITE_SPEAKER_ROOM, CITE_TITLE_ROOM), (32, 40), (20, 16))
# Telegram's limit on a photo caption, in characters after parsing the HTML.
CAPTION_LIMIT = 1024
# A card caption's title budget: with SPEAKER_ROOM, DETAILS_ROOM and a deep link the
# caption's markup alone stays under CAPTION_LIMIT, so its visible text does too.
CAPTION_TITLE_ROOM = 300
# A cut after a whole sentence must keep at least this share of the room a citation
# has for its quote; a shorter one wastes the room, and the quote is cut at a word.
SENTENCE_CUT_SHARE = 0.6
# Telegram bot usernames are 5-32 characters of letters, digits and underscores.
_USERNAME = re.compile(r"[A-Za-z0-9_]{5,32}")


def quote_key(answer_id: int, at: int = 0) -> str:
    """``q<id>``, or ``q<id>_<at>`` for the passage from character ``at`` of a long
    answer: what a deep link and a shared quote name (Telegram's start payloads allow
    letters, digits, ``_`` and ``-``)."""
    return f"q{answer_id}_{at}" if at > 0 else f"q{answer_id}"


def deep_link(username: str | None, answer_id: int, at: int = 0) -> str | None:
    """``t.me/<bot>?start=q<id>``: the way back to one quote, the passage shown (from
    character ``at``) when it is not the opening (None without a username)."""
    if not username or not _USERNAME.fullmatch(username):
        return None
    return f"t.me/{username}?start={quote_key(answer_id, at)}"


def link_html(link: str | None) -> str:
    """A deep link as its own last line of a message, or "" without one."""
    if not link:
        return ""
    return f'\n<a href="https://{escape(link, quote=True)}">{escape(link)}</a>'


def shorten(text: str, limit: int, mark: str = " …", min_share: float = 0.0) -> str:
    """``text`` within ``limit`` characters, cut after its last whole sentence that fits
    (``mark`` added); when that keeps less than ``min_share`` of ``limit``, or the first
    sentence is longer than that, it is cut at a word instead."""
    if len(text) <= limit:
        return text
    kept = ""
    for sentence in split_sentences(text):
        candidate = f"{kept} {sentence}".strip()
        if len(candidate) + len(mark) > limit:
            break
        kept = candidate
    if kept and len(kept) + len(mark) >= limit * min_share:
        return kept + mark
    return cut_at_word(text, limit)


def citation(hit: Hit, link: str | None = None) -> str:
    """A plain-text citation within CITE_LIMIT: “quote” — who, “title”, date, place,
    at timestamp. URL; the bot deep link ``link`` stands in for a URL too long to fit."""
    url = hit.url if _link(hit.url) else None
    short_url = url if url and len(url) <= CITE_URL_ROOM else None
    targets = [t for t in (short_url, link) if t] or [url]
    details = [
        fit(human_date(hit.date) or "", CITE_DATE_ROOM, _plain),
        fit(hit.place or "", CITE_PLACE_ROOM, _plain),
    ]
    if hit.timestamp:
        # "at" alone: the citation's 256 characters are Telegram's copy-button limit
        details.append(f"at {fit(hit.timestamp, CITE_TIMESTAMP_ROOM, _plain)}")
    quote = " ".join(hit.quote.split())

    def tail(target: str | None, speaker_room: int, title_room: int) -> str:
        parts = [fit(hit.who, speaker_room, _plain)]
        parts.append(f"“{fit(source_title(hit), title_room, _plain)}”")
        parts.extend(d for d in details if d)
        said = ", ".join(parts)
        end = "" if said.endswith(ELLIPSIS) else "."  # "Brady…", not "Brady…."
        return " — " + said + end + (f" {target}" if target else "")

    # the link matters more than a long title: squeeze the title before dropping it;
    # with no link that fits, the title as little squeezed as the room allows
    tails = [tail(t, *rooms) for rooms in _CITE_SQUEEZES for t in targets]
    tails += [tail(None, *rooms) for rooms in _CITE_SQUEEZES]
    after = next(
        (t for t in tails if CITE_LIMIT - units(t) - 2 >= CITE_QUOTE_MIN),
        tail(None, *_CITE_SQUEEZES[-1]),
    )
    room = CITE_LIMIT - units(after) - len("“”")
    return f"“{fit(shorten(quote, room, min_share=SENTENCE_CUT_SHARE), room, _plain)}”{after}"


def card_caption(hit: Hit, link: str | None = None) -> str:
    """The caption under a quote card (HTML, within CAPTION_LIMIT): who said it, the
    source, and the deep link back to the full answer."""
    speaker = f"— <b>{fit(hit.who, SPEAKER_ROOM)}</b>"
    title = fit(source_title(hit), CAPTION_TITLE_ROOM)
    href = _link(hit.url)
    if href:
        title = f'<a href="{href}">{title}</a>'
    return f"{speaker}\n{title}{_details(hit, escape)}{link_html(link)}"


def question_html(hit: Hit) -> str:
    """The question that was asked, and who asked it, within one message."""
    if not hit.question:
        return "No question was recorded before this answer."
    who = f"<b>{fit(hit.asked_by or 'Someone', SPEAKER_ROOM)}</b> asked:\n"
    room = MESSAGE_LIMIT - units(who) - len("<blockquote></blockquote>")
    return f"{who}<blockquote>{fit(hit.question, room)}</blockquote>"


_OPEN, _CLOSE = "<blockquote expandable>", "</blockquote>"
# A whole speech given as one answer (an address to the Federal Assembly runs to 82,000
# characters) would be twenty messages at once: at most this many are sent, the last
# saying how many words are left and where the whole answer is.
MAX_ANSWER_MESSAGES = 4
# Room kept in the last of them for that line: its words and the source's link (and
# in the first, for the line saying how many words come before).
REST_ROOM = URL_ROOM + 100
# Characters of a quote that find where it begins in its answer.
PASSAGE_KEY_CHARS = 60


def passage_at(hit: Hit) -> int:
    """Where in the answer the hit's quote begins (characters), 0 when it is the opening
    or cannot be found: the Full answer of a speech starts there."""
    start = hit.quote.strip().lstrip(ELLIPSIS).strip()[:PASSAGE_KEY_CHARS]
    at = hit.answer.find(start) if start else -1
    return max(0, at)


def answer_parts(hit: Hit, around: int = 0) -> list[str]:
    """The whole answer as messages of at most 4,096 units, split on paragraphs, at
    most ``MAX_ANSWER_MESSAGES`` of them: from the one holding character ``around`` (the
    passage a search showed) when the whole would be more, the first then saying how
    many words come before and the last how many are left.

    Each part is a complete blockquote, so no tag is ever cut; a paragraph too long
    for one message is cut at spaces (or anywhere, when it has none).
    """
    speaker = fit(hit.who, SPEAKER_ROOM)
    header = f"— <b>{speaker}</b>, {fit(source_line(hit), SOURCE_ROOM)}\n"
    budget = MESSAGE_LIMIT - units(header) - len(_OPEN) - len(_CLOSE)
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for piece in _pieces(hit.answer, budget):
        cost = units(piece)
        if current and size + 2 + cost > budget:
            parts.append("\n\n".join(current))
            current, size = [], 0
        size += cost + (2 if current else 0)
        current.append(piece)
    if current:
        parts.append("\n\n".join(current))
    lead = rest = ""
    if len(parts) > MAX_ANSWER_MESSAGES:
        counts = [len(unescape(p).split()) for p in parts]
        wanted = len(hit.answer[: max(0, around)].split())
        holding = next(
            (i for i in range(len(parts)) if sum(counts[: i + 1]) > wanted), len(parts) - 1
        )
        first = min(holding, len(parts) - MAX_ANSWER_MESSAGES)
        before = sum(counts[:first])
        to_the_end = first + MAX_ANSWER_MESSAGES == len(parts)
        parts = parts[first : first + MAX_ANSWER_MESSAGES]
        href = _link(hit.url)
        where = f', in <a href="{href}">the source</a>' if href else ", in the source"
        if first:
            parts[0] = fit(unescape(parts[0]), budget - REST_ROOM)  # room for the line
            lead = f"<i>{ELLIPSIS} {max(1, before):,} words before this{where}.</i>\n"
        if not to_the_end:
            parts[-1] = fit(unescape(parts[-1]), budget - REST_ROOM)
            shown = sum(len(unescape(p).split()) for p in parts)
            left = len(hit.answer.split()) - before - shown
            rest = f"\n<i>{ELLIPSIS} {max(1, left):,} more words{where}.</i>"
    messages = [f"{_OPEN}{p}{_CLOSE}" for p in parts] or [f"{_OPEN}{_CLOSE}"]
    messages[-1] += rest
    messages[0] = header + lead + messages[0]
    return messages


def _pieces(text: str, budget: int) -> list[str]:
    """Escaped paragraphs, each at most ``budget`` units; a longer one is cut at spaces.

    Every cut takes at least one character, so the loop always ends.
    """
    out: list[str] = []
    for paragraph in text.split("\n\n"):
        paragraph = paragraph.strip()
        while paragraph:
            escaped = escape(paragraph)
            if units(escaped) <= budget:
                out.append(escaped)
                break
            k = max(1, cut_point(paragraph, budget, _escaped_units, _WORD_CUT_SHARE))
            out.append(escape(paragraph[:k].rstrip()))
            paragraph = paragraph[k:].lstrip()
    return out


_ANCHOR = re.compile(r'<a href="(?P<href>[^"]*)">(?P<text>.*?)</a>', re.S)


def _anchor_text(match: re.Match[str]) -> str:
    """A link as a terminal shows it: its text, then where it leads (once)."""
    href, text = unescape(match["href"]), match["text"]
    return text if unescape(text) == href else f"{text} ({escape(href)})"


def plain_text(html_text: str) -> str:
    """Telegram HTML as terminal text (the terminal chat prints what the bot sends);
    a link keeps where it leads, which a terminal cannot follow otherwise."""
    text = re.sub(r"</?blockquote[^>]*>", "\n", html_text)
    text = _ANCHOR.sub(_anchor_text, text)
    text = re.sub(r"<[^>]+>", "", text)
    return unescape(re.sub(r"\n{3,}", "\n\n", text)).strip()
