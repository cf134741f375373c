"""Would semantic recall pay? A static embedding model beside quotebot's lexical search.

Search ships without embeddings; this probe is what decided it. It embeds every
answer with the static model shipped in the ``wordllama`` wheel (its files loaded
directly: a token embedding table and a tokenizer, mean-pooled; nothing is
downloaded), then measures over the seeds alone and over the seeds mixed into the
corpora:

- semantic recall alone: is the right answer among the nearest answers (top 1, 3,
  20), the named person's answers nudged first;
- the two together: quotebot's candidates (every one it scores) and the 20 nearest
  answers, ranked by quotebot's relevance plus ``w`` times the cosine similarity;
- re-ranking by passage: quotebot's first ``RERANKED`` candidates (the rounds a
  shown search looks at) ordered by relevance plus ``w`` times the best cosine of
  any passage of ``PASSAGE_WORDS`` words in the answer (a long answer is many
  topics: its mean is none of them), for queries quotebot answers at all (so only
  the order can change), misremembered lines too over the mixed corpus;
- what it costs: seconds to embed every answer, megabytes of vectors, milliseconds
  a query.

Needs the probe extra: ``pip install -e '.[probe]'``.
Usage: python -m bench.semantic_probe [--corpus-db PATH] [--model FOLDER] [--json]
"""

from __future__ import annotations

import argparse
import importlib.resources
import json
import sqlite3
import tempfile
import time
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer

from bench.common import SEEDS, corpus_db, median
from bench.querysets import Labelled, corpus_queries, is_right, misremembered, seed_queries
from bot import store
from bot.ingest import ingest
from bot.search import Searcher
from bot.search.query import Query

# The wordllama model: its 256-dimension table (the first 256 of 1,024, a
# Matryoshka model) and the tokenizer it was trained with.
MODEL_FILES = (
    "weights/l2_supercat_256.safetensors",
    "tokenizers/l2_supercat_tokenizer_config.json",
)
# Nearest answers added to quotebot's candidates; cosine weights tried.
NEAREST = 20
COSINE_WEIGHTS = (0.0, 2.0, 4.0, 8.0)
# Cosine bonus of the named person's answers in semantic-only recall.
PERSON_NUDGE = 0.05
# Relevance given to an answer only semantic recall found (about the lowest a lexical
# candidate gets: it has none of the lexical signals).
SEMANTIC_ONLY_RELEVANCE = 3.0
# Re-ranking by passage: candidates re-ranked, words a passage (half of one overlaps
# the next: about three sentences, one point made), cosine weights tried.
RERANKED = 10
PASSAGE_WORDS = 40
PASSAGE_WEIGHTS = (0.0, 1.0, 2.0, 4.0)
# Misremembered lines over the mixed corpus re-ranked (each embeds its candidates).
RERANKED_QUOTES = 300


class StaticModel:
    """Mean of token vectors, unit length: the whole of a static embedding model.

    By default wordllama's; ``folder``: a model2vec model instead (its
    ``model.safetensors`` and ``tokenizer.json``, as ``save_pretrained`` writes them),
    such as one distilled from a sentence model."""

    def __init__(self, folder: Path | None = None) -> None:
        if folder is None:
            base = importlib.resources.files("wordllama")
            weights, tokenizer = (str(base / name) for name in MODEL_FILES)
            key = "embedding.weight"
        else:
            weights, tokenizer = str(folder / "model.safetensors"), str(folder / "tokenizer.json")
            key = "embeddings"
        self.table = load_file(weights)[key].astype(np.float32)
        self.tokenizer = Tokenizer.from_file(tokenizer)

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.table.shape[1]), np.float32)
        lowered = [t.lower() for t in texts]
        for i, enc in enumerate(self.tokenizer.encode_batch(lowered, add_special_tokens=False)):
            if enc.ids:
                out[i] = self.table[enc.ids].mean(axis=0)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)


def measure(model: StaticModel, path: Path, sets: dict[str, list[Labelled]]) -> dict:
    conn = sqlite3.connect(path)
    rows = conn.execute(
        "SELECT id, text, person_id FROM turns WHERE is_answer ORDER BY id"
    ).fetchall()
    ids = np.array([r[0] for r in rows])
    row_of = {int(i): k for k, i in enumerate(ids)}
    person_of = np.array([r[2] if r[2] is not None else -1 for r in rows])
    started = time.perf_counter()
    vectors = model.embed([r[1] for r in rows])
    result: dict = {
        "answers": len(rows),
        "embed_seconds": round(time.perf_counter() - started, 1),
        "vectors_mb_float32": round(vectors.nbytes / 2**20, 1),
    }
    searcher = Searcher(path)
    for name, queries in sets.items():
        alone, query_ms, data = [], [], []
        for q in queries:
            understood = searcher.understand(Query.parse(q.query))[0]
            t = time.perf_counter()
            vector = model.embed([" ".join(understood.topic) or q.query])[0]
            sims = vectors @ vector
            if understood.person is not None:
                sims = sims + PERSON_NUDGE * (person_of == understood.person)
            nearest = np.argpartition(-sims, NEAREST)[:NEAREST]
            nearest = [int(ids[j]) for j in nearest[np.argsort(-sims[nearest])]]
            query_ms.append((time.perf_counter() - t) * 1000)
            alone.append(next((k for k, i in enumerate(nearest) if i in q.expected), None))
            lexical = {
                h.id: h.signals["relevance"] for h in searcher.search(q.query, 30, threshold=0)
            }
            data.append((q, lexical, nearest, sims))
        figures = {
            f"semantic_top{k}": round(
                100 * sum(r is not None and r < k for r in alone) / len(alone), 1
            )
            for k in (1, 3, 20)
        }
        for w in COSINE_WEIGHTS:
            top1 = top3 = 0
            for q, lexical, nearest, sims in data:
                pool = dict(lexical)
                for i in nearest:
                    pool.setdefault(i, SEMANTIC_ONLY_RELEVANCE)
                order = sorted(pool, key=lambda i: -(pool[i] + w * float(sims[row_of[i]])))
                top1 += bool(order) and order[0] in q.expected
                top3 += any(i in q.expected for i in order[:3])
            figures[f"together_w{w:g}_top1"] = round(100 * top1 / len(data), 1)
            figures[f"together_w{w:g}_top3"] = round(100 * top3 / len(data), 1)
        figures["semantic_query_ms_p50"] = round(median(query_ms), 2)
        result[name] = figures
    return result


def passages(text: str) -> list[str]:
    """An answer's runs of ``PASSAGE_WORDS`` words, each starting half a run after the
    last."""
    tokens = text.split()
    step = PASSAGE_WORDS // 2
    return [
        " ".join(tokens[k : k + PASSAGE_WORDS]) for k in range(0, max(1, len(tokens) - step), step)
    ]


def rerank(model: StaticModel, path: Path, sets: dict[str, list[Labelled]], lenient: bool) -> dict:
    """Top-1 of quotebot's candidates re-ranked by relevance plus ``w`` times the best
    passage cosine, per set and weight (``w`` 0 is quotebot's own order); over the
    queries quotebot shows a hit for."""
    searcher = Searcher(path)
    conn = store.connect_readonly(path)
    cache: dict[int, np.ndarray] = {}
    result: dict = {}
    for name, queries in sets.items():
        scored = []
        for q in queries:
            if not searcher.search(q.query, limit=1):
                continue
            hits = searcher.search(q.query, RERANKED, threshold=0, as_shown=True)
            understood = searcher.understand(Query.parse(q.query))[0]
            vector = model.embed([" ".join(understood.topic) or q.query])[0]
            rows = []
            for h in hits:
                if h.id not in cache:
                    cache[h.id] = model.embed(passages(h.answer))
                rows.append((h.signals["relevance"], float((cache[h.id] @ vector).max()), h.id))
            scored.append((q, rows))
        figures = {"answered": len(scored)}
        for w in PASSAGE_WEIGHTS:
            right = sum(
                is_right(conn, max(rows, key=lambda r: r[0] + w * r[1])[2], q, lenient)
                for q, rows in scored
            )
            figures[f"passages_w{w:g}_top1"] = round(100 * right / max(1, len(scored)), 1)
        result[name] = figures
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus-db", type=Path, help="seeds + three corpora, reused or built")
    parser.add_argument("--model", type=Path, help="a model2vec folder instead of wordllama")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    model = StaticModel(args.model)
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        seeds = Path(tmp) / "seeds.db"
        ingest(store.open_db(seeds), [SEEDS], workers=1)
        mixed = corpus_db(args.corpus_db, Path(tmp), with_seeds=True)
        for setting, path in (("seeds", seeds), ("mixed", mixed)):
            conn = store.connect_readonly(path)
            sets = {
                "natural_seeds": seed_queries(conn, "natural_seeds.tsv")[0],
                "seeds_hand": seed_queries(conn, "seeds_hand.tsv")[0],
            }
            if setting == "mixed":
                sets["natural_corpora"] = corpus_queries(conn)[0]
            out[setting] = measure(model, path, sets)
            sets["held_out_seeds"] = seed_queries(conn, "held_out_seeds.tsv")[0]
            if setting == "mixed":
                sets["held_out_corpora"] = corpus_queries(conn, "held_out_corpora.tsv")[0]
                sets["framings"] = corpus_queries(conn, "framings.tsv")[0]
                sets["misremembered"] = misremembered(conn, RERANKED_QUOTES)
            out[setting]["rerank"] = rerank(model, path, sets, setting == "mixed")
    if args.json:
        print(json.dumps(out))
        return
    for setting, figures in out.items():
        print(
            f"{setting}: {figures['answers']} answers embedded in {figures['embed_seconds']} s,"
            f" {figures['vectors_mb_float32']} MB of vectors"
        )
        for name, f in figures.items():
            if isinstance(f, dict) and name != "rerank":
                print(f"  {name}: " + ", ".join(f"{k} {v}" for k, v in f.items()))
        print(f"  re-ranked by passage ({RERANKED} candidates, {PASSAGE_WORDS}-word passages):")
        for name, f in figures["rerank"].items():
            print(f"    {name}: " + ", ".join(f"{k} {v}" for k, v in f.items()))


if __name__ == "__main__":
    main()
