"""Daily quotes: what ``/daily`` means, the subscriptions, and which quote a chat gets next.

:class:`Dailies` is the whole feature as the Telegram layer and the terminal chat see
it; they only schedule jobs and deliver messages. Subscriptions live in the chat
state file so they survive restarts and rebuilds of the corpus; times are wall-clock
times in the chat's own zone, so 09:00 stays 09:00 across daylight-saving changes. A
chat sees no quote twice until it has seen every quotable answer. Nothing here
imports ``telegram``.
"""

from __future__ import annotations

import functools
import random
import re
import zoneinfo
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import store
from .replies import Replier, Reply

DEFAULT_TIME = "09:00"
# A time of day as people write it: "09:00", "7.05", "21h30", "21h", "9", "9am",
# "9:30 pm", "9 p.m." (the half of the day a separate word or not).
_TIME = re.compile(r"^(\d{1,2})(?:[:.h](\d{2})|h)?\s*(?:([ap])\.?m\.?)?$", re.I)
_HALF_DAY = re.compile(r"^[ap]\.?m\.?$", re.I)
EXAMPLE = "/daily 09:00 Europe/Berlin"
# The longest IANA zone name is about 30 characters; anything far longer is not one.
MAX_ZONE_CHARS = 64
# Random draws from the answers that read well before scanning for an unseen one.
DRAWS = 20
NOT_ADMIN = (
    "Sorry, only the group's administrators can change the daily quote. "
    "Anyone may look with /daily."
)


class DailyError(ValueError):
    """A /daily request that cannot be understood; the message says how to fix it."""


@dataclass(frozen=True)
class Subscription:
    chat_id: int
    time: str
    tz: str

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    def local_time(self) -> time:
        hours, minutes = (int(x) for x in self.time.split(":"))
        return time(hours, minutes, tzinfo=self.zone)

    @property
    def job_name(self) -> str:
        return job_name(self.chat_id)

    def next_post(self, now: datetime) -> datetime:
        """The next posting moment after ``now``, in the chat's zone."""
        local_now = now.astimezone(self.zone)
        at = self.local_time()
        day = local_now.date()
        candidate = datetime.combine(day, at.replace(tzinfo=None), tzinfo=self.zone)
        if candidate <= local_now:
            candidate = datetime.combine(
                day + timedelta(days=1), at.replace(tzinfo=None), tzinfo=self.zone
            )
        return candidate


def job_name(chat_id: int) -> str:
    """The stable JobQueue name of a chat's daily post (one job per chat)."""
    return f"daily:{chat_id}"


def _zone(name: str) -> ZoneInfo | None:
    if len(name) > MAX_ZONE_CHARS:
        return None
    try:
        return ZoneInfo(name)
    # not found, a folder of zones ("Europe"), a path, a name too long for the disk
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


@functools.cache
def _zones_by_folded() -> dict[str, str]:
    return {z.casefold(): z for z in zoneinfo.available_timezones()}


def zone_name(name: str) -> str | None:
    """The IANA name of the zone ``name`` means, written in any case ("europe/london"
    is Europe/London); None for no zone."""
    if _zone(name) is not None:
        return name
    found = _zones_by_folded().get(name.casefold()) if len(name) <= MAX_ZONE_CHARS else None
    return found if found and _zone(found) is not None else None


# Written as a zone is ("Area/City"), whether or not it is one.
_AS_ZONE = re.compile(r"^[A-Za-z_]+/[A-Za-z_/+-]+$")


def parse_request(args: list[str], default_tz: str) -> tuple[str, str] | None:
    """``["09:00", "Europe/Berlin"]`` -> (``09:00``, ``Europe/Berlin``); ``["off"]`` -> None.

    Raises :class:`DailyError` naming what is wrong, with an example.
    """
    if args and args[0].lower() in ("off", "stop", "cancel"):
        return None
    if args and args[0].lower() in ("on", "start", "yes"):
        args = args[1:]  # "/daily on": at the default time
    if (
        args
        and not _TIME.match(args[0])
        and (zone_name(args[0]) is not None or _AS_ZONE.match(args[0]))
    ):
        # "/daily Europe/Berlin": at the default time there; "/daily Mars/Olympus" is
        # written as a zone, and is told it is none, not that it is no time
        args = [DEFAULT_TIME, *args]
    if len(args) > 1 and _HALF_DAY.match(args[1]):
        args = [f"{args[0]}{args[1]}", *args[2:]]  # "/daily 9 am"
    raw_time = args[0] if args else DEFAULT_TIME
    clock = _clock(raw_time)
    if clock is None:
        raise DailyError(f"“{raw_time[:20]}” is not a time I understand. Use HH:MM, e.g. {EXAMPLE}")
    asked = args[1] if len(args) > 1 else default_tz
    tz = zone_name(asked)
    if tz is None:
        raise DailyError(f"“{asked[:40]}” is not a time zone I know. Use Area/City, e.g. {EXAMPLE}")
    return f"{clock[0]:02d}:{clock[1]:02d}", tz


def _clock(raw: str) -> tuple[int, int] | None:
    """(hour, minute) of a time of day as written ("9am" is 9:00, "12am" 0:00, "9:30
    pm" 21:30), or None: not a time, or no such hour ("25:00", "13pm")."""
    match = _TIME.match(raw.strip())
    if not match:
        return None
    hour, minute, half = int(match[1]), int(match[2] or 0), (match[3] or "").lower()
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "p" else 0)
    return (hour, minute) if hour <= 23 and minute <= 59 else None


def describe(sub: Subscription | None, now: datetime | None = None) -> str:
    """What /daily says about a chat's setting."""
    if sub is None:
        return f"No daily quote here yet. Subscribe with /daily HH:MM Area/City, e.g. {EXAMPLE}"
    upcoming = sub.next_post(now or datetime.now(UTC))
    return (
        f"A quote arrives here every day at {sub.time} ({sub.tz}). "
        f"Next: {upcoming:%a %d %b %H:%M %Z}. /daily off stops it."
    )


@dataclass(frozen=True)
class Change:
    """What a /daily request did: the text to send, and the chat's subscription now
    (None: the chat has none, so its job goes)."""

    text: str
    subscription: Subscription | None


@dataclass(frozen=True)
class Post:
    """Today's quote for a chat: which answer, and the message."""

    answer_id: int
    reply: Reply


class Dailies:
    """The daily-quote service over the chat state file and the corpus.

    Every method does blocking SQLite work: the bot calls them from worker threads.
    """

    def __init__(self, state: store.State, replier: Replier, default_tz: str = "UTC") -> None:
        self.state = state
        self.replier = replier
        self.default_tz = default_tz if _zone(default_tz) else "UTC"

    @classmethod
    def open(
        cls, replier: Replier, state_path: Path | None = None, default_tz: str = "UTC"
    ) -> Dailies:
        """Over the state file at ``state_path`` (default: beside the corpus); chat state
        an older corpus file still holds is moved over once."""
        corpus = replier.searcher.path
        state = store.State.open(state_path or store.default_path(corpus), legacy_corpus=corpus)
        return cls(state, replier, default_tz)

    # -- subscriptions ----------------------------------------------------------
    def get(self, chat_id: int) -> Subscription | None:
        row = self.state.subscription(chat_id)
        return Subscription(*row) if row else None

    def subscriptions(self) -> list[Subscription]:
        return [Subscription(*row) for row in self.state.subscriptions()]

    def show(self, chat_id: int) -> str:
        return describe(self.get(chat_id))

    def parse(self, args: list[str]) -> tuple[str, str] | None:
        """See :func:`parse_request`; the default zone is the deployment's."""
        return parse_request(args, self.default_tz)

    def change(self, chat_id: int, request: tuple[str, str] | None) -> Change:
        """Subscribe (``(time, zone)``) or stop (None); only after the admin check."""
        if request is None:
            had = self.state.unsubscribe(chat_id)
            text = "Daily quotes stopped." if had else "There was no daily quote here to stop."
            return Change(text, None)
        self.state.subscribe(chat_id, *request)
        sub = Subscription(chat_id, *request)
        return Change(describe(sub), sub)

    def ended(self, chat_id: int) -> bool:
        """The chat is gone (blocked, removed, not found): its subscription ends."""
        return self.state.unsubscribe(chat_id)

    def moved(self, old_id: int, new_id: int) -> Subscription | None:
        """A group became a supergroup: everything follows the new id."""
        self.state.move_chat(old_id, new_id)
        return self.get(new_id)

    # -- the quote --------------------------------------------------------------
    def next_answer(self, chat_id: int, rng: random.Random | None = None) -> int | None:
        """An answer this chat has not seen yet, preferring ones that read well alone.

        A few random draws settle the usual case; a scan settles the rest. When every
        answer has been seen, the chat's history starts over.
        """
        rng = rng or random.Random()
        well = self.replier.searcher.reads_well()
        for _ in range(DRAWS if well else 0):
            pick = rng.choice(well)
            if not self.state.has_seen(chat_id, pick):
                return pick
        seen = self.state.seen(chat_id)
        for pool in (well, self.replier.searcher.answer_ids()):
            unseen = [a for a in pool if a not in seen]
            if unseen:
                return rng.choice(unseen)
        if seen:
            self.state.forget_seen(chat_id)
            return self.next_answer(chat_id, rng)
        return None

    def prepare(self, chat_id: int, rng: random.Random | None = None) -> Post | None:
        """Today's quote for ``chat_id``; None when the corpus has no answers."""
        answer_id = self.next_answer(chat_id, rng)
        if answer_id is None:
            return None
        return Post(answer_id, self.replier.quote(answer_id))

    def delivered(self, chat_id: int, post: Post) -> None:
        """The quote arrived: the chat has seen it."""
        self.state.mark_seen(chat_id, [post.answer_id])
