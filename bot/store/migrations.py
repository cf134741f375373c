"""Schema changes, one decorated function each, applied in order (sqlite-utils Migrations).

A database records which migrations it has had in ``_sqlite_migrations``; a new
migration is appended here and never edited once released, so a database built by
any earlier version can be brought up to date. ``PRAGMA user_version`` mirrors the
number applied, so a database from a newer quotebot is recognised and refused.

The first corpus migration is the schema as it was before migrations existed, in
``IF NOT EXISTS`` form: a database built then passes through it unchanged.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from ..words import TOKENIZER

corpus = Migrations("quotebot-corpus")
state = Migrations("quotebot-state")


def _run(db: Database, statements: list[str]) -> None:
    # one statement at a time: executescript would commit the migration's transaction
    for statement in statements:
        db.execute(statement)


@corpus()
def m001_sources_turns_index(db: Database) -> None:
    _run(
        db,
        [
            """CREATE TABLE IF NOT EXISTS sources (
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
            )""",
            "CREATE INDEX IF NOT EXISTS sources_sha256 ON sources(sha256)",
            """CREATE TABLE IF NOT EXISTS turns (
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
            )""",
            "CREATE INDEX IF NOT EXISTS turns_answers ON turns(is_answer, speaker)",
            """CREATE TABLE IF NOT EXISTS vocab (
                word TEXT PRIMARY KEY,
                n INTEGER NOT NULL
            ) WITHOUT ROWID""",
            f"""CREATE VIRTUAL TABLE IF NOT EXISTS answers_fts USING fts5(
                text, question, content='turns', content_rowid='id',
                tokenize='{TOKENIZER}'
            )""",
            "CREATE VIRTUAL TABLE IF NOT EXISTS answers_terms USING fts5vocab(answers_fts, 'row')",
            """CREATE TRIGGER IF NOT EXISTS turns_fts_insert AFTER INSERT ON turns
            WHEN new.is_answer BEGIN
                INSERT INTO answers_fts(rowid, text, question)
                VALUES (new.id, new.text, new.question);
            END""",
            """CREATE TRIGGER IF NOT EXISTS turns_fts_delete AFTER DELETE ON turns
            WHEN old.is_answer BEGIN
                INSERT INTO answers_fts(answers_fts, rowid, text, question)
                VALUES ('delete', old.id, old.text, old.question);
            END""",
            """CREATE TRIGGER IF NOT EXISTS turns_fts_update_old AFTER UPDATE ON turns
            WHEN old.is_answer BEGIN
                INSERT INTO answers_fts(answers_fts, rowid, text, question)
                VALUES ('delete', old.id, old.text, old.question);
            END""",
            """CREATE TRIGGER IF NOT EXISTS turns_fts_update_new AFTER UPDATE ON turns
            WHEN new.is_answer BEGIN
                INSERT INTO answers_fts(rowid, text, question)
                VALUES (new.id, new.text, new.question);
            END""",
        ],
    )


@corpus()
def m002_people(db: Database) -> None:
    """Who is who: one row per person, each label of each source linked to one (or to
    nobody: "Question", "Moderator"), and each turn to its person. The original label
    stays in ``turns.speaker`` as written."""
    _run(
        db,
        [
            "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)",
            """CREATE TABLE speakers (
                source_id INTEGER NOT NULL REFERENCES sources(id),
                label TEXT NOT NULL,
                person_id INTEGER REFERENCES people(id),
                turns INTEGER NOT NULL,
                answers INTEGER NOT NULL,
                PRIMARY KEY (source_id, label)
            ) WITHOUT ROWID""",
            "CREATE INDEX speakers_person ON speakers(person_id)",
            # facts about the corpus as a whole, e.g. which people file linked it
            "CREATE TABLE corpus_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
            "ALTER TABLE turns ADD COLUMN person_id INTEGER REFERENCES people(id)",
            "CREATE INDEX turns_person ON turns(person_id, is_answer)",
            # Linking turns to people must not rewrite the full-text index: only a
            # change of the indexed columns re-indexes a turn.
            "DROP TRIGGER turns_fts_update_old",
            "DROP TRIGGER turns_fts_update_new",
            """CREATE TRIGGER turns_fts_update_old AFTER UPDATE OF text, question, is_answer
            ON turns WHEN old.is_answer BEGIN
                INSERT INTO answers_fts(answers_fts, rowid, text, question)
                VALUES ('delete', old.id, old.text, old.question);
            END""",
            """CREATE TRIGGER turns_fts_update_new AFTER UPDATE OF text, question, is_answer
            ON turns WHEN new.is_answer BEGIN
                INSERT INTO answers_fts(rowid, text, question)
                VALUES (new.id, new.text, new.question);
            END""",
            # every label seen so far, linked to nobody until people are resolved
            """INSERT INTO speakers (source_id, label, person_id, turns, answers)
            SELECT source_id, speaker, NULL, COUNT(*), SUM(is_answer)
            FROM turns GROUP BY source_id, speaker""",
        ],
    )


@corpus()
def m003_index_by_statement(db: Database) -> None:
    """A stored file's answers are indexed by one statement (see
    :func:`bot.store.corpus.save_transcript`), not by a trigger run for each inserted
    turn: the trigger made storing the three corpora's turns twice as slow."""
    _run(db, ["DROP TRIGGER IF EXISTS turns_fts_insert"])


# In the full-text index, an answer's person is one token in a column of its own (the
# turns hold the id): a lookup within one person's answers is then an intersection of
# the index's lists, not a match of everyone's answers checked one by one.
PERSON_TOKEN = "qqp"
_INDEXED = "EXISTS (SELECT 1 FROM answers_fts_docsize WHERE id = old.id)"


def person_token(column: str) -> str:
    """The SQL of the index's person token for a turns column holding a person id."""
    return f"'{PERSON_TOKEN}' || {column}"


@corpus()
def m004_person_in_index(db: Database) -> None:
    """The full-text index gains a ``person`` column (:data:`PERSON_TOKEN` and the
    person's id), rebuilt from the turns. Answers are indexed once their people are
    linked (:func:`bot.store.corpus.index_answers`), so the triggers keep the index in
    step only for answers already in it: an answer stored by an ingest that was
    stopped before indexing is indexed by the next one."""
    _run(
        db,
        [
            "DROP TRIGGER IF EXISTS turns_fts_delete",
            "DROP TRIGGER IF EXISTS turns_fts_update_old",
            "DROP TRIGGER IF EXISTS turns_fts_update_new",
            "DROP TABLE answers_terms",
            "DROP TABLE answers_fts",
            f"""CREATE VIRTUAL TABLE answers_fts USING fts5(
                text, question, person, content='turns', content_rowid='id',
                tokenize='{TOKENIZER}'
            )""",
            "CREATE VIRTUAL TABLE answers_terms USING fts5vocab(answers_fts, 'row')",
            f"""INSERT INTO answers_fts(rowid, text, question, person)
            SELECT id, text, question, {person_token("person_id")} FROM turns WHERE is_answer""",
            f"""CREATE TRIGGER turns_fts_delete AFTER DELETE ON turns WHEN {_INDEXED} BEGIN
                INSERT INTO answers_fts(answers_fts, rowid, text, question, person)
                VALUES ('delete', old.id, old.text, old.question, {person_token("old.person_id")});
            END""",
            f"""CREATE TRIGGER turns_fts_update
            AFTER UPDATE OF text, question, is_answer, person_id ON turns WHEN {_INDEXED} BEGIN
                INSERT INTO answers_fts(answers_fts, rowid, text, question, person)
                VALUES ('delete', old.id, old.text, old.question, {person_token("old.person_id")});
                INSERT INTO answers_fts(rowid, text, question, person)
                SELECT new.id, new.text, new.question, {person_token("new.person_id")}
                WHERE new.is_answer;
            END""",
        ],
    )


@state()
def m001_subscriptions_seen(db: Database) -> None:
    _run(
        db,
        [
            """CREATE TABLE IF NOT EXISTS subscriptions (
                chat_id INTEGER PRIMARY KEY,
                time TEXT NOT NULL,
                tz TEXT NOT NULL,
                updated_at TEXT NOT NULL
            )""",
            """CREATE TABLE IF NOT EXISTS seen (
                chat_id INTEGER NOT NULL,
                answer_id INTEGER NOT NULL,
                PRIMARY KEY (chat_id, answer_id)
            ) WITHOUT ROWID""",
            # key/value facts about this state file, e.g. legacy chat state imported
            "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        ],
    )


@state()
def m002_follows(db: Database) -> None:
    """Follows (a chat wants new answers by a person, on a topic or on anything), the
    corpus sources already matched against them, and each quote a chat was sent, so
    nothing is posted twice across restarts and between the bot and ``post-alerts``.

    Sources are known by content (sha256) and by path, and quotes by source content
    and position: a rebuilt corpus gives sources and answers new ids, not new text."""
    _run(
        db,
        [
            """CREATE TABLE follows (
                id INTEGER PRIMARY KEY,
                chat_id INTEGER NOT NULL,
                person TEXT NOT NULL,
                topic TEXT NOT NULL DEFAULT '',
                since TEXT NOT NULL DEFAULT '',
                created_at TEXT NOT NULL,
                UNIQUE (chat_id, person, topic)
            )""",
            "CREATE INDEX follows_chat ON follows(chat_id)",
            """CREATE TABLE alert_sources (
                sha256 TEXT PRIMARY KEY,
                path TEXT NOT NULL,
                done_at TEXT NOT NULL
            ) WITHOUT ROWID""",
            "CREATE INDEX alert_sources_path ON alert_sources(path)",
            """CREATE TABLE alerts_sent (
                chat_id INTEGER NOT NULL,
                quote TEXT NOT NULL,
                sent_at TEXT NOT NULL,
                PRIMARY KEY (chat_id, quote)
            ) WITHOUT ROWID""",
        ],
    )
