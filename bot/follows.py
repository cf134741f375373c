"""Following a person: /follow, /unfollow, and matching new answers against every follow.

A chat follows a person (the canonical name search knows), on one topic or on
anything they say. Follows live in the chat state file. After each corpus change a
round looks at the sources it has not matched yet (known by content and by path, so
a rebuilt corpus brings nothing "new"), keeps those ingested after each follow
began, and gives one alert per chat and source: the matching answers, a button
each. What a chat was sent is recorded before sending, so the running bot and
``post-alerts`` share one record and nothing is posted twice. Nothing here imports
``telegram``.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import store
from .render import fit, human_date
from .replies import Button, Reply, parse_id
from .search import Searcher, split_sentences
from .store import arrivals
from .words import cut_at_word, fold, stem, words

# Follows one chat may have: each costs a match per new answer and possibly a message.
MAX_FOLLOWS_PER_CHAT = 20
# Characters of a topic kept (a topic is a few words).
MAX_TOPIC_CHARS = 100
# Share of a topic's meaning (idf-weighted stems) an answer and the question before it
# must hold, the answer itself holding some: "student loans" needs both words, one
# word of a four-word topic may be missing.
TOPIC_COVERAGE = 0.75
# Topic words in more than this share of answers carry no meaning ("the", "on"); the
# same share search uses to drop common words.
COMMON_SHARE = 0.35
# An answer this short says nothing on its own ("Sure.", "Thank you.").
MIN_WORDS = 12
# Quotes listed in one alert (each with a button); the rest are counted.
MAX_QUOTES = 8
# Characters of a quote's excerpt in an alert.
EXCERPT_CHARS = 200
# The terminal chat's id (Telegram gives no chat the id 0): it keeps follows, and
# rounds never post to it.
TERMINAL_CHAT_ID = 0
EXAMPLE = "/follow putin nato"
_WORD = re.compile(r"[^\W_]+")
NOT_ADMIN = (
    "Sorry, only the group's administrators can change what this chat follows. "
    "Anyone may look with /follow."
)


class FollowError(ValueError):
    """A /follow or /unfollow request that cannot be understood; the message says why."""


@dataclass(frozen=True)
class Request:
    person: str
    topic: str = ""


@dataclass(frozen=True)
class Follow:
    id: int
    chat_id: int
    person: str
    topic: str
    since: str

    def describe(self) -> str:
        return f"{self.person} on {self.topic}" if self.topic else f"{self.person} (anything)"


@dataclass(frozen=True)
class Quote:
    """One matching answer in an alert; ``key`` names it across corpus rebuilds."""

    answer_id: int
    key: str
    excerpt: str


@dataclass(frozen=True)
class Alert:
    """New answers from one source for one chat, with what the chat follows in them."""

    chat_id: int
    source: dict
    follows: tuple[str, ...]
    quotes: tuple[Quote, ...]

    @property
    def keys(self) -> list[str]:
        return [q.key for q in self.quotes]

    def reply(self) -> Reply:
        """The message: who, from which source, each quote's excerpt and a button each
        opening the full answer."""
        source = self.source
        when = ", ".join(p for p in (human_date(source["date"]), source["place"]) if p)
        title = source["title"] or Path(source["file"]).stem
        shown = self.quotes[:MAX_QUOTES]
        lines = [
            f"<b>New: {fit('; '.join(self.follows), 400)}</b>",
            f"{fit(title, 300)}" + (f" ({fit(when, 200)})" if when else ""),
        ]
        buttons = []
        for number, quote in enumerate(shown, 1):
            lines.append(f"\n{number}. {fit(quote.excerpt, EXCERPT_CHARS + 10)}")
            buttons.append(
                Button(f"{number}. {cut_at_word(quote.excerpt, 40)}", f"a:{quote.answer_id}")
            )
        if len(self.quotes) > len(shown):
            lines.append(f"\n…and {len(self.quotes) - len(shown)} more in this source.")
        lines.append("\n/follow lists what this chat follows.")
        return Reply("\n".join(lines), buttons)


@dataclass
class Round:
    """One matching pass: the alerts to send and the sources it looked at."""

    alerts: list[Alert] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)


def quote_key(source: dict, position: int) -> str:
    return f"{source['sha256']}:{position}"


class Follows:
    """The follow service over the chat state file and the corpus.

    Every method does blocking SQLite work: the bot calls them from worker threads.
    """

    def __init__(self, state: store.State, searcher: Searcher) -> None:
        self.state = state
        self.searcher = searcher
        self._corpus: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    @classmethod
    def open(cls, searcher: Searcher, state_path: Path | None = None) -> Follows:
        """Over the state file at ``state_path`` (default: beside the corpus)."""
        return cls(store.State.open(state_path or store.default_path(searcher.path)), searcher)

    def _conn(self) -> sqlite3.Connection:
        if self._corpus is None:
            self._corpus = store.connect_readonly(self.searcher.path)
        return self._corpus

    # -- requests -----------------------------------------------------------------
    def parse(self, text: str) -> Request:
        """``putin nato`` -> Request("Vladimir Putin", "nato"); ``putin`` -> anything
        Putin says. The person must come first and be someone search knows."""
        tokens = words(text)
        if not tokens:
            raise FollowError(f"Whom should I follow? e.g. {EXAMPLE}, or /follow putin")
        # a follow asks for their words: a first name names them too ("karine"), and a
        # name misspelled as search reads it ("putn")
        people, lexicon = self.searcher.people, self.searcher.lexicon
        mentions = people.mentions(tokens, framed=True)
        if not mentions or mentions[0][0] != 0:
            tokens = people.respelled(tokens, lexicon.established, lexicon.nearest)
            mentions = people.mentions(tokens, framed=True)
        if not mentions or mentions[0][0] != 0:
            raise FollowError(
                f"I know nobody by that name in the corpus. Start with the person, e.g. {EXAMPLE}"
            )
        _, end, person_id = mentions[0]
        rest = [t for t in tokens[end:] if t not in ("on", "about", "re", "regarding")][:20]
        topic = cut_at_word(" ".join(rest), MAX_TOPIC_CHARS, "")
        return Request(self.searcher.people.people[person_id].name, topic)

    def list(self, chat_id: int) -> list[Follow]:
        return [Follow(*row) for row in self.state.follows(chat_id)]

    def listing(self, chat_id: int) -> str:
        """What /follow alone says."""
        follows = self.list(chat_id)
        if not follows:
            return (
                "This chat follows nobody yet. /follow putin nato sends Putin's new answers"
                " on NATO here as transcripts arrive; /follow putin sends everything he says."
            )
        lines = ["This chat follows:"]
        lines += [f"{n}. {f.describe()}" for n, f in enumerate(follows, 1)]
        surname = follows[0].person.split()[-1].lower()
        lines.append(f"/unfollow 1 (or /unfollow {surname}) ends one, /unfollow all every one.")
        return "\n".join(lines)

    def follow(self, chat_id: int, request: Request) -> str:
        """Subscribe; only after the admin check."""
        if len(self.state.follows(chat_id)) >= MAX_FOLLOWS_PER_CHAT:
            return f"This chat already follows {MAX_FOLLOWS_PER_CHAT}; /unfollow one first."
        with self._lock:
            since = arrivals.newest_arrival(self._conn())
        described = Follow(0, chat_id, request.person, request.topic, since).describe()
        if not self.state.add_follow(chat_id, request.person, request.topic, since):
            return f"This chat already follows {described}."
        return (
            f"Following {described}: new answers arrive here as transcripts are added."
            " /follow lists them, /unfollow ends one."
        )

    def unfollow(self, chat_id: int, arg: str) -> str:
        """End the follow numbered ``arg`` in the listing, the one of that person (and
        topic, if given), or every one ("all"); only after the admin check."""
        follows = self.list(chat_id)
        if not follows:
            return "This chat follows nobody."
        if arg.strip().lower() in ("all", "everything", "everyone", "all of them"):
            return f"No longer following anyone ({self.state.end_follows(chat_id)} ended)."
        number = parse_id(arg.strip())
        if number is not None:
            if not 1 <= number <= len(follows):
                return f"There is no follow {number}. " + self.listing(chat_id)
            chosen = follows[number - 1]
        else:
            try:
                request = self.parse(arg)
            except FollowError:
                return "Which one? " + self.listing(chat_id)
            same = [f for f in follows if f.person == request.person]
            exact = [f for f in same if f.topic == request.topic]
            if exact:
                chosen = exact[0]
            elif len(same) == 1 and not request.topic:
                chosen = same[0]
            else:
                return "Which one? " + self.listing(chat_id)
        self.state.end_follow(chat_id, chosen.id)
        return f"No longer following {chosen.describe()}."

    # -- the chat is gone or moved ------------------------------------------------
    def ended(self, chat_id: int) -> int:
        """Blocked, removed, not found: every follow of the chat ends."""
        return self.state.end_follows(chat_id)

    def moved(self, old_id: int, new_id: int) -> None:
        self.state.move_follows(old_id, new_id)

    # -- matching -----------------------------------------------------------------
    def _terms(self, topic: str) -> dict[str, float]:
        """Stem -> idf of a topic's meaningful words (all of them when all are common)."""
        lex = self.searcher.lexicon
        folded = list(dict.fromkeys(words(topic)))
        meaningful = [w for w in folded if lex.share(w) <= COMMON_SHARE] or folded
        return {stem(w): lex.idf(w) for w in meaningful}

    def round(self) -> Round:
        """Match the sources not matched yet against every follow (nothing is sent or
        recorded here: see :meth:`claim` and :meth:`finish`)."""
        matched_sha, matched_path = self.state.matched_sources()
        with self._lock:
            conn = self._conn()
            fresh = [
                s
                for s in arrivals.source_marks(conn)
                if s["sha256"] not in matched_sha and s["path"] not in matched_path
            ]
            if not fresh:
                return Round()
            follows = [Follow(*row) for row in self.state.follows()]
            follows = [f for f in follows if f.chat_id != TERMINAL_CHAT_ID]
            oldest = min((f.since for f in follows), default=None)
            wanted = [s for s in fresh if oldest is not None and s["arrival"] > oldest]
            answers = arrivals.source_answers(conn, [s["id"] for s in wanted])
        return Round(self.match(follows, wanted, answers), fresh)

    def match(self, follows: list[Follow], sources: list[dict], answers: list[dict]) -> list[Alert]:
        """One alert per chat and source for the follows each answer matches."""
        by_person: dict[str, list[Follow]] = defaultdict(list)
        for f in follows:
            by_person[f.person].append(f)
        terms = {topic: self._terms(topic) for topic in {f.topic for f in follows if f.topic}}
        by_id = {s["id"]: s for s in sources}
        found: dict[tuple[int, int], dict[int, tuple[Quote, set[str]]]] = defaultdict(dict)
        excerpts: dict[tuple[int, str], str] = {}
        for answer in answers:
            mine = by_person.get(answer["person"])
            source = by_id.get(answer["source_id"])
            if not mine or source is None:
                continue
            tokens = words(answer["text"])
            if len(tokens) < MIN_WORDS:
                continue
            stems = set(stem.many(tokens))
            asked = set(stem.many(words(answer["question"] or "")))
            topical: dict[str, bool] = {}
            for f in mine:
                if f.since >= source["arrival"]:
                    continue  # the source was there before the follow began
                if f.topic:
                    if f.topic not in topical:
                        topical[f.topic] = on_topic(terms[f.topic], stems, asked)
                    if not topical[f.topic]:
                        continue
                group = found[(f.chat_id, source["id"])]
                if answer["id"] not in group:
                    excerpt = excerpts.get((answer["id"], f.topic))
                    if excerpt is None:  # many chats follow the same topic
                        excerpt = _excerpt(answer["text"], terms.get(f.topic, {}))
                        excerpts[(answer["id"], f.topic)] = excerpt
                    quote = Quote(answer["id"], quote_key(source, answer["position"]), excerpt)
                    group[answer["id"]] = (quote, set())
                group[answer["id"]][1].add(f.describe())
        alerts = []
        for (chat_id, source_id), group in found.items():
            described = sorted({d for _, ds in group.values() for d in ds})
            quotes = tuple(q for q, _ in group.values())
            alerts.append(Alert(chat_id, by_id[source_id], tuple(described), quotes))
        return alerts

    def claim(self, alert: Alert) -> Alert | None:
        """The alert with only the quotes this chat was never sent, now recorded as
        sent; None when nothing is left."""
        claimed = set(self.state.claim_alerts(alert.chat_id, alert.keys))
        quotes = tuple(q for q in alert.quotes if q.key in claimed)
        return replace(alert, quotes=quotes) if quotes else None

    def release(self, alert: Alert, chat_id: int | None = None) -> None:
        """The alert did not arrive: its quotes may be sent again."""
        self.state.release_alerts(alert.chat_id if chat_id is None else chat_id, alert.keys)

    def finish(self, done: Round, retry: Iterable[str] = ()) -> None:
        """Mark the round's sources matched, except those whose alerts failed (``retry``:
        their sha256s), which the next round matches again."""
        again = set(retry)
        self.state.mark_matched(
            (s["sha256"], s["path"]) for s in done.sources if s["sha256"] not in again
        )


def on_topic(terms: dict[str, float], answer: set[str], question: set[str]) -> bool:
    """Whether an answer (its stems, and the question's) is on a topic (its terms)."""
    total = sum(terms.values())
    if not total:
        return False
    said = sum(w for s, w in terms.items() if s in answer)
    covered = sum(w for s, w in terms.items() if s in answer or s in question)
    return said > 0 and covered / total >= TOPIC_COVERAGE


def _excerpt(text: str, terms: dict[str, float]) -> str:
    """The first sentence that names the topic (the opening one without a topic); a
    long sentence is cut around the topic's first word."""
    sentences = split_sentences(text) or [text]
    chosen, at = sentences[0], 0
    for sentence in sentences if terms else []:
        found = next(
            (m.start() for m in _WORD.finditer(sentence) if stem(fold(m[0])) in terms), None
        )
        if found is not None:
            chosen, at = sentence, found
            break
    chosen = " ".join(chosen.split())
    if len(chosen) <= EXCERPT_CHARS or at < EXCERPT_CHARS // 2:
        return cut_at_word(chosen, EXCERPT_CHARS)
    start = chosen.find(" ", at - EXCERPT_CHARS // 2) + 1
    return "…" + cut_at_word(chosen[start:], EXCERPT_CHARS - 1)
