"""British and American spellings of one word are one word.

The Kremlin's English pages write "organisation", "defence" and "programme", the White
House "organization", "defense" and "program", and people type either: a query in one
spelling must find an answer in the other, and weigh both as one word. A British form
is rewritten to its American one by the rules of the difference (``-ise`` ``-ize``,
``-our`` ``-or``, ``-tre`` ``-ter``, ``-ence`` ``-ense``, a doubled ``l``, ``-ogue``,
``-mme``, ``ae``), and only when the American word list has the result and has it more
often than the word as written: "filled" is not "filed", "timbre" is not "timber"
(no rule turns it), "theatre" is "theater". The word list is pyspellchecker's
English frequency list (American spelling), read from its wheel once, the first time
a word looks British; nothing is downloaded.
"""

from __future__ import annotations

import re
from functools import cache

# The language of the word list (one of pyspellchecker's bundled dictionaries).
LANGUAGE = "en"
# The word list's lowest count: a third of its 160k words have it, misspellings among
# them ("surprize", "acer"); a rewrite must be commoner than that.
LIST_FLOOR = 50

# (British form, American form): whole-word patterns, tried in order, the first that
# matches decides. The groups before the change keep words too short to be British
# forms out ("prise", "four", "hour", "fence").
_RULES = [
    (re.compile(p), r)
    for p, r in (
        (r"^(.{3,})is(e|ed|es|ing|er|ers|ation|ations|ational)$", r"\1iz\2"),
        (r"^(.{2,})ys(e|ed|es|ing|er|ers)$", r"\1yz\2"),
        (
            r"^(.{3,})our(s|ed|ing|able|ably|al|ally|ite|ites|itism|ful|less|er|ers|hood"
            r"|hoods|ly)?$",
            r"\1or\2",
        ),
        (r"^(.{2,}t|.+[ia]b)re(s)?$", r"\1er\2"),
        (r"^(.{2,}[aeiou])ll(ed|ing|er|ers|or|ors)$", r"\1l\2"),
        (r"^(.{2,})ence(s)?$", r"\1ense\2"),
        (r"^(.{3,})ogue(s)?$", r"\1og\2"),
        (r"^(.{3,})mme(s)?$", r"\1m\2"),
        (r"^(.+)ae([mdco].*)$", r"\1e\2"),
        (r"^(.+)dgement(s)?$", r"\1dgment\2"),
        (r"^sceptic(.*)$", r"skeptic\1"),
    )
]
# Words a rule would rewrite into another word, their own: a Unix daemon is no demon.
_OWN_WORDS = frozenset({"daemon", "daemons"})
# One test that most words fail, before the rules: stemming a corpus's vocabulary asks
# about every word.
_MAYBE = re.compile(
    r"[iy]s(?:e|ed|es|ing|ers?|ations?|ational)$|our|(?:t|ib|ab)res?$|ll(?:ed|ing|ers?|ors?)$"
    r"|ences?$|ogues?$|mmes?$|ae[mdco]|dgements?$|^scep"
)


@cache
def word_counts() -> dict[str, int]:
    """The language's word list, each word with how common it is (loaded once; typo
    correction asks it whether a word is the language's at all)."""
    from spellchecker import SpellChecker

    return SpellChecker(language=LANGUAGE).word_frequency.dictionary


def american(word: str) -> str:
    """The American spelling of a folded word: ``word`` itself unless it is a British
    form whose American one the word list has, and has more often."""
    if not _MAYBE.search(word) or word in _OWN_WORDS:
        return word
    for pattern, replacement in _RULES:
        if pattern.match(word):
            counts = word_counts()
            us = pattern.sub(replacement, word)
            return us if counts.get(us, 0) > max(LIST_FLOOR, counts.get(word, 0)) else word
    return word
