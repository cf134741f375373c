"""Word splitting shared by the vocabulary, typo correction and re-ranking.

It folds case and accents and splits on anything that is not a letter or digit,
as SQLite's ``unicode61 remove_diacritics 2`` tokenizer does, so a word the corpus
vocabulary knows is a word the full-text index knows.
"""

from __future__ import annotations

import re
import unicodedata

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
