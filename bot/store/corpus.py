"""The corpus database: saving transcripts, and every query search and the bot make.

The corpus can be rebuilt from transcripts at any time; nothing a chat does is kept
here (that is :mod:`.state`). One file replaces its own rows in one transaction;
turn ids are derived from the source id and the turn's position, so re-ingesting
keeps every id (deep links and button data hold them).
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from ..transcripts import Transcript
from ..words import words
from . import migrations
from .connection import (
    WRITE_WAIT_MS,
    needs_migration,
    open_writable,
    registered_names,
    writing,
)

# Turn ids are source_id * TURN_ID_BASE + position.
TURN_ID_BASE = 1_000_000
# Answers that read well alone (random and daily quotes): long enough to say
# something, short enough to post.
READS_WELL = "length(text) BETWEEN 160 AND 6000"
# ... and not one that opens by declining to answer ("I don't have anything to
# announce", "I'm not going to get ahead of the President", "I would refer you to
# DOD"): a briefing's deflection, no quote to post alone (18 of a random draw of 400
# such answers of the corpora). Only the speaker's own "I": "we're not going to send
# troops" is policy. Read in the first DEFLECTION_CHARS characters.
DEFLECTS = re.compile(
    r"^\W*(?:(?:well|look|so|yeah|yes|no|again|and|but|okay|ok)\W+)*(?:i\W+)*"
    r"(?:i\s+(?:don['’]?t|do not)\s+have|i\s+have\s+nothing|i\s*(?:am|['’]m)\s+not\s+going\s+to|"
    r"i\s+(?:can['’]?t|cannot)\s+(?:confirm|speak|get\s+into|get\s+ahead)|"
    r"i\s+(?:would|['’]d)?\s*refer\s+you|i\s+don['’]?t\s+want\s+to\s+get\s+ahead)\b",
    re.I,
)
DEFLECTION_CHARS = 120
# bm25 column weights: a word of the question asked counts this much of one in the
# answer (search's ``bm25_question``); the person column counts for nothing.
QUESTION_WEIGHT = 0.35
# answers the full-text index does not hold yet
_UNINDEXED = "is_answer AND id NOT IN (SELECT id FROM answers_fts_docsize)"
SCHEMA_VERSION = len(registered_names(migrations.corpus))
WHAT = "corpus database"


def open_db(
    path: str | Path, *, create: bool = True, on_migrate: Callable[[str], None] | None = None
) -> sqlite_utils.Database:
    """Open (and if needed create) the corpus for writing, migrated to this schema."""
    return open_writable(Path(path), migrations.corpus, WHAT, create=create, on_migrate=on_migrate)


def pending_migrations(path: str | Path) -> list[str]:
    """What ``quotebot migrate`` would apply to the corpus at ``path``."""
    return needs_migration(Path(path), migrations.corpus)


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


def add_words(db: sqlite_utils.Database, counts: Counter[str]) -> None:
    """Add ``counts`` (negative to take words away) to the vocabulary table: one
    statement per word, so a caller storing many files adds their counts at once."""
    db.conn.executemany(
        "INSERT INTO vocab(word, n) VALUES (?, ?) ON CONFLICT(word) DO UPDATE SET n = n + excluded.n",
        ((w, n) for w, n in counts.items() if n),
    )
    if any(n < 0 for n in counts.values()):
        db.execute("DELETE FROM vocab WHERE n <= 0")


def count_words(texts: Iterable[str]) -> Counter[str]:
    """How often each word occurs in ``texts``: what the vocabulary table counts."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(words(text))
    return counts


def _id_list(base: int, positions: tuple[int, ...]) -> str:
    """The turn ids at ``positions`` as a JSON list, as ``json.dumps`` writes it (this
    is called for every turn stored; the encoder's set-up costs more than the list)."""
    return "[" + ", ".join(str(base + p) for p in positions) + "]"


def save_transcript(
    db: sqlite_utils.Database,
    *,
    path: str,
    file: str,
    sha256: str,
    transcript: Transcript,
    speakers: str = "",
    vocab: Counter[str] | None = None,
    counts: Counter[str] | None = None,
) -> int:
    """Store one parsed file, replacing that file's earlier rows, in one transaction
    (a savepoint of the caller's when one is open: a failure undoes this file only).

    The change to the word counts is added to ``vocab`` when given, for the caller to
    write with :func:`add_words` in the same transaction; else it is written here.
    ``counts``: the file's word counts (:func:`count_words` of its turns' texts), when
    the caller has them already (a parse worker counted them).
    Returns the source id, which stays the same across re-ingests of the same path.
    """
    gone: Counter[str] = Counter()  # the words of the rows this file replaces
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
    with writing(db):
        existing = db.execute("SELECT id FROM sources WHERE path = ?", [path]).fetchone()
        if existing:
            source_id = existing[0]
            old = db.execute("SELECT text FROM turns WHERE source_id = ?", [source_id])
            gone = count_words(r[0] for r in old)
            db.execute("DELETE FROM turns WHERE source_id = ?", [source_id])
            db.execute("DELETE FROM speakers WHERE source_id = ?", [source_id])
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
                    _id_list(base, t.question_positions),
                    transcript.question_text(t),
                    t.asked_by,
                )
                for t in transcript.turns
            ),
        )
        delta = counts if counts is not None else count_words(t.text for t in transcript.turns)
        if gone:
            delta = Counter(delta)  # the caller's counts stay as they were
            delta.subtract(gone)
        if vocab is None:
            add_words(db, delta)
        labels: dict[str, list[int]] = {}
        for t in transcript.turns:
            tally = labels.setdefault(t.speaker, [0, 0])
            tally[0] += 1
            tally[1] += int(t.is_answer)
        # linked to a person by the next people pass (see :func:`link_people`)
        db.conn.executemany(
            "INSERT INTO speakers (source_id, label, person_id, turns, answers)"
            " VALUES (?, ?, NULL, ?, ?)",
            ((source_id, label, n, a) for label, (n, a) in labels.items()),
        )
    if vocab is not None:
        vocab.update(delta)
    return source_id


def index_answers(db: sqlite_utils.Database) -> int:
    """Put every answer not yet in the full-text index into it, with its person's
    token, in one transaction; returns how many. Ingest calls it once its people are
    linked: one statement for the whole corpus, where one per file took three times
    as long, and no answer indexed before its person is known."""
    with writing(db):
        cur = db.execute(
            "INSERT INTO answers_fts(rowid, text, question, person)"
            f" SELECT id, text, question, {migrations.person_token('person_id')}"
            f" FROM turns WHERE {_UNINDEXED}"
        )
    return cur.rowcount


def unindexed_answers(conn: sqlite3.Connection | sqlite_utils.Database) -> int:
    """Answers stored but not yet in the full-text index (an ingest stopped before it
    indexed them)."""
    return conn.execute(f"SELECT COUNT(*) FROM turns WHERE {_UNINDEXED}").fetchone()[0]


def list_sources(db: sqlite3.Connection | sqlite_utils.Database) -> list[dict[str, Any]]:
    """Every source, oldest date first, with its turn and answer counts."""
    cursor = db.execute(
        "SELECT id, title, date, place, url, file, format, turns, answers FROM sources"
        " ORDER BY date IS NULL, date, file"
    )
    columns = [c[0] for c in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor]


def corpus_stats(db: sqlite3.Connection | sqlite_utils.Database) -> dict[str, Any]:
    """Sources, answers and the date range: what ``/about`` tells people."""
    row = db.execute(
        "SELECT COUNT(*), COALESCE(SUM(answers), 0), COALESCE(SUM(turns), 0),"
        " MIN(date), MAX(date) FROM sources"
    ).fetchone()
    speakers = db.execute(
        "SELECT COALESCE(p.name, sp.label) AS who, SUM(sp.answers) AS n FROM speakers sp"
        " LEFT JOIN people p ON p.id = sp.person_id WHERE sp.answers > 0"
        " GROUP BY who ORDER BY n DESC LIMIT 5"
    ).fetchall()
    return {
        "sources": row[0],
        "answers": row[1],
        "turns": row[2],
        "first_date": row[3],
        "last_date": row[4],
        "top_speakers": [(s, n) for s, n in speakers],
    }


def has_sources(db: sqlite_utils.Database) -> bool:
    return db.execute("SELECT 1 FROM sources LIMIT 1").fetchone() is not None


def replace_corpus(built: Path, live: Path) -> None:
    """Put a freshly built corpus in the place of the live one, atomically.

    Readers of ``live`` (a running bot) must never see half a corpus, and SQLite's
    side files (``-wal``, ``-shm``) must never be paired with another file's pages,
    which renaming over a database in WAL mode risks. So a live corpus is
    overwritten through SQLite's backup API, in one transaction under its own
    locks; only a corpus that does not exist yet is simply renamed into place.
    """
    if not live.exists():
        source = sqlite3.connect(built)
        source.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        source.close()
        os.replace(built, live)
        return
    source = sqlite3.connect(f"{built.resolve().as_uri()}?mode=ro", uri=True)
    target = sqlite3.connect(live)
    try:
        target.execute(f"PRAGMA busy_timeout = {WRITE_WAIT_MS}")
        source.backup(target)
    finally:
        source.close()
        target.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{built}{suffix}").unlink(missing_ok=True)


# -- what search reads -----------------------------------------------------------
# Search opens the corpus read-only (:func:`connect_readonly`) and passes its
# connection here; nothing below writes.


def signature(conn: sqlite3.Connection) -> tuple[Any, ...]:
    """Changes whenever an ingest adds, changes or drops a source, and when it
    indexes the answers it stored."""
    return conn.execute(
        "SELECT COUNT(*), MAX(ingested_at), SUM(turns), SUM(answers),"
        " (SELECT COUNT(*) FROM answers_fts_docsize) FROM sources"
    ).fetchone()


def vocabulary(conn: sqlite3.Connection) -> dict[str, int]:
    """Every word of the corpus and how often it occurs."""
    return dict(conn.execute("SELECT word, n FROM vocab WHERE n > 0"))


def stem_answer_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Every stem in the full-text index and the number of answers that hold it."""
    return dict(
        conn.execute(
            "SELECT term, doc FROM answers_terms WHERE term NOT GLOB ?",
            [f"{migrations.PERSON_TOKEN}[0-9]*"],
        )
    )


def indexed_answers(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT COUNT(*) FROM answers_fts_docsize").fetchone()[0]


def _like_literal(text: str) -> str:
    """``text`` for a LIKE pattern, its wildcards meaning themselves."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def label_answers(conn: sqlite3.Connection, speaker: str) -> bool:
    """Whether a speaker label that is ``speaker``, or ends with it, gave any answer
    (as :func:`match_answers` reads ``speaker``)."""
    row = conn.execute(
        "SELECT 1 FROM speakers WHERE answers > 0"
        " AND (label = ? COLLATE NOCASE OR label LIKE ? ESCAPE '\\') LIMIT 1",
        [speaker, f"% {_like_literal(speaker)}"],
    ).fetchone()
    return row is not None


def match_answers(
    conn: sqlite3.Connection,
    match: str,
    limit: int,
    speaker: str | None = None,
    people: Sequence[int] = (),
    date_from: str | None = None,
    date_to: str | None = None,
    ranked: bool = True,
    sources: Sequence[int] = (),
) -> list[tuple[int, float]]:
    """(answer id, bm25 rank: lower is better) for an FTS5 MATCH expression; with
    ``ranked`` False, the first ``limit`` matches in no order, rank 0 (FTS5's bm25 reads
    every row that holds each term for its statistics: a common word costs more than
    the match itself).

    ``people`` keeps those people's answers (their tokens in the index's person column:
    the index intersects its lists); ``speaker`` keeps answers whose label is
    that name, or ends with it (``Putin`` matches ``Vladimir Putin``), wildcards
    taken literally; ``date_from``/``date_to`` (ISO prefixes) keep sources dated
    within them; ``sources`` keeps answers of those sources (told by their ids, no
    join). A MATCH that FTS5 cannot parse finds nothing; any other error is the
    database's and rises.
    """
    if people:
        tokens = " OR ".join(f'"{migrations.PERSON_TOKEN}{int(p)}"' for p in people)
        match = f"person : ({tokens}) AND ({match})"
    joins, where = [], ["answers_fts MATCH ?"]
    params: list[Any] = [match]
    if speaker or date_from or date_to:
        # CROSS JOIN: the index drives (the planner would otherwise walk every answer
        # of the speaker or the dates and run the full-text match once for each)
        joins.append("CROSS JOIN turns t ON t.id = f.rowid")
    if speaker:
        where.append("(t.speaker = ? COLLATE NOCASE OR t.speaker LIKE ? ESCAPE '\\')")
        params += [speaker, f"% {_like_literal(speaker)}"]
    if date_from or date_to:
        joins.append("JOIN sources s ON s.id = t.source_id")
        _within_dates(date_from, date_to, where, params)
    if sources:
        where.append(f"f.rowid / {TURN_ID_BASE} IN ({', '.join(str(int(s)) for s in sources)})")
    rank = f"bm25(answers_fts, 1.0, {QUESTION_WEIGHT}, 0.0)" if ranked else "0.0"
    sql = (
        f"SELECT f.rowid, {rank} FROM answers_fts f {' '.join(joins)}"
        f" WHERE {' AND '.join(where)}{' ORDER BY 2' if ranked else ''} LIMIT {int(limit)}"
    )
    return _matched(conn, sql, params)


def count_answers(conn: sqlite3.Connection, match: str, cap: int) -> int:
    """How many answers an FTS5 MATCH expression finds, counting up to ``cap`` (a
    common phrase need not be counted through); 0 for one FTS5 cannot parse."""
    sql = "SELECT COUNT(*) FROM (SELECT 1 FROM answers_fts WHERE answers_fts MATCH ? LIMIT ?)"
    rows = _matched(conn, sql, [match, int(cap)])
    return rows[0][0] if rows else 0


def _matched(conn: sqlite3.Connection, sql: str, params: list[Any]) -> list[tuple]:
    """The rows of a full-text query; none for a MATCH FTS5 cannot parse (a user's
    query must not crash search), any other error is the database's and rises."""
    try:
        return conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError as exc:
        if str(exc).startswith("fts5:"):
            return []
        raise


def _within_dates(
    date_from: str | None, date_to: str | None, where: list[str], params: list[Any]
) -> None:
    """Add the conditions (on sources ``s``) that keep sources dated within ISO
    prefixes ``date_from`` and ``date_to``, either of them optional."""
    if date_from:
        where.append("s.date >= ?")
        params.append(date_from)
    if date_to:
        where.append("s.date <= ?")
        params.append(_date_end(date_to))


def _date_end(prefix: str) -> str:
    """The last ISO date a prefix covers: ``2021-06`` -> ``2021-06-99`` (compares after
    every day of June)."""
    return prefix + "-99-99"[len(prefix) - 4 :] if len(prefix) < 10 else prefix


_ANSWER_ROWS = """
SELECT t.id, t.source_id, t.speaker, t.text, t.question, t.asked_by, t.timestamp,
       s.title, s.date, s.place, s.url, s.file, t.person_id, p.name AS person
FROM turns t JOIN sources s ON s.id = t.source_id LEFT JOIN people p ON p.id = t.person_id
WHERE t.id IN ({ids})
"""


def answer_rows(conn: sqlite3.Connection, ids: list[int]) -> list[dict[str, Any]]:
    """Answers with their source, by id (order not kept)."""
    if not ids:
        return []
    cursor = conn.execute(_ANSWER_ROWS.format(ids=", ".join("?" for _ in ids)), ids)
    columns = [c[0] for c in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor]


def answer_texts(conn: sqlite3.Connection, ids: list[int]) -> dict[int, tuple[str, str]]:
    """(answer text, question asked before it) by answer id, in the order of ``ids``."""
    if not ids:
        return {}
    marks = ", ".join("?" for _ in ids)
    rows = {
        i: (text, question)
        for i, text, question in conn.execute(
            f"SELECT id, text, question FROM turns WHERE id IN ({marks})", ids
        )
    }
    return {i: rows[i] for i in ids if i in rows}


def person_quote_ids(
    conn: sqlite3.Connection,
    people: Sequence[int],
    limit: int,
    date_from: str | None = None,
    date_to: str | None = None,
) -> list[int]:
    """Ids of some people's answers that read well alone (:data:`READS_WELL`), one per
    source, newest sources first, within the dates when given (ISO prefixes). Of each
    source, the fullest answer to a question: a briefing's last answers are often its
    goodbyes ("Thanks, everyone."), its first an opening statement."""
    marks = ", ".join("?" * len(people))
    where = ["t.is_answer", f"t.person_id IN ({marks})", READS_WELL.replace("text", "t.text")]
    params: list[Any] = list(people)
    _within_dates(date_from, date_to, where, params)
    sql = (
        "SELECT id FROM (SELECT t.id, s.date, ROW_NUMBER() OVER (PARTITION BY t.source_id"
        " ORDER BY instr(t.question, '?') = 0, length(t.text) DESC, t.id) AS nth"
        " FROM turns t JOIN sources s ON s.id = t.source_id"
        f" WHERE {' AND '.join(where)})"
        f" WHERE nth = 1 ORDER BY date IS NULL, date DESC, id LIMIT {int(limit)}"
    )
    return [r[0] for r in conn.execute(sql, params)]


def reads_well_ids(conn: sqlite3.Connection) -> list[int]:
    """Ids of the answers that read well alone (:data:`READS_WELL`, not opening with a
    deflection: :data:`DEFLECTS`)."""
    rows = conn.execute(
        f"SELECT id, substr(text, 1, {DEFLECTION_CHARS}) FROM turns WHERE is_answer AND {READS_WELL}"
    )
    return [i for i, head in rows if not DEFLECTS.match(head)]


def answer_ids(conn: sqlite3.Connection) -> list[int]:
    """Ids of every answer, in order."""
    return [r[0] for r in conn.execute("SELECT id FROM turns WHERE is_answer ORDER BY id")]


def legacy_chat_state(conn: sqlite3.Connection) -> tuple[list[tuple], list[tuple]]:
    """Subscriptions and seen answers that a corpus built before chat state had its own
    file still holds (``[]`` for a newer corpus), to be moved to the state file."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "subscriptions" not in tables:
        return [], []
    subs = conn.execute("SELECT chat_id, time, tz, updated_at FROM subscriptions").fetchall()
    seen = (
        conn.execute("SELECT chat_id, answer_id FROM seen").fetchall() if "seen" in tables else []
    )
    return subs, seen


# -- people ------------------------------------------------------------------------


def speaker_sources(db: sqlite3.Connection | sqlite_utils.Database) -> list[dict[str, Any]]:
    """Each source with its speaker labels and their turn counts: what the people
    rules read (no file is parsed again)."""
    sources: dict[int, dict[str, Any]] = {}
    rows = db.execute(
        "SELECT s.id, s.title, s.date, s.url, s.format, sp.label, sp.turns"
        " FROM speakers sp JOIN sources s ON s.id = sp.source_id ORDER BY s.id"
    )
    for source_id, title, when, url, fmt, label, turns in rows:
        entry = sources.setdefault(
            source_id,
            {
                "source_id": source_id,
                "title": title,
                "date": when,
                "url": url,
                "format": fmt,
                "labels": {},
            },
        )
        entry["labels"][label] = turns
    return list(sources.values())


def link_people(db: sqlite_utils.Database, names: dict[tuple[int, str], str | None]) -> int:
    """Link every (source, label) to the person ``names`` gives it (None: nobody), in
    one transaction; people nobody is linked to any more are dropped. Returns how many
    labels changed person."""
    with writing(db):
        wanted = sorted({n for n in names.values() if n})
        db.conn.executemany(
            "INSERT OR IGNORE INTO people (name) VALUES (?)", ((n,) for n in wanted)
        )
        ids = dict(db.execute("SELECT name, id FROM people"))
        current = {
            (sid, label): pid
            for sid, label, pid in db.execute("SELECT source_id, label, person_id FROM speakers")
        }
        changes = [
            (ids[name] if name else None, sid, label)
            for (sid, label), name in names.items()
            if (sid, label) in current and current[(sid, label)] != (ids[name] if name else None)
        ]
        db.conn.executemany(
            "UPDATE speakers SET person_id = ? WHERE source_id = ? AND label = ?", changes
        )
        db.conn.executemany(
            "UPDATE turns SET person_id = ? WHERE source_id = ? AND speaker = ?", changes
        )
        db.execute(
            "DELETE FROM people WHERE id NOT IN"
            " (SELECT person_id FROM speakers WHERE person_id IS NOT NULL)"
        )
    return len(changes)


def people_rows(conn: sqlite3.Connection | sqlite_utils.Database) -> list[dict[str, Any]]:
    """Every person, most answers first: name, aliases (each label as written, with
    its turn count), turns, answers, first and last date."""
    people: dict[int, dict[str, Any]] = {}
    rows = conn.execute(
        "SELECT p.id, p.name, sp.label, SUM(sp.turns), SUM(sp.answers),"
        " MIN(s.date), MAX(s.date)"
        " FROM people p JOIN speakers sp ON sp.person_id = p.id"
        " JOIN sources s ON s.id = sp.source_id GROUP BY p.id, sp.label"
    )
    for pid, name, label, turns, answers, first, last in rows:
        entry = people.setdefault(
            pid,
            {
                "id": pid,
                "name": name,
                "aliases": {},
                "turns": 0,
                "answers": 0,
                "first_date": None,
                "last_date": None,
            },
        )
        entry["aliases"][label] = turns
        entry["turns"] += turns
        entry["answers"] += answers
        if first and (entry["first_date"] is None or first < entry["first_date"]):
            entry["first_date"] = first
        if last and (entry["last_date"] is None or last > entry["last_date"]):
            entry["last_date"] = last
    return sorted(people.values(), key=lambda p: (-p["answers"], p["name"]))


def corpus_fact(db: sqlite3.Connection | sqlite_utils.Database, key: str) -> str | None:
    row = db.execute("SELECT value FROM corpus_meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def set_corpus_fact(db: sqlite_utils.Database, key: str, value: str) -> None:
    with writing(db):
        db.execute(
            "INSERT INTO corpus_meta (key, value) VALUES (?, ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )


# The person the corpus is about, by name, as the people file said when it was
# last linked ("" for nobody).
SUBJECT_FACT = "subject"


def subject_person(conn: sqlite3.Connection | sqlite_utils.Database) -> int | None:
    """The id of the person the corpus is about, or None (none named, or nobody of
    that name answers in it)."""
    name = corpus_fact(conn, SUBJECT_FACT)
    if not name:
        return None
    row = conn.execute("SELECT id FROM people WHERE name = ?", [name]).fetchone()
    return row[0] if row else None


def texts_with(conn: sqlite3.Connection, word: str, limit: int) -> list[str]:
    """Up to ``limit`` answers and questions that hold ``word`` (a folded word)."""
    rows = conn.execute(
        "SELECT t.text, t.question FROM answers_fts f JOIN turns t ON t.id = f.rowid"
        " WHERE answers_fts MATCH ? LIMIT ?",
        [f'"{word}"', int(limit)],
    )
    return [f"{text}\n{question}" for text, question in rows]
