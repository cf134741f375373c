"""Fit the weights of the search signals: a logistic model of "this hit is the one meant".

Every candidate that search scores for a query of the calibration half (every second
line of the hand-written sets, over the seeds alone and over the seeds mixed into
the corpora; generated misremembered quotes from another random sample than the
one measured; half the nonsense queries) is one example: right (the answer the query
was written for) or wrong. The fitted coefficients are the weights in
``bot/search/config.py`` and the intercept its bias, so a hit's confidence is the
model's probability and the threshold of 0.5 means "more likely right than wrong".

Usage: python -m bench.calibrate [--corpus-db PATH] [--write] [--json]
"""

from __future__ import annotations

import argparse
import json
import math
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench.common import ROOT, SEEDS, corpus_db
from bench.querysets import (
    Labelled,
    corpus_queries,
    is_right,
    misremembered,
    nonsense_queries,
    seed_queries,
)
from bot import store
from bot.ingest import ingest
from bot.search import Searcher
from bot.search.config import DEFAULT_WEIGHTS
from bot.search.engine import lead_of

CONFIG = ROOT / "bot" / "search" / "config.py"
# Generated quotes for fitting come from another sample than the measured one (7).
FIT_SEED, FIT_QUOTES = 11, 300
# What tells a query the corpus answers from nonsense: few features, for the
# unanswerable examples are few (all features over-fit them: more empty replies to
# real questions, no fewer nonsense ones answered).
ANSWERABLE_FEATURES = [
    "known",
    "coverage",
    "best_alignment",
    "proximity",
    "lead",
    "relevance",
    "scale",
]
# A generated quote counts this much of a hand-written query in the fit.
QUOTE_WEIGHT = 0.3
# Candidates per query kept as examples, from a search in depth (this many rows of
# every lookup, all scored): wide enough that which ones they are hardly depends on
# the weights the fit starts from. With the engine's own narrow pool the fit moved
# each time it was run again (every refit started from the last one's weights).
PER_QUERY = 30
# L2 penalty (in examples' units) keeps rare signals from huge weights; Newton's
# method converges in a few steps.
L2, NEWTON_STEPS = 5.0, 12


Group = list[tuple[dict, int]]


@dataclass
class Example:
    """One query's candidates as search scored them, and what the query is."""

    group: Group  # (signals, 1 if it is the answer meant) per candidate
    weight: float  # in the ranking fit
    answerable: bool  # False: nothing in this corpus answers it


def examples(path: Path, queries: list[Labelled], unanswerable: list[str]) -> list[Example]:
    """Per query, every candidate search scored (signals, 1 if it is the answer meant).
    Generated quotes weigh less in the ranking fit: they are many and alike."""
    searcher = Searcher(path)
    conn = store.connect_readonly(path)
    out = []
    for q in queries:
        hits = searcher.search(q.query, limit=PER_QUERY, threshold=0.0, depth=PER_QUERY)
        group = [(h.signals, int(is_right(conn, h.id, q, lenient=True))) for h in hits]
        out.append(Example(group, QUOTE_WEIGHT if q.window is not None else 1.0, True))
    for query in unanswerable:
        hits = searcher.search(query, limit=PER_QUERY, threshold=0.0, depth=PER_QUERY)
        out.append(Example([(h.signals, 0) for h in hits], 1.0, False))
    return out


def first_hits(
    data: list[Example], weights: dict[str, float], bias: float
) -> list[tuple[dict, int, bool]]:
    """Per query, the hit the fitted relevance ranks first with its relevance and lead:
    (features, it is right, the query is answerable). A query with no candidates at all
    is left out: it shows nothing anyway."""
    out = []
    for example in data:
        if not example.group:
            continue
        scored = sorted(
            (
                (bias + sum(weights.get(k, 0.0) * v for k, v in s.items()), y, s)
                for s, y in example.group
            ),
            key=lambda item: -item[0],
        )
        rel, right, signals = scored[0]
        lead = lead_of(scored, 0)
        out.append(({**signals, "relevance": rel, "lead": lead}, right, example.answerable))
    return out


def balanced(labels: list[int]) -> list[float]:
    """Weights giving both classes the same total."""
    ones = sum(labels) or 1
    zeros = (len(labels) - sum(labels)) or 1
    return [len(labels) / 2 / (ones if y else zeros) for y in labels]


def _solve(a: list[list[float]], b: list[float]) -> list[float]:
    """Solve a x = b by Gaussian elimination with partial pivoting."""
    n = len(b)
    m = [[*row, b[i]] for i, row in enumerate(a)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(col + 1, n):
            f = m[r][col] / m[col][col]
            for c in range(col, n + 1):
                m[r][c] -= f * m[col][c]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (m[r][n] - sum(m[r][c] * x[c] for c in range(r + 1, n))) / m[r][r]
    return x


def fit(
    data: list[tuple[dict, int]],
    names: list[str],
    weights: list[float] | None = None,
    intercept: bool = True,
) -> tuple[dict[str, float], float]:
    """L2-penalised, weighted logistic regression by Newton's method (no dependencies)."""
    xs = [([1.0] if intercept else []) + [s.get(n, 0.0) for n in names] for s, _ in data]
    ys = [y for _, y in data]
    ws = weights or [1.0] * len(data)
    k = len(xs[0]) if xs else 0
    w = [0.0] * k
    first = 1 if intercept else 0  # the intercept is not penalised
    for _ in range(NEWTON_STEPS):
        grad = [0.0] * k
        hess = [[0.0] * k for _ in range(k)]
        for x, y, sw in zip(xs, ys, ws, strict=True):
            z = sum(wi * xi for wi, xi in zip(w, x, strict=True))
            p = 1 / (1 + math.exp(-max(-50, min(50, z))))
            d, v = sw * (p - y), sw * p * (1 - p)
            for i in range(k):
                if x[i]:
                    grad[i] += d * x[i]
                    row = hess[i]
                    for j in range(i, k):
                        if x[j]:
                            row[j] += v * x[i] * x[j]
        for i in range(k):
            for j in range(i):
                hess[i][j] = hess[j][i]
            if i >= first:
                grad[i] += L2 * w[i]
                hess[i][i] += L2
            hess[i][i] += 1e-9
        step = _solve(hess, grad)
        w = [wi - si for wi, si in zip(w, step, strict=True)]
    bias = w[0] if intercept else 0.0
    return {n: round(wi, 3) for n, wi in zip(names, w[first:], strict=True)}, round(bias, 3)


def pairs(groups: list[tuple[Group, float]], names: list[str]):
    """Ranking as classification (RankNet): for every right and wrong candidate of one
    query, their difference, labelled 1 (and its negation, labelled 0); each query
    weighs ``its weight`` in all, however many pairs it has."""
    data, weights = [], []
    for group, weight in groups:
        right = [s for s, y in group if y]
        wrong = [s for s, y in group if not y]
        if not right or not wrong:
            continue
        share = weight / (len(right) * len(wrong))
        for r in right:
            for w in wrong:
                diff = {n: r.get(n, 0.0) - w.get(n, 0.0) for n in names}
                data += [(diff, 1), ({n: -v for n, v in diff.items()}, 0)]
                weights += [share, share]
    return data, weights


def _replace_dict(text: str, name: str, values: dict[str, float]) -> str:
    body = "".join(f'    "{k}": {v},\n' for k, v in values.items())
    return re.sub(
        rf"{name}: dict\[str, float\] = \{{\n.*?\n\}}\n",
        f"{name}: dict[str, float] = {{\n{body}}}\n",
        text,
        flags=re.S,
    )


def write(
    weights: dict[str, float],
    bias: float,
    confidence: dict[str, float],
    answerable: dict[str, float],
) -> None:
    text = _replace_dict(CONFIG.read_text(), "DEFAULT_WEIGHTS", weights)
    text = re.sub(r"DEFAULT_BIAS = -?[\d.]+", f"DEFAULT_BIAS = {bias}", text)
    text = _replace_dict(text, "DEFAULT_CONFIDENCE", confidence)
    text = _replace_dict(text, "DEFAULT_ANSWERABLE", answerable)
    CONFIG.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus-db", type=Path, help="seeds + three corpora, reused or built")
    parser.add_argument("--write", action="store_true", help="write the weights into config.py")
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--elsewhere",
        action="store_true",
        help="also count questions about briefings and podcasts asked of the seeds alone as"
        " unanswerable (stricter: fewer guesses, more empty replies)",
    )
    args = parser.parse_args()
    nonsense = [q for i, (_, q) in enumerate(nonsense_queries()) if i % 2 == 0]
    data: list[Example] = []
    with tempfile.TemporaryDirectory() as tmp:
        seeds = Path(tmp) / "seeds.db"
        ingest(store.open_db(seeds), [SEEDS], workers=1)
        mixed = corpus_db(args.corpus_db, Path(tmp), with_seeds=True)
        mixed_conn = store.connect_readonly(mixed)
        # questions about briefings and podcasts have no answer in the seeds alone
        elsewhere = [
            q.query
            for q in corpus_queries(mixed_conn)[0]
            if q.calibration and q.person != "Vladimir Putin"
        ]
        for path in (seeds, mixed):
            conn = store.connect_readonly(path)
            sets = [
                seed_queries(conn, "natural_seeds.tsv")[0],
                seed_queries(conn, "seeds_hand.tsv")[0],
            ]
            if path == mixed:
                sets.append(corpus_queries(conn)[0])
                sets.append(misremembered(conn, FIT_QUOTES, FIT_SEED))
            chosen = [q for qs in sets for q in qs if q.calibration or q.window is not None]
            data += examples(
                path, chosen, nonsense + (elsewhere if path == seeds and args.elsewhere else [])
            )
    names = list(DEFAULT_WEIGHTS)
    ranking, ranking_weights = pairs([(e.group, e.weight) for e in data if e.answerable], names)
    weights, _ = fit(ranking, names, ranking_weights, intercept=False)
    # a signal the query sets never exercise (no dates or exact phrases asked) keeps
    # its configured weight rather than the fit's 0
    weights = {
        n: weights[n] if any(abs(x.get(n, 0.0)) > 0 for x, _ in ranking) else DEFAULT_WEIGHTS[n]
        for n in names
    }
    bias = 0.0  # ranking needs no intercept; relevance 0 is an empty candidate's
    firsts = first_hits(data, weights, bias)
    features = [*names, "relevance", "lead"]
    meant = [(f, y) for f, y, answerable in firsts if answerable]
    sure, sure_offset = fit(meant, features)
    asked = [(f, int(answerable)) for f, _, answerable in firsts]
    covered, covered_offset = fit(asked, ANSWERABLE_FEATURES, balanced([y for _, y in asked]))
    confidence = {**sure, "offset": sure_offset}
    answerable = {**covered, "offset": covered_offset}
    result = {
        "queries": len(firsts),
        "first_right": sum(y for _, y in meant),
        "unanswerable": sum(1 for _, y in asked if not y),
        "weights": weights,
        "confidence": confidence,
        "answerable": answerable,
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"{result['queries']} queries ({result['first_right']} ranked right first,"
            f" {result['unanswerable']} unanswerable)"
        )
        print(f"  {'signal':<20} {'ranking':>8} {'sure':>8} {'answers':>8}")
        for name in features:
            print(
                f"  {name:<20} {weights.get(name, 0.0):>8.3f} {confidence.get(name, 0.0):>8.3f}"
                f" {answerable.get(name, 0.0):>8.3f}"
            )
        print(f"  {'offset':<20} {'':>8} {sure_offset:>8.3f} {covered_offset:>8.3f}")
    if args.write:
        write(weights, bias, confidence, answerable)


if __name__ == "__main__":
    main()
