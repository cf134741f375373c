"""What the bot says, without Telegram: replies, buttons and their data, fast."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot import store
from bot.replies import COMMANDS, EXPIRED, NO_MATCH, REMEMBERED_SEARCHES, Replier


@pytest.fixture(scope="module")
def replier(seeded_db: Path) -> Replier:
    return Replier.from_db(store.open_db(seeded_db, create=False))


def buttons(reply) -> dict[str, str]:
    return {b.text.split(" (")[0]: b.data for b in reply.buttons}


def test_search_reply_walks_its_hits_with_ids_only(replier: Replier):
    first = replier.search("drug trafficking")
    data = buttons(first)
    assert first.html.startswith("<blockquote>")
    assert set(data) == {"Another match", "The question", "Full answer"}
    assert all(len(d.encode()) <= 64 and re.fullmatch(r"[mqa](:\d+)+", d) for d in data.values())
    seen = [first.html]
    step = data["Another match"]
    while step:
        reply, in_place = replier.button(step)
        assert in_place and reply.html not in seen
        seen.append(reply.html)
        step = buttons(reply).get("Another match")
    assert len(seen) == 5  # HITS_PER_SEARCH, each shown once


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


def test_old_searches_are_forgotten(seeded_db: Path):
    fresh = Replier.from_db(store.open_db(seeded_db, create=False))
    first = buttons(fresh.search("drug trafficking"))["Another match"]
    for _ in range(REMEMBERED_SEARCHES):
        fresh.search("nagorno karabah")
    assert fresh.button(first)[0].html == EXPIRED


def test_no_match_and_empty_text(replier: Replier):
    assert replier.search("asdfghjkl qwertyuiop").html == NO_MATCH
    assert not replier.search("   ").buttons
    assert "Send me a few words" in replier.search("   ").html


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
