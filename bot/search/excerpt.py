"""The quote shown for a hit: the sentences of the answer where the query matched."""

from __future__ import annotations

import math
import re

from rapidfuzz import fuzz

from ..words import cut_at_word, sentence_ends, sentence_spans, split_sentences, stem, words


def _held(
    answer: str,
    spans: list[tuple[int, int]],
    weights: dict[str, float],
    sequence: tuple[str, ...] | None,
) -> list[set[str]]:
    """The query stems each sentence holds; from ``sequence`` (the whole answer's stems
    in order) when the sentences cover the answer and split its words as it does."""
    keys = weights.keys()
    counts = [len(words(answer[a:b])) for a, b in spans]
    if sequence is None or sum(counts) != len(sequence):
        return [set(stem.many(words(answer[a:b]))) & keys for a, b in spans]
    held, at = [], 0
    for n in counts:
        held.append(set(sequence[at : at + n]) & keys)
        at += n
    return held


# A quote of fewer words than this ("All the best.") says nothing alone, nor does one of
# questions only ("Disputes over NATO?"): the sentences around it are taken in.
EXCERPT_MIN_WORDS = 6
_QUESTION = re.compile(r"\?[\"”’)\]]*$")


# A sentence so made announces what comes next and says nothing itself ("I will just
# say it as it is.", "Let me explain.", "Here is what I think:"): a quote of such
# sentences and questions only ("The role of the Kurds? What can I say? I will just
# say it as it is.") takes in the sentences after it, and one never ends on it.
_ANNOUNCES = re.compile(
    r"(?::[\"”’)\]]*$)|^\W*(?:(?:so|well|and|now|but|ok|okay),?\s+)?(?:"
    r"(?:i\s+will|i['’]ll|let\s+me|allow\s+me\s+to|i\s+would\s+like\s+to|i['’]d\s+like\s+to|"
    r"i\s+want\s+to|i\s+must|i\s+have\s+to|i\s+can)"
    r"(?:\s+(?:just|simply|now|also|only|briefly|frankly|honestly))?"
    r"\s+(?:say|tell\s+you|explain|put\s+it|answer|reply|respond|comment|add|repeat|"
    r"remind\s+you|give\s+you\s+an\s+example|be\s+(?:frank|honest|blunt|direct|brief|clear))"
    r"(?:\s+(?:it|this|that|so|something|one\s+thing|the\s+following|a\s+few\s+words|why|what|"
    r"how|as\s+it\s+is|frankly|honestly|directly|openly|straight|bluntly|briefly|once|again|"
    r"this\s+way|like\s+this|with\s+you|to\s+you|you|here|now|first|very))*"
    r"|here\s+is\s+(?:what|why|how)(?:\s+(?:i\s+think|i\s+mean|it\s+is))?"
    r"|here['’]s\s+the\s+thing|here\s+is\s+the\s+thing"
    r"|(?:the|my)\s+answer\s+is\s+(?:very\s+)?(?:simple|this|obvious)"
    r"|what\s+can\s+i\s+say"
    # the topic named and no more ("As for the dismantling of the Berlin Wall and the
    # collapse of the Soviet Union."): what follows is about it
    r"|(?:as\s+for|as\s+to|as\s+regards|regarding|with\s+regard\s+to|concerning|"
    r"speaking\s+of|turning\s+to|now\s+about)\b[^,;:.!?]*)\s*[.!?:]+[\"”’)\]]*$",
    re.I,
)


def announces(sentence: str) -> bool:
    """Whether ``sentence`` only announces what comes next ("Let me explain.")."""
    return bool(_ANNOUNCES.search(sentence.strip()))


def _empty(piece: str) -> bool:
    """A sentence that is a question or an announcement: no words of the speaker's own
    to quote."""
    return bool(_QUESTION.search(piece)) or announces(piece)


def only_asks(text: str) -> bool:
    """Whether every sentence of ``text`` is a question ("What do you mean? Our
    aggressive behaviour?"): it asks back, it says nothing on a topic."""
    if not _QUESTION.search(text.rstrip()):
        return False  # the last sentence says something: no need to split the rest
    pieces = split_sentences(text)
    return bool(pieces) and all(_QUESTION.search(p.strip()) for p in pieces)


def _says_nothing(answer: str, spans: list[tuple[int, int]]) -> bool:
    pieces = [answer[a:b] for a, b in spans]
    return sum(len(words(p)) for p in pieces) < EXCERPT_MIN_WORDS or all(map(_empty, pieces))


# A sentence opening with one of these qualifies the one before it ("NATO may fall
# apart, yes, this may help. However, for the time being, there are no signs of it"):
# a quote never ends just before it, where the limit allows.
_QUALIFIES = re.compile(
    r"^\W*(?:however|but|yet|still|nevertheless|nonetheless|though|although|that said|"
    r"on the other hand|at the same time)\b",
    re.I,
)


# A sentence opening so points back to the one before it ("This applies to the liberal
# idea as well.", "That is why we ..."): a quote never begins with it, where the limit
# allows.
_POINTS_BACK = re.compile(
    r"^\W*(?:(?:this|that|these|those)\s+(?:is|was|are|were|applies|apply|means|meant|"
    r"concerns|concern|includes|include|also|too|goes|go|holds|hold)\b|therefore|thus|hence)\b",
    re.I,
)


# A sentence opening so goes on from the one before it: it points back or joins on
# ("And ...", "So ...").
_GOES_ON = re.compile(
    rf"{_POINTS_BACK.pattern}|^\W*(?:and|so|or|because|which|also)\b",
    re.I,
)


def _filled(
    answer: str, spans: list[tuple[int, int]], i: int, j: int, limit: int
) -> tuple[int, int]:
    """Sentences ``i``..``j`` widened, the next ones first, then the ones before, while
    they say nothing alone and the limit allows; then by each next sentence that
    qualifies the last one or follows one announcing it, and by each sentence before
    that the first one points back to."""
    while _says_nothing(answer, spans[i : j + 1]):
        if j + 1 < len(spans) and spans[j + 1][1] - spans[i][0] <= limit:
            j += 1
        elif i > 0 and spans[j][1] - spans[i - 1][0] <= limit:
            i -= 1
        else:
            break
    while (
        j + 1 < len(spans)
        and spans[j + 1][1] - spans[i][0] <= limit
        and (
            _QUALIFIES.match(answer[spans[j + 1][0] : spans[j + 1][1]])
            or announces(answer[spans[j][0] : spans[j][1]])
        )
    ):
        j += 1
    while (
        i > 0
        and spans[j][1] - spans[i - 1][0] <= limit
        and (
            _POINTS_BACK.match(answer[spans[i][0] : spans[i][1]])
            or _QUALIFIES.match(answer[spans[i][0] : spans[i][1]])
        )
    ):
        i -= 1
    return i, j


def _most_meaning(
    q_text: str,
    answer: str,
    limit: int,
    weights: dict[str, float],
    scan: int,
    sequence: tuple[str, ...] | None = None,
) -> tuple[int, int] | None:
    """(start, end) of the fewest consecutive sentences within ``limit`` characters that
    hold the most of the query's meaning (idf-weighted stems), the closer alignment
    with ``q_text`` breaking ties; None when no sentence holds a query word. Of an
    answer longer than ``scan`` characters (a whole speech), only the ``scan``
    characters around where ``q_text`` aligns best are read. ``sequence``: the
    answer's stems in order, when known (they need not be looked up again)."""
    lo, hi = 0, len(answer)
    if hi > scan:
        found = fuzz.partial_ratio_alignment(q_text, answer.lower())
        middle = (found.dest_start + found.dest_end) // 2
        lo = max(0, min(middle - scan // 2, hi - scan))
        hi = lo + scan
    spans = [(a + lo, b + lo) for a, b in sentence_spans(answer[lo:hi])]
    # the window's first and last sentences may be cut off by it: never quote them
    if hi < len(answer) and len(spans) > 1:
        spans = spans[:-1]
    if lo > 0 and len(spans) > 1:
        spans = spans[1:]
    held = _held(answer, spans, weights, sequence if hi - lo == len(answer) else None)
    best: tuple[float, int] = (0.0, 0)
    tied: list[tuple[int, int]] = []
    for i in range(len(spans)):
        if not held[i]:
            continue  # a window opening on a sentence of no query word is never the fewest
        stems: set[str] = set()
        for j in range(i, len(spans)):
            if j > i and spans[j][1] - spans[i][0] > limit:
                break
            if j > i and held[j] <= stems:
                continue  # a sentence that adds nothing is only taken in with a later one
            stems |= held[j]
            # fsum: a set's order changes with the process, a float sum's last bit too
            key = (math.fsum(weights[s] for s in stems), -(j - i))
            if key > best:
                best, tied = key, [(i, j)]
            elif key == best:
                tied.append((i, j))
    if not tied:
        return None
    # of equally meaningful sentences, the speaker's own words before a question they
    # repeat or an announcement, then ones that stand alone before ones going on from
    # the sentence before ("And what the Houthis are doing could have that effect."),
    # then the closest alignment
    i, j = max(
        tied,
        key=lambda w: (
            not _says_nothing(answer, spans[w[0] : w[1] + 1]),
            not _GOES_ON.match(answer[spans[w[0]][0] : spans[w[0]][1]]),
            fuzz.partial_ratio(q_text, answer[spans[w[0]][0] : spans[w[1]][1]].lower()),
        ),
    )
    i, j = _filled(answer, spans, i, j, limit)
    return spans[i][0], spans[j][1]


def best_excerpt(
    q_text: str,
    answer: str,
    limit: int,
    weights: dict[str, float] | None = None,
    scan: int = 4000,
    sequence: tuple[str, ...] | None = None,
) -> str:
    """The sentence(s) of ``answer`` the query is about, within ``limit`` characters:
    with the query's ``weights`` (stem -> idf), the fewest sentences holding most of
    its meaning (looked for within ``scan`` characters); else, or when none holds a
    query word, where ``q_text`` aligns best. One over-long sentence is cut around
    the matched stretch. ``sequence``: the answer's stems in order, when known."""
    if len(answer) <= limit:
        return without_courtesies(answer)
    chosen = _most_meaning(q_text, answer, limit, weights, scan, sequence) if weights else None
    if chosen is not None and chosen[1] - chosen[0] <= limit:
        return without_courtesies(answer[chosen[0] : chosen[1]])
    if chosen is not None:  # one sentence longer than the limit: cut it around the match
        found = fuzz.partial_ratio_alignment(q_text, answer[chosen[0] : chosen[1]].lower())
        start = chosen[0] + found.dest_start
        end = chosen[0] + max(found.dest_end, found.dest_start + 1)
    else:
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
    piece = excerpt[lo:]
    if lo > 0:
        piece = "…" + piece.split(" ", 1)[-1]
    return cut_at_word(piece, limit)  # at a word, marked: never "is gett"


# A sentence so made greets or addresses the listeners ("Good afternoon, colleagues
# and friends.", "Mr President, ladies and gentlemen,", "Thank you very much."): a
# quote of the opening of an answer begins after it.
_GREETS = re.compile(
    r"^\W*(?:(?:good\s+(?:morning|afternoon|evening|day)|hello|hi|thank\s+you|thanks|welcome)"
    r"\b[^.!?]{0,80}"
    r"|(?:(?:ladies\s+and\s+gentlemen|colleagues|friends|dear\s+\w+|(?:mr|mrs|ms|madam)\.?\s+"
    r"\w+|everyone|everybody|and)\W*)+)[.!?]+[\"”’)\]]*$",
    re.I,
)


# ... and one so made gives the floor to the next speaker ("Mr Sergeyev, please.",
# "Please, go ahead.", "Next question."): a quote ends before it.
_GIVES_FLOOR = re.compile(
    r"^\W*(?:(?:(?:mr|mrs|ms|madam|dr)\.?\s+)?[^\W\d_][\w'’-]*,?\s+(?:please|go\s+ahead)"
    r"|please(?:,?\s+go\s+ahead)?|go\s+ahead(?:,?\s+please)?|next\s+question)\W*$",
    re.I,
)


def without_courtesies(text: str) -> str:
    """``text`` without the greetings and thanks that open it and the floor given that
    closes it ("Thank you very much. ... Mr Sergeyev, please."), when words of its own
    are left; else as it is."""
    spans = sentence_spans(text)
    sentences = [text[a:b].strip() for a, b in spans]
    first, last = 0, len(spans)
    while last - first > 1 and _GREETS.match(sentences[first]):
        first += 1
    while last - first > 1 and _GIVES_FLOOR.match(sentences[last - 1]):
        last -= 1
    kept = sentences[first:last]
    if len(kept) == len(spans) or all(_GREETS.match(t) or _GIVES_FLOOR.match(t) for t in kept):
        return text
    return text[spans[first][0] : spans[last - 1][1]]


def standalone_quote(text: str, limit: int = 400) -> str:
    """The opening sentences of an answer, up to about ``limit`` characters, after any
    greeting that opens it."""
    sentences = split_sentences(without_courtesies(text))
    quote = ""
    for sentence in sentences:
        candidate = f"{quote} {sentence}".strip()
        if len(candidate) > limit and quote:
            if len(words(quote)) < EXCERPT_MIN_WORDS:
                # "Sure." alone says nothing: the long sentence after it, cut at a word
                return cut_at_word(candidate, limit)
            break
        quote = candidate
    return cut_at_word(quote or text, limit)
