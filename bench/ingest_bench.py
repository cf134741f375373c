"""Ingest all three corpora into a fresh database and print time and counts.

Baseline in the same run: reading and hashing the same files (the I/O floor).
Usage: python -m bench.ingest_bench [--repeat N] [--keep PATH] [--json]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import tempfile
import time
from pathlib import Path

from bench.common import CORPUS_FOLDERS, corpus_paths, median
from bot import store
from bot.ingest import discover, ingest


def read_and_hash(paths: list[Path]) -> float:
    started = time.perf_counter()
    files, _ = discover(paths)
    for f in files:
        hashlib.sha256(f.read_bytes()).hexdigest()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="write the database here and keep it")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    paths = corpus_paths()
    baseline, runs = [], []
    for _ in range(args.repeat):
        baseline.append(read_and_hash(paths))
        with tempfile.TemporaryDirectory() as tmp:
            db_path = args.keep or Path(tmp) / "bench.db"
            if args.keep:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{db_path}{suffix}").unlink(missing_ok=True)
            db = store.open_db(db_path)
            report = ingest(db, paths)
            runs.append(report.seconds)
            size = db_path.stat().st_size
            by_corpus = {
                name: db.execute(
                    "SELECT COUNT(*), COALESCE(SUM(turns), 0), COALESCE(SUM(answers), 0)"
                    " FROM sources WHERE " + " OR ".join("path LIKE ?" for _ in folders),
                    [f"{f.resolve()}/%" for f in folders],
                ).fetchone()
                for name, folders in CORPUS_FOLDERS.items()
            }
            db.close()
    if args.json:
        result = {
            "files": len(report.results),
            "skipped": len(report.skipped),
            "corpora": {
                name: {"sources": files, "turns": turns, "answers": answers}
                for name, (files, turns, answers) in by_corpus.items()
            },
            "turns": report.turns,
            "answers": report.answers,
            "database_bytes": size,
            "runs": len(runs),
            "ingest_seconds_median": round(median(runs), 2),
            "read_hash_seconds_median": round(median(baseline), 3),
        }
        print(json.dumps(result))
        return
    print(f"files: {len(report.results)}, skipped: {len(report.skipped)}")
    for name, (files, turns, answers) in by_corpus.items():
        print(f"  {name:<18} {files:>5} sources {turns:>7} turns {answers:>7} answers")
    print(f"total: {report.turns} turns, {report.answers} answers, database {size / 1e6:.0f} MB")
    print(f"ingest (median of {len(runs)}): {median(runs):.1f} s")
    print(f"baseline read+sha256 of the same files: {median(baseline):.2f} s")
    print(f"ratio ingest / baseline: {median(runs) / median(baseline):.1f}x")


if __name__ == "__main__":
    main()
