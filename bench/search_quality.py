"""Search quality: quotebot beside two baselines, on the same database, in one run.

Query sets:
- hand-written typos, paraphrases, topics and questions over the seed transcripts
  (bench/queries/seeds_hand.tsv);
- misremembered quotes generated from the three corpora: a window of 8 to 13 words
  from a real answer, one typo, one word dropped, no case or punctuation;
- nonsense (bench/queries/nonsense.txt), which must return nothing.

Baselines: rapidfuzz WRatio over whole answers; FTS5 bm25 with OR-ed query terms.
Usage: python bench/search_quality.py [--corpus-db PATH] [--quotes N] [--skip-corpora]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rapidfuzz import fuzz, process, utils

from bench.common import ROOT, corpus_db
from bot import store
from bot.ingest import ingest
from bot.search import Searcher
from bot.words import words

QUERIES = Path(__file__).resolve().parent / "queries"
Ranker = Callable[[str], list[int]]


def read_hand_queries() -> list[list[str]]:
    """(kind, query, source file prefix, phrase of the expected answer) per line."""
    lines = (QUERIES / "seeds_hand.tsv").read_text().splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


def load_hand_queries(db) -> list[tuple[str, str, set[int], str | None]]:
    """(kind, query, ids of the answers that count as right, None) per line."""
    out = []
    for kind, query, prefix, phrase in read_hand_queries():
        ids = {
            row[0]
            for row in db.execute(
                "SELECT t.id FROM turns t JOIN sources s ON s.id = t.source_id"
                " WHERE t.is_answer AND s.file LIKE ? AND instr(t.text, ?) > 0",
                [f"%/{prefix}_%", phrase],
            )
        }
        if not ids:
            sys.exit(f"no answer in {prefix} contains {phrase!r}")
        out.append((kind, query, ids, None))
    return out


def misremembered(db, count: int, seed: int = 7) -> list[tuple[str, str, set[int], str | None]]:
    """Misremembered quotes: 8-13 words of a real answer, one typo, one word dropped."""
    rng = random.Random(seed)
    ids = [r[0] for r in db.execute("SELECT id FROM turns WHERE is_answer ORDER BY id")]
    out: list[tuple[str, str, set[int], str | None]] = []
    while len(out) < count:
        answer_id = rng.choice(ids)
        text = db.execute("SELECT text FROM turns WHERE id = ?", [answer_id]).fetchone()[0]
        tokens = words(text)
        size = rng.randint(8, 13)
        if len(tokens) < size + 2:
            continue
        start = rng.randrange(0, len(tokens) - size)
        window = tokens[start : start + size]
        original = " ".join(window)
        del window[rng.randrange(len(window))]
        long_words = [i for i, w in enumerate(window) if len(w) >= 4]
        if not long_words:
            continue
        i = rng.choice(long_words)
        window[i] = typo(window[i], rng)
        out.append(("quote", " ".join(window), {answer_id}, original))
    return out


def typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("swap", "drop", "double", "replace"))
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    return word[:i] + rng.choice("aeiourstnl") + word[i + 1 :]


def wratio_baseline(db) -> Ranker:
    rows = db.execute("SELECT id, text FROM turns WHERE is_answer").fetchall()
    ids = [r[0] for r in rows]
    choices = [utils.default_process(r[1]) for r in rows]

    def rank(query: str) -> list[int]:
        found = process.extract(
            utils.default_process(query), choices, scorer=fuzz.WRatio, processor=None, limit=3
        )
        return [ids[i] for _, _, i in found]

    return rank


def bm25_baseline(db) -> Ranker:
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


def quotebot_ranker(searcher: Searcher) -> Ranker:
    return lambda query: [hit.id for hit in searcher.search(query, limit=3)]


def is_right(db, returned: int, expected: set[int], window: str | None) -> bool:
    """The expected answer, or (for a generated quote) any answer with the same words."""
    if returned in expected:
        return True
    if window is None:
        return False
    text = db.execute("SELECT text FROM turns WHERE id = ?", [returned]).fetchone()[0]
    return window in " ".join(words(text))


def evaluate(db, queries, rankers: dict[str, Ranker]) -> dict[str, tuple[float, float]]:
    results = {}
    for name, rank in rankers.items():
        top1 = top3 = 0
        for _, query, expected, window in queries:
            got = rank(query)
            right = [is_right(db, g, expected, window) for g in got[:3]]
            top1 += bool(right[:1] and right[0])
            top3 += any(right)
        results[name] = (100 * top1 / len(queries), 100 * top3 / len(queries))
    return results


def report(title: str, results: dict[str, tuple[float, float]], n: int) -> None:
    print(f"\n{title} ({n} queries)")
    print(f"  {'method':<28} {'top-1':>7} {'top-3':>7}")
    for name, (top1, top3) in results.items():
        print(f"  {name:<28} {top1:>6.1f}% {top3:>6.1f}%")


def nonsense(searcher: Searcher, rankers: dict[str, Ranker]) -> None:
    lines = [
        q
        for q in (QUERIES / "nonsense.txt").read_text().splitlines()
        if q and not q.startswith("#")
    ]
    print(f"\nnonsense ({len(lines)} queries): queries that returned something")
    for name, rank in rankers.items():
        returned = [q for q in lines if rank(q)]
        print(f"  {name:<28} {len(returned):>3}" + (f"  e.g. {returned[0]!r}" if returned else ""))


# WRatio over every answer takes seconds a query at corpus scale: it gets a sample.
WRATIO_SAMPLE = 60


def run(db, queries, label: str) -> None:
    searcher = Searcher(db)
    rankers = {
        "quotebot": quotebot_ranker(searcher),
        "baseline: FTS5 bm25 OR": bm25_baseline(db),
    }
    results = evaluate(db, queries, rankers)
    wratio = {"baseline: WRatio whole answers": wratio_baseline(db)}
    sample = queries[:WRATIO_SAMPLE]
    results.update(evaluate(db, sample, wratio))
    report(label, results, len(queries))
    if len(sample) < len(queries):
        print(
            f"  (WRatio on the first {len(sample)}; quotebot on those: "
            f"{evaluate(db, sample, {'q': rankers['quotebot']})['q'][0]:.1f}% top-1)"
        )
    nonsense(searcher, {**rankers, **wratio})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus-db", type=Path, help="a database of the three corpora to reuse")
    parser.add_argument("--quotes", type=int, default=1000, help="misremembered quotes to generate")
    parser.add_argument("--skip-corpora", action="store_true")
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        seeds = store.open_db(Path(tmp) / "seeds.db")
        ingest(seeds, [ROOT / "data" / "transcripts"], workers=1)
        hand = load_hand_queries(seeds)
        run(seeds, hand, "hand-written queries over the seeds")
        if args.show_misses:
            searcher = Searcher(seeds)
            for kind, query, expected, _ in hand:
                got = [h.id for h in searcher.search(query, 3)]
                if not got or got[0] not in expected:
                    print("  miss", kind, repr(query), got[:1], sorted(expected))

        if args.skip_corpora:
            return
        corpus = store.open_db(corpus_db(args.corpus_db, Path(tmp)))
        quotes = misremembered(corpus, args.quotes)
        run(corpus, quotes, "misremembered quotes over the three corpora")
        if args.show_misses:
            searcher = Searcher(corpus)
            for _, query, expected, window in quotes:
                got = [h.id for h in searcher.search(query, 3)]
                if not got or not is_right(corpus, got[0], expected, window):
                    print("  miss", repr(query), got[:1], sorted(expected))


if __name__ == "__main__":
    main()
