"""Files to database: discovery, parallel parsing, one transaction per file.

A broken file is reported by name with a reason and never costs the good ones;
an unchanged file is recognised by its content hash and left alone.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from . import store
from .transcripts import Transcript, TranscriptError, parse

SUFFIXES = frozenset({".txt", ".md", ".html", ".htm"})
# Below this many files a process pool costs more than it saves.
_POOL_THRESHOLD = 16


@dataclass
class FileResult:
    """What happened to one file: added, updated, unchanged, duplicate or skipped."""

    file: str
    status: str
    reason: str = ""
    turns: int = 0
    answers: int = 0
    warnings: list[str] = field(default_factory=list)


@dataclass
class IngestReport:
    results: list[FileResult]
    seconds: float

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
        return ", ".join(parts)


def display_name(path: Path) -> str:
    """The path relative to the working directory when it is inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


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
                problems.append(FileResult(str(path), "skipped", f"cannot list folder: {exc}"))
                continue
            files.extend(found)
        elif path.is_file():
            files.append(path)
        elif path.exists():
            problems.append(FileResult(str(path), "skipped", "not a regular file"))
        else:
            problems.append(FileResult(str(path), "skipped", "no such file or directory"))
    unique = list(dict.fromkeys(p.resolve() for p in files))
    return unique, problems


@dataclass
class _Parsed:
    path: Path
    sha256: str = ""
    transcript: Transcript | None = None
    error: str = ""
    unchanged: bool = False


def _parse_one(job: tuple[Path, str | None, list[str]]) -> _Parsed:
    path, known_sha, speakers = job
    try:
        data = path.read_bytes()
    except OSError as exc:
        return _Parsed(path, error=f"cannot read file: {exc.strerror or exc}")
    sha = hashlib.sha256(data).hexdigest()
    if sha == known_sha:
        return _Parsed(path, sha, unchanged=True)
    try:
        return _Parsed(path, sha, parse(path, speakers or None))
    except TranscriptError as exc:
        return _Parsed(path, sha, error=str(exc))
    except Exception as exc:  # a parser bug must not cost the other files
        return _Parsed(path, sha, error=f"could not parse: {type(exc).__name__}: {exc}")


def _parsed(jobs: list[tuple[Path, str | None, list[str]]], workers: int) -> Iterator[_Parsed]:
    if workers <= 1 or len(jobs) < _POOL_THRESHOLD:
        yield from map(_parse_one, jobs)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(_parse_one, jobs, chunksize=4)


def ingest(
    db: sqlite_utils.Database,
    paths: Iterable[str | Path],
    *,
    speakers: list[str] | None = None,
    workers: int | None = None,
    on_start: Callable[[int], None] | None = None,
    on_file: Callable[[FileResult], None] | None = None,
) -> IngestReport:
    """Ingest transcript files and folders into ``db``; see :class:`IngestReport`.

    ``on_start`` learns how many files there are; ``on_file`` hears of each result.
    """
    started = time.perf_counter()
    files, results = discover(paths)
    if on_start:
        on_start(len(files) + len(results))
    for problem in results:
        if on_file:
            on_file(problem)
    speakers = [s.strip() for s in speakers or [] if s.strip()]
    policy = ", ".join(speakers)
    known = store.known_files(db)
    jobs = []
    for path in files:
        sha, known_policy = known.get(str(path), (None, None))
        jobs.append((path, sha if known_policy == policy else None, speakers))
    workers = workers if workers is not None else min(4, os.cpu_count() or 1)
    for item in _parsed(jobs, workers):
        result = _store_one(db, item, policy, existed=str(item.path) in known)
        results.append(result)
        if on_file:
            on_file(result)
    return IngestReport(results, time.perf_counter() - started)


def _store_one(db: sqlite_utils.Database, item: _Parsed, policy: str, existed: bool) -> FileResult:
    name = display_name(item.path)
    if item.error:
        return FileResult(name, "skipped", item.error)
    if item.unchanged:
        return FileResult(name, "unchanged")
    twin = store.source_with_hash(db, item.sha256, str(item.path))
    if twin is not None:
        return FileResult(name, "duplicate", f"same content as {twin}")
    transcript = item.transcript
    assert transcript is not None
    if not transcript.answers:
        return FileResult(
            name, "skipped", "no quotable answers found", warnings=transcript.warnings
        )
    store.save_transcript(
        db,
        path=str(item.path),
        file=name,
        sha256=item.sha256,
        transcript=transcript,
        speakers=policy,
    )
    return FileResult(
        name,
        "updated" if existed else "added",
        turns=len(transcript.turns),
        answers=len(transcript.answers),
        warnings=transcript.warnings,
    )
