"""Daily quotes: subscriptions, their times, and which quote a chat gets next.

Subscriptions live in SQLite so they survive restarts; times are wall-clock times in
the chat's own zone, so 09:00 stays 09:00 across daylight-saving changes. A chat sees
no quote twice until it has seen every quotable answer. Nothing here imports
``telegram``.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlite_utils

from . import store

DEFAULT_TIME = "09:00"
_TIME = re.compile(r"^(\d{1,2})[:.h](\d{2})$")
EXAMPLE = "/daily 09:00 Europe/Berlin"


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


def parse_request(args: list[str], default_tz: str) -> tuple[str, str] | None:
    """``["09:00", "Europe/Berlin"]`` -> (``09:00``, ``Europe/Berlin``); ``["off"]`` -> None.

    Raises :class:`DailyError` naming what is wrong, with an example.
    """
    if args and args[0].lower() in ("off", "stop", "cancel"):
        return None
    raw_time = args[0] if args else DEFAULT_TIME
    match = _TIME.match(raw_time)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise DailyError(f"“{raw_time[:20]}” is not a time I understand. Use HH:MM, e.g. {EXAMPLE}")
    tz = args[1] if len(args) > 1 else default_tz
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise DailyError(
            f"“{tz[:40]}” is not a time zone I know. Use Area/City, e.g. {EXAMPLE}"
        ) from None
    return f"{int(match[1]):02d}:{match[2]}", tz


def subscribe(db: sqlite_utils.Database, chat_id: int, at: str, tz: str) -> Subscription:
    with db.atomic():
        db.execute(
            "INSERT INTO subscriptions (chat_id, time, tz, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT(chat_id) DO UPDATE SET time = excluded.time, tz = excluded.tz,"
            " updated_at = excluded.updated_at",
            [chat_id, at, tz, datetime.now(UTC).isoformat(timespec="seconds")],
        )
    return Subscription(chat_id, at, tz)


def unsubscribe(db: sqlite_utils.Database, chat_id: int) -> bool:
    """End a chat's subscription; True if there was one."""
    with db.atomic():
        cur = db.execute("DELETE FROM subscriptions WHERE chat_id = ?", [chat_id])
    return cur.rowcount > 0


def get(db: sqlite_utils.Database, chat_id: int) -> Subscription | None:
    row = db.execute(
        "SELECT chat_id, time, tz FROM subscriptions WHERE chat_id = ?", [chat_id]
    ).fetchone()
    return Subscription(*row) if row else None


def all_subscriptions(db: sqlite_utils.Database) -> list[Subscription]:
    return [
        Subscription(*row)
        for row in db.execute("SELECT chat_id, time, tz FROM subscriptions ORDER BY chat_id")
    ]


def move_chat(db: sqlite_utils.Database, old_id: int, new_id: int) -> Subscription | None:
    """A group became a supergroup: its subscription and history follow the new id."""
    with db.atomic():
        db.execute(
            "UPDATE OR REPLACE subscriptions SET chat_id = ? WHERE chat_id = ?", [new_id, old_id]
        )
        db.execute("UPDATE OR IGNORE seen SET chat_id = ? WHERE chat_id = ?", [new_id, old_id])
        db.execute("DELETE FROM seen WHERE chat_id = ?", [old_id])
    return get(db, new_id)


# Random draws from the answers that read well before scanning for an unseen one.
DRAWS = 20


def next_answer(
    db: sqlite_utils.Database,
    chat_id: int,
    rng: random.Random | None = None,
    reads_well: Sequence[int] = (),
) -> int | None:
    """An answer this chat has not seen yet, preferring ones that read well alone.

    ``reads_well`` (the ids of those answers, when the caller has them) makes the
    usual case a few lookups instead of a scan of every answer. When every answer
    has been seen, the chat's history starts over.
    """
    rng = rng or random.Random()
    for _ in range(DRAWS if reads_well else 0):
        pick = rng.choice(reads_well)
        if not db.execute(
            "SELECT 1 FROM seen WHERE chat_id = ? AND answer_id = ?", [chat_id, pick]
        ).fetchone():
            return pick
    for condition in (store.READS_WELL, "1"):
        ids = [
            r[0]
            for r in db.execute(
                f"SELECT id FROM turns WHERE is_answer AND {condition} AND id NOT IN"
                " (SELECT answer_id FROM seen WHERE chat_id = ?)",
                [chat_id],
            )
        ]
        if ids:
            return rng.choice(ids)
    if db.execute("SELECT 1 FROM seen WHERE chat_id = ? LIMIT 1", [chat_id]).fetchone():
        with db.atomic():
            db.execute("DELETE FROM seen WHERE chat_id = ?", [chat_id])
        return next_answer(db, chat_id, rng, reads_well)
    return None


def mark_seen(db: sqlite_utils.Database, chat_id: int, answer_id: int) -> None:
    with db.atomic():
        db.execute(
            "INSERT OR IGNORE INTO seen (chat_id, answer_id) VALUES (?, ?)", [chat_id, answer_id]
        )


def describe(sub: Subscription | None, now: datetime | None = None) -> str:
    """What /daily says about a chat's setting."""
    if sub is None:
        return f"No daily quote here yet. Subscribe with /daily HH:MM Area/City, e.g. {EXAMPLE}"
    upcoming = sub.next_post(now or datetime.now(UTC))
    return (
        f"A quote arrives here every day at {sub.time} ({sub.tz}). "
        f"Next: {upcoming:%a %d %b %H:%M %Z}. /daily off stops it."
    )
