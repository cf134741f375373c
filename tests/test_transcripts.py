"""Parsing real transcripts of every supported family."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from conftest import FIXTURES, seed

from bot.transcripts import TranscriptError, detect_format, parse, parse_text
from bot.transcripts.speakers import (
    canonical_names,
    clean_name,
    looks_like_label,
    looks_like_titled_label,
)


def speakers(transcript) -> list[str]:
    return [t.speaker for t in transcript.turns]


def test_plain_lines_join_long_and_short_labels_and_link_questions():
    t = parse(seed("000"))
    assert t.format == "plain"
    assert speakers(t)[:4] == ["Pavel Zarubin", "Vladimir Putin", "Pavel Zarubin", "Vladimir Putin"]
    assert {a.speaker for a in t.answers} == {"Vladimir Putin"}
    first = t.answers[0]
    # unlabelled lines continue the speaker
    assert "It is indeed a huge tragedy" in first.text
    assert "Collective Security Treaty Organisation" in first.text
    assert first.asked_by == "Pavel Zarubin"
    assert "Nagorno-Karabakh" in t.question_text(first)
    assert t.info.title is None and t.info.date is None


def test_plain_generic_labels_title_line_and_page_leftovers():
    t = parse(seed("003"))
    assert (
        t.info.title == "Relations Between Russia And The United States Are At A Fairly Low Level"
    )
    assert {a.speaker for a in t.answers} == {"Vladimir Putin"}
    assert {"Question", "Remark"} <= set(speakers(t))
    for turn in t.turns:
        assert "Sharing is caring" not in turn.text
        assert "Leave a Reply" not in turn.text
        assert "answered questions from Russian journalists" not in turn.text  # the intro
    assert t.turns[-1].text.endswith("Thank you. All the best.")
    # "And my second question:" inside a question is text, not a speaker
    assert not any(s.startswith("And ") for s in speakers(t))
    assert all(a.asked_by in ("Question", "Remark", None) for a in t.answers)


def test_kremlin_text_copy_chrome_dateline_and_intro():
    t = parse(seed("001"))
    assert t.format == "kremlin-text"
    assert t.info.title == "Answers to Russian media questions"
    assert (t.info.date, t.info.place) == ("2024-07-04", "Astana")
    assert speakers(t)[0] == "Vladimir Putin"  # "President of Russia Vladimir Putin"
    assert t.turns[0].text == "Good afternoon. Go ahead, please."
    everything = "\n".join(turn.text for turn in t.turns)
    for chrome in ("View settings", "Font size", "Site colours", "Official website", "News /"):
        assert chrome not in everything
    assert "In conclusion of his working visit" not in everything
    assert t.turns[-1].text.endswith("Thank you very much. All the best.")
    assert "July 4, 2024" not in t.turns[-1].text
    # a sentence ending in a colon inside an answer is not a speaker
    assert "Second, it is a platform" in t.turns[2].text
    assert t.answers[1].asked_by == "Anton Vernitsky"


def test_kremlin_text_long_interviewer_label_is_the_same_person():
    t = parse(seed("004"))
    assert (t.info.date, t.info.place) == ("2017-04-12", "The Kremlin, Moscow")
    assert set(speakers(t)) == {"Radik Batyrshin", "Vladimir Putin"}
    assert {a.speaker for a in t.answers} == {"Vladimir Putin"}
    assert all(a.asked_by == "Radik Batyrshin" for a in t.answers)
    assert "Document" not in t.turns[0].text and "Документ" not in t.turns[0].text


def test_rev_transcript_segments_timestamps_and_annotations():
    t = parse(seed("002"))
    assert t.format == "rev"
    assert t.info.date == "2021-06-16"
    assert t.info.title.startswith("Russian President Vladimir Putin held a press conference")
    assert t.turns[0].speaker == "Vladimir Putin" and t.turns[0].timestamp == "00:41"
    # consecutive segments by one speaker are one answer with the first timestamp
    positions = [i for i, turn in enumerate(t.turns) if turn.speaker == "Vladimir Putin"]
    assert all(b - a > 1 for a, b in itertools.pairwise(positions))
    everything = "\n".join(turn.text for turn in t.turns)
    assert "00:16:09" not in everything and "[inaudible]" in everything
    assert "Mr. Oshekoff talked" in everything
    assert "rev.com" not in everything
    assert {a.speaker for a in t.answers} == {"Vladimir Putin"}
    assert "MC" not in {a.speaker for a in t.answers}


@pytest.mark.parametrize(
    "name, title, date, place",
    [
        ("17173", "News conference of Vladimir Putin", "2012-12-20", "Moscow"),
        (
            "60897",
            "Meeting with Speaker of the Grand National Assembly of Turkey Mustafa Sentop",
            "2019-07-03",
            "Moscow",
        ),
        ("63334", "Immortal Regiment event", "2020-05-09", "The Kremlin, Moscow"),
    ],
)
def test_kremlin_html_metadata(name, title, date, place):
    t = parse(FIXTURES / "kremlin_html" / f"{name}.html")
    assert t.format == "kremlin-html"
    assert t.info.url == f"http://en.kremlin.ru/events/president/news/{name}"
    assert (t.info.title, t.info.date, t.info.place) == (title, date, place)


def test_kremlin_html_labels_in_every_shape():
    split = parse(FIXTURES / "kremlin_html" / "17173.html")
    assert speakers(split)[0] == "Dmitry Peskov"  # <b>Dmitry Pesko</b><b>V:</b>
    outside = parse(FIXTURES / "kremlin_html" / "60897.html")
    assert set(speakers(outside)) == {"Vladimir Putin", "Mustafa Sentop"}
    assert not outside.turns[0].text.startswith(":")
    aside = parse(FIXTURES / "kremlin_html" / "54155.html")
    assert "Alexander Kirillov" in speakers(aside)
    assert all("(" not in s for s in speakers(aside))
    for t in (split, outside, aside):
        assert all(
            "Menu" not in turn.text and "Legal and technical" not in turn.text for turn in t.turns
        )


def test_kremlin_html_label_in_bold_without_its_colon():
    """A label the page writes with its colon elsewhere, here in bold without it
    ("<b>Megyn Kelly </b>With this?"), starts the interviewer's turn: their words were
    stored inside Putin's answer ("... we cannot respond. Megyn Kelly With this?")."""
    t = parse(FIXTURES / "kremlin_html" / "57027.html")
    assert [(turn.speaker, turn.text[:20]) for turn in t.turns] == [
        ("Vladimir Putin", "I want you to listen"),
        ("Megyn Kelly", "With this?"),
        ("Vladimir Putin", "With anything. If no"),
        ("Megyn Kelly", "Will this violate Ru"),
    ]
    assert not any("Megyn" in turn.text for turn in t.turns)


def test_kremlin_html_pull_quotes_are_said_once():
    """An older page sets lines of the speech apart in a blockquote ("”The changing
    geopolitical situation requires ...“"): the full answer repeated them."""
    t = parse(FIXTURES / "kremlin_html" / "17588.html")
    assert len(t.turns) == 1  # one speech: "Good afternoon." and what follows
    text = " ".join(turn.text for turn in t.turns)
    assert text.count("The changing geopolitical situation requires") == 1
    assert "”" not in text and "Our goal is to create modern" in text


def test_kremlin_html_label_of_an_office_and_a_name():
    """A journalist introduced by office ("Editor-in-chief of the Kommersant newspaper
    Sergei Yakovlev", "newspaper" in lower case) speaks in turn: the question about
    Navalny is theirs, not the end of Putin's answer before it."""
    turns = parse(FIXTURES / "kremlin_html" / "56639.html").turns
    assert [t.speaker for t in turns] == [
        "Vladimir Putin",
        "Editor-in-chief of the Kommersant newspaper Sergei Yakovlev",
        "Vladimir Putin",
    ]
    assert "Navalny" in turns[1].text and "Navalny" not in turns[0].text + turns[2].text
    assert turns[2].is_answer and turns[2].question_positions == (turns[1].position,)
    assert turns[2].asked_by == turns[1].speaker


def test_kremlin_html_label_of_a_name_linked_to_its_page():
    """A name set in a bold link to the person's page, its hidden tooltip beside it
    (<a class="person_tag"><b>Kazbek Kokov</b><span ...tooltip...></span></a>: ...),
    is a label: Kokov's reply is his, not more of Putin's words."""
    turns = parse(FIXTURES / "kremlin_html" / "58627.html").turns
    assert [t.speaker for t in turns] == ["Vladimir Putin", "Kazbek Kokov", "Vladimir Putin"]
    assert turns[1].text.startswith("Thank you very much. Thank you for your confidence")
    assert all("tooltip" not in t.text and "confidence" not in t.text for t in turns[::2])


@pytest.mark.parametrize(
    ("label", "speaker"),
    [
        ("Bashar al-Assad", True),  # a particle in lower case
        ("Konstantin Sivoronov, head of the acute toxic exposure department", True),
        ("Head of the Communist Party faction Gennady Zyuganov", True),
        ("Colonel Abdul Hakeem Al Shino (Bahrain)", True),
        ("Meeting points", False),  # the page's headings in bold, then a colon
        ("Note for the CIS media", False),
        ("Prizes for young culture professionals have been awarded to", False),
        ("It was great, Mr President", False),  # a sentence ending in a name
    ],
)
def test_a_label_set_apart_by_markup_may_name_an_office(label, speaker):
    assert looks_like_titled_label(label) is speaker


def test_kremlin_html_breaks_and_headings_are_not_speech():
    t = parse(FIXTURES / "kremlin_html" / "63334.html")
    assert speakers(t) == ["President of Russia Vladimir Putin"]
    text = t.turns[0].text
    assert text.startswith("Friends,")
    assert "Immortal Regiment nationwide event" not in text  # narration before the break
    assert "* * *" not in text
    # the publication status box inside the article is page furniture, not speech
    assert text.endswith("to pay tribute to our heroes.")
    assert "Published in" not in text and "Text version" not in text


def test_invalid_utf8_byte_is_decoded_with_a_warning():
    t = parse(FIXTURES / "kremlin_html" / "63123.html")
    assert t.warnings and "invalid UTF-8" in t.warnings[0]
    assert t.answers
    assert "\u00a0" not in "".join(turn.text for turn in t.turns)


def test_briefing_markdown():
    t = parse(FIXTURES / "markdown" / "briefing.md")
    assert t.format == "markdown"
    assert t.info.date == "2024-09-05"
    assert (
        t.info.title == "Press Gaggle by Press Secretary Karine Jean-Pierre En Route La Crosse, WI"
    )
    assert t.info.url.startswith("https://bidenwhitehouse.archives.gov/briefing-room/")
    assert {a.speaker for a in t.answers} == {"Ms. Jean-Pierre"}
    assert "Reporter" in speakers(t)
    everything = "\n".join(turn.text for turn in t.turns)
    assert "<s>" not in everything and "\\[" not in everything and "employees" not in everything
    assert "[employers]" in everything
    assert "P.M. EDT" not in everything
    # hard-wrapped lines are joined into one paragraph
    assert "headed to Westby, Wisconsin, where the president will announce" in everything
    assert "(Laughter.)" not in everything and "(Cross-talk.)" not in everything
    assert all(a.asked_by in ("Reporter", None) for a in t.answers)


def test_a_page_s_label_not_in_bold_and_a_colon_in_an_aside_start_turns():
    """57678: "V<b>ladimir Putin: </b>Indeed, ..." sits in the Austrian president's
    answer, and "<b>Question</b> <i>(retranslated):</i>" puts its colon in the aside."""
    t = parse(FIXTURES / "kremlin_html" / "57678.html")
    assert [turn.speaker for turn in t.turns] == [
        "Question",
        "Alexander Van der Bellen",
        "Vladimir Putin",
        "Question",
        "Vladimir Putin",
    ]
    assert "Indeed" not in t.turns[1].text
    assert t.turns[2].text.startswith("Indeed, our relations are progressing very well")
    assert t.turns[3].text.startswith("I have a question to both presidents.")


def test_a_label_under_a_hard_line_break_starts_a_turn():
    """The briefing's question, the answer and the next answer's opening are one block
    of lines ended by two spaces: each label starts a turn of its own."""
    t = parse(FIXTURES / "markdown" / "briefing_blocks.md")
    logs = next(turn for turn in t.turns if "visitor logs" in turn.text)
    assert logs.speaker == "Reporter" and "refer you" not in logs.text
    answer = next(a for a in t.answers if a.text.startswith("So I’m — I am going to refer"))
    assert answer.speaker == "Ms. Jean-Pierre" and "visitor logs" in t.question_text(answer)
    assert "faith and credit of our country." in t.answers[0].text
    assert "And then secondly" not in t.answers[0].text
    # a title in small letters before a name in capitals is a label too
    gaggle = parse(FIXTURES / "markdown" / "gaggle_kirby.md")
    assert [turn.speaker for turn in gaggle.turns][-2:] == ["Ms. Jean-Pierre", "Mr. Kirby"]
    assert gaggle.turns[-1].text == "— you do. No."


def test_podcast_markdown_everyone_is_quotable():
    t = parse(FIXTURES / "markdown" / "podcast.md")
    assert t.format == "markdown-podcast"
    names = set(speakers(t))
    assert names == {"Carmen Andoh", "Jon Calhoun", "Rob Pike", "Robert Griesemer"}
    assert "Break" not in names
    assert {a.speaker for a in t.answers} == names
    stamped = [turn for turn in t.turns if turn.timestamp]
    assert stamped and stamped[0].timestamp == "04:22" and stamped[0].text == "45 minutes."
    everything = "\n".join(turn.text for turn in t.turns)
    assert "\\[" not in everything and "28:02" not in everything and "[laughs]" not in everything
    pike = next(turn for turn in t.answers if turn.text.startswith("Well, nothing's ever perfect"))
    assert pike.asked_by == "Carmen Andoh"


def test_podcast_markdown_label_bold_elsewhere_names_its_speaker_plain():
    """ "Johnny Boursiquot: Wow...!" is his, as "**Johnny Boursiquot:**" is earlier in
    the episode, not the end of Jerod Santo's turn before it."""
    t = parse(FIXTURES / "markdown" / "podcast_plain_label.md")
    wow = next(turn for turn in t.turns if "Wow" in turn.text)
    assert (wow.speaker, wow.text) == ("Johnny Boursiquot", "Wow...!")
    assert [turn.speaker for turn in t.turns].count("Jerod Santo") == 2


def test_html_entities_in_markdown_are_the_characters_they_stand_for():
    """Go Time episode 116 writes "It&#39;s really cool": quoted as typed, and "it"
    and "s" were never the words of the index."""
    t = parse(FIXTURES / "markdown" / "podcast_entities.md")
    andy = next(turn for turn in t.turns if turn.speaker == "Andy Williams")
    assert andy.text.endswith("It's really cool to be part of the chat.")
    assert all("&#" not in turn.text for turn in t.turns)
    assert any("we're gonna be talking" in turn.text for turn in t.turns)


def test_podcast_host_question_is_the_next_answers_question_not_an_answer():
    """In a podcast everyone is quotable, but "So Johan, do you use an ORM?" asks more
    than it says and the guest answers it: it is that answer's question. A turn that
    says something ("Johnny. Let me use auto-increment.") stays an answer."""
    t = parse(FIXTURES / "markdown" / "podcast_host_question.md")
    by_text = {turn.text: turn for turn in t.turns}
    asked = by_text["So Johan, do you use an ORM?"]
    assert not asked.is_answer
    answer = next(turn for turn in t.answers if turn.text.startswith("Actually, I have never"))
    assert answer.question_positions == (asked.position,) and answer.asked_by == "Mat Ryer"
    assert by_text["Johnny. Let me use auto-increment."].is_answer
    assert by_text["I don't!"].is_answer


def test_briefing_place_is_a_place_not_a_heading_a_date_or_a_stage_direction():
    """Above the first speaker, the place is the first line that reads as one: not a
    heading in capitals, a date, a release line or a stage direction; a date after it
    and stray brackets go."""
    header = parse(FIXTURES / "markdown" / "remarks_header.md")
    assert header.info.place == "Asheville Regional Airport"
    for lines, place in [
        (["PRESS GAGGLE BY", "Aboard Air Force One"], "Aboard Air Force One"),
        (["(A costumed Easter Bunny approaches the podium.)"], None),
        (["Via Teleconference (May 19, 2021)"], "Via Teleconference"),
        (["[Via Teleconference]"], "Via Teleconference"),
        (
            ["(November 3, 2021)", "James S. Brady Press Briefing Room"],
            "James S. Brady Press Briefing Room",
        ),
        (["For Immediate Release January 24, 2025", "Oval Office"], "Oval Office"),
    ]:
        text = "\n\n".join(["---", "title: A briefing", "---", *lines, "MS. PSAKI:  Hi, everyone."])
        assert parse_text(text).info.place == place


def test_podcast_host_question_cut_off_before_its_mark_is_a_question_too():
    """ "So generally then, Bryan, would you say that you are unhappy with the performance
    of generics, or do you feel like in most cases --": cut off by Bryan's answer, it is
    that answer's question; Roger Peppe's turn before it, which asks nothing, stays an
    answer."""
    t = parse(FIXTURES / "markdown" / "podcast_cut_question.md")
    asked = next(turn for turn in t.turns if turn.text.startswith("So generally then"))
    assert asked.speaker == "Mat Ryer" and not asked.is_answer
    reply = next(turn for turn in t.answers if turn.text.startswith("I think I would go"))
    assert reply.question_positions == (asked.position,) and reply.asked_by == "Mat Ryer"
    assert all(turn.is_answer for turn in t.turns if turn.speaker == "Roger Peppe")


def test_format_detection_reads_content_not_names(tmp_path: Path):
    disguised = tmp_path / "page.txt"
    disguised.write_bytes((FIXTURES / "kremlin_html" / "60897.html").read_bytes())
    assert parse(disguised).format == "kremlin-html"
    assert detect_format(seed("002").read_text()) == "rev"
    assert detect_format("**Ann:** Hi.\n\n**Bob:** Hello?\n") == "markdown"


def test_deployment_can_name_the_quoted_speakers():
    t = parse(FIXTURES / "kremlin_html" / "60897.html", ["Vladimir Putin"])
    assert {a.speaker for a in t.answers} == {"Vladimir Putin"}
    journalists = parse(seed("003"), ["Question", "Vladimir Putin"])
    assert {a.speaker for a in journalists.answers} == {"Vladimir Putin"}


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"Just a paragraph of prose.\nAnother line, with no speakers.\n", "no speaker labels"),
    ],
)
def test_bad_input_names_the_problem(tmp_path: Path, content: bytes, reason: str):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    with pytest.raises(TranscriptError, match=reason):
        parse(bad)


def test_windows_1252_text_is_read_not_rejected():
    text = "Vladimir Putin: We said “yes” – and meant it.\nQuestion: Why?\n".encode("cp1252") * 40
    t = parse_text(text.decode("cp1252"))
    assert t.answers[0].text.startswith("We said “yes”")


def test_label_rules():
    assert looks_like_label("President of Russia Vladimir Putin")
    assert looks_like_label("MS. JEAN-PIERRE")
    assert not looks_like_label("Several months ago, I was lucky to ask you")
    assert not looks_like_label("Font size")
    assert clean_name("THE PRESIDENT") == "The President"
    assert clean_name("Q") == "Reporter"
    mapping = canonical_names(
        ["President of Russia Vladimir Putin", "Vladimir Putin", "Vladimir PUTIN"]
    )
    assert set(mapping.values()) == {"Vladimir Putin"}
