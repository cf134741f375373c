"""What a user asks: filters, exact phrases, a person named, dates, and the topic words.

People do not type index terms. They write "what did putin say about nato", "psaki
on student loans", "putin's view of the eu in 2019". Here the person named becomes a
preference for that person's answers (not words to match), conversational framing
("what did X say about", "X on", "did X ever talk about", "quote about") is dropped
so the topic words carry the match, and year phrases ("in 2021", "before 2020",
"2019 interview", a year closing the query) become a date preference.
``"exact phrases"``, ``speaker:Name``, ``from:2019`` and ``to:2021-06`` keep working
as filters.
"""

from __future__ import annotations

import calendar
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from ..words import FUNCTION_WORDS, expand_contractions, fold, without_markup, words
from .dictionary import is_word
from .lexicon import MIN_CORRECTED, nearest, spellings_of

# "speaker:putin", "speaker: putin" (a space after the colon), 'speaker:"jen psaki"';
# "speaker:" with nothing after it filters nothing.
_SPEAKER_FILTER = re.compile(r"(?:^|\s)speaker:\s*(\"[^\"]*\"?|\S+)?", re.I)
_DATE_FILTER = re.compile(r"(?:^|\s)(from|to):(\d{4}(?:-\d{2}(?:-\d{2})?)?)\b", re.I)
# ... and one whose value is no date ("from:banana", "to:yesterday").
_ANY_DATE_FILTER = re.compile(r"(?:^|\s)(from|to):(\S+)", re.I)
_PHRASE = re.compile(r"\"([^\"]+)\"")
_YEAR = r"((?:19|20)\d{2})"
_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTH = "(" + "|".join(_MONTHS) + ")"
# Words naming an event: a year beside them says when it was.
_EVENTS = (
    "(?:interview|interviews|press conference|news conference|conference|briefing|"
    "briefings|gaggle|speech|address|remarks|summit|forum|meeting|talks|visit|trip|"
    "direct line|episode|podcast|debate|session|week)"
)
# Year phrases, most specific first: (pattern, what it means).
_DATE_PHRASES: list[tuple[re.Pattern[str], str]] = [
    # two months of one year ("august or september 2021", "in may and june 2022")
    (
        re.compile(
            rf"\b(?:(?:in|during|of|back in|between)\s+)?{_MONTH}\s+"
            rf"(?:or|and|to|through|until|till|-|\u2013)\s+{_MONTH}\s+(?:of\s+)?{_YEAR}\b"
        ),
        "months",
    ),
    (re.compile(rf"\b(?:(?:in|during|of|back in)\s+)?{_MONTH}\s+(?:of\s+)?{_YEAR}\b"), "month"),
    (re.compile(rf"\b(?:between|from)\s+{_YEAR}\s+(?:and|to|until)\s+{_YEAR}\b"), "range"),
    # two years side by side, a dash or a word between them ("putin nato 2017-2019",
    # "2017 to 2021", "2021 through 2023"), either way round
    (
        re.compile(rf"\b{_YEAR}\s*(?:-|\u2013|\u2014|to|until|till|through|thru)\s*{_YEAR}\b"),
        "range",
    ),
    # a year beside an event says when it was ("2019 interview", "direct line 2017
    # asylum for comey", "tass interview 2020 will he stay on after 2024")
    (re.compile(rf"\b{_YEAR}\s+{_EVENTS}\b"), "year"),
    (re.compile(rf"\b{_EVENTS}\s+{_YEAR}\b"), "event year"),
    (re.compile(rf"\b(?:before|until|till|prior to|up to)\s+{_YEAR}\b"), "before"),
    (re.compile(rf"\b(?:after|since|from)\s+{_YEAR}\b"), "after"),
    (re.compile(rf"\b(?:in|during|of|back in)\s+{_YEAR}\b"), "year"),
    # a year before what a framing puts before the topic ("putin 2019 on climate
    # change", "psaki 2022 about inflation"): when they said it
    (re.compile(rf"\b{_YEAR}(?=\s+(?:on|about|regarding|concerning)\b)"), "year"),
    # a year closing the query ("putin on the chinese economy 2016")
    (re.compile(rf"\b{_YEAR}$"), "year"),
]
_KEYWORD_YEAR = re.compile(rf"\b{_YEAR}\b")
# What framing puts before the topic: "on", "about", "regarding" ...
_ABOUT = r"(?: on| of| about| regarding| concerning| towards| toward| to)"
# The person placeholder in framing patterns.
P = "qqperson"
_FRAMING = [
    re.compile(p)
    for p in (
        rf"^(?:is it true|did you know|have you heard)(?: that)? {P} (?:said|says|say)(?: that)?\b",
        rf"^(?:what|how) (?:did|does|do|has|have|had|would|will) {P} (?:ever )?"
        r"(?:say|said|think|thought|feel|felt|believe|mean|see|view|talk|speak|tell us|"
        rf"answer|respond|reply|comment|make)s?{_ABOUT}?\b",
        rf"^(?:what|how) (?:is|was|s|are|were) {P} "
        r"(?:view|views|take|position|opinion|opinions|stance|thoughts|line|attitude|"
        r"answer|answers|reply|response|words|comments|remarks)"
        rf"{_ABOUT}?\b",
        rf"^(?:did|does|has|have|had|was|is) {P} (?:ever |once |really )?"
        r"(?:say|said|talk|talked|speak|spoke|spoken|mention|mentioned|comment|commented|"
        r"discuss|discussed|address|addressed|criticise|criticize|praise|talking|speaking)"
        rf"(?: anything| something)?(?:{_ABOUT}| that)?\b",
        rf"^{P} (?:view|views|take|position|opinion|opinions|stance|thoughts|comments|"
        r"remarks|words|quote|quotes|line|statement|statements|answer|answers)"
        rf"{_ABOUT}?\b",
        rf"^(?:a |any |some )?(?:quote|quotes|quotation|something|anything|words) "
        rf"(?:by|from|of) {P}{_ABOUT}?\b",
        # "anything putin said about nato", "something psaki has said on inflation",
        # "the one where putin talks about judo"
        rf"^(?:anything|something|everything|the one|the bit|the part|that time|the time)"
        rf" (?:that |where |when )?{P} (?:has |have |had |ever |once )*(?:said|says|say|"
        r"mentioned|spoke|speaks|talked|talks|told us)"
        rf"(?: anything| something)?{_ABOUT}?\b",
        rf"^{P} (?:ever |once |really |also )?(?:on|about|regarding|concerning|re|"
        r"(?:talking|speaking|talks|speaks|talked|spoke|says|said|weighs in|weighing in|"
        rf"commenting|comments|remarks|thoughts){_ABOUT}|"
        r"says|said|say|"
        r"quote|quotes|quote about|quotes about|quote on|quotes on|thinks|thought|"
        r"explains|explained|answers|answered|commented on|views on|opinion on|"
        r"interview about|interview on|answering|explaining|discussing|describing|saying|"
        r"responding to|"
        r"defending|warning about|warning of)\b",
        rf"^(?:when|where|why) (?:did|does|has|was|is) {P} (?:say|said|talk|talked|speak|"
        r"spoke|mention|mentioned)(?: about| on)?\b",
        # asked of them ("putin, what do you think of nato")
        rf"^{P} (?:what|how) (?:do|did|would|will|can) you (?:think|feel|say|make)"
        rf"{_ABOUT}?\b",
        # as a request puts it ("tell me what putin said about nato")
        rf"^(?:what|how) {P} (?:has |have |had |ever |once )?(?:said|says|say|thinks|"
        r"thought|feels|felt|believes|believed|means|meant|sees|saw|views|viewed)"
        rf"{_ABOUT}?\b",
    )
]
# The words framing is made of ("say", "talking", "remarks"), and the shortest of them
# a slip may stand for: "putin talkin about his sports hobbies", "waht did putin say
# about nato" are framed too (a slip of a shorter word is as often another word).
_FRAMING_WORDS = frozenset(w for p in _FRAMING for w in re.findall(r"[a-z]+", p.pattern) if w != P)
_SLIPPED_FRAMING = 4


def _framing_slip(token: str) -> str | None:
    """The framing word ``token`` is one slip of (a letter more, fewer, another, or two
    swapped), when exactly one is."""
    if (
        token in _FRAMING_WORDS
        or token in FUNCTION_WORDS
        or len(token) < _SLIPPED_FRAMING
        or is_word(token)  # "thanks" is no slip of "thinks"
    ):
        return None
    near = [
        w
        for w in _FRAMING_WORDS
        if len(w) >= _SLIPPED_FRAMING
        and abs(len(w) - len(token)) <= 1
        and OSA.distance(token, w, score_cutoff=1) <= 1
    ]
    return near[0] if len(near) == 1 else None


# A request put to the bot before what is asked ("tell me", "can you find", "i really
# want to know", "please"), and thanks after it: words to the bot, not of the line or
# the topic.
_THANKS_AFTER = frozenset({"please", "pls", "plz", "thanks", "thx"})
_REQUEST = re.compile(
    r"^(?:(?:please|pls|hey|ok|okay|so) )*"
    r"(?:(?:can|could|would|will) you (?:please )?(?:tell me|show me|find me|find|give me|"
    r"get me|look up|search for|remind me)"
    # alone, these open a line as often ("find a way", "tell me the truth"): only
    # before what is asked
    r"|(?:show me|find me|give me|get me)"
    r"|(?:tell me|find|look up|search for|remind me)"
    r"(?= (?:what|how|when|where|why|whether|if|about|quotes?|something|anything)\b)"
    r"|i (?:really |just )?(?:want|wanna|would like|d like|need) to (?:know|see|find out|"
    r"find|hear|read)"
    r"|i (?:am|m) (?:looking for|curious about|curious)"
    r"|do you know|i wonder|i was wondering)"
    r"(?: please)?(?: if| whether)? (?=\S)"
)
# A question about what a person did ("did biden invite putin", "has biden watched the
# video", "why does putin give interviews"): the person may answer it, or whoever
# speaks for them, or the one they did it to; the words after it are the topic.
_ASKING = [
    re.compile(p)
    for p in (
        rf"^(?:when|where|why|how) (?:did|does|has|was|is|do) {P}\b",
        rf"^(?:did|does|has|is|was|will|would|can|could) {P}\b",
        rf"^(?:what|how) (?:did|does|do|has|is|was) {P}\b",
    )
]
# Framing with nobody named ("what was said about", "quote about").
_BARE_FRAMING = re.compile(
    r"^(?:(?:tell me|show me|find|give me|look up|search for|any|a|the|some) )?"
    r"(?:(?:a |any |the |some )?(?:quote|quotes|quotation|something|anything|what was said|"
    r"what is said|what has been said|statements?|remarks?|comments?|words) "
    r"(?:about|on|regarding|of))\b"
    # asking who said a line ("who said we will circle back"): the line is the topic
    r"|^(?:who|which \w+) (?:said|says|has said|once said|was it that said|"
    r"is it that said|said that|says that)\b"
)


def _as_date(prefix: str) -> str:
    """An ISO date prefix as far as it is a date: a month or a day that no calendar has
    is left out (``from:2019-13-45`` is ``from:2019``, ``to:2016-02-30`` is
    ``to:2016-02``)."""
    year, *rest = prefix.split("-")
    kept = [year]
    if rest and 1 <= int(rest[0]) <= 12:
        kept.append(rest[0])
        if len(rest) > 1 and 1 <= int(rest[1]) <= calendar.monthrange(int(year), int(rest[0]))[1]:
            kept.append(rest[1])
    return "-".join(kept)


@dataclass
class Query:
    """A user's query split into free text, exact phrases and filters (no corpus yet).

    ``typing``: the query is still being typed (inline mode), so its last free word
    may be the start of a word. ``date_from``/``date_to`` (ISO prefixes) are hard
    filters from ``from:``/``to:``; ``prefer_from``/``prefer_to`` a preference from
    phrases such as "in 2021".
    """

    text: str = ""
    phrases: list[str] = field(default_factory=list)
    speaker: str | None = None
    typing: bool = False
    date_from: str | None = None
    date_to: str | None = None
    prefer_from: str | None = None
    prefer_to: str | None = None
    # ``from:``/``to:`` filters whose value is no date ("from:banana"): told, not searched
    bad_dates: tuple[str, ...] = ()

    @staticmethod
    def without_speaker(raw: str) -> str:
        """``raw`` as typed with its ``speaker:`` filters left out: the same search of
        everyone's answers."""
        return " ".join(_SPEAKER_FILTER.sub(" ", raw or "").split())

    @classmethod
    def parse(cls, raw: str, typing: bool = False, max_chars: int = 500) -> Query:
        raw = (raw or "")[:max_chars].replace("“", '"').replace("”", '"')
        raw = without_markup(raw)  # "<b>putin</b> on nato", pasted from a page
        typing = typing and raw[-1:].isalnum()
        speaker = None
        # the first speaker: filter counts; each is a filter, none is words of the query
        while match := _SPEAKER_FILTER.search(raw):
            typing = typing and match.end() < len(raw)
            speaker = speaker or (match[1] or "").strip('"').strip() or None
            raw = raw[: match.start()] + " " + raw[match.end() :]
        date_from = date_to = None
        for match in list(_DATE_FILTER.finditer(raw)):
            if match[1].lower() == "from":
                date_from = _as_date(match[2])
            else:
                date_to = _as_date(match[2])
        raw = _DATE_FILTER.sub(" ", raw)
        bad_dates = tuple(m.group().strip() for m in _ANY_DATE_FILTER.finditer(raw))
        raw = _ANY_DATE_FILTER.sub(" ", raw)
        phrases = [p.strip() for p in _PHRASE.findall(raw) if words(p)]
        text = " ".join(_PHRASE.sub(" ", raw).replace('"', " ").split())
        prefer_from, prefer_to, text = _date_preference(text)
        return cls(
            text, phrases, speaker, typing, date_from, date_to, prefer_from, prefer_to, bad_dates
        )

    @property
    def date_problem(self) -> str | None:
        """What is wrong with the query's date filters, in words for its sender: a
        value that is no date, or a start after the end; None when nothing is."""
        if self.bad_dates:
            return (
                f"“{self.bad_dates[0][:40]}” is no date I can read: write a year, a month or "
                "a day, e.g. from:2021, from:2021-06 or to:2021-06-16."
            )
        if self.dates_reversed:
            return (
                f"Nothing can be from:{self.date_from} and to:{self.date_to} at once: from: "
                f"is the earliest date, to: the latest. Try from:{self.date_to} "
                f"to:{self.date_from}."
            )
        return None

    @property
    def dates_reversed(self) -> bool:
        """``from:`` is after ``to:`` (``from:2019 to:2018``): no date is within both."""
        if not (self.date_from and self.date_to):
            return False
        end = self.date_to + "-99-99"[len(self.date_to) - 4 :]  # 2018 -> 2018-99-99
        return self.date_from > end

    @property
    def all_words(self) -> list[str]:
        return words(" ".join([*self.phrases, self.text]))


def is_date_word(word: str) -> bool:
    """A month's name or a year (folded): the words of a date phrase."""
    return word in _MONTHS or bool(re.fullmatch(_YEAR, word))


def _date_preference(text: str) -> tuple[str | None, str | None, str]:
    """(from, to, text without the phrase) for the first year phrase in ``text``."""
    folded = text.lower()
    for pattern, kind in _DATE_PHRASES:
        match = pattern.search(folded)
        if not match:
            continue
        rest = " ".join((text[: match.start()] + " " + text[match.end() :]).split())
        if kind == "event year":
            # the event stays: its words may name the occasion ("direct line 2017")
            year = match.lastindex or 0
            rest = " ".join((text[: match.start(year)] + " " + text[match.end(year) :]).split())
            return match[year], f"{match[year]}-12-31", rest
        if kind == "range":
            first, last = sorted((match[1], match[2]))
            return first, f"{last}-12-31", rest
        if kind == "before":
            return None, f"{int(match[1]) - 1}-12-31", rest
        if kind == "after":
            return match[1], None, rest
        if kind == "months":
            # the words stay, as a month's do
            first, last = sorted(_MONTHS.index(m) + 1 for m in (match[1], match[2]))
            return f"{match[3]}-{first:02d}", f"{match[3]}-{last:02d}-31", text
        if kind == "month":
            # the words stay too: an answer may name the month ("in November 2020 the
            # Ukrainian delegation presented ...", said in 2021)
            month = f"{match[2]}-{_MONTHS.index(match[1]) + 1:02d}"
            return month, f"{month}-31", text
        return match[1], f"{match[1]}-12-31", rest
    year = _KEYWORD_YEAR.search(folded)
    if year and not any(w in FUNCTION_WORDS for w in words(text)):
        # a year among keywords ("kirby 2024 gaza aid", "putin 2015 united nations")
        # is when; in a sentence it may be what was said ("the 2020 election")
        rest = " ".join((text[: year.start()] + " " + text[year.end() :]).split())
        return year[1], f"{year[1]}-12-31", rest
    return None, None, text


# Words of rank or office written before a name: part of the name, not the topic.
TITLES = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "dr",
        "president",
        "vice",
        "secretary",
        "minister",
        "chancellor",
        "premier",
        "senator",
        "governor",
        "ambassador",
        "admiral",
        "general",
        "professor",
        "director",
        "speaker",
    }
)
# Spellings that sound alike in English names, as a rough key: letter groups written
# for one sound (in order), then the vowels left out but a first one.
_SOUNDS = [
    (re.compile(p), r)
    for p, r in (
        (r"^ps", "s"),
        (r"^kn", "n"),
        (r"^wr", "r"),
        (r"ph", "f"),
        (r"ck", "k"),
        (r"sch", "sk"),
        (r"(?:ch|sh)", "X"),
        (r"th", "t"),
        (r"dg", "j"),
        (r"c(?=[eiy])", "s"),
        (r"g(?=[eiy])", "j"),
        (r"[cq]", "k"),
        (r"x", "ks"),
        (r"z", "s"),
        (r"(?<=.)[aeiouyhw]", ""),
        (r"(.)\1+", r"\1"),
    )
]
# A name is heard in a word only when the key keeps this many letters ("krb" for
# "kirby" and "kurbee"): shorter keys are shared by too many words.
MIN_SOUNDS = 3
_VOWEL = re.compile("[aeiouy]")


def sounds_like(word: str) -> str:
    """A rough key of how a name sounds: "kurbee" and "kirby" are "krb", "salivan" and
    "sullivan" "slvn", "anjelica" and "angelica" "anjlk", "psakey" and "psaki" "sk"."""
    for pattern, replacement in _SOUNDS:
        word = pattern.sub(replacement, word)
    return word


# How like a bearer's surname (rapidfuzz ratio, 0..100) the word after a first name
# must be to name them: "poutine" is 83 of "putin", "bursicot" 78 of "boursiquot",
# "baits" 80 of "bates"; "kerry" is 60 of "kirby".
SURNAME_LIKENESS = 75


@dataclass(frozen=True)
class Person:
    """Someone search can recognise in a query."""

    id: int
    name: str
    answers: int
    # folded word sequences that name them: full name, aliases, surname
    keys: tuple[tuple[str, ...], ...]
    # ... and ones that name them only when the query is framed as asking for their
    # words ("karine on abortion", "the russian president on nato"): a first name among
    # a line's words is someone spoken to ("say hello, Carlisia"), not the speaker
    framed_keys: tuple[tuple[str, ...], ...] = ()


# Words that open a partial name, not an office ("Ms. O'Connell", "Dr. Nunez-Smith").
_COURTESY = frozenset({"mr", "mrs", "ms", "dr"})


def other_names(
    named: Iterable[tuple[int, str, Iterable[str]]],
) -> dict[int, list[tuple[str, ...]]]:
    """What an alias puts before someone's name, naming them alone: "Russian President
    Vladimir Putin" makes "the russian president" Putin, "Vladimir Vladimirovich Putin"
    makes "vladimir vladimirovich" him. Not a word alone (a first name is
    :func:`engine._with_first_names`), not what another's alias puts there too, not an
    office anyone's label names ("The Vice President": whoever held it). ``named``:
    (id, name, aliases) of each person. Each comes with and without "the"."""
    found: dict[tuple[str, ...], set[int]] = {}
    offices: set[tuple[str, ...]] = set()
    for person, name, aliases in named:
        full = folded_key(name)
        for alias in aliases:
            key = folded_key(alias)
            if key[:1] == ("the",):
                offices.add(key[1:])
            for tail in (full, full[-1:]):
                if tail and len(key) > len(tail) and key[-len(tail) :] == tail:
                    head = key[: -len(tail)]
                    head = head[1:] if head[:1] == ("the",) else head
                    if len(head) > 1 and head[0] not in _COURTESY:
                        found.setdefault(head, set()).add(person)
                    break
    out: dict[int, list[tuple[str, ...]]] = {}
    for head, people in found.items():
        if len(people) == 1 and head not in offices:
            out.setdefault(next(iter(people)), []).extend([head, ("the", *head)])
    return out


class PersonIndex:
    """Finds people named in a query: full names, aliases, surnames, possessives.

    A surname alone names its best-known bearer (the one with most answers) and
    only when it is not an everyday word of the corpus ("may", "price", "rice").
    """

    def __init__(self, people: Iterable[Person]) -> None:
        self.people = {p.id: p for p in people}
        self._keys: dict[tuple[str, ...], int] = {}
        # the words of names, each as common as the best-known person it names
        named: dict[str, int] = {}
        for person in sorted(self.people.values(), key=lambda p: -p.answers):
            for key in person.keys:
                self._keys.setdefault(key, person.id)
                for word in key:
                    if len(word) >= MIN_CORRECTED:
                        named.setdefault(word, person.answers)
        self._framed_keys: dict[tuple[str, ...], int] = {}
        for person in self.people.values():
            for key in person.framed_keys:
                self._framed_keys.setdefault(key, person.id)
        self._longest = max((len(k) for k in [*self._keys, *self._framed_keys]), default=0)
        self._named = named
        self._spellings = spellings_of(named)
        # the words of names without their first letter, a silent one left out ("saki"
        # for "psaki"), and by how they sound: the best-known bearer's
        self._headless: dict[str, str] = {}
        self._sounds: dict[str, str] = {}
        for word in sorted(named, key=lambda w: -named[w]):
            if len(word) > MIN_CORRECTED:
                self._headless.setdefault(word[1:], word)
            key = sounds_like(word)
            if len(key) >= MIN_SOUNDS:
                self._sounds.setdefault(key, word)
        # first name -> (surname in one word, person) of each bearer, best-known first
        self._by_first: dict[str, list[tuple[str, int]]] = {}
        for person in sorted(self.people.values(), key=lambda p: -p.answers):
            name = folded_key(person.name)
            if len(name) > 1:
                self._by_first.setdefault(name[0], []).append(("".join(name[1:]), person.id))

    def _first_and_surname_like(self, first: str, word: str) -> int | None:
        """The bearer of first name ``first`` whose surname ``word`` is written like
        ("vladimir poutine", "johnny bursicot", "andrew baits"): a first name says
        whom to expect, so the surname may be further off than one slip."""
        best = None
        for surname, person in self._by_first.get(first, ()):
            likeness = fuzz.ratio(word, surname)
            if likeness >= SURNAME_LIKENESS and (best is None or likeness > best[0]):
                best = (likeness, person)
        return best[1] if best else None

    def respelled(
        self,
        tokens: list[str],
        known: Callable[[str], bool],
        slip: Callable[[str], str | None] | None = None,
    ) -> list[str]:
        """``tokens`` with each word the corpus does not have in its own right
        (``known``: "puttin", once in a podcast, may be a slip) that is one
        slip from a word of a name spelled as that word: "putn", "psakki", "kirbey",
        "walenksy" name their people as the lexicon alone would not (it prefers the
        commoner word, and would make "rier" "river"). A wrong letter is a slip in a
        word the language does not have ("psaky", "kirbi"), as in typo correction; a
        first letter left out too ("saki"); or, none of the language's words and no slip
        of a corpus word (``slip``), written as it sounds ("kurbee"; not "tramp",
        "righht" for right rather than Wright, "ceasfire" for ceasefire rather than
        Seehofer)."""
        return [
            t
            if known(t) or t in self._named or len(t) < MIN_CORRECTED or not t.isalpha()
            else nearest(t, self._spellings, self._named, not is_word(t))
            or self._headless.get(t)
            or (self._heard(t) if slip is not None and slip(t) is None else None)
            or t
            for t in tokens
        ]

    def _heard(self, word: str) -> str | None:
        """The word of a name that ``word`` is written as it sounds, when ``word`` is
        none of the language's and has a vowel (letters without one are typed, not
        heard: "zzqx" is no "Szücs")."""
        if is_word(word) or not _VOWEL.search(word):
            return None
        return self._sounds.get(sounds_like(word))

    def mentions(self, tokens: list[str], framed: bool = False) -> list[tuple[int, int, int]]:
        """(start, end, person id) of each person named in ``tokens``, longest first;
        ``framed``: with the names that count only in a framed query."""
        found: list[tuple[int, int, int]] = []
        i = 0
        while i < len(tokens):
            named = self._named_at(tokens, i, framed)
            if named is None:
                i += 1
                continue
            end, person = named
            if end < len(tokens) and tokens[end] == "s":  # a possessive: putin's
                end += 1
            # a title before the name is part of it ("president putin", "admiral kirby"),
            # and so is the first name misspelled ("karin jean pierre", "jonny boursiquot")
            start = i
            if i and (not found or found[-1][1] < i):
                before = tokens[i - 1]
                if before in TITLES or self._first_name_slip(before, tokens[i:end], person):
                    start = i - 1
            found.append((start, end, person))
            i = end
        return found

    def _first_name_slip(self, word: str, named: list[str], person: int) -> bool:
        """Whether ``word``, just before the words ``named`` that name ``person`` without
        their first name, is that first name with one slip ("karin" for Karine); a short
        one ("jne" for Jen) only when it is no word of the language ("jon", "men")."""
        name = folded_key(self.people[person].name)
        first = name[0] if len(name) > 1 else ""
        return (
            (len(word) >= MIN_CORRECTED or (len(word) == len(first) > 2 and not is_word(word)))
            and bool(first)
            and first not in named
            and word != first
            and OSA.distance(word, first) <= 1
        )

    def whole(self, tokens: list[str], framed: bool = False, before: int = 0) -> int | None:
        """The one person ``tokens`` name, the name taking them all (a speaker's label,
        a command's PERSON): ``before`` words more may open them ("president putin" as
        a verified line's speaker); None when they name nobody, or more than a name."""
        found = self.mentions(tokens, framed)
        if len(found) != 1:
            return None
        start, end, person = found[0]
        return person if end == len(tokens) and start <= before else None

    def _named_at(self, tokens: list[str], i: int, framed: bool) -> tuple[int, int] | None:
        """(end, person) of the longest name starting at ``tokens[i]``, if any."""
        for size in range(min(self._longest, len(tokens) - i), 0, -1):
            key = tuple(tokens[i : i + size])
            person = self._keys.get(key)
            if person is not None:
                return i + size, person
        if framed:
            for size in range(min(self._longest, len(tokens) - i), 1, -1):
                person = self._framed_keys.get(tuple(tokens[i : i + size]))
                if person is not None:
                    return i + size, person  # "the russian president"
        first = self._framed_keys.get((tokens[i],))
        if first is not None and i + 1 < len(tokens):
            # their first name before a name of theirs ("karine jean-piere", the label
            # misspelt in the briefings) is part of it, framed or not
            rest = self._named_at(tokens, i + 1, False)
            if rest is not None and rest[1] == first:
                return rest
        if i + 1 < len(tokens):
            person = self._first_and_surname_like(tokens[i], tokens[i + 1])
            if person is not None:
                return i + 2, person
        if framed and first is not None:
            return i + 1, first
        return None


# Words that join people named together ("kirby and sullivan on gaza", "psaki or
# jean-pierre on inflation", "putin vs biden"): each one's answers are asked for.
_JOINING = frozenset({"and", "or", "nor", "vs", "versus", "v"})


@dataclass
class Understood:
    """A query as the corpus sees it.

    ``people``: whose answers the user asks for (named in the query, several joined
    by "and"/"or", or by ``speaker:``), the first named first; ``topic``: the words
    left to match once the people and the framing are set aside (before typo
    correction).
    """

    people: tuple[int, ...]
    topic: list[str]
    framed: bool

    @property
    def person(self) -> int | None:
        """The first person asked about, if any."""
        return self.people[0] if self.people else None


Named = tuple[int, int, tuple[int, ...]]  # (start, end, people) of a span of tokens


def _joined(mentions: list[tuple[int, int, int]], tokens: list[str]) -> list[Named]:
    """``mentions`` (in order) with people named together, a joining word between
    each ("kirby and sullivan", "psaki or jean-pierre or kirby"), as one span."""
    spans: list[Named] = []
    for start, end, person in mentions:
        if spans and start == spans[-1][1] + 1 and tokens[spans[-1][1]] in _JOINING:
            first, _, people = spans[-1]
            spans[-1] = (first, end, tuple(dict.fromkeys([*people, person])))
        else:
            spans.append((start, end, (person,)))
    return spans


# Words that make the name after them someone spoken with, to or of, not the speaker.
_RELATING = frozenset(
    {"with", "to", "about", "against", "toward", "towards", "by", "on", "of", "at", "from", "for"}
)


def _opens_keywords(start: int, rest: list[str]) -> bool:
    """A name at ``start`` opens keywords, ``rest`` being the words beside it (a
    possessive's "s" is no word of a sentence: "dalton president's travel schedule")."""
    return (
        start == 0
        and bool(rest)
        and not any(t in FUNCTION_WORDS for i, t in enumerate(rest) if not _possessive(rest, i))
    )


def _possessive(tokens: list[str], i: int) -> bool:
    """``tokens[i]`` is the "s" of a possessive ("president s")."""
    return tokens[i] == "s" and i > 0 and tokens[i - 1] not in FUNCTION_WORDS


# Words asking for a quote: typed beside keywords ("putin nato quote", "quotes kirby
# taiwan"), they say what is wanted, not what it is about.
_QUOTE_WORDS = frozenset({"quote", "quotes", "quotation", "quotations"})


def _without_quote_word(tokens: list[str]) -> list[str]:
    """``tokens`` without a quote word opening or closing keywords; in a sentence
    ("i quote") or alone, it stays."""
    if len(tokens) < 2 or any(t in FUNCTION_WORDS for t in tokens):
        return tokens
    if tokens[-1] in _QUOTE_WORDS:
        tokens = tokens[:-1]
    elif tokens[0] in _QUOTE_WORDS:
        tokens = tokens[1:]
    return tokens


def understand(
    query: Query,
    people: PersonIndex,
    known: Callable[[str], bool] | None = None,
    slip: Callable[[str], str | None] | None = None,
) -> Understood:
    """Split ``query`` into the person asked about and the topic words. ``known``:
    whether the corpus has a word in its own right; a word it has not may be a
    misspelled name, or, when it is no slip of a corpus word (``slip``: the corpus
    word it may be, or None), a name written as it sounds."""
    tokens = expand_contractions(words(query.text))
    request = _REQUEST.match(" ".join(tokens))
    if request:
        tokens = tokens[len(request.group().split()) :]
    while len(tokens) > 1 and tokens[-1] in _THANKS_AFTER:
        tokens = tokens[:-1]  # "putin on nato please"
    tokens = _without_quote_word(tokens)
    if known is not None:
        respelled = people.respelled(tokens, known, slip)
        mentions = people.mentions(respelled)
        # a respelling stands only where it names someone, and not right beside someone
        # else ("zhan pierre" is Jean-Pierre, not Zhao and Pierre): elsewhere the
        # lexicon decides
        edges = Counter(i for start, end, _ in mentions for i in (start, end))
        named = {
            i
            for start, end, _ in mentions
            if edges[start] == edges[end] == 1
            for i in range(start, end)
        }
        tokens = [respelled[i] if i in named else t for i, t in enumerate(tokens)]
    mentions = people.mentions(tokens)
    subject: Named | None = None
    framed = False
    candidates = _joined(people.mentions(tokens, framed=True), tokens)
    if candidates:
        for start, end, named in candidates:
            # a first name alone names someone only when asked what they said
            plain = {p for first, last, p in mentions if start <= first and last <= end}
            framing_only = not plain.issuperset(named)
            patterns = _FRAMING if framing_only else _FRAMING + _ASKING
            outside = [*tokens[:start], P, *tokens[end:]]
            shaped = " ".join(outside)
            if not any(pattern.match(shaped) for pattern in _FRAMING):
                # a slip in the framing's words: framed as if typed right, when it then is
                slipped = " ".join(_framing_slip(t) or t for t in outside)
                if any(pattern.match(slipped) for pattern in _FRAMING):
                    shaped = slipped
            for pattern in patterns:
                match = pattern.match(shaped)
                if match:
                    # asked what they said: only their words answer; asked what they
                    # did: theirs first, then whoever else speaks of it
                    subject, framed = (start, end, named), pattern in _FRAMING
                    rest = shaped[match.end() :].split()
                    break
            if subject:
                break
            if start == 0 and end == len(tokens):
                # the name alone ("jake", "karine", "the russian president"): what they
                # said, not where others speak to them ("Thanks, Jake.")
                subject, framed, rest = (start, end, named), True, []
                break
        if subject is None and len(mentions) == 1:
            # one person named, no framing ("fauci booster shots"): prefer them too;
            # two are more often the topic ("trump biden debate")
            start, end, person = mentions[0]
            subject = (start, end, (person,))
            rest = tokens[:start] + tokens[end:]
            # a name opening keywords ("putin ransomware", "kirby hamas") asks for their
            # words; in a sentence it may be what the line is about ("trump promises
            # to stop the war")
            framed = _opens_keywords(start, rest)
        if subject is None and len(mentions) > 1:
            # of several named, the others after a word relating them to the one
            # ("putin geneva summit with biden", "putin helsinki press conference with
            # trump"): theirs first; "trump biden debate" names nobody in particular
            alone = [m for m in mentions if not m[0] or tokens[m[0] - 1] not in _RELATING]
            if len(alone) == 1:
                start, end, person = alone[0]
                subject = (start, end, (person,))
                rest = tokens[:start] + tokens[end:]
                framed = False
        if subject is None and candidates and not mentions:
            # a first name opening keywords asks for their words too ("karine border",
            # "johnny testing"); elsewhere it is someone spoken to
            start, end, named = candidates[0]
            rest = tokens[:start] + tokens[end:]
            if len(candidates) == 1 and _opens_keywords(start, rest):
                subject, framed = (start, end, named), True
        if subject is not None:
            tokens = [t for t in rest if t != P]
    if not framed:
        bare = _BARE_FRAMING.match(" ".join(tokens))
        if bare:
            # the framing alone ("who said", "quotes about") asks about nothing
            tokens = " ".join(tokens)[bare.end() :].split()
            framed = True
    if framed:
        for opener in (_LOOSELY, _SOMETHING_ABOUT):
            found = opener.match(" ".join(tokens))
            if found and found.end() < len(" ".join(tokens)):
                tokens = " ".join(tokens)[found.end() :].split()
        if subject is not None and len(tokens) > 1 and tokens[0] in _THEIR:
            # "putin about his daughters": the one named speaks of "my daughters"
            # (deeper in the topic it may be another's: "biden saying lock him up")
            tokens = tokens[1:]
    return Understood(subject[2] if subject else (), tokens, framed)


# A line remembered loosely after the framing ("putin said something like we will not
# attack anyone", "... words to the effect that"): how it is asked, not its words.
_LOOSELY = re.compile(
    r"^(?:(?:something|anything|words) )?(?:like|along the lines of|to the effect(?: of| that)?|"
    r"similar to)(?: that)? |^(?:roughly|more or less|basically|essentially|approximately)"
    r"(?: that)? "
)


# A word opening the topic that stands for the person named ("putin on his birthday").
_THEIR = frozenset({"his", "her"})
# What the framing says they said something about ("psaki said something about
# circling back", "kirby said a lot about the houthis"): how it is asked, not its words.
_SOMETHING_ABOUT = re.compile(
    r"^(?:something|anything|a lot|a few things|a thing|things|much|little|stuff)"
    r"(?: else)? (?:about|on|regarding|concerning|of) "
)


# A name in a framing's person place: one or two words ("obama", "angela merkel").
_NAME_WORDS = (2, 1)


def framed_names(query: Query) -> list[tuple[list[str], list[str]]]:
    """The words that sit where a framing puts the person whose words are asked for
    ("obama" in "obama on healthcare", "angela merkel" in "what did angela merkel say
    about refugees"), longest first, each with the topic words after the framing;
    whether they name anyone is the corpus's to say."""
    tokens = expand_contractions(words(query.text))
    request = _REQUEST.match(" ".join(tokens))
    if request:
        tokens = tokens[len(request.group().split()) :]
    found: list[tuple[list[str], list[str]]] = []
    for size in _NAME_WORDS:
        for start in range(len(tokens) - size + 1):
            name = tokens[start : start + size]
            if any(t in FUNCTION_WORDS for t in name) or any(name == n for n, _ in found):
                continue
            shaped = " ".join([*tokens[:start], P, *tokens[start + size :]])
            match = next((m for m in (p.match(shaped) for p in _FRAMING) if m), None)
            if match:
                found.append((name, shaped[match.end() :].split()))
    return found


def folded_key(name: str) -> tuple[str, ...]:
    return tuple(words(fold(name)))
