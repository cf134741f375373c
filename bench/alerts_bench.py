"""Alerts: matching 1,000 follows against a newly ingested transcript of about 100 answers.

The corpus (``--corpus-db``, copied first, so it is never changed; default: the seeds)
gets one more real transcript, the source whose answer count is nearest 100, written
to a new file with one more line so it is a new source. 1,000 follows (chats following
its main speaker on topics from its own words and from elsewhere, on anything, and
following other people) are matched against it. Baseline: one search per follow
(what matching by search would cost), timed on the first 50 follows and scaled.

    python -m bench.alerts_bench --corpus-db /tmp/mixed.db [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.common import SEEDS
from bot import store
from bot.follows import Follows
from bot.ingest import ingest
from bot.search import Searcher
from bot.store import arrivals
from bot.words import words

# Answers of the transcript that arrives (the source nearest this is used).
ANSWERS = 100
# Share of the follows that follow the new transcript's main speaker; of those, the
# share with no topic. The rest follow other people, who say nothing in it.
MAIN_SPEAKER, ANYTHING = 0.7, 0.1
# Follows the baseline searches for (it is slow: the figure is scaled to them all).
BASELINE_SAMPLE = 50
OTHER_TOPICS = ["inflation", "nato", "student loans", "border", "vaccines", "china", "testing"]


def _setup(corpus: Path, scratch: Path) -> tuple[Path, Path, dict]:
    """A copy of the corpus, and the transcript that will arrive (a new file)."""
    copy = scratch / "corpus.db"
    shutil.copy(corpus, copy)
    conn = store.connect_readonly(copy)
    paths = {s["id"]: Path(s["path"]) for s in arrivals.source_marks(conn)}
    rows = [r for r in store.list_sources(conn) if r["answers"] and paths[r["id"]].exists()]
    conn.close()
    chosen = min(rows, key=lambda r: (abs(r["answers"] - ANSWERS), r["id"]))
    path = paths[chosen["id"]]
    arriving = scratch / f"arriving{path.suffix}"
    arriving.write_bytes(path.read_bytes() + b"\n\n")
    return copy, arriving, chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus-db", type=Path, default=None)
    parser.add_argument("--follows", type=int, default=1000)
    parser.add_argument("--json", action="store_true", help="also print the figures as JSON")
    parser.add_argument("--profile", action="store_true", help="profile the round")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp())
    corpus = args.corpus_db
    if corpus is None:
        corpus = scratch / "seeds.db"
        ingest(store.open_db(corpus), [SEEDS])
    copy, arriving, chosen = _setup(corpus, scratch)
    searcher = Searcher(copy)
    service = Follows.open(searcher, scratch / "state.db")
    start = time.perf_counter()
    service.finish(service.round())  # every source there now is old
    first_round = time.perf_counter() - start

    db = store.open_db(copy)
    report = ingest(db, [arriving], workers=1)
    db.close()
    searcher.refresh()
    conn = store.connect_readonly(copy)
    new_source = max(arrivals.source_marks(conn), key=lambda s: s["arrival"])
    answers = arrivals.source_answers(conn, [new_source["id"]])
    people = [p["name"] for p in store.people_rows(conn)[:20]]
    conn.close()
    main_speaker = Counter(a["person"] for a in answers).most_common(1)[0][0]
    vocabulary = Counter(w for a in answers for w in words(a["text"]) if len(w) > 5 and w.isalpha())
    own_topics = [w for w, _ in vocabulary.most_common(60)]
    rng = random.Random(7)
    follows = []
    for chat in range(1, args.follows + 1):
        if rng.random() < MAIN_SPEAKER:
            person = main_speaker
            topic = "" if rng.random() < ANYTHING else rng.choice(own_topics + OTHER_TOPICS)
        else:
            person = rng.choice([p for p in people if p != main_speaker])
            topic = rng.choice(own_topics + OTHER_TOPICS)
        follows.append((chat, person, topic))
    # the follows began before the transcript arrived
    since = arrivals.arrival("0000", 0)
    for chat, person, topic in follows:
        service.state.add_follow(chat, person, topic, since)

    start = time.perf_counter()
    if args.profile:
        import cProfile
        import pstats

        profile = cProfile.Profile()
        done = profile.runcall(service.round)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(15)
    else:
        done = service.round()
    matching = time.perf_counter() - start
    start = time.perf_counter()
    sent = [c for a in done.alerts if (c := service.claim(a)) is not None]
    replies = [a.reply() for a in sent]
    claiming = time.perf_counter() - start
    service.finish(done)

    sample = follows[:BASELINE_SAMPLE]
    start = time.perf_counter()
    for _, person, topic in sample:
        searcher.search(f'speaker:"{person}" {topic}', limit=50, threshold=0)
    baseline = (time.perf_counter() - start) / len(sample) * len(follows)

    figures = {
        "transcript": chosen["title"],
        "answers": report.answers,
        "main_speaker": main_speaker,
        "follows": len(follows),
        "alerts": len(done.alerts),
        "quotes": sum(len(a.quotes) for a in done.alerts),
        "first_round_ms": round(first_round * 1000, 1),
        "round_ms": round(matching * 1000, 1),
        "claim_and_render_ms": round(claiming * 1000, 1),
        "messages": len(replies),
        "baseline_search_per_follow_ms": round(baseline * 1000, 1),
    }
    print(f"a new transcript: {figures['transcript']} ({figures['answers']} answers)")
    print(f"{figures['follows']} follows ({main_speaker} and others) matched against it:")
    print(f"  round (read, match, group):          {figures['round_ms']:>9.1f} ms")
    print(
        f"  claim and render {figures['messages']} messages:    {figures['claim_and_render_ms']:>9.1f} ms"
    )
    print(f"  alerts / quotes:                     {figures['alerts']:>5} / {figures['quotes']}")
    print(f"  first round over the whole corpus:   {figures['first_round_ms']:>9.1f} ms")
    print(
        f"  baseline, one search per follow:     {figures['baseline_search_per_follow_ms']:>9.1f} ms"
    )
    if args.json:
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
