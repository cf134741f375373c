"""Telegram HTML: escaped, never over 4,096 characters, never cut inside a tag."""

from __future__ import annotations

import re
from dataclasses import replace

from bot.render import (
    MAX_ANSWER_MESSAGES,
    MESSAGE_LIMIT,
    answer_parts,
    hit_html,
    hit_text,
    plain_text,
    question_html,
)
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
    assert "4 July 2024, Astana (01:37 into the recording)" in html
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


def units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def test_a_4100_character_title_still_leaves_room_for_the_quote():
    long_title = replace(HIT, title="Answers to Russian media questions " * 120)
    assert len(long_title.title) > 4050
    html = hit_html(long_title)
    assert len(html) <= MESSAGE_LIMIT and balanced(html)
    assert "It is a &lt;b&gt;tragedy&lt;/b&gt; &amp; more" in html
    parts = answer_parts(long_title)  # looped forever on a header over the limit
    assert parts and all(len(p) <= MESSAGE_LIMIT and balanced(p) for p in parts)
    assert "First paragraph." in parts[0] and "Second paragraph." in parts[-1]


def test_every_field_at_once_too_long_and_made_of_entities():
    amp = "&" * 5000
    worst = replace(
        HIT,
        speaker=amp,
        quote=amp,
        answer=amp,
        question=amp,
        asked_by=amp,
        title=amp,
        place=amp,
        url="https://en.kremlin.ru/?" + "&" * 5000,
        timestamp=amp,
        date=amp,
    )
    for html in (hit_html(worst), question_html(worst), *answer_parts(worst)):
        assert units(html) <= MESSAGE_LIMIT and balanced(html)
    assert "href" not in hit_html(worst)  # a link too long to send is left out
    assert len(hit_text(worst)) <= MESSAGE_LIMIT


def test_answer_with_no_spaces_is_cut_anywhere_and_nothing_is_lost():
    answer = "<>" * 1500  # 12,000 units escaped: three messages and more
    parts = answer_parts(replace(HIT, answer=answer))
    assert len(parts) > 2 and all(len(p) <= MESSAGE_LIMIT for p in parts)
    body = "".join(
        re.sub(r"^.*?<blockquote expandable>|</blockquote>$", "", p, flags=re.S) for p in parts
    )
    assert body.replace("\n", "") == answer.replace("<", "&lt;").replace(">", "&gt;")


def test_astral_characters_count_twice_as_telegram_counts_them():
    emoji = replace(HIT, quote="😀" * 4000, answer="😀" * 9000, question="😀" * 4000)
    for html in (hit_html(emoji), question_html(emoji), *answer_parts(emoji)):
        assert units(html) <= MESSAGE_LIMIT


def test_empty_answer_is_one_message():
    parts = answer_parts(replace(HIT, answer=""))
    assert len(parts) == 1 and parts[0].startswith("— <b>")


def test_non_http_link_is_not_made_a_link():
    assert "href" not in hit_html(replace(HIT, url="javascript:alert(1)"))


def test_a_title_that_gives_the_date_is_not_followed_by_it_again():
    # the Geneva press conference of seed 002 and a dated briefing title
    titled = replace(
        HIT, title="Press conference in Geneva on June 16, 2021.", date="2021-06-16", place=None
    )
    assert hit_text(titled).count("2021") == 1
    briefing = replace(HIT, title="Press Briefing, 16 June 2021", date="2021-06-16", place=None)
    assert hit_text(briefing).count("2021") == 1
    other_day = replace(titled, date="2021-06-17")
    assert "17 June 2021" in hit_text(other_day)
    # as the briefings' titles write it too: an ordinal day, a short month
    for title in (
        "Press Briefing by Press Secretary Jen Psaki, March 3rd, 2022",
        "Press Gaggle, Mar. 3, 2022",
    ):
        dated = replace(HIT, title=title, date="2022-03-03", place=None)
        assert hit_text(dated).count("2022") == 1


def test_a_file_name_hash_is_not_shown_as_a_title():
    seed = replace(HIT, title=None, file="data/transcripts/000_20ad4156766dc070.txt")
    assert "Transcript 000" in hit_text(seed) and "20ad4156766dc070" not in hit_text(seed)
    named = replace(HIT, title=None, file="corpora/go-time-301.md")
    assert "Go Time 301" in hit_text(named)  # a name in lower case, as a title
    assert "iPhone notes" in hit_text(replace(named, file="corpora/iPhone_notes.md"))


def test_a_whole_speech_is_its_start_and_where_the_rest_is():
    """An address given as one answer runs to 80,000 characters: twenty messages at
    once. At most MAX_ANSWER_MESSAGES are sent; the last says how many words are left
    and links the source."""
    speech = replace(HIT, answer=("word " * 900 + "\n\n") * 30)  # 27,000 words
    parts = answer_parts(speech)
    assert len(parts) == MAX_ANSWER_MESSAGES
    assert all(units(p) <= MESSAGE_LIMIT and balanced(p) for p in parts)
    shown = sum(p.count("word") for p in parts) - 1  # "more words"
    assert parts[-1].endswith(
        f"<i>… {27000 - shown:,} more words, in "
        '<a href="http://en.kremlin.ru/events/president/news/1?a=1&amp;b=2">the source</a>.</i>'
    )
    unlinked = answer_parts(replace(speech, url=None))
    assert unlinked[-1].endswith(" more words, in the source.</i>")
    whole = answer_parts(replace(HIT, answer="word " * 900))
    assert "more words" not in whole[-1]


def test_a_whole_speech_is_sent_from_the_passage_a_search_showed():
    """The passage asked about is 20,000 words into an address: the Full answer starts
    at the message holding it, saying how many words come before (and after)."""
    paragraphs = [f"paragraph{i} " + "word " * 899 for i in range(30)]  # 27,000 words
    speech = replace(HIT, answer="\n\n".join(paragraphs))
    at = speech.answer.index("paragraph22 ")
    parts = answer_parts(speech, at)
    assert len(parts) == MAX_ANSWER_MESSAGES
    assert all(units(p) <= MESSAGE_LIMIT and balanced(p) for p in parts)
    assert "paragraph22 " in parts[0] and "paragraph21 " not in "".join(parts)
    before = re.search(r"<i>… ([\d,]+) words before this, in <a href=", parts[0])
    assert before and int(before[1].replace(",", "")) >= 22 * 900 - 900
    assert re.search(r"<i>… [\d,]+ more words, in <a href=", parts[-1])
    # near the end: the last messages, and nothing said to be left
    last = answer_parts(speech, speech.answer.index("paragraph29 "))
    assert "paragraph29 " in "".join(last) and "more words" not in last[-1]
    assert "words before this" in last[0]
    # from the opening, as before
    assert "words before" not in answer_parts(speech, 0)[0]


def test_the_terminal_shows_where_a_link_leads():
    """The terminal chat prints Telegram's HTML as text: a title linked to its source
    keeps the address (it cannot be clicked there), once."""
    text = plain_text(hit_html(HIT))
    assert "Answers <to> media (http://en.kremlin.ru/events/president/news/1?a=1&b=2)" in text
    same = plain_text('<a href="https://x.org/a">https://x.org/a</a>')
    assert same == "https://x.org/a"
