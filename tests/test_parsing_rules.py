"""One test per parsing rule, on lines taken from the real fixtures and seeds."""

from __future__ import annotations

import pytest
from conftest import FIXTURES, seed

from bot.transcripts import TranscriptError, parse_text
from bot.transcripts.markdown import _unmark, split_front_matter
from bot.transcripts.plain import is_chrome
from bot.transcripts.rev import to_iso_date_strict
from bot.transcripts.speakers import (
    canonical_names,
    clean_name,
    is_asker_label,
    is_procedural_label,
    is_pseudo_label,
    looks_like_label,
    principal_speakers,
)
from bot.transcripts.text import clean, decode, parse_dateline

ZARUBIN = "Pavel Zarubin: Has there been any response?"
PUTIN = "Vladimir Putin: No. Unfortunately, just like with several other Russian initiatives, there was no answer."


# -- text clean-up -------------------------------------------------------------------
def test_clean_drops_invisible_characters_and_collapses_spaces():
    assert (
        clean("Russia\u00ad’s \u200b allied\u00a0\u00a0commitments ")
        == "Russia’s allied commitments"
    )


def test_clean_drops_stage_directions_but_not_asides_in_lower_case():
    assert clean("Thank you. (Laughter.) Next question.") == "Thank you. Next question."
    assert clean("Go ahead (Applause) please") == "Go ahead please"
    assert clean("the treaty (as we know it) holds") == "the treaty (as we know it) holds"


def test_dateline_gives_date_and_place():
    assert parse_dateline("July 4, 2024, Astana") == ("2024-07-04", "Astana")
    assert parse_dateline("April 12, 2017") == ("2017-04-12", None)
    assert parse_dateline("Answers to Russian media questions") is None


def test_decode_keeps_utf8_with_a_stray_byte_and_reads_legacy_text():
    text, warning = decode("Café au lait ".encode() * 20 + b"\xe3 end")
    assert text.startswith("Café") and "invalid UTF-8" in warning
    text, warning = decode("Café au lait".encode("cp1252"))
    assert text == "Café au lait" and "Windows-1252" in warning
    text, warning = decode("\ufeffVladimir Putin: Yes.".encode())
    assert text == "Vladimir Putin: Yes." and warning is None


def test_decode_tells_bom_less_utf16_from_binary():
    text, warning = decode(PUTIN.encode("utf-16-le"))
    assert text == PUTIN and "UTF-16-LE" in warning
    with pytest.raises(TranscriptError, match="binary"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01\x02")


# -- labels and names -----------------------------------------------------------------
def test_label_words_must_be_capitalised_or_connectors():
    assert looks_like_label("President of Russia Vladimir Putin")
    assert looks_like_label("Speaker 2")
    assert not looks_like_label("And my second question")
    assert not looks_like_label("President Trump has repeatedly expressed interest, and")


@pytest.mark.parametrize(
    "label", ["محمد بن سلمان", "بنيامين نتنياهو", "משה שרת", "习近平", "王毅", "Владимир Путин"]
)
def test_labels_in_scripts_without_case_are_names(label: str):
    assert looks_like_label(label)


def test_caseless_labels_have_at_most_a_few_words():
    assert not looks_like_label("这 是 一个 很 长 的 句子")
    assert not looks_like_label("习近平，你好")  # a full-width comma: a sentence


def test_plain_lines_with_arabic_hebrew_and_chinese_labels():
    arabic = "محمد: ما رأيك؟\nسلمان: أعتقد أن هذا مهم جدا.\nمحمد: شكرا؟\nسلمان: عفوا.\n"
    t = parse_text(arabic)
    assert [x.speaker for x in t.turns] == ["محمد", "سلمان", "محمد", "سلمان"]
    hebrew = "משה: מה שלומך?\nדוד: טוב מאוד, תודה.\nמשה: למה?\nדוד: כי כך.\n"
    assert {x.speaker for x in parse_text(hebrew).answers} == {"דוד"}
    chinese = "记者：您怎么看？\n王毅：我们一贯主张对话。\n记者：谢谢？\n王毅：不客气。\n"
    t = parse_text(chinese)
    assert {x.speaker for x in t.answers} == {"王毅"} and t.answers[0].text == "我们一贯主张对话。"


def test_one_word_label_must_recur_or_be_a_role():
    text = f"{ZARUBIN}\n{PUTIN}\nSecond: it is a platform.\n"
    t = parse_text(text)
    assert "Second" not in {x.speaker for x in t.turns}
    assert "Second: it is a platform." in t.turns[-1].text


def test_clean_name_title_cases_all_caps_and_q_is_reporter():
    assert clean_name("MS. JEAN-PIERRE") == "Ms. Jean-Pierre"
    assert clean_name("THE PRESIDENT OF THE UNITED STATES") == "The President of the United States"
    assert clean_name("Q") == "Reporter"


def test_canonical_names_join_case_variants_and_title_prefixes():
    mapping = canonical_names(
        ["Vladimir Putin", "Vladimir Putin", "Vladimir PUTIN", "President of Russia Vladimir Putin"]
    )
    assert set(mapping.values()) == {"Vladimir Putin"}
    assert canonical_names(["Putin", "Vladimir Putin"]) == {
        "Putin": "Putin",
        "Vladimir Putin": "Vladimir Putin",
    }  # one word is never enough to join


def test_label_kinds():
    assert is_asker_label("Question") and is_asker_label("Reporter 2") and is_asker_label("Q")
    assert is_procedural_label("Moderator") and not is_procedural_label("Vladimir Putin")
    assert is_pseudo_label("Break") and is_pseudo_label("OUTRO") and not is_pseudo_label("Rob Pike")


def test_principals_are_answerers_with_a_fifth_of_the_top_words():
    turns = [
        ("Pavel Zarubin", "Has there been any response?"),
        ("Vladimir Putin", "No. " + "word " * 100),
        ("Dmitry Peskov", "Yes. " + "word " * 25),
        ("Aide", "One more. " + "word " * 200),
        ("Mustafa Sentop", "Thank you. " + "word " * 5),
    ]
    assert principal_speakers(turns) == {"Vladimir Putin", "Dmitry Peskov"}
    everyone = principal_speakers(turns, everyone=True)
    assert "Pavel Zarubin" in everyone and "Aide" not in everyone  # staff never are


def test_question_links_take_at_most_three_turns_and_skip_moderators():
    lines = ["Moderator: Next.", "Question: First?", "Remark: Second?", "Question: Third?"]
    lines += ["Question: Fourth?", PUTIN]
    t = parse_text("\n".join(lines))
    answer = t.answers[0]
    assert len(answer.question_positions) == 3 and answer.asked_by == "Question"
    assert "Next." not in t.question_text(answer)


# -- page leftovers -------------------------------------------------------------------
def test_chrome_and_breadcrumbs_are_not_text():
    assert is_chrome("Sharing is caring!") and is_chrome("News /") and is_chrome("Font size:")
    assert not is_chrome("Vladimir Putin: Thank you.")


def test_title_line_is_short_and_does_not_end_in_a_full_stop():
    titled = parse_text(f"Interview to Mir broadcasting company\n{ZARUBIN}\n{PUTIN}")
    assert titled.info.title == "Interview to Mir broadcasting company"
    intro = parse_text(f"The President answered questions.\n{ZARUBIN}\n{PUTIN}")
    assert intro.info.title is None


# -- rev.com --------------------------------------------------------------------------
def test_rev_date_line_must_be_only_a_date():
    assert to_iso_date_strict("Jun 16, 2021") == "2021-06-16"
    assert to_iso_date_strict("Read the transcript of the June 16, 2021 briefing here.") is None


def test_rev_annotations_keep_names_and_mark_gaps():
    text = seed("002").read_text()
    t = parse_text(text)
    everything = "\n".join(x.text for x in t.turns)
    assert "[Itatas 00:02:58]" not in everything and "Itatas News Agency" in everything
    assert "[inaudible]" in everything


# -- Markdown -------------------------------------------------------------------------
def test_unmark_applies_corrections_escapes_emphasis_and_asides():
    assert _unmark("we’re <s>employees</s> \\[employers\\]") == "we’re [employers]"
    assert _unmark("**bold** and *it* and __under__ and _it_") == "bold and it and under and it"
    assert _unmark("a * b * c") == "a * b * c"  # spaced stars are not emphasis
    assert _unmark("<em>Go</em> time [laughs] now") == "Go time now"
    # changelog_podcast/gotime/go-time-100.md; a White House COVID briefing
    said = "[Plan 9](https://9p.io/plan9/) came out under Bill's aegis"
    assert _unmark(said) == "Plan 9 came out under Bill's aegis"
    slides = r"view the slides [HERE](https://x.gov/2021/03/Briefing\31March2021.pdf)."
    assert _unmark(slides) == "view the slides HERE."
    assert _unmark("[not a link] (see) and [a](b") == "[not a link] (see) and [a](b"
    assert _unmark("[" + "a](" * 20_000) == "[" + "a](" * 20_000  # no pathological scan


def test_front_matter_split():
    meta, body, warnings = split_front_matter("---\ntitle: Press Gaggle\n---\n\nQ Hello!\n")
    assert meta == {"title": "Press Gaggle"} and body == "Q Hello!\n" and warnings == []
    meta, body, warnings = split_front_matter("---\ntitle: x\nQ Hello!\n")
    assert meta == {} and "not closed" in warnings[0]
    meta, _, warnings = split_front_matter("---\ntitle: [unclosed\n---\nQ Hello!\n")
    assert meta == {} and warnings[0].startswith("front matter ignored")


def test_briefing_clock_line_and_q_lines():
    t = parse_text((FIXTURES / "markdown" / "briefing.md").read_text())
    assert t.turns[0].speaker == "Ms. Jean-Pierre" and t.turns[1].speaker == "Reporter"
    assert all("P.M. EDT" not in x.text for x in t.turns)


def test_briefing_end_mark_is_nobody_s_words():
    """The remarks end "END 3:21 P.M. EST" (spaced with non-breaking spaces): the
    President's last words are "Thank you.", not the end mark."""
    t = parse_text((FIXTURES / "markdown" / "remarks_end.md").read_text(encoding="utf-8"))
    assert [x.speaker for x in t.turns] == ["The President"]
    assert t.turns[0].text.endswith("Thank you. Thank you.")
    assert "END" not in t.turns[0].text
    # a paragraph that only opens with the word is speech
    kept = parse_text("THE PRESIDENT: We will see.\n\nEND of the war is near, I think.\n")
    assert kept.turns[0].text.endswith("END of the war is near, I think.")


def test_podcast_timestamps_with_hundredths_are_stamps_not_words():
    """Go Time 134 (Changelog Media, CC BY-SA 4.0) stamps paragraphs "\\[01:04:07.23\\]"."""
    text = (
        "**Mat Ryer:** So yeah, I think you're gonna do great.\n\n"
        "\\[01:04:07.23\\] So yeah, we could well see something like gRPC take over.\n\n"
        "**Jon Calhoun:** \\[01:05:00.10\\] Right.\n"
    )
    t = parse_text(text)
    assert [x.text for x in t.turns] == [
        "So yeah, I think you're gonna do great.\n\n"
        "So yeah, we could well see something like gRPC take over.",
        "Right.",
    ]
    assert t.turns[1].timestamp == "01:05:00"


def test_podcast_pseudo_speaker_ends_the_previous_turn():
    text = "**Rob Pike:** Great!\n\n**Break:**\n\nSponsor message here.\n\n**Jon Calhoun:** Hi!\n"
    t = parse_text(text)
    assert [x.text for x in t.turns] == ["Great!", "Hi!"]
