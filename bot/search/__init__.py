"""Find the answer a person half-remembers, or what they said about a topic.

The ranking is a pipeline, one module a stage: :mod:`.query` (what the user asks:
phrases, a speaker, a person named, dates, the topic words), :mod:`.lexicon` (typos,
completion, word weights), :mod:`.candidates` (full-text lookups), :mod:`.scoring`
(one function per signal, weights in :class:`SearchConfig`) and :mod:`.excerpt` (the
sentences that matched); :mod:`.engine` runs them.
"""

from .engine import QUOTE_CHARS, Hit, Query, Searcher, split_sentences, standalone_quote

__all__ = ["QUOTE_CHARS", "Hit", "Query", "Searcher", "split_sentences", "standalone_quote"]
