"""What the bot says, without Telegram: replies, buttons and their data, fast."""

from __future__ import annotations

import io
import re
from html import escape
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, SEEDS

from bot import store
from bot.card import card_png
from bot.chat import chat
from bot.cli import main
from bot.ingest import ingest
from bot.replies import (
    BROKEN_LINK,
    COMMANDS,
    EXPIRED,
    GONE,
    INLINE_MAX_RESULTS,
    INLINE_PAGE,
    INLINE_TITLE_CHARS,
    MAX_ID,
    NO_MATCH,
    NO_STRANGER,
    NO_THEIRS,
    NOT_THEIRS,
    NOTHING_ASKED,
    OTHER_DATES,
    REMEMBERED_SEARCHES,
    SMALL_TALK_REPLY,
    STRANGER,
    THANKS_REPLY,
    VERIFY_HOW,
    Replier,
    parse_id,
)
from bot.words import scripts


@pytest.fixture(scope="module")
def replier(seeded_db: Path) -> Replier:
    return Replier.from_db(store.open_db(seeded_db, create=False))


def buttons(reply) -> dict[str, str]:
    return {b.text.split(" (")[0]: b.data for b in reply.buttons}


def test_search_reply_walks_its_hits_with_ids_only(replier: Replier):
    first = replier.search("drug trafficking")
    data = buttons(first)
    assert first.html.startswith("<blockquote>")
    assert set(data) == {"Another match", "The question", "Full answer", "Cite", "Share", "Card"}
    pressed = [d for d in data.values() if d]  # Cite and Share send nothing back
    assert len(pressed) == 4
    assert all(len(d.encode()) <= 64 and re.fullmatch(r"[mqac](:\d+)+", d) for d in pressed)
    seen = [first.html]
    step = data["Another match"]
    while step:
        reply, in_place = replier.button(step)
        assert in_place and reply.html not in seen
        seen.append(reply.html)
        step = buttons(reply).get("Another match")
    assert len(seen) == 5  # HITS_PER_SEARCH, each shown once
    # each match shows the passage the search chose, not the answer's opening
    for html, hit in zip(seen, replier.searcher.search("drug trafficking", limit=5), strict=True):
        assert escape(hit.quote.split("\n")[0]) in html


def test_dates_asked_about_that_hold_nothing_are_told_so(replier: Replier):
    """The seeds are of 2017, 2021 and 2024 (two undated): "in 2019" finds nothing of
    2019, and every match says so, paging too; "in 2021" finds 2021's answers."""
    other = replier.search("putin on nato in 2019")
    assert other.html.startswith(f"<i>{escape(OTHER_DATES)}</i>")
    reply, _ = replier.button(buttons(other)["Another match"])
    assert reply.html.startswith(f"<i>{escape(OTHER_DATES)}</i>")
    assert replier.search("putin in 2019").html.startswith(f"<i>{escape(OTHER_DATES)}</i>")
    within = replier.search("putin on nato in 2021")
    assert not within.html.startswith("<i>") and "2021" in within.html
    assert not replier.search("putin in 2021").html.startswith("<i>")


def test_random_with_a_name_gives_one_of_theirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Seeds (Putin) beside a White House gaggle (Jean-Pierre, 30 answers: her first name
    names her with the bar at 10): /random with a name, however spelled, gives that
    person's words; a name nobody bears says so."""
    from bot.search import engine

    monkeypatch.setattr(engine, "FIRST_NAME_ANSWERS", 10)
    path = tmp_path / "quotes.db"
    ingest(store.open_db(path), [SEEDS, FIXTURES / "markdown" / "briefing.md"], workers=1)
    replier = Replier.from_db(store.open_db(path, create=False))
    for who in ("jean-pierre", "karine jean pierre", "jean-piere", "karine"):
        assert "Karine Jean-Pierre" in replier.random(who).html
    assert all("Vladimir Putin" in replier.random("putin").html for _ in range(5))
    unknown = replier.random("<b>zzqx</b>")
    assert unknown.html.startswith("I found no one called") and "&lt;b&gt;" in unknown.html
    assert "— <b>" in replier.random().html


def test_random_with_a_topic_gives_one_on_it(replier: Replier):
    """/random putin nato: one of the best answers of his on NATO, not any of his; a
    topic alone, anyone's on it; a topic nothing answers, or nobody, says so."""
    for _ in range(5):
        html = replier.random("putin nato").html
        assert "Vladimir Putin" in html and "NATO" in html
        assert "NATO" in replier.random("nato").html
    assert replier.random("putin sourdough bread").html.startswith("I found no quote on")
    assert replier.random("zzqx").html.startswith("I found no one called “zzqx”")
    # a name nobody bears is no words glued together ("nobody known")
    assert replier.random("nobodyknown").html.startswith("I found no one called")
    assert "NATO" in replier.random("natto").html  # a slip of a word the corpus has
    # the words only name him: any of his quotes
    assert "Vladimir Putin" in replier.random("president putin").html


def test_question_and_full_answer_buttons(replier: Replier):
    data = buttons(replier.search("its my birthday not a natonal holiday"))
    question, in_place = replier.button(data["The question"])
    assert (
        not in_place
        and "<b>Pavel Zarubin</b> asked:" in question.html
        and "birthday" in question.html
    )
    assert "Full answer" not in data  # the quote is the whole answer
    long = buttons(replier.search("nato established during the cold war"))
    full, in_place = replier.button(long["Full answer"])
    assert not in_place and "NATO was established during the Cold War" in full.html
    assert "still bears the birthmarks" in full.html + "".join(full.extra)
    assert all(len(part) <= 4096 for part in [full.html, *full.extra])


def test_stale_or_forged_button_data(replier: Replier):
    assert replier.button("m:999999:1")[0].html == EXPIRED
    assert replier.button("q:123")[0].html == "I cannot find that quote any more."
    for forged in ("", "x", "m:1", "m:a:b", "q:", "a:-", "zz:1:2:3", "m:1:99"):
        reply, in_place = replier.button(forged)
        assert not in_place
        assert reply is None or reply.html in (EXPIRED, "I cannot find that quote any more.")


def test_old_searches_are_forgotten(replier: Replier):
    assert Replier(replier.searcher).remembered == REMEMBERED_SEARCHES
    fresh = Replier(replier.searcher, remembered=20)  # the same bound, reached sooner
    first = buttons(fresh.search("drug trafficking"))["Another match"]
    for _ in range(fresh.remembered - 1):
        fresh.search("nagorno karabah")
    assert fresh.button(first)[0].html != EXPIRED  # the oldest one still remembered
    fresh.search("nagorno karabah")
    assert fresh.button(first)[0].html == EXPIRED


def test_no_match_and_empty_text(replier: Replier):
    assert replier.search("asdfghjkl qwertyuiop").html == NO_MATCH
    assert not replier.search("   ").buttons
    assert "Send me a few words" in replier.search("   ").html


def test_asked_for_one_persons_words_and_none_is_close_the_reply_names_them(
    replier: Replier,
):
    # only Putin's answers were searched: nothing of his is close, not nothing at all
    reply = replier.search("what did putin say about asdfghjkl qwertyuiop").html
    assert reply == escape(NO_THEIRS.format(name="Vladimir Putin"))
    # naming nobody, or a name among the words (everyone's answers searched): as before
    assert replier.search("asdfghjkl qwertyuiop").html == NO_MATCH
    assert replier.search("asdfghjkl qwertyuiop putin").html == NO_MATCH


def test_a_speaker_filter_naming_nobody_says_so(replier: Replier):
    """ "speaker:nobody" finds nothing because nobody of that name answers, not because
    the words are wrong: the reply names the filter; a speaker who answers but not
    about this gets the usual reply."""
    reply = replier.search("nato speaker:nobody").html
    assert "No one called “nobody” answers" in reply
    assert replier.search("nato speaker:putin").buttons  # a person search knows
    assert replier.search("asdfghjkl qwertyuiop speaker:putin").html == NO_MATCH
    assert replier.searcher.speaks("Vladimir Putin")
    assert not replier.searcher.speaks("Jen Psaki")  # not in the seeds


def test_a_phrase_the_speaker_never_said_shows_whose_it_is(tmp_path: Path):
    """Seeds (Putin) beside a White House gaggle: 'speaker:putin "rural electrification"'
    finds none of Putin's answers, and says so above Jean-Pierre's, who said it; a
    phrase nobody said is still "no answer holds these words"."""
    path = tmp_path / "quotes.db"
    ingest(store.open_db(path), [SEEDS, FIXTURES / "markdown" / "briefing.md"], workers=1)
    replier = Replier.from_db(store.open_db(path, create=False))
    note = NOT_THEIRS.format(speaker="Vladimir Putin", phrases="“rural electrification”")
    # by speaker:, or by name ("putin" opening keywords asks for his words alone)
    for text in ('speaker:putin "rural electrification"', 'putin "rural electrification"'):
        reply = replier.search(text)
        assert reply.html.startswith(f"<i>{escape(note)}</i>")
        assert "Karine Jean-Pierre" in reply.html and "rural electrification" in reply.html
    # the terminal's search says the same
    printed = (
        CliRunner()
        .invoke(
            main, ["search", "--db", str(path), "--limit", "1", 'putin "rural electrification"']
        )
        .output
    )
    assert printed.startswith(note) and "Karine Jean-Pierre" in printed
    own = replier.search('speaker:putin "russia"')  # his own words: no note
    assert own.buttons and own.html.startswith("<blockquote>")
    unsaid = replier.search('speaker:putin "zzqx flarb"').html
    assert unsaid.startswith("No answer holds these exact words")


def test_a_query_in_another_alphabet_is_told_so(replier: Replier):
    # "what did putin say about nato" in Russian, over transcripts in English
    reply = replier.search("что путин сказал о нато")
    assert "written in Latin letters" in reply.html and "do not translate" in reply.html
    assert not reply.buttons
    # a Latin query that matches nothing still gets the usual reply
    assert replier.search("asdfghjkl qwertyuiop").html == NO_MATCH
    assert scripts("Путин and NATO") == {"CYRILLIC", "LATIN"}


def test_small_talk_gets_a_greeting_not_a_quote(replier: Replier):
    # the seeds hold "Hi." and "Thank you." answers: talk to the bot is not a search
    for text in ("hi", "lol", "ok"):
        reply = replier.search(text)
        assert reply.html == SMALL_TALK_REPLY and not reply.buttons
    for text in ("Thanks, bot!", "ok thank you"):
        assert replier.search(text).html == THANKS_REPLY
    # nothing to look for: how to ask, not "nothing close"
    for text in ("who are you?", "?", "🙂", "how are you", "speaker:"):
        assert replier.search(text).html == NOTHING_ASKED
    assert replier.searcher.search("thank you") == []
    assert replier.search("thanks, the sco is a useful organisation").buttons  # a search
    # a command's name without its slash is asked of the bot (the seeds hold "helping")
    for text in ("help", "Help me", "help please", "start"):
        assert replier.search(text).html == NOTHING_ASKED
    assert replier.search("help belarus").html != NOTHING_ASKED


def test_deep_link_opens_one_quote(replier: Replier):
    hit = replier.searcher.search("nagorno karabah is a tragdy")[0]
    reply = replier.start(f"q{hit.id}")
    assert "It is a tragedy" in reply.html and "Another match" not in buttons(reply)
    assert replier.start("q0").html == "I cannot find that quote any more."
    assert "/help" in replier.start("").html
    assert "/help" in replier.start("<script>").html


def test_help_names_every_command_and_inline_mode(replier: Replier):
    text = replier.help("quote_test_bot").html
    assert all(f"/{name}" in text for name, _ in COMMANDS)
    assert "@quote_test_bot" in text


def test_about_tells_the_corpus(replier: Replier):
    text = replier.about().html
    assert "5 sources" in text and "76 quotable answers" in text
    assert "Vladimir Putin (76)" in text


def test_about_counts_read_at_a_glance(seeded_db: Path, monkeypatch: pytest.MonkeyPatch):
    # an archive's counts (the three corpora's, as measured) are grouped by thousands
    replier = Replier.from_db(store.open_db(seeded_db, create=False))
    stats = {**replier.searcher.stats(), "sources": 5036, "answers": 131266}
    stats["top_speakers"] = [("Karine Jean-Pierre", 23589)]
    monkeypatch.setattr(replier.searcher, "stats", lambda: stats)
    text = replier.about().html
    assert "5,036 sources" in text and "131,266 quotable answers" in text
    assert "Karine Jean-Pierre (23,589)" in text


def test_searches_belong_to_the_chat_that_asked(replier: Replier):
    mine = buttons(replier.search("drug trafficking", chat_id=7))["Another match"]
    reply, in_place = replier.button(mine, chat_id=8)  # forged in another chat
    assert reply.html == EXPIRED and not in_place
    reply, in_place = replier.button(mine, chat_id=7)
    assert in_place and reply.html.startswith("<blockquote>")


def test_only_plain_digits_in_range_become_numbers():
    assert parse_id("0") == 0 and parse_id("123") == 123 and parse_id(str(MAX_ID)) == MAX_ID
    for hostile in (
        "",
        "²",
        "٣",
        "１２",
        "-1",
        "+1",
        " 1",
        "1\n",
        "1e3",
        str(MAX_ID + 1),
        "9" * 5000,
    ):
        assert parse_id(hostile) is None, hostile


def test_hostile_deep_links_and_button_ids(replier: Replier):
    digits = "9" * 20
    assert replier.start(f"q{digits}").html == BROKEN_LINK
    assert replier.start("q²").html == BROKEN_LINK
    assert replier.start("q-1").html == BROKEN_LINK
    assert replier.start(f"q{MAX_ID}").html == GONE
    for kind in ("q", "a"):
        reply, in_place = replier.button(f"{kind}:{digits}")
        assert reply.html == GONE and not in_place
        assert replier.button(f"{kind}:²")[0].html == GONE
    assert replier.button(f"m:{digits}:{digits}")[0].html == EXPIRED
    assert replier.button("m:1:²")[0].html == EXPIRED


def test_terminal_chat_takes_only_plain_digits_as_buttons(replier: Replier):
    out = io.StringIO()
    chat(replier, io.StringIO("nagorno karabah tragdy\n²\n" + "9" * 30 + "\n"), out)
    assert "It is a tragedy" in out.getvalue() and "Traceback" not in out.getvalue()


def test_inline_pages_are_plain_data(replier: Replier):
    first = replier.inline("russia")
    assert len(first.results) == INLINE_PAGE and first.next_offset == str(INLINE_PAGE)
    assert not first.random
    result = first.results[0]
    assert result.id.isdigit() and len(result.title) <= INLINE_TITLE_CHARS
    assert result.html.startswith("<blockquote>") and ", " in result.description
    second = replier.inline("russia", first.next_offset)
    assert not {r.id for r in second.results} & {r.id for r in first.results}
    last = replier.inline("russia", str(INLINE_MAX_RESULTS - INLINE_PAGE))
    assert last.next_offset == ""  # paging stops at Telegram's 50
    for hostile in ("-10", "²", "9" * 30, str(INLINE_MAX_RESULTS), "x"):
        assert replier.inline("russia", hostile).results == first.results  # starts over
    drawn = replier.inline("   ")
    assert drawn.random and drawn.results and drawn.next_offset == ""
    assert len({r.id for r in drawn.results}) == len(drawn.results)
    assert replier.inline("asdfghjkl qwertyuiop").results == []


def test_asked_for_someone_who_answers_nowhere_the_reply_says_whose_words_it_shows(
    replier: Replier,
):
    reply = replier.search("obama on syria", chat_id=5)
    assert reply.html.startswith(f"<i>{escape(STRANGER.format(name='Obama'))}</i>")
    assert "Vladimir Putin" in reply.html
    # every match walked to carries it too
    following = replier.button(buttons(reply)["Another match"], chat_id=5)[0]
    assert escape(STRANGER.format(name="Obama")) in following.html
    nothing = replier.search("obama on quantum chromodynamics")
    assert nothing.html == escape(NO_STRANGER.format(name="Obama"))
    assert not replier.search("putin on syria").html.startswith("No one called")


def test_terminal_chat_keeps_the_answer_s_buttons_after_one_that_shows_a_message(
    replier: Replier,
):
    """The question (a new message in Telegram, under which the answer keeps its
    buttons) leaves them working: the full answer is still a number away."""
    out = io.StringIO()
    chat(replier, io.StringIO("taliban are our allies\n2\n3\n"), out)
    shown = out.getvalue()
    assert "There is no button" not in shown
    assert "still work" in shown
    assert "any authority in power is interested in its own stability" in shown


def test_the_full_answer_button_starts_where_the_passage_shown_is(replier: Replier):
    """The button carries where the quote begins; a button of an older message (no
    offset) and a forged offset still give the answer."""
    reply = replier.search("the taliban are our allies in countering terrorism")
    data = buttons(reply)["Full answer"]
    answer_id, _, at = data.removeprefix("a:").partition(":")
    assert int(at) > 0  # the quote is not the opening of its answer
    full = replier.button(data)[0]
    assert "our allies in countering terrorism" in full.html
    for older in (f"a:{answer_id}", f"a:{answer_id}:x", f"a:{answer_id}:" + "9" * 30):
        again = replier.button(older)[0]
        assert "our allies in countering terrorism" in again.html


def test_the_card_shows_the_passage_shown_not_the_answer_s_opening(replier: Replier):
    """The Card button carries where the quote begins, as Full answer does: a card of
    the answer's opening was another passage than the one on screen."""
    reply = replier.search("the taliban are our allies in countering terrorism")
    data = buttons(reply)["Card"]
    answer_id, _, at = data.removeprefix("c:").partition(":")
    shown = replier.searcher.get(int(answer_id), int(at))
    opening = replier.searcher.get(int(answer_id))
    assert "our allies in countering terrorism" in shown.quote
    assert "our allies in countering terrorism" not in opening.quote
    card = replier.button(data)[0]
    assert card.photo.png == card_png(shown, replier.link(shown))
    # an older message's button (no offset) and a forged offset: the opening
    for older in (f"c:{answer_id}", f"c:{answer_id}:x", f"c:{answer_id}:" + "9" * 30):
        assert replier.button(older)[0].photo.png == card_png(opening, replier.link(opening))


def test_a_shared_or_linked_quote_is_the_passage_shown(replier: Replier):
    """Share, Cite and the deep link name where the passage shown begins, as the Card
    does: a new user's shared quote of a long answer opened on its first paragraph."""
    replier.bot_username = "quote_test_bot"
    reply = replier.search("the taliban are our allies in countering terrorism")
    named = {b.text: b for b in reply.buttons}
    key = named["Share"].share_query
    answer_id, _, at = key.removeprefix("q").partition("_")
    assert int(at) > 0  # the passage is not the answer's opening
    assert named["Cite"].copy_text.endswith(f"t.me/quote_test_bot?start={key}")
    for shown in (replier.start(key).html, replier.inline(key).results[0].html):
        assert "our allies in countering terrorism" in shown
    opening = replier.start(f"q{answer_id}").html  # an older link: the opening
    assert "our allies in countering terrorism" not in opening
    for forged in (f"q{answer_id}_" + "9" * 9, f"q{answer_id}_x", "q_1"):
        assert "Traceback" not in replier.start(forged).html


def test_dates_the_wrong_way_round_or_no_date_are_said_to_be(replier: Replier):
    reply = replier.search("from:2019 to:2018 putin nato")
    assert reply.html.startswith("Nothing can be from:2019 and to:2018 at once")
    assert "from:2018 to:2019" in reply.html
    # a value that is no date is named, not searched for as words
    banana = replier.search("putin nato from:banana")
    assert "“from:banana” is no date" in banana.html and "from:2021" in banana.html


def test_verify_command_checks_any_line_and_says_how_to_ask_without_one(replier: Replier):
    # four words, unframed: a search as a message, a verdict as /verify
    assert not replier.search("taliban are our allies").html.startswith("<b>Close")
    verdict = replier.check("taliban are our allies")
    assert "Close" in verdict.text and "Full answer" in buttons(verdict)
    # a name alone is whom to check, not a line
    for nothing in ("", "putin said", '""', "putin", "president putin"):
        assert replier.check(nothing).html == VERIFY_HOW
    # markup is no words of the line
    tagged = replier.check("<b>putin</b> said the taliban are our allies")
    assert "Close" in tagged.text and "&lt;b&gt;" not in tagged.html
    assert "/verify" in replier.help().html
