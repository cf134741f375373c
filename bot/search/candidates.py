"""Candidates: answer ids worth scoring, from full-text lookups that widen step by step."""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .. import store
from ..words import FUNCTION_WORDS, words
from .config import SearchConfig

# The rank of an answer from a lookup so narrow that all its matches are scored: before
# any ranked one (FTS5 ranks are negative, lower is better).
ALL_SCORED = float("-inf")
# A NEAR group takes phrases, not ORs: a group whose words have other spellings is
# looked up as an OR of NEARs, one per way of spelling them, at most this many.
MAX_SPELLED_GROUPS = 4


@dataclass(frozen=True)
class Scope:
    """Which answers a lookup may return: some people's, a speaker label's, a date
    range, some sources' (an occasion named)."""

    people: tuple[int, ...] = ()
    speaker: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    sources: tuple[int, ...] = ()


def _term(word: str) -> str:
    return f'"{word}"'


def _as_spelled(spelled: tuple[str, ...]) -> str:
    """One word of a lookup, any of its spellings."""
    if len(spelled) == 1:
        return _term(spelled[0])
    return "(" + " OR ".join(map(_term, spelled)) + ")"


def _spelled_groups(group: list[tuple[str, ...]]) -> list[list[str]]:
    """The ways of spelling a group of words, as written first, at most
    ``MAX_SPELLED_GROUPS`` of them."""
    return [list(c) for c in itertools.islice(itertools.product(*group), MAX_SPELLED_GROUPS)]


def lookups(
    conn: sqlite3.Connection,
    terms: list[str],
    span: int,
    phrases: list[str],
    scope: Scope,
    config: SearchConfig,
    rare: list[str] | None = None,
    spellings: Callable[[str], tuple[str, ...]] | None = None,
) -> Iterator[dict[int, float]]:
    """Answer ids with their best bm25 rank, wider each time the caller asks for more.

    A lookup that matches at most ``config.pool`` answers returns them all unranked,
    with rank ``ALL_SCORED`` (every one is scored: no need of the index's costly bm25
    to choose among them); a wider one, its best by bm25.

    Words of a remembered line occur together, so the first try is the rarest words
    NEAR each other (within ``span`` words): selective even when every word is
    common; then the same with each word left out in turn (one of them may be a
    wrong correction or a wrong memory), and with every function word left out (the
    query's "from" may be none of the answer's); then both again as plain ANDs, for a
    paraphrase whose words are spread over the answer; an OR of the rarest words
    covers topic queries. ``terms`` come rarest first; ``rare`` are the ones selective
    enough for the OR (an OR of everyday words would rank half the corpus).
    ``spellings`` gives a word's spellings the corpus has (British and American): any
    of them matches.
    """
    rare = terms if rare is None else rare
    spelled = {t: spellings(t) if spellings else (t,) for t in dict.fromkeys([*terms, *rare])}
    found: dict[int, float] = {}
    quoted = [_term(" ".join(words(p))) for p in phrases]
    asked: set[tuple[str, int]] = set()  # a lookup asked twice finds nothing new

    def lookup(match: str, limit: int) -> None:
        expression = " AND ".join([*quoted, f"({match})"] if match else quoted)
        if not expression or (expression, limit) in asked:
            return
        asked.add((expression, limit))
        where = {
            "speaker": scope.speaker,
            "people": scope.people,
            "date_from": scope.date_from,
            "date_to": scope.date_to,
            "sources": scope.sources,
        }
        few = None
        if config.probe_unranked:
            few = store.match_answers(conn, expression, config.pool + 1, ranked=False, **where)
        if few is not None and len(few) <= config.pool:
            rows = [(rowid, ALL_SCORED) for rowid, _ in few]
        else:
            rows = store.match_answers(conn, expression, limit, **where)
        for rowid, rank in rows:
            found[rowid] = min(rank, found.get(rowid, 0.0))

    def near(group: list[str]) -> str:
        ways = _spelled_groups([spelled[t] for t in group])
        return " OR ".join(f"NEAR({' '.join(map(_term, way))}, {span})" for way in ways)

    def both(group: list[str]) -> str:
        return " AND ".join(_as_spelled(spelled[t]) for t in group)

    if not terms:
        lookup("", config.first_lookup)
        if found:
            yield found
        return
    # the words with every function word left out: "from" in "drug trafficking from
    # afghanistan is increasing" is the query's, not the answer's
    core = [t for t in terms if t not in FUNCTION_WORDS]
    for together in ([near] if len(terms) > 1 else []) + [both]:
        lookup(together(terms), config.first_lookup)
        if found:
            yield found
        if len(terms) > 2:
            for left_out in range(min(len(terms), config.left_out)):
                lookup(together(terms[:left_out] + terms[left_out + 1 :]), config.later_lookup)
            if 1 < len(core) < len(terms):
                lookup(together(core), config.later_lookup)
            if found:
                yield found
    if rare:
        lookup(
            " OR ".join(_term(w) for t in rare[: config.or_terms] for w in spelled[t]),
            config.first_lookup,
        )
        if found:
            yield found
