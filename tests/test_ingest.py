"""Ingest into a real SQLite file: idempotence, replacement, bad files, crashes, CLI."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, ROOT, seed

from bot import ingest as ingest_module
from bot import store
from bot.cli import main
from bot.ingest import ingest
from bot.transcripts import Transcript, limits


def snapshot(db_path: Path) -> list[tuple]:
    with sqlite3.connect(db_path) as conn:
        sources = conn.execute(
            "SELECT id, path, sha256, title, date, turns, answers FROM sources ORDER BY id"
        ).fetchall()
        turns = conn.execute("SELECT * FROM turns ORDER BY id").fetchall()
        vocab = conn.execute("SELECT * FROM vocab ORDER BY word").fetchall()
    return [sources, turns, vocab]


def fts_ids(db_path: Path, query: str) -> list[int]:
    with sqlite3.connect(db_path) as conn:
        return [
            r[0]
            for r in conn.execute(
                "SELECT rowid FROM answers_fts WHERE answers_fts MATCH ?", [query]
            )
        ]


def test_ingest_seeds_speakers_and_fts(seeds_copy: Path, db_path: Path):
    report = ingest(store.open_db(db_path), [seeds_copy], workers=1)
    assert report.count("added") == 5 and not report.skipped
    with sqlite3.connect(db_path) as conn:
        speakers = {
            r[0] for r in conn.execute("SELECT DISTINCT speaker FROM turns WHERE is_answer")
        }
        assert speakers == {"Vladimir Putin"}
        askers = {r[0] for r in conn.execute("SELECT DISTINCT asked_by FROM turns WHERE is_answer")}
        assert {"Pavel Zarubin", "Radik Batyrshin", "Question"} <= askers
        assert (
            conn.execute("SELECT COUNT(*) FROM answers_fts_docsize").fetchone()[0] == report.answers
        )
        # question turns are findable only through the answers they precede
        row = conn.execute(
            "SELECT t.speaker, t.asked_by FROM answers_fts f JOIN turns t ON t.id = f.rowid"
            " WHERE answers_fts MATCH 'question:birthday'"
        ).fetchall()
        assert row == [("Vladimir Putin", "Pavel Zarubin")]
        q_ids = json.loads(
            conn.execute(
                "SELECT question_ids FROM turns WHERE asked_by = 'Radik Batyrshin'"
            ).fetchone()[0]
        )
        assert (
            conn.execute("SELECT speaker FROM turns WHERE id = ?", q_ids).fetchone()[0]
            == "Radik Batyrshin"
        )


def test_reingest_changes_nothing(seeds_copy: Path, db_path: Path):
    db = store.open_db(db_path)
    ingest(db, [seeds_copy], workers=1)
    before = snapshot(db_path)
    report = ingest(db, [seeds_copy, seeds_copy / seed("000").name], workers=1)
    assert report.count("unchanged") == 5 and report.count("added") == 0
    assert snapshot(db_path) == before


def test_files_parsed_by_an_older_parser_are_parsed_again_once(seeds_copy: Path, db_path: Path):
    db = store.open_db(db_path)
    ingest(db, [seeds_copy], workers=1)
    # what a version before parsing was versioned stored beside each source
    db.execute("UPDATE sources SET speakers = ''")
    db.conn.commit()
    report = ingest(db, [seeds_copy], workers=1)
    assert report.count("updated") == 5 and report.count("unchanged") == 0
    assert ingest(db, [seeds_copy], workers=1).count("unchanged") == 5


def test_changed_file_replaces_only_its_own_rows(seeds_copy: Path, db_path: Path):
    db = store.open_db(db_path)
    ingest(db, [seeds_copy], workers=1)
    sources, turns, _ = snapshot(db_path)
    target = seeds_copy / seed("000").name
    text = target.read_text().replace("It is a tragedy", "It is a calamity")
    target.write_text(text + "\nPavel Zarubin: One more?\nVladimir Putin: Zanzibarian marmalade.\n")
    report = ingest(db, [seeds_copy], workers=1)
    assert report.count("updated") == 1 and report.count("unchanged") == 4
    new_sources, new_turns, vocab = snapshot(db_path)
    assert [s[0] for s in new_sources] == [s[0] for s in sources]  # ids are stable
    changed_id = next(s[0] for s in new_sources if s[1] == str(target.resolve()))
    others = [t for t in turns if t[1] != changed_id]
    assert [t for t in new_turns if t[1] != changed_id] == others
    mine = [t for t in new_turns if t[1] == changed_id]
    assert len(mine) == 12 and mine[0][0] == changed_id * store.TURN_ID_BASE
    assert fts_ids(db_path, "calamity") and not fts_ids(db_path, '"It is a tragedy"')
    assert fts_ids(db_path, "zanzibarian")
    words = dict(vocab)
    assert words["calamity"] >= 1 and words["zanzibarian"] == 1


def test_duplicate_content_is_stored_once(seeds_copy: Path, db_path: Path, tmp_path: Path):
    copy = tmp_path / "copy.txt"
    copy.write_bytes(seed("003").read_bytes())
    report = ingest(store.open_db(db_path), [seeds_copy, copy], workers=1)
    dup = [r for r in report.results if r.status == "duplicate"]
    assert len(dup) == 1 and "same content as" in dup[0].reason


def test_bad_files_are_reported_and_good_ones_kept(tmp_path: Path, db_path: Path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "good.txt").write_bytes(seed("000").read_bytes())
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.md").write_bytes(b"\x00\x01\x02garbage" * 50)
    (folder / "prose.txt").write_text("Nothing but narration here.\nNo one speaks.\n")
    (folder / "latin1.txt").write_bytes(
        "Vladimir Putin: Caf\xe9 au lait, s'il vous pla\xeet.\nQuestion: Pourquoi?\n".encode(
            "latin-1"
        )
    )
    (folder / "ignored.pdf").write_bytes(b"%PDF-1.4")
    unreadable = folder / "locked.txt"
    unreadable.write_text("Vladimir Putin: secret.")
    unreadable.chmod(0)
    result = CliRunner().invoke(
        main, ["ingest", "--db", str(db_path), str(folder), str(tmp_path / "missing.txt")]
    )
    unreadable.chmod(0o644)
    assert result.exit_code == 1
    out = result.output
    assert "empty.txt: empty file" in out
    assert "binary.md: binary file" in out
    assert "prose.txt: no speaker labels" in out
    assert "missing.txt: no such file or directory" in out
    if os.geteuid() != 0:  # root reads any file
        assert "locked.txt: cannot read file" in out
    assert "latin1.txt: not UTF-8" in out
    assert "ignored.pdf" not in out
    with sqlite3.connect(db_path) as conn:
        files = {Path(r[0]).name for r in conn.execute("SELECT file FROM sources")}
        cafe = conn.execute("SELECT text FROM turns WHERE text LIKE 'Caf%'").fetchone()[0]
    assert {"good.txt", "latin1.txt"} <= files
    assert cafe == "Café au lait, s'il vous plaît."


def test_sources_json_and_text(seeds_copy: Path, db_path: Path):
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", "--db", str(db_path), str(seeds_copy)]).exit_code == 0
    result = runner.invoke(main, ["sources", "--db", str(db_path), "--json"])
    assert result.exit_code == 0
    rows = json.loads(result.output)
    assert len(rows) == 5
    assert set(rows[0]) == {
        "id",
        "title",
        "date",
        "place",
        "url",
        "file",
        "format",
        "turns",
        "answers",
    }
    mir = next(r for r in rows if r["title"] == "Interview to Mir broadcasting company")
    assert (mir["date"], mir["place"], mir["format"], mir["answers"]) == (
        "2017-04-12",
        "The Kremlin, Moscow",
        "kremlin-text",
        14,
    )
    text = runner.invoke(main, ["sources", "--db", str(db_path)]).output
    assert "Answers to Russian media questions (2024-07-04, Astana)" in text


def test_db_from_environment_and_missing_db(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("QUOTEBOT_DB", str(tmp_path / "env.db"))
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", str(seed("000"))]).exit_code == 0
    assert (tmp_path / "env.db").exists()
    missing = runner.invoke(main, ["sources", "--db", str(tmp_path / "nope.db")])
    assert missing.exit_code != 0 and "quotebot ingest" in missing.output
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not sqlite" * 100)
    broken = runner.invoke(main, ["sources", "--db", str(garbage)])
    assert broken.exit_code != 0 and "cannot open database" in broken.output


def test_speakers_setting_reingests_with_the_new_choice(db_path: Path):
    db = store.open_db(db_path)
    page = FIXTURES / "kremlin_html" / "60897.html"
    ingest(db, [page], workers=1)
    both = {r["speaker"] for r in db.query("SELECT DISTINCT speaker FROM turns WHERE is_answer")}
    assert both == {"Vladimir Putin", "Mustafa Sentop"}
    report = ingest(db, [page], speakers=["Vladimir Putin"], workers=1)
    assert report.count("updated") == 1
    only = {r["speaker"] for r in db.query("SELECT DISTINCT speaker FROM turns WHERE is_answer")}
    assert only == {"Vladimir Putin"}


def _bulk(folder: Path, count: int) -> Path:
    """``count`` distinct copies of a seed transcript, for runs long enough to kill."""
    folder.mkdir()
    base = seed("000").read_text()
    for i in range(count):
        (folder / f"{i:03}.txt").write_text(
            f"{base}\nRemark: Number {i}?\nVladimir Putin: Answer {i}.\n"
        )
    return folder


def _stored(db_path: Path) -> int:
    try:
        with sqlite3.connect(db_path, timeout=5) as conn:
            return conn.execute("SELECT COUNT(*) FROM sources").fetchone()[0]
    except sqlite3.OperationalError:  # no table yet
        return 0


def _start_and_wait_for_progress(db_path: Path, folder: Path, at_least: int) -> subprocess.Popen:
    """An ingest in a child process, once it has stored ``at_least`` sources."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "bot", "ingest", "--db", str(db_path), str(folder)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while _stored(db_path) < at_least:
        assert proc.poll() is None, "the ingest ended before it could be killed"
        assert time.monotonic() < deadline, "the ingest made no progress"
        time.sleep(0.005)
    return proc


def test_kill_9_mid_ingest_leaves_database_whole_and_a_rerun_converges(
    tmp_path: Path, db_path: Path
):
    db = store.open_db(db_path)
    ingest(db, [seed("000"), seed("004")], workers=1)
    db.close()
    earlier = snapshot(db_path)
    # more than two of the ingest's batches (ingest.BATCH_FILES): the last commit
    # cannot land between seeing the first and the kill
    count = 120
    bulk = _bulk(tmp_path / "bulk", count)
    for at_least in (3, 20):
        proc = _start_and_wait_for_progress(db_path, bulk, at_least)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        stored = _stored(db_path)
        # the kill landed mid-ingest: some of the bulk is stored, not all of it
        assert at_least <= stored < 2 + count
        with sqlite3.connect(db_path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            per_source = conn.execute(
                "SELECT s.turns, s.answers, COUNT(t.id), SUM(t.is_answer),"
                " (SELECT COUNT(*) FROM answers_fts_docsize f WHERE f.id / 1000000 = s.id)"
                " FROM sources s LEFT JOIN turns t ON t.source_id = s.id GROUP BY s.id"
            ).fetchall()
        for turns, answers, counted, counted_answers, indexed in per_source:
            assert (turns, answers) == (counted, counted_answers)
            # the answers are indexed once the run has stored them all: a killed run's
            # wait for the next one, never half a source
            assert indexed in (0, answers)
        kept = snapshot(db_path)
        assert kept[0][:2] == earlier[0]
        assert [t for t in kept[1] if t[1] in (1, 2)] == earlier[1]
    db = store.open_db(db_path)
    report = ingest(db, [bulk])
    assert not report.skipped
    assert report.count("unchanged") >= 18 and report.count("added") >= 1
    assert report.count("added") + report.count("unchanged") == count
    again = ingest(db, [bulk])
    assert again.count("unchanged") == count and _stored(db_path) == 2 + count
    assert store.unindexed_answers(db) == 0
    db.execute("INSERT INTO answers_fts(answers_fts) VALUES ('integrity-check')")
    found = store.match_answers(db.conn, f'"answer" AND "{count - 1}"', 5)
    assert len(found) == 1


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_killed_ingest_leaves_no_worker_behind(tmp_path: Path, db_path: Path, how: int):
    psutil = pytest.importorskip("psutil")
    count = 120  # more than two batches, as above: the kill lands before the last
    bulk = _bulk(tmp_path / "bulk", count)
    proc = _start_and_wait_for_progress(db_path, bulk, 2)
    workers = psutil.Process(proc.pid).children(recursive=True)
    assert workers, "the ingest runs its parsers in worker processes"
    proc.send_signal(how)
    proc.wait()
    assert _stored(db_path) < count  # killed mid-ingest
    deadline = time.monotonic() + 10
    while alive := [w for w in workers if _running(psutil, w)]:
        assert time.monotonic() < deadline, f"workers outlived the ingest: {alive}"
        time.sleep(0.01)


def _running(psutil, process) -> bool:
    """Alive and not a zombie (a dead child waiting for init to reap it)."""
    try:
        return process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_file_names_that_are_not_utf8_are_stored_and_printed(tmp_path: Path, db_path: Path):
    folder = tmp_path / "names"
    folder.mkdir()
    bad = os.fsdecode(b"caf\xe9 interview.txt")  # Latin-1 bytes in a file name
    (folder / bad).write_bytes(seed("000").read_bytes())
    (folder / "line\nbreak.txt").write_bytes(seed("004").read_bytes())
    (folder / "good.txt").write_bytes(seed("003").read_bytes())
    db = store.open_db(db_path)
    seen: list[str] = []
    report = ingest(db, [folder], workers=1, on_file=lambda r: seen.append(r.file))
    assert report.count("added") == 3 and not report.skipped
    names = {Path(f).name for f in seen}
    assert names == {"caf\\xe9 interview.txt", "line\\nbreak.txt", "good.txt"}
    for name in seen:
        name.encode("utf-8")  # printable and storable everywhere
        assert "\n" not in name
    with sqlite3.connect(db_path) as conn:
        files = {Path(r[0]).name for r in conn.execute("SELECT file FROM sources")}
    assert "caf\\xe9 interview.txt" in files
    assert ingest(db, [folder], workers=1).count("unchanged") == 3
    result = CliRunner().invoke(main, ["ingest", "--db", str(db_path), str(folder)])
    assert result.exit_code == 0, result.output


def test_too_many_turns_is_skipped_by_name_and_the_run_goes_on(
    tmp_path: Path, db_path: Path, monkeypatch
):
    monkeypatch.setattr(limits, "MAX_TURNS", 40)
    folder = tmp_path / "turns"
    folder.mkdir()
    many = "".join(f"Remark: Number {i}?\nVladimir Putin: Answer {i}.\n" for i in range(30))
    (folder / "a_many.txt").write_text(many)
    (folder / "b_good.txt").write_bytes(seed("000").read_bytes())
    report = ingest(store.open_db(db_path), [folder], workers=1)
    skipped = {Path(r.file).name: r.reason for r in report.skipped}
    assert skipped == {"a_many.txt": "more than 40 turns; not a transcript quotebot can store"}
    assert report.count("added") == 1


def test_oversized_file_is_skipped_by_name(tmp_path: Path, db_path: Path):
    folder = tmp_path / "big"
    folder.mkdir()
    with open(folder / "huge.txt", "wb") as handle:  # sparse: no disk space used
        handle.truncate(limits.MAX_FILE_BYTES + 1)
    (folder / "good.txt").write_bytes(seed("000").read_bytes())
    report = ingest(store.open_db(db_path), [folder], workers=1)
    assert [Path(r.file).name for r in report.skipped] == ["huge.txt"]
    assert "file too large" in report.skipped[0].reason and report.count("added") == 1


def test_a_file_over_its_time_budget_is_skipped(tmp_path: Path, db_path: Path, monkeypatch):
    real = ingest_module.parse_bytes

    def slow_on_one(data: bytes, speakers=None):
        if b"Zarubin" in data:
            time.sleep(30)  # interrupted by the budget's alarm
        return real(data, speakers)

    monkeypatch.setattr(ingest_module, "PARSE_SECONDS", 0.05)
    monkeypatch.setattr(ingest_module, "parse_bytes", slow_on_one)
    report = ingest(store.open_db(db_path), [seed("000"), seed("003")], workers=1)
    assert [r.reason for r in report.skipped] == ["took more than 0.05 s to parse"]
    assert report.count("added") == 1


def test_a_worker_out_of_memory_costs_only_its_file(tmp_path: Path, db_path: Path, monkeypatch):
    real = ingest_module.parse_bytes

    def greedy_on_one(data: bytes, speakers=None):
        if b"Number 7?" in data:
            hog = bytearray(2 * ingest_module.WORKER_MEMORY_BYTES)  # beyond the worker's cap
            del hog
        return real(data, speakers)

    monkeypatch.setattr(ingest_module, "WORKER_MEMORY_BYTES", 256 * 2**20)
    monkeypatch.setattr(ingest_module, "parse_bytes", greedy_on_one)  # forked workers see it
    bulk = _bulk(tmp_path / "bulk", 20)
    report = ingest(store.open_db(db_path), [bulk], workers=2)
    assert [(Path(r.file).name, r.reason) for r in report.skipped] == [
        ("007.txt", "needed more than 256 MB to parse")
    ]
    assert report.count("added") == 19


def test_a_file_failing_half_stored_costs_only_itself(seeds_copy: Path, db_path: Path, monkeypatch):
    """Files share a transaction (one savepoint each): one that fails after some of its
    turns went in is undone whole, and the files stored before and after it stay."""
    real = Transcript.question_text

    def question_text(self, turn):
        if "Navalny" in turn.text:  # seed 002 only, half-way through its turns
            raise RuntimeError("no question")
        return real(self, turn)

    monkeypatch.setattr(Transcript, "question_text", question_text)
    report = ingest(store.open_db(db_path), [seeds_copy], workers=1)
    assert [r.reason for r in report.skipped] == ["could not store: RuntimeError: no question"]
    assert report.count("added") == 4
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM sources").fetchone()[0] == 4
        stored = [t for (t,) in conn.execute("SELECT text FROM turns")]
        assert not any("Tolstoy" in t for t in stored)  # seed 002's other turns are gone too
        answers = conn.execute("SELECT COUNT(*) FROM turns WHERE is_answer").fetchone()[0]
        assert conn.execute("SELECT COUNT(*) FROM answers_fts_docsize").fetchone()[0] == answers
        conn.execute("INSERT INTO answers_fts(answers_fts) VALUES ('integrity-check')")
        vocab = dict(conn.execute("SELECT word, n FROM vocab"))
    assert vocab == dict(store.count_words(stored))


def test_a_full_disk_stops_the_run_cleanly(tmp_path: Path, db_path: Path):
    db = store.open_db(db_path)
    ingest(db, [seed("000")], workers=1)
    before = snapshot(db_path)
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages + 2}")  # SQLite's "database or disk is full"
    report = ingest(db, [seed("001"), seed("002"), seed("003")], workers=1)
    assert report.stopped == "the database or disk is full"
    assert [r.reason for r in report.skipped] == [
        "not stored: the database or disk is full",
        "not ingested: the database or disk is full",
        "not ingested: the database or disk is full",
    ]
    assert "stopped early: the database or disk is full" in report.summary()
    db.close()
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert snapshot(db_path) == before
    # with room again, the same files go in
    assert not ingest(store.open_db(db_path), [seed("001")], workers=1).skipped


def test_speakers_setting_without_that_speaker_clears_old_answers_and_settles(db_path: Path):
    db = store.open_db(db_path)
    page = FIXTURES / "kremlin_html" / "60897.html"
    ingest(db, [page, seed("000")], workers=1)
    runner = CliRunner()
    args = [
        "ingest",
        "--db",
        str(db_path),
        "--speakers",
        "Mustafa Sentop",
        str(page),
        str(seed("000")),
    ]
    first = runner.invoke(main, args)
    assert first.exit_code == 0, first.output
    assert "no quotable answers: none of the turns is by Mustafa Sentop" in first.output
    speakers = {
        r["speaker"] for r in db.query("SELECT DISTINCT speaker FROM turns WHERE is_answer")
    }
    assert speakers == {"Mustafa Sentop"}  # no stale Putin answers from 000 are left
    again = runner.invoke(main, args)
    assert again.exit_code == 0 and "2 unchanged" in again.output
    # order, case and spacing of the names do not count as a change
    same = ["ingest", "--db", str(db_path), "--speakers", " mustafa  sentop ", str(page)]
    assert "1 unchanged" in runner.invoke(main, same).output


WATCHED_CHILD = """
import ctypes, os, sys, time
from bot import ingest
ingest._WATCHDOG_SECONDS = 0.02
def no_prctl(*args, **kwargs):
    raise OSError("no prctl here")
ctypes.CDLL = no_prctl  # as on a system without prctl: the watchdog thread takes over
ingest._die_with_parent(os.getppid())
print(os.getpid(), flush=True)
time.sleep(30)
"""

STARTER = """
import subprocess, sys
child = subprocess.Popen(
    [sys.executable, "-c", sys.argv[1]], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
)
print(child.stdout.readline().decode().strip(), flush=True)
"""  # exits at once, leaving its child an orphan


def test_without_prctl_a_watchdog_ends_the_orphaned_worker():
    psutil = pytest.importorskip("psutil")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    starter = subprocess.run(
        [sys.executable, "-c", STARTER, WATCHED_CHILD],
        env=env,
        capture_output=True,
        timeout=20,
        check=True,
    )
    orphan = psutil.Process(int(starter.stdout.decode().strip()))
    deadline = time.monotonic() + 10
    try:
        while _running(psutil, orphan):
            assert time.monotonic() < deadline, "the worker outlived the process that started it"
            time.sleep(0.01)
    finally:
        if _running(psutil, orphan):
            orphan.kill()


def test_a_worker_whose_parent_is_already_gone_exits_at_once():
    code = "import os; from bot import ingest; ingest._die_with_parent(os.getppid() + 1); print('alive')"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, timeout=20)
    assert done.returncode == 1 and b"alive" not in done.stdout
