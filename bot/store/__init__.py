"""Every SQL statement of quotebot, and the schemas with their migrations.

Two databases: the corpus (sources, turns, the full-text index: rebuilt from
transcripts at any time, read-only for the bot) in :mod:`.corpus`, and chat state
(daily subscriptions, what each chat has seen) in :mod:`.state`, which must survive
a rebuild of the corpus. Nothing outside this package holds SQL text.
"""

from .corpus import (
    READS_WELL,
    SCHEMA_VERSION,
    TURN_ID_BASE,
    DatabaseError,
    corpus_stats,
    known_files,
    list_sources,
    open_db,
    save_transcript,
    source_with_hash,
)

__all__ = [
    "READS_WELL",
    "SCHEMA_VERSION",
    "TURN_ID_BASE",
    "DatabaseError",
    "corpus_stats",
    "known_files",
    "list_sources",
    "open_db",
    "save_transcript",
    "source_with_hash",
]
