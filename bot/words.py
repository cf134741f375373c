"""Word splitting shared by the vocabulary, typo correction and re-ranking.

It folds case and accents and splits on anything that is not a letter or digit,
as SQLite's ``unicode61 remove_diacritics 2`` tokenizer does, so a word the corpus
vocabulary knows is a word the full-text index knows.
"""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Lower-case ``text`` and strip accents (``Fernández`` -> ``fernandez``)."""
    text = text.casefold()
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The folded words of ``text`` in order."""
    return _WORD.findall(fold(text))
