"""Files to database: discovery, parallel parsing, batched transactions (a
savepoint a file).

A broken file is reported by name with a reason and never costs the good ones;
an unchanged file is recognised by its content hash and left alone.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import hashlib
import os
import signal
import sqlite3
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from . import people, store
from .transcripts import Transcript, TranscriptError, parse_bytes, read_limited

SUFFIXES = frozenset({".txt", ".md", ".html", ".htm"})
# Raised whenever parsing changes what a file yields, so that the next ingest parses
# every file again (an unchanged file is otherwise left alone). 2: the publication
# status box of a saved web page is no longer read as the last speaker's words. 3: a
# Markdown link is its text, without its target. 4: a Markdown line under a hard line
# break that opens with a label is a new turn; "Mr. KIRBY:" is a label; a saved page's
# label not in bold where it is in bold elsewhere, or with its colon in an aside.
# 5: a saved page's bold label may name an office in words of any case before the
# name ("Editor-in-chief of the Kommersant newspaper Sergei Yakovlev"). 6: or be a
# bold link to the person's page. 7: a Markdown label the file sets in bold
# elsewhere names its speaker unbolded too. 8: a podcast turn that asks more than it
# says, answered by the next speaker, is that answer's question, not an answer. 9: a
# briefing's place is no heading in capitals, date or stage direction. 10: a podcast
# question cut off before its mark ("... or do you feel like in most cases --") too.
PARSING = 10
# Below this many files a process pool costs more than it saves.
_POOL_THRESHOLD = 16
# Files handed to each worker ahead of the one being stored: enough to keep every
# worker busy, few enough that parsed transcripts waiting to be stored stay small.
_IN_FLIGHT_PER_WORKER = 4
# Seconds one file may take to parse. The largest real transcript (355 KB) parses in
# under 0.1 s, a file at the 4 MiB limit in about 1 s; past this it is skipped.
PARSE_SECONDS = 3.0
# Address space a parsing worker may take beyond what it has when it starts. A file
# at the size limit needs under 150 MB to parse; past this the worker gets a
# MemoryError and the file is skipped, instead of the machine running out.
WORKER_MEMORY_BYTES = 1024 * 1024 * 1024
# How often a worker without prctl checks that the ingest that started it still runs.
_WATCHDOG_SECONDS = 1.0
# Files stored in one transaction for up to this long: a commit per file (2,900 for
# the three corpora) took 18 s of their ingest, a commit per batch 4 s (profiled
# under bench/ingest_bench.py). Readers see new files within this much; a killed
# ingest stores at most this much again.
BATCH_SECONDS = 2.0
# ... or this many files, whichever comes first: the word counts of a batch are
# written once, one statement per distinct word, and fifty files already share most.
BATCH_FILES = 50
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


@dataclass
class FileResult:
    """What happened to one file: added, updated, unchanged, duplicate or skipped."""

    file: str
    status: str
    reason: str = ""
    turns: int = 0
    answers: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def stored(self) -> bool:
        """Whether the file's rows were written (added or updated)."""
        return self.status in ("added", "updated")


@dataclass
class IngestReport:
    results: list[FileResult]
    seconds: float
    # Why the run ended before every file was looked at (the disk filled up), or "".
    stopped: str = ""
    # Why speakers were not linked to people (the people file is broken or gone), or "".
    unlinked: str = ""

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def skipped(self) -> list[FileResult]:
        return [r for r in self.results if r.status == "skipped"]

    @property
    def turns(self) -> int:
        return sum(r.turns for r in self.results)

    @property
    def answers(self) -> int:
        return sum(r.answers for r in self.results)

    def summary(self) -> str:
        parts = [
            f"{len(self.results)} files"
            f" ({self.count('added')} added, {self.count('updated')} updated,"
            f" {self.count('unchanged')} unchanged, {self.count('duplicate')} duplicate)",
            f"{self.turns} turns",
            f"{self.answers} answers",
            f"{len(self.skipped)} skipped",
            f"{self.seconds:.1f} s",
        ]
        if self.stopped:
            parts.append(f"stopped early: {self.stopped}")
        return ", ".join(parts)


def printable(path: str | os.PathLike[str]) -> str:
    """A path as text that can always be printed and stored.

    A name that is not valid UTF-8 keeps its bad bytes as ``\\xNN``, and control
    characters (a newline in a name could forge a line of the report) are escaped.
    """
    text = os.fsencode(path).decode("utf-8", "backslashreplace")
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)


def display_name(path: Path) -> str:
    """The path relative to the working directory when it is inside it, printable."""
    try:
        return printable(path.relative_to(Path.cwd()))
    except ValueError:
        return printable(path)


def discover(paths: Iterable[str | Path]) -> tuple[list[Path], list[FileResult]]:
    """Transcript files under ``paths`` (folders recursively), and paths that fail."""
    files: list[Path] = []
    problems: list[FileResult] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            try:
                found = sorted(
                    p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file()
                )
            except OSError as exc:
                problems.append(
                    FileResult(
                        display_name(path), "skipped", f"cannot list folder: {exc.strerror or exc}"
                    )
                )
                continue
            files.extend(found)
        elif path.is_file():
            files.append(path)
        elif path.exists():
            problems.append(FileResult(display_name(path), "skipped", "not a regular file"))
        else:
            problems.append(FileResult(display_name(path), "skipped", "no such file or directory"))
    unique = list(dict.fromkeys(p.resolve() for p in files))
    return unique, problems


@dataclass
class _Parsed:
    path: Path
    sha256: str = ""
    transcript: Transcript | None = None
    error: str = ""
    unchanged: bool = False
    # the transcript's word counts, counted where it was parsed (a worker, in parallel)
    counts: Counter[str] | None = None


class _ParseTimeout(Exception):
    """Raised by SIGALRM when one file has used up its parse time."""


def _on_alarm(signum: int, frame: object) -> None:
    raise _ParseTimeout


@contextmanager
def _time_budget(seconds: float) -> Iterator[None]:
    """Raise _ParseTimeout in this block after ``seconds`` (main thread only: signals
    are delivered there; elsewhere the block runs unbounded)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "setitimer"
    ):
        yield
        return
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _parse_one(job: tuple[Path, str | None, list[str]]) -> _Parsed:
    """Read a file once, hash it, and parse it unless it is unchanged; never raises."""
    path, known_sha, speakers = job
    try:
        data = read_limited(path)
    except TranscriptError as exc:
        return _Parsed(path, error=str(exc))
    sha = hashlib.sha256(data).hexdigest()
    if sha == known_sha:
        return _Parsed(path, sha, unchanged=True)
    try:
        with _time_budget(PARSE_SECONDS):
            transcript = parse_bytes(data, speakers or None)
            counts = store.count_words(t.text for t in transcript.turns)
        return _Parsed(path, sha, transcript, counts=counts)
    except TranscriptError as exc:
        return _Parsed(path, sha, error=str(exc))
    except _ParseTimeout:
        return _Parsed(path, sha, error=f"took more than {PARSE_SECONDS:g} s to parse")
    except MemoryError:
        return _Parsed(
            path, sha, error=f"needed more than {WORKER_MEMORY_BYTES // 2**20:,} MB to parse"
        )
    except RecursionError:
        return _Parsed(path, sha, error="nested too deeply to parse")
    except Exception as exc:  # a parser bug must not cost the other files
        return _Parsed(path, sha, error=f"could not parse: {type(exc).__name__}: {exc}")


def _die_with_parent(parent: int) -> None:
    """End this process when ``parent`` ends, however it ends (even SIGKILL).

    Linux: the kernel sends SIGKILL on the parent's death (prctl PR_SET_PDEATHSIG).
    Elsewhere: a thread checks the parent every second and exits.
    """
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        armed = libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        armed = False
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)
    if armed:
        return

    def watch() -> None:
        while True:
            time.sleep(_WATCHDOG_SECONDS)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def _limit_memory(extra: int) -> None:
    """Cap this process's address space at its current size plus ``extra`` bytes."""
    try:
        import resource

        with open("/proc/self/statm") as statm:
            current = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        wanted = current + extra
        if hard != resource.RLIM_INFINITY:
            wanted = min(wanted, hard)
        if soft == resource.RLIM_INFINITY or wanted < soft:
            resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
    except (ImportError, OSError, ValueError):
        pass  # no /proc or no RLIMIT_AS: the file size and turn limits still hold


def _worker_init(parent: int, memory: int) -> None:
    """Pool initializer: die with the ingest, bound memory, leave Ctrl-C to the parent."""
    _die_with_parent(parent)
    _limit_memory(memory)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _new_pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        max_workers=workers,
        initializer=_worker_init,
        initargs=(os.getpid(), WORKER_MEMORY_BYTES),
    )


def _isolated(job: tuple[Path, str | None, list[str]]) -> _Parsed:
    """Parse one file in a pool of its own: a file that kills its worker costs only itself."""
    pool = _new_pool(1)
    try:
        return pool.submit(_parse_one, job).result()
    except BrokenProcessPool:
        return _Parsed(job[0], error="the parsing process died (out of memory or a crash)")
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _parsed(jobs: list[tuple[Path, str | None, list[str]]], workers: int) -> Iterator[_Parsed]:
    """Parsed files in the order of ``jobs``: in this process, or in a pool of workers
    that never outlive the ingest; a worker that dies costs only the files it had."""
    if workers <= 1 or len(jobs) < _POOL_THRESHOLD:
        yield from map(_parse_one, jobs)
        return
    todo = iter(jobs)
    pool = _new_pool(workers)
    pending: deque[tuple[tuple[Path, str | None, list[str]], Future[_Parsed]]] = deque()

    def refill() -> None:
        while len(pending) < workers * _IN_FLIGHT_PER_WORKER:
            job = next(todo, None)
            if job is None:
                return
            pending.append((job, pool.submit(_parse_one, job)))

    try:
        refill()
        while pending:
            job, future = pending.popleft()
            try:
                item = future.result()
            except BrokenProcessPool:
                # One of the files in flight killed its worker: each gets a process of
                # its own, then a fresh pool takes the rest.
                in_flight = [job] + [j for j, _ in pending]
                pending.clear()
                pool.shutdown(wait=True, cancel_futures=True)
                for lone in in_flight:
                    yield _isolated(lone)
                pool = _new_pool(workers)
                refill()
                continue
            yield item
            refill()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _policy(speakers: list[str] | None) -> tuple[list[str], str]:
    """The speakers setting as names, and the key stored beside each source: the
    parsing version and the names.

    Order, case, spacing and repeats do not change who is quoted (names match without
    regard to case), so they do not change the key either: a changed key re-parses
    every file.
    """
    names: dict[str, str] = {}
    for name in speakers or []:
        name = " ".join(name.split())
        if name:
            names.setdefault(name.casefold(), name)
    return [names[k] for k in sorted(names)], f"parsing {PARSING}: " + ", ".join(sorted(names))


def _fatal(exc: BaseException) -> str | None:
    """The reason the whole run must stop when storing a file raised ``exc``, or None
    when only that file is affected."""
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return "the disk is full"
    if isinstance(exc, sqlite3.DatabaseError):
        if "full" in str(exc):
            return "the database or disk is full"
        return f"database error: {exc}"
    if isinstance(exc, store.DatabaseError):
        return str(exc)
    return None


def ingest(
    db: sqlite_utils.Database,
    paths: Iterable[str | Path],
    *,
    speakers: list[str] | None = None,
    workers: int | None = None,
    on_start: Callable[[int], None] | None = None,
    on_file: Callable[[FileResult], None] | None = None,
    people_file: Path | None = people.DEFAULT_PEOPLE_FILE,
) -> IngestReport:
    """Ingest transcript files and folders into ``db``; see :class:`IngestReport`.

    ``on_start`` learns how many files there are; ``on_file`` hears of each result.
    A file that cannot be read, parsed or stored is skipped by name with the reason;
    only a database that cannot be written (a full disk) stops the run, after the
    failing file was undone and the files stored before it committed (or, when the
    commit fails too, reported skipped). Speaker labels are then linked to people
    (``people_file``) when the corpus or that file changed, and the answers stored
    are indexed for search with their people.
    """
    started = time.perf_counter()
    files, results = discover(paths)
    if on_start:
        on_start(len(files) + len(results))
    for problem in results:
        if on_file:
            on_file(problem)
    speakers, policy = _policy(speakers)
    known = store.known_files(db)
    jobs = []
    for path in files:
        sha, known_policy = known.get(printable(path), (None, None))
        jobs.append((path, sha if known_policy == policy else None, speakers))
    workers = workers if workers is not None else min(4, os.cpu_count() or 1)
    stopped = unlinked = ""
    done = 0
    parsed = _parsed(jobs, workers)
    batch = _Batch(db, on_file)
    try:
        for item in parsed:
            done += 1
            try:
                batch.open()
                result = _store_one(
                    db, item, policy, speakers, printable(item.path) in known, batch.vocab
                )
            except Exception as exc:
                reason = _fatal(exc)
                if reason is None:
                    result = FileResult(
                        display_name(item.path),
                        "skipped",
                        f"could not store: {type(exc).__name__}: {exc}",
                    )
                else:
                    stopped = reason
                    result = FileResult(display_name(item.path), "skipped", f"not stored: {reason}")
            batch.add(result)
            if stopped or (batch.due() and (stopped := batch.commit())):
                break
        stopped = batch.commit() or stopped
    finally:
        parsed.close()
        batch.rollback()
    results.extend(batch.results)
    if stopped:
        for path, _, _ in jobs[done:]:
            result = FileResult(display_name(path), "skipped", f"not ingested: {stopped}")
            results.append(result)
            if on_file:
                on_file(result)
    else:
        # an earlier ingest stopped before this step left answers stored but unindexed
        pending = any(r.stored for r in results) or store.unindexed_answers(db) > 0
        try:
            if pending or people.needs_link(db, people_file):
                people.link(db, people_file)
        except people.PeopleFileError as exc:
            unlinked = f"{exc}; speakers keep their earlier links"
        finally:
            if pending:  # searchable even when the people file is broken
                store.index_answers(db)
    return IngestReport(results, time.perf_counter() - started, stopped, unlinked)


class _Batch:
    """Files stored in one transaction, a savepoint each, committed every
    :data:`BATCH_SECONDS`. A file is reported (``on_file``) once its transaction is
    committed; if the commit fails (a full disk), its stored files are reported
    skipped. A killed ingest loses only the uncommitted files: the next run stores
    them again."""

    def __init__(self, db: sqlite_utils.Database, on_file: Callable[[FileResult], None] | None):
        self.db = db
        self.on_file = on_file
        self.results: list[FileResult] = []  # the reported files', in order
        self._pending: list[FileResult] = []
        self._since = time.perf_counter()
        self.vocab: Counter[str] = Counter()  # the pending files' word counts

    def open(self) -> None:
        if not self.db.conn.in_transaction:
            store.begin(self.db)
            self._since = time.perf_counter()

    def add(self, result: FileResult) -> None:
        self._pending.append(result)

    def due(self) -> bool:
        stored = sum(1 for r in self._pending if r.stored)
        return stored >= BATCH_FILES or time.perf_counter() - self._since >= BATCH_SECONDS

    def commit(self) -> str:
        """Commit and report the pending files; why the commit failed, or ""."""
        reason = ""
        try:
            if self.db.conn.in_transaction:
                store.add_words(self.db, self.vocab)
                self.db.conn.commit()
        except sqlite3.Error as exc:
            reason = _fatal(exc) or f"database error: {exc}"
            self.rollback()
            self._pending = [
                FileResult(r.file, "skipped", f"not stored: {reason}") if r.stored else r
                for r in self._pending
            ]
        for result in self._pending:
            self.results.append(result)
            if self.on_file:
                self.on_file(result)
        self._pending = []
        self.vocab = Counter()
        return reason

    def rollback(self) -> None:
        if self.db.conn.in_transaction:
            self.db.conn.rollback()
        self.vocab = Counter()


def _store_one(
    db: sqlite_utils.Database,
    item: _Parsed,
    policy: str,
    speakers: list[str],
    existed: bool,
    vocab: Counter[str],
) -> FileResult:
    name = display_name(item.path)
    if item.error:
        return FileResult(name, "skipped", item.error)
    if item.unchanged:
        return FileResult(name, "unchanged")
    key = printable(item.path)
    twin = store.source_with_hash(db, item.sha256, key)
    if twin is not None:
        return FileResult(name, "duplicate", f"same content as {twin}")
    transcript = item.transcript
    assert transcript is not None
    if not transcript.answers:
        # Stored all the same: its earlier answers (under another speakers setting, or
        # an older version of the file) must go, and the next run must see it as done.
        who = (
            f"none of the turns is by {', '.join(speakers)}"
            if speakers
            else "nobody here answers questions"
        )
        transcript.warnings.append(f"no quotable answers: {who}")
    store.save_transcript(
        db,
        path=key,
        file=name,
        sha256=item.sha256,
        transcript=transcript,
        speakers=policy,
        vocab=vocab,
        counts=item.counts,
    )
    return FileResult(
        name,
        "updated" if existed else "added",
        turns=len(transcript.turns),
        answers=len(transcript.answers),
        warnings=transcript.warnings,
    )
