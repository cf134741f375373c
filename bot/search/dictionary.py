"""Whether a word is a word of the language at all, beyond the corpus's vocabulary.

Typo correction looks only at the corpus's words, and in a short word one wrong letter
is often another word ("mood" is not a slip of "moon"). A word the language has is
left as typed; one it has not ("prlss", "colrt", "taoks") is a slip, and may be
corrected like any other. The word list is pyspellchecker's English frequency list,
read from its wheel (nothing is downloaded), once, the first time an unknown word
needs it.
"""

from __future__ import annotations

from ..spelling import word_counts


def is_word(word: str) -> bool:
    """``word`` (lower case) is in the language's word list."""
    return word in word_counts()
