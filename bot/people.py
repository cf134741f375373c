"""Who is who: one canonical name per person across every source of a corpus.

Speaker labels name one person in many ways: with and without titles
(``President of Russia Vladimir Putin``), glued (``VladimirPutin``), misspelt
(``Vlaidmir Putin``), by honorific and surname (``Ms. Psaki``, completed from the page
title) or by office (``The President``, which depends on the date). This module maps
every ``(source, label)`` to a display name, or to ``None`` for labels that are nobody
in particular (``Reporter``, ``Moderator``, ``Speaker 2``). It is pure logic: no SQL and
no Telegram; the store feeds it :class:`SourceLabels` and keeps the result.

Rules run in this order, and :func:`explain` lists the ones that fired:

1. generic labels stay ``None``;
2. an alias from the people file wins outright;
3. the label is cleaned: glued words split, ALL-CAPS words re-cased, a repeated
   fragment cut (``Moscow Mayor Sergei Sobyanin Sobyanin SergeiMoscow Mayor``);
4. titles and roles are stripped, keeping the trailing personal name; when a place
   may precede the name (``President of Russia Vladimir Putin``) the longest ending
   that the corpus knows as a bare label is taken, else the last two words;
5. a label that is only an office (``The President``) is resolved by date and scope
   from the people file, else ``None``;
6. an initial (``V. Putin``) becomes the full name the corpus gives for that surname;
7. a surname (``Ms. Psaki``) becomes the full name in the same source's title or
   labels, else the one the corpus gives most often, else the people file's, else the
   label stays as written (honorific kept: ``Mr. Sams`` is safer than a bare surname);
8. spellings of one name are merged across the corpus (same surname, first names
   within a small typo), never when both names speak in one source unless one is a
   one-letter slip said once or twice there.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import sqlite_utils
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from . import store
from .transcripts.speakers import is_asker_label, is_procedural_label, is_pseudo_label

# Similarity (rapidfuzz ratio, 0-100) of the first names of two spellings that share a
# surname, to merge them: Vlaidmir/Vladimir 87.5, Sergei/Sergey 83, Yevgeny/Evgeny 92,
# while Dmitry/Alexander 27 and Ben/Ken 67 stay apart.
FIRST_NAME_MIN_RATIO = 80.0
# A name that speaks beside a near-identical one in the same source is a slip of the
# pen only when it is this many edits (OSA) off the other's whole name...
SLIP_MAX_EDITS = 1
# ...and has at most this many turns there ("Vladmir Putin" once beside "Vladimir
# Putin", "Tatiana Golikova" twice beside "Tatyana"); two people with near-identical
# names both speak at length.
SLIP_MAX_TURNS = 2
# Edits (OSA: insert, delete, substitute, swap two letters) between a label's surname
# and a surname in a title or elsewhere in the corpus, which must also start alike:
# Sullvian, Berstein, Walesnky, Mayorakas are one slip; Slavitt/Leavitt are two.
SURNAME_MAX_EDITS = 1
# Letters: a surname shorter than this must match exactly (Jha, Tai, Su, Rice).
SURNAME_FUZZY_MIN_LENGTH = 5
# Similarity of a label to an office label of the people file: "The Presidnet" 92,
# while "The Vice President" against "The President" is 84 and must not match.
ROLE_LABEL_MIN_RATIO = 90.0
# Similarity and length (letters) of a one-word label to a generic word: "Modeartor"
# and "Modertor" are "Moderator"; short names (Porter: 86 to Reporter) are left alone.
GENERIC_MIN_RATIO = 88.0
GENERIC_FUZZY_MIN_LENGTH = 7
# Words: a longer run of capitalised words in a title is not taken as one name
# ("Jen Psaki Aboard Air Force One" is still searched for a surname, not indexed).
MAX_TITLE_NAME_WORDS = 3
# Words kept of a name after a stripped title when a place may precede it and the
# corpus does not know a longer ending ("Great Britain Theresa May" -> "Theresa May");
# particles and initials do not count ("Abu Dhabi Mohammed Al Nahyan" -> "Mohammed Al
# Nahyan", "Vivek H. Murthy").
AMBIGUOUS_NAME_WORDS = 2

DEFAULT_PEOPLE_FILE = Path(__file__).resolve().parent.parent / "data" / "people.toml"


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that name an office, a rank, an organisation or a field, never a person's name.
_ROLE_WORDS = _word_set(
    """
    mr mrs ms miss dr sir madam mister doctor prof professor rev reverend president
    vice prime minister ministers deputy first acting governor mayor head chair
    chairman chairwoman chairperson ceo cfo coo cto director general secretary press
    spokesperson spokesman spokeswoman official officials administrator
    administration adminstrator adminsitrator ambassador advisor adviser aide
    assistant senior principal chief commander commander-in-chief commissioner envoy
    plenipotentiary presidential federal chancellor speaker member members crew
    staff rector vice-rector editor founder co-founder coach manager management
    board executive officer admiral colonel lieutenant major sergeant captain sr lt
    gen paramedic journalist justice judge senator representative congressman
    congresswoman surgeon sheikh king queen prince princess emir patriarch pope
    mufti grand ruling crown counsellor councillor winner coordinator ombudsperson
    lady gentleman the region territory republic federation council committee
    corporation agency service office academy university bank institute centre
    center association union company group bureau party court chamber commission
    comission organisation organization railways ministry government forum countries
    nations duma house congress department fund navy army forces military flight
    news agency's state finance industry trade energy defence defense healthcare
    health education science culture sport sports transport agriculture interior
    emergencies emergency situations labour labor social protection economic economy
    development natural resources environment communications mass media foreign
    affairs higher digital technological rights election security intelligence
    relations entrepreneurs children's children’s entrepreneurs’ entrepreneurs'
    human homeland innovation technology technologies climate policy cyber emerging
    international economics national domestic strategic covid-19 response labor
    clean public infrastructure implementation advisers counselor nsc nec fema
    officer's
    """
)
# Titles that stay with a one-word name: "Patriarch Kirill", not "Kirill".
_KEPT_TITLES = _word_set("patriarch king queen pope emir sheikh prince")
# Honorifics shown in front of a surname that could not be completed.
_HONORIFIC_SPELLING = {"mr": "Mr.", "ms": "Ms.", "mrs": "Mrs.", "dr": "Dr."}
# Lower-case particles inside names: "Marcel van Lohuizen", "Tamim bin Hamad Al Thani".
_PARTICLES = _word_set("van von der den de da del di du la le bin ibn al el y st")
# Name prefixes followed by a capital that are not two glued words: McNamara, DiOrio.
_GLUE_PREFIXES = _word_set("mc mac de di da la le du van von o")
# Words left in lower case when a label is re-cased.
_LOWER_WORDS = _PARTICLES | _word_set("of and the for in on to at")
_ORDINALS = _word_set("one two three four five six 1 2 3 4 5 6 #1 #2 #3")
# Title words that end a name without being a title: "Andrew Bates En Route Woodstock".
_TITLE_BREAKS = _word_set("en route aboard via during at on in with from to")
_GENERIC_LABEL = re.compile(
    r"^(unidentified |unknown )?(speaker|speakers|participant|participants|audience member|"
    r"audience members|male|female|man|woman|voice|person|crowd|other)( \d+| [a-z])?$",
    re.IGNORECASE,
)
# Vocabulary for misspelt generic labels ("Modeartor").
_GENERIC_WORDS = (
    "moderator",
    "reporter",
    "question",
    "participant",
    "interpreter",
    "translator",
    "operator",
    "announcer",
    "journalist",
    "audience",
    "unidentified",
)
_TITLE_TOKEN = re.compile(r"[\w.'’\-]+|[^\w\s]")
_INITIAL = re.compile(r"^[A-Z]\.?$")


@dataclass(frozen=True)
class SourceLabels:
    """One source's speaker labels with what helps to tell who they are."""

    source_id: int
    title: str | None
    date: str | None  # ISO yyyy-mm-dd or None
    url: str | None
    format: str  # 'plain', 'kremlin-text', 'rev', 'kremlin-html', 'markdown', ...
    labels: dict[str, int]  # speaker label as stored -> number of turns in this source


@dataclass(frozen=True)
class Role:
    """An office label that names whoever held the office at the source's date."""

    label: str
    name: str
    scope: str | None
    start: str | None  # inclusive ISO date
    until: str | None  # exclusive ISO date


@dataclass(frozen=True)
class Scope:
    """Where a role applies: a URL pattern, or format families for URL-less sources."""

    url: re.Pattern[str] | None
    formats: frozenset[str]

    def contains(self, source: SourceLabels) -> bool:
        if source.url:
            return bool(self.url and self.url.search(source.url))
        return source.format in self.formats


@dataclass
class PeopleFile:
    """The parsed people file: canonical names, aliases, dated offices, generic labels."""

    aliases: dict[str, str] = field(default_factory=dict)  # name key -> canonical name
    roles: list[Role] = field(default_factory=list)
    scopes: dict[str, Scope] = field(default_factory=dict)
    generic: frozenset[str] = frozenset()  # name keys
    # the person the corpus is about (whom a query naming nobody means), or None
    subject: str | None = None

    @classmethod
    def load(cls, path: str | Path = DEFAULT_PEOPLE_FILE) -> PeopleFile:
        with open(path, "rb") as f:
            return cls.from_dict(tomllib.load(f))

    @classmethod
    def empty(cls) -> PeopleFile:
        return cls()

    @classmethod
    def from_dict(cls, data: dict) -> PeopleFile:
        people = cls()
        for name, spec in data.get("scope", {}).items():
            url = re.compile(spec["url"], re.IGNORECASE) if spec.get("url") else None
            people.scopes[name] = Scope(url, frozenset(spec.get("formats", ())))
        for entry in data.get("person", []):
            name = entry["name"]
            for alias in [name, *entry.get("aliases", ())]:
                people.aliases[name_key(alias)] = name
            for role in entry.get("roles", ()):
                scope = role.get("scope")
                if scope is not None and scope not in people.scopes:
                    raise ValueError(f"{name}: role scope {scope!r} is not defined")
                people.roles.append(
                    Role(role["label"], name, scope, role.get("from"), role.get("until"))
                )
        people.generic = frozenset(name_key(g) for g in data.get("generic", ()))
        subject = data.get("subject")
        if subject is not None and not (isinstance(subject, str) and subject.strip()):
            raise ValueError(f"subject must be a person's name, not {subject!r}")
        people.subject = people.aliases.get(name_key(subject), subject) if subject else None
        return people

    @property
    def role_labels(self) -> set[str]:
        return {name_key(r.label) for r in self.roles}

    def holder(self, label: str, source: SourceLabels) -> str | None:
        """Who held the office ``label`` names on the source's date, in its scope."""
        key = name_key(label)
        if not source.date:
            return None
        for role in self.roles:
            if name_key(role.label) != key:
                continue
            if role.scope and not self.scopes[role.scope].contains(source):
                continue
            if role.start and source.date < role.start:
                continue
            if role.until and source.date >= role.until:
                continue
            return role.name
        return None

    def surname_names(self) -> dict[str, list[str]]:
        """Canonical names by their surname, for surnames the corpus cannot complete."""
        by_surname: dict[str, list[str]] = defaultdict(list)
        for name in dict.fromkeys(self.aliases.values()):
            by_surname[name.split()[-1].casefold()].append(name)
        return by_surname


def name_key(name: str) -> str:
    """Compare names ignoring case, dots and spacing: ``V.Putin`` ~ ``v putin``."""
    return " ".join(name.replace(".", " ").casefold().split())


# --- the rules, one label at a time -------------------------------------------------


def is_generic(label: str, people: PeopleFile) -> bool:
    """Labels that stand for whoever asks, runs the event, or no one in particular."""
    text = " ".join(label.split())
    if is_asker_label(text) or is_procedural_label(text) or is_pseudo_label(text):
        return True
    if _GENERIC_LABEL.match(text) or name_key(text) in people.generic:
        return True
    word = text.casefold()
    if " " not in word and len(word) >= GENERIC_FUZZY_MIN_LENGTH:
        return process.extractOne(word, _GENERIC_WORDS, score_cutoff=GENERIC_MIN_RATIO) is not None
    return False


def split_joined(label: str) -> str:
    """Split words glued together: ``President of RussiaVladimir Putin``, ``V.Putin``.

    A capital after a lower-case letter starts a new word unless what precedes it is a
    name prefix (McNamara, DiOrio, LaNou, DaShaun).
    """
    out: list[str] = []
    start = 0  # where the current capitalised chunk began
    for i, ch in enumerate(label):
        if i and ch.isupper():
            prev = label[i - 1]
            if (prev.islower() and label[start:i].casefold() not in _GLUE_PREFIXES) or (
                prev == "." and i >= 2 and label[i - 2].isupper() and _is_lone_initial(label, i)
            ):
                out.append(" ")
        if ch.isupper() and (i == 0 or not label[i - 1].isupper()):
            start = i
        elif not ch.isalpha():
            start = i + 1
        out.append(ch)
    words = []
    for word in "".join(out).split():
        low = word.casefold()
        if low.endswith("of") and low[:-2] in _ROLE_WORDS and len(low) > 4:
            words += [word[:-2], "of"]  # "Chairmanof the", "Presidentof"
        else:
            words.append(word)
    return " ".join(words)


def _is_lone_initial(label: str, i: int) -> bool:
    """True for ``V.Putin`` (an initial then a word), false for ``J.D.``."""
    return (i < 3 or not label[i - 3].isalpha()) and i + 1 < len(label) and label[i + 1].islower()


def fix_case(words: list[str]) -> list[str]:
    """Re-case shouted words (``VladimirPUTIN``, ``OLLI-PEKKA``) and lower-case names."""
    fixed = []
    for word in words:
        letters = [c for c in word if c.isalpha()]
        if word.isupper() and word.casefold() in _LOWER_WORDS:
            word = word.casefold()  # "GOVERNOR OF CALIFORNIA"
        elif len(letters) >= 3 and all(c.isupper() for c in letters):
            word = "-".join(p[:1] + p[1:].lower() for p in word.split("-"))
        elif letters and all(c.islower() for c in letters) and word not in _LOWER_WORDS:
            word = word[:1].upper() + word[1:]
        if re.match(r"^(Mc|O['’])[a-z]", word):  # Mcdonough, O’connell from ALL CAPS
            cut = 2
            word = word[:cut] + word[cut].upper() + word[cut + 1 :]
        fixed.append(word)
    return fixed


def remove_repeats(words: list[str]) -> list[str]:
    """Cut a label where a name fragment comes again.

    kremlin.ru captions glue the name twice, surname first the second time:
    ``Finance Minister Anton Siluanov Siluanov AntonFinance Minister``, or
    ``President of China Xi Jinping Xi JinpingPresident of ...``.
    """
    folded = [w.casefold() for w in words]
    cut = len(words)
    for j in range(1, len(words)):
        word = words[j]
        if not word[:1].isupper() or _is_role(word):
            continue
        if folded[j] == folded[j - 1]:
            cut = j
            break
        if j + 1 < len(words) and any(folded[i : i + 2] == folded[j : j + 2] for i in range(j - 1)):
            cut = j
            break
    return words[:cut]


def _is_role(word: str) -> bool:
    low = word.casefold().strip(".,")
    if low in _ROLE_WORDS:
        return True
    parts = [p for p in low.split("-") if p]
    return len(parts) > 1 and all(p in _ROLE_WORDS for p in parts)


def _is_name_word(word: str) -> bool:
    return bool(word) and (word[0].isupper() or word[0].isdigit()) and not _is_role(word)


@dataclass(frozen=True)
class StrippedLabel:
    """A label split into its title words and its personal name."""

    title: tuple[str, ...]
    name: tuple[str, ...]
    ambiguous: bool  # a place may open the name ("Russia Vladimir Putin")


def strip_titles(words: list[str]) -> StrippedLabel:
    """Separate the titles and roles in front of a name from the name itself.

    The name is the run of non-title words at the end; a name followed by
    ``of <Place>`` (``Patriarch Kirill of Moscow and All Russia``) loses the place.
    After "of" the run may start with a place, which the caller settles.
    """
    words = list(words)
    if len(words) >= 2 and words[-1].casefold() in _ORDINALS and _is_role(words[-2]):
        words = words[:-1]  # "Senior Administration Official Two"
    for i in range(len(words) - 2, 0, -1):
        if words[i] == "of":
            # not "President of the United States of America Donald Trump": an office
            # of a place, the name after it
            if "of" in words[:i]:
                break
            if _is_name_word(words[i - 1]) and not _is_role(words[i - 1]):
                head = words[:i]
                if any(_is_role(w) for w in head) or len(head) >= 2:
                    words = head
            break
    i = len(words)
    while i > 0:
        word = words[i - 1]
        if _is_role(word) or not (word[:1].isupper() or word.casefold() in _PARTICLES):
            break
        i -= 1
    name = words[i:]
    while name and name[0].casefold() in _PARTICLES:
        name = name[1:]
    title = tuple(words[:i])
    ambiguous = bool(title) and not _is_role(title[-1])
    if len(name) == 1 and title and title[-1].casefold() in _KEPT_TITLES:
        return StrippedLabel(title[:-1], (title[-1], *name), False)
    regnal = len(name) >= 2 and re.fullmatch(r"[IVX]+", name[-1])  # "King Abdullah II"
    if regnal and title and title[-1].casefold() in _KEPT_TITLES:
        return StrippedLabel(title[:-1], (title[-1], *name), False)
    return StrippedLabel(title, tuple(name), ambiguous)


@dataclass(frozen=True)
class ParsedLabel:
    """What one label says on its own, before the corpus is consulted."""

    label: str
    kind: str  # 'generic', 'alias', 'office', 'name', 'initial', 'surname'
    name: tuple[str, ...]  # the personal name's words (or the alias's canonical name)
    title: tuple[str, ...]
    ambiguous: bool
    steps: tuple[str, ...]

    @property
    def surname(self) -> str:
        return self.name[-1].casefold() if self.name else ""


def parse_label(label: str, people: PeopleFile) -> ParsedLabel:
    """Apply the rules that need only the label itself."""
    steps: list[str] = []
    text = " ".join(label.split())
    if is_generic(text, people):
        return ParsedLabel(
            label, "generic", (), (), False, ("generic label: nobody in particular",)
        )
    if name_key(text) in people.aliases:
        canonical = people.aliases[name_key(text)]
        return ParsedLabel(
            label, "alias", (canonical,), (), False, (f"people file alias of {canonical}",)
        )
    split = split_joined(text)
    if split != text:
        steps.append(f"joined words split: {split!r}")
    words = split.split()
    cased = fix_case(words)
    if cased != words:
        steps.append(f"case normalised: {' '.join(cased)!r}")
    short = remove_repeats(cased)
    if short != cased:
        steps.append(f"repeated fragment removed: {' '.join(short)!r}")
    if name_key(" ".join(short)) in people.aliases:
        canonical = people.aliases[name_key(" ".join(short))]
        steps.append(f"people file alias of {canonical}")
        return ParsedLabel(label, "alias", (canonical,), (), False, tuple(steps))
    stripped = strip_titles(short)
    if stripped.title:
        steps.append(f"title stripped: {' '.join(stripped.title)!r}")
    name = stripped.name
    if not name:
        kind = "office"
    elif len(name) == 1:
        kind = "surname"
    elif _INITIAL.match(name[0]) and len(name) == 2:
        kind = "initial"
    else:
        kind = "name"
    return ParsedLabel(label, kind, name, stripped.title, stripped.ambiguous, tuple(steps))


def title_names(title: str | None) -> list[tuple[str, ...]]:
    """Runs of two or more capitalised non-title words in a page title: the names.

    ``Press Briefing by Press Secretary Jen Psaki and ... Member Jared Bernstein``
    gives ``Jen Psaki`` and ``Jared Bernstein``. A run may open with a word of the
    office that is not a title word ("Europe Amanda Sloat"), which the caller settles.
    """
    if not title:
        return []
    names: list[tuple[str, ...]] = []
    run: list[str] = []
    for token in [*_TITLE_TOKEN.findall(title), ","]:
        word = re.sub(r"['’]s$", "", token)
        if (
            _is_name_word(word)
            and word[0].isalpha()
            and word != "On-the-Record"
            and word.casefold() not in _TITLE_BREAKS
        ):
            run.append(word)
            continue
        if word.casefold() in _PARTICLES and run:
            run.append(word)
            continue
        while run and run[-1].casefold() in _PARTICLES:
            run.pop()
        if len(run) >= 2:
            names.append(tuple(run))
        run = []
    return names


def settle_name(words: tuple[str, ...], ambiguous: bool, known: set[str]) -> tuple[str, ...]:
    """The personal name at the end of ``words``, which may open with a place.

    The longest ending the corpus knows as a name wins ("Russia Vladimir Putin" ->
    "Vladimir Putin", "Hermitage Mikhail Piotrovsky" -> "Mikhail Piotrovsky"); else,
    when a place may open them, the last words up to AMBIGUOUS_NAME_WORDS
    non-particles, and otherwise all of them.
    """
    if len(words) <= AMBIGUOUS_NAME_WORDS:
        return words
    for start in range(len(words) - 1):
        if name_key(" ".join(words[start:])) in known:
            return words[start:]
    if not ambiguous:
        return words
    core = 0
    for start in range(len(words) - 1, -1, -1):
        if words[start].casefold() not in _PARTICLES and not _INITIAL.match(words[start]):
            core += 1
            if core == AMBIGUOUS_NAME_WORDS:
                return words[start:]
    return words


# --- the corpus ----------------------------------------------------------------------


@dataclass
class _Resolution:
    name: str | None
    steps: list[str]
    as_written: bool = False  # a surname that could not be completed


class _Corpus:
    """Every label of every source, parsed once, with the indexes the rules consult."""

    def __init__(self, sources: Iterable[SourceLabels], people: PeopleFile) -> None:
        self.people = people
        self.sources = list(sources)
        self.parsed: dict[str, ParsedLabel] = {}
        for source in self.sources:
            for label in source.labels:
                if label not in self.parsed:
                    self.parsed[label] = parse_label(label, people)
        self.role_labels = sorted(people.role_labels)
        self._offices: dict[str, str | None] = {}
        self.people_surnames = people.surname_names()
        # Names that labels give without any title: they settle ambiguous endings.
        self.bare: set[str] = set()
        for p in self.parsed.values():
            if p.kind in ("name", "initial") and not p.title:
                self.bare.add(name_key(" ".join(p.name)))
        # ...and so do two-word names that other labels settle on ("Mahmoud Abbas" from
        # "President of Palestine Mahmoud Abbas" for "... State Palestine Mahmoud Abbas").
        for p in self.parsed.values():
            if p.kind == "name" and p.ambiguous:
                words = settle_name(p.name, True, self.bare)
                if len(words) == AMBIGUOUS_NAME_WORDS:
                    self.bare.add(name_key(" ".join(words)))
        self.full: dict[str, tuple[str, ...]] = {}  # label -> name words, full names only
        for label, p in self.parsed.items():
            if p.kind == "name":
                self.full[label] = self._settle(p)
        # surname -> full name key -> number of sources giving it (titles and labels);
        # by_family holds the same per family of sources, so that a podcast guest does
        # not complete a briefing's "Mr. White" nor "Ms. Johnson" (both are Markdown).
        self.by_surname: dict[str, Counter[str]] = defaultdict(Counter)  # labels only
        self.by_family: dict[tuple[str, str, str], Counter[str]] = defaultdict(Counter)
        self.spelling: dict[str, Counter[str]] = defaultdict(Counter)  # key -> display
        self._titles: dict[int, list[tuple[str, ...]]] = {}
        for source in self.sources:
            seen: set[str] = set()
            for label, turns in source.labels.items():
                words = self.full.get(label)
                if words:
                    key = name_key(" ".join(words))
                    self.spelling[key][" ".join(words)] += turns
                    seen.add(key)
                    self.by_surname[key.split()[-1]][key] += 1
            for run in self.title_names(source):
                if len(run) > MAX_TITLE_NAME_WORDS:
                    continue
                words = settle_name(run, True, self.bare)
                key = name_key(" ".join(words))
                self.spelling[key][" ".join(words)] += 0
                seen.add(key)
            for key in seen:
                self.by_family[(*_family(source), key.split()[-1])][key] += 1

    def title_names(self, source: SourceLabels) -> list[tuple[str, ...]]:
        if source.source_id not in self._titles:
            self._titles[source.source_id] = title_names(source.title)
        return self._titles[source.source_id]

    def _settle(self, p: ParsedLabel) -> tuple[str, ...]:
        return settle_name(p.name, p.ambiguous, self.bare)

    def display(self, key: str) -> str:
        spellings = self.spelling.get(key)
        if not spellings:
            return key
        return max(spellings.items(), key=lambda kv: (kv[1], -_odd_case(kv[0])))[0]

    def resolve(self, source: SourceLabels, label: str) -> _Resolution:
        p = self.parsed.get(label) or parse_label(label, self.people)
        steps = list(p.steps)
        if p.kind == "generic":
            return _Resolution(None, steps)
        if p.kind == "alias":
            return _Resolution(p.name[0], steps)
        office = self.office_label(label)
        if p.kind == "office" or office:
            holder = self.people.holder(office, source) if office else None
            if holder:
                steps.append(f"office held on {source.date} by {holder} (people file)")
            else:
                steps.append("office with no holder known for this source: nobody in particular")
            return _Resolution(holder, steps)
        if p.kind == "name":
            words = self.full[label] if label in self.full else self._settle(p)
            if words != p.name:
                steps.append(f"place dropped before the name: {' '.join(words)!r}")
            return _Resolution(self.display(name_key(" ".join(words))), steps)
        if p.kind == "initial":
            found = self._expand_initial(p)
            if found:
                steps.append(f"initial expanded: {found!r} is the only such name in the corpus")
                return _Resolution(found, steps)
            steps.append("initial matches no full name: read as a surname")
        return self._complete_surname(source, p, steps)

    def office_label(self, label: str) -> str | None:
        """The people file's office label this label is, allowing a slip of the pen."""
        if label not in self._offices:
            key = name_key(label)
            hit = process.extractOne(
                key, self.role_labels, scorer=fuzz.ratio, score_cutoff=ROLE_LABEL_MIN_RATIO
            )
            self._offices[label] = hit[0] if hit else None
        return self._offices[label]

    def _title_name(self, run: tuple[str, ...], j: int) -> tuple[str, ...]:
        """The name in a title run that ends at the surname at position ``j``."""
        if j == len(run) - 1 and len(run) <= MAX_TITLE_NAME_WORDS:
            return settle_name(run, True, self.bare)
        return run[max(0, j - _first_names(run, j)) : j + 1]

    def _expand_initial(self, p: ParsedLabel) -> str | None:
        initial = p.name[0][0].casefold()
        keys = [
            k
            for k in self.by_surname.get(p.surname, ())
            if len(k.split()) >= 2 and k[0] == initial and len(k.split()[0]) > 1
        ]
        if not keys:
            return None
        counts = self.by_surname[p.surname]
        return self.display(max(keys, key=lambda k: counts[k]))

    def _complete_surname(
        self, source: SourceLabels, p: ParsedLabel, steps: list[str]
    ) -> _Resolution:
        surname = p.surname
        local = [
            self._title_name(run, j)
            for run in self.title_names(source)
            for j in range(1, len(run))
            if _same_surname(run[j], surname)
        ]
        where = "the title"
        if not local:
            where = "another label of this source"
            local = [
                self.full[lab]
                for lab in source.labels
                if lab in self.full and _same_surname(self.full[lab][-1], surname)
            ]
        if local:
            words = local[0]
            key = name_key(" ".join(words))
            steps.append(f"surname completed from {where}: {' '.join(words)!r}")
            return _Resolution(
                self.display(key) if key in self.spelling else " ".join(words), steps
            )
        counts = self.by_family.get((*_family(source), surname))
        if counts:
            key, n = counts.most_common(1)[0]
            steps.append(f"surname completed from sources of this kind: {key!r} in {n}")
            return _Resolution(self.display(key), steps)
        known = self.people_surnames.get(surname)
        if known:
            steps.append(f"surname completed from the people file: {known[0]!r}")
            return _Resolution(known[0], steps)
        shown = " ".join(p.name)
        if p.title and len(p.name) == 1:  # "A. Vedyashchev" reads as a name already
            honorific = p.title[-1]
            shown = f"{_HONORIFIC_SPELLING.get(honorific.casefold().strip('.'), honorific)} {shown}"
        steps.append("surname not completed: kept as written")
        return _Resolution(shown, steps, as_written=True)


def _family(source: SourceLabels) -> tuple[str, str]:
    """Sources of one kind: their format and the site their address is on (briefings
    and podcasts are both Markdown; only the briefings have a White House address)."""
    site = urlsplit(source.url).hostname if source.url else None
    return source.format, site or ""


def _first_names(run: tuple[str, ...], j: int) -> int:
    """How many words before position ``j`` of a title run are first names: one, and
    the one before it too when it is an initial (``John F. Kennedy``)."""
    if j >= 2 and _INITIAL.match(run[j - 1]):
        return 2
    return 1


def _same_surname(candidate: str, surname: str) -> bool:
    """One surname, allowing one slip in names long enough to tell apart."""
    candidate = candidate.casefold()
    if candidate == surname:
        return True
    if min(len(candidate), len(surname)) < SURNAME_FUZZY_MIN_LENGTH:
        return False
    return candidate[0] == surname[0] and OSA.distance(candidate, surname) <= SURNAME_MAX_EDITS


def _odd_case(name: str) -> int:
    """Words with capitals after the first letter: the less likely spelling."""
    return sum(1 for w in name.split() if any(c.isupper() for c in w[1:]))


def _merge_spellings(
    names: dict[str, int], turns_in: dict[str, Counter[int]], fixed: set[str]
) -> dict[str, str]:
    """Map near-identical spellings of one name onto the most used one.

    Only names that share a surname are compared, by their first names. Two names that
    both speak in one source are two people, unless one is a slip of the pen there (one
    letter off the other's whole name, in at most SLIP_MAX_TURNS turns of that source).
    ``fixed`` names (from the people file, or a surname kept as written) are never
    merged into another.
    """
    by_surname: dict[str, list[str]] = defaultdict(list)
    for name in sorted(names, key=lambda n: (-names[n], n)):
        words = name.split()
        if len(words) >= 2:
            by_surname[words[-1].casefold()].append(name)
    merged: dict[str, str] = {}
    for group in by_surname.values():
        kept: list[str] = []
        for name in group:
            target = None
            if name not in fixed:
                target = next((o for o in kept if _same_person(name, o, turns_in)), None)
            if target is None:
                kept.append(name)
            else:
                merged[name] = target
                turns_in[target] = turns_in[target] + turns_in[name]
    return merged


def _same_person(name: str, other: str, turns_in: dict[str, Counter[int]]) -> bool:
    first = " ".join(name.split()[:-1]).casefold()
    other_first = " ".join(other.split()[:-1]).casefold()
    if fuzz.ratio(first, other_first) < FIRST_NAME_MIN_RATIO:
        return False
    shared = turns_in[name].keys() & turns_in[other].keys()
    if not shared:
        return True
    if OSA.distance(name_key(name), name_key(other)) > SLIP_MAX_EDITS:
        return False
    return all(turns_in[name][sid] <= SLIP_MAX_TURNS for sid in shared)


def _resolve_all(
    sources: Iterable[SourceLabels], people: PeopleFile
) -> tuple[_Corpus, dict[tuple[int, str], _Resolution]]:
    corpus = _Corpus(sources, people)
    results: dict[tuple[int, str], _Resolution] = {}
    turns: Counter[str] = Counter()
    turns_in: dict[str, Counter[int]] = defaultdict(Counter)
    fixed = set(people.aliases.values())
    for source in corpus.sources:
        for label, n in source.labels.items():
            res = corpus.resolve(source, label)
            if res.name is not None:
                canonical = people.aliases.get(name_key(res.name))
                if canonical and canonical != res.name:
                    res.steps.append(f"people file alias of {canonical}")
                    res.name = canonical
                turns[res.name] += n
                turns_in[res.name][source.source_id] += n
                if res.as_written:
                    fixed.add(res.name)
            results[(source.source_id, label)] = res
    merged = _merge_spellings(dict(turns), turns_in, fixed)
    for res in results.values():
        if res.name in merged:
            res.steps.append(f"spelling merged into {merged[res.name]!r}")
            res.name = merged[res.name]
    return corpus, results


def resolve_corpus(
    sources: Iterable[SourceLabels], people: PeopleFile
) -> dict[tuple[int, str], str | None]:
    """(source_id, label) -> canonical display name of the person, or None for generic labels."""
    _, results = _resolve_all(sources, people)
    return {key: res.name for key, res in results.items()}


def explain(
    label: str,
    source: SourceLabels,
    people: PeopleFile,
    corpus: Iterable[SourceLabels] | None = None,
) -> list[str]:
    """The rules that fired for one label, in order, ending with the result.

    Without ``corpus`` only the source itself is consulted, so corpus-wide steps
    (surname counts, spelling merges) show only when the corpus is passed.
    """
    everything = [s for s in corpus or () if s.source_id != source.source_id]
    labels = dict(source.labels)
    labels.setdefault(label, 1)
    this = SourceLabels(
        source.source_id, source.title, source.date, source.url, source.format, labels
    )
    _, results = _resolve_all([this, *everything], people)
    res = results[(source.source_id, label)]
    return [*res.steps, f"-> {res.name if res.name is not None else 'nobody (generic)'}"]


def people_count(mapping: dict[tuple[int, str], str | None]) -> int:
    """Distinct people in a resolved corpus."""
    return len({name for name in mapping.values() if name is not None})


def iter_people(mapping: dict[tuple[int, str], str | None]) -> Iterator[tuple[str, list[str]]]:
    """Each person with the labels that name them, most labels first."""
    labels: dict[str, set[str]] = defaultdict(set)
    for (_, label), name in mapping.items():
        if name is not None:
            labels[name].add(label)
    for name in sorted(labels, key=lambda n: (-len(labels[n]), n)):
        yield name, sorted(labels[name])


# -- linking a corpus ----------------------------------------------------------------
PEOPLE_FILE_FACT = "people_file_sha256"


class PeopleFileError(ValueError):
    """The people file cannot be read; the message names the file and the problem."""


def read_people_file(path: Path | None) -> tuple[PeopleFile, str]:
    """The people file at ``path`` (none there: no entries) and a hash of its content."""
    if path is None or not Path(path).exists():
        return PeopleFile.empty(), ""
    data = Path(path).read_bytes()
    try:
        people = PeopleFile.from_dict(tomllib.loads(data.decode("utf-8")))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise PeopleFileError(f"people file {path}: {exc}") from exc
    return people, hashlib.sha256(data).hexdigest()


def _people_for(db: sqlite_utils.Database, path: Path | None) -> tuple[PeopleFile, str]:
    """The people file to link the corpus with (:func:`read_people_file`); none at
    ``path`` where the corpus was linked with one is an error, not a file of no
    entries: a command run from another folder (the default path is relative) must
    not unlink every speaker."""
    people, digest = read_people_file(path)
    if not digest and store.corpus_fact(db, PEOPLE_FILE_FACT):
        raise PeopleFileError(
            f"no people file at {path} (the corpus was linked with one; set QUOTEBOT_PEOPLE"
            " or run from the folder that holds data/people.toml)"
        )
    return people, digest


def link(db: sqlite_utils.Database, path: Path | None = DEFAULT_PEOPLE_FILE) -> int:
    """Resolve every speaker label of the corpus to its person and store the links.

    Reads only what the corpus holds (labels, titles, dates, URLs): a changed people
    file re-links the corpus in seconds, no transcript parsed again. Returns how many
    (source, label) links changed. Raises :class:`PeopleFileError` for a file that
    cannot be read, or is gone (:func:`_people_for`).
    """
    people, digest = _people_for(db, path)
    sources = [SourceLabels(**row) for row in store.speaker_sources(db)]
    changed = store.link_people(db, resolve_corpus(sources, people))
    store.set_corpus_fact(db, store.SUBJECT_FACT, people.subject or "")
    store.set_corpus_fact(db, PEOPLE_FILE_FACT, digest)
    return changed


def needs_link(db: sqlite_utils.Database, path: Path | None = DEFAULT_PEOPLE_FILE) -> bool:
    """Whether the people file changed since the corpus was last linked (raises as
    :func:`link` does)."""
    _, digest = _people_for(db, path)
    return store.corpus_fact(db, PEOPLE_FILE_FACT) != digest
