"""Word splitting and stemming shared by the vocabulary, typo correction and re-ranking.

It folds case and accents and splits on anything that is not a letter or digit,
as SQLite's ``unicode61 remove_diacritics 2`` tokenizer does, so a word the corpus
vocabulary knows is a word the full-text index knows.
"""

from __future__ import annotations

import re
import sqlite3
import threading
import unicodedata
from collections.abc import Callable, Iterable

from .spelling import american

# The full-text index's tokenizer; stems come from the same one.
TOKENIZER = "porter unicode61 remove_diacritics 2"
_WORD = re.compile(r"[^\W_]+")
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Lower-case ``text`` and strip accents (``Fernández`` -> ``fernandez``)."""
    text = text.casefold()
    if text.isascii():
        return text
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text))


def words(text: str) -> list[str]:
    """The folded words of ``text`` in order."""
    return _WORD.findall(fold(text))


def scripts(text: str) -> set[str]:
    """The writing systems of the letters of ``text`` ("LATIN", "CYRILLIC", "CJK"):
    the first word of each letter's Unicode name."""
    return {unicodedata.name(c, "?").split()[0] for c in text if c.isalpha()}


# English function words (articles, pronouns, auxiliaries, prepositions, conjunctions,
# question words): a query of these alone asks about nothing. A closed class, so a
# list; how common a word is cannot tell them apart from a small corpus's topic words
# ("president" is in 58% of the seeds' answers, "the" in 65% of the corpora's).
FUNCTION_WORDS = frozenset(
    """a about above after again against all am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers herself him himself his how
    i if in into is it its itself just me more most my myself no nor not now of off on
    once only or other our ours ourselves out over own same she should so some such than
    that the their theirs them themselves then there these they this those through to too
    under until up very was we were what when where which while who whom why will with
    would you your yours yourself yourselves s t d ll m re ve ain aren couldn didn doesn
    don hadn hasn haven isn mightn mustn needn shan shouldn wasn weren wouldn""".split()  # noqa: SIM905
)
# Small talk: greetings, thanks, laughter (a closed class too). A message of these
# and function words alone ("hi", "thanks bot", "lol", "ok thank you") is talk to the
# bot, not words to look for: every briefing opens with "Hi, everybody." Not "yes"
# or "no": "yes we can" is a line.
SMALL_TALK = frozenset(
    """hi hello hey hiya howdy yo sup greetings thanks thank thx ty cheers please pls
    plz lol lmao rofl haha hahaha hehe ok okay bye goodbye bot much""".split()  # noqa: SIM905
)


def is_small_talk(text: str) -> bool:
    """``text`` is small talk and function words only, with a word of small talk."""
    folded = words(text)
    return any(w in SMALL_TALK for w in folded) and all(
        w in SMALL_TALK or w in FUNCTION_WORDS for w in folded
    )


# Contractions as written; typed without the apostrophe ("dont") they mean the same.
# Not those whose bare form is a word of its own: won't, it's, we're, we'll, let's,
# I'll, I'd, he'll, she'll, we'd, she'd.
_CONTRACTIONS = """don't doesn't didn't isn't aren't wasn't weren't hasn't haven't hadn't
    can't couldn't shouldn't wouldn't mustn't ain't i'm i've you're you've they're
    they've we've that's what's he's she's there's who's"""
UNAPOSTROPHISED = {w.replace("'", ""): tuple(words(w)) for w in _CONTRACTIONS.split()}


def expand_contractions(tokens: list[str]) -> list[str]:
    """``tokens`` with contractions typed without an apostrophe split as the written
    ones are: "dont" is "don t", not a typo of "donut"."""
    return [part for token in tokens for part in UNAPOSTROPHISED.get(token, (token,))]


class Stems:
    """Porter stems exactly as the full-text index stores them, of each word's
    American spelling (:mod:`.spelling`: "organisation" and "organization" are one
    stem; the index keeps both, :meth:`as_indexed`).

    SQLite's porter tokenizer follows Porter's reference code (``technology`` ->
    ``technolog``, short tokens kept as they are), which other Porter libraries do
    not quite match; asking SQLite's own tokenizer keeps query weights in step with
    the index statistics. Stems are cached; it is safe to share between threads.
    """

    def __init__(self, cache_size: int = 200_000) -> None:
        self._db = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        self._db.execute(f"CREATE VIRTUAL TABLE t USING fts5(w, tokenize='{TOKENIZER}')")
        self._db.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
        self._lock = threading.Lock()
        self._cache: dict[str, str] = {}
        self._cache_size = cache_size

    def __call__(self, word: str) -> str:
        """The stem of one folded word."""
        found = self._cache.get(word)
        return found if found is not None else self.many([word])[0]

    def learn(self, words: list[str]) -> None:
        """Stem ``words`` now, in one call, as many as the cache holds (the first
        ones): a corpus's words stemmed when it is loaded cost no search a round
        trip to the tokenizer later."""
        self.many(words[: self._cache_size])

    def many(self, words: Iterable[str]) -> list[str]:
        """The stems of folded words, in order, in one call to the tokenizer."""
        words = list(words)
        distinct = set(words)
        missing = [w for w in distinct if w not in self._cache]
        if missing:
            spelled = [american(w) for w in missing]
            found = dict(zip(spelled, self._porter(spelled), strict=True))
            if len(self._cache) + len(missing) > self._cache_size:
                self._cache.clear()
            self._cache.update((w, found[us]) for w, us in zip(missing, spelled, strict=True))
        try:
            return list(map(self._cache.__getitem__, words))
        except KeyError:  # another thread cleared the cache meanwhile: stem them again
            cache = self._cache
            known = {w: cache.get(w) or self(w) for w in distinct}
            return list(map(known.__getitem__, words))

    def as_indexed(self, words: list[str]) -> list[str]:
        """The stems the full-text index holds for folded words, as they are spelled
        (not cached: the index's statistics are read once per corpus)."""
        return self._porter(words)

    def _porter(self, words: list[str]) -> list[str]:
        """The tokenizer's stem of each of ``words`` (each a folded word), in order."""
        distinct = list(dict.fromkeys(words))
        with self._lock:
            self._db.execute("BEGIN")
            try:
                self._db.executemany("INSERT INTO t(rowid, w) VALUES (?, ?)", enumerate(distinct))
                found = dict(self._db.execute("SELECT doc, term FROM v"))
            finally:
                self._db.execute("ROLLBACK")
        stems = {w: found.get(i, w) for i, w in enumerate(distinct)}
        return [stems[w] for w in words]


stem = Stems()


_NEXT = r"\s+(?=[\"“‘(\[]?[A-Z0-9])"
# A title or an initial before a name is no sentence end ("Mr. Navalny", "V. Putin",
# "the U.S. President"), nor is "v." or "vs." between two names ("Roe v. Wade").
_NOT_AFTER = "".join(
    rf"(?<!\b{t}\.)"
    for t in ("Mr", "Mrs", "Ms", "Dr", "St", "Mt", "Gen", "Sen", "Rep", "[A-Z]", "v", "vs")
)
_SENTENCE_END = re.compile(rf"(?<=[.!?…]){_NOT_AFTER}{_NEXT}|(?<=[.!?…][\"”’)\]]){_NEXT}|\n+")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a text, paragraph breaks included, in order,
    spaces around it left out: a sentence ends at a stop followed by a space and a
    capital or digit (quotes and brackets allowed between), or at a newline."""
    spans, start = [], 0
    for end in [*sentence_ends(text), len(text)]:
        piece = text[start:end]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            spans.append((start + lead, start + len(piece.rstrip())))
        start = end
    return spans


def split_sentences(text: str) -> list[str]:
    """Sentences of a text, in order (see :func:`sentence_spans`)."""
    return [text[a:b] for a, b in sentence_spans(text)]


def sentence_ends(text: str, start: int = 0, end: int | None = None) -> list[int]:
    """Offsets just past each sentence end in ``text[start:end]``."""
    return [m.end() for m in _SENTENCE_END.finditer(text, start, len(text) if end is None else end)]


def cut_point(text: str, limit: int, length: Callable[[str], int] = len, near: float = 1.0) -> int:
    """How much of ``text`` to keep within ``limit``, as ``length`` counts (characters,
    or the UTF-16 units of an escaped text for Telegram): the longest start that fits,
    moved back to the last space when the cut falls mid-word and the space lies within
    the last ``near`` share of that start (1.0: anywhere). ``length`` must grow with
    the text; with ``len`` no search is needed."""
    if length is len:
        k = max(0, min(len(text), limit))
    else:  # the longest fitting start, by binary search (every character counts >= 1)
        low, high = 0, max(0, min(len(text), limit))
        while low < high:
            mid = (low + high + 1) // 2
            if length(text[:mid]) <= limit:
                low = mid
            else:
                high = mid - 1
        k = low
    if k >= len(text):
        return k
    space = text.rfind(" ", 0, k + 1)  # text[k] itself may be the space
    return space if space >= 0 and space >= k * (1 - near) else k


def cut_at_word(
    text: str, limit: int, mark: str = "…", length: Callable[[str], int] = len, near: float = 1.0
) -> str:
    """``text`` within ``limit`` (as ``length`` counts): cut at the last space that fits
    (within the last ``near`` share of the cut, see :func:`cut_point`), ``mark`` added;
    a text with no such space is cut mid-word. Always terminates and fits."""
    if length(text) <= limit:
        return text
    cut = text[: cut_point(text, max(0, limit - length(mark)), length, near)]
    return cut.rstrip(",;:—– ") + mark


# An HTML or XML tag, as pasted from a page or typed to test the bot: no words of a
# message ("<b>putin</b>" is "putin", not "b putin b").
_MARKUP = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
# ... and a script or style element, whose content is code, not words of anyone's
# ("<script>alert(1)</script> putin on nato" is "putin on nato").
_CODE_ELEMENT = re.compile(r"<(script|style)\b[^<>]*>.*?(?:</\1\s*>|$)", re.I | re.S)


def without_markup(text: str) -> str:
    """``text`` with every tag a space, a script's or a style's content too ("a < b"
    is no tag and stays)."""
    return _MARKUP.sub(" ", _CODE_ELEMENT.sub(" ", text))
