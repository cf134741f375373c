"""Who is who over a database of the three corpora: speed and the targets.

Loads every source's speaker labels, runs bot.people.resolve_corpus five times and
prints the median time, the distinct labels and people, and whether each target holds:
the hand-checked top-50 labels (tests/fixtures/people_top50.tsv), no name made of two
names, "The President" in dated White House briefings, the briefing surnames, and one
Putin with separate journalists in the bundled transcripts.
Usage: python -m bench.people_bench --corpus-db PATH [--json] [--people FILE]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from bench.common import ROOT, median
from bot.people import DEFAULT_PEOPLE_FILE, PeopleFile, SourceLabels, resolve_corpus

RUNS = 5
TOP50 = ROOT / "tests" / "fixtures" / "people_top50.tsv"
# Share of the turns of "The President" in dated White House briefings that must
# name someone (the rest: undated or out-of-scope sources).
PRESIDENT_MIN_SHARE = 0.95
SURNAMES = {
    "Ms. Psaki": "Jen Psaki",
    "Mr. Kirby": "John Kirby",
    "Dr. Fauci": "Anthony Fauci",
    "Ms. Jean-Pierre": "Karine Jean-Pierre",
}
SEED_FOLDER = "data/transcripts"
SEED_JOURNALISTS = ("Pavel Zarubin", "Radik Batyrshin")


def load_sources(db: Path) -> tuple[list[SourceLabels], set[int]]:
    """Every source's labels and turn counts, and the ids of the bundled transcripts."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = {
        sid: [sid, title, date, url, fmt, {}]
        for sid, title, date, url, fmt in con.execute(
            "select id, title, date, url, format from sources"
        )
    }
    for sid, speaker, n in con.execute(
        "select source_id, speaker, count(*) from turns group by source_id, speaker"
    ):
        rows[sid][5][speaker] = n
    seeds = {
        sid
        for sid, path in con.execute("select id, path from sources")
        if SEED_FOLDER in (path or "")
    }
    con.close()
    return [SourceLabels(*row) for row in rows.values()], seeds


def read_top50(path: Path = TOP50) -> dict[str, str | None]:
    expected: dict[str, str | None] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            label, name = line.split("\t")
            expected[label] = None if name == "-" else name
    return expected


def joined_names(names: set[str]) -> list[str]:
    """Names that are two other names side by side, or repeat a word."""
    bad = []
    for name in names:
        words = name.split()
        if len({w.casefold() for w in words}) < len(words):
            bad.append(name)
            continue
        for cut in range(2, len(words) - 1):
            if " ".join(words[:cut]) in names and " ".join(words[cut:]) in names:
                bad.append(name)
                break
    return sorted(bad)


def check(
    sources: list[SourceLabels], seeds: set[int], mapping: dict[tuple[int, str], str | None]
) -> dict[str, dict]:
    targets: dict[str, dict] = {}

    expected = read_top50()
    wrong = Counter()
    for s in sources:
        for label in s.labels:
            if label in expected and mapping[(s.source_id, label)] != expected[label]:
                wrong[f"{label} -> {mapping[(s.source_id, label)]}"] += 1
    targets["top50"] = {"labels": len(expected), "wrong": dict(wrong), "ok": not wrong}

    names = {n for n in mapping.values() if n is not None}
    bad = joined_names(names)
    targets["no_joined_names"] = {"joined": bad, "ok": not bad}

    resolved = total = 0
    for s in sources:
        n = s.labels.get("The President")
        if n and s.date and s.format == "markdown":
            total += n
            resolved += n * (mapping[(s.source_id, "The President")] is not None)
    share = resolved / total if total else 0.0
    targets["the_president"] = {
        "turns": total,
        "resolved": resolved,
        "share": round(share, 4),
        "ok": share >= PRESIDENT_MIN_SHARE,
    }

    got: dict[str, Counter] = defaultdict(Counter)
    for s in sources:
        for label, n in s.labels.items():
            if label in SURNAMES:
                got[label][mapping[(s.source_id, label)]] += n
    targets["surnames"] = {
        "got": {label: dict(c) for label, c in got.items()},
        "ok": all(set(got[label]) == {name} for label, name in SURNAMES.items()),
    }

    putin: set[str | None] = set()
    journalists: dict[str, set[str | None]] = defaultdict(set)
    for s in sources:
        if s.source_id not in seeds:
            continue
        for label in s.labels:
            name = mapping[(s.source_id, label)]
            if "putin" in label.casefold():
                putin.add(name)
            if label in SEED_JOURNALISTS:
                journalists[label].add(name)
    targets["seeds"] = {
        "seed_sources": len(seeds),
        "putin": sorted(map(str, putin)),
        "journalists": {k: sorted(map(str, v)) for k, v in journalists.items()},
        "ok": putin == {"Vladimir Putin"}
        and all(journalists[j] == {j} for j in SEED_JOURNALISTS if j in journalists)
        and len(journalists) == len(SEED_JOURNALISTS),
    }
    return targets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus-db", type=Path, required=True)
    parser.add_argument("--people", type=Path, default=DEFAULT_PEOPLE_FILE)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    sources, seeds = load_sources(args.corpus_db)
    people = PeopleFile.load(args.people)
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        mapping = resolve_corpus(sources, people)
        times.append(time.perf_counter() - started)
    labels = {label for s in sources for label in s.labels}
    people_n = len({n for n in mapping.values() if n is not None})
    targets = check(sources, seeds, mapping)
    result = {
        "sources": len(sources),
        "labels": len(labels),
        "people": people_n,
        "seconds_median": round(median(times), 3),
        "targets": targets,
        "all_ok": all(t["ok"] for t in targets.values()),
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(f"sources {len(sources)}, distinct labels {len(labels)}, people {people_n}")
        print(f"resolve_corpus: {median(times):.3f} s (median of {RUNS})")
        for name, target in targets.items():
            detail = {k: v for k, v in target.items() if k != "ok"}
            print(f"{'ok  ' if target['ok'] else 'MISS'} {name}: {detail}")
    sys.exit(0 if result["all_ok"] else 1)


if __name__ == "__main__":
    main()
