"""The SQLite database: schema, saving transcripts, and the queries the bot needs.

One file replaces its own rows in one transaction; turn ids are derived from the
source id and the turn's position, so re-ingesting keeps every id (deep links and
button data hold them).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from ..transcripts import Transcript
from ..words import TOKENIZER, words

SCHEMA_VERSION = 1
# Turn ids are source_id * TURN_ID_BASE + position.
TURN_ID_BASE = 1_000_000
# Answers that read well alone (random and daily quotes): long enough to say
# something, short enough to post.
READS_WELL = "length(text) BETWEEN 160 AND 6000"

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS sources (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    file TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    format TEXT NOT NULL,
    title TEXT,
    date TEXT,
    place TEXT,
    url TEXT,
    speakers TEXT NOT NULL DEFAULT '',
    warnings TEXT NOT NULL DEFAULT '[]',
    turns INTEGER NOT NULL DEFAULT 0,
    answers INTEGER NOT NULL DEFAULT 0,
    ingested_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sources_sha256 ON sources(sha256);
CREATE TABLE IF NOT EXISTS turns (
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources(id),
    position INTEGER NOT NULL,
    speaker TEXT NOT NULL,
    text TEXT NOT NULL,
    timestamp TEXT,
    is_answer INTEGER NOT NULL DEFAULT 0,
    question_ids TEXT NOT NULL DEFAULT '[]',
    question TEXT NOT NULL DEFAULT '',
    asked_by TEXT,
    UNIQUE (source_id, position)
);
CREATE INDEX IF NOT EXISTS turns_answers ON turns(is_answer, speaker);
CREATE TABLE IF NOT EXISTS vocab (
    word TEXT PRIMARY KEY,
    n INTEGER NOT NULL
) WITHOUT ROWID;
CREATE VIRTUAL TABLE IF NOT EXISTS answers_fts USING fts5(
    text, question, content='turns', content_rowid='id',
    tokenize='{TOKENIZER}'
);
CREATE TABLE IF NOT EXISTS subscriptions (
    chat_id INTEGER PRIMARY KEY,
    time TEXT NOT NULL,
    tz TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS seen (
    chat_id INTEGER NOT NULL,
    answer_id INTEGER NOT NULL,
    PRIMARY KEY (chat_id, answer_id)
) WITHOUT ROWID;
CREATE VIRTUAL TABLE IF NOT EXISTS answers_terms USING fts5vocab(answers_fts, 'row');
CREATE TRIGGER IF NOT EXISTS turns_fts_insert AFTER INSERT ON turns WHEN new.is_answer BEGIN
    INSERT INTO answers_fts(rowid, text, question) VALUES (new.id, new.text, new.question);
END;
CREATE TRIGGER IF NOT EXISTS turns_fts_delete AFTER DELETE ON turns WHEN old.is_answer BEGIN
    INSERT INTO answers_fts(answers_fts, rowid, text, question)
    VALUES ('delete', old.id, old.text, old.question);
END;
CREATE TRIGGER IF NOT EXISTS turns_fts_update_old AFTER UPDATE ON turns WHEN old.is_answer BEGIN
    INSERT INTO answers_fts(answers_fts, rowid, text, question)
    VALUES ('delete', old.id, old.text, old.question);
END;
CREATE TRIGGER IF NOT EXISTS turns_fts_update_new AFTER UPDATE ON turns WHEN new.is_answer BEGIN
    INSERT INTO answers_fts(rowid, text, question) VALUES (new.id, new.text, new.question);
END;
"""


class DatabaseError(Exception):
    """The database file cannot be used; the message says why."""


def open_db(path: str | Path, *, create: bool = True) -> sqlite_utils.Database:
    """Open (and if needed create) the quotebot database in WAL mode."""
    path = Path(path)
    if not create and not path.exists():
        raise DatabaseError(f"no database at {path}; run 'quotebot ingest' first")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        db = sqlite_utils.Database(path)
        db.execute("PRAGMA busy_timeout = 5000")
        if db.journal_mode != "wal":
            db.enable_wal()
        db.execute("PRAGMA synchronous = NORMAL")
        ensure_schema(db)
    except Exception as exc:  # sqlite3.DatabaseError and friends: not a database
        raise DatabaseError(f"cannot open database {path}: {exc}") from exc
    return db


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Create the tables, index and triggers if they are missing."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise DatabaseError(f"database schema {version} is newer than this quotebot")
    with db.conn:
        db.conn.executescript(_SCHEMA)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def known_files(db: sqlite_utils.Database) -> dict[str, tuple[str, str]]:
    """path -> (sha256, speakers setting) for every stored source."""
    return {
        row["path"]: (row["sha256"], row["speakers"])
        for row in db.query("SELECT path, sha256, speakers FROM sources")
    }


def source_with_hash(db: sqlite_utils.Database, sha256: str, other_than: str) -> str | None:
    """The file of another source with this exact content, if there is one."""
    row = db.execute(
        "SELECT file FROM sources WHERE sha256 = ? AND path != ? LIMIT 1", [sha256, other_than]
    ).fetchone()
    return row[0] if row else None


def _vocab_delta(db: sqlite_utils.Database, counts: Counter[str], sign: int) -> None:
    db.conn.executemany(
        "INSERT INTO vocab(word, n) VALUES (?, ?) ON CONFLICT(word) DO UPDATE SET n = n + excluded.n",
        ((w, sign * n) for w, n in counts.items()),
    )


def _count_words(texts: Iterable[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(words(text))
    return counts


def save_transcript(
    db: sqlite_utils.Database,
    *,
    path: str,
    file: str,
    sha256: str,
    transcript: Transcript,
    speakers: str = "",
) -> int:
    """Store one parsed file, replacing that file's earlier rows, in one transaction.

    Returns the source id, which stays the same across re-ingests of the same path.
    """
    info = transcript.info
    row: dict[str, Any] = {
        "path": path,
        "file": file,
        "sha256": sha256,
        "format": transcript.format,
        "title": info.title,
        "date": info.date,
        "place": info.place,
        "url": info.url,
        "speakers": speakers,
        "warnings": json.dumps(transcript.warnings),
        "turns": len(transcript.turns),
        "answers": len(transcript.answers),
        "ingested_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    if len(transcript.turns) >= TURN_ID_BASE:
        raise ValueError(f"{file}: more than {TURN_ID_BASE - 1} turns")
    with db.atomic():
        existing = db.execute("SELECT id FROM sources WHERE path = ?", [path]).fetchone()
        if existing:
            source_id = existing[0]
            old = db.execute("SELECT text FROM turns WHERE source_id = ?", [source_id])
            _vocab_delta(db, _count_words(r[0] for r in old), -1)
            db.execute("DELETE FROM turns WHERE source_id = ?", [source_id])
            db.execute("DELETE FROM vocab WHERE n <= 0")
            sets = ", ".join(f"{k} = :{k}" for k in row)
            db.execute(f"UPDATE sources SET {sets} WHERE id = :id", {**row, "id": source_id})
        else:
            cols = ", ".join(row)
            cur = db.execute(
                f"INSERT INTO sources ({cols}) VALUES ({', '.join(':' + k for k in row)})", row
            )
            source_id = cur.lastrowid
        base = source_id * TURN_ID_BASE
        db.conn.executemany(
            "INSERT INTO turns (id, source_id, position, speaker, text, timestamp, is_answer,"
            " question_ids, question, asked_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    base + t.position,
                    source_id,
                    t.position,
                    t.speaker,
                    t.text,
                    t.timestamp,
                    int(t.is_answer),
                    json.dumps([base + p for p in t.question_positions]),
                    transcript.question_text(t),
                    t.asked_by,
                )
                for t in transcript.turns
            ),
        )
        _vocab_delta(db, _count_words(t.text for t in transcript.turns), +1)
    return source_id


def list_sources(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Every source, oldest date first, with its turn and answer counts."""
    return list(
        db.query(
            "SELECT id, title, date, place, url, file, format, turns, answers FROM sources"
            " ORDER BY date IS NULL, date, file"
        )
    )


def corpus_stats(db: sqlite_utils.Database) -> dict[str, Any]:
    """Sources, answers and the date range: what ``/about`` tells people."""
    row = db.execute(
        "SELECT COUNT(*), COALESCE(SUM(answers), 0), COALESCE(SUM(turns), 0),"
        " MIN(date), MAX(date) FROM sources"
    ).fetchone()
    speakers = db.execute(
        "SELECT speaker, COUNT(*) AS n FROM turns WHERE is_answer GROUP BY speaker"
        " ORDER BY n DESC LIMIT 5"
    ).fetchall()
    return {
        "sources": row[0],
        "answers": row[1],
        "turns": row[2],
        "first_date": row[3],
        "last_date": row[4],
        "top_speakers": [(s, n) for s, n in speakers],
    }
