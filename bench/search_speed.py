"""Search speed in a warm process with all three corpora, beside the baselines.

Prints p50/p95 per query for quotebot, for FTS5 bm25 with OR-ed terms and for
rapidfuzz WRatio over whole answers (on a sample), and the resident memory of the
search process. Usage: python bench/search_speed.py [--corpus-db PATH] [--queries N]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import corpus_db, median, percentile
from bench.search_quality import (
    bm25_baseline,
    misremembered,
    read_hand_queries,
    wratio_baseline,
)
from bot import store
from bot.search import Searcher


def timings(fn, queries: list[str]) -> list[float]:
    out = []
    for q in queries:
        started = time.perf_counter()
        fn(q)
        out.append(1000 * (time.perf_counter() - started))
    return out


def line(name: str, ms: list[float]) -> None:
    print(
        f"  {name:<32} p50 {median(ms):7.2f} ms   p95 {percentile(ms, 95):7.2f} ms   (n={len(ms)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus-db", type=Path)
    parser.add_argument("--queries", type=int, default=400)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = corpus_db(args.corpus_db, Path(tmp))
        db = store.open_db(path)
        hand = [query for _, query, _, _ in read_hand_queries()]
        queries = [q for _, q, _, _ in misremembered(db, args.queries, seed=11)] + hand
        started = time.perf_counter()
        searcher = Searcher(db)
        print(f"start-up (vocabulary, index statistics): {time.perf_counter() - started:.2f} s")
        # warm-up on other queries, so no timed query finds its own work cached
        timings(searcher.search, [q for _, q, _, _ in misremembered(db, 200, seed=12)])
        ours = timings(searcher.search, queries)
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        answers = searcher.answers
        bm25 = timings(bm25_baseline(db), queries)
        wratio = timings(wratio_baseline(db), queries[:20])
    print(f"{len(queries)} queries over {answers} answers, warm process")
    line("quotebot", ours)
    line("baseline: FTS5 bm25 OR", bm25)
    line("baseline: WRatio whole answers", wratio)
    print(f"  quotebot p50 / bm25 p50: {median(ours) / median(bm25):.2f}x")
    print(f"peak resident memory of this process (search only, before baselines): {rss_mb:.0f} MB")


if __name__ == "__main__":
    main()
