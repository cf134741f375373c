"""Every SQL statement of quotebot, and the schemas with their migrations.

Two databases: the corpus (sources, turns, the full-text index: rebuilt from
transcripts at any time, read-only for the bot) in :mod:`.corpus`, and chat state
(daily subscriptions, what each chat has seen) in :mod:`.state`, which must survive
a rebuild of the corpus. Nothing outside this package holds SQL text.
"""

from .connection import DatabaseError, connect_readonly, file_of, writing
from .corpus import (
    READS_WELL,
    SCHEMA_VERSION,
    TURN_ID_BASE,
    answer_ids,
    answer_rows,
    answer_texts,
    corpus_fact,
    corpus_stats,
    has_sources,
    indexed_answers,
    known_files,
    link_people,
    list_sources,
    match_answers,
    open_db,
    pending_migrations,
    people_rows,
    person_quote_ids,
    reads_well_ids,
    replace_corpus,
    save_transcript,
    set_corpus_fact,
    signature,
    source_with_hash,
    speaker_sources,
    stem_answer_counts,
    texts_with,
    vocabulary,
)
from .state import State, default_path

__all__ = [
    "READS_WELL",
    "SCHEMA_VERSION",
    "TURN_ID_BASE",
    "DatabaseError",
    "State",
    "answer_ids",
    "answer_rows",
    "answer_texts",
    "connect_readonly",
    "corpus_fact",
    "corpus_stats",
    "default_path",
    "file_of",
    "has_sources",
    "indexed_answers",
    "known_files",
    "link_people",
    "list_sources",
    "match_answers",
    "open_db",
    "pending_migrations",
    "people_rows",
    "person_quote_ids",
    "reads_well_ids",
    "replace_corpus",
    "save_transcript",
    "set_corpus_fact",
    "signature",
    "source_with_hash",
    "speaker_sources",
    "stem_answer_counts",
    "texts_with",
    "vocabulary",
    "writing",
]
