"""Search speed in a warm process with all three corpora, beside the baselines.

Prints p50/p95 per query for quotebot, for FTS5 bm25 with OR-ed terms and for
rapidfuzz WRatio over whole answers (on a sample), and the resident memory of the
search process. The queries: misremembered quotes and the hand-written seed set
(bench/querysets.py), so the database holds the seeds too.
Usage: python -m bench.search_speed [--corpus-db PATH] [--queries N] [--json]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from rapidfuzz import fuzz, process, utils

from bench.common import corpus_db, median, percentile
from bench.querysets import misremembered, seed_queries
from bot import store
from bot.search import Searcher
from bot.words import words

# Only this many queries go through the WRatio baseline: it scans every answer, about
# 2 s a query over the three corpora.
WRATIO_QUERIES = 20


def bm25_baseline(db) -> Callable[[str], list[int]]:
    """FTS5 bm25 over the query's words OR-ed: the index alone, no re-ranking."""

    def rank(query: str) -> list[int]:
        terms = " OR ".join(f'"{w}"' for w in dict.fromkeys(words(query)))
        if not terms:
            return []
        rows = db.execute(
            "SELECT rowid FROM answers_fts WHERE answers_fts MATCH ? ORDER BY bm25(answers_fts)"
            " LIMIT 3",
            [terms],
        )
        return [r[0] for r in rows]

    return rank


def wratio_baseline(db) -> Callable[[str], list[int]]:
    """rapidfuzz WRatio of the query against every whole answer: fuzzy matching alone."""
    rows = db.execute("SELECT id, text FROM turns WHERE is_answer").fetchall()
    ids = [r[0] for r in rows]
    choices = [utils.default_process(r[1]) for r in rows]

    def rank(query: str) -> list[int]:
        found = process.extract(
            utils.default_process(query), choices, scorer=fuzz.WRatio, processor=None, limit=3
        )
        return [ids[i] for _, _, i in found]

    return rank


def timings(fn: Callable[[str], object], queries: list[str]) -> list[float]:
    out = []
    for q in queries:
        started = time.perf_counter()
        fn(q)
        out.append(1000 * (time.perf_counter() - started))
    return out


def figures(ms: list[float]) -> dict[str, float | int]:
    return {"p50_ms": round(median(ms), 2), "p95_ms": round(percentile(ms, 95), 2), "n": len(ms)}


def line(name: str, ms: list[float]) -> None:
    print(
        f"  {name:<32} p50 {median(ms):7.2f} ms   p95 {percentile(ms, 95):7.2f} ms   (n={len(ms)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus-db", type=Path, help="seeds + three corpora, reused or built")
    parser.add_argument("--queries", type=int, default=400, help="misremembered quotes")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = corpus_db(args.corpus_db, Path(tmp), with_seeds=True)
        db = store.open_db(path)
        hand, missing = seed_queries(db, "seeds_hand.tsv")
        for problem in missing:
            print(problem, file=sys.stderr)
        queries = [q.query for q in misremembered(db, args.queries, seed=11)]
        queries += [q.query for q in hand]
        started = time.perf_counter()
        searcher = Searcher(db)
        startup = time.perf_counter() - started
        # warm-up on other queries, so no timed query finds its own work cached
        timings(searcher.search, [q.query for q in misremembered(db, 200, seed=12)])
        ours = timings(searcher.search, queries)
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        answers = searcher.answers
        bm25 = timings(bm25_baseline(db), queries)
        wratio = timings(wratio_baseline(db), queries[:WRATIO_QUERIES])
    if args.json:
        result = {
            "queries": len(queries),
            "answers": answers,
            "startup_seconds": round(startup, 2),
            "quotebot": figures(ours),
            "bm25_or": figures(bm25),
            "wratio_whole_answers": figures(wratio),
            "peak_rss_mb": round(rss_mb),
        }
        print(json.dumps(result))
        return
    print(f"start-up (vocabulary, index statistics): {startup:.2f} s")
    print(f"{len(queries)} queries over {answers} answers, warm process")
    line("quotebot", ours)
    line("baseline: FTS5 bm25 OR", bm25)
    line("baseline: WRatio whole answers", wratio)
    print(f"  quotebot p50 / bm25 p50: {median(ours) / median(bm25):.2f}x")
    print(f"peak resident memory of this process (search only, before baselines): {rss_mb:.0f} MB")


if __name__ == "__main__":
    main()
