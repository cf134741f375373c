"""The search engine: query -> understanding -> lexicon -> candidates -> scoring -> excerpt.

Full-text search (FTS5, porter stemming, over answers and the questions before them)
picks candidates, within the answers of the person a query names first; each
candidate's signals (:mod:`.scoring`) give the probability that it is the answer
meant, and only hits more likely right than not are shown, so a query nothing
answers gets an empty reply.
"""

from __future__ import annotations

import heapq
import math
import random as random_module
import re
import sqlite3
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import sqlite_utils

from .. import store
from ..words import FUNCTION_WORDS, fold, is_small_talk, split_sentences, stem, words
from . import scoring
from .candidates import Scope, lookups
from .config import SearchConfig
from .dictionary import is_word
from .excerpt import best_excerpt, standalone_quote
from .lexicon import Lexicon
from .occasions import Occasions
from .query import (
    Person,
    PersonIndex,
    Query,
    Understood,
    folded_key,
    framed_names,
    is_date_word,
    other_names,
    understand,
)

QUOTE_CHARS = SearchConfig().quote_chars
# A person is recognised in queries once they have this many answers.
MIN_PERSON_ANSWERS = 3
# A random quote of one person is drawn from their newest this many sources (one
# answer each): every source of most people, a bounded query for the busiest.
RANDOM_SOURCES = 2000
# A random quote on a topic is drawn from the best this many answers to it (the
# search's first page), those at least ``SearchConfig.sure`` likely right.
RANDOM_ON_TOPIC = 5
# A subject who gives this share of the answers or more counts as none: nearly every
# answer would carry the mark (the seeds alone).
SUBJECT_ALONE = 0.9
# A surname alone names a person only when the corpus writes it with a capital in at
# least this share of the texts holding it (a sample of this many): "Putin" is a name,
# "price" and "may" are everyday words first. Texts vote, not mentions: one podcast
# about search engines writes "johnny" in lower case nine times, as a term to look up.
SURNAME_CAPITALISED = 0.8
# ... and a first name alone, of the well-known person giving nearly all its answers,
# in this share: those two conditions already keep everyday words out, and "Mat" (Mat
# Ryer, the third most quoted) is written "mat" in 7 of 30 texts ("mat generics" and
# "/random mat" found nobody). Over every query set (bench/search_quality.py) from
# 0.8: misspelled names 43 -> 44 of 50, no other first hit moved; it adds "mat" and
# "lea" (Lea Anthony) as first names.
FIRST_NAME_CAPITALISED = 0.7
SURNAME_SAMPLE = 30
# A first name alone names the person giving at least this share of the answers of all
# who bear it, once they have this many answers (a well-known voice of the corpus), and
# when it is this long: "kris" is Kris Brandow (2,704 answers) beside Kris Nova (121),
# "natalie" Natalie Pistunovich (2,857) beside a guest with four.
FIRST_NAME_SHARE = 0.9
FIRST_NAME_ANSWERS = 100
# ... or this share of all the corpus's answers, in a corpus too small for 100: the
# five seeds are Putin's 76 answers, and "vladimir" is he.
FIRST_NAME_CORPUS_SHARE = 0.5
MIN_FIRST_NAME = 3
# Initials name someone when their name has this many words or more: two letters
# ("js", "jk") are shared by too many people and words.
MIN_INITIALS = 3
# ... and when the corpus writes them in at most this many answers: more, and they are
# a term of its own ("CVS" in 44 answers of the briefings, "DNS" in 103 of the
# podcasts; "KJP" is in 12).
MAX_INITIALS_ANSWERS = 20
# A name opening with one of these is a label's ("Dr. Nunez-Smith"): no initials.
COURTESY_TITLES = frozenset({"mr", "mrs", "ms", "dr"})
# The first candidate's lead is over the best of the next this many that is not a copy
# of it (the same passage published twice), told by runs of this many words.
RIVALS = 4
COPY_PROBE_WORDS = 8
# Counts of answers holding two title words side by side kept at most (then forgotten).
PHRASE_COUNTS = 4096
# How much of a correction counts as knowing the word (typo-corrected words are a
# guess, not a certainty).
CORRECTED_KNOWN = 0.7


@dataclass(frozen=True)
class Hit:
    """One answer found for a query, with the excerpt that matched best.

    ``speaker`` is the label as the transcript wrote it; ``person`` the canonical
    name of who it is (None when unknown); ``signals`` why it scored as it did.
    """

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
    person: str | None = None
    signals: dict[str, float] = field(default_factory=dict)
    # shown as the closest there is, not as the answer: the corpus may not hold one
    guess: bool = False

    @property
    def who(self) -> str:
        """The name to show: the person, else the label."""
        return self.person or self.speaker

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _with_compounds(
    spellings: Callable[[str], tuple[str, ...]], compounds: dict[str, tuple[str, str]]
) -> Callable[[str], tuple[str, ...]]:
    """A word's spellings for a lookup, with the one word it forms with its neighbour
    ("cease" and "fire": "ceasefire"): either way matches."""
    if not compounds:
        return spellings

    def spelled(word: str) -> tuple[str, ...]:
        return spellings(word) + tuple(j for j, two in compounds.items() if word in two)

    return spelled


def _shingles(text: str) -> frozenset[tuple[str, ...]]:
    """The runs of four words of an excerpt (folded): what two copies of one passage
    share however differently punctuated."""
    tokens = words(text)
    return frozenset(zip(tokens, tokens[1:], tokens[2:], tokens[3:], strict=False))


def _same_passage(one: frozenset, other: frozenset, config: SearchConfig) -> bool:
    """Whether two excerpts (as :func:`_shingles`) are the same passage (one event
    published in two places, a transcript and its official version)."""
    short, long = sorted((one, other), key=len)
    if not short or len(short) < config.same_passage_length * len(long):
        return False
    return len(short & long) >= config.same_passage * len(short)


def lead_of(ranked: list[tuple[float, Any, Any]], i: int, rival: int = 1) -> float:
    """The lead of the ``i``-th candidate (by relevance, best first): the first one's
    over its ``rival`` (the second, or the best that is not a copy of it), or over an
    empty candidate (relevance 0) when there is none; 0 for the others, which are
    judged on their own."""
    if i:
        return 0.0
    return ranked[0][0] - (ranked[rival][0] if len(ranked) > rival else 0.0)


@dataclass(frozen=True)
class Stranger:
    """Someone a query asks for the words of who answers nowhere in the corpus."""

    name: str  # as the corpus writes it: "Obama", "NATO"
    search: str  # what others said of them: the name and the topic, framing left out


@dataclass(frozen=True)
class Knowledge:
    """What search loads from the corpus at once and replaces whole on a change."""

    lexicon: Lexicon
    people: PersonIndex
    occasions: Occasions
    # whom a query naming nobody means (the people file's subject), None when no
    # subject is set or the subject gives nearly every answer anyway
    subject: int | None = None


def _name_votes(conn: sqlite3.Connection, word: str) -> tuple[list[bool], Counter[str]]:
    """For a sample of the answers holding ``word``: whether each writes it capitalised
    more often than not, and how the capitalised ones write it."""
    pattern = re.compile(rf"\b{re.escape(word)}\b", re.IGNORECASE)
    votes, forms = [], Counter()
    for text in store.texts_with(conn, word, SURNAME_SAMPLE):
        found = [m[0] for m in pattern.finditer(text)]
        if found:
            votes.append(2 * sum(f[0].isupper() for f in found) >= len(found))
            forms.update(f for f in found if f[0].isupper())
    return votes, forms


def _is_a_name(conn: sqlite3.Connection, word: str, share: float = SURNAME_CAPITALISED) -> bool:
    """Whether the corpus writes ``word`` as a name (capitalised in at least ``share`` of
    the texts holding it), not an everyday word."""
    votes, _ = _name_votes(conn, word)
    return not votes or sum(votes) / len(votes) >= share


def _written_name(conn: sqlite3.Connection, word: str) -> str | None:
    """How the corpus writes ``word`` as a name ("Obama", "NATO"); None when it writes
    it as an everyday word, or holds it nowhere."""
    votes, forms = _name_votes(conn, word)
    if not votes or sum(votes) / len(votes) < SURNAME_CAPITALISED:
        return None
    return forms.most_common(1)[0][0]


def _person_index(conn: sqlite3.Connection, lexicon: Lexicon) -> PersonIndex:
    people = []
    rows = [row for row in store.people_rows(conn) if row["answers"] >= MIN_PERSON_ANSWERS]
    titles = other_names((row["id"], row["name"], row["aliases"]) for row in rows)
    for row in rows:
        keys = {folded_key(row["name"])}
        # an office ("The President") names whoever held it: not one person in a query
        keys.update(k for k in map(folded_key, row["aliases"]) if k[:1] != ("the",))
        surname = folded_key(row["name"])[-1:]
        if surname and _is_a_name(conn, surname[0]):
            keys.add(surname)
        # a surname of several words is a name whatever its parts ("Jean-Pierre"), as
        # the labels write it too ("Ms. Jean-Piere")
        for name in [row["name"], *(a for a in row["aliases"] if folded_key(a)[:1] != ("the",))]:
            written = name.split()
            compound = folded_key(written[-1]) if len(written) > 1 else ()
            if len(compound) > 1:
                keys.add(compound)
        people.append(
            Person(
                row["id"],
                row["name"],
                row["answers"],
                tuple(k for k in keys if k),
                tuple(titles.get(row["id"], ())),
            )
        )
    named = _with_first_names(conn, people, lexicon.answers)
    return PersonIndex(_with_initials(conn, named, lexicon.vocab))


def _with_initials(
    conn: sqlite3.Connection, people: list[Person], vocab: dict[str, int]
) -> list[Person]:
    """``people``, the initials of a name of three words or more naming its bearer
    ("kjp": Karine Jean-Pierre, "rfk"), when no one else's are the same, they are no
    word of the language, and the corpus writes them as a name, rarely, or not at all
    (a term of its own, "CVS", "DNS", names no one). ``vocab``: the corpus's words and
    how many answers hold each."""
    bearers: dict[str, list[Person]] = {}
    for person in people:
        name = folded_key(person.name)
        if len(name) >= MIN_INITIALS and name[0] not in COURTESY_TITLES:
            bearers.setdefault("".join(w[0] for w in name), []).append(person)
    named = {
        bearing[0].id: initials
        for initials, bearing in bearers.items()
        if len(bearing) == 1
        and not is_word(initials)
        and vocab.get(initials, 0) <= MAX_INITIALS_ANSWERS
        and _is_a_name(conn, initials)
    }
    return [replace(p, keys=(*p.keys, (named[p.id],))) if p.id in named else p for p in people]


def _with_first_names(
    conn: sqlite3.Connection, people: list[Person], answers: int | None = None
) -> list[Person]:
    """``people``, a first name alone naming the well-known person who gives nearly all
    the answers of those bearing it, in a framed query ("karine on abortion"), when the
    corpus writes it as a name. ``answers``: the corpus's (their sum when not given)."""
    total = sum(p.answers for p in people) if answers is None else answers
    well_known = min(FIRST_NAME_ANSWERS, FIRST_NAME_CORPUS_SHARE * total)
    bearers: dict[str, list[Person]] = {}
    for person in people:
        name = folded_key(person.name)
        if len(name) > 1:
            bearers.setdefault(name[0], []).append(person)
    named = {}
    for first, bearing in bearers.items():
        best = max(bearing, key=lambda p: p.answers)
        if (
            best.answers >= FIRST_NAME_SHARE * sum(p.answers for p in bearing)
            and best.answers >= well_known
            and len(first) >= MIN_FIRST_NAME
            and _is_a_name(conn, first, FIRST_NAME_CAPITALISED)
        ):
            named[best.id] = first
    return [
        replace(p, framed_keys=(*p.framed_keys, (named[p.id],))) if p.id in named else p
        for p in people
    ]


class Searcher:
    """Search over one corpus file. Build it once per process and reuse it."""

    def __init__(
        self, corpus: sqlite_utils.Database | str | Path, config: SearchConfig | None = None
    ) -> None:
        """``corpus``: the corpus file (or an open database of it, whose file is used).

        Every thread (the bot searches in worker threads) gets its own read-only
        connection: a SQLite connection belongs to one thread, and search never writes.
        """
        if isinstance(corpus, sqlite_utils.Database):
            corpus = store.file_of(corpus)
        self.path = Path(corpus)
        pending = store.pending_migrations(self.path)
        if pending:
            raise store.DatabaseError(
                f"the corpus {self.path} is from an older quotebot and needs"
                f" {len(pending)} migration(s): run 'quotebot migrate'"
            )
        self.config = config or SearchConfig()
        self._local = threading.local()
        self._know = self._load(self._conn(), self.config)
        self._reads_well: list[int] | None = None
        self._phrase_counts: dict[tuple[tuple[str, str], int], int] = {}
        self._analysis = lru_cache(maxsize=self.config.analysis_cache)(self._analyse)

    @staticmethod
    def _load(conn: sqlite3.Connection, config: SearchConfig) -> Knowledge:
        lexicon = Lexicon.load(conn)
        people = _person_index(conn, lexicon)
        subject = store.subject_person(conn)
        found = people.people.get(subject) if subject is not None else None
        if found is None or found.answers >= SUBJECT_ALONE * lexicon.answers:
            subject = None
        occasions = Occasions.build(
            (
                (row["id"], f"{row['title'] or ''} {row['place'] or ''}")
                for row in store.list_sources(conn)
            ),
            lexicon.doc_freq,
            lexicon.answers,
            config,
        )
        return Knowledge(lexicon, people, occasions, subject)

    @property
    def lexicon(self) -> Lexicon:
        return self._know.lexicon

    @property
    def people(self) -> PersonIndex:
        return self._know.people

    @property
    def vocab(self) -> dict[str, int]:
        """Every word of the corpus and how often it occurs."""
        return self.lexicon.vocab

    @property
    def doc_freq(self) -> dict[str, int]:
        """Every stem in the index and the number of answers that hold it."""
        return self.lexicon.doc_freq

    @property
    def answers(self) -> int:
        return self.lexicon.answers

    def refresh(self) -> bool:
        """Reload what search knows of the corpus when an ingest changed it (the bot
        keeps running while transcripts are added); True when it did."""
        conn = self._conn()
        if store.signature(conn) == self.lexicon.signature:
            return False
        self._know = self._load(conn, self.config)
        self._reads_well = None
        self._phrase_counts = {}
        return True

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = store.connect_readonly(self.path)
            self._local.conn = conn
        return conn

    def stats(self) -> dict[str, Any]:
        """What the corpus holds (:func:`store.corpus_stats`), from any thread."""
        return store.corpus_stats(self._conn())

    def idf(self, word: str) -> float:
        return self.lexicon.idf(word)

    def correct(self, word: str) -> str | None:
        """See :meth:`Lexicon.correct`."""
        return self.lexicon.correct(word)

    @staticmethod
    def _analyse(answer_id: int, text: str) -> scoring.Analysis:
        return scoring.analyse(text)

    # -- understanding -------------------------------------------------------------
    def understand(self, query: Query) -> tuple[Understood, list[str], float]:
        """(who and what is asked, the topic words after typo correction, the share of
        the typed topic words' meaning the corpus knows).

        The share is idf-weighted, an unknown word weighing most: "fauci on dogecoin"
        over a corpus without either name is a query about nothing the corpus knows,
        however well "on" is known.
        """
        know = self._know
        lex = know.lexicon
        understood = understand(query, know.people, lex.established, lex.nearest)
        if understood.people and query.prefer_from:
            # "psaki in march 2022 on sanctions": when someone said it, not words of it
            # (alone in a line, a month may be what was said: "in november 2020 the
            # delegation presented ...")
            understood = replace(
                understood, topic=[w for w in understood.topic if not is_date_word(w)]
            )
        original = understood.topic + words(" ".join(query.phrases))
        completed = lex.typed(original[-1], self.config) if query.typing and original else None
        corrected: list[str] = []
        known = total = 0.0
        for i, word in enumerate(original):
            weight = lex.idf(word) if word in lex.vocab else lex.idf("")
            total += weight
            if completed and i == len(original) - 1:
                corrected.append(completed)  # the word being typed: its likeliest ending
                known += weight
                continue
            # a word only titles and places hold ("gaggle") names an occasion as written
            fixed = word if word in know.occasions.sources_of else lex.correct(word)
            if fixed is None:
                glued = lex.split(word)  # "cyberattacks": "cyber attacks"
                if glued:
                    corrected.extend(glued)
                    known += CORRECTED_KNOWN * weight
                continue
            corrected.append(fixed)
            known += weight if fixed == word else CORRECTED_KNOWN * weight
        return understood, corrected, (known / total if total else 1.0)

    def _phrase_count(self, pair: tuple[str, str], cap: int) -> int:
        """How many answers hold the two words side by side (up to ``cap``), cached: a
        pair of title words asked about ("direct line") is asked about again."""
        key = (pair, cap)
        counts = self._phrase_counts
        if key not in counts:
            if len(counts) >= PHRASE_COUNTS:
                counts.clear()
            counts[key] = store.count_answers(self._conn(), f'text : "{" ".join(pair)}"', cap)
        return counts[key]

    def _speaker_person(self, name: str, framed: bool = False) -> int | None:
        """The person ``name`` names, whole (``framed``: a first name alone too)."""
        return self.people.whole(list(folded_key(name)), framed)

    # -- search --------------------------------------------------------------------
    def search(
        self,
        raw: str,
        limit: int = 5,
        typing: bool = False,
        threshold: float | None = None,
        depth: int | None = None,
        as_shown: bool = False,
    ) -> list[Hit]:
        """The best answers for ``raw``, best first; empty when nothing fits.

        ``typing``: ``raw`` is still being typed (inline mode), so its last word may
        be unfinished. ``threshold``: how likely the corpus must be to answer the query
        at all for a hit to be shown (default: the configured one; 0 shows every
        candidate scored, for calibration, and looks further: every lookup round).
        ``as_shown``: with threshold 0, the rounds a search with the configured one
        would look at, so that its candidates rank as the shown hits do (``--explain``).
        A hit's ``score`` is its confidence. ``depth``: rows asked of each lookup and
        candidates scored, when a caller wants more than the best few (a timeline of
        everything a person said on a topic).
        """
        config = self.config
        if depth is not None:
            config = replace(
                config,
                first_lookup=depth,
                later_lookup=depth,
                pool=depth,
                enough=depth,
                probe_unranked=False,
            )
        threshold = config.min_answerable if threshold is None else threshold
        query = Query.parse(raw, typing, config.max_query_chars)
        understood, corrected, known = self.understand(query)
        lex = self.lexicon
        distinct = list(dict.fromkeys(corrected))
        people = understood.people
        if query.speaker:
            found = self._speaker_person(query.speaker)
            people = () if found is None else (found,)
        if not query.phrases and is_small_talk(" ".join(understood.topic)):
            return []  # "hi", "thanks bot": said to the bot, not words to look for
        # a month's words stay in the topic ("in december 2021"): alone, they are when
        dated = bool(query.prefer_from or query.prefer_to)
        undated = [w for w in understood.topic if not (dated and is_date_word(w))]
        if not query.phrases and all(w in FUNCTION_WORDS for w in undated):
            # "putin", "psaki in 2021", "putin june 2021", "speaker:kirby": what that
            # person said; "the", "what?": a query about nothing (the words as typed:
            # "putin on quantum chromodynamics" over a corpus that knows neither word
            # is not "putin")
            if (undated and not dated) or not people:
                return []
            return self._quotes_of(people, query, limit)
        content = [w for w in distinct if w not in FUNCTION_WORDS]
        if not content and not query.phrases:
            return []  # "fauci on dogecoin" over a corpus that knows neither name: "on"
        if len(corrected) < config.min_known_words * len(understood.topic) and not query.phrases:
            return []  # "asdfghjkl qwertyuiop zxcvbnm" is no typo of "qwerty"
        if known < config.min_known_meaning and not query.phrases:
            return []  # "putin on greta thunberg": "great" is not what it is about
        terms = [w for w in distinct if lex.share(w) <= config.common_share]
        if not terms and len(content) <= 3:
            terms = content
        if not terms and not query.phrases:
            return []
        terms.sort(key=lambda w: -lex.idf(w))
        terms = terms[: config.max_terms]
        occasion, at = self._know.occasions.named(corrected, self._phrase_count)
        compounds = lex.compounds(corrected) if config.join_compounds else {}
        spellings = _with_compounds(lex.variants_of, compounds)
        scope = Scope(date_from=query.date_from, date_to=query.date_to)
        if query.speaker:
            scope = Scope(
                people=people,
                speaker=None if people else query.speaker,
                date_from=query.date_from,
                date_to=query.date_to,
            )
        asked = scoring.Asked(
            text=" ".join(corrected),
            weights={stem(w): lex.idf(w) for w in distinct},
            phrases=[" ".join(words(p)) for p in query.phrases],
            people=people,
            prefer_from=query.prefer_from,
            prefer_to=query.prefer_to,
            known=known,
            log_shares={stem(w): math.log10(lex.share(w)) for w in distinct if lex.share(w) > 0},
            log_answers=math.log10(max(1, lex.answers)),
            subject=self._know.subject if not people and not query.speaker else None,
            occasion=frozenset(stem(w) for w in occasion),
            families=lex.families(
                (stem(w) for w in distinct), config.family_endings, config.family_stem
            ),
            about=understood.framed and not query.phrases,
            compounds={stem(j): (stem(a), stem(b)) for j, (a, b) in compounds.items()},
        )
        span = len(corrected) + 2  # a word or two the user forgot
        scopes = [scope]
        if (query.prefer_from or query.prefer_to) and not (scope.date_from or scope.date_to):
            # "in 2021": answers of those dates first, then any others
            dated = Scope(scope.people, scope.speaker, query.prefer_from, query.prefer_to)
            scope = Scope(scope.people, scope.speaker)
            scopes = [dated, scope]
        if people and not scope.people:
            mine = [Scope(people, None, s.date_from, s.date_to) for s in scopes]
            # "what did putin say about ...": only that person's words answer it, not
            # someone else's about the topic ("putin on taylor swift"); a name among the
            # words ("fauci booster shots"): their answers first, then everyone's
            scopes = mine if understood.framed else mine + scopes
        rounds = [(s, config, terms) for s in scopes]
        if at and len(occasion) < len(content):
            # "putin at valdai on the west": the answers of that occasion holding the
            # rest, once the others hold no likely one
            rest = [t for t in terms if t not in occasion]
            rounds.append((replace(scope, people=scope.people or people, sources=at), config, rest))
        if asked.subject is not None and not scope.people and not query.phrases:
            # naming nobody, and everyone's answers hold no likely one: the subject's
            # too, where they outnumber nobody, in a short second round (an exact
            # phrase is found wherever it is). Its pool is the engine's own however
            # many hits are asked: a verification or a search in depth asks for many,
            # and each is a long speech to read.
            subject_round = replace(self.config, first_lookup=config.subject_lookup, left_out=0)
            theirs = [Scope((asked.subject,), None, s.date_from, s.date_to) for s in scopes]
            if len(content) <= config.subject_first_words:
                # a topic of one word ("guantanamo", "icebreakers"), no line to match:
                # the subject's words on it first, in full, then everyone's
                rounds = [(s, config, terms) for s in theirs] + rounds
            else:
                rounds += [(s, subject_round, terms) for s in theirs]
        scored: dict[int, tuple[float, dict[str, float], dict[str, Any]]] = {}
        skipped: set[int] = set()  # answers too short to quote
        conn = self._conn()
        for current, round_config, looked_up in rounds:
            second = round_config is not config
            if second and self._best(scored) >= config.sure:
                break  # whatever is shown: a likely answer was found, no second round
            pool = round_config.pool if second else max(config.pool, 2 * limit)
            # in a small corpus every word is common: then the rarest ones all the same
            rare = [w for w in looked_up if lex.share(w) <= config.or_share] or looked_up
            for candidates in lookups(
                conn, looked_up, span, query.phrases, current, round_config, rare, spellings
            ):
                self._score(asked, candidates, scored, pool, skipped)
                if len(candidates) >= config.enough or self._best(scored) >= config.confident:
                    break
            if (threshold > 0 or as_shown) and self._best(scored) >= config.sure:
                break  # the person's own answers hold a likely one: no need of others
        kept: list[Hit | None] = []  # the best ``limit``: None for a hit not shown
        read_with = scoring.weights_with_families(asked)  # the excerpt's stem weights
        seen: list[frozenset] = []  # the shown excerpts' runs of words
        judge = config
        if people and understood.framed and not scope.people:
            # only their words can answer: the best of them is offered as a guess sooner
            judge = replace(config, guess_confidence=config.framed_guess_confidence)
        for sig, row in self._ranked(scored):
            if len(kept) >= limit:
                break
            if not scoring.shown(sig, threshold, judge):
                kept.append(None)  # its excerpt would be read for nothing
                continue
            quote = best_excerpt(
                asked.text,
                row["text"],
                config.quote_chars,
                read_with,
                config.excerpt_scan,
                self._analysis(row["id"], row["text"]).sequence,
            )
            runs = _shingles(quote)
            if any(_same_passage(runs, other, config) for other in seen):
                continue  # the same passage published twice: once is enough
            seen.append(runs)
            kept.append(self._hit(row, quote, sig))
        return [hit for hit in kept if hit is not None]

    def _quotes_of(self, people: tuple[int, ...], query: Query, limit: int) -> list[Hit]:
        """Some people's answers that read well alone, newest first, within the dates the
        query prefers or filters by when it names some (else any): what a query of
        only a name asks for."""
        conn = self._conn()
        ids: list[int] = []
        preferred = (query.date_from or query.prefer_from, query.date_to or query.prefer_to)
        for start, end in dict.fromkeys([preferred, (query.date_from, query.date_to)]):
            ids = store.person_quote_ids(conn, people, max(0, limit), start, end)
            if ids:
                break
        rows = {row["id"]: row for row in store.answer_rows(conn, ids)}
        quote_chars = self.config.quote_chars
        hits = []
        for i in ids:
            if i not in rows:
                continue
            inside, outside = scoring.dated(query.prefer_from, query.prefer_to, rows[i]["date"])
            signals = {"person": 1.0, "date": inside, "other_date": outside}
            hits.append(self._hit(rows[i], standalone_quote(rows[i]["text"], quote_chars), signals))
        return hits

    def _ranked(
        self, scored: dict[int, tuple[float, dict[str, float], dict[str, Any]]]
    ) -> list[tuple[dict[str, float], dict[str, Any]]]:
        """(judged signals, row) best first. The first hit's judgement counts its lead
        over its rival, the best candidate not a copy of it (a clear winner is likelier
        right); the others' do not."""
        ranked = sorted(scored.values(), key=lambda item: -item[0])
        rival = self._rival(ranked)
        out = []
        for i, (_, signals, row) in enumerate(ranked):
            lead = lead_of(ranked, i, rival)
            out.append((scoring.judged(signals, lead, self.config), row))
        return out

    def _best(self, scored: dict[int, tuple[float, dict[str, float], dict[str, Any]]]) -> float:
        """The confidence of the best hit so far (only it and its rival are looked at)."""
        if not scored:
            return 0.0
        top = heapq.nlargest(RIVALS + 1, scored.values(), key=lambda item: item[0])
        judged = scoring.judged(top[0][1], lead_of(top, 0, self._rival(top)), self.config)
        return judged["confidence"]

    def _rival(self, ranked: list[tuple[float, dict[str, float], dict[str, Any]]]) -> int:
        """Where the first candidate's rival is: the best of the next ``RIVALS`` that is
        not a copy of it (one passage published twice, a transcript and the official
        record, is one answer found, not two answers of which the query cannot tell
        which it means); past them when all are copies."""
        first = ranked[0][2] if ranked else None
        for j in range(1, min(len(ranked), RIVALS + 1)):
            if not self._copies(first, ranked[j][2]):
                return j
        return min(len(ranked), RIVALS + 1)

    def _copies(self, one: dict[str, Any], other: dict[str, Any]) -> bool:
        """Whether the shorter answer's words are in the other, as runs of
        ``COPY_PROBE_WORDS`` taken at a quarter, half and three quarters of it: most
        of them found is the same passage, however differently punctuated (their
        folded words are compared: a few substring tests, no tokenizing)."""
        a, b = (self._analysis(row["id"], row["text"]).folded for row in (one, other))
        short, long = sorted((a, b), key=len)
        tokens = short.split()
        if len(tokens) <= COPY_PROBE_WORDS:
            return bool(short) and short in long
        last = len(tokens) - COPY_PROBE_WORDS
        probes = (
            " ".join(tokens[k : k + COPY_PROBE_WORDS])
            for k in (last // 4, last // 2, 3 * last // 4)
        )
        return sum(probe in long for probe in probes) >= 2

    def _score(
        self,
        asked: scoring.Asked,
        candidates: dict[int, float],
        scored: dict[int, tuple[float, dict[str, float], dict[str, Any]]],
        pool: int,
        skipped: set[int],
    ) -> None:
        fresh = [
            i
            for i in sorted(candidates, key=candidates.__getitem__)
            if i not in scored and i not in skipped
        ]
        if len(fresh) > pool:
            # the index's best few, and the ones holding most of the query at a glance
            config = self.config
            texts = store.answer_texts(self._conn(), fresh[config.pool_by_rank :])
            held = {i: scoring.glance(asked, *texts[i], config) for i in texts}
            glanced = sorted(texts, key=lambda i: -held[i])  # stable: by rank
            taken = pool - config.pool_by_rank  # how many the glance chooses
            if config.glance_pairs and 0 < taken < len(glanced):
                # those tied with the last one taken: the line's word pairs decide
                last = held[glanced[taken - 1]]
                tied = [i for i in glanced if held[i] >= last]
                tied.sort(key=lambda i: (-held[i], -scoring.glance_pairs(asked, texts[i][0])))
                glanced[: len(tied)] = tied
            fresh = fresh[: config.pool_by_rank] + glanced
        for row in store.answer_rows(self._conn(), fresh[:pool]):
            analysis = self._analysis(row["id"], row["text"])
            if analysis.words < self.config.min_quote_words:
                skipped.add(row["id"])  # "Sure.", "Yeah, yeah.": not a quote, whatever asked
                continue
            if scoring.echoes(asked, analysis, self.config):
                skipped.add(row["id"])  # it names the topic asked about, and no more
                continue
            signals = self.signals(asked, row)
            if scoring.asked_back(asked, row["text"], analysis, signals, self.config):
                skipped.add(row["id"])  # "You mean in reference to ...?": no answer
                continue
            scored[row["id"]] = (scoring.relevance(signals, self.config), signals, row)

    def signals(self, asked: scoring.Asked, row: dict[str, Any]) -> dict[str, float]:
        """Every signal of one candidate, by name (0..1 each)."""
        config = self.config
        answer = scoring.as_asked(asked, self._analysis(row["id"], row["text"]))
        asked_words = words(row["question"] or "")
        question_counts = scoring.stems_as_asked(asked, Counter(stem.many(asked_words)))
        # the occasion named, as the source's title or place holds it, counts as the
        # question's words do ("putin at valdai on the west": a Valdai answer)
        context = self._context(asked, row)
        question_counts.update(context)
        question_stems = set(question_counts)
        by_person, by_other = scoring.person(asked, row.get("person_id"))
        in_dates, out_dates = scoring.date(asked, row["date"])
        has_phrase, lacks_phrase = scoring.phrase(asked, answer)
        aligned = scoring.alignment(asked, answer.folded)
        aligned_question = scoring.alignment(asked, " ".join(asked_words))
        return {
            "coverage": scoring.coverage(asked, answer),
            "question_coverage": scoring.question_coverage(asked, answer, question_stems),
            "alignment": aligned,
            "question_alignment": aligned_question,
            "best_alignment": max(aligned, aligned_question),
            "verbatim": scoring.verbatim(aligned, config),
            "bm25": scoring.bm25(asked, answer, self.lexicon.mean_words, config, question_counts),
            "focus": scoring.focus(asked, answer, config),
            "proximity": scoring.proximity(asked, answer, config),
            "substance": scoring.substance(answer, config),
            "length": scoring.length(answer, config),
            "asks": scoring.asks(row["text"]),
            "known": asked.known,
            "specific": scoring.specific(asked, answer, question_stems, config),
            "scale": scoring.scale(asked, config),
            "person": by_person,
            "other_person": by_other,
            "subject": scoring.subject(asked, row.get("person_id")),
            "date": in_dates,
            "other_date": out_dates,
            "phrase": has_phrase,
            "missing_phrase": lacks_phrase,
            "occasion": scoring.share(asked, context),
        }

    def _context(self, asked: scoring.Asked, row: dict[str, Any]) -> frozenset[str]:
        """The stems of the query's occasion words that the title or place of the source
        of the answer ``row`` holds: its context, as the question asked before it is."""
        if not asked.occasion:
            return frozenset()
        return self._know.occasions.context(row["source_id"], asked.occasion)

    def explain(self, raw: str, limit: int = 5) -> str:
        """How ``raw`` was understood, and every candidate's signals with their weights
        and the judgement made of it, best first (``quotebot search --explain``)."""
        config = self.config
        query = Query.parse(raw, max_chars=config.max_query_chars)
        understood, corrected, known = self.understand(query)
        named = " or ".join(self.people.people[p].name for p in understood.people)
        subject = self.people.people.get(self._know.subject) if self._know.subject else None
        lines = [
            f"query: {raw!r}",
            f"  person: {named or '-'}"
            + (" (framed: only their words)" if named and understood.framed else "")
            + (
                f" (naming nobody: the subject's, {subject.name}'s, answers count for more)"
                if subject and not named
                else ""
            ),
            f"  topic words: {' '.join(understood.topic) or '-'}",
            f"  after correction: {' '.join(corrected) or '-'} (known share {known:.2f},"
            f" under {config.min_known_meaning:.2f} is no query;"
            f" {len(corrected)} of {len(understood.topic)} words known or corrected,"
            f" fewer than {config.min_known_words:.0%} is no query)",
        ]
        if query.phrases:
            lines.append(f"  exact phrases: {query.phrases}")
        spelled = [self.lexicon.variants_of(w) for w in dict.fromkeys(corrected)]
        if any(len(ways) > 1 for ways in spelled):
            lines.append(
                "  spellings looked up: "
                + ", ".join("/".join(ways) for ways in spelled if len(ways) > 1)
                + " (one word: British and American)"
            )
        compounds = self.lexicon.compounds(corrected) if config.join_compounds else {}
        if compounds:
            lines.append(
                "  written as one too: "
                + ", ".join(f"{a} {b}/{joined}" for joined, (a, b) in compounds.items())
            )
        occasion, at = self._know.occasions.named(corrected, self._phrase_count)
        if occasion:
            lines.append(
                f"  occasion: {' '.join(occasion)} (named by the title or place of {len(at)}"
                " source(s): their answers count it as a word of the question asked)"
            )
        if query.prefer_from or query.prefer_to:
            lines.append(
                f"  preferred dates: {query.prefer_from or '…'} to {query.prefer_to or '…'}"
            )
        if query.date_from or query.date_to:
            lines.append(f"  date filter: {query.date_from or '…'} to {query.date_to or '…'}")
        hits = self.search(raw, limit, threshold=0.0, as_shown=True)
        if not hits:
            lines.append("no candidates")
        for rank, hit in enumerate(hits, 1):
            s = hit.signals
            shown = "shown" if scoring.shown(s, config.min_answerable, config) else "hidden"
            lines.append(
                f"#{rank} {hit.id} {hit.who}: confidence {s.get('confidence', 0):.2f},"
                f" answerable {s.get('answerable', 0):.2f} ({shown}),"
                f" relevance {s.get('relevance', 0):.2f}, lead {s.get('lead', 0):.2f}"
            )
            lines.append(f"    {hit.quote[:100]}")
            for name, value in s.items():
                if name in config.weights and value:
                    weight = config.weight(name)
                    lines.append(
                        f"    {name:<20} {value:6.3f} x {weight:7.3f} = {value * weight:7.3f}"
                    )
        return "\n".join(lines)

    # -- fetching ------------------------------------------------------------------
    def _hit(self, row: dict[str, Any], quote: str, signals: dict[str, float] | None = None) -> Hit:
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
            score=max(0, min(100, round(100 * (signals or {}).get("confidence", 1.0)))),
            person=row.get("person"),
            signals={k: round(v, 3) for k, v in (signals or {}).items()},
            guess=scoring.is_guess(signals or {}, self.config),
        )

    def get(self, answer_id: int, at: int = 0) -> Hit | None:
        """One answer by id (deep links, buttons), excerpted as a standalone quote: from
        character ``at`` when that is inside it (where the passage a search showed
        begins), else from the opening."""
        rows = store.answer_rows(self._conn(), [answer_id])
        if not rows:
            return None
        text = rows[0]["text"]
        start = at if 0 < at < len(text) else 0
        return self._hit(rows[0], standalone_quote(text[start:], self.config.quote_chars))

    def reads_well(self) -> list[int]:
        """Ids of the answers that read well alone (:data:`store.READS_WELL`), cached."""
        if self._reads_well is None:
            self._reads_well = store.reads_well_ids(self._conn())
        return self._reads_well

    def answer_ids(self) -> list[int]:
        """Ids of every answer in the corpus."""
        return store.answer_ids(self._conn())

    def random(
        self,
        rng: random_module.Random | None = None,
        person: int | None = None,
        about: str = "",
    ) -> Hit | None:
        """A random quotable answer that reads well on its own; ``person``: theirs (the
        fullest answer of one of their sources); ``about``: one of the best answers to
        it as a search (``/random kirby taiwan``), the person's own when one is given,
        or None when nothing answers it. Words that only name the person are no topic."""
        topic = self.topic_of(about) if about.strip() else []
        if topic:
            hits = self.search(about, limit=RANDOM_ON_TOPIC)
            if person is not None:
                hits = [h for h in hits if h.signals.get("person") == 1.0]
            # the likely answers, or the best there is: not a long shot at random
            likely = [h for h in hits if h.signals.get("confidence", 0.0) >= self.config.sure]
            return (rng or random_module).choice(likely or hits[:1]) if hits else None
        if person is None:
            ids = self.reads_well()
        else:
            ids = store.person_quote_ids(self._conn(), (person,), RANDOM_SOURCES)
        if not ids:
            return None
        return self.get((rng or random_module).choice(ids))

    def topic_of(self, text: str) -> list[str]:
        """The words of ``text`` that are about something, once the people it names
        and any framing are set aside ("kirby taiwan": "taiwan"; "the russian
        president": none, a name of Putin's)."""
        query = Query.parse(text)
        understood = self.understand(query)[0]
        if not understood.people and self._speaker_person(text, framed=True) is not None:
            return []
        return [w for w in understood.topic if w not in FUNCTION_WORDS]

    def speaks(self, speaker: str) -> bool:
        """Whether ``speaker:`` as given names someone who answers: a person search
        knows, or a speaker label."""
        return self._speaker_person(speaker) is not None or store.label_answers(
            self._conn(), speaker
        )

    def asked_for(self, text: str) -> str | None:
        """The name of the one person whose words alone ``text`` asks for ("biden on
        afghanistan", "what did psaki say about ..."): only theirs are searched, so an
        empty reply says nothing of what others said. None for any other query."""
        query = Query.parse(text)
        if query.speaker:
            return None
        understood = self.understand(query)[0]
        if not understood.framed or len(understood.people) != 1:
            return None
        return self._know.people.people[understood.people[0]].name

    def stranger(self, text: str) -> Stranger | None:
        """Someone whose words ``text`` asks for ("obama on healthcare", "what did merkel
        say about refugees") when nobody of that name answers in the corpus: the name as
        the corpus writes it ("Obama"), and the search for what others said of them
        ("obama healthcare"); None when the query names someone who answers, or no one."""
        query = Query.parse(text)
        if query.speaker:
            return None  # told apart already: "No one called ... answers"
        if self.understand(query)[0].people:
            return None
        for name, topic in framed_names(query):
            written = self.written_as_name(name)
            if written:
                return Stranger(written, " ".join([*name, *topic]))
        return None

    def written_as_name(self, name: list[str]) -> str | None:
        """``name`` (folded words) as the corpus writes it when it writes every word
        as a name ("lincoln": "Lincoln"), whether or not they answer; else None."""
        conn = self._conn()
        written = [_written_name(conn, w) if w in self.vocab else None for w in name]
        return " ".join(filter(None, written)) if name and all(written) else None

    def person_named(self, text: str) -> int | None:
        """The person ``text`` names ("psaki", "jen saki", "president putin", a first name
        alone: "karine"), if one."""
        understood = understand(
            Query.parse(text), self.people, self.lexicon.established, self.lexicon.nearest
        )
        if len(understood.people) == 1:
            return understood.person
        return self._speaker_person(text, framed=True)


__all__ = [
    "QUOTE_CHARS",
    "Hit",
    "Query",
    "Searcher",
    "Stranger",
    "fold",
    "split_sentences",
    "standalone_quote",
]
