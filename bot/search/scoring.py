"""Scoring: one small function per signal, each 0..1, combined by named weights.

A candidate's signals are kept with the hit (``--explain``, ``signals`` in JSON), so
anyone can see why it won. Relevance (a weighted sum) ranks; confidence (calibrated
on relevance and the lead over the next candidate) decides what is shown; see
:mod:`.config`.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Container, Iterable
from dataclasses import dataclass, field
from itertools import pairwise

from rapidfuzz import fuzz

from ..words import FUNCTION_WORDS, stem, words
from .config import SearchConfig
from .excerpt import only_asks

# The stems of words that carry no topic ("the", "of", "which").
FUNCTION_STEMS = frozenset(stem(w) for w in FUNCTION_WORDS)


@dataclass(frozen=True)
class Analysis:
    """What scoring needs of one answer, computed once and cached."""

    folded: str  # its words, folded, space-separated
    stems: Counter[str]  # Porter stems and how often each occurs
    words: int
    sequence: tuple[str, ...] = ()  # the stem of each word, in order

    def positions(self, wanted: Iterable[str]) -> list[tuple[int, str]]:
        """(where, stem) of every word whose stem is ``wanted``, in order."""
        wanted = set(wanted) & self.stems.keys()
        if not wanted:
            return []
        return [(i, s) for i, s in enumerate(self.sequence) if s in wanted]


def analyse(text: str) -> Analysis:
    """The analysis of one answer's text: folded words, their stems in order, counts."""
    tokens = words(text)
    sequence = tuple(stem.many(tokens))
    return Analysis(" ".join(tokens), Counter(sequence), len(tokens), sequence)


@dataclass(frozen=True)
class Asked:
    """The query as scoring sees it."""

    text: str  # the topic words, corrected, space-separated
    weights: dict[str, float]  # stem -> idf
    phrases: list[str]  # folded exact phrases
    people: tuple[int, ...]  # whose answers the query asks for
    prefer_from: str | None
    prefer_to: str | None
    known: float  # share of the typed topic words the corpus knows
    # log10 of the share of answers holding each stem, and of the number of answers
    log_shares: dict[str, float] = field(default_factory=dict)
    log_answers: float = 0.0
    # whom the query means when it names nobody (the corpus's subject), or None
    subject: int | None = None
    # the stems of the words naming an occasion (:mod:`.occasions`)
    occasion: frozenset[str] = frozenset()
    # the corpus's stems of the same family as a query stem, and that query stem
    # (``Lexicon.families``): "russian" -> "russia" for a query about Russia
    families: dict[str, str] = field(default_factory=dict)
    # the stems of corpus words that two consecutive query words are written as in
    # one (``Lexicon.compounds``), and the two query stems: "ceasefire" -> "ceas fire"
    compounds: dict[str, tuple[str, str]] = field(default_factory=dict)
    # asked what someone said about a topic ("putin on the collapse of the soviet
    # union"), not for a line they said
    about: bool = False


def echoes(asked: Asked, answer: Analysis, config: SearchConfig) -> bool:
    """Whether a short answer holds no word of its own beside the topic asked about
    ("The collapse of the Soviet Union.", the whole reply to "Which event would you
    like to undo?"): it names the topic and says nothing of it."""
    if not asked.about or answer.words >= config.substantial_words:
        return False
    own = {s for s in as_asked(asked, answer).stems if s not in FUNCTION_STEMS}
    return own <= asked.weights.keys()


def as_asked(asked: Asked, answer: Analysis) -> Analysis:
    """``answer`` with each stem of a query word's family written as that word's stem,
    and each word the query writes as two written as those two, so that every signal
    finds the query's words there ("Russian troops" holds "russia", "a ceasefire"
    holds "cease fire")."""
    sequence = _as_asked_stems(asked, answer.stems, answer.sequence)
    if sequence is None:
        return answer
    return Analysis(answer.folded, Counter(sequence), answer.words, sequence)


def _as_asked_stems(
    asked: Asked, present: Iterable[str], stems: tuple[str, ...]
) -> tuple[str, ...] | None:
    """``stems`` (of which ``present`` are the distinct ones) as :func:`as_asked` reads
    them; None when none is of a query word's family or a compound (most answers: read
    as they are, at no cost)."""
    families, compounds = asked.families, asked.compounds
    family = bool(families) and not families.keys().isdisjoint(present)
    if not compounds or compounds.keys().isdisjoint(present):
        return tuple(map(families.get, stems, stems)) if family else None
    return tuple(one for s in stems for one in _read_as(asked, s))


def _read_as(asked: Asked, stem_: str) -> tuple[str, ...]:
    """The query stems an answer's or a question's stem is read as: the two a compound
    stands for, a family word's query stem, or itself."""
    return asked.compounds.get(stem_) or (asked.families.get(stem_, stem_),)


def weights_with_families(asked: Asked) -> dict[str, float]:
    """The query's stem weights, each stem of a query word's family weighing as that
    word: for reading an answer's sentences as they are written (the excerpt)."""
    if not asked.families and not asked.compounds:
        return asked.weights
    weights = asked.weights
    return {
        **weights,
        **{s: weights[one] for s, one in asked.families.items()},
        **{s: sum(weights.get(one, 0.0) for one in two) for s, two in asked.compounds.items()},
    }


def stems_as_asked(asked: Asked, stems: Counter[str]) -> Counter[str]:
    """Stem counts (a question's) with each stem of a query word's family written as
    that word's stem, as :func:`as_asked` does for an answer."""
    families, compounds = asked.families, asked.compounds
    if families.keys().isdisjoint(stems) and compounds.keys().isdisjoint(stems):
        return stems
    out: Counter[str] = Counter()
    for s, n in stems.items():
        for one in _read_as(asked, s):
            out[one] += n
    return out


def share(asked: Asked, stems: Container[str]) -> float:
    """The share of the query's meaning (idf-weighted) that ``stems`` hold, summed in
    the query's order (a set's order would change the last bit from run to run)."""
    total = sum(asked.weights.values())
    if not total:
        return 0.0
    return sum(w for s, w in asked.weights.items() if s in stems) / total


def glance(asked: Asked, text: str, question: str, config: SearchConfig) -> float:
    """A quick coverage from the raw text, to choose which candidates to analyse: the
    idf-weighted query stems that begin a word of the answer, plus those of the question
    asked at ``config.bm25_question``. No tokenizing or stemming: a few substring tests."""
    answer = _as_glanced(text)
    asked_before = _as_glanced(question)
    held = 0.0
    for s, w in asked.weights.items():
        key = " " + s
        if key in answer:
            held += w
        elif key in asked_before:
            held += config.bm25_question * w
    return held


def glance_pairs(asked: Asked, text: str) -> int:
    """How many of the query's consecutive word pairs the answer's raw text holds as
    written: among candidates holding the same words, the one holding a remembered
    line in its order. A few substring tests, as :func:`glance` (a pair begins words
    of the answer: "for dialogue" is in "for dialogues")."""
    tokens = asked.text.split()
    if len(tokens) < 2:
        return 0
    answer = _as_glanced(text)
    return sum(f" {a} {b}" in answer for a, b in pairwise(tokens))


def _as_glanced(text: str) -> str:
    """``text`` as a glance reads it: lower case on one line, a space first, so that
    " " + a stem is found where it begins a word."""
    return " " + text.lower().replace("\n", " ")


def coverage(asked: Asked, answer: Analysis) -> float:
    """Share of the query's meaning (idf-weighted stems) that the answer holds."""
    return share(asked, answer.stems)


def question_coverage(asked: Asked, answer: Analysis, question_stems: set[str]) -> float:
    """Share of the query's meaning found only in the question asked before the answer."""
    total = sum(asked.weights.values())
    if not total:
        return 0.0
    only = question_stems - set(answer.stems)
    return sum(w for s, w in asked.weights.items() if s in only) / total


def alignment(asked: Asked, text: str) -> float:
    """How well the query's words match the best stretch of ``text`` (folded), 0..1."""
    if not asked.text or not text:
        return 0.0
    if len(text) >= len(asked.text):
        return fuzz.partial_ratio(asked.text, text) / 100
    return fuzz.ratio(asked.text, text) / 100


def verbatim(aligned: float, config: SearchConfig) -> float:
    """How near the answer comes to holding the query word for word: the alignment
    above ``config.verbatim_from`` (what any answer of everyday words reaches), scaled
    to 0..1. A remembered line is decided by this, not by how often its words occur."""
    return max(0.0, (aligned - config.verbatim_from) / (1 - config.verbatim_from))


def proximity(asked: Asked, answer: Analysis, config: SearchConfig) -> float:
    """The query's meaning found together: the best idf-weighted coverage of any
    stretch of ``config.window_words`` words. A long answer holds every topic word
    somewhere; the answer about the topic holds them side by side."""
    total = sum(asked.weights.values())
    spots = answer.positions(asked.weights) if total else []
    if not spots:
        return 0.0
    best = held = 0.0
    window: Counter[str] = Counter()
    start = 0
    for i, s in spots:
        if not window[s]:
            held += asked.weights[s]
        window[s] += 1
        while spots[start][0] <= i - config.window_words:
            old = spots[start][1]
            window[old] -= 1
            if not window[old]:
                held -= asked.weights[old]
            start += 1
        best = max(best, held)
    return best / total


def bm25(
    asked: Asked,
    answer: Analysis,
    mean_words: float,
    config: SearchConfig,
    question: Counter[str] | None = None,
) -> float:
    """Okapi BM25 of the answer for the query's stems, as a share of its bound (each
    stem's idf times ``k1 + 1``, what endless repeats of every one would get): the
    index's own ranking formula, computed from the answer itself so that it means the
    same for every candidate, however it was found. Words of the ``question`` asked
    before it (stem counts) count ``config.bm25_question`` as much (BM25F)."""
    total = sum(asked.weights.values())
    question = question or Counter()
    asked_words = config.bm25_question * question.total()
    if not total or not (answer.words + asked_words):
        return 0.0
    k1, b = config.bm25_k1, config.bm25_b
    norm = k1 * (1 - b + b * (answer.words + asked_words) / max(mean_words, 1.0))
    got = 0.0
    for s, idf in asked.weights.items():
        tf = answer.stems.get(s, 0) + config.bm25_question * question.get(s, 0)
        if tf:
            got += idf * tf * (k1 + 1) / (tf + norm)
    return got / (total * (k1 + 1))


def specific(
    asked: Asked, answer: Analysis, question_stems: set[str], config: SearchConfig
) -> float:
    """How unlikely chance is to bring together, in one answer of a corpus this size,
    the query's words this answer (or the question before it) holds: the expected
    number of answers that would hold them all if words fell independently, in
    decades below one, as a share of ``config.specific_decades``. Over 131k answers any
    two everyday words meet somewhere ("running" + "shoes"); an answer holding the
    query's rare words together does not happen by accident."""
    held = [v for s, v in asked.log_shares.items() if s in answer.stems or s in question_stems]
    if not held:
        return 0.0
    chance = asked.log_answers + sum(held)
    return min(1.0, max(0.0, -chance / config.specific_decades))


def scale(asked: Asked, config: SearchConfig) -> float:
    """How many answers the corpus holds, in decades as a share of
    ``config.scale_decades``: the more answers, the likelier the best of them fits a
    query by chance, so the judgements weigh the same evidence for less."""
    return min(1.0, max(0.0, asked.log_answers / config.scale_decades))


def focus(asked: Asked, answer: Analysis, config: SearchConfig) -> float:
    """How much of the answer is about the query's words: their weighted mentions, as
    a share of ``config.focus_mentions``, times their density per 100 words as a share
    of ``config.focus_per_100`` (a one-word topic: the answer about the Arctic beats a
    list of summit topics that names it once)."""
    total = sum(asked.weights.values())
    if not total or not answer.words:
        return 0.0
    mentions = sum(w * answer.stems.get(s, 0) for s, w in asked.weights.items()) / total
    density = 100 * mentions / answer.words / config.focus_per_100
    return min(1.0, mentions / config.focus_mentions) * min(1.0, density)


def substance(answer: Analysis, config: SearchConfig) -> float:
    """Whether the answer says something: "Sure." and "Yeah." are not quotes."""
    return min(1.0, answer.words / config.substantial_words)


def length(answer: Analysis, config: SearchConfig) -> float:
    """How much of a whole speech the answer is, 0 up to ``config.speech_from`` words,
    1 from ``config.speech_words`` on (log scale): a speech holds every word of many
    queries and answers none of them in particular."""
    if answer.words <= config.speech_from:
        return 0.0
    span = math.log(config.speech_words / config.speech_from)
    return min(1.0, math.log(answer.words / config.speech_from) / span)


def asks(text: str) -> float:
    """1 when the turn is itself a question (a podcast host asking), else 0."""
    tail = text.rstrip()[-200:]
    return 1.0 if tail.endswith("?") else 0.0


def asked_back(
    asked: Asked, text: str, answer: Analysis, signals: dict[str, float], config: SearchConfig
) -> bool:
    """Whether a short answer is nothing but questions back ("You mean in reference to
    the depleted uranium?", "You know our journalist, Vyshinsky, right?") to a query
    that is not that line: it asks, it says nothing, however many of the query's words
    it repeats. A line remembered word for word may be a question ("Do you have
    examples of schools in Florida ...?"): the one asked for is found."""
    if not config.skip_questions or answer.words >= config.substantial_words:
        return False
    if len(asked.text.split()) >= config.min_quote_words and signals.get("verbatim", 0.0) > 0:
        return False
    return only_asks(text)


def person(asked: Asked, person_id: int | None) -> tuple[float, float]:
    """(by a person asked about, by someone else) when the query names people."""
    if not asked.people:
        return 0.0, 0.0
    return (1.0, 0.0) if person_id in asked.people else (0.0, 1.0)


def subject(asked: Asked, person_id: int | None) -> float:
    """1 for the corpus's subject's answers when the query names nobody: the subject
    is who is meant, but the others are not ruled out as they are for a name typed."""
    return float(asked.subject is not None and person_id == asked.subject)


def date(asked: Asked, when: str | None) -> tuple[float, float]:
    """(within the dates asked about, outside them) when the query names dates."""
    return dated(asked.prefer_from, asked.prefer_to, when)


def dated(start: str | None, end: str | None, when: str | None) -> tuple[float, float]:
    """(within ``start``..``end``, outside them; 0.5 for undated) when either is set."""
    if start is None and end is None:
        return 0.0, 0.0
    if not when:
        return 0.0, 0.5
    inside = (start is None or when >= start) and (end is None or when <= end)
    return (1.0, 0.0) if inside else (0.0, 1.0)


def phrase(asked: Asked, answer: Analysis) -> tuple[float, float]:
    """(every exact phrase is in the answer, some is missing) when phrases were given."""
    if not asked.phrases:
        return 0.0, 0.0
    found = all(p in answer.folded for p in asked.phrases)
    return (1.0, 0.0) if found else (0.0, 1.0)


def relevance(signals: dict[str, float], config: SearchConfig) -> float:
    """How well a candidate answers the query: the ranking score (a logit)."""
    return config.bias + sum(config.weight(name) * value for name, value in signals.items())


def probability(model: dict[str, float], features: dict[str, float]) -> float:
    """A fitted logistic model (feature -> weight, plus "offset") applied to features."""
    z = model.get("offset", 0.0) + sum(model.get(k, 0.0) * v for k, v in features.items())
    return 1 / (1 + math.exp(-max(-50.0, min(50.0, z))))


def judged(signals: dict[str, float], lead: float, config: SearchConfig) -> dict[str, float]:
    """A hit's signals with its relevance and lead, and the two fitted judgements of
    it: ``confidence`` (it is the answer meant) and ``answerable`` (the corpus answers
    this query at all: a wrong guess about something the corpus covers, or nonsense)."""
    features = {**signals, "relevance": relevance(signals, config), "lead": lead}
    features["confidence"] = probability(config.confidence, features)
    features["answerable"] = probability(config.answerable, features)
    return features


def shown(judged: dict[str, float], threshold: float, config: SearchConfig) -> bool:
    """Whether a judged hit is shown: the corpus is at least ``threshold`` likely to
    answer the query, and a guess (less than ``config.sure_answerable``) is also at
    least ``config.guess_confidence`` likely to be the answer meant. Threshold 0 shows
    every candidate (calibration)."""
    if threshold <= 0:
        return True
    answerable = judged.get("answerable", 0.0)
    if answerable < threshold:
        return False
    return answerable >= config.sure_answerable or (
        judged.get("confidence", 0.0) >= config.guess_confidence
    )


def is_guess(judged: dict[str, float], config: SearchConfig) -> bool:
    """Whether a shown hit is offered as a guess ("the closest I found"), not as the
    answer: the corpus is less than ``config.sure_answerable`` likely to answer the
    query, or the hit is less than ``config.guess_confidence`` likely the answer meant
    (a hit judged on neither, a person's quote asked by name alone, is no guess)."""
    return (
        judged.get("answerable", 1.0) < config.sure_answerable
        or judged.get("confidence", 1.0) < config.guess_confidence
    )
