"""The one cut-at-a-word helper: characters for stored fields and quotes, escaped
UTF-16 units for Telegram, and how near a space must be."""

from __future__ import annotations

from html import escape

from bot.render import units
from bot.words import Stems, cut_at_word, cut_point, is_small_talk, split_sentences


def test_cut_at_the_last_space_that_fits():
    assert cut_at_word("one two three four", 12) == "one two…"
    assert cut_at_word("one two, three", 9) == "one two…"  # no comma before the mark
    assert cut_at_word("one two three", 8) == "one two…"  # a word ending at the cut is kept
    assert cut_at_word("short", 5) == "short"
    assert cut_at_word("x" * 20, 10) == "x" * 9 + "…"  # no space: cut mid-word


def test_a_far_space_is_passed_over_when_asked():
    text = "a " + "b" * 30
    assert cut_at_word(text, 20) == "a…"
    assert cut_at_word(text, 20, near=0.5) == "a " + "b" * 17 + "…"


def test_a_length_function_counts_what_telegram_counts():
    def escaped_units(s: str) -> int:
        return units(escape(s))

    text = "Tom & Jerry 😀😀 say “hi” " * 10
    for limit in (1, 7, 30, 101, 250):
        k = cut_point(text, limit, escaped_units)
        assert escaped_units(text[:k]) <= limit
        assert k == len(text) or escaped_units(text[: k + 1]) > limit or text[k] == " "
        cut = cut_at_word(text, limit, length=escaped_units)
        assert escaped_units(cut) <= limit and cut.endswith("…")


def test_learned_stems_are_the_tokenizers_and_fill_the_cache_only():
    learned = Stems(cache_size=3)
    learned.learn(["technology", "running", "elections", "happiness"])
    assert learned._cache == {"technology": "technolog", "running": "run", "elections": "elect"}
    assert learned.many(["happiness", "running"]) == Stems().many(["happiness", "running"])


def test_a_title_or_an_initial_before_a_name_ends_no_sentence():
    text = "Like every Russian citizen, Mr. Navalny knew it. V. Putin said so. Then he left."
    assert split_sentences(text) == [
        "Like every Russian citizen, Mr. Navalny knew it.",
        "V. Putin said so.",
        "Then he left.",
    ]
    # the press gaggle of 2024-03-19 (White House briefings), Ms. Jean-Pierre
    roe = "That would do that, that would overturn Roe v. Wade. And so, we’ve seen their action."
    assert split_sentences(roe) == [
        "That would do that, that would overturn Roe v. Wade.",
        "And so, we’ve seen their action.",
    ]


def test_small_talk_is_greetings_thanks_and_laughter_only():
    assert is_small_talk("hi") and is_small_talk("Thank you so much!") and is_small_talk("lol")
    assert not is_small_talk("yes we can")  # a line
    assert not is_small_talk("thanks for the sanctions")
    assert not is_small_talk("the")  # function words alone are no talk either
