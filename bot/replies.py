"""What quotebot says: replies to text, commands and buttons, as HTML plus buttons.

The Telegram layer and the terminal chat both speak through :class:`Replier`, so the
terminal answers exactly as the bot would. Nothing here imports ``telegram``.
Button data holds ids only (Telegram allows 64 bytes).
"""

from __future__ import annotations

import itertools
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from html import escape
from typing import TYPE_CHECKING

import sqlite_utils

from .card import card_png
from .render import (
    answer_parts,
    card_caption,
    citation,
    deep_link,
    hit_html,
    human_date,
    passage_at,
    question_html,
    quote_key,
    source_line,
)
from .search import Hit, Query, Searcher
from .words import FUNCTION_WORDS, cut_at_word, is_small_talk, scripts, words

if TYPE_CHECKING:
    from .verify import Verdict

HITS_PER_SEARCH = 5
REMEMBERED_SEARCHES = 5000
# Inline mode: results a page (Telegram shows at most 50 a query), and how deep paging goes.
INLINE_PAGE = 10
INLINE_MAX_RESULTS = 50
# Characters of an inline result's title (Telegram cuts longer ones mid-word).
INLINE_TITLE_CHARS = 100
# Characters of a user's words echoed back in a reply ("I found no one called ...").
ECHO_CHARS = 60
# SQLite integers are signed 64-bit: a larger number names no row, and binding it raises.
MAX_ID = 2**63 - 1
# ASCII digits only: str.isdigit() and int() also take "²" and "٣" (19 digits hold MAX_ID).
_ID = re.compile(r"[0-9]{1,19}")


# The inline query the Share button opens: one quote by id.
# a quote's key (:func:`bot.render.quote_key`): its id, and where the passage begins
_LINK_QUERY = re.compile(r"q([0-9]{1,19})(?:_([0-9]{1,9}))?")


def parse_quote_key(text: str) -> tuple[int, int] | None:
    """(answer id, where the passage begins) of a quote's key (``q123``, ``q123_456``:
    :func:`bot.render.quote_key`); None for anything else, hostile like any client data."""
    linked = _LINK_QUERY.fullmatch(text.strip())
    answer_id = parse_id(linked[1]) if linked else None
    if answer_id is None:
        return None
    return answer_id, parse_id(linked[2] or "0") or 0


def parse_id(text: str) -> int | None:
    """A row id or offset from user-supplied text, or None: text from chats is hostile,
    so nothing but plain digits in SQLite's range becomes a number."""
    if not _ID.fullmatch(text):
        return None
    value = int(text)
    return value if value <= MAX_ID else None


COMMANDS = [
    ("quote", "find a quote: /quote words you remember"),
    ("random", "a random quote: /random, /random putin for one of theirs, /random putin nato"),
    ("daily", "a quote a day: /daily 09:00 Europe/Berlin, /daily off"),
    ("verify", "did they really say it: /verify did putin say nato is a relic"),
    ("timeline", "one person on a topic over the years: /timeline putin nato"),
    ("follow", "new answers by a person as they arrive: /follow putin nato; /follow lists"),
    ("unfollow", "stop following: /unfollow 1 or /unfollow putin"),
    ("about", "what quotebot knows"),
    ("help", "how to use quotebot"),
]


@dataclass(frozen=True)
class Button:
    """A button: ``data`` comes back when pressed; a ``copy_text`` button puts its text
    on the clipboard instead, a ``share_query`` one lets the user pick a chat and opens
    inline mode there with that query. ``same_row`` keeps it beside the one before."""

    text: str
    data: str = ""
    copy_text: str | None = None
    share_query: str | None = None
    same_row: bool = False


@dataclass(frozen=True)
class Photo:
    """A picture to send (PNG bytes) and the answer it shows."""

    png: bytes
    answer_id: int


@dataclass
class Reply:
    """One message: Telegram HTML and rows of buttons. ``extra`` are follow-up messages.
    With a ``photo`` the message is that picture and ``html`` its caption."""

    html: str
    buttons: list[Button] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    photo: Photo | None = None
    # The terminal's own rendering, when plain_text(html) would lose meaning (a word
    # diff's struck-through words).
    text: str | None = None


NO_MATCH = (
    "Nothing close to that, sorry. Try a shorter phrase, a few distinctive words, "
    "or a different way of putting it."
)
NO_PHRASE = (
    "No answer holds these exact words in this order: {phrases}. Without the "
    "quotation marks I look for the words anywhere in an answer."
)


OTHER_SCRIPT = (
    "Nothing close to that: the transcripts are written in {theirs} letters, and I do not "
    "translate. Try the words the way the transcripts would write them."
)


# ``speaker:`` or a person asked for, and a phrase in quotation marks that they never
# said but others did ('speaker:psaki "bumper stickers"', 'psaki "bumper stickers"'):
# whose words they are, not "nothing holds".
NOT_THEIRS = "None of {speaker}’s answers holds {phrases}; others’ do:"


def phrase_elsewhere(searcher: Searcher, text: str, limit: int) -> tuple[list[Hit], str | None]:
    """Others' answers holding the exact phrases of ``text`` when the one person it asks
    for (``speaker:``, or named as :meth:`Searcher.asked_for` reads it) holds none,
    with the note saying whose they are not; nothing for any other query."""
    query = Query.parse(text)
    if not query.phrases:
        return [], None
    if query.speaker:
        if not searcher.speaks(query.speaker):
            return [], None
        person = searcher.person_named(query.speaker)
        name = searcher.people.people[person].name if person is not None else query.speaker
        rest = Query.without_speaker(text)
    else:
        name = searcher.asked_for(text)
        if name is None:
            return [], None
        rest = " ".join(f'"{p}"' for p in query.phrases)
    hits = searcher.search(rest, limit)
    phrases = ", ".join(f"“{p}”" for p in query.phrases)
    return hits, (NOT_THEIRS.format(speaker=name, phrases=phrases) if hits else None)


@dataclass(frozen=True)
class Searched:
    """What a search of a user's text found: the hits with the note above each (or
    None), or, when there are none, what to say instead (plain text)."""

    hits: list[Hit]
    notes: list[str | None]
    empty: str | None = None


def searched(searcher: Searcher, text: str, limit: int) -> Searched:
    """The search of ``text`` as the bot and the terminal make it: the words of someone
    who answers nowhere are what others said of them, an exact phrase the one asked
    for never said is looked for in others' answers, and an empty reply says why."""
    # asked for the words of someone who answers nowhere: what others said of them
    who = searcher.stranger(text)
    stranger = who.name if who else None
    hits = searcher.search(who.search if who else text, limit)
    theirs = None
    if not hits and not who:
        hits, theirs = phrase_elsewhere(searcher, text, limit)
    if not hits:
        theirs_only = None if who else searcher.asked_for(text)
        said = no_match(text, searcher.lexicon.scripts, searcher.speaks, stranger, theirs_only)
        return Searched([], [], said)
    return Searched(hits, [theirs or note_for(h, stranger) for h in hits])


NO_SPEAKER = (
    "No one called “{speaker}” answers in these transcripts. Try their surname, or "
    "leave speaker: out."
)
# Asked for the words of someone who answers nowhere ("obama on healthcare"): what is
# shown is others speaking of it, and says so.
STRANGER = "No one called “{name}” answers in these transcripts. What others said of it:"
STRANGER_GUESS = (
    "No one called “{name}” answers in these transcripts, and this may not be what you "
    "mean; the closest others said:"
)
NO_THEIRS = (
    "Nothing by {name} close to that, sorry. Try other words for the topic, or a few "
    "distinctive words of what they said."
)
NO_STRANGER = (
    "No one called “{name}” answers in these transcripts, and I found nothing close to "
    "that from anyone else."
)


def no_match(
    text: str,
    corpus_scripts: set[str] | None = None,
    speaks: Callable[[str], bool] | None = None,
    stranger: str | None = None,
    asked_for: str | None = None,
) -> str:
    """What to say (plain text) when nothing matches ``text``: a ``speaker:`` that names
    nobody who answers (``speaks``), or someone asked about who answers nowhere
    (``stranger``, :meth:`Searcher.stranger`), is said first, then an exact phrase that
    was asked for, since the quotation marks are the likeliest reason; a query written
    in none of the corpus's alphabets (``corpus_scripts``) is told so; one asking for
    one person's words alone (``asked_for``, :meth:`Searcher.asked_for`) is told that
    nothing of theirs is close, not that nothing is."""
    query = Query.parse(text)
    if query.speaker and speaks is not None and not speaks(query.speaker):
        return NO_SPEAKER.format(speaker=query.speaker)
    if query.date_problem:
        return query.date_problem
    if stranger:
        return NO_STRANGER.format(name=stranger)
    phrases = query.phrases
    if phrases:
        return NO_PHRASE.format(phrases=", ".join(f"“{p}”" for p in phrases))
    asked = scripts(text)
    if corpus_scripts and asked and not asked & corpus_scripts:
        theirs = " or ".join(sorted(s.title() for s in corpus_scripts if s != "?"))
        return OTHER_SCRIPT.format(theirs=theirs or "other")
    if asked_for:
        return NO_THEIRS.format(name=asked_for)
    return NO_MATCH


_HOW = (
    "Send me words you remember someone saying, or a name and a topic "
    "(\u201cputin on nato\u201d), and I will find the quote. /help shows more."
)
SMALL_TALK_REPLY = "Hello! " + _HOW
THANKS_REPLY = "You are welcome! " + _HOW
# A message of no words, or of function words only ("who are you?", "?", an emoji):
# nothing to look for, so how to ask, not "nothing close".
NOTHING_ASKED = "I find what people actually said in transcripts. " + _HOW
VERIFY_HOW = (
    "Give me the line to check: <code>/verify did putin say nato is a relic</code>, or "
    "<code>/verify the taliban are our allies</code>."
)
_THANKS = frozenset({"thanks", "thank", "thx", "ty", "cheers"})
# A command's name typed without its slash, alone: asked of the bot, not words to look
# for ("help" is no search for Mr Sobyanin "helping you").
_BARE_COMMANDS = frozenset({"help", "start", "commands", "menu"})
_ADDRESSED = frozenset({"me", "us", "please", "pls", "bot"})
GUESS = "Not sure this is what you mean; the closest I found:"
# The dates the query asked about ("putin in 2023") hold nothing found: what is shown
# is from other dates, or undated (the podcasts).
OTHER_DATES = "Nothing from the dates you asked about; the nearest I found:"
GUESS_OTHER_DATES = "Not sure this is what you mean, and nothing is from the dates you asked about:"


def note_for(hit: Hit, stranger: str | None = None) -> str | None:
    """What to say above a hit: that the one asked about answers nowhere (``stranger``)
    and these are others' words, that it is a guess, that it is from other dates than
    the query asked about, both, or nothing."""
    if stranger:
        return (STRANGER_GUESS if hit.guess else STRANGER).format(name=stranger)
    other_dates = hit.signals.get("other_date", 0.0) > 0
    if hit.guess:
        return GUESS_OTHER_DATES if other_dates else GUESS
    return OTHER_DATES if other_dates else None


EXPIRED = "That search has expired. Send the words again and I will look once more."
GONE = "I cannot find that quote any more."
BROKEN_LINK = (
    "That link does not lead to a quote I know. Send me a few words you remember and I will look."
)


@dataclass(frozen=True)
class InlineResult:
    """One inline-mode result as plain data: the Telegram layer makes it an article."""

    id: str
    title: str
    description: str
    html: str


@dataclass
class InlinePage:
    """One page of inline results; ``next_offset`` is "" on the last page. ``random``
    pages are a fresh draw each time, so they should not be cached for long."""

    results: list[InlineResult]
    next_offset: str = ""
    random: bool = False
    # for a ``q<id>`` query: the answer it names, and the caption of its card
    linked: int | None = None
    caption: str = ""


class Replier:
    """Turns what people send into replies, remembering recent searches for buttons.

    Safe to call from several threads at once: the bot searches in worker threads.
    """

    def __init__(
        self, searcher: Searcher, bot_name: str = "quotebot", remembered: int = REMEMBERED_SEARCHES
    ) -> None:
        self.searcher = searcher
        self.bot_name = bot_name
        # the bot's @username (set at start-up): deep links back to a quote need it
        self.bot_username: str | None = None
        self.remembered = remembered
        # (chat id, search id) -> (answer id, the excerpt the query chose, the note
        # above it) of each match: a chat pages only through its own searches
        self._searches: OrderedDict[tuple[int, int], list[tuple[int, str, str | None]]] = (
            OrderedDict()
        )
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    @classmethod
    def from_db(cls, db: sqlite_utils.Database, bot_name: str = "quotebot") -> Replier:
        return cls(Searcher(db), bot_name)

    # -- searches and buttons --------------------------------------------------
    def search(self, text: str, chat_id: int = 0) -> Reply:
        """The best quote for ``text``, with buttons to walk the other matches.

        The matches are remembered for ``chat_id`` only: button data comes back from
        clients and can be forged, and one chat's searches are nobody else's business.
        """
        if not text.strip():
            return Reply("Send me a few words you remember, and I will find who said them.")
        verdict = self._verdict(text)
        if verdict is not None:
            return verdict
        said = words(text)
        if is_small_talk(text):
            thanked = any(w in _THANKS for w in said)
            return Reply(THANKS_REPLY if thanked else SMALL_TALK_REPLY)
        if said and said[0] in _BARE_COMMANDS and all(w in _ADDRESSED for w in said[1:]):
            return Reply(NOTHING_ASKED)  # "help", "help me", "help please"
        query = Query.parse(text)
        if query.date_problem:
            return Reply(escape(query.date_problem))  # "from:banana", "from:2019 to:2018"
        found = searched(self.searcher, text, HITS_PER_SEARCH)
        hits, notes = found.hits, found.notes
        if not hits:
            asked = words(query.text)  # without its filters ("speaker:" alone asks nothing)
            if all(w in FUNCTION_WORDS for w in asked) and not query.phrases:
                return Reply(NOTHING_ASKED)
            return Reply(escape(found.empty or NO_MATCH))
        with self._lock:
            search_id = next(self._ids)
            self._searches[(chat_id, search_id)] = [
                (h.id, h.quote, note) for h, note in zip(hits, notes, strict=True)
            ]
            while len(self._searches) > self.remembered:
                self._searches.popitem(last=False)
        return self._hit_reply(hits[0], search_id, 0, len(hits), notes[0])

    def check(self, text: str) -> Reply:
        """/verify: the verdict on ``text`` whatever it reads like, however short (the
        user asked outright whether it was said); how to ask when there is no line."""
        from . import verify

        claim = verify.to_check(self.searcher, text)
        if claim is None:  # "", "putin said", "/verify putin": no line to check
            return Reply(VERIFY_HOW)
        return self._verdict_reply(verify.verify(self.searcher, claim))

    def _verdict(self, text: str) -> Reply | None:
        """The verdict on ``text`` (did they really say that?) when it reads like a
        quotation (:func:`bot.verify.claim_of`); None for an ordinary search."""
        from . import verify

        claim = verify.claim_of(text)
        if claim is None:
            return None
        verdict = verify.verify(self.searcher, claim)
        if not verify.leads(verdict):
            return None
        return self._verdict_reply(verdict)

    def _verdict_reply(self, verdict: Verdict) -> Reply:
        from . import verify

        shown = verdict.hit or verdict.nearest
        buttons = self._hit_reply(shown, None, 0, 1).buttons if shown else []
        return Reply(verify.verdict_html(verdict), buttons, text=verify.verdict_text(verdict))

    def _hit_reply(
        self, hit: Hit, search_id: int | None, index: int, total: int, note: str | None = None
    ) -> Reply:
        buttons = []
        if search_id is not None and index + 1 < total:
            buttons.append(
                Button(f"Another match ({index + 2}/{total})", f"m:{search_id}:{index + 1}")
            )
        if hit.question:
            buttons.append(Button("The question", f"q:{hit.id}"))
        if len(hit.answer) > len(hit.quote):
            # from where the passage shown begins, when the whole is too long to send
            at = passage_at(hit)
            buttons.append(Button("Full answer", f"a:{hit.id}:{at}" if at else f"a:{hit.id}"))
        buttons.extend(self._share_buttons(hit, card=True))
        return Reply(hit_html(hit, note=note), buttons)

    # -- citing and sharing -------------------------------------------------------
    def link(self, hit: Hit) -> str | None:
        """``t.me/<bot>?start=q<id>``, the way back to the quote as shown: the same
        passage of a long answer (None before the bot's username is known, as in the
        terminal chat)."""
        return deep_link(self.bot_username, hit.id, passage_at(hit))

    def _share_buttons(self, hit: Hit, card: bool) -> list[Button]:
        """Cite (a ready citation to copy), Share (this quote, into a chat the user
        picks) and, unless this is the card, Card: one row under every quote."""
        at = passage_at(hit)  # of the passage shown, as the full answer starts there
        buttons = [
            Button("Cite", copy_text=citation(hit, self.link(hit))),
            Button("Share", share_query=quote_key(hit.id, at), same_row=True),
        ]
        if card:
            buttons.append(
                Button("Card", f"c:{hit.id}:{at}" if at else f"c:{hit.id}", same_row=True)
            )
        return buttons

    def card(self, answer_id: int, at: int = 0) -> Reply:
        """The quote as a picture, captioned with who said it, the source and the link:
        the passage from character ``at`` (the one a search showed)."""
        hit = self.searcher.get(answer_id, at)
        if hit is None:
            return Reply(GONE)
        link = self.link(hit)
        return Reply(
            card_caption(hit, link),
            self._share_buttons(hit, card=False),
            photo=Photo(card_png(hit, link), hit.id),
        )

    def quote(self, answer_id: int, at: int = 0) -> Reply:
        """One answer by id: deep links (``/start q123``, ``q123_456`` for the passage
        from character 456) and the daily post."""
        hit = self.searcher.get(answer_id, at)
        if hit is None:
            return Reply(GONE)
        return self._hit_reply(hit, None, 0, 1)

    def button(self, data: str, chat_id: int = 0) -> tuple[Reply | None, bool]:
        """(reply, edit_in_place) for button data pressed in ``chat_id``; (None, False)
        for data that is not ours. Another chat's search is refused as expired."""
        kind, _, rest = data.partition(":")
        if kind == "m":
            search_text, _, index_text = rest.partition(":")
            search_id, index = parse_id(search_text), parse_id(index_text)
            with self._lock:
                found = self._searches.get((chat_id, search_id)) if search_id is not None else None
            if not found or index is None or index >= len(found):
                return Reply(EXPIRED), False
            answer_id, quote, note = found[index]
            hit = self.searcher.get(answer_id)
            if hit is None:
                return Reply(EXPIRED), False
            # the passage the query matched, as the search showed it, not the opening
            hit = replace(hit, quote=quote)
            return self._hit_reply(hit, search_id, index, len(found), note), True
        if kind in ("q", "a", "c"):
            # "a:<id>:<where the passage begins>" (and "c:"); "a:<id>" from older messages
            rest, _, at_text = rest.partition(":") if kind in ("a", "c") else (rest, "", "")
            answer_id = parse_id(rest)
            if answer_id is None:
                return (Reply(GONE) if rest.isdigit() else None), False
            if kind == "c":
                return self.card(answer_id, parse_id(at_text) or 0), False
            hit = self.searcher.get(answer_id)
            if hit is None:
                return Reply(GONE), False
            if kind == "q":
                return Reply(question_html(hit)), False
            first, *more = answer_parts(hit, parse_id(at_text) or 0)
            return Reply(first, extra=more), False
        return None, False

    # -- inline mode --------------------------------------------------------------
    def inline(self, text: str, offset: str = "") -> InlinePage:
        """One page of inline results for ``text`` as it is being typed (its last word may
        be unfinished); random quotes for empty text. ``offset`` is the client's paging
        token, hostile like any client data: anything but a small number starts over."""
        if not text.strip():
            drawn = [self.searcher.random() for _ in range(INLINE_PAGE)]
            picks = {h.id: h for h in drawn if h}
            return InlinePage([self._inline_result(h) for h in picks.values()], random=True)
        key = parse_quote_key(text)
        hit = self.searcher.get(*key) if key is not None else None
        if hit is not None:  # Share pressed under this quote: it, then its citation
            cite = citation(hit, self.link(hit))
            return InlinePage(
                [
                    self._inline_result(hit),
                    InlineResult(f"{hit.id}:cite", "The citation", cite, escape(cite)),
                ],
                linked=hit.id,
                caption=card_caption(hit, self.link(hit)),
            )
        start = parse_id(offset)
        start = start if start is not None and start < INLINE_MAX_RESULTS else 0
        # every page is a slice of one ranking: a search asked for more hits weighs
        # more candidates, and its order need not begin with a shorter search's
        hits = self.searcher.search(text, INLINE_MAX_RESULTS + 1, typing=True)
        end = start + INLINE_PAGE
        more = len(hits) > end and end < INLINE_MAX_RESULTS
        return InlinePage(
            [self._inline_result(h) for h in hits[start:end]],
            next_offset=str(end) if more else "",
        )

    def _inline_result(self, hit: Hit) -> InlineResult:
        # a shared quote links back to the full answer
        return replace(_inline_result(hit), html=hit_html(hit, self.link(hit)))

    # -- commands ---------------------------------------------------------------
    def random(self, who: str = "") -> Reply:
        """A random quote; ``who`` (``/random psaki``): one of theirs; with a topic
        (``/random psaki inflation``, ``/random inflation``): one on it."""
        person = self.searcher.person_named(who) if who.strip() else None
        asked = words(who)
        # one word the corpus neither has nor knows a slip of is a name nobody bears,
        # not a topic to cut into words it has ("nobodyknown": a quote about "nobody")
        unknown = (
            person is None
            and len(asked) == 1
            and asked[0] not in self.searcher.vocab
            and self.searcher.correct(asked[0]) is None
        )
        hit = None if unknown else self.searcher.random(person=person, about=who)
        echo = escape(cut_at_word(who.strip(), ECHO_CHARS))
        if hit is None and person is None and who.strip():
            return Reply(
                f"I found no one called “{echo}”, and no quote about it. "
                "/random alone gives anyone's quote."
            )
        if hit is None and who.strip():
            return Reply(f"I found no quote on “{echo}”. /random alone gives anyone's quote.")
        if hit is None:
            return Reply("There are no quotes yet.")
        return self._hit_reply(hit, None, 0, 1)

    def start(self, payload: str = "") -> Reply:
        """The greeting, or the quote a deep link (``q<id>``, ``q<id>_<at>``) points at."""
        if payload.startswith("q") and len(payload) > 1:
            key = parse_quote_key(payload)
            return self.quote(*key) if key is not None else Reply(BROKEN_LINK)
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
            "Under each quote: another match, the question that was asked, the full answer;",
            "Cite copies a ready citation, Share sends the quote to a chat, Card makes a picture.",
        ]
        return Reply("\n".join(lines))

    def about(self) -> Reply:
        stats = self.searcher.stats()
        span = ""
        if stats["first_date"]:
            span = f" from {human_date(stats['first_date'])} to {human_date(stats['last_date'])}"
        speakers = ", ".join(f"{escape(s)} ({n:,})" for s, n in stats["top_speakers"])
        return Reply(
            f"<b>What I know</b>\n{stats['sources']:,} sources{span}, "
            f"{stats['answers']:,} quotable answers.\n"
            + (f"Most quoted: {speakers}." if speakers else "")
        )


def _inline_result(hit: Hit) -> InlineResult:
    return InlineResult(
        id=str(hit.id),
        title=cut_at_word(hit.quote, INLINE_TITLE_CHARS),
        description=f"{hit.who}, {source_line(hit)}",
        html=hit_html(hit),
    )
