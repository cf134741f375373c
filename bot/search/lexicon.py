"""What search knows of the corpus's words: typo correction, completion, word weights.

Loaded at once from the corpus and replaced whole when an ingest changes it, so a
search in progress always reads one consistent lexicon.
"""

from __future__ import annotations

import bisect
import math
import sqlite3
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA

from .. import store
from ..spelling import american
from ..words import FUNCTION_WORDS, scripts, stem
from .config import SearchConfig
from .dictionary import is_word

# Shortest word that is corrected or completed (shorter ones are too ambiguous) ...
MIN_CORRECTED = 4
# ... but for a letter left out of a word the language does not have ("tht", "knw").
MIN_RESTORED = 3
MIN_PREFIX = 3
# A corpus word seen fewer times than this is a correction target only when no more
# common word is as near: once-only words are often typos themselves.
MIN_TARGET_COUNT = 2
# In words shorter than this a different letter is a different word (mood, moon),
# unless the typed word is none of the language's (prlss, colrt: see .dictionary).
SHORT_WORD = 6
# Slips allowed: one in words shorter than this, two from this length on.
LONG_WORD = 10
# Plural endings taken off an unknown word to find its family.
PLURAL_ENDINGS = ("es", "s")
# A start of an unknown word stands for it when it is a word this long, and this
# share of the unknown word (``ransom`` of ``ransomware``).
MIN_RELATED, MIN_RELATED_SHARE = 5, 0.6
# ... and a completion of that start only when the start is this share of it
# (``migra`` of ``migration``, not ``recip`` of ``reciprocate`` for ``recipe``).
MIN_RELATED_SHARE_OF_FOUND = 0.5
# Letters of each of two words an unknown word may be written as, glued ("cyberattacks").
MIN_GLUED = 4
# A writing system is the corpus's when this share of its words are in it: the Kremlin's
# English pages hold 34 words in Cyrillic among 13.6 million (names as written).
WRITTEN_IN_SHARE = 0.01


def _dropped(typed: str, meant: str) -> bool:
    """``typed`` is ``meant`` with one letter left out, or one letter doubled."""
    if len(meant) == len(typed) + 1:
        return any(meant[:i] + meant[i + 1 :] == typed for i in range(len(meant)))
    if len(typed) == len(meant) + 1:
        return any(
            typed[i] == typed[i - 1] and typed[:i] + typed[i + 1 :] == meant
            for i in range(1, len(typed))
        )
    return False


def spellings_of(counts: dict[str, int]) -> dict[tuple[str, int], list[str]]:
    """Words of letters grouped by first letter and length, commonest first, for
    :func:`nearest` (typo correction keeps the first letter, looks at near lengths)."""
    grouped: dict[tuple[str, int], list[str]] = {}
    for word, _ in sorted(counts.items(), key=lambda kv: -kv[1]):
        if word.isalpha():
            grouped.setdefault((word[0], len(word)), []).append(word)
    return grouped


def nearest(
    word: str,
    spellings: dict[tuple[str, int], list[str]],
    counts: dict[str, int],
    non_word: bool = False,
) -> str | None:
    """The likeliest of ``counts``' words one slip from ``word`` (two in long words),
    ``spellings`` being them grouped (:func:`spellings_of`); ``non_word``: ``word`` is
    none of the language's words, so a wrong letter in a short one is a slip too."""
    # A slip is a letter dropped, doubled, swapped or wrong; the first letter is
    # rarely the one mistyped.
    if len(word) < MIN_CORRECTED:
        # three letters: only a letter left out ("tht", "knw") is told apart from
        # another word
        return max(
            (c for c in spellings.get((word[0], len(word) + 1), ()) if _dropped(word, c)),
            key=counts.__getitem__,
            default=None,
        )
    max_edits = 1 if len(word) < LONG_WORD else 2
    best: tuple[int, bool, int, str] | None = None
    # ... but the first two letters swapped are a slip too ("spaki", "hte")
    swapped = word[1] + word[0] + word[2:]
    if swapped != word and swapped in counts:
        best = (1, counts[swapped] < MIN_TARGET_COUNT, -counts[swapped], swapped)
    for length in range(len(word) - max_edits, len(word) + max_edits + 1):
        for candidate, distance, _ in process.extract(
            word,
            spellings.get((word[0], length), ()),
            scorer=OSA.distance,
            score_cutoff=max_edits,
            limit=10,
        ):
            slip = sorted(candidate) == sorted(word) or _dropped(word, candidate)
            if len(word) < SHORT_WORD and not slip and not non_word:
                # in short words a different or an extra letter is another word
                # (mood, moon; lime, lie): only swaps, drops and doubles are slips
                continue
            # a word seen twice beats one seen once (once-only words are often
            # slips themselves); then the commoner word, whatever the slip
            # (putn: putin, not punt; personel: personal, not personnel)
            key = (distance, counts[candidate] < MIN_TARGET_COUNT, -counts[candidate], candidate)
            if best is None or key < best:
                best = key
    return best[-1] if best else None


def spelling_variants(vocab: dict[str, int]) -> dict[str, tuple[str, ...]]:
    """American spelling -> the words of ``vocab`` spelled that way or in British,
    commonest first, for each word of ``vocab`` that has a British form there."""
    groups: dict[str, set[str]] = {}
    for word in vocab:
        us = american(word)
        if us != word:
            groups.setdefault(us, {us} if us in vocab else set()).add(word)
    return {us: tuple(sorted(ws, key=lambda w: (-vocab[w], w))) for us, ws in groups.items()}


def one_per_spelling(
    doc_freq: dict[str, int], variants: dict[str, tuple[str, ...]]
) -> dict[str, int]:
    """The index's answers per stem, with each word's spellings counted as one stem
    (the index keeps "organis" and "organ" apart; :data:`stem` makes them "organ").
    Answers holding both spellings count twice: rare, and only a weight."""
    written: dict[str, set[str]] = {}  # one stem -> the index's stems of its spellings
    for words in variants.values():
        one = stem(words[0])
        written.setdefault(one, {one}).update(stem.as_indexed(list(words)))
    merged = dict(doc_freq)
    for one, stems in written.items():
        merged[one] = sum(doc_freq.get(s, 0) for s in stems)
    return merged


@dataclass(frozen=True)
class Lexicon:
    """The corpus vocabulary and index statistics."""

    vocab: dict[str, int]
    doc_freq: dict[str, int]
    answers: int
    # Words grouped by first letter and length: typo correction keeps the first
    # letter and looks only at near lengths.
    spellings: dict[tuple[str, int], list[str]]
    # For completing the start of a word: words in order.
    sorted_words: list[str]
    signature: tuple[Any, ...]
    # Words in an answer on average (BM25's length normalisation).
    mean_words: float = 1.0
    # American spelling -> the corpus's words of it, British forms among them
    # ("organization": "organisation", "organization"), where it has a British one.
    variants: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def load(cls, conn: sqlite3.Connection) -> Lexicon:
        signature = store.signature(conn)
        vocab = store.vocabulary(conn)
        answers = store.indexed_answers(conn)
        spellings = spellings_of(vocab)
        sorted_words = sorted(w for w in vocab if w.isalpha())
        stem.learn(sorted(vocab, key=vocab.__getitem__, reverse=True))
        variants = spelling_variants(vocab)
        doc_freq = one_per_spelling(store.stem_answer_counts(conn), variants)
        mean_words = sum(vocab.values()) / answers if answers else 1.0
        return cls(
            vocab, doc_freq, answers, spellings, sorted_words, signature, mean_words, variants
        )

    def families(
        self, stems: Iterable[str], endings: Iterable[str], shortest: int
    ) -> dict[str, str]:
        """The corpus's stems of the same family as ``stems`` (each one with one of
        ``endings`` more or less, both at least ``shortest`` letters), mapped to the
        stem of ``stems`` they belong to; none of ``stems`` itself."""
        asked = list(stems)
        found: dict[str, str] = {}
        for one in asked:
            if len(one) < shortest:
                continue
            for ending in endings:
                longer = one + ending
                shorter = one[: -len(ending)] if one.endswith(ending) else ""
                for other in (longer, shorter):
                    if len(other) >= shortest and other in self.doc_freq:
                        found.setdefault(other, one)
        return {other: one for other, one in found.items() if other not in asked}

    def variants_of(self, word: str) -> tuple[str, ...]:
        """``word`` and the corpus's other spellings of it ("organisation",
        "organization"), ``word`` first: a lookup must find either."""
        found = self.variants.get(american(word), ())
        return (word, *(w for w in found if w != word))

    @cached_property
    def scripts(self) -> set[str]:
        """The writing systems the corpus is written in (a query in none of them is in
        another language): those of at least ``WRITTEN_IN_SHARE`` of its words."""
        counts: Counter[str] = Counter()
        for word, n in self.vocab.items():
            for script in scripts(word[:1]):
                counts[script] += n
        total = sum(counts.values())
        return {s for s, n in counts.items() if n >= WRITTEN_IN_SHARE * total}

    def idf(self, word: str) -> float:
        df = self.doc_freq.get(stem(word), 0)
        return math.log((self.answers - df + 0.5) / (df + 0.5) + 1)

    def share(self, word: str) -> float:
        """The share of answers that hold ``word`` (by its stem)."""
        return self.doc_freq.get(stem(word), 0) / max(1, self.answers)

    def established(self, word: str) -> bool:
        """The corpus has ``word`` as a word in its own right: more than once, or as
        one of the language's ("puttin", once in a podcast, may be a slip of a name)."""
        seen = self.vocab.get(word, 0)
        return seen >= MIN_TARGET_COUNT or (seen > 0 and is_word(word))

    def correct(self, word: str) -> str | None:
        """The corpus word a misspelled ``word`` most likely meant, or None.

        A word the corpus never has is a slip of a word it has (``acutally``), even
        when a stem happens to match (``acut`` of ``acute``); failing that, a form of a
        word it has (``usefulness`` beside ``useful``, the same stem in the index)
        stands as typed; failing that, it is the start of a word (``traffic`` ->
        ``trafficking``).
        """
        if word in self.vocab:
            return word
        if not word.isalpha() or len(word) < MIN_RESTORED:
            return None
        non_word = len(word) < SHORT_WORD and not is_word(word)
        if len(word) < MIN_CORRECTED:
            return self.nearest(word, non_word) if non_word else None
        nearest = self.nearest(word, non_word)
        if nearest is not None:
            return nearest
        if stem(word) in self.doc_freq:
            return word
        return self.completion(word) or self.related(word)

    def split(self, word: str) -> tuple[str, str] | None:
        """Two corpus words an unknown ``word`` is written as, glued ("cyberattacks":
        "cyber attacks"), each at least ``MIN_GLUED`` letters and seen more than once:
        of several ways, the one whose rarer word is commonest. Not a word of the
        language: "underused" is not "under used", its own word the corpus lacks."""
        if not word.isalpha() or is_word(word):
            return None
        best: tuple[int, tuple[str, str]] | None = None
        for i in range(MIN_GLUED, len(word) - MIN_GLUED + 1):
            head, tail = word[:i], word[i:]
            seen = min(self.vocab.get(head, 0), self.vocab.get(tail, 0))
            if seen >= MIN_TARGET_COUNT and (best is None or seen > best[0]):
                best = (seen, (head, tail))
        return best[1] if best else None

    def compounds(self, tokens: list[str]) -> dict[str, tuple[str, str]]:
        """The corpus words that two consecutive ``tokens`` are written as in one
        ("cease fire": "ceasefire", "cyber security": "cybersecurity"), each mapped to
        the pair: an answer holding either way says what the query says. Words of at
        least ``MIN_GLUED`` letters, none a function word ("for a" is no "fora", "up
        on" no "upon"), the joined word seen more than once."""
        found: dict[str, tuple[str, str]] = {}
        for head, tail in pairwise(tokens):
            if (
                len(head) < MIN_GLUED
                or len(tail) < MIN_GLUED
                or not (head + tail).isalpha()
                or head in FUNCTION_WORDS
                or tail in FUNCTION_WORDS
            ):
                continue
            if self.vocab.get(head + tail, 0) >= MIN_TARGET_COUNT:
                found[head + tail] = (head, tail)
        return found

    def related(self, word: str) -> str | None:
        """A corpus word of the same family as an unknown ``word``: its singular's
        commonest longer form (``kurds`` -> ``kurdish``), else its longest start that is
        a word (``ransomware`` -> ``ransom``)."""
        for ending in PLURAL_ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= MIN_CORRECTED:
                base = word[: -len(ending)]
                if base in self.vocab:
                    return base
                found = self.completion(base)
                if found:
                    return found
        for size in range(len(word) - 1, MIN_RELATED - 1, -1):
            if size / len(word) < MIN_RELATED_SHARE:
                break
            start = word[:size]
            if start in self.vocab:
                return start
            found = self.completion(start)
            if found and size / len(found) >= MIN_RELATED_SHARE_OF_FOUND:
                return found
        return None

    def nearest(self, word: str, non_word: bool = False) -> str | None:
        """The likeliest corpus word one slip from ``word`` (two in long words)."""
        return nearest(word, self.spellings, self.vocab, non_word)

    def typed(self, word: str, config: SearchConfig) -> str | None:
        """What a word still being typed most likely becomes: its commonest completion
        when the word is unknown or far rarer than it (``tolst`` -> ``tolstoy``)."""
        completion = self.completion(word, config.completions)
        if completion and self.vocab[completion] >= config.typed_likelier * self.vocab.get(word, 0):
            return completion
        return None

    def completion(self, prefix: str, limit: int = 5000) -> str | None:
        """The commonest corpus word that starts with ``prefix`` and is longer."""
        if len(prefix) < MIN_PREFIX or not prefix.isalpha():
            return None
        start = bisect.bisect_right(self.sorted_words, prefix)
        end = bisect.bisect_left(self.sorted_words, prefix + "\U0010ffff", lo=start)
        longer = self.sorted_words[start : min(end, start + limit)]
        return max(longer, key=self.vocab.__getitem__, default=None)
