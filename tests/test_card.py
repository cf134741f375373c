"""Cite and share, without Telegram: the card picture, the citation, their buttons."""

from __future__ import annotations

import dataclasses
import io
import re
from html import escape
from pathlib import Path

import pytest
from PIL import Image

from bot import store
from bot.card import CARD_MIN_HEIGHT, CARD_WIDTH, QUOTE_MAX_CHARS, card_png, drawable
from bot.chat import chat
from bot.render import (
    CITE_LIMIT,
    CITE_QUOTE_MIN,
    SENTENCE_CUT_SHARE,
    citation,
    deep_link,
    shorten,
    units,
)
from bot.replies import GONE, Replier
from bot.search import Hit

BOT = "quote_test_bot"
# A pixel this dark is text (the muted grey included), this light is paper (0-255 grey
# levels).
DARK, LIGHT = 120, 200
# Pixels of each kind a card with any text has at the least: a few letters' worth.
SOME_PIXELS = 2000


@pytest.fixture(scope="module")
def replier(seeded_db: Path) -> Replier:
    replier = Replier.from_db(store.open_db(seeded_db, create=False))
    replier.bot_username = BOT
    return replier


@pytest.fixture(scope="module")
def answers(replier: Replier) -> list[Hit]:
    return [replier.searcher.get(i) for i in replier.searcher.answer_ids()]


def picture(png: bytes) -> Image.Image:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(png))
    image.load()
    return image


def inked(image: Image.Image) -> tuple[int, int]:
    """(dark pixels, light pixels) of an image."""
    histogram = image.convert("L").histogram()
    return sum(histogram[:DARK]), sum(histogram[LIGHT:])


def assert_legible_card(png: bytes) -> Image.Image:
    image = picture(png)
    assert image.width == CARD_WIDTH and image.height >= CARD_MIN_HEIGHT
    assert image.height / image.width <= 20  # Telegram refuses longer photos
    dark, light = inked(image)
    assert dark >= SOME_PIXELS and light >= SOME_PIXELS
    return image


def test_cards_of_the_longest_and_shortest_answers(answers: list[Hit]):
    longest = max(answers, key=lambda h: len(h.answer))
    shortest = min(answers, key=lambda h: len(h.answer))
    assert len(longest.answer) > 10 * QUOTE_MAX_CHARS and len(shortest.answer) < 40
    short = assert_legible_card(card_png(shortest, deep_link(BOT, shortest.id)))
    whole = dataclasses.replace(longest, quote=longest.answer)  # far beyond one card
    long = assert_legible_card(card_png(whole, deep_link(BOT, longest.id)))
    assert long.height > short.height  # the long quote takes more lines, not a tiny font
    assert inked(long)[0] > inked(short)[0]


def test_a_long_quote_is_cut_after_a_whole_sentence(answers: list[Hit]):
    longest = max(answers, key=lambda h: len(h.answer))
    shown = shorten(longest.answer, QUOTE_MAX_CHARS)
    assert len(shown) <= QUOTE_MAX_CHARS and re.search(r"[.?!] …$", shown)
    assert " ".join(longest.answer.split()).startswith(shown[: -len(" …")])
    assert shorten("short.", QUOTE_MAX_CHARS) == "short."
    unbroken = "word " * 200  # no sentence end in reach: cut at a word
    assert len(shorten(unbroken, 50)) <= 50 and shorten(unbroken, 50).endswith("…")


@pytest.mark.parametrize(
    ("quote", "who", "title", "shown"),
    [
        ("Это трагедия, и мы крайне обеспокоены. " * 12, "Владимир Путин", "Интервью", True),
        ("إنها مأساة، ونحن قلقون للغاية. " * 6, "فلاديمير بوتين", "مقابلة", True),
        ("这是一场悲剧，我们非常担忧。" * 20, "普京", "采访", False),
        ("日本語の文章" * 200, "話者", None, False),  # no spaces anywhere
        ("Mixed: Путин and 普京 🤡", "A. N. Other", "Title", False),
    ],
)
def test_non_latin_cards_never_crash_nor_draw_boxes(answers, quote, who, title, shown):
    hit = dataclasses.replace(answers[0], quote=quote, person=who, title=title)
    assert drawable(quote) is shown
    assert_legible_card(card_png(hit, deep_link(BOT, hit.id)))
    assert_legible_card(card_png(hit))  # the terminal chat has no deep link


def test_every_seed_citation_fits_with_its_source_and_way_back(answers: list[Hit]):
    for hit in answers:
        link = deep_link(BOT, hit.id)
        text = citation(hit, link)
        assert units(text) <= CITE_LIMIT, text
        assert text.startswith("“") and f"” — {hit.who}, “" in text
        assert text.endswith(f". {link}")  # the seeds have no URLs: the deep link
        if hit.timestamp:
            assert f"at {hit.timestamp}" in text
        quoted = text[1 : text.index("” — ")]
        assert len(quoted) >= CITE_QUOTE_MIN * SENTENCE_CUT_SHARE or quoted == hit.quote


def test_a_citation_keeps_a_short_url_and_the_deep_link_for_a_long_one(answers: list[Hit]):
    hit = dataclasses.replace(
        answers[0],
        title="Answers to Russian media questions",
        date="2024-07-04",
        place="Astana",
        url="http://en.kremlin.ru/events/president/news/74474",
        timestamp="01:37",
    )
    link = deep_link(BOT, hit.id)
    text = citation(hit, link)
    assert units(text) <= CITE_LIMIT
    assert text.endswith(
        "” — Vladimir Putin, “Answers to Russian media questions”, 4 July 2024, Astana, "
        "at 01:37. http://en.kremlin.ru/events/president/news/74474"
    )
    long_url = dataclasses.replace(hit, url="https://example.org/" + "a/" * 200)
    assert citation(long_url, link).endswith(f"at 01:37. {link}")
    assert units(citation(long_url, None)) <= CITE_LIMIT  # no way back at all: no link
    # ... and then the title is squeezed only as far as the room needs
    assert "“Answers to Russian media questions”" in citation(long_url, None)


def test_a_place_cut_short_ends_the_citation_once(answers: list[Hit]):
    """A White House place ("James S. Brady Press Briefing Room") cut to its room ends
    "…", not "….": the cut already says it stops there."""
    hit = dataclasses.replace(
        answers[0],
        title="Press Briefing by Press Secretary Karine Jean-Pierre and NSC Coordinator",
        place="James S. Brady Press Briefing Room " * 3,
        url=None,
        timestamp=None,
    )
    text = citation(hit)
    assert text.endswith("…") and not text.endswith("….")


def test_hostile_fields_still_give_a_citation_within_the_limit(answers: list[Hit]):
    hostile = dataclasses.replace(
        answers[0],
        quote="<b>&amp;</b> " * 300 + "🤡" * 300,
        person="<script>" * 30,
        title="T" * 300,
        date="not a date " * 20,
        place="P" * 200,
        timestamp="9" * 50,
        url="javascript:alert(1)",
    )
    for link in (deep_link(BOT, 2**63 - 1), deep_link("b" * 32, 2**63 - 1), None):
        text = citation(hostile, link)
        assert units(text) <= CITE_LIMIT and "javascript" not in text
        assert len(text[1 : text.index("” — ")]) >= CITE_QUOTE_MIN * SENTENCE_CUT_SHARE
        if link:
            assert text.endswith(link)


def test_deep_links_need_a_real_username():
    assert deep_link(BOT, 12) == "t.me/quote_test_bot?start=q12"
    for bad in (None, "", "ab", "evil.example/x", "a" * 33, "bot?start=q1&x"):
        assert deep_link(bad, 12) is None


def test_every_quote_reply_has_cite_share_and_card(replier: Replier, answers: list[Hit]):
    hit = answers[0]
    for reply in (replier.quote(hit.id), replier.start(f"q{hit.id}"), replier.random()):
        named = {b.text: b for b in reply.buttons}
        assert {"Cite", "Share", "Card"} <= set(named)
        assert units(named["Cite"].copy_text) <= CITE_LIMIT and not named["Cite"].data
        assert re.fullmatch(r"q\d+", named["Share"].share_query)
        assert re.fullmatch(r"c:\d+", named["Card"].data)
        assert all(len(b.data.encode()) <= 64 for b in reply.buttons)
    cite = {b.text: b for b in replier.quote(hit.id).buttons}["Cite"].copy_text
    assert cite == citation(hit, f"t.me/{BOT}?start=q{hit.id}")
    assert {b.text: b for b in replier.quote(hit.id).buttons}["Share"].share_query == f"q{hit.id}"


def test_the_card_button_gives_a_captioned_picture(replier: Replier, answers: list[Hit]):
    hit = answers[0]
    reply, in_place = replier.button(f"c:{hit.id}")
    assert not in_place and reply.photo is not None and reply.photo.answer_id == hit.id
    assert_legible_card(reply.photo.png)
    assert f'href="https://t.me/{BOT}?start=q{hit.id}"' in reply.html
    assert f"<b>{escape(hit.who)}</b>" in reply.html
    assert [b.text for b in reply.buttons] == ["Cite", "Share"]  # no card of the card
    assert replier.button("c:999999999")[0].html == GONE
    assert replier.button(f"c:{'9' * 30}")[0].html == GONE


def test_share_opens_exactly_that_quote_inline(replier: Replier, answers: list[Hit]):
    hit = answers[-1]
    page = replier.inline(f"q{hit.id}")
    assert page.linked == hit.id and not page.next_offset
    assert [r.id for r in page.results] == [str(hit.id), f"{hit.id}:cite"]
    quote, cite = page.results
    assert quote.html.startswith("<blockquote>")
    assert quote.html.endswith(
        f'<a href="https://t.me/{BOT}?start=q{hit.id}">t.me/{BOT}?start=q{hit.id}</a>'
    )
    assert cite.description == citation(hit, deep_link(BOT, hit.id))
    assert cite.html == escape(cite.description)
    assert f"t.me/{BOT}?start=q{hit.id}" in page.caption
    assert not replier.inline("q999999999").linked  # no such quote: searched as words
    searched = replier.inline("russia")
    assert searched.linked is None and searched.results
    assert all(f"?start=q{r.id}" in r.html for r in searched.results)  # shared: a way back


def test_a_citation_in_html_is_escaped(replier: Replier, answers: list[Hit], monkeypatch):
    hit = dataclasses.replace(answers[0], person="<b>A & B</b>", title='"<i>x</i>"')
    monkeypatch.setattr(replier.searcher, "get", lambda answer_id, at=0: hit)
    cite = replier.inline(f"q{hit.id}").results[1]
    assert "<b>A & B</b>" in cite.description  # copy text is plain text
    assert "<b>" not in cite.html and "&lt;b&gt;A &amp; B&lt;/b&gt;" in cite.html


def test_terminal_chat_shows_the_citation_and_where_the_card_went(replier: Replier):
    plain = Replier(replier.searcher)  # the terminal knows no bot username
    hit = plain.searcher.get(plain.searcher.answer_ids()[0])
    reply = plain.quote(hit.id)
    number = {b.text: i for i, b in enumerate(reply.buttons, 1)}
    out = io.StringIO()
    lines = f"/start q{hit.id}\n{number['Cite']}\n{number['Share']}\n{number['Card']}\n"
    chat(plain, io.StringIO(lines), out)
    text = out.getvalue()
    assert citation(hit) in text and "t.me/" not in citation(hit)
    assert f"inline query: q{hit.id}" in text
    written = re.search(r"Card picture written to (\S+\.png)", text)
    assert written, text
    path = Path(written[1])
    try:
        assert_legible_card(path.read_bytes())
    finally:
        path.unlink()
    assert "[1] Cite" in text.split("Card picture written to")[1]  # the card's own buttons
