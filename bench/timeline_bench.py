"""Timelines: are the answers on the topic, and how long a page takes to build.

For each person and topic in ``bench/queries/timeline_pairs.tsv`` it reads the top 20
candidates by relevance (the person's answers search finds for the topic) against the
judgements in ``bench/queries/timeline_judged.tsv`` (read by a person: on = the answer
says something on the topic), sweeps the relevance cut-off that decides what a
timeline shows, and times building the first page in a warm process.

    python -m bench.timeline_bench --corpus-db /tmp/mixed.db [--json]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from bench.common import ROOT, corpus_db, median, percentile
from bench.querysets import answers_with
from bot import store
from bot.search import Searcher
from bot.timeline import ON_TOPIC_SCORE, Request, Timelines

PAIRS = ROOT / "bench" / "queries" / "timeline_pairs.tsv"
JUDGED = ROOT / "bench" / "queries" / "timeline_judged.tsv"
TOP = 20
# Cut-offs tried (search score, 0-100).
SWEEP = range(20, 72, 2)


def _rows(path: Path) -> list[list[str]]:
    return [
        line.rstrip("\n").split("\t")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]


def _judged_answers(conn, rows: list[list[str]]) -> dict[tuple[str, str, int], bool]:
    """(person, topic, answer id) -> on topic, for every answer that holds a judged
    excerpt's first words (an excerpt cut in a sentence starts with "…"). Ids change
    with a rebuild and excerpts with the excerpt rules; the judgement is of the
    answer, so it stays whichever of its sentences the excerpt shows."""
    out = {}
    for person, topic, verdict, key in rows:
        held = " ".join(key.lstrip("…").split()[:-1])  # the last word may be cut
        for answer in answers_with(conn, held, None):
            out[(person, topic, answer)] = verdict == "on"
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus-db", type=Path, default=None)
    parser.add_argument("--rounds", type=int, default=20, help="timed builds of each pair")
    parser.add_argument("--json", action="store_true", help="also print the figures as JSON")
    args = parser.parse_args()
    path = corpus_db(args.corpus_db, Path(tempfile.mkdtemp()), with_seeds=True)
    searcher = Searcher(path)
    timelines = Timelines(searcher)
    pairs = [(r[0], r[1]) for r in _rows(PAIRS)]
    judged = _judged_answers(store.connect_readonly(path), _rows(JUDGED))

    per_pair = []
    scored: list[tuple[int, bool]] = []  # (score, judged on) over every judged candidate
    for person, topic in pairs:
        request = Request(person, topic)
        candidates = timelines.candidates(request)
        verdicts = [judged.get((person, topic, h.id)) for h in candidates]
        scored += [(h.score, v) for h, v in zip(candidates, verdicts, strict=True) if v is not None]
        top = verdicts[:TOP]
        shown = [v for h, v in zip(candidates, verdicts, strict=True) if h.score >= ON_TOPIC_SCORE]
        baseline = searcher.search(f"{person} {topic}", limit=TOP)
        per_pair.append(
            {
                "person": person,
                "topic": topic,
                "candidates": len(candidates),
                "top20_on": sum(1 for v in top if v),
                "top20_judged": sum(1 for v in top if v is not None),
                "timeline": len(shown),
                "timeline_top20_on": sum(1 for v in shown[:TOP] if v),
                "timeline_top20_judged": sum(1 for v in shown[:TOP] if v is not None),
                "undated": sum(1 for h in candidates if not h.date and h.score >= ON_TOPIC_SCORE),
                "baseline_top20_by_person": sum(1 for h in baseline if h.person == person),
            }
        )

    total_on = sum(1 for _, v in scored if v)
    sweep = []
    for cut in SWEEP:
        kept = [v for s, v in scored if s >= cut]
        true = sum(kept)
        precision = true / len(kept) if kept else 1.0
        recall = true / total_on if total_on else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        sweep.append({"cut_off": cut, "precision": precision, "recall": recall, "f1": f1})
    best = max(sweep, key=lambda r: (r["f1"], r["cut_off"]))

    requests = [Request(p, t) for p, t in pairs]
    for request in requests:  # warm: each pair once, as a chat asks it again later
        timelines.first_page(request)
    times = []
    for _ in range(args.rounds):
        for request in requests:
            start = time.perf_counter()
            timelines.first_page(request)
            times.append((time.perf_counter() - start) * 1000)

    print(f"timeline pairs over {path} (cut-off {ON_TOPIC_SCORE}); top {TOP} by relevance")
    print(
        f"{'person':<20} {'topic':<14} {'cand':>4} {'top20 on':>9} {'shown':>5}"
        f" {'shown top20 on':>14} {'undated':>7} {'baseline by person':>18}"
    )
    for r in per_pair:
        print(
            f"{r['person']:<20} {r['topic']:<14} {r['candidates']:>4}"
            f" {r['top20_on']:>4}/{r['top20_judged']:<4} {r['timeline']:>5}"
            f" {r['timeline_top20_on']:>9}/{r['timeline_top20_judged']:<4} {r['undated']:>7}"
            f" {r['baseline_top20_by_person']:>15}/{TOP}"
        )
    on20 = sum(r["top20_on"] for r in per_pair)
    judged20 = sum(r["top20_judged"] for r in per_pair)
    shown_on = sum(r["timeline_top20_on"] for r in per_pair)
    shown_judged = sum(r["timeline_top20_judged"] for r in per_pair)
    print(f"top {TOP} candidates on topic: {on20}/{judged20} judged")
    print(f"top {TOP} shown (score >= {ON_TOPIC_SCORE}) on topic: {shown_on}/{shown_judged} judged")
    print("cut-off sweep over every judged candidate (precision / recall / F1):")
    for r in sweep:
        mark = (
            " <- best F1" if r is best else " <- in use" if r["cut_off"] == ON_TOPIC_SCORE else ""
        )
        print(
            f"  {r['cut_off']:>3}: {r['precision']:.3f} / {r['recall']:.3f} / {r['f1']:.3f}{mark}"
        )
    p50, p95 = median(times), percentile(times, 95)
    print(f"first page build, warm ({len(times)} builds): p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    if args.json:
        print(
            json.dumps(
                {
                    "cut_off": ON_TOPIC_SCORE,
                    "pairs": per_pair,
                    "top20_on": on20,
                    "top20_judged": judged20,
                    "shown_top20_on": shown_on,
                    "shown_top20_judged": shown_judged,
                    "sweep": sweep,
                    "best_cut_off": best["cut_off"],
                    "build_ms": {"p50": round(p50, 2), "p95": round(p95, 2), "n": len(times)},
                }
            )
        )


if __name__ == "__main__":
    main()
