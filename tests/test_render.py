"""Telegram HTML: escaped, never over 4,096 characters, never cut inside a tag."""

from __future__ import annotations

import re
from dataclasses import replace

from bot.render import MESSAGE_LIMIT, answer_parts, hit_html, hit_text, question_html
from bot.search import Hit

HIT = Hit(
    id=1000001,
    speaker="Vladimir <Putin>",
    quote="It is a <b>tragedy</b> & more",
    answer="First paragraph.\n\nSecond paragraph.",
    question="Why? <i>really</i>",
    asked_by="Pavel & Co",
    title="Answers <to> media",
    date="2024-07-04",
    place="Astana",
    url="http://en.kremlin.ru/events/president/news/1?a=1&b=2",
    file="data/transcripts/x.txt",
    timestamp="01:37",
    score=90,
)


def balanced(html: str) -> bool:
    tags = re.findall(r"<(/?)(\w+)[^>]*>", html)
    stack = []
    for closing, name in tags:
        if closing:
            if not stack or stack.pop() != name:
                return False
        else:
            stack.append(name)
    return not stack


def test_everything_is_escaped_and_sourced():
    html = hit_html(HIT)
    assert "<b>tragedy</b>" not in html and "&lt;b&gt;tragedy&lt;/b&gt; &amp; more" in html
    assert "Vladimir &lt;Putin&gt;" in html
    assert 'href="http://en.kremlin.ru/events/president/news/1?a=1&amp;b=2"' in html
    assert "4 July 2024, Astana (at 01:37)" in html
    assert balanced(html)
    assert "Pavel &amp; Co" in question_html(HIT) and "&lt;i&gt;" in question_html(HIT)
    assert "“It is a <b>tragedy</b> & more”" in hit_text(HIT)


def test_long_texts_stay_within_one_message_and_whole_tags():
    huge = replace(
        HIT, quote="<&> " * 3000, question="& " * 5000, answer=("word " * 900 + "\n\n") * 8
    )
    for html in (hit_html(huge), question_html(huge)):
        assert len(html) <= MESSAGE_LIMIT and balanced(html)
    parts = answer_parts(huge)
    assert len(parts) > 1
    assert all(len(p) <= MESSAGE_LIMIT and balanced(p) for p in parts)
    assert all("<blockquote expandable>" in p for p in parts)
    one_paragraph = replace(HIT, answer="x" * 9000 + " end")
    assert all(len(p) <= MESSAGE_LIMIT for p in answer_parts(one_paragraph))
