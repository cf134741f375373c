"""Occasions: where and to whom something was said, as the sources' titles and places
name them ("putin at valdai on the west", "the tass interview", "jean-pierre in
dublin", "putin meeting with rouhani").

A user who remembers the event but not the words names it, and the answer rarely
does: such a word is the answer's context, not a word it must hold. A word names an
occasion when the titles and places of few sources hold it, and they name it more
often than answers speak of it: "valdai", "tass", "sochi", "gaggle" are occasions;
"ukraine", "vaccine", "economic" are in titles too, but answers speak of them more.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..words import FUNCTION_WORDS, stem, words
from .config import SearchConfig
from .query import is_date_word


@dataclass(frozen=True)
class Occasions:
    """The words naming occasions, and which sources each names."""

    # folded word -> the sources whose title or place holds it
    sources_of: Mapping[str, frozenset[int]]
    # source -> the stems of its occasion words
    stems_of: Mapping[int, frozenset[str]]

    @classmethod
    def build(
        cls,
        sources: Iterable[tuple[int, str]],
        doc_freq: Mapping[str, int],
        answers: int,
        config: SearchConfig,
    ) -> Occasions:
        """From (source id, its title and place): ``doc_freq`` and ``answers`` are the
        index's (answers holding each stem, and all of them)."""
        held: dict[str, set[int]] = {}
        count = 0
        for source, context in sources:
            count += 1
            for word in set(words(context)):
                if word in FUNCTION_WORDS or word.isdigit() or is_date_word(word):
                    continue
                held.setdefault(word, set()).add(source)
        most = max(1.0, config.occasion_sources * count)
        sources_of: dict[str, frozenset[int]] = {}
        for word, ids in held.items():
            if len(ids) > most:
                continue
            answer_share = doc_freq.get(stem(word), 0) / max(1, answers)
            if len(ids) / count >= config.occasion_likelier * answer_share:
                sources_of[word] = frozenset(ids)
        stems_of: dict[int, set[str]] = {}
        for word, ids in sources_of.items():
            for source in ids:
                stems_of.setdefault(source, set()).add(stem(word))
        return cls(sources_of, {s: frozenset(v) for s, v in stems_of.items()})

    def named(self, topic: list[str]) -> tuple[list[str], tuple[int, ...]]:
        """(the words of ``topic`` naming an occasion, the sources they name): the
        sources holding most of those words (all of them, when any does)."""
        found = [w for w in dict.fromkeys(topic) if w in self.sources_of]
        if not found:
            return [], ()
        held: dict[int, int] = {}
        for word in found:
            for source in self.sources_of[word]:
                held[source] = held.get(source, 0) + 1
        most = max(held.values())
        return found, tuple(sorted(s for s, n in held.items() if n == most))

    def context(self, source: int, occasion: frozenset[str]) -> frozenset[str]:
        """The stems of an asked ``occasion`` that ``source``'s title or place holds."""
        return occasion & self.stems_of.get(source, frozenset())
