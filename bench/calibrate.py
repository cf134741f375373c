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

CONFIG = ROOT / "bot" / "search" / "config.py"
# Generated quotes for fitting come from another sample than the measured one (7).
FIT_SEED, FIT_QUOTES = 11, 300
# A generated quote counts this much of a hand-written query in the fit.
QUOTE_WEIGHT = 0.3
# Candidates per query kept as examples (the ones search ranks first).
PER_QUERY = 10
# L2 penalty (in examples' units) keeps rare signals from huge weights; Newton's
# method converges in a few steps.
L2, NEWTON_STEPS = 5.0, 12


Group = list[tuple[dict, int]]


def examples(
    path: Path, queries: list[Labelled], wrong_only: list[str]
) -> list[tuple[Group, float]]:
    """Per query, every candidate search scored: (signals, 1 if it is the answer meant),
    and the query's weight (generated quotes weigh less: they are many and alike)."""
    searcher = Searcher(path)
    conn = store.connect_readonly(path)
    groups = []
    for q in queries:
        hits = searcher.search(q.query, limit=PER_QUERY, threshold=0.0)
        group = [(h.signals, int(is_right(conn, h.id, q, lenient=True))) for h in hits]
        groups.append((group, QUOTE_WEIGHT if q.window is not None else 1.0))
    for query in wrong_only:
        hits = searcher.search(query, limit=PER_QUERY, threshold=0.0)
        groups.append(([(h.signals, 0) for h in hits], 1.0))
    return groups


def first_hits(
    groups: list[Group], weights: dict[str, float], bias: float
) -> list[tuple[dict, int]]:
    """Per query, the hit the fitted relevance ranks first, with its relevance and lead
    (a query with no candidates at all is left out: it shows nothing anyway)."""
    out = []
    for group in groups:
        if not group:
            continue
        scored = sorted(
            ((bias + sum(weights.get(k, 0.0) * v for k, v in s.items()), y) for s, y in group),
            key=lambda item: -item[0],
        )
        rel, right = scored[0]
        known = group[0][0].get("known", 1.0)
        lead = rel - scored[1][0] if len(scored) > 1 else 0.0
        out.append(({"relevance": rel, "lead": lead, "known": known}, right))
    return out


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


def write(weights: dict[str, float], bias: float, calibration: dict[str, float]) -> None:
    text = CONFIG.read_text()
    body = "".join(f'    "{k}": {v},\n' for k, v in weights.items())
    text = re.sub(
        r"DEFAULT_WEIGHTS: dict\[str, float\] = \{\n.*?\n\}\n",
        f"DEFAULT_WEIGHTS: dict[str, float] = {{\n{body}}}\n",
        text,
        flags=re.S,
    )
    text = re.sub(r"DEFAULT_BIAS = -?[\d.]+", f"DEFAULT_BIAS = {bias}", text)
    body = "".join(f'    "{k}": {v},\n' for k, v in calibration.items())
    text = re.sub(
        r"DEFAULT_CONFIDENCE: dict\[str, float\] = \{\n.*?\n\}\n",
        f"DEFAULT_CONFIDENCE: dict[str, float] = {{\n{body}}}\n",
        text,
        flags=re.S,
    )
    CONFIG.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus-db", type=Path, help="seeds + three corpora, reused or built")
    parser.add_argument("--write", action="store_true", help="write the weights into config.py")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    nonsense = [q for i, (_, q) in enumerate(nonsense_queries()) if i % 2 == 0]
    data: list[tuple[Group, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        seeds = Path(tmp) / "seeds.db"
        ingest(store.open_db(seeds), [SEEDS], workers=1)
        mixed = corpus_db(args.corpus_db, Path(tmp), with_seeds=True)
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
            data += examples(path, chosen, nonsense)
    names = list(DEFAULT_WEIGHTS)
    candidates = [c for group, _ in data for c in group]
    ranking, ranking_weights = pairs(data, names)
    weights, _ = fit(ranking, names, ranking_weights, intercept=False)
    # the relevance of an empty candidate: below every real one
    bias = 0.0
    firsts = first_hits([g for g, _ in data], weights, bias)
    shown, offset = fit(firsts, ["relevance", "lead", "known"])
    calibration = {**shown, "offset": offset}
    right = sum(y for _, y in firsts)
    result = {
        "candidates": len(candidates),
        "queries": len(firsts),
        "first_right": right,
        "weights": weights,
        "bias": bias,
        "calibration": calibration,
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(f"{len(candidates)} candidates of {len(firsts)} queries ({right} ranked right first)")
        for name, value in weights.items():
            print(f"  {name:<20} {value:>8.3f}")
        print(f"  {'bias':<20} {bias:>8.3f}")
        print("  confidence: " + ", ".join(f"{k} {v}" for k, v in calibration.items()))
    if args.write:
        write(weights, bias, calibration)


if __name__ == "__main__":
    main()
