"""Find the answer a person half-remembers.

Full-text search (FTS5, porter stemming, over answers and the questions before
them) picks candidates; rapidfuzz then aligns the query with the best-matching
stretch of each candidate (a partial alignment), so a short misremembered line is
compared with the words it came from, not with a whole long answer. Query words the corpus does not know are
corrected against the corpus vocabulary first. A hit must clear a confidence
threshold: for a query nothing answers, the result is empty.
"""

from __future__ import annotations

import bisect
import math
import random as random_module
import re
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import sqlite_utils
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from .. import store
from ..words import stem, words

MAX_QUERY_CHARS = 500
QUOTE_CHARS = 400
# Score weights (tuned on bench/search_quality.py): sentence alignment 0-100,
# idf-weighted share of query words found, bm25 relative to the best candidate.
W_FUZZY, W_COVERAGE, W_BM25 = 0.7, 30.0, 5.0
# A word found only in the question counts this much; a query that reads like
# the question asked counts this much of a match with the answer itself.
QUESTION_WEIGHT, QUESTION_FUZZY = 1.0, 1.0
# Query words used for candidate lookups, rarest first.
MAX_TERMS = 6
OR_TERMS = 4
# Fewer candidates than this from a lookup, and no hit scoring CONFIDENT: widen.
ENOUGH = 3
CONFIDENT = 85
ANALYSIS_CACHE = 2048
# Candidates (best bm25 first) that are scored.
COVERAGE_POOL = 10
# A hit scores 0-100; below this it is not shown.
MIN_SCORE = 58
# A word being typed becomes its commonest completion when that is this many times
# as common; completions looked at per prefix.
TYPED_LIKELIER, COMPLETIONS = 10, 5000
# Words in more than this share of answers carry no meaning for search ("the").
COMMON_SHARE = 0.35
_NEXT = r"\s+(?=[\"“‘(\[]?[A-Z0-9])"
_SENTENCE_END = re.compile(rf"(?<=[.!?…]){_NEXT}|(?<=[.!?…][\"”’)\]]){_NEXT}|\n+")
_SPEAKER_FILTER = re.compile(r"(?:^|\s)speaker:(\"[^\"]*\"?|\S+)", re.I)
_PHRASE = re.compile(r"\"([^\"]+)\"")


@dataclass(frozen=True)
class Hit:
    """One answer found for a query, with the excerpt that matched best."""

    id: int
    speaker: str
    quote: str
    answer: str
    question: str
    asked_by: str | None
    title: str | None
    date: str | None
    place: str | None
    url: str | None
    file: str
    timestamp: str | None
    score: int

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Query:
    """A user's query split into free text, exact phrases and a speaker filter.

    ``typing``: the query is still being typed (inline mode), so its last free word
    may be the start of a word.
    """

    text: str = ""
    phrases: list[str] = field(default_factory=list)
    speaker: str | None = None
    typing: bool = False

    @classmethod
    def parse(cls, raw: str, typing: bool = False) -> Query:
        raw = (raw or "")[:MAX_QUERY_CHARS].replace("“", '"').replace("”", '"')
        typing = typing and raw[-1:].isalnum()
        speaker = None
        match = _SPEAKER_FILTER.search(raw)
        if match:
            typing = typing and match.end() < len(raw)
            speaker = match[1].strip('"').strip() or None
            raw = raw[: match.start()] + " " + raw[match.end() :]
        phrases = [p.strip() for p in _PHRASE.findall(raw) if words(p)]
        text = _PHRASE.sub(" ", raw).replace('"', " ")
        return cls(" ".join(text.split()), phrases, speaker, typing)

    @property
    def all_words(self) -> list[str]:
        return words(" ".join([*self.phrases, self.text]))


def split_sentences(text: str) -> list[str]:
    """Sentences of an answer, paragraph breaks included, in order."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def _align(query: str, text: str) -> float:
    """0-100: how well the query matches the best stretch of ``text`` (folded)."""
    if len(text) >= len(query):
        return fuzz.partial_ratio(query, text)
    return fuzz.ratio(query, text)


def _shorten(text: str, limit: int = QUOTE_CHARS) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:—– ")
    return cut + "…"


def _fts_term(word: str) -> str:
    return f'"{word}"'


@dataclass
class Understood:
    """A query as the corpus sees it.

    ``words``: every word, typos corrected, unknown words dropped; ``terms``: the ones
    worth a full-text lookup; ``weights``: idf per distinct word; ``known``: the share
    of the typed words the corpus knows (corrected ones count for less).
    """

    words: list[str]
    terms: list[str]
    weights: dict[str, float]
    known: float


@dataclass(frozen=True)
class Lexicon:
    """What search knows of the corpus's words; loaded at once and replaced whole."""

    vocab: dict[str, int]
    doc_freq: dict[str, int]
    answers: int
    # Words grouped by first letter and length: typo correction keeps the first
    # letter and looks only at near lengths.
    spellings: dict[tuple[str, int], list[str]]
    # For completing the start of a word: words in order.
    sorted_words: list[str]
    signature: tuple[Any, ...]

    @classmethod
    def load(cls, conn: sqlite3.Connection) -> Lexicon:
        signature = store.signature(conn)
        vocab = store.vocabulary(conn)
        # Stems and the number of answers that hold them, straight from the index.
        doc_freq = store.stem_answer_counts(conn)
        answers = store.indexed_answers(conn)
        spellings: dict[tuple[str, int], list[str]] = {}
        for word, count in sorted(vocab.items(), key=lambda kv: -kv[1]):
            if count >= 2 and word.isalpha():
                spellings.setdefault((word[0], len(word)), []).append(word)
        sorted_words = sorted(w for w in vocab if w.isalpha())
        return cls(vocab, doc_freq, answers, spellings, sorted_words, signature)


class Searcher:
    """Search over one database. Build it once per process and reuse it."""

    def __init__(self, corpus: sqlite_utils.Database | str | Path) -> None:
        """``corpus``: the corpus file (or an open database of it, whose file is used).

        Every thread (the bot searches in worker threads) gets its own read-only
        connection: a SQLite connection belongs to one thread, and search never writes.
        """
        if isinstance(corpus, sqlite_utils.Database):
            corpus = store.file_of(corpus)
        self.path = Path(corpus)
        self._local = threading.local()
        self._lex = Lexicon.load(self._conn())
        self._reads_well: list[int] | None = None
        # Long answers come back as candidates again and again: keep their analysis.
        self._analysis = lru_cache(maxsize=ANALYSIS_CACHE)(self._analyse)

    @property
    def vocab(self) -> dict[str, int]:
        """Every word of the corpus and how often it occurs."""
        return self._lex.vocab

    @property
    def doc_freq(self) -> dict[str, int]:
        """Every stem in the index and the number of answers that hold it."""
        return self._lex.doc_freq

    @property
    def answers(self) -> int:
        return self._lex.answers

    def refresh(self) -> bool:
        """Reload what search knows of the corpus's words when an ingest changed it
        (the bot keeps running while transcripts are added); True when it did."""
        conn = self._conn()
        if store.signature(conn) == self._lex.signature:
            return False
        self._lex = Lexicon.load(conn)
        self._reads_well = None
        return True

    @staticmethod
    def _analyse(answer_id: int, text: str) -> tuple[str, frozenset[str]]:
        """(folded text, Porter stems of its words) of one answer."""
        tokens = words(text)
        return " ".join(tokens), frozenset(stem.many(set(tokens)))

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = store.connect_readonly(self.path)
            self._local.conn = conn
        return conn

    def stats(self) -> dict[str, Any]:
        """What the corpus holds (:func:`store.corpus_stats`), from any thread."""
        return store.corpus_stats(self._conn())

    # -- query understanding -------------------------------------------------
    def idf(self, word: str) -> float:
        df = self.doc_freq.get(stem(word), 0)
        return math.log((self.answers - df + 0.5) / (df + 0.5) + 1)

    def is_common(self, word: str) -> bool:
        return self.doc_freq.get(stem(word), 0) > COMMON_SHARE * self.answers

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
        if len(word) < 4 or not word.isalpha():
            return None
        nearest = self._nearest(word)
        if nearest is not None:
            return nearest
        if stem(word) in self.doc_freq:
            return word
        return self._completion(word)

    def _nearest(self, word: str) -> str | None:
        """The likeliest corpus word one slip from ``word`` (two in long words)."""
        # A slip is a letter dropped, doubled, swapped or wrong; the first letter is
        # rarely the one mistyped.
        max_edits = 1 if len(word) < 10 else 2
        lex = self._lex  # one lexicon throughout, even if a refresh swaps it
        best: tuple[int, bool, int, str] | None = None
        for length in range(len(word) - max_edits, len(word) + max_edits + 1):
            for candidate, distance, _ in process.extract(
                word,
                lex.spellings.get((word[0], length), ()),
                scorer=OSA.distance,
                score_cutoff=max_edits,
                limit=10,
            ):
                # same letters in another order (a swap) beats a different letter
                key = (
                    distance,
                    sorted(candidate) != sorted(word),
                    -lex.vocab[candidate],
                    candidate,
                )
                if best is None or key < best:
                    best = key
        return best[-1] if best else None

    def understand(self, query: Query) -> Understood:
        """The query's words after typo correction, and how much the corpus knows."""
        original = query.all_words
        completed = self._typed(original[-1]) if query.typing and original else None
        typed = original[:-1] if completed else original
        corrected = [fixed for w in typed if (fixed := self.correct(w))]
        known = sum(1 for w in original if w in self.vocab)
        if completed:
            # the word being typed: its likeliest ending counts as known
            known += original[-1] not in self.vocab
            corrected.append(completed)
        distinct = list(dict.fromkeys(corrected))
        terms = [w for w in distinct if not self.is_common(w)]
        if not terms and len(distinct) <= 3:
            terms = distinct
        fixed = len(corrected) - known
        share = (known + 0.7 * fixed) / len(original) if original else 0.0
        return Understood(corrected, terms, {w: self.idf(w) for w in distinct}, share)

    def _typed(self, word: str) -> str | None:
        """What a word still being typed most likely becomes: its commonest completion
        when the word is unknown or far rarer than it (``tolst`` -> ``tolstoy``)."""
        vocab = self._lex.vocab
        completion = self._completion(word)
        # .get: a refresh may have swapped the lexicon in between
        if completion and vocab.get(completion, 0) >= TYPED_LIKELIER * vocab.get(word, 0):
            return completion
        return None

    def _completion(self, prefix: str) -> str | None:
        """The commonest corpus word that starts with ``prefix`` and is longer."""
        if len(prefix) < 3 or not prefix.isalpha():
            return None
        lex = self._lex  # one lexicon throughout, even if a refresh swaps it
        start = bisect.bisect_right(lex.sorted_words, prefix)
        end = bisect.bisect_left(lex.sorted_words, prefix + "\U0010ffff", lo=start)
        longer = lex.sorted_words[start : min(end, start + COMPLETIONS)]
        return max(longer, key=lex.vocab.__getitem__, default=None)

    # -- search --------------------------------------------------------------
    def search(self, raw: str, limit: int = 5, typing: bool = False) -> list[Hit]:
        """The best answers for ``raw``, best first; empty when nothing fits.

        ``typing``: ``raw`` is still being typed (inline mode), so its last word may
        be unfinished.
        """
        query = Query.parse(raw, typing)
        understood = self.understand(query)
        if not understood.terms and not query.phrases:
            return []
        hits: list[Hit] = []
        for candidates in self._candidates(query, understood):
            hits = self._rerank(query, understood, candidates, max(0, limit))
            if len(candidates) >= ENOUGH or (hits and hits[0].score >= CONFIDENT):
                break
        return hits

    def _candidates(self, query: Query, understood: Understood) -> Iterator[dict[int, float]]:
        """Answer ids worth re-ranking, with their best bm25 rank, wider each time.

        Words of a remembered line occur together, so the first try is the rarest words
        NEAR each other (within the query's length): selective even when every word is
        common; then the same with each word left out in turn (one of them may be a
        wrong correction or a wrong memory); then both again as plain ANDs, for a
        paraphrase whose words are spread over the answer; an OR of the rarest words
        covers topic queries. The caller stops widening once it has enough candidates
        or a confident hit.
        """
        terms = sorted(understood.terms, key=lambda w: -understood.weights[w])[:MAX_TERMS]
        found: dict[int, float] = {}
        span = len(understood.words) + 2  # a word or two the user forgot

        def near(group: list[str]) -> str:
            return f"NEAR({' '.join(map(_fts_term, group))}, {span})"

        def both(group: list[str]) -> str:
            return " AND ".join(map(_fts_term, group))

        for together in ([near] if len(terms) > 1 else []) + [both]:
            if terms:
                self._lookup(query, together(terms), 30, found)
                if found:
                    yield found
            if len(terms) > 2:
                for left_out in range(len(terms)):
                    rest = terms[:left_out] + terms[left_out + 1 :]
                    self._lookup(query, together(rest), 10, found)
                if found:
                    yield found
        self._lookup(query, " OR ".join(map(_fts_term, terms[:OR_TERMS])), 30, found)
        if found:
            yield found

    def _lookup(self, query: Query, match: str, limit: int, found: dict[int, float]) -> None:
        phrases = [_fts_term(" ".join(words(p))) for p in query.phrases]
        match = " AND ".join([*phrases, f"({match})"] if match else phrases)
        if not match:
            return
        rows = store.match_answers(self._conn(), match, limit, query.speaker)
        for rowid, rank in rows:
            found[rowid] = min(rank, found.get(rowid, 0.0))

    def _rerank(
        self, query: Query, understood: Understood, candidates: dict[int, float], limit: int
    ) -> list[Hit]:
        """Score candidates by word coverage, bm25 and alignment; excerpt the ones kept."""
        q_text = " ".join(understood.words)
        weights = {stem(w): wt for w, wt in understood.weights.items()}
        total_weight = sum(weights.values()) or 1.0
        best_bm25 = min(candidates.values()) or -1.0
        phrases = [" ".join(words(p)) for p in query.phrases]
        scored: list[tuple[float, dict[str, Any]]] = []
        pool = sorted(candidates, key=candidates.__getitem__)[: max(COVERAGE_POOL, 2 * limit)]
        for row in self._rows(pool):
            folded, answer_stems = self._analysis(row["id"], row["text"])
            asked = words(row["question"])
            question_stems = set(stem.many(set(asked))) - answer_stems
            covered = sum(wt for s, wt in weights.items() if s in answer_stems)
            covered += QUESTION_WEIGHT * sum(wt for s, wt in weights.items() if s in question_stems)
            score = W_COVERAGE * covered / total_weight
            score += W_BM25 * candidates[row["id"]] / best_bm25
            fuzzy = _align(q_text, folded)
            if asked:
                fuzzy = max(fuzzy, QUESTION_FUZZY * _align(q_text, " ".join(asked)))
            score = (score + W_FUZZY * fuzzy) * understood.known
            if phrases and not all(p in folded for p in phrases):
                score *= 0.6
            scored.append((score, row))
        scored.sort(key=lambda pair: -pair[0])
        return [
            self._hit(row, self._excerpt(q_text, row["text"]), score)
            for score, row in scored[:limit]
            if score >= MIN_SCORE
        ]

    @staticmethod
    def _excerpt(q_text: str, answer: str) -> str:
        """The sentence(s) of ``answer`` where the query aligns best, within 400 characters."""
        if len(answer) <= QUOTE_CHARS:
            return answer
        found = fuzz.partial_ratio_alignment(q_text, answer.lower())
        start, end = found.dest_start, max(found.dest_end, found.dest_start + 1)
        ends_before = [
            m.end() for m in _SENTENCE_END.finditer(answer, max(0, start - QUOTE_CHARS), start)
        ]
        left = (
            ends_before[-1]
            if ends_before
            else max(0, start - QUOTE_CHARS)
            if start > QUOTE_CHARS
            else 0
        )
        after = _SENTENCE_END.search(answer, end)
        right = after.start() if after else len(answer)
        excerpt = answer[left:right].strip()
        if len(excerpt) <= QUOTE_CHARS:
            return excerpt
        # one long sentence: keep the stretch that matched, cut on words
        middle = (start + end) // 2 - left
        lo = max(0, middle - QUOTE_CHARS // 2)
        piece = excerpt[lo : lo + QUOTE_CHARS - 2]
        if lo > 0:
            piece = "…" + piece.split(" ", 1)[-1]
        return _shorten(piece)

    # -- fetching ------------------------------------------------------------
    def _rows(self, ids: list[int]) -> list[dict[str, Any]]:
        return store.answer_rows(self._conn(), ids)

    @staticmethod
    def _hit(row: dict[str, Any], quote: str, score: float) -> Hit:
        return Hit(
            id=row["id"],
            speaker=row["speaker"],
            quote=quote,
            answer=row["text"],
            question=row["question"] or "",
            asked_by=row["asked_by"],
            title=row["title"],
            date=row["date"],
            place=row["place"],
            url=row["url"],
            file=row["file"],
            timestamp=row["timestamp"],
            score=max(0, min(100, round(score))),
        )

    def get(self, answer_id: int) -> Hit | None:
        """One answer by id (deep links, buttons), excerpted as a standalone quote."""
        rows = self._rows([answer_id])
        if not rows:
            return None
        return self._hit(rows[0], standalone_quote(rows[0]["text"]), 100)

    def reads_well(self) -> list[int]:
        """Ids of the answers that read well alone (:data:`store.READS_WELL`), cached."""
        if self._reads_well is None:
            self._reads_well = store.reads_well_ids(self._conn())
        return self._reads_well

    def answer_ids(self) -> list[int]:
        """Ids of every answer in the corpus."""
        return store.answer_ids(self._conn())

    def random(self, rng: random_module.Random | None = None) -> Hit | None:
        """A random quotable answer that reads well on its own."""
        ids = self.reads_well()
        if not ids:
            return None
        return self.get((rng or random_module).choice(ids))


def standalone_quote(text: str) -> str:
    """The opening sentences of an answer, up to about 400 characters."""
    sentences = split_sentences(text)
    quote = ""
    for sentence in sentences:
        candidate = f"{quote} {sentence}".strip()
        if len(candidate) > QUOTE_CHARS and quote:
            break
        quote = candidate
    return _shorten(quote or text)


__all__ = ["Hit", "Query", "Searcher", "split_sentences", "standalone_quote"]
