"""Property test: every renderer ends and fits in one Telegram message, whatever the
field lengths and characters."""

from __future__ import annotations

import re
from html import unescape

from hypothesis import given, settings
from hypothesis import strategies as st
from test_render import HIT, balanced

from bot.render import (
    MAX_ANSWER_MESSAGES,
    MESSAGE_LIMIT,
    answer_parts,
    hit_html,
    hit_text,
    question_html,
)
from bot.search import Hit

# Characters that escape long (&, <, >, quotes), count double in UTF-16 (emoji),
# have no case (Arabic, Chinese), break lines, or are plain.
ALPHABET = "a Z&<>\"'\n😀جن中\u00a0\u200b-.:"


def field(max_len: int) -> st.SearchStrategy[str]:
    """A run of a short random pattern repeated to a random length up to ``max_len``."""
    return st.builds(
        lambda pattern, n: (pattern * n)[:max_len],
        st.text(ALPHABET, min_size=1, max_size=8),
        st.integers(0, max_len),
    )


def units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@settings(max_examples=60, deadline=None)
@given(
    speaker=field(5000),
    quote=field(6000),
    answer=field(20000),
    question=field(6000),
    asked_by=field(3000),
    title=field(6000),
    place=field(3000),
    url=st.one_of(st.none(), field(3000).map(lambda s: "https://x.org/" + s)),
    timestamp=st.one_of(st.none(), field(500)),
    date=st.one_of(st.none(), st.just("2024-07-04"), field(200)),
)
def test_every_renderer_fits_one_message(**fields):
    hit = Hit(**{**HIT.to_json(), **fields})
    for html in (hit_html(hit), question_html(hit)):
        assert units(html) <= MESSAGE_LIMIT and balanced(html)
    assert units(hit_text(hit)) <= MESSAGE_LIMIT
    parts = answer_parts(hit)
    assert all(units(p) <= MESSAGE_LIMIT and balanced(p) for p in parts)
    assert len(parts) <= MAX_ANSWER_MESSAGES
    # the parts hold the whole answer, only whitespace at the cuts differing; or, when
    # it takes more messages than are sent, its start, and the last says so
    rest = re.search(r"</blockquote>\n<i>… [\d,]+ more words, in .*</i>$", parts[-1], re.S)
    bodies = (re.search(r"<blockquote expandable>(.*)</blockquote>", p, re.S) for p in parts)
    text = re.sub(r"\s", "", unescape("".join(b[1] for b in bodies if b)))
    answer = re.sub(r"\s", "", fields["answer"])
    if rest is None:
        assert text == answer
    else:
        assert len(parts) == MAX_ANSWER_MESSAGES and answer.startswith(text.removesuffix("…"))
