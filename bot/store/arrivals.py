"""What alerts read of the corpus: its sources as content and path, and their answers.

Follows are matched against sources as they arrive (see :mod:`bot.follows`); these
queries take a read-only corpus connection, like search's, and never write.
"""

from __future__ import annotations

import sqlite3
from typing import Any


def _dicts(cursor: sqlite3.Cursor) -> list[dict[str, Any]]:
    columns = [c[0] for c in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor]


def arrival(ingested_at: str, source_id: int) -> str:
    """Where a source stands in the order of arrival: its ingest time, then its id (one
    second holds several files; a new source gets a larger id than any before it)."""
    return f"{ingested_at} {source_id:012d}"


def newest_arrival(conn: sqlite3.Connection) -> str:
    """:func:`arrival` of the source ingested last ('' for an empty corpus)."""
    row = conn.execute(
        "SELECT ingested_at, id FROM sources ORDER BY ingested_at DESC, id DESC LIMIT 1"
    ).fetchone()
    return arrival(*row) if row else ""


def source_marks(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every source: id, sha256, path, its :func:`arrival` and what a message names it
    by."""
    rows = _dicts(
        conn.execute(
            "SELECT id, sha256, path, ingested_at, title, date, place, url, file FROM sources"
            " ORDER BY id"
        )
    )
    for row in rows:
        row["arrival"] = arrival(row["ingested_at"], row["id"])
    return rows


def source_answers(conn: sqlite3.Connection, source_ids: list[int]) -> list[dict[str, Any]]:
    """The answers of these sources by a known person, in order: id, source_id,
    position, person (the canonical name), text, question."""
    if not source_ids:
        return []
    marks = ", ".join("?" for _ in source_ids)
    return _dicts(
        conn.execute(
            "SELECT t.id, t.source_id, t.position, p.name AS person, t.text, t.question"
            " FROM turns t JOIN people p ON p.id = t.person_id"
            f" WHERE t.is_answer AND t.source_id IN ({marks}) ORDER BY t.id",
            source_ids,
        )
    )
