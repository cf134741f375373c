"""Timelines: parsing requests, date order with undated sources last, date filters,
paging buttons, and the command line, over the seed transcripts."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from click.testing import CliRunner

from bot import store, timeline
from bot.cli import main
from bot.ingest import ingest
from bot.replies import Replier
from bot.search import Hit, Searcher
from bot.search.config import SearchConfig
from bot.timeline import Request, TimelineError, Timelines

PUTIN = "Vladimir Putin"


@pytest.fixture(scope="module")
def searcher(seeded_db) -> Searcher:
    return Searcher(seeded_db)


@pytest.fixture
def timelines(searcher: Searcher) -> Timelines:
    return Timelines(searcher)


def test_parse_names_the_person_and_the_topic(timelines: Timelines):
    assert timelines.parse("putin nato") == Request(PUTIN, "nato")
    assert timelines.parse("Vladimir Putin on the United States") == Request(
        PUTIN, "the united states"
    )
    dated = timelines.parse("putin sanctions from:2018 to:2021-06")
    assert (dated.topic, dated.date_from, dated.date_to) == (
        "sanctions",
        "2018-01-01",
        "2021-06-30",
    )
    year = timelines.parse("putin on sanctions in 2021")
    assert (year.topic, year.date_from, year.date_to) == ("sanctions", "2021-01-01", "2021-12-31")
    both = timelines.parse("putin sanctions in 2021 from:2021-06")  # the narrower of the two
    assert (both.date_from, both.date_to) == ("2021-06-01", "2021-12-31")
    assert 'speaker:"Vladimir Putin"' in dated.query() and "from:2018-01-01" in dated.query()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("nato expansion", "Whose timeline"),
        # a name the seeds write, of someone who answers nowhere in them
        ("obama sanctions", "No one called “Obama” answers"),
        ("putin", "on what"),
        ("putin sanctions from:2022 to:2019", "start is after the end"),
        ("kirby ukraine from:banana", "“from:banana” is no date"),
    ],
)
def test_parse_says_what_is_missing(timelines: Timelines, text: str, message: str):
    with pytest.raises(TimelineError, match=message):
        timelines.parse(text)


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("putin on nato over the years", "nato"),
        ("Putin on sanctions through the years?", "sanctions"),
        ("timeline of putin on the united states", "the united states"),
        ("how has Putin's view of the United States changed?", "the united states"),
        ("how have putin’s views on sanctions evolved", "sanctions"),
    ],
)
def test_plain_text_that_asks_for_a_timeline(timelines: Timelines, text: str, topic: str):
    assert timelines.recognise(text) == Request(PUTIN, topic)


@pytest.mark.parametrize(
    "text", ["putin on nato", "sanctions over the years", "how has the weather changed", ""]
)
def test_plain_text_that_is_an_ordinary_search(timelines: Timelines, text: str):
    assert timelines.recognise(text) is None


def _hit(answer_id: int, date: str | None) -> Hit:
    return Hit(answer_id, "P", "q", "a", "", None, None, date, None, None, "f.txt", None, 50, PUTIN)


def test_order_is_by_date_with_undated_last():
    hits = [_hit(1, None), _hit(2, "2021-06-16"), _hit(3, "2017-04-12"), _hit(4, None)]
    assert [h.id for h in timeline.order(hits)] == [3, 2, 1, 4]


def test_undated_episodes_come_in_the_order_of_their_numbers():
    """Go Time's episodes are undated: 33 comes before 286, not after it (a new user's
    timeline ran "Go Time 286, Go Time 322, Go Time 33, Go Time 81")."""
    titles = {1: "Go Time 286", 2: "Go Time 33", 3: "Go Time 322", 4: "Go Time 81"}
    hits = [replace(_hit(i, None), title=t) for i, t in titles.items()]
    assert [titles[h.id] for h in timeline.order(hits)] == [
        "Go Time 33",
        "Go Time 81",
        "Go Time 286",
        "Go Time 322",
    ]
    assert timeline.order([*hits, _hit(5, "2020-01-01")])[0].id == 5


def test_a_timeline_of_undated_answers_only_says_so_once():
    """Not "264 answers, oldest first (264 undated, at the end)"."""
    built = timeline.Timeline(timeline.Request(PUTIN, "testing"), [_hit(1, None), _hit(2, None)])
    heading = timeline.page_reply(built, 1, 0).html.split("\n")[0]
    assert "oldest first" not in heading and "none dated" in heading


def test_a_timeline_runs_oldest_first_and_ends_with_undated_sources(timelines: Timelines):
    built = timelines.build(timelines.parse("putin united states"))
    dates = [h.date for h in built.hits]
    dated = [d for d in dates if d]
    assert dated and len(dated) < len(dates)  # the seeds hold both kinds
    assert dated == sorted(dated)
    assert dates[: len(dated)] == dated  # every undated one after every dated one
    assert {h.person for h in built.hits} == {PUTIN}
    assert all(h.score >= timeline.ON_TOPIC_SCORE for h in built.hits)
    page = timelines.first_page(built.request, chat_id=5).html
    assert "undated, at the end" in page and "oldest first" in page


def test_date_filters_are_honoured(timelines: Timelines):
    everything = timelines.build(timelines.parse("putin united states")).hits
    later = timelines.build(timelines.parse("putin united states from:2021")).hits
    earlier = timelines.build(timelines.parse("putin united states to:2021-06")).hits
    assert later and all(h.date and h.date >= "2021" for h in later)
    assert earlier and all(h.date and h.date <= "2021-06-30" for h in earlier)
    assert any(h.date and h.date > "2021-06-30" for h in everything)  # removed by to:
    assert any(not h.date for h in everything)  # and undated sources by either filter


def test_paging_buttons_hold_ids_only_and_belong_to_their_chat(
    timelines: Timelines, searcher: Searcher
):
    first = timelines.reply("putin united states", chat_id=5)
    total = len(timelines.build(timelines.parse("putin united states")).hits)
    assert total > timeline.PAGE  # more than one page
    data = [b.data for b in first.buttons]
    assert all(len(d.encode()) <= 64 for d in data)
    later = next(b.data for b in first.buttons if b.text.startswith("Later"))
    assert not any("Earlier" in b.text for b in first.buttons)
    second, in_place = timelines.button(later, chat_id=5)
    assert in_place and "Page 2 of" in second.html
    assert any("Earlier" in b.text for b in second.buttons)
    assert all(len(b.data.encode()) <= 64 for b in second.buttons)
    assert timelines.button(later, chat_id=6) == (timeline.Reply(timeline.EXPIRED), False)
    for forged in ("tl:99999999999999999999:0", "tl:1:999", "tl:x:y", "tl:"):
        reply, _ = timelines.button(forged, chat_id=5)
        assert reply.html == timeline.EXPIRED
    assert timelines.button("m:1:1", chat_id=5) == (None, False)  # not a timeline's
    # each line's button opens that answer in full through the ordinary buttons
    opened, _ = Replier(searcher).button(data[0], chat_id=5)
    assert opened is not None and "<blockquote expandable>" in opened.html


def test_a_kept_timeline_keeps_its_pages_not_its_answers(timelines: Timelines):
    """A timeline holds hundreds of answers and thousands are kept for their buttons:
    what is kept is what a page shows, and its pages read as the first did."""
    first = timelines.reply("putin united states", chat_id=7)
    kept = list(timelines._kept.values())[-1]
    built = timelines.build(timelines.parse("putin united states"))
    assert [h.id for h in kept.hits] == [h.id for h in built.hits]
    assert all(h.answer == "" and h.question == "" for h in kept.hits)
    assert timeline.page_reply(built, 1, 0).html == first.html
    later = next(b.data for b in first.buttons if b.text.startswith("Later"))
    second, _ = timelines.button(later, chat_id=7)
    assert second.html == timeline.page_reply(built, int(later.split(":")[1]), 1).html


def test_nothing_on_the_topic_says_so(timelines: Timelines):
    reply = timelines.reply("putin quantum chromodynamics lattice")
    assert reply.html.startswith("Nothing found for Vladimir Putin on") and not reply.buttons
    assert reply.html.endswith("other words for the topic.")
    dated = timelines.reply("putin quantum chromodynamics lattice from:2030")
    assert "(2030-01-01 to now)" in dated.html and dated.html.endswith("or other dates.")


def test_timeline_command_json_is_oldest_first(seeded_db):
    result = CliRunner().invoke(
        main, ["timeline", "--db", str(seeded_db), "--json", "Vladimir Putin", "united", "states"]
    )
    assert result.exit_code == 0, result.output
    hits = json.loads(result.output)
    assert hits and {h["person"] for h in hits} == {PUTIN}
    dated = [h["date"] for h in hits if h["date"]]
    assert dated == sorted(dated) and [h["date"] for h in hits][: len(dated)] == dated
    assert {"id", "quote", "date", "place", "score", "person"} <= set(hits[0])
    text = CliRunner().invoke(main, ["timeline", "--db", str(seeded_db), "putin", "nato"])
    assert text.exit_code == 0 and "12 April 2017" in text.output
    unknown = CliRunner().invoke(main, ["timeline", "--db", str(seeded_db), "nobody", "nato"])
    assert unknown.exit_code == 1 and "nobody called" in unknown.output


async def test_timeline_in_telegram(fake, seeded_db, tmp_path):
    """/timeline, a plain-text request and a page button, through the real Application
    against the fake Bot API; other plain text stays an ordinary search."""
    from fakebot import BOT_USER

    from bot.config import Settings
    from bot.telegram.app import build_application

    settings = Settings(token=fake.token, base_url=fake.base_url, state_path=tmp_path / "s.db")
    app = build_application(settings, Replier(Searcher(seeded_db)))
    await app.initialize()
    await app.start()
    await app.updater.start_polling(poll_interval=0.0, timeout=1)
    try:
        fake.message("/timeline putin united states")
        first = (await fake.wait_for("sendMessage"))[0]
        assert "Vladimir Putin on united states" in first["text"] and "Page 1 of" in first["text"]
        rows = first["reply_markup"]["inline_keyboard"]
        later = next(b for row in rows for b in row if "Later" in b["text"])
        assert all(len(b["callback_data"].encode()) <= 64 for row in rows for b in row)
        shown = {"message_id": 555, "date": 0, "chat": fake.chat(7), "from": BOT_USER, "text": "x"}
        fake.callback(later["callback_data"], shown)
        edited = (await fake.wait_for("editMessageText"))[0]
        assert "Page 2 of" in edited["text"] and edited["message_id"] == 555
        fake.message("how has putin's view of the united states changed?")
        assert "oldest first" in (await fake.wait_for("sendMessage", 2))[1]["text"]
        fake.message("putin on nato")  # no timeline phrase: the best quote, as ever
        assert (await fake.wait_for("sendMessage", 3))[2]["text"].startswith("<blockquote>")
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


# The Arctic: Territory of Dialogue international forum, 30 March 2017
# (en.kremlin.ru/events/president/news/54149, CC BY 4.0), and Putin's answer there on
# NATO's infrastructure (abridged from the same page).
ARCTIC_FORUM = """The Arctic: Territory of Dialogue international forum

March 30, 2017, Arkhangelsk

Geoff Cutmore: You are a NATO member, your security, in a sense, is ensured by NATO. When US Defence Secretary James Mattis took up his position, he described what he saw as Russian moves in the Arctic as “aggressive steps.” Now how is this helpful in deescalating the tension, President Putin?

Vladimir Putin: What do you mean? Our aggressive behaviour?

Geoff Cutmore: It’s a quote from James Mattis, the US Defence Secretary.

Vladimir Putin: NATO has moved its infrastructure right up to our borders, and we have to respond to it.

Geoff Cutmore: And the ice?

Vladimir Putin: The ice is melting faster than anyone expected, and this opens the Northern Sea Route.
"""


def test_an_answer_of_questions_only_is_no_line_of_a_timeline(tmp_path):
    """ "What do you mean? Our aggressive behaviour?" asks back: it was in Putin's
    NATO timeline through the question put to him."""
    (tmp_path / "arctic.txt").write_text(ARCTIC_FORUM, encoding="utf-8")
    db = tmp_path / "quotes.db"
    ingest(store.open_db(db), [tmp_path / "arctic.txt"], workers=1)
    asked_back = "What do you mean? Our aggressive behaviour?"
    searcher = Searcher(db)
    hits = searcher.search("speaker:putin nato", limit=5, threshold=0)
    assert hits and asked_back not in [h.answer for h in hits]  # search skips it ...
    # ... and a search that does not, finding it through the question, is no timeline's
    searcher = Searcher(db, replace(SearchConfig(), skip_questions=False))
    hits = searcher.search("speaker:putin nato", limit=5, threshold=0)
    assert asked_back in [h.answer for h in hits]
    request = Timelines(searcher).parse("putin nato")
    shown = [h.answer for h in Timelines(searcher, cut_off=0).candidates(request)]
    assert shown and asked_back not in shown
