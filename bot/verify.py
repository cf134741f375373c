"""Did they really say that? A verdict on a line someone attributes to a speaker.

People paste a line they saw ("did putin say ...", "is it true psaki said ...", or a
line in quotation marks) and want to know whether it is in a transcript. The search
engine finds the passages that could be meant; each is re-checked here by aligning
the user's words with the answer's words (difflib on folded words, in a window of
the answer found by a character-level alignment), and the verdict is one of:

- ``verbatim``: every word is in the transcript as given (case and punctuation aside);
- ``close``: the same passage, with some words different, missing or added;
- ``paraphrase``: the search finds an answer with confidence, but the words do not
  line up: the same idea in other words, as far as a lexical engine can tell;
- ``not_found``: nothing close, with what was searched (a person's answers and dates,
  or the whole corpus).

Every threshold is in :class:`VerifyConfig`, chosen with ``python -m bench.verify_bench``.
Nothing here imports ``telegram``; the renderers give Telegram HTML and plain text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from html import escape, unescape
from typing import Any

from rapidfuzz import fuzz

from . import store
from .render import MESSAGE_LIMIT, fit, hit_html, hit_text, human_date, units
from .search import Hit, Searcher
from .transcripts.speakers import is_asker_label
from .words import (
    FUNCTION_WORDS,
    cut_at_word,
    fold,
    sentence_ends,
    stem,
    without_markup,
    words,
)

VERBATIM, CLOSE, PARAPHRASE, NOT_FOUND = "verbatim", "close", "paraphrase", "not_found"
VERDICTS = (VERBATIM, CLOSE, PARAPHRASE, NOT_FOUND)


@dataclass(frozen=True)
class VerifyConfig:
    """Every number the verdict depends on, with its unit and why it has that value.

    The verdict thresholds (``close_*``, ``paraphrase_*``) were chosen on the
    calibration half of ``bench/verify_bench.py`` (seeds alone and seeds mixed into
    three corpora) and checked on the other half; see README "Measured figures".
    """

    # Hits of the engine re-checked by alignment (hits). The right passage of a line
    # with words changed is in the engine's first 10 in every benchmark case; more
    # only costs time.
    candidates: int = 10
    # When the line is not found verbatim, runs of this many of its words are searched
    # as exact phrases (words): a line with four words changed in twenty still has an
    # intact run of five; shorter runs ("I do not know") are everywhere.
    chunk_words: int = 5
    # At most this many runs are searched (searches), spread over the line, each for
    # this many hits: the cost of a verdict stays bounded (about 30 ms a search over
    # 131k answers).
    max_chunks: int = 6
    phrase_candidates: int = 5
    # Least share of the line's words found in order in the passage, 2*M/(U+R) with
    # M words matched, U the line's words and R the passage's (0..1), for ``close``.
    # Calibrated: 99% of lines with 1-4 words changed pass; the best passage of an
    # invented line reaches 0.46 at most (everyday words in the same order).
    close_min_ratio: float = 0.7
    # Least run of consecutive words the line and the passage share, for ``close``
    # (words). Calibrated: a longer run loses lines whose every third word is changed
    # or swapped, and the ratio already keeps invented lines out.
    close_min_run: int = 2
    # Least confidence of the engine's first hit (its 0-100 score) for ``paraphrase``:
    # the engine finds the answer through its rare words although they are
    # rearranged; below it, a line is ``not_found``. Calibrated on hand-written
    # paraphrases against invented lines (at most 5% of these called paraphrase).
    paraphrase_min_score: int = 80
    # Least idf-weighted share of the line's distinct words (stemmed) present in the
    # aligned window of that answer, for ``paraphrase`` (0..1): our own check that the
    # topic words are really there, not only the engine's word. Calibrated with the
    # score: invented lines the engine scores high share few rare words with the hit.
    paraphrase_min_overlap: float = 0.3
    # Words around the character-level match searched for the word alignment, as a
    # share of the line's words (and at least ``window_min_slack`` words): room for
    # words the user dropped or added.
    window_slack: float = 0.5
    window_min_slack: int = 4
    # A line shorter than this is no claim to verify (words): two or three words are
    # found verbatim in many answers and say nothing about who said what.
    min_claim_words: int = 4
    # ... unless the user names who said it ("did kirby say russia will win"): within
    # one person's answers, a few words say something.
    min_attributed_claim_words: int = 2
    # Unframed text this long reads like a quotation and is checked first (words); the
    # verdict leads only when it is verbatim or close. Real lines run 8-40 words; of
    # the 399 natural search queries 38% reach 10 words, and 6 of those (mostly lines
    # remembered in one's own words) get a verdict first; at 8 words twice as many.
    quotation_words: int = 10
    # The part of a line checked (characters): the engine reads 500 characters of a
    # query; a longer paste is checked on its first 500, cut at a word.
    max_line_chars: int = 500
    # Characters of the transcript shown around the aligned words as the quote: the
    # engine's quote length.
    quote_chars: int = 400


DEFAULT = VerifyConfig()


# -- what the user claims --------------------------------------------------------
_OPEN_Q = "\"“”«„‘'"
_CLOSE_Q = "\"”“»’'"
_SAY = (
    r"(?:said|says|say|stated|states|state|claimed|claims|claim|told|tells|tell|wrote|"
    r"declared|declares|declare|remarked|remarks|put it)"
)
_ADVERB = r"(?:(?:really|actually|ever|once|truly|publicly|in fact)\s+)?"
# Asking whether a topic came up, not about a line: "did kirby say anything about
# wagner", "is it true psaki said something on inflation", "did putin say about nato"
_VAGUE = r"(?:something|anything|a lot|a few things|a thing|things|much|little|stuff)"
_ABOUT_A_TOPIC = (
    rf"(?!\s*(?:{_VAGUE}\s+(?:about|on|regarding|concerning|of|re)|about|regarding|concerning)\b)"
)
# "is it true (that) X said (that) ...", "did you know X said ..."
_IS_IT_TRUE = re.compile(
    rf"^\s*(?:is it (?:really )?true|is it a fact|did you know|have you heard|i heard|"
    rf"i read|apparently)(?:\s+that)?\s+(?P<who>.+?)\s+{_ADVERB}{_SAY}"
    rf"(?:\s+that\b|\s*[:,])?{_ABOUT_A_TOPIC}\s*(?P<line>.+)$",
    re.I | re.S,
)
# "did X (really) say (that) ...", "has X ever said ..."
_DID = re.compile(
    rf"^\s*(?:did|does|has|have|had)\s+(?P<who>.+?)\s+{_ADVERB}{_SAY}"
    rf"(?:\s+that\b|\s*[:,])?{_ABOUT_A_TOPIC}\s*(?P<line>.+)$",
    re.I | re.S,
)
# 'X said "..."', 'X: "..."' (a name and a phrase in quotation marks alone, 'putin
# "cold war"', is a search for the phrase)
_SAID_QUOTED = re.compile(
    rf"^\s*(?P<who>[^\"“”«»„:]{{2,80}}?)\s*(?:\s{_ADVERB}{_SAY}\s*(?:that)?\s*[:,]?|\s*:)\s*"
    rf"[{_OPEN_Q}](?P<line>.+)[{_CLOSE_Q}]\s*[?!.]*\s*$",
    re.I | re.S,
)
# "who said ...": the line is what is asked about, and whose it is the answer
_WHO_SAID = re.compile(
    r"^\s*(?:who|which \w+)\s+(?:(?:really|actually|first|once)\s+)?"
    r"(?:said|says|has said|was it (?:that|who) said|is it (?:that|who) said)"
    r"(?:\s+that\b|\s*[:,])?\s*(?P<line>.+?)\s*\??\s*$",
    re.I | re.S,
)
# "putin said (that) nato is a relic": a line attributed without quotation marks, by
# a name (no question word, no pronoun: "what putin said about", "he said"), the line
# no topic ("said about nato")
_SAID_PLAIN = re.compile(
    rf"^\s*(?P<who>(?:[^\W\d_][\w.'’-]*\s+){{0,3}}?[^\W\d_][\w.'’-]*)\s+{_ADVERB}"
    r"(?:said|says|stated|claimed|claims|declared|wrote|told us|told reporters)"
    r"(?:\s+that\b|\s*[:,])?\s+"
    # "said about nato", "said something about circling back": a topic, not a line
    rf"(?!(?:{_VAGUE}\s+)?"
    r"(?:about|on|regarding|concerning|of|re)\b)(?P<line>.+)$",
    re.I | re.S,
)
# A line its sender remembers loosely ("something like", "words to the effect that"):
# words to look for, not a quotation to check.
_HEDGE = re.compile(
    r"^\s*(?:something|anything)?\s*(?:like|along the lines of|to the effect (?:of|that)|"
    r"similar to)\b|^\s*(?:words|something) to the effect\b|^\s*(?:roughly|more or less|"
    r"basically|essentially|kind of|sort of|approximately)\b",
    re.I,
)
_QUOTED = re.compile(r"[\"“«„](?P<line>[^\"“”«»„]+)[\"”»“]")
_FILTER = re.compile(r"(?:^|\s)(?:speaker|from|to):\S", re.I)
_WORD = re.compile(r"[^\W_]+")
# Words before a name that are not the name ("president putin", "mr biden").
_TITLE_WORDS = 2
# Other bearers of a bare surname searched when the best-known one never said the line.
_NAMESAKES = 3
_PRONOUNS = {"he", "she", "they", "it", "you", "i", "we", "someone", "somebody", "anyone"}
# Who is no one in particular: "someone said ..." asks whether anyone did.
_ANYONE = {"someone", "somebody", "anyone", "anybody", "everyone", "everybody", "people"}


@dataclass(frozen=True)
class Claim:
    """A line to verify and who it is attributed to.

    ``who``: the name as typed (None when nobody is named); ``framed``: the user
    asked outright ("did X say", quotation marks), so the verdict leads whatever it is;
    ``whose``: asked who said it ("who said ..."), so the verdict says who did.
    """

    line: str
    who: str | None = None
    framed: bool = False
    whose: bool = False


def _strip_quotes(text: str) -> str:
    text = text.strip().rstrip("?!").strip()
    if len(text) > 1 and text[0] in _OPEN_Q and text[-1] in _CLOSE_Q + ".,":
        text = text[1:].rstrip(".,")[:-1] if text[-1] in ".," else text[1:-1]
    return text.strip()


def claim_of(text: str, config: VerifyConfig = DEFAULT, loosely: bool = False) -> Claim | None:
    """The claim in a message, or None when it does not read like a quotation.

    A quotation is: "did X say ...", "is it true X said ...", 'X said "..."', "X said
    ..." (a line of ``min_claim_words`` or more), a run of words in quotation marks, or
    unframed text of ``quotation_words`` words or more.
    Search filters (``speaker:``, ``from:``) mean a search, never a claim, and so does
    a line remembered loosely ("putin said something like ..."), unless ``loosely``:
    then the line is checked without the words that hedge it.
    """
    text = " ".join(without_markup(text or "").split())
    if not text or _FILTER.search(text):
        return None
    claim: Claim | None = None
    asked_whose = _WHO_SAID.match(text)
    if asked_whose:
        claim = Claim(_strip_quotes(asked_whose["line"]), None, True, whose=True)
    for pattern in () if claim else (_IS_IT_TRUE, _DID, _SAID_QUOTED):
        match = pattern.match(text)
        if match:
            who = " ".join(match["who"].split())
            who = None if fold(who) in _PRONOUNS or len(words(who)) > 6 else who
            claim = Claim(_strip_quotes(match["line"]), who, True)
            break
    if claim is None:
        match = _SAID_PLAIN.match(text)
        who = " ".join(match["who"].split()) if match else ""
        line = _strip_quotes(match["line"]) if match else ""
        anyone = fold(who) in _ANYONE
        if (
            match
            and (anyone or not any(w in FUNCTION_WORDS for w in words(who)))
            and len(words(line)) >= config.min_claim_words
        ):
            claim = Claim(line, None if anyone else who, True)
    if claim is None:
        quoted = [m["line"].strip() for m in _QUOTED.finditer(text)]
        quoted = [q for q in quoted if len(words(q)) >= config.min_claim_words]
        if quoted:
            claim = Claim(max(quoted, key=len), None, True)
        elif len(words(text)) >= config.quotation_words:
            claim = Claim(text, None, False)
    least = config.min_attributed_claim_words if claim and claim.who else config.min_claim_words
    if claim is None or len(words(claim.line)) < least:
        return None
    hedge = _HEDGE.match(claim.line)
    if hedge and not loosely:
        return None
    if hedge and words(claim.line[hedge.end() :]):
        claim = replace(claim, line=re.sub(r"^\s*(?:that\b)?\s*", "", claim.line[hedge.end() :]))
    return claim


# "putin said", "did psaki say?": a name and a verb of saying, and no line after them
_NO_LINE = re.compile(
    rf"^\s*(?:(?:did|does|has|is it true)\s+)?(?:[^\W\d_][\w.'’-]*\s+){{0,4}}?{_ADVERB}{_SAY}"
    r"(?:\s+that)?\s*[?.!:,]*\s*$",
    re.I,
)


def no_line(text: str) -> bool:
    """Whether ``text`` holds no line to check: nothing, or a name and "said" alone."""
    return not words(_strip_quotes(text or "")) or bool(_NO_LINE.match(text))


def asked_outright(text: str) -> Claim | None:
    """The claim in ``text`` when the user asks outright whether it was said
    (``quotebot verify``, ``/verify``): every line is one, however short or unframed,
    and is checked fully; None when there is no line to check ("", "putin said")."""
    text = " ".join(without_markup(text or "").split())
    if no_line(text):
        return None
    any_line = VerifyConfig(quotation_words=0, min_claim_words=1, min_attributed_claim_words=1)
    claim = claim_of(text, any_line, loosely=True)
    if claim and claim.who and len(words(claim.line)) < DEFAULT.min_attributed_claim_words:
        return None  # "putin said nato": a name and a topic, no line to check
    return replace(claim or Claim(text, None, True), framed=True)


def to_check(searcher: Searcher, text: str) -> Claim | None:
    """What ``quotebot verify`` and ``/verify`` check in ``text`` (:func:`asked_outright`);
    None also for a name alone ("putin", "putin:"): whom to check, but no line."""
    claim = asked_outright(text)
    if claim is None:
        return None
    named = claim.who is None and searcher.person_named(claim.line) is not None
    if named and not searcher.topic_of(claim.line):
        return None
    return claim


# -- aligning words ----------------------------------------------------------------
@dataclass(frozen=True)
class Token:
    """A word as written, its folded form, and where it is in its text."""

    text: str
    folded: str
    start: int
    end: int


def tokens(text: str) -> list[Token]:
    """The words of ``text`` with their offsets, folded as :func:`bot.words.words` does."""
    out = []
    for m in _WORD.finditer(text):
        for part in words(m[0]) or [m[0].casefold()]:
            out.append(Token(m[0], part, m.start(), m.end()))
    return out


Op = tuple[str, list[str], list[str]]


@dataclass(frozen=True)
class Alignment:
    """The user's words against a passage of an answer.

    ``diff``: (op, user words, real words), op in equal/replace/delete/insert (difflib
    on words; delete: the user's words the passage lacks, insert: the passage's words
    the user left out). ``start``/``end``: the passage in the answer (characters).
    """

    diff: list[Op]
    start: int
    end: int
    matched: int
    user_words: int
    real_words: int
    longest_run: int

    @property
    def ratio(self) -> float:
        """2*M/(U+R): the share of words the two versions share, in order (0..1)."""
        total = self.user_words + self.real_words
        return 2 * self.matched / total if total else 0.0

    @property
    def verbatim(self) -> bool:
        return bool(self.diff) and all(op == "equal" for op, _, _ in self.diff)

    @property
    def changed(self) -> int:
        """Words that differ: the larger side of every op that is not equal."""
        return sum(max(len(u), len(r)) for op, u, r in self.diff if op != "equal")


def _window(user: list[str], real: list[str], config: VerifyConfig) -> tuple[int, int]:
    """Word range of ``real`` where ``user`` lines up best, with room around it."""
    slack = max(config.window_min_slack, round(config.window_slack * len(user)))
    if len(real) <= len(user) + 2 * slack:
        return 0, len(real)
    starts, pos = [], 0
    for w in real:
        starts.append(pos)
        pos += len(w) + 1
    found = fuzz.partial_ratio_alignment(" ".join(user), " ".join(real))
    lo = max(0, bisect_right(starts, found.dest_start) - 1 - slack)
    hi = min(len(real), bisect_right(starts, max(found.dest_start, found.dest_end - 1)) + slack)
    return lo, hi


def align(line: str, answer: str, config: VerifyConfig = DEFAULT) -> Alignment | None:
    """How the words of ``line`` line up with the best stretch of ``answer``."""
    mine, theirs = tokens(line), tokens(answer)
    user = [t.folded for t in mine]
    if not user or not theirs:
        return None
    folded = [t.folded for t in theirs]
    # where the characters line up best, and where most of the line's words are: a
    # line with words added inside ("the Taliban are, of course, our allies") can line
    # up by characters with another stretch ("the Taliban are also interested")
    passages = [
        _passage(user, folded, lo, hi)
        for lo, hi in dict.fromkeys(
            [_window(user, folded, config), _by_words(user, folded, config)]
        )
    ]
    lo, hi = max(passages, key=lambda p: _agreement(user, folded[p[0] : p[1]]))
    real_tokens = theirs[lo:hi]
    real = [t.folded for t in real_tokens]
    codes = SequenceMatcher(None, user, real, autojunk=False).get_opcodes()
    if not codes:
        return None
    j_first, j_last = codes[0][3], codes[-1][4]
    diff: list[Op] = []
    matched = run = 0
    for op, i1, i2, j1, j2 in codes:
        diff.append((op, [t.text for t in mine[i1:i2]], [t.text for t in real_tokens[j1:j2]]))
        if op == "equal":
            matched += i2 - i1
            run = max(run, i2 - i1)
    if j_last > j_first:
        start, end = real_tokens[j_first].start, real_tokens[j_last - 1].end
    else:
        start = end = real_tokens[j_first].start if j_first < len(real_tokens) else len(answer)
    return Alignment(diff, start, end, matched, len(user), j_last - j_first, run)


def _by_words(user: list[str], real: list[str], config: VerifyConfig) -> tuple[int, int]:
    """Word range of ``real`` whose stretch of the line's length holds most of the
    line's words (the first such), with the same room around it as :func:`_window`."""
    slack = max(config.window_min_slack, round(config.window_slack * len(user)))
    size = len(user)
    if len(real) <= size + 2 * slack:
        return 0, len(real)
    wanted = Counter(user)
    seen: Counter[str] = Counter()
    held = best = best_at = 0
    for i, w in enumerate(real):
        seen[w] += 1
        held += seen[w] <= wanted[w]
        if i >= size:
            old = real[i - size]
            held -= seen[old] <= wanted[old]
            seen[old] -= 1
        if held > best:
            best, best_at = held, max(0, i - size + 1)
    return max(0, best_at - slack), min(len(real), best_at + size + slack)


def _agreement(user: list[str], real: list[str]) -> float:
    """How much of the line and a stretch of words are the same words in order (2M/T)."""
    return SequenceMatcher(None, user, real, autojunk=False).ratio()


def _passage(user: list[str], real: list[str], lo: int, hi: int) -> tuple[int, int]:
    """The word range of ``real[lo:hi]`` the line stands for.

    Of every run of matching blocks, the one whose span shares the most words with
    the line for its length (2*M/(U+R)): a "the" matched a few words before the
    passage must not pull those words in. The span then takes as many words either
    side as the line has unmatched there: a changed first or last word.
    """
    window = real[lo:hi]
    blocks = [b for b in SequenceMatcher(None, user, window, autojunk=False).get_matching_blocks()]
    blocks = [b for b in blocks if b.size]
    if not blocks:
        return lo, lo
    best = (-1.0, 0, 0)
    for p in range(len(blocks)):
        matched = 0
        for q in range(p, len(blocks)):
            matched += blocks[q].size
            span = blocks[q].b + blocks[q].size - blocks[p].b
            ratio = 2 * matched / (len(user) + span)
            if ratio > best[0]:
                best = (ratio, p, q)
    first, last = blocks[best[1]], blocks[best[2]]
    before = first.a  # the line's words before the first match
    after = len(user) - (last.a + last.size)
    # as many words as written: a contraction is one ("don’t" is "don", "t"), so a
    # "dont" typed before the match takes in "I don’t", not "don’t" alone
    start, taken = first.b, 0
    while start > 0 and taken < before:
        start -= 1
        taken += window[start] not in _CONTRACTED_TAILS
    end, taken = last.b + last.size, 0
    while end < len(window) and (taken < after or (taken and window[end] in _CONTRACTED_TAILS)):
        taken += window[end] not in _CONTRACTED_TAILS
        end += 1
    return lo + start, lo + end


def overlap(searcher: Searcher, line: str, passage: str) -> float:
    """Idf-weighted share of the line's distinct words (stemmed) found in ``passage``."""
    from .words import stem

    mine = list(dict.fromkeys(words(line)))
    if not mine:
        return 0.0
    there = set(stem.many(words(passage)))
    weights = {w: searcher.idf(w) for w in mine}
    total = sum(weights.values()) or 1.0
    return sum(weight for w, weight in weights.items() if stem(w) in there) / total


# -- the verdict -------------------------------------------------------------------
@dataclass(frozen=True)
class Verdict:
    """The answer to "did they really say that?".

    ``hit``: the passage (its quote is the sentences around the aligned words);
    ``span``: the aligned words in ``hit.answer`` (characters); ``diff``: the word
    diff (empty for verbatim and not_found); ``coverage``: what was searched, for
    not_found; ``measures``: the alignment figures the verdict was taken on;
    ``nearest``: for not_found, what a search of the line shows (in the person's
    answers when one is named), offered as the nearest there is: "none holds those
    words" must not read as "they never spoke of it".
    """

    kind: str
    claim: Claim
    hit: Hit | None = None
    span: tuple[int, int] | None = None
    diff: list[Op] = field(default_factory=list)
    person: str | None = None
    coverage: dict[str, Any] = field(default_factory=dict)
    measures: dict[str, float] = field(default_factory=dict)
    nearest: Hit | None = None
    # the person the line was attributed to, when it was found in someone else's words
    asked_of: str | None = None
    # when the line is not theirs but the question put to them holds it: who asked
    # (``hit`` is the answer given to it)
    asked_by: str | None = None
    # the engine's candidates the verdict was taken on (their questions are read for
    # ``asked_by``, with no second search)
    candidates: tuple[Hit, ...] = field(default=(), repr=False, compare=False)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "verdict": self.kind,
            "line": self.claim.line,
            "person": self.person,
            "hit": self.hit.to_json() if self.hit else None,
            "span": list(self.span) if self.span else None,
            "diff": [[op, u, r] for op, u, r in self.diff],
        }
        if self.asked_of:
            out["asked_of"] = self.asked_of
        if self.asked_by:
            out["asked_by"] = self.asked_by
        if self.kind == NOT_FOUND:
            out["coverage"] = self.coverage
            out["nearest"] = self.nearest.to_json() if self.nearest else None
        return out


def _person(searcher: Searcher, who: str | None) -> str | None:
    """The canonical name of the person ``who`` names (a title or two before the name
    allowed: "president putin"), else None."""
    if not who:
        return None
    found = searcher.people.whole(words(fold(who)), before=_TITLE_WORDS)
    return None if found is None else searcher.people.people[found].name


def _quote_around(answer: str, start: int, end: int, limit: int) -> str:
    """The sentence(s) of ``answer`` holding ``start:end``, within about ``limit`` chars."""
    ends = sentence_ends(answer, 0, start)
    left = ends[-1] if ends else 0
    after = sentence_ends(answer, end)
    right = after[0] if after else len(answer)
    text = answer[left:right].strip()
    if len(text) <= limit:
        return text
    lo = max(left, start - max(0, (limit - (end - start)) // 2))
    piece = answer[lo:right].strip()
    if lo > left:
        piece = "…" + piece.split(" ", 1)[-1]
    return cut_at_word(piece, limit)


def coverage(searcher: Searcher, person: str | None, who: str | None) -> dict[str, Any]:
    """What a not-found search looked through: the person's answers and dates, or the corpus."""
    conn = store.connect_readonly(searcher.path)
    try:
        if person is not None:
            row = next((r for r in store.people_rows(conn) if r["name"] == person), None)
            if row is not None:
                return {
                    "person": person,
                    "answers": row["answers"],
                    "first_date": row["first_date"],
                    "last_date": row["last_date"],
                }
        stats = store.corpus_stats(conn)
    finally:
        conn.close()
    return {
        "person": None,
        "named": who,
        "answers": stats["answers"],
        "sources": stats["sources"],
        "first_date": stats["first_date"],
        "last_date": stats["last_date"],
    }


def _namesakes(searcher: Searcher, who: str | None, person: str | None) -> list[str]:
    """Other people a bare surname may mean ("adams": Chase Adams, Bram Adams), most
    answers first, beside ``person``, the best-known bearer it was taken for."""
    key = words(fold(who or ""))
    if person is None or len(key) != 1:
        return []
    bearers = [
        p
        for p in searcher.people.people.values()
        if words(fold(p.name))[-1:] == key and p.name != person
    ]
    bearers.sort(key=lambda p: -p.answers)
    return [p.name for p in bearers[:_NAMESAKES]]


def verify(searcher: Searcher, claim: Claim | str, config: VerifyConfig = DEFAULT) -> Verdict:
    """The verdict on ``claim`` (a :class:`Claim`, or a line attributed to nobody,
    which is asked about outright: ``quotebot verify``). A bare surname means its
    best-known bearer; when the line is not found in their words, the words of the
    others of that name are searched too."""
    if isinstance(claim, str):
        claim = Claim(claim, framed=True)
    verdict = _verify(searcher, claim, config)
    if verdict.kind == PARAPHRASE:
        # the question put to them in those words: the reporter's, not a paraphrase
        return _asked_instead(verdict, config) or verdict
    if verdict.kind != NOT_FOUND:
        return verdict
    for name in _namesakes(searcher, claim.who, verdict.person):
        other = _verify(searcher, replace(claim, who=name), config)
        if other.kind in (VERBATIM, CLOSE):
            return replace(other, claim=claim)
    if claim.framed and verdict.person:
        # not theirs: a line put in the wrong mouth is the commonest false quote
        anyone = _verify(searcher, replace(claim, who=None), config)
        if anyone.kind in (VERBATIM, CLOSE) and anyone.hit and anyone.hit.person != verdict.person:
            return replace(anyone, claim=claim, asked_of=verdict.person)
    if not claim.framed:
        return verdict  # only a verdict that leads is shown with the nearest answer
    asked = _asked_instead(verdict, config)
    if asked is not None:
        return asked
    return replace(verdict, nearest=_nearest(searcher, claim.line, verdict.person, config))


def _asked_instead(verdict: Verdict, config: VerifyConfig) -> Verdict | None:
    """Not found in their words (or only paraphrased), asked outright, and the question
    put to them holds the line word for word or close: a reporter's words, the
    commonest line put in an answerer's mouth. The verdict shows the answer given."""
    if not verdict.claim.framed:
        return None
    hit = _in_question(verdict, config)
    if hit is None:
        return None
    return Verdict(
        NOT_FOUND, verdict.claim, hit=hit, person=verdict.person, asked_by=hit.asked_by or "Q"
    )


def _in_question(verdict: Verdict, config: VerifyConfig) -> Hit | None:
    """Of the candidates ``verdict`` was taken on (the person's answers when one is
    named), the answer whose question holds the line word for word or close."""
    line = _query(verdict.claim.line, verdict.person, config)[0]
    for hit in verdict.candidates:
        found = align(line, hit.question, config) if hit.question else None
        if found is not None and decide(
            {"verbatim": found.verbatim, "ratio": found.ratio, "longest_run": found.longest_run},
            config,
        ) in (VERBATIM, CLOSE):
            return hit
    return None


def _query(line: str, person: str | None, config: VerifyConfig) -> tuple[str, str]:
    """(the line as checked, the search for it: in the person's words when named)."""
    line = cut_at_word(line, config.max_line_chars, "")
    return line, f"{person} said {line}" if person else line


def _nearest(searcher: Searcher, line: str, person: str | None, config: VerifyConfig) -> Hit | None:
    """What a search of the line shows (the person's, when one is named), if anything."""
    shown = _mine(searcher.search(_query(line, person, config)[1], limit=1), person)
    return shown[0] if shown else None


def _verify(searcher: Searcher, claim: Claim, config: VerifyConfig) -> Verdict:
    person = _person(searcher, claim.who)
    line, query = _query(claim.line, person, config)
    hits = _mine(searcher.search(query, limit=config.candidates, threshold=0), person)
    best = _best(line, hits, None, config)
    # only a line asked about outright earns the exact-phrase searches (up to six more
    # searches): ten words typed at the bot are a search first, checked in passing
    if claim.framed and (best is None or not best[0].verbatim):
        # a changed word moves the engine to other answers: the line's intact runs
        # of words, searched as exact phrases, find the passage they come from
        seen = {h.id for h in hits}
        scope = f'speaker:"{person}" ' if person else ""
        for chunk in _chunks(words(line), config):
            more = searcher.search(f'{scope}"{chunk}"', config.phrase_candidates, threshold=0)
            best = _best(line, [h for h in _mine(more, person) if h.id not in seen], best, config)
            seen.update(h.id for h in more)
            if best is not None and best[0].verbatim:
                break
    measures: dict[str, float] = {}
    if best is not None:
        found = best[0]
        measures.update(
            verbatim=float(found.verbatim),
            ratio=round(found.ratio, 3),
            longest_run=found.longest_run,
            changed=found.changed,
        )
    top = hits[0] if hits else None  # the engine's most confident hit
    top_found = align(line, top.answer, config) if top else None
    if top is not None and top_found is not None:
        window = top.answer[top_found.start : top_found.end]
        measures.update(top_score=top.score, overlap=round(overlap(searcher, line, window), 3))
    kind = decide(measures, config)
    if kind in (VERBATIM, CLOSE) and best is not None:
        verdict = _found(claim, kind, best[1], best[0], person, measures, config)
    elif kind == PARAPHRASE and top is not None and top_found is not None:
        verdict = _found(claim, kind, top, top_found, person, measures, config)
    else:
        verdict = Verdict(
            NOT_FOUND,
            claim,
            person=person,
            coverage=coverage(searcher, person, claim.who),
            measures=measures,
        )
    return replace(verdict, candidates=tuple(hits))


def _mine(hits: list[Hit], person: str | None) -> list[Hit]:
    """The hits by ``person`` (all of them when nobody is named)."""
    return hits if person is None else [h for h in hits if h.person == person]


def _best(
    line: str, hits: list[Hit], best: tuple[Alignment, Hit] | None, config: VerifyConfig
) -> tuple[Alignment, Hit] | None:
    """The best-aligned of ``hits`` and ``best``: verbatim first, then the one holding
    most of the line's words (a passage with words the user left out, "The Houthis may
    be pulling the trigger, but, as I’ve said, Iran is giving them the guns", says the
    line more than a shorter one with words replaced), then the ratio."""

    def key(found: Alignment) -> tuple[bool, int, float]:
        return found.verbatim, found.matched, found.ratio

    for hit in hits:
        found = align(line, hit.answer, config)
        if found is None:
            continue
        if best is None or key(found) > key(best[0]):
            best = found, hit
    return best


def _chunks(tokens: list[str], config: VerifyConfig) -> list[str]:
    """Up to ``max_chunks`` runs of ``chunk_words`` words, spread evenly over the line."""
    size = config.chunk_words
    if len(tokens) <= size:
        return []
    starts = range(0, len(tokens) - size + 1)
    step = max(1, len(starts) // config.max_chunks + (len(starts) % config.max_chunks > 0))
    return [" ".join(tokens[i : i + size]) for i in list(starts)[::step][: config.max_chunks]]


def decide(measures: dict[str, float], config: VerifyConfig = DEFAULT) -> str:
    """The verdict from the alignment measures of :func:`verify` (the benchmark
    re-decides recorded measures with other thresholds through this too)."""
    if measures.get("verbatim"):
        return VERBATIM
    if (
        measures.get("ratio", 0.0) >= config.close_min_ratio
        and measures.get("longest_run", 0) >= config.close_min_run
    ):
        return CLOSE
    if (
        measures.get("top_score", 0) >= config.paraphrase_min_score
        and measures.get("overlap", 0.0) >= config.paraphrase_min_overlap
    ):
        return PARAPHRASE
    return NOT_FOUND


def _found(
    claim: Claim,
    kind: str,
    hit: Hit,
    found: Alignment,
    person: str | None,
    measures: dict[str, float],
    config: VerifyConfig,
) -> Verdict:
    # a paraphrase is shown as the search excerpts it (the sentences holding most of
    # the line's meaning); a line in the transcript's own words, around those words
    quote = (
        ""
        if kind == PARAPHRASE
        else _quote_around(hit.answer, found.start, found.end, config.quote_chars)
    )
    return Verdict(
        kind,
        claim,
        replace(hit, quote=quote or hit.quote),
        (found.start, found.end),
        [] if kind == VERBATIM else found.diff,
        person,
        measures=measures,
    )


# -- rendering ---------------------------------------------------------------------
# The word diff's share of a message (UTF-16 units, escaped): the rest is the quote,
# speaker and source, whose fields hit_html bounds on its own.
DIFF_ROOM = 1500
HEADLINES = {
    VERBATIM: "Yes, word for word.",
    CLOSE: "Close, but not word for word.",
    # the words do not line up: the passage may say the opposite ("never cooperate"
    # against "ready to cooperate"), so no "this is what was said"
    PARAPHRASE: "Not in those words. The passage nearest to them:",
    NOT_FOUND: "I cannot find that.",
}
# A close passage whose differences touch a negation or a figure may say the opposite
# ("I do not intend" for "he intends", 400 for 4000): the headline says so.
FLIPPED = "Close in words, but a “not” or a figure differs:"
# ... one where a word that carries meaning stands in another's place says so ("not
# seeking a war with Iran" for "... with Russia", "vaccines" for "masks"), and one
# that lacks this share of the line's meaning holds only part of it.
SWAPPED = "Close in words, but a word that matters differs:"
PARTLY = "Only part of that was said:"
PART_MISSING = 0.4
# Words that turn a statement around (folded tokens: "don't" is "don", "t").
_NEGATIONS = frozenset(
    [
        "not",
        "no",
        "never",
        "nor",
        "none",
        "nobody",
        "nothing",
        "neither",
        "nowhere",
        "cannot",
        "t",
        "without",
    ]
)


def _written_apart(mine: list[str], theirs: list[str]) -> bool:
    """Whether two runs of words are the same letters written apart or together
    ("dont" and "don’t", "noone" and "no one"): no difference in what was said."""
    return "".join(mine).casefold() == "".join(theirs).casefold()


def _flips(diff: list[Op]) -> bool:
    """Whether a difference touches a negation or a number, on either side."""
    return any(
        w in _NEGATIONS or any(c.isdigit() for c in w)
        for op, mine, theirs in diff
        if op != "equal" and not _written_apart(mine, theirs)
        for w in (*mine, *theirs)
    )


def _content(tokens: tuple[str, ...] | list[str]) -> set[str]:
    """The stems of the words that carry meaning (no function words)."""
    return {stem(w) for w in tokens if w not in FUNCTION_WORDS}


def _swaps(diff: list[Op]) -> bool:
    """Whether a word that carries meaning was put in another's place ("masks" for
    "vaccines", "russia" for "iran"), not another form of it ("sanction", "sanctions")."""
    return any(
        _content(mine) - _content(theirs) and _content(theirs) - _content(mine)
        for op, mine, theirs in diff
        if op == "replace" and not _written_apart(mine, theirs)
    )


def _partly(diff: list[Op]) -> bool:
    """Whether at least ``PART_MISSING`` of the line's words that carry meaning are
    not in the passage ("the collapse of the soviet union was the greatest geopolitical
    catastrophe" against "The collapse of the Soviet Union.")."""
    mine = [w for _, line, _ in diff for w in line if w not in FUNCTION_WORDS]
    missing = [
        w
        for op, line, _ in diff
        if op in ("delete", "replace")
        for w in line
        if w not in FUNCTION_WORDS
    ]
    return bool(mine) and len(missing) >= PART_MISSING * len(mine)


# How a close passage differs, the first test that holds deciding, with its headline,
# and the headline's point as said of someone else's words ("..., but a word that
# matters differs:"). A line of which much is not in the passage is only part said,
# even where some of it stands replaced by other words.
_DIFFERS = ((_flips, FLIPPED), (_partly, PARTLY), (_swaps, SWAPPED))
_DIFFERS_BRIEFLY = {
    FLIPPED: "a “not” or a figure differs",
    SWAPPED: "a word that matters differs",
    PARTLY: "only part of it",
}


def headline(verdict: Verdict) -> str:
    """The verdict in one line (plain text): found in someone else's words than the
    person named says whose; a close passage that may say the opposite, another thing
    or only part of it says so."""
    found = verdict.hit.who if verdict.hit else None
    if verdict.asked_by and found:
        asker = "a reporter" if is_asker_label(verdict.asked_by) else verdict.asked_by
        return f"Not {found}'s words: they are from a question {asker} put to {found}."
    # a close passage that may say the opposite, another thing or only part of it
    differs = next(
        (said for test, said in _DIFFERS if verdict.kind == CLOSE and test(verdict.diff)), None
    )
    if verdict.asked_of and found and verdict.kind in (VERBATIM, CLOSE):
        how = "said it word for word" if verdict.kind == VERBATIM else "said something close"
        but = f", but {_DIFFERS_BRIEFLY[differs]}:" if differs else "."
        return f"Not {verdict.asked_of}'s words: {found} {how}{but}"
    if verdict.claim.whose and found and verdict.kind == VERBATIM:
        return f"{found} said it, word for word."  # "who said ...": whose it is
    if differs:
        return differs
    if verdict.claim.whose and found and verdict.kind == CLOSE:
        return f"{found} said something close, not word for word."
    return HEADLINES[verdict.kind]


def _count(n: int) -> str:
    return f"{n:,}"


def _years(first: str | None, last: str | None) -> str:
    a, b = (first or "")[:4], (last or "")[:4]
    if not a:
        return ""
    return f" from {a}" if a == b else f" from {a} to {b}"


def not_found_text(verdict: Verdict) -> str:
    """What was searched, as a sentence (plain text), and whether the nearest answer
    found follows."""
    cov = verdict.coverage
    none = (
        "none holds those words. The nearest I found:"
        if verdict.nearest
        else "none is close to that."
    )
    if cov.get("person"):
        return (
            f"I have {_count(cov['answers'])} answers by {cov['person']}"
            f"{_years(cov['first_date'], cov['last_date'])}; {none}"
        )
    named = f"I do not know {cov['named']}'s answers. " if cov.get("named") else ""
    span = ""
    if cov.get("first_date"):
        span = f", {human_date(cov['first_date'])} to {human_date(cov['last_date'])}"
    return (
        f"{named}I have {_count(cov.get('answers', 0))} answers in "
        f"{_count(cov.get('sources', 0))} sources{span}; {none}"
    )


# What follows the apostrophe of a contraction: a word of its own to the diff ("it",
# "s"), written back onto the word before it ("it’s", "don’t", "we’re").
_CONTRACTED_TAILS = frozenset({"s", "t", "ll", "re", "ve", "m", "d"})


def _as_written(tokens: list[str]) -> str:
    """Words of the diff joined as written: a contraction's tail after its apostrophe
    (a tail that opens a run of changed words keeps its apostrophe: "it [-’s-]")."""
    out = ""
    for word in tokens:
        if word.casefold() in _CONTRACTED_TAILS:
            out += "’" + word
        else:
            out += (" " if out else "") + word
    return out


def _diff_pieces(diff: list[Op], wrong: Any, real: Any, plain: Any) -> list[str]:
    out = []
    for op, mine, theirs in diff:
        if op == "equal":
            out.append(plain(_as_written(theirs)))
            continue
        if mine:
            out.append(wrong(_as_written(mine)))
        if theirs:
            out.append(real(_as_written(theirs)))
    return out


def _join_within(pieces: list[str], room: int) -> str:
    """Pieces joined by spaces, as many as fit in ``room`` units, '…' after a cut."""
    out, size = [], 0
    for piece in pieces:
        cost = units(piece) + (1 if out else 0)
        if size + cost > room - 2:
            out.append("…")
            break
        out.append(piece)
        size += cost
    return " ".join(out)


def diff_html(diff: list[Op], room: int = DIFF_ROOM) -> str:
    """The user's version against the real one, word by word: the user's wrong words
    struck through, the real words in bold; escaped, within ``room`` units."""
    pieces = _diff_pieces(
        diff,
        lambda s: f"<s>{fit(s, room // 4)}</s>",
        lambda s: f"<b>{fit(s, room // 4)}</b>",
        lambda s: fit(s, room // 4),
    )
    return _join_within(pieces, room)


def diff_text(diff: list[Op], room: int = DIFF_ROOM) -> str:
    """The word diff for a terminal: ``[-wrong-]{+real+}``."""
    plain = lambda s: fit(s, room // 4, lambda t: t)  # noqa: E731
    pieces = _diff_pieces(diff, lambda s: f"[-{plain(s)}-]", lambda s: f"{{+{plain(s)}+}}", plain)
    return _join_within(pieces, room)


def _hit_within(hit: Hit, room: int, render: Any) -> str:
    """``render(hit)`` (hit_html or hit_text) with its quote cut so it fits in ``room``."""
    bare = render(replace(hit, quote=""))
    quote_room = max(0, room - units(bare))
    if render is hit_html:
        quote = unescape(fit(hit.quote, quote_room))
    else:
        quote = fit(hit.quote, quote_room, lambda t: t)
    return render(replace(hit, quote=quote))


def verdict_html(verdict: Verdict) -> str:
    """The verdict for Telegram: headline, the word diff (close, paraphrase), then the
    quote, speaker and source as every hit shows them; within MESSAGE_LIMIT."""
    head = f"<b>{escape(headline(verdict))}</b>"
    if verdict.asked_by and verdict.hit is not None:
        head += "\nTheir answer (The question shows it):"
    elif verdict.kind == NOT_FOUND or verdict.hit is None:
        head += "\n" + fit(not_found_text(verdict), MESSAGE_LIMIT - units(head) - 1)
        if verdict.nearest is None:
            return head
        return (
            f"{head}\n\n{_hit_within(verdict.nearest, MESSAGE_LIMIT - units(head) - 2, hit_html)}"
        )
    if verdict.kind == CLOSE and verdict.diff:
        head += "\nYours against the transcript:\n" + diff_html(verdict.diff)
    return f"{head}\n\n{_hit_within(verdict.hit, MESSAGE_LIMIT - units(head) - 2, hit_html)}"


def verdict_text(verdict: Verdict) -> str:
    """The verdict for a terminal: the diff as ``[-wrong-]{+real+}``, then the hit."""
    head = headline(verdict)
    if verdict.asked_by and verdict.hit is not None:
        head += "\nTheir answer (The question shows it):"
    elif verdict.kind == NOT_FOUND or verdict.hit is None:
        head += "\n" + not_found_text(verdict)
        if verdict.nearest is None:
            return head
        return (
            f"{head}\n\n{_hit_within(verdict.nearest, MESSAGE_LIMIT - units(head) - 2, hit_text)}"
        )
    if verdict.kind == CLOSE and verdict.diff:
        head += "\nYours against the transcript:\n" + diff_text(verdict.diff)
    return f"{head}\n\n{_hit_within(verdict.hit, MESSAGE_LIMIT - units(head) - 2, hit_text)}"


def leads(verdict: Verdict) -> bool:
    """Whether the reply should lead with the verdict: always when the user asked
    outright; for a long unframed line only when its words were found."""
    return verdict.claim.framed or verdict.kind in (VERBATIM, CLOSE)
