"""Every tuning number of search, with its unit and reason, in one place.

Two fitted models, both by ``python -m bench.calibrate`` on the calibration half of
the query sets in ``bench/queries`` (the other half and generated sets measure it):

- relevance, which ranks candidates: a weighted sum of the signals (the logit of
  "this candidate is the answer meant", fitted over every candidate);
- confidence, which decides what is shown: the probability that a hit is right
  given its relevance and its lead over the next candidate (fitted over the hits
  ranked first, nonsense queries included).

So a hit is shown when it is more likely right than not, and that threshold means
the same whatever the weights are.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The signals, each 0..1 (see :mod:`.scoring`), and their fitted weights.
DEFAULT_WEIGHTS: dict[str, float] = {
    "coverage": 1.952,
    "question_coverage": 0.478,
    "alignment": 1.693,
    "question_alignment": 1.279,
    "bm25": 2.904,
    "focus": 0.454,
    "substance": 0.374,
    "asks": -0.215,
    "known": 0.0,
    "person": 0.5,
    "other_person": -0.5,
    "date": 0.0,
    "other_date": -0.069,
    "phrase": 0.0,
    "missing_phrase": 0.0,
}
DEFAULT_BIAS = 0.0
# confidence = sigmoid(sum of weight * feature + offset): the features are the hit's
# relevance, its lead over the best other candidate, and the share of the query's
# words the corpus knows (a query the corpus has never heard of is a guess).
DEFAULT_CONFIDENCE: dict[str, float] = {
    "relevance": 0.684,
    "lead": 1.224,
    "known": 1.028,
    "offset": -6.039,
}


@dataclass(frozen=True)
class SearchConfig:
    """How search weighs and cuts; build one with other values to experiment."""

    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    bias: float = DEFAULT_BIAS
    confidence: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_CONFIDENCE))
    # A hit is shown when its confidence (probability of being right) reaches this.
    min_confidence: float = 0.5
    # Stop widening the candidate set once a hit is this likely right.
    confident: float = 0.9
    # Fewer candidates than this from a lookup, and no confident hit: widen.
    enough: int = 3
    # Query words used for candidate lookups, rarest first; how many in the OR stage.
    max_terms: int = 6
    or_terms: int = 4
    # Candidates (best bm25 first) scored per lookup round, at least.
    pool: int = 10
    # Rows asked of each full-text lookup: the first, and each leave-one-out.
    first_lookup: int = 30
    later_lookup: int = 10
    # Words in more than this share of answers carry no meaning for search ("the").
    common_share: float = 0.35
    # A word being typed becomes its commonest completion when that is this many
    # times as common; completions looked at per prefix.
    typed_likelier: int = 10
    completions: int = 5000
    # Excerpt: at most this many characters of the answer around the match.
    quote_chars: int = 400
    # Answers whose analysis is kept (long answers come back as candidates often).
    analysis_cache: int = 2048
    # An answer of this many words says something; shorter ones count for less
    # ("Sure.", "Yeah.", "Go ahead, please." never win).
    substantial_words: int = 40
    # Topic words per 100 words of an answer at which it is wholly about them.
    focus_per_100: float = 3.0
    # Queries longer than this are cut (characters).
    max_query_chars: int = 500

    def weight(self, signal: str) -> float:
        return self.weights.get(signal, 0.0)
