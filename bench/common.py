"""Helpers shared by the benchmarks: where the corpora are, and medians."""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "corpora"
# The transcript folders of each corpus (SOURCE.md files beside them are not transcripts).
CORPUS_FOLDERS = {
    "kremlin_en_html": [CORPORA / "kremlin_en_html" / "news"],
    "wh_briefings": [
        CORPORA / "wh_briefings" / "press-briefings",
        CORPORA / "wh_briefings" / "remarks",
    ],
    "changelog_podcast": [CORPORA / "changelog_podcast" / "gotime"],
}


def corpus_paths() -> list[Path]:
    paths = [p for folders in CORPUS_FOLDERS.values() for p in folders]
    missing = [p for p in paths if not p.is_dir()]
    if missing:
        sys.exit(f"corpora not found: {', '.join(map(str, missing))}")
    return paths


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


SEEDS = ROOT / "data" / "transcripts"


def corpus_db(path: Path | None, scratch: Path, with_seeds: bool = False) -> Path:
    """A database of the three corpora (and the seeds, ``with_seeds``): ``path`` if it
    exists, else built (there, or in ``scratch`` when no path was given)."""
    from bot import store
    from bot.ingest import ingest

    if path is not None and path.exists():
        return path
    path = path or scratch / ("mixed.db" if with_seeds else "corpora.db")
    ingest(store.open_db(path), corpus_paths() + ([SEEDS] if with_seeds else []))
    return path
