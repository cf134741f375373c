"""Verdicts on lines people attribute to speakers: confusion matrices and thresholds.

Cases, in two settings (the five seeds alone; the seeds mixed into the three corpora):
- verbatim: sentences of real answers (8-40 words), from the seeds and, mixed, from
  the corpora too;
- close: the same sentences with 1-4 words changed, dropped, added or swapped
  (generated; where the first change falls is recorded: start, middle, end);
- paraphrase, invented: hand-written (``bench/queries/verify_lines.tsv``);
- embellished: hand-written there too, a real phrase of 4-7 words wrapped in a claim
  never made ("The liberal idea has become obsolete, and Western democracy will be
  dead within ten years."): found nowhere, as the invented ones.
Every second case names its speaker ("did putin say ..."), the others name nobody.

Each case's alignment measures are recorded once; :func:`bot.verify.decide` then
gives the verdict under any thresholds, so the grid search over thresholds is
cheap. Thresholds are fitted on the calibration half (even-numbered cases) of both
settings together and reported on the other half and on everything.

Usage: python -m bench.verify_bench [--corpus-db PATH] [--skip-mixed] [--json]
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import tempfile
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from bench.common import SEEDS, corpus_db, median, percentile
from bench.querysets import _rows, answers_with
from bot import store
from bot.ingest import ingest
from bot.search import Searcher
from bot.verify import (
    CLOSE,
    DEFAULT,
    FLIPPED,
    HEADLINES,
    NOT_FOUND,
    PARAPHRASE,
    PARTLY,
    SWAPPED,
    VERBATIM,
    VERDICTS,
    Claim,
    VerifyConfig,
    decide,
    headline,
    verify,
)
from bot.words import split_sentences, words

# Sentences used as real lines (words): shorter ones are found verbatim in many
# answers and are no claim; longer ones are paragraphs, not remembered lines.
MIN_WORDS, MAX_WORDS = 8, 40
# Real lines per source of lines (seeds; corpora in the mixed setting).
LINES = 150
# The seed transcripts among the sources (SQL on sources s).
SEED_SOURCES = "s.path LIKE '%data/transcripts/%'"
# Words put in for a changed word: everyday words a misquote brings in.
FILLERS = [
    "really",
    "always",
    "never",
    "very",
    "certainly",
    "also",
    "just",
    "only",
    "clearly",
    "new",
    "great",
    "many",
    "big",
    "people",
    "country",
    "government",
    "world",
    "time",
    "year",
    "economy",
    "security",
    "question",
    "problem",
]
# Edits of a close line: 1-4, and at most one per four words (an eight-word line
# with four words changed is another line, not the same one misremembered).
MAX_EDITS, WORDS_PER_EDIT = 4, 4
# Grids searched for the thresholds.
RATIO_GRID = [round(0.30 + 0.05 * i, 2) for i in range(13)]
RUN_GRID = [1, 2, 3, 4, 5, 6]
SCORE_GRID = list(range(40, 100, 5))
OVERLAP_GRID = [round(0.1 * i, 1) for i in range(9)]
# The aims: share of verbatim and close lines with the right verdict, and the most
# invented lines called verbatim or close.
AIM_RIGHT = 0.95
AIM_INVENTED = 0.01
# A real phrase wrapped in a claim never made: a line found nowhere, as an invented one.
EMBELLISHED = "embellished"
# Invented lines called a paraphrase at most (a paraphrase verdict shows a passage
# as what was meant: wrong, it misleads less than "verbatim" but still misleads).
AIM_INVENTED_PARAPHRASE = 0.05


@dataclass
class Case:
    kind: str
    line: str
    who: str | None
    expected: set[int] = field(default_factory=set)  # answers that hold the line
    original: str | None = None  # for generated lines: the real sentence
    where: str = "-"  # close lines: start, middle or end of the first change
    calibration: bool = False
    measures: dict[str, float] = field(default_factory=dict)
    hit: int | None = None
    hit_text: str = ""
    # not found under the default thresholds: the answer offered as the nearest
    nearest: int | None = None
    nearest_text: str = ""
    headline: str = ""  # the verdict's headline under the default thresholds


def _sentences(
    conn, rng: random.Random, count: int, where: str, per_answer: int
) -> list[tuple[str, int, str]]:
    """(sentence, answer id, person) of ``count`` random sentences of real answers,
    at most ``per_answer`` of one answer."""
    sql = (
        "SELECT t.id, t.text, p.name FROM turns t JOIN sources s ON s.id = t.source_id"
        " LEFT JOIN people p ON p.id = t.person_id WHERE t.is_answer AND " + where
    )
    rows = conn.execute(sql).fetchall()
    rng.shuffle(rows)
    out = []
    for answer_id, text, person in rows:
        good = [s for s in split_sentences(text) if MIN_WORDS <= len(words(s)) <= MAX_WORDS]
        rng.shuffle(good)
        out.extend((sentence, answer_id, person) for sentence in good[:per_answer])
        if len(out) >= count:
            break
    return out[:count]


def _change(sentence: str, rng: random.Random) -> tuple[str, str]:
    """``sentence`` with 1-4 word edits (changed, dropped, added, swapped), and where
    the first edit falls."""
    tokens = sentence.split()
    edits = rng.randint(1, max(1, min(MAX_EDITS, len(tokens) // WORDS_PER_EDIT)))
    first = None
    for _ in range(edits):
        kind = rng.choice(("replace", "drop", "add", "swap"))
        i = rng.randrange(len(tokens))
        if kind == "replace":
            tokens[i] = rng.choice([w for w in FILLERS if w != tokens[i].lower()])
        elif kind == "drop" and 0 < i < len(tokens) - 1:
            del tokens[i]
        elif kind == "add":
            tokens.insert(i, rng.choice(FILLERS))
        elif i + 1 < len(tokens):
            tokens[i], tokens[i + 1] = tokens[i + 1], tokens[i]
        else:
            tokens[i] = rng.choice(FILLERS)
        first = i if first is None else first
    line = " ".join(tokens)
    if words(line) == words(sentence):  # a swap of equal words: change one for sure
        return _change(sentence, rng)
    third = len(tokens) / 3
    where = "start" if first < third else "middle" if first < 2 * third else "end"
    return line, where


def _surname(person: str | None) -> str | None:
    return words(person)[-1] if person else None


def cases(conn, mixed: bool, seed: int = 11) -> list[Case]:
    """Every case of one setting (the same seed lines in both)."""
    rng = random.Random(seed)
    # the seeds hold 76 answers: three sentences of each; the corpora: one
    real = _sentences(conn, rng, LINES, SEED_SOURCES, 3)
    if mixed:
        real += _sentences(conn, random.Random(seed + 1), LINES, f"NOT ({SEED_SOURCES})", 1)
    out: list[Case] = []
    for i, (sentence, answer_id, person) in enumerate(real):
        who = _surname(person) if i % 2 == 0 else None
        out.append(Case(VERBATIM, sentence, who, {answer_id}, sentence))
        changed, where = _change(sentence, rng)
        out.append(Case(CLOSE, changed, who, {answer_id}, sentence, where))
    for i, (kind, text, prefix, phrase) in enumerate(_rows("verify_lines.tsv")):
        expected = answers_with(conn, phrase, f"%{prefix}_%") if kind == PARAPHRASE else set()
        out.append(Case(kind, text, "putin" if i % 2 == 0 else None, expected))
    for i, case in enumerate(out):
        # a real line and its changed copy fall in the same half
        case.calibration = (i // 2 if case.kind in (VERBATIM, CLOSE) else i) % 2 == 0
    return out


def measure(searcher: Searcher, all_cases: list[Case]) -> None:
    for case in all_cases:
        verdict = verify(searcher, Claim(case.line, case.who, True))
        case.measures = verdict.measures
        case.hit = verdict.hit.id if verdict.hit else None
        case.hit_text = verdict.hit.answer if verdict.hit else ""
        case.headline = headline(verdict)
        if verdict.kind == NOT_FOUND and verdict.nearest is not None:
            case.nearest = verdict.nearest.id
            case.nearest_text = verdict.nearest.answer


def confusion(all_cases: list[Case], config: VerifyConfig) -> dict[str, dict[str, int]]:
    table = {kind: dict.fromkeys(VERDICTS, 0) for kind in VERDICTS if kind != NOT_FOUND}
    table["invented"] = dict.fromkeys(VERDICTS, 0)
    table[EMBELLISHED] = dict.fromkeys(VERDICTS, 0)
    for case in all_cases:
        table[case.kind][decide(case.measures, config)] += 1
    return table


def rates(table: dict[str, dict[str, int]]) -> dict[str, float]:
    """The two aims: right verdicts over verbatim and close lines; invented lines
    called verbatim or close; and the paraphrase and invented recalls."""
    right = table[VERBATIM][VERBATIM] + table[CLOSE][CLOSE]
    lines = sum(table[VERBATIM].values()) + sum(table[CLOSE].values())
    invented = table["invented"]
    n_inv = sum(invented.values()) or 1
    n_par = sum(table[PARAPHRASE].values()) or 1
    embellished = table[EMBELLISHED]
    n_emb = sum(embellished.values()) or 1
    return {
        "verbatim_close_right": right / lines if lines else 0.0,
        "invented_as_found": (invented[VERBATIM] + invented[CLOSE]) / n_inv,
        "invented_as_paraphrase": invented[PARAPHRASE] / n_inv,
        "paraphrase_right": table[PARAPHRASE][PARAPHRASE] / n_par,
        "paraphrase_as_close": (table[PARAPHRASE][VERBATIM] + table[PARAPHRASE][CLOSE]) / n_par,
        "invented_not_found": invented[NOT_FOUND] / n_inv,
        "embellished_as_found": (embellished[VERBATIM] + embellished[CLOSE]) / n_emb,
        "embellished_as_paraphrase": embellished[PARAPHRASE] / n_emb,
        "embellished_not_found": embellished[NOT_FOUND] / n_emb,
    }


def calibrate(all_cases: list[Case]) -> VerifyConfig:
    """Thresholds from the calibration half: first the close rule (most verbatim and
    close lines right with invented lines under the aim, then fewest paraphrases
    called close, ties to the stricter rule),
    then the paraphrase rule (most paraphrases called so with their own passage,
    invented lines called paraphrase within their aim, ties to the stricter rule)."""
    half = [c for c in all_cases if c.calibration]
    best: tuple[tuple[float, ...], VerifyConfig] | None = None
    for ratio, run in itertools.product(RATIO_GRID, RUN_GRID):
        config = replace(DEFAULT, close_min_ratio=ratio, close_min_run=run)
        r = rates(confusion(half, config))
        key = (
            r["invented_as_found"] < AIM_INVENTED,
            round(r["verbatim_close_right"], 3),
            -round(r["embellished_as_found"], 3),
            -r["paraphrase_as_close"],
            ratio,
            run,
        )
        if best is None or key > best[0]:
            best = key, config
    assert best is not None
    chosen = best[1]
    best = None
    for score, share in itertools.product(SCORE_GRID, OVERLAP_GRID):
        config = replace(chosen, paraphrase_min_score=score, paraphrase_min_overlap=share)
        r = rates(confusion(half, config))
        key = (
            r["invented_as_paraphrase"] <= AIM_INVENTED_PARAPHRASE,
            _paraphrases_found(half, config),
            score,
            share,
        )
        if best is None or key > best[0]:
            best = key, config
    assert best is not None
    return best[1]


def _paraphrases_found(group: list[Case], config: VerifyConfig) -> int:
    """Paraphrases called so, with the passage they paraphrase."""
    return sum(
        1
        for c in group
        if c.kind == PARAPHRASE and decide(c.measures, config) == PARAPHRASE and right_passage(c)
    )


def right_passage(case: Case) -> bool | None:
    """Whether the verdict's passage is the line's own (None when it has none)."""
    if case.kind in ("invented", EMBELLISHED) or case.hit is None:
        return None
    if case.hit in case.expected:
        return True
    return bool(case.original) and " ".join(words(case.original)) in " ".join(words(case.hit_text))


def report(setting: str, all_cases: list[Case], config: VerifyConfig) -> dict:
    out: dict = {"cases": Counter(c.kind for c in all_cases)}
    for name, subset in (
        ("all", all_cases),
        ("held_out", [c for c in all_cases if not c.calibration]),
    ):
        table = confusion(subset, config)
        out[name] = {"confusion": table, "rates": rates(table)}
    wheres = Counter()
    rights = Counter()
    for case in all_cases:
        if case.kind == CLOSE:
            wheres[case.where] += 1
            rights[case.where] += decide(case.measures, config) == CLOSE
    out["close_by_where"] = {w: f"{rights[w]}/{wheres[w]}" for w in sorted(wheres)}
    passages = Counter()
    for case in all_cases:
        verdict = decide(case.measures, config)
        if case.kind == verdict and verdict != NOT_FOUND:
            passages[(case.kind, right_passage(case))] += 1
    out["right_passage"] = {
        kind: f"{passages[(kind, True)]}/{passages[(kind, True)] + passages[(kind, False)]}"
        for kind in (VERBATIM, CLOSE, PARAPHRASE)
    }
    out["not_found_nearest"] = nearest_offered(all_cases)
    out["close_headlines"] = close_headlines(all_cases)
    out["cases"] = dict(out["cases"])
    return out


def nearest_offered(all_cases: list[Case]) -> dict[str, str]:
    """Of the lines found nowhere (default thresholds), how many are shown the nearest
    answer a search finds, and for real lines how many of those are their own."""
    out = {}
    for kind in (PARAPHRASE, "invented", EMBELLISHED):
        lost = [c for c in all_cases if c.kind == kind and decide(c.measures) == NOT_FOUND]
        offered = [c for c in lost if c.nearest is not None]
        own = sum(
            right_passage(replace(c, hit=c.nearest, hit_text=c.nearest_text)) or 0 for c in offered
        )
        out[kind] = f"{len(offered)} of {len(lost)} offered one" + (
            f", {own} their own passage" if kind == PARAPHRASE else ""
        )
    return out


def close_headlines(all_cases: list[Case]) -> dict[str, dict[str, int]]:
    """Of the lines called close (default thresholds), by kind of line, how many the
    headline warns of a word that matters differing, only part said, or a "not" or a
    figure differing, and how many get the plain "close"."""
    names = {FLIPPED: "flipped", SWAPPED: "swapped", PARTLY: "partly", HEADLINES[CLOSE]: "plain"}
    out: dict[str, Counter] = {}
    for case in all_cases:
        if decide(case.measures) == CLOSE:
            out.setdefault(case.kind, Counter())[names.get(case.headline, "other")] += 1
    return {kind: dict(counts) for kind, counts in out.items()}


def query_lengths() -> dict:
    """Words of the natural search queries against those of real lines: the length
    from which unframed text reads like a quotation."""
    queries = [
        row[1]
        for name in ("natural_seeds.tsv", "natural_corpora.tsv", "seeds_hand.tsv")
        for row in _rows(name)
    ]
    lengths = [len(words(q)) for q in queries]
    return {
        "queries": len(lengths),
        "median_words": median(lengths),
        "p95_words": percentile(lengths, 95),
        "p98_words": percentile(lengths, 98),
        "share_at_least": {
            n: round(sum(1 for x in lengths if x >= n) / len(lengths), 3) for n in (8, 10, 12)
        },
    }


def print_report(setting: str, result: dict) -> None:
    print(f"\n== {setting}: {result['cases']}")
    for name in ("all", "held_out"):
        print(f"-- {name} (rows: the kind of line; columns: the verdict)")
        print(f"{'':12}" + "".join(f"{v:>12}" for v in VERDICTS))
        for kind, row in result[name]["confusion"].items():
            print(f"{kind:12}" + "".join(f"{row[v]:>12}" for v in VERDICTS))
        print("   " + ", ".join(f"{k} {v:.1%}" for k, v in result[name]["rates"].items()))
    print(f"close lines right by where the first change is: {result['close_by_where']}")
    print(f"right passage when the verdict is right: {result['right_passage']}")
    print(f"not found, the nearest answer offered: {result['not_found_nearest']}")
    print(f"lines called close, by headline: {result['close_headlines']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus-db", type=Path, help="seeds + three corpora, reused or built")
    parser.add_argument("--skip-mixed", action="store_true")
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        settings: dict[str, list[Case]] = {}
        seeds = scratch / "seeds.db"
        ingest(store.open_db(seeds), [SEEDS], workers=1)
        paths = {"seeds": seeds}
        if not args.skip_mixed:
            paths["mixed"] = corpus_db(args.corpus_db, scratch, with_seeds=True)
        for setting, path in paths.items():
            conn = store.connect_readonly(path)
            settings[setting] = cases(conn, mixed=setting == "mixed")
            measure(Searcher(path), settings[setting])
        chosen = calibrate([c for group in settings.values() for c in group])
        results = {
            "thresholds": {
                "close_min_ratio": chosen.close_min_ratio,
                "close_min_run": chosen.close_min_run,
                "paraphrase_min_score": chosen.paraphrase_min_score,
                "paraphrase_min_overlap": chosen.paraphrase_min_overlap,
            },
            "configured": {
                "close_min_ratio": DEFAULT.close_min_ratio,
                "close_min_run": DEFAULT.close_min_run,
                "paraphrase_min_score": DEFAULT.paraphrase_min_score,
                "paraphrase_min_overlap": DEFAULT.paraphrase_min_overlap,
            },
            "query_lengths": query_lengths(),
            "settings": {s: report(s, group, DEFAULT) for s, group in settings.items()},
            "settings_calibrated": {s: report(s, group, chosen) for s, group in settings.items()},
        }
    if args.json:
        print(json.dumps(results, indent=2, default=str))
        return
    print(f"thresholds fitted on the calibration half: {results['thresholds']}")
    print(f"thresholds configured (VerifyConfig): {results['configured']}")
    print(f"natural query lengths: {results['query_lengths']}")
    for setting, result in results["settings"].items():
        print_report(f"{setting}, configured thresholds", result)


if __name__ == "__main__":
    main()
