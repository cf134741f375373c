"""The quote shown for a hit: the sentences of the answer where the query matched."""

from __future__ import annotations

from rapidfuzz import fuzz

from ..words import cut_at_word, sentence_ends, split_sentences


def best_excerpt(q_text: str, answer: str, limit: int) -> str:
    """The sentence(s) of ``answer`` where ``q_text`` aligns best, within ``limit``
    characters; one over-long sentence is cut around the matched stretch."""
    if len(answer) <= limit:
        return answer
    found = fuzz.partial_ratio_alignment(q_text, answer.lower())
    start, end = found.dest_start, max(found.dest_end, found.dest_start + 1)
    ends_before = sentence_ends(answer, max(0, start - limit), start)
    left = ends_before[-1] if ends_before else max(0, start - limit) if start > limit else 0
    after = sentence_ends(answer, end)
    right = after[0] if after else len(answer)
    excerpt = answer[left:right].strip()
    if len(excerpt) <= limit:
        return excerpt
    middle = (start + end) // 2 - left
    lo = max(0, middle - limit // 2)
    piece = excerpt[lo : lo + limit - 2]
    if lo > 0:
        piece = "…" + piece.split(" ", 1)[-1]
    return cut_at_word(piece, limit)


def standalone_quote(text: str, limit: int = 400) -> str:
    """The opening sentences of an answer, up to about ``limit`` characters."""
    quote = ""
    for sentence in split_sentences(text):
        candidate = f"{quote} {sentence}".strip()
        if len(candidate) > limit and quote:
            break
        quote = candidate
    return cut_at_word(quote or text, limit)
