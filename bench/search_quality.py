"""Search quality: quotebot beside the engine as it was and FTS5 bm25, in one run.

Two settings, always both: the five seed transcripts alone, and the seeds mixed into
the three corpora (131k answers, officials, journalists and hosts beside the person
asked about). For every set: top-1 and top-3 (the exact answer; in the mixed setting
the same passage published twice also counts, in brackets), empty replies to
answerable queries, and for queries that name a person, how often that person's
words come first. In the mixed setting, also top-1 "judged": a first hit that is
another answer by the same person, judged blind as saying the same thing in reply to
the query (``same_thing_judged.tsv``), counts too; such hits not judged yet are
counted, never guessed. And of the right first hits whose quote is cut from a longer
answer, how often the quote holds the words the query was written about (the
excerpt). Nonsense queries count as failures when anything is returned.

Usage: python -m bench.search_quality [--corpus-db PATH] [--before REF]
       [--before-corpus-db PATH] [--ablate SIGNAL|RULE ...] [--try CHANGES ...]
       [--quotes N] [--json]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from bench.common import ROOT, corpus_db
from bench.querysets import (
    Labelled,
    corpus_queries,
    is_right,
    judged_key,
    misremembered,
    misspelled_names,
    nonsense_queries,
    same_thing_judged,
    seed_queries,
)
from bot import store
from bot.ingest import ingest
from bot.search import Searcher
from bot.search.config import SearchConfig
from bot.words import words

# The engine before query understanding, people and calibrated confidence.
DEFAULT_BEFORE = "81a573b"
SEEDS = ROOT / "data" / "transcripts"


@dataclass
class Found:
    """What an engine returned for one query: ids best first, and who said each."""

    ids: list[int]
    people: list[str]
    guess: bool = False  # the engine offered its first hit as a guess
    # the first hit's excerpt, when the engine cut one out of a longer answer
    excerpt: str | None = None


Engine = Callable[[list[str]], list[Found]]


def quotebot(path: Path, config: SearchConfig | None = None) -> Engine:
    searcher = Searcher(path, config)

    def run(queries: list[str]) -> list[Found]:
        out = []
        for q in queries:
            hits = searcher.search(q, limit=3)
            cut = hits[0].quote if hits and hits[0].quote != hits[0].answer else None
            out.append(
                Found(
                    [h.id for h in hits], [h.who for h in hits], bool(hits) and hits[0].guess, cut
                )
            )
        return out

    return run


def bm25(path: Path) -> Engine:
    conn = store.connect_readonly(path)

    def run(queries: list[str]) -> list[Found]:
        out = []
        for q in queries:
            terms = " OR ".join(f'"{w}"' for w in dict.fromkeys(words(q)))
            rows = store.match_answers(conn, terms, 3) if terms else []
            ids = [r[0] for r in rows]
            who = [r["speaker"] for r in store.answer_rows(conn, ids)]
            out.append(Found(ids, who))
        return out

    return run


def before(worktree: Path, path: Path) -> Engine:
    """The engine at another commit, through its own ``search --json -`` batch mode."""

    def run(queries: list[str]) -> list[Found]:
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "bot",
                "search",
                "--db",
                str(path),
                "--limit",
                "3",
                "--json",
                "-",
            ],
            cwd=worktree,
            input="\n".join(q.replace("\n", " ") for q in queries) + "\n",
            capture_output=True,
            text=True,
            check=True,
        )
        lines = proc.stdout.splitlines()
        return [
            Found([h["id"] for h in hits], [h["speaker"] for h in hits])
            for hits in map(json.loads, lines)
        ]

    return run


def worktree_at(ref: str, scratch: Path) -> Path:
    folder = scratch / f"before-{ref}"
    if not folder.exists():
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(folder), ref],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
    return folder


def build_with(worktree: Path, path: Path, sources: list[Path]) -> Path:
    if not path.exists():
        subprocess.run(
            [sys.executable, "-m", "bot", "ingest", "--db", str(path), *map(str, sources)],
            cwd=worktree,
            capture_output=True,
            check=False,
        )
    return path


def same_person(found: str, wanted: str) -> bool:
    """``Ms. Psaki`` (a label) or ``Jen Psaki`` (a person) for Jen Psaki."""
    return bool(found) and words(found)[-1:] == words(wanted)[-1:]


def judged_right(conn, q: Labelled, first: int, judged: dict[tuple[str, str], bool]) -> bool | None:
    """Whether a wrong first hit was judged to say what the right answer says; None
    when it is by the right answer's speaker and not judged yet, False otherwise."""
    if not q.expected:
        return False
    wanted = min(q.expected)
    # turns' own columns: a database built by the engine as it was has no people table
    by_id = {
        i: (text, speaker or "")
        for i, text, speaker in conn.execute(
            "SELECT id, text, speaker FROM turns WHERE id IN (?, ?)", [first, wanted]
        )
    }
    if first not in by_id or wanted not in by_id:
        return False
    verdict = judged.get((q.query, judged_key(by_id[first][0])))
    if verdict is not None:
        return verdict
    return None if same_person(by_id[first][1], by_id[wanted][1]) else False


def score(
    conn,
    queries: list[Labelled],
    found: list[Found],
    lenient: bool,
    judged: dict[tuple[str, str], bool] | None = None,
) -> dict:
    kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    same_thing = [0, 0]  # wrong first hits judged to say the same thing, and not judged
    guessed = [0, 0]  # first hits offered as guesses, and how many of those were right
    named = [0, 0]
    calibration = [0, 0]
    excerpts = [0, 0]  # right first hits with an excerpt, and those holding the phrase
    for q, f in zip(queries, found, strict=True):
        right = [is_right(conn, i, q, lenient) for i in f.ids[:3]]
        if right and right[0] and f.excerpt is not None and q.phrase:
            excerpts[0] += 1
            excerpts[1] += " ".join(words(q.phrase)) in " ".join(words(f.excerpt))
        # (a generated quote is right by its words alone)
        if judged is not None and q.window is None and right and not right[0]:
            verdict = judged_right(conn, q, f.ids[0], judged)
            same_thing[0] += verdict is True
            same_thing[1] += verdict is None
        row = kinds[q.kind]
        row[0] += 1
        row[1] += bool(right and right[0])
        row[2] += any(right)
        row[3] += not f.ids
        if f.guess:
            guessed[0] += 1
            guessed[1] += bool(right and right[0])
        if not q.calibration:
            calibration[0] += 1
            calibration[1] += bool(right and right[0])
        if q.names_person and q.person:
            named[0] += 1
            named[1] += bool(f.people and same_person(f.people[0], q.person))
    total = [sum(r[i] for r in kinds.values()) for i in range(4)]
    return {
        "queries": total[0],
        "top1": 100 * total[1] / max(1, total[0]),
        "top3": 100 * total[2] / max(1, total[0]),
        "top1_judged": (
            100 * (total[1] + same_thing[0]) / max(1, total[0]) if judged is not None else None
        ),
        "unjudged": same_thing[1],
        "empty": 100 * total[3] / max(1, total[0]),
        "top1_held_out": 100 * calibration[1] / max(1, calibration[0]),
        "person_first": 100 * named[1] / named[0] if named[0] else None,
        "named": named[0],
        "guesses": guessed[0],
        "guesses_right": guessed[1],
        "excerpt_holds": 100 * excerpts[1] / excerpts[0] if excerpts[0] else None,
        "by_kind": {k: {"n": r[0], "top1": 100 * r[1] / r[0]} for k, r in sorted(kinds.items())},
    }


def nonsense(engine: Engine) -> dict:
    queries = nonsense_queries()
    found = engine([q for _, q in queries])
    answered: dict[str, list[str]] = defaultdict(list)
    guesses = 0
    for (kind, q), f in zip(queries, found, strict=True):
        if f.ids:
            answered[kind].append(q)
            guesses += f.guess
    return {
        "queries": len(queries),
        "answered": sum(len(v) for v in answered.values()),
        "as_guesses": guesses,
        "by_kind": dict(answered),
    }


def names_first(engine: Engine) -> dict:
    """How often a query naming a person misspelled ("psaky on covid") gets that
    person's words first, by how the name is written."""
    rows = misspelled_names()
    found = engine([q for _, _, q in rows])
    kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for (kind, person, _), f in zip(rows, found, strict=True):
        kinds[kind][0] += 1
        kinds[kind][1] += bool(f.people and same_person(f.people[0], person))
    right = sum(r[1] for r in kinds.values())
    return {
        "queries": len(rows),
        "person_first": 100 * right / max(1, len(rows)),
        "by_kind": {k: f"{r[1]} of {r[0]}" for k, r in sorted(kinds.items())},
    }


def measure(setting: str, conn, sets: dict[str, list[Labelled]], engines: dict[str, Engine]):
    lenient = setting == "mixed"
    judged = same_thing_judged() if lenient else None
    out: dict = {}
    for name, engine in engines.items():
        out[name] = {
            label: score(conn[name], qs, engine([q.query for q in qs]), lenient, judged)
            for label, qs in sets[name].items()
        }
        out[name]["nonsense"] = nonsense(engine)
        if lenient:
            out[name]["misspelled names"] = names_first(engine)
    return out


def print_table(setting: str, results: dict) -> None:
    print(f"\n== {setting}")
    labels = [k for k in next(iter(results.values())) if k not in ("nonsense", "misspelled names")]
    for label in labels:
        first = next(iter(results.values()))[label]
        print(f"\n{label} ({first['queries']} queries)")
        print(
            f"  {'engine':<30} {'top-1':>7} {'held-out':>8} {'top-3':>7} {'empty':>6} "
            f"{'person first':>13} {'excerpt':>8} {'judged (not yet)':>17}"
        )
        for name, res in results.items():
            r = res[label]
            person = (
                f"{r['person_first']:.0f}% of {r['named']}"
                if r["person_first"] is not None
                else "-"
            )
            excerpt = f"{r['excerpt_holds']:.1f}%" if r["excerpt_holds"] is not None else "-"
            judged = (
                f"{r['top1_judged']:.1f}% ({r['unjudged']})"
                if r["top1_judged"] is not None
                else "-"
            )
            print(
                f"  {name:<30} {r['top1']:>6.1f}% {r['top1_held_out']:>7.1f}% {r['top3']:>6.1f}% "
                f"{r['empty']:>5.1f}% {person:>13} {excerpt:>8} {judged:>17}"
            )
    if "misspelled names" in next(iter(results.values())):
        print("\nmisspelled names: the person's words first")
        for name, res in results.items():
            n = res["misspelled names"]
            kinds = ", ".join(f"{k} {v}" for k, v in n["by_kind"].items())
            print(f"  {name:<30} {n['person_first']:5.1f}% of {n['queries']}  ({kinds})")
    print("\nnonsense: queries answered (should be 0)")
    for name, res in results.items():
        n = res["nonsense"]
        kinds = ", ".join(f"{k} {len(v)}" for k, v in n["by_kind"].items())
        guesses = f", {n['as_guesses']} as guesses" if n["as_guesses"] else ""
        print(
            f"  {name:<30} {n['answered']:>3} of {n['queries']}"
            + (f"  ({kinds}{guesses})" if kinds else "")
        )


def ablated(name: str) -> SearchConfig:
    """The configuration without one signal (weighed 0), or without one rule: a
    ``SearchConfig`` field set to its type's empty value (``family_endings`` ()
    looks for no word's family, ``subject_first_words`` 0 never looks up the
    subject's answers first)."""
    config = SearchConfig()
    if name in config.weights:
        return replace(config, weights={**config.weights, name: 0.0})
    value = getattr(config, name, None) if name in SearchConfig.__dataclass_fields__ else None
    if isinstance(value, tuple | int | float):
        return replace(config, **{name: type(value)()})
    sys.exit(f"--ablate {name}: no such signal or rule")


def tried(spec: str) -> SearchConfig:
    """The configuration with some values changed, ``weight.SIGNAL=0.5`` for a signal's
    weight and ``FIELD=value`` for a ``SearchConfig`` field, comma-separated
    (``--try weight.date=0.5,weight.other_date=-0.5``): a change measured beside the
    code as it is, before it is made."""
    config = SearchConfig()
    for part in filter(None, (p.strip() for p in spec.split(","))):
        name, _, text = part.partition("=")
        try:
            value = float(text)
        except ValueError:
            sys.exit(f"--try {part}: a value must be a number")
        if name.startswith("weight.") and name[7:] in config.weights:
            config = replace(config, weights={**config.weights, name[7:]: value})
            continue
        current = getattr(config, name, None) if name in SearchConfig.__dataclass_fields__ else None
        if isinstance(current, bool | int | float):
            config = replace(config, **{name: type(current)(value)})
            continue
        sys.exit(f"--try {part}: no such weight or number")
    return config


# The query sets over the corpora: (the name reports give them, their file).
CORPORA_SETS = (
    ("natural, corpora", "natural_corpora.tsv"),
    ("held-out natural, corpora", "held_out_corpora.tsv"),
    ("occasions named, corpora", "occasions.tsv"),
    ("the other spelling, corpora", "spelling.tsv"),
    ("ways of asking, corpora", "framings.tsv"),
    ("named people, corpora", "named_dev.tsv"),
    ("held-out users, corpora", "held_out_users.tsv"),
    ("held-out archive, corpora", "held_out_archive.tsv"),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus-db", type=Path, help="seeds + three corpora, reused or built")
    parser.add_argument("--before", default=DEFAULT_BEFORE, help="git ref of the engine to compare")
    parser.add_argument("--before-corpus-db", type=Path, help="the same corpus built by --before")
    parser.add_argument("--no-before", action="store_true", help="skip the engine as it was")
    parser.add_argument(
        "--ablate",
        action="append",
        default=[],
        help="a signal to weigh 0, or a rule (a SearchConfig field) to turn off",
    )
    parser.add_argument(
        "--try",
        dest="tries",
        action="append",
        default=[],
        help="weight.SIGNAL=X or FIELD=X (comma-separated): a change to measure beside",
    )
    parser.add_argument("--quotes", type=int, default=1000, help="misremembered quotes")
    parser.add_argument("--skip-mixed", action="store_true")
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")
    args = parser.parse_args()
    for name in args.ablate:
        ablated(name)  # an unknown name stops the run before any work
    for spec in args.tries:
        tried(spec)

    report: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        old_tree = None if args.no_before else worktree_at(args.before, Path("/tmp"))
        settings = [("seeds", None)] + ([] if args.skip_mixed else [("mixed", args.corpus_db)])
        for setting, given in settings:
            if setting == "seeds":
                path = scratch / "seeds.db"
                ingest(store.open_db(path), [SEEDS], workers=1)
            else:
                path = corpus_db(given, scratch, with_seeds=True)
            engines: dict[str, Engine] = {"quotebot": quotebot(path)}
            for signal in args.ablate:
                engines[f"quotebot without {signal}"] = quotebot(path, ablated(signal))
            for spec in args.tries:
                engines[f"quotebot with {spec}"] = quotebot(path, tried(spec))
            engines["baseline: FTS5 bm25 OR"] = bm25(path)
            conns = {name: store.connect_readonly(path) for name in engines}
            if old_tree is not None:
                if setting == "seeds":
                    old_path = build_with(old_tree, scratch / "before-seeds.db", [SEEDS])
                else:
                    old_path = args.before_corpus_db or scratch / "before-mixed.db"
                    build_with(old_tree, old_path, [*corpus_paths_for_build(), SEEDS])
                engines[f"before ({args.before})"] = before(old_tree, old_path)
                conns[f"before ({args.before})"] = store.connect_readonly(old_path)
            sets: dict[str, dict[str, list[Labelled]]] = {}
            # one sample of generated quotes for every engine, judged by their words
            quotes = misremembered(conns["quotebot"], args.quotes) if setting == "mixed" else []
            for name in engines:
                conn = conns[name]
                natural, missing = seed_queries(conn, "natural_seeds.tsv")
                hand, missing_hand = seed_queries(conn, "seeds_hand.tsv")
                held, missing_held = seed_queries(conn, "held_out_seeds.tsv")
                chosen = {
                    "natural, seeds": natural,
                    "hand-written, seeds": hand,
                    "held-out natural, seeds": held,
                }
                missing += missing_held
                if setting == "mixed":
                    for label, file in CORPORA_SETS:
                        chosen[label], missing_here = corpus_queries(conn, file)
                        missing += missing_here
                    chosen["misremembered, corpora"] = quotes
                sets[name] = chosen
                for line in missing + missing_hand:
                    print(f"unlabelled: {line}", file=sys.stderr)
            results = measure(setting, conns, sets, engines)
            report[setting] = results
            if not args.json:
                print_table(setting, results)
    if args.json:
        print(json.dumps(report, indent=2))


def corpus_paths_for_build() -> list[Path]:
    from bench.common import corpus_paths

    return corpus_paths()


if __name__ == "__main__":
    main()
