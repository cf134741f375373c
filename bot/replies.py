"""What quotebot says: replies to text, commands and buttons, as HTML plus buttons.

The Telegram layer and the terminal chat both speak through :class:`Replier`, so the
terminal answers exactly as the bot would. Nothing here imports ``telegram``.
Button data holds ids only (Telegram allows 64 bytes).
"""

from __future__ import annotations

import itertools
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from html import escape

import sqlite_utils

from .render import answer_parts, hit_html, human_date, question_html
from .search import Hit, Searcher

HITS_PER_SEARCH = 5
REMEMBERED_SEARCHES = 5000

COMMANDS = [
    ("quote", "find a quote: /quote words you remember"),
    ("random", "a random quote"),
    ("daily", "a quote a day: /daily 09:00 Europe/Berlin, /daily off"),
    ("about", "what quotebot knows"),
    ("help", "how to use quotebot"),
]


@dataclass(frozen=True)
class Button:
    text: str
    data: str


@dataclass
class Reply:
    """One message: Telegram HTML and rows of buttons. ``extra`` are follow-up messages."""

    html: str
    buttons: list[Button] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)


NO_MATCH = (
    "Nothing close to that, sorry. Try a shorter phrase, a few distinctive words, "
    "or a different way of putting it."
)
EXPIRED = "That search has expired. Send the words again and I will look once more."


class Replier:
    """Turns what people send into replies, remembering recent searches for buttons.

    Safe to call from several threads at once: the bot searches in worker threads.
    """

    def __init__(self, searcher: Searcher, bot_name: str = "quotebot") -> None:
        self.searcher = searcher
        self.bot_name = bot_name
        self._searches: OrderedDict[int, list[int]] = OrderedDict()
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    @classmethod
    def from_db(cls, db: sqlite_utils.Database, bot_name: str = "quotebot") -> Replier:
        return cls(Searcher(db), bot_name)

    # -- searches and buttons --------------------------------------------------
    def search(self, text: str) -> Reply:
        """The best quote for ``text``, with buttons to walk the other matches."""
        if not text.strip():
            return Reply("Send me a few words you remember, and I will find who said them.")
        hits = self.searcher.search(text, limit=HITS_PER_SEARCH)
        if not hits:
            return Reply(NO_MATCH)
        with self._lock:
            search_id = next(self._ids)
            self._searches[search_id] = [h.id for h in hits]
            while len(self._searches) > REMEMBERED_SEARCHES:
                self._searches.popitem(last=False)
        return self._hit_reply(hits[0], search_id, 0, len(hits))

    def _hit_reply(self, hit: Hit, search_id: int | None, index: int, total: int) -> Reply:
        buttons = []
        if search_id is not None and index + 1 < total:
            buttons.append(
                Button(f"Another match ({index + 2}/{total})", f"m:{search_id}:{index + 1}")
            )
        if hit.question:
            buttons.append(Button("The question", f"q:{hit.id}"))
        if len(hit.answer) > len(hit.quote):
            buttons.append(Button("Full answer", f"a:{hit.id}"))
        return Reply(hit_html(hit), buttons)

    def quote(self, answer_id: int) -> Reply:
        """One answer by id: deep links (``/start q123``) and the daily post."""
        hit = self.searcher.get(answer_id)
        if hit is None:
            return Reply("I cannot find that quote any more.")
        return self._hit_reply(hit, None, 0, 1)

    def button(self, data: str) -> tuple[Reply | None, bool]:
        """(reply, edit_in_place) for button data; (None, False) for unknown data."""
        kind, _, rest = data.partition(":")
        try:
            if kind == "m":
                search_id, index = (int(x) for x in rest.split(":"))
                with self._lock:
                    ids = self._searches.get(search_id)
                if not ids or not 0 <= index < len(ids):
                    return Reply(EXPIRED), False
                hit = self.searcher.get(ids[index])
                if hit is None:
                    return Reply(EXPIRED), False
                return self._hit_reply(hit, search_id, index, len(ids)), True
            if kind in ("q", "a"):
                hit = self.searcher.get(int(rest))
                if hit is None:
                    return Reply("I cannot find that quote any more."), False
                if kind == "q":
                    return Reply(question_html(hit)), False
                first, *more = answer_parts(hit)
                return Reply(first, extra=more), False
        except ValueError:
            pass
        return None, False

    # -- commands ---------------------------------------------------------------
    def random(self) -> Reply:
        hit = self.searcher.random()
        if hit is None:
            return Reply("There are no quotes yet.")
        return self._hit_reply(hit, None, 0, 1)

    def start(self, payload: str = "") -> Reply:
        if payload.startswith("q") and payload[1:].isdigit():
            return self.quote(int(payload[1:]))
        return Reply(
            f"Hello! I am <b>{escape(self.bot_name)}</b>. I find what people actually said in "
            "interviews and press conferences.\n\nSend me a phrase you half remember, a "
            "misspelled line or a topic, and I will reply with the quote and its source.\n\n"
            "/help shows everything I can do."
        )

    def help(self, username: str | None = None) -> Reply:
        inline = f"@{escape(username)}" if username else "@this_bot"
        lines = [
            "<b>How to use me</b>",
            "Send any words: I reply with the best matching quote, who said it and where.",
            'Put words in "double quotes" for an exact phrase; add speaker:Name to pick a speaker.',
            "",
            *(f"/{name}: {escape(text)}" for name, text in COMMANDS),
            "",
            f"<b>In any chat</b>: type {inline} and a few words, then pick a quote to send.",
            "<b>In groups</b>: use /quote words, /random, mention me or reply to my message.",
            "Under each quote: another match, the question that was asked, the full answer.",
        ]
        return Reply("\n".join(lines))

    def about(self) -> Reply:
        stats = self.searcher.stats()
        span = ""
        if stats["first_date"]:
            span = f" from {human_date(stats['first_date'])} to {human_date(stats['last_date'])}"
        speakers = ", ".join(f"{escape(s)} ({n})" for s, n in stats["top_speakers"])
        return Reply(
            f"<b>What I know</b>\n{stats['sources']} sources{span}, "
            f"{stats['answers']} quotable answers.\n"
            + (f"Most quoted: {speakers}." if speakers else "")
        )
