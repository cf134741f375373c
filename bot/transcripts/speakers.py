"""Who is speaking: label clean-up, one name per person, and who answers questions.

Every parser hands its raw turns to :func:`assemble`, so the rules for names,
quotable answers and question links are the same whatever the file format.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

from ..words import FUNCTION_WORDS
from .limits import bounded_info, bounded_speaker, bounded_timestamp
from .model import RawTurn, SourceInfo, Transcript, TranscriptError, Turn
from .text import clean

# Labels that stand for whoever asks: their turns are questions, never quotes.
_ASKER_LABELS = re.compile(
    r"^(q|question|questions|remark|reply|reporter|reporters|journalist|journalists|"
    r"audience|audience member|participant|voice|voices|interviewer|correspondent)"
    r"( \d+)?$",
    re.IGNORECASE,
)
# People who run the event rather than answer: never quotable, never "the asker".
_PROCEDURAL_LABELS = re.compile(
    r"^(moderator|operator|mc|aide|announcer|narrator|staff|interpreter|translator)"
    r"( \d+)?$",
    re.IGNORECASE,
)
# Not people at all: a podcast's "Break", "Outro" sections.
_PSEUDO_LABELS = re.compile(r"^(break|outro|intro|sponsor|ad break|music)$", re.IGNORECASE)
_CONNECTORS = frozenset(
    [
        "of",
        "and",
        "the",
        "de",
        "da",
        "del",
        "der",
        "di",
        "du",
        "la",
        "le",
        "van",
        "von",
        "bin",
        "al",
        "el",
        "y",
        "for",
        "on",
        "at",
        "to",
        "in",
        "mc",
        "mac",
        "o",
        "d",
        "st",
    ]
)
# Characters a name word may hold besides letters, digits and combining marks
# (the vowel signs of Arabic and Hebrew, the accents of decomposed Latin).
_NAME_PUNCTUATION = frozenset(".'’-()&_")
# Names in scripts without letter case (Arabic, Hebrew, Chinese, ...) cannot be told
# from a sentence by capitals, so they may have at most this many words.
_CASELESS_MAX_WORDS = 5
# Sentence ends, with the full stops and question marks of Chinese and Arabic.
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|(?<=[。！？])")
_QUESTION_MARKS = "?？؟"
_ASKER_SHARE = 0.5
# A podcast turn with at least this share of its words in sentences that ask, and
# answered by the next speaker, is a question, not an answer.
_ASKING_SHARE = 0.5
_PRINCIPAL_SHARE = 0.2
_MAX_QUESTION_TURNS = 3


def looks_like_label(label: str, max_words: int = 12) -> bool:
    """True when ``label`` reads as a speaker's name or title, not a sentence.

    Every word starts with a capital, a digit, or is a connector (``of``, ``van``);
    in scripts without case (``习近平``, ``محمد``, ``משה``) a word starting with a letter
    counts as capitalised, and the label may have at most a few words.
    """
    label = clean(label)
    if not label or len(label) > 120 or any(c in label for c in ',;?!:"“”،؛؟，；？！：'):
        return False
    words = label.split()
    if len(words) > max_words:
        return False
    caseless = False
    for word in words:
        if not _is_name_word(word):
            return False
        first = word[0]
        if first.isupper() or first.isdigit() or word.lower() in _CONNECTORS:
            continue
        if first.isalpha() and not first.islower():
            caseless = True
            continue
        return False
    return not caseless or len(words) <= _CASELESS_MAX_WORDS


# A label the page's own markup sets apart (bold, then a colon) may name its speaker
# after their office in words of any case ("Editor-in-chief of the Kommersant
# newspaper Sergei Yakovlev", "Konstantin Sivoronov, head of the acute toxic exposure
# department", "Bashar al-Assad"): it must still hold a name at one end and read as
# no sentence, in at most this many words and characters.
_MAX_TITLED_WORDS = 40
_MAX_TITLED_CHARS = 300


def looks_like_titled_label(label: str) -> bool:
    """True when a label set apart by markup reads as a speaker: a name
    (:func:`looks_like_label`), or an office and a name, two capitalised words ending
    it or, before a comma, opening it. "Meeting points" and "Note for the CIS media"
    are headings, not speakers."""
    label = clean(label)
    if looks_like_label(label):
        return True
    if len(label) > _MAX_TITLED_CHARS or any(c in label for c in ';?!:"“”'):
        return False
    # a country or an acronym in brackets after the name: "Colonel Al Shino (Bahrain)"
    words = [w for w in label.split() if not (w.startswith("(") and w.endswith(")"))]
    if not 2 <= len(words) <= _MAX_TITLED_WORDS:
        return False
    if not all(_is_name_word(w.rstrip(",")) for w in words):
        return False
    if words[0].lower() in FUNCTION_WORDS - _CONNECTORS:
        return False  # "It was great, Mr President": a sentence, not an office
    ends_named = all(_is_capitalised(w) for w in words[-2:])
    opens_named = words[1].endswith(",") and all(_is_capitalised(w.rstrip(",")) for w in words[:2])
    return ends_named or opens_named


def _is_capitalised(word: str) -> bool:
    """A word of a name as written: a capital first, or after a particle ("al-Assad")."""
    head, _, tail = word.partition("-")
    if tail and head in _CONNECTORS:
        word = tail
    return word[:1].isupper()


# The common case of a name word, checked at C speed before the character rules.
_PLAIN_NAME_WORD = re.compile(r"[\w.'’\-()&]+")


def _is_name_word(word: str) -> bool:
    if _PLAIN_NAME_WORD.fullmatch(word):
        return True
    return all(
        c.isalnum() or c in _NAME_PUNCTUATION or unicodedata.category(c).startswith("M")
        for c in word
    )


def clean_name(label: str) -> str:
    """A display name from a label: ``MS. JEAN-PIERRE`` -> ``Ms. Jean-Pierre``."""
    name = clean(label).strip(" :*")
    if name.lower() == "q":
        return "Reporter"
    if name.isupper():  # cheap test first: most labels are not all capitals
        letters = [c for c in name if c.isalpha()]
        if len(letters) > 3 and all(c.isupper() for c in letters):
            name = _title_case(name)
    return name


def _title_case(name: str) -> str:
    def word_case(word: str) -> str:
        if word.lower() in _CONNECTORS and word.lower() not in ("mc", "mac", "o", "d"):
            return word.lower()
        return "-".join(part[:1].upper() + part[1:].lower() for part in word.split("-"))

    cased = [word_case(w) for w in name.split()]
    return " ".join([cased[0][:1].upper() + cased[0][1:], *cased[1:]])


def is_asker_label(name: str) -> bool:
    return bool(_ASKER_LABELS.match(name))


def is_procedural_label(name: str) -> bool:
    return bool(_PROCEDURAL_LABELS.match(name))


def is_pseudo_label(name: str) -> bool:
    return bool(_PSEUDO_LABELS.match(clean_name(name)))


def canonical_names(names: Iterable[str]) -> dict[str, str]:
    """Map every label onto one name per person.

    Case variants (``Vladimir PUTIN``) join the most used spelling, and a long label
    that is a title plus a name the same transcript also uses (``President of Russia
    Vladimir Putin`` beside ``Vladimir Putin``) becomes that shorter name.
    """
    counts = Counter(names)

    def preference(name: str) -> tuple[int, int]:
        odd_case = sum(1 for w in name.split() if any(c.isupper() for c in w[1:]))
        return (-counts[name], odd_case)

    spelling: dict[str, str] = {}
    for name in sorted(counts, key=preference):
        spelling.setdefault(name.casefold(), name)
    # Word tuples of every name, so each label's tails are looked up, not compared
    # with every other name (a file may have thousands of distinct labels).
    folded = {tuple(f.split()): f for f in spelling}
    mapping: dict[str, str] = {}
    for name in counts:
        words = tuple(name.casefold().split())
        best = " ".join(words)
        # The shortest tail of two or more words that is a name of its own.
        for size in range(2, len(words)):
            if words[-size:] in folded:
                best = folded[words[-size:]]
                break
        mapping[name] = spelling[best] if best in spelling else spelling[name.casefold()]
    return mapping


def _asks(text: str) -> bool:
    """Whether a turn closes on a question (its last two sentences hold a '?', or it
    is a question cut off before its mark)."""
    if not any(mark in text for mark in _QUESTION_MARKS):
        # most turns: no need to split them into sentences
        return bool(_CUT_OFF.search(text)) and _is_cut_off_question(
            _SENTENCE_END.split(text.strip())[-1]
        )
    sentences = _SENTENCE_END.split(text.strip())
    tail = " ".join(sentences[-2:])
    return any(mark in tail for mark in _QUESTION_MARKS)


def principal_speakers(turns: list[tuple[str, str]], everyone: bool = False) -> set[str]:
    """Speakers whose turns are quotable: by default, the ones who answer.

    Generic question labels and named people who mostly ask are askers; event staff
    are procedural; of the rest, everyone with at least a fifth of the words of the
    main answerer is a principal. ``everyone`` (podcasts) keeps every real speaker.
    """
    words: Counter[str] = Counter()
    count: Counter[str] = Counter()
    asks: Counter[str] = Counter()
    for speaker, text in turns:
        words[speaker] += len(text.split())
        count[speaker] += 1
        asks[speaker] += _asks(text)
    people = {s for s in count if not is_asker_label(s) and not is_procedural_label(s)}
    if everyone:
        return people
    answerers = {s for s in people if asks[s] / count[s] < _ASKER_SHARE}
    if not answerers:
        answerers = people
    if not answerers:
        return set()
    top = max(words[s] for s in answerers)
    return {s for s in answerers if words[s] >= _PRINCIPAL_SHARE * top}


def _matches_any(name: str, wanted: Iterable[str]) -> bool:
    folded = name.casefold()
    return any(w.casefold() == folded or folded.endswith(" " + w.casefold()) for w in wanted)


def assemble(
    fmt: str,
    info: SourceInfo,
    raw_turns: list[RawTurn],
    *,
    quoted_speakers: Iterable[str] | None = None,
    everyone: bool = False,
    warnings: list[str] | None = None,
) -> Transcript:
    """Raw parser output to a :class:`Transcript` with names, answers and questions.

    ``quoted_speakers`` (a deployment setting) replaces the default choice of who is
    quotable; generic question labels stay unquotable either way.
    """
    warnings = list(warnings or [])
    merged: list[RawTurn] = []
    for raw in raw_turns:
        name = clean_name(raw.label)
        if _PSEUDO_LABELS.match(name):
            continue
        paragraphs = [p for p in (clean(p) for p in raw.paragraphs) if p]
        if not paragraphs:
            continue
        name = bounded_speaker(name)
        if merged and merged[-1].label == name:
            merged[-1].paragraphs.extend(paragraphs)
            continue
        merged.append(RawTurn(name, paragraphs, bounded_timestamp(raw.timestamp)))
    if not merged:
        raise TranscriptError("no speaker labels found (expected lines like 'Name: text')")

    # Turns by one person (under two spellings) in a row become one; paragraphs are
    # collected and joined once, so a long run costs linear time.
    mapping = canonical_names(t.label for t in merged)
    runs: list[tuple[str, list[str], str | None]] = []
    for raw in merged:
        name = mapping[raw.label]
        if runs and runs[-1][0] == name:
            runs[-1][1].extend(raw.paragraphs)
        else:
            runs.append((name, list(raw.paragraphs), raw.timestamp))
    turns = [(name, "\n\n".join(paragraphs), stamp) for name, paragraphs, stamp in runs]

    wanted = [w.strip() for w in quoted_speakers or () if w.strip()]
    if wanted:
        principals = {s for s, _, _ in turns if _matches_any(s, wanted) and not is_asker_label(s)}
    else:
        principals = principal_speakers([(s, t) for s, t, _ in turns], everyone)

    result: list[Turn] = []
    for pos, (speaker, text, stamp) in enumerate(turns):
        is_answer = speaker in principals and not (everyone and _put_to_next(turns, pos))
        question: list[int] = []
        asked_by = None
        if is_answer:
            question = _question_before(turns, pos, principals)
            askers = [turns[p][0] for p in question if not is_procedural_label(turns[p][0])]
            question = [p for p in question if not is_procedural_label(turns[p][0])] or question
            asked_by = (askers or [turns[p][0] for p in question] or [None])[-1]
        result.append(Turn(pos, speaker, text, stamp, is_answer, tuple(question), asked_by))
    return Transcript(fmt, bounded_info(info, warnings), result, warnings)


def _put_to_next(turns: list[tuple[str, str, str | None]], pos: int) -> bool:
    """Whether the turn at ``pos`` is a question the next speaker answers, asking more
    than it says (most of its words in sentences that ask): in a podcast, where
    everyone is quotable, a host's "So Johan, do you use an ORM?" is the question of
    the answer after it, not an answer."""
    if pos + 1 >= len(turns) or turns[pos + 1][0] == turns[pos][0]:
        return False
    text = turns[pos][1]
    if not _asks(text):
        return False
    sentences = [s for s in _SENTENCE_END.split(text.strip()) if s]
    cut_off = _is_cut_off_question(sentences[-1])
    asking = sum(
        len(s.split())
        for i, s in enumerate(sentences)
        if any(m in s for m in _QUESTION_MARKS) or (cut_off and i == len(sentences) - 1)
    )
    return asking >= _ASKING_SHARE * sum(len(s.split()) for s in sentences)


# A question the next speaker cut off before its question mark: it ends in a dash or
# dots after a question's words ("... would you say that you are unhappy with the
# performance of generics, or do you feel like in most cases --").
_CUT_OFF = re.compile(r"(?:--|—|–|…|\.\.\.)\s*$")
_ASKING_WORDS = re.compile(
    r"\b(?:would|do|did|does|are|were|can|could|have|has|will|should|is|what|how|why)"
    r"\s+(?:you|we|they|it|there|he|she)\b",
    re.I,
)


def _is_cut_off_question(sentence: str) -> bool:
    return bool(_CUT_OFF.search(sentence) and _ASKING_WORDS.search(sentence))


def _question_before(
    turns: list[tuple[str, str, str | None]], pos: int, principals: set[str]
) -> list[int]:
    """Positions of the turns an answer at ``pos`` responds to.

    The run of non-principal turns right before it; failing that (a podcast, where
    all are principals), the previous turn by someone else if it asks something.
    """
    run: list[int] = []
    p = pos - 1
    while p >= 0 and turns[p][0] not in principals and len(run) < _MAX_QUESTION_TURNS:
        run.append(p)
        p -= 1
    if run:
        return run[::-1]
    if pos > 0 and turns[pos - 1][0] != turns[pos][0] and _asks(turns[pos - 1][1]):
        return [pos - 1]
    return []
