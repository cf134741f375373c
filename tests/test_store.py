"""The store: migrations of databases built by older versions, chat state apart from
the corpus, write locks, read-only search connections."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, seed

from bot import people, store
from bot.cli import main
from bot.ingest import ingest
from bot.search import Searcher

# Built by quotebot before schema migrations existed (seed 004 ingested, two daily
# subscriptions, one answer seen), with the chat state inside the corpus file.
LEGACY_V1 = FIXTURES / "legacy" / "quotes_v1.db"
QUERIES = [
    "what does russia gain from the csto",
    "stability in the post soviet space",
    "kyrgyzstan",
]


@pytest.fixture
def legacy(tmp_path: Path) -> Path:
    path = tmp_path / "quotes.db"
    shutil.copy(LEGACY_V1, path)
    return path


@pytest.fixture
def migrated(legacy: Path) -> Path:
    db = store.open_db(legacy)
    people.link(db)
    db.close()
    return legacy


def test_a_legacy_database_migrates_and_answers_the_same(legacy: Path, tmp_path: Path):
    said: list[str] = []
    db = store.open_db(legacy, on_migrate=said.append)
    assert said == [
        "corpus database: applying migration m001_sources_turns_index",
        "corpus database: applying migration m002_people",
        "corpus database: applying migration m003_index_by_statement",
        "corpus database: applying migration m004_person_in_index",
    ]
    assert db.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
    db.close()
    fresh = tmp_path / "fresh" / "quotes.db"
    ingest(store.open_db(fresh), [seed("004")], workers=1)
    with pytest.raises(store.DatabaseError, match="quotebot migrate"):
        Searcher(_copy_legacy(tmp_path))
    people.link(store.open_db(legacy))
    old, new = Searcher(legacy), Searcher(fresh)
    for query in QUERIES:
        found = [(h.id, h.quote) for h in old.search(query)]
        assert found and found == [(h.id, h.quote) for h in new.search(query)]
    again: list[str] = []
    store.open_db(legacy, on_migrate=again.append).close()
    assert again == []  # nothing left to do


def test_a_migrated_database_indexes_the_files_ingested_next(migrated: Path):
    db = store.open_db(migrated)
    ingest(db, [seed("000")], workers=1)
    answers = db.execute("SELECT COUNT(*) FROM turns WHERE is_answer").fetchone()[0]
    assert db.execute("SELECT COUNT(*) FROM answers_fts_docsize").fetchone()[0] == answers
    db.execute("INSERT INTO answers_fts(answers_fts) VALUES ('integrity-check')")  # raises if not
    db.close()
    assert Searcher(migrated).search("birthday")  # seed 000's answers are found


def test_legacy_chat_state_moves_to_its_own_file_once(legacy: Path, tmp_path: Path):
    state = store.State.open(tmp_path / "state.db", legacy_corpus=legacy)
    assert state.subscriptions() == [(-1001, "21:00", "UTC"), (42, "08:30", "Europe/Berlin")]
    assert len(state.seen(42)) == 1
    state.unsubscribe(-1001)
    state.close()
    reopened = store.State.open(tmp_path / "state.db", legacy_corpus=legacy)
    assert [s[0] for s in reopened.subscriptions()] == [42]  # not imported twice


def test_migrate_command_says_what_it_did(legacy: Path, monkeypatch):
    monkeypatch.setenv("QUOTEBOT_STATE_DB", str(legacy.with_name("chats.db")))
    first = CliRunner().invoke(main, ["migrate", "--db", str(legacy)])
    assert first.exit_code == 0, first.output
    assert "applying migration m001_sources_turns_index" in first.output
    assert "applying migration m002_people" in first.output
    assert "moved 2 daily subscription(s)" in first.output
    assert legacy.with_name("chats.db").exists()
    second = CliRunner().invoke(main, ["migrate", "--db", str(legacy)])
    assert second.exit_code == 0 and "up to date" in second.output


def test_a_database_from_a_newer_version_is_refused(legacy: Path):
    conn = sqlite3.connect(legacy)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    with pytest.raises(store.DatabaseError, match="newer quotebot"):
        store.open_db(legacy)


def test_a_second_writer_waits_then_says_plainly(legacy: Path):
    holder = store.open_db(legacy)
    other = store.open_db(legacy)
    other.execute("PRAGMA busy_timeout = 50")
    with store.writing(holder):
        holder.execute("DELETE FROM vocab WHERE word = 'x'")
        with pytest.raises(store.DatabaseError, match="another process"), store.writing(other):
            pass
    with store.writing(other):  # the lock is free again
        other.execute("DELETE FROM vocab WHERE word = 'x'")


def _copy_legacy(folder: Path) -> Path:
    path = folder / "unmigrated.db"
    shutil.copy(LEGACY_V1, path)
    return path


def test_search_connections_cannot_write(legacy: Path):
    conn = store.connect_readonly(legacy)
    with pytest.raises(sqlite3.OperationalError):
        conn.execute("DELETE FROM vocab")


def test_speaker_filter_wildcards_are_literal(migrated: Path):
    searcher = Searcher(migrated)
    assert searcher.search("speaker:Putin stability")
    assert searcher.search("speaker:% stability") == []
    assert searcher.search("speaker:_ stability") == []


def test_a_missing_index_is_an_error_not_an_empty_answer(migrated: Path):
    searcher = Searcher(migrated)
    conn = sqlite3.connect(migrated)
    conn.execute("DROP TABLE answers_fts")
    conn.commit()
    conn.close()
    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        searcher.search("stability in the post soviet space")


def _person_answers(conn: sqlite3.Connection, person: int, match: str) -> set[int]:
    """By the index's person column, and by the turns' links: they must agree."""
    by_index = {i for i, _ in store.match_answers(conn, match, 1000, people=[person])}
    by_links = {
        i
        for (i,) in conn.execute(
            "SELECT t.id FROM answers_fts f JOIN turns t ON t.id = f.rowid"
            " WHERE answers_fts MATCH ? AND t.person_id = ?",
            [match, person],
        )
    }
    assert by_index == by_links
    return by_index


def test_a_person_s_answers_are_looked_up_in_the_index_and_follow_relinking(db_path: Path):
    """Seeds 000 and 004: Putin answers in both. Each answer's person is a token of
    the index, kept in step when a label is linked to someone else (the people file
    changed) and when a file is ingested again."""
    folder = db_path.parent / "transcripts"
    folder.mkdir()
    for name in ("000", "004"):
        shutil.copy(seed(name), folder / seed(name).name)
    db = store.open_db(db_path)
    ingest(db, [folder], workers=1)
    conn = db.conn
    (putin,) = conn.execute("SELECT id FROM people WHERE name = 'Vladimir Putin'").fetchone()
    theirs = _person_answers(conn, putin, '"russia"')
    assert len(theirs) > 5
    assert (
        store.indexed_answers(conn)
        == conn.execute("SELECT COUNT(*) FROM turns WHERE is_answer").fetchone()[0]
    )
    # seed 004's Putin becomes another person: only seed 000's answers stay his
    conn.execute("INSERT INTO people (name) VALUES ('Somebody Else')")
    other = conn.execute("SELECT id FROM people WHERE name = 'Somebody Else'").fetchone()[0]
    conn.execute(
        "UPDATE turns SET person_id = ? WHERE person_id = ? AND source_id ="
        " (SELECT id FROM sources WHERE file LIKE '%004%')",
        [other, putin],
    )
    conn.commit()
    moved = _person_answers(conn, other, '"russia"')
    assert moved and moved.isdisjoint(_person_answers(conn, putin, '"russia"'))
    assert moved | _person_answers(conn, putin, '"russia"') == theirs
    # two people asked for at once: either one's answers
    either = {i for i, _ in store.match_answers(conn, '"russia"', 1000, people=[putin, other])}
    assert either == theirs
    conn.execute("INSERT INTO answers_fts(answers_fts) VALUES ('integrity-check')")
    # ingested again (its text changed): its old entries leave the index, the new come in
    changed = folder / seed("004").name
    changed.write_text(changed.read_text().replace("Russia", "Rossiya"))
    assert ingest(db, [folder], workers=1).count("updated") == 1
    assert store.unindexed_answers(conn) == 0
    conn.execute("INSERT INTO answers_fts(answers_fts) VALUES ('integrity-check')")
    assert _person_answers(conn, putin, '"rossiya"')
