"""Chat state: daily subscriptions and what each chat has seen, in a file of its own.

It lives apart from the corpus so the corpus can be rebuilt or replaced while the
bot runs, and on platforms that wipe the disk at each deploy, without losing a
subscription (``QUOTEBOT_STATE_DB`` on a volume). One connection, guarded by a
lock, serves every thread: the bot writes from worker threads, never on its event
loop.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from . import migrations
from .connection import WRITE_WAIT_MS, DatabaseError, connect_readonly, open_writable, writing

WHAT = "chat state database"
# meta key: the corpus whose pre-split subscriptions were copied here.
LEGACY_IMPORTED = "legacy_chat_state_from"


def default_path(corpus: Path) -> Path:
    """Where chat state lives when ``QUOTEBOT_STATE_DB`` is not set: beside the corpus."""
    return corpus.with_name("state.db")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class State:
    """The chat state file. Safe to share between threads."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self._lock = threading.RLock()

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        legacy_corpus: str | Path | None = None,
        on_migrate: Callable[[str], None] | None = None,
    ) -> State:
        """Open (creating and migrating) the state file at ``path``.

        ``legacy_corpus``: a corpus built before chat state had its own file; its
        subscriptions and seen answers are copied here once, so nothing is lost.
        """
        db = open_writable(Path(path), migrations.state, WHAT, on_migrate=on_migrate)
        db.conn.close()
        # one connection for every thread, behind the lock
        db = sqlite_utils.Database(sqlite3.connect(str(path), check_same_thread=False))
        db.execute(f"PRAGMA busy_timeout = {WRITE_WAIT_MS}")
        state = cls(db)
        if legacy_corpus is not None:
            state.import_legacy(Path(legacy_corpus), on_migrate)
        return state

    def close(self) -> None:
        with self._lock:
            self.db.close()

    def import_legacy(self, corpus: Path, report: Callable[[str], None] | None = None) -> int:
        """Copy chat state out of an old corpus file, once; the number of chats copied."""
        if not corpus.exists():
            return 0
        with self._lock:
            done = self.db.execute(
                "SELECT value FROM meta WHERE key = ?", [LEGACY_IMPORTED]
            ).fetchone()
            if done:
                return 0
            from .corpus import legacy_chat_state

            try:
                conn = connect_readonly(corpus)
            except DatabaseError:
                return 0
            try:
                subs, seen = legacy_chat_state(conn)
            finally:
                conn.close()
            with writing(self.db):
                self.db.conn.executemany(
                    "INSERT OR IGNORE INTO subscriptions (chat_id, time, tz, updated_at)"
                    " VALUES (?, ?, ?, ?)",
                    subs,
                )
                self.db.conn.executemany(
                    "INSERT OR IGNORE INTO seen (chat_id, answer_id) VALUES (?, ?)", seen
                )
                self.db.execute(
                    "INSERT INTO meta (key, value) VALUES (?, ?)", [LEGACY_IMPORTED, str(corpus)]
                )
        if subs and report:
            report(f"{WHAT}: moved {len(subs)} daily subscription(s) out of {corpus}")
        return len(subs)

    # -- subscriptions ------------------------------------------------------------
    def subscribe(self, chat_id: int, at: str, tz: str) -> None:
        with self._lock, writing(self.db):
            self.db.execute(
                "INSERT INTO subscriptions (chat_id, time, tz, updated_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(chat_id) DO UPDATE SET time = excluded.time, tz = excluded.tz,"
                " updated_at = excluded.updated_at",
                [chat_id, at, tz, _now()],
            )

    def unsubscribe(self, chat_id: int) -> bool:
        """End a chat's subscription; True if there was one."""
        with self._lock, writing(self.db):
            cur = self.db.execute("DELETE FROM subscriptions WHERE chat_id = ?", [chat_id])
        return cur.rowcount > 0

    def subscription(self, chat_id: int) -> tuple[int, str, str] | None:
        with self._lock:
            return self.db.execute(
                "SELECT chat_id, time, tz FROM subscriptions WHERE chat_id = ?", [chat_id]
            ).fetchone()

    def subscriptions(self) -> list[tuple[int, str, str]]:
        with self._lock:
            return self.db.execute(
                "SELECT chat_id, time, tz FROM subscriptions ORDER BY chat_id"
            ).fetchall()

    def move_chat(self, old_id: int, new_id: int) -> None:
        """A group became a supergroup: its subscription and history follow the new id."""
        with self._lock, writing(self.db):
            self.db.execute(
                "UPDATE OR REPLACE subscriptions SET chat_id = ? WHERE chat_id = ?",
                [new_id, old_id],
            )
            self.db.execute(
                "UPDATE OR IGNORE seen SET chat_id = ? WHERE chat_id = ?", [new_id, old_id]
            )
            self.db.execute("DELETE FROM seen WHERE chat_id = ?", [old_id])

    # -- what a chat has seen -------------------------------------------------------
    def has_seen(self, chat_id: int, answer_id: int) -> bool:
        with self._lock:
            return (
                self.db.execute(
                    "SELECT 1 FROM seen WHERE chat_id = ? AND answer_id = ?", [chat_id, answer_id]
                ).fetchone()
                is not None
            )

    def seen(self, chat_id: int) -> set[int]:
        with self._lock:
            return {
                r[0]
                for r in self.db.execute("SELECT answer_id FROM seen WHERE chat_id = ?", [chat_id])
            }

    def mark_seen(self, chat_id: int, answer_ids: Iterable[int]) -> None:
        with self._lock, writing(self.db):
            self.db.conn.executemany(
                "INSERT OR IGNORE INTO seen (chat_id, answer_id) VALUES (?, ?)",
                ((chat_id, a) for a in answer_ids),
            )

    def forget_seen(self, chat_id: int) -> None:
        """Start a chat's history over (it has seen every answer)."""
        with self._lock, writing(self.db):
            self.db.execute("DELETE FROM seen WHERE chat_id = ?", [chat_id])

    # -- follows and alerts -----------------------------------------------------------
    # A follow's ``since`` is where the corpus's newest source stood in the order of
    # arrival when it began (see :func:`.arrivals.arrival`): only sources after it are
    # new to that follow.
    def add_follow(self, chat_id: int, person: str, topic: str, since: str) -> bool:
        """A new follow; False when the chat already follows exactly that."""
        with self._lock, writing(self.db):
            cur = self.db.execute(
                "INSERT OR IGNORE INTO follows (chat_id, person, topic, since, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                [chat_id, person, topic, since, _now()],
            )
        return cur.rowcount > 0

    def follows(self, chat_id: int | None = None) -> list[tuple[int, int, str, str, str]]:
        """(id, chat_id, person, topic, since) of one chat's follows, or everyone's, oldest
        first."""
        with self._lock:
            if chat_id is None:
                return self.db.execute(
                    "SELECT id, chat_id, person, topic, since FROM follows ORDER BY id"
                ).fetchall()
            return self.db.execute(
                "SELECT id, chat_id, person, topic, since FROM follows WHERE chat_id = ?"
                " ORDER BY id",
                [chat_id],
            ).fetchall()

    def end_follow(self, chat_id: int, follow_id: int) -> bool:
        with self._lock, writing(self.db):
            cur = self.db.execute(
                "DELETE FROM follows WHERE chat_id = ? AND id = ?", [chat_id, follow_id]
            )
        return cur.rowcount > 0

    def end_follows(self, chat_id: int) -> int:
        """End every follow of a chat (blocked, removed, gone); how many there were."""
        with self._lock, writing(self.db):
            cur = self.db.execute("DELETE FROM follows WHERE chat_id = ?", [chat_id])
        return cur.rowcount

    def move_follows(self, old_id: int, new_id: int) -> None:
        """A group became a supergroup: its follows and what it was sent follow the new id."""
        with self._lock, writing(self.db):
            self.db.execute(
                "UPDATE OR IGNORE follows SET chat_id = ? WHERE chat_id = ?", [new_id, old_id]
            )
            self.db.execute("DELETE FROM follows WHERE chat_id = ?", [old_id])
            self.db.execute(
                "UPDATE OR IGNORE alerts_sent SET chat_id = ? WHERE chat_id = ?", [new_id, old_id]
            )
            self.db.execute("DELETE FROM alerts_sent WHERE chat_id = ?", [old_id])

    def matched_sources(self) -> tuple[set[str], set[str]]:
        """(sha256s, paths) of the corpus sources already matched against the follows."""
        with self._lock:
            rows = self.db.execute("SELECT sha256, path FROM alert_sources").fetchall()
        return {r[0] for r in rows}, {r[1] for r in rows}

    def mark_matched(self, sources: Iterable[tuple[str, str]]) -> None:
        """(sha256, path) of sources matched against every follow: never matched again."""
        with self._lock, writing(self.db):
            self.db.conn.executemany(
                "INSERT OR IGNORE INTO alert_sources (sha256, path, done_at) VALUES (?, ?, ?)",
                ((sha, path, _now()) for sha, path in sources),
            )

    def claim_alerts(self, chat_id: int, quotes: Iterable[str]) -> list[str]:
        """Record ``quotes`` as sent to a chat, before sending; the ones not recorded
        before (another process, or an earlier run, may have sent the rest)."""
        claimed = []
        with self._lock, writing(self.db):
            for quote in quotes:
                cur = self.db.execute(
                    "INSERT OR IGNORE INTO alerts_sent (chat_id, quote, sent_at) VALUES (?, ?, ?)",
                    [chat_id, quote, _now()],
                )
                if cur.rowcount > 0:
                    claimed.append(quote)
        return claimed

    def release_alerts(self, chat_id: int, quotes: Iterable[str]) -> None:
        """The message did not arrive: the quotes may be sent again."""
        with self._lock, writing(self.db):
            self.db.conn.executemany(
                "DELETE FROM alerts_sent WHERE chat_id = ? AND quote = ?",
                ((chat_id, q) for q in quotes),
            )
