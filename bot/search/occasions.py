"""Occasions: where and to whom something was said, as the sources' titles and places
name them ("putin at valdai on the west", "the tass interview", "direct line 2017",
"jean-pierre in dublin", "putin meeting with rouhani").

A user who remembers the event but not the words names it, and the answer rarely
does: such words are the answer's context, as the question asked before it is. A
word, or two words side by side, name an occasion when the titles and places of few
sources hold them, and name them more often than answers speak of them: "valdai",
"tass", "sochi", "direct line", "energy week" are occasions; "ukraine", "vaccine",
"economic" are in titles too, but answers speak of them more.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from itertools import pairwise

from ..words import FUNCTION_WORDS, stem, words
from .config import SearchConfig
from .query import is_date_word

Pair = tuple[str, str]
# How many answers hold two words side by side, counting up to a cap: (pair, cap) -> n.
PhraseCount = Callable[[Pair, int], int]


def _context_words(text: str) -> list[str | None]:
    """The folded words of a title and place, None for each word that names nothing
    (a function word, a number, a date), so that pairs are of words side by side."""
    return [
        None if w in FUNCTION_WORDS or w.isdigit() or is_date_word(w) else w for w in words(text)
    ]


@dataclass(frozen=True)
class Occasions:
    """The words naming occasions, and which sources each names."""

    # folded word -> the sources whose title or place holds it
    sources_of: Mapping[str, frozenset[int]]
    # two words side by side in the titles or places of few sources -> those sources
    pairs_of: Mapping[Pair, frozenset[int]]
    # source -> the stems of the words of its title and place that may name it
    stems_of: Mapping[int, frozenset[str]]
    # pair -> the most answers holding it side by side for it to name an occasion (for
    # titles to name it ``occasion_likelier`` times as often as answers speak of it)
    pair_caps: Mapping[Pair, int]

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
        paired: dict[Pair, set[int]] = {}
        count = 0
        for source, context in sources:
            count += 1
            named = _context_words(context)
            for word in set(named) - {None}:
                held.setdefault(word, set()).add(source)  # type: ignore[arg-type]
            for one, other in pairwise(named):
                if one and other:
                    paired.setdefault((one, other), set()).add(source)
        most = max(1.0, config.occasion_sources * count)
        sources_of: dict[str, frozenset[int]] = {}
        for word, ids in held.items():
            if len(ids) > most:
                continue
            answer_share = doc_freq.get(stem(word), 0) / max(1, answers)
            if len(ids) / count >= config.occasion_likelier * answer_share:
                sources_of[word] = frozenset(ids)
        pairs_of = {pair: frozenset(ids) for pair, ids in paired.items() if len(ids) <= most}
        stems_of: dict[int, set[str]] = {}
        for word, ids in sources_of.items():
            for source in ids:
                stems_of.setdefault(source, set()).add(stem(word))
        for pair, ids in pairs_of.items():
            for source in ids:
                stems_of.setdefault(source, set()).update(map(stem, pair))
        caps = {
            pair: int(len(ids) / count * answers / config.occasion_likelier)
            for pair, ids in pairs_of.items()
        }
        return cls(sources_of, pairs_of, {s: frozenset(v) for s, v in stems_of.items()}, caps)

    def named(
        self, topic: list[str], phrase_count: PhraseCount | None = None
    ) -> tuple[list[str], tuple[int, ...]]:
        """(the words of ``topic`` (in order) naming an occasion, the sources they name:
        those holding most of them). A pair of words is an occasion when answers hold
        it side by side less often than titles do (``phrase_count``)."""
        keys: list[frozenset[int]] = []
        found: list[str] = []
        for word in topic:
            if word in self.sources_of and word not in found:
                keys.append(self.sources_of[word])
                found.append(word)
        if phrase_count is not None:
            for pair in pairwise(topic):
                ids = self.pairs_of.get(pair)
                if ids is None or any(w in self.sources_of for w in pair):
                    continue
                cap = self.pair_caps[pair]
                if phrase_count(pair, cap + 1) <= cap:
                    keys.append(ids)
                    found += [w for w in pair if w not in found]
        if not keys:
            return [], ()
        held: dict[int, int] = {}
        for ids in keys:
            for source in ids:
                held[source] = held.get(source, 0) + 1
        most = max(held.values())
        return found, tuple(sorted(s for s, n in held.items() if n == most))

    def context(self, source: int, occasion: frozenset[str]) -> frozenset[str]:
        """The stems of an asked ``occasion`` that ``source``'s title or place holds."""
        return occasion & self.stems_of.get(source, frozenset())
