"""Hostile and broken files: every bound of bot/transcripts/limits.py holds, and
each input that once cost minutes or gigabytes is refused or read correctly.

Speed is measured by bench/hostile_corpus.py; these tests check what comes out.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from conftest import FIXTURES, seed

from bot.transcripts import TranscriptError, limits, parse, parse_bytes, parse_text

BRIEFING = (FIXTURES / "markdown" / "briefing.md").read_text()
PAGE = (FIXTURES / "kremlin_html" / "60897.html").read_text()
PLAIN = seed("000").read_text()
REV = seed("002").read_text()


def with_title(title: str) -> str:
    """The briefing fixture with its front-matter title replaced."""
    head, _, rest = BRIEFING.partition("title: ")
    return head + "title: " + title + "\n" + rest.split("\n", 1)[1]


def test_long_title_in_front_matter_is_cut_with_a_warning():
    t = parse_text(with_title("'" + "Press Gaggle " * 400 + "'"))
    assert len(t.info.title) <= limits.MAX_TITLE_CHARS and t.info.title.endswith("…")
    assert "title of 5,199 characters cut to 300" in t.warnings
    assert t.answers  # the transcript itself is kept


def test_long_h1_place_and_url_are_bounded():
    page = re.sub(r"(<h1[^>]*>)[^<]*", lambda m: m[1] + "Meeting " * 600, PAGE).replace(
        "http://en.kremlin.ru/events/president/news/60897", "http://x.org/" + "a" * 3000
    )
    t = parse_text(page)
    assert len(t.info.title) <= limits.MAX_TITLE_CHARS
    assert t.info.url is None
    assert t.info.title.startswith("Meeting Meeting") and t.info.title.endswith("…")
    assert any("title of" in w for w in t.warnings) and any("URL of" in w for w in t.warnings)


def test_yaml_alias_bomb_in_the_title_is_refused():
    bomb = ["a: &a ['lol','lol','lol','lol','lol','lol','lol','lol','lol']"]
    for level in "bcdefghi":
        prev = chr(ord(level) - 1)
        bomb.append(f"{level}: &{level} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]")
    text = BRIEFING.replace("tags: press-briefings\n", "\n".join(bomb) + "\n").replace(
        'title: "Press Gaggle', 'title2: "Press Gaggle'
    )
    text = text.replace("title2:", "title: *i\nold_title:")
    t = parse_text(text)
    assert t.info.title is None and t.info.date is None  # the whole front matter is ignored
    assert any("aliases are not allowed" in w for w in t.warnings)
    assert {a.speaker for a in t.answers} == {"Ms. Jean-Pierre"}


def test_front_matter_over_the_limit_or_not_a_mapping_is_ignored():
    huge = with_title("'" + "x" * (limits.MAX_FRONT_MATTER_CHARS + 10) + "'")
    t = parse_text(huge)
    assert t.info.title is None and any("front matter over" in w for w in t.warnings)
    listed = parse_text(BRIEFING.replace("---\ndate", "---\n- a list\n- not a mapping\n#", 1))
    assert any("not a mapping" in w or "ignored" in w for w in listed.warnings)
    assert listed.answers
    title_list = parse_text(with_title("[one, two]"))
    assert title_list.info.title is None
    assert any("'title' ignored" in w for w in title_list.warnings)


def test_emphasis_runs_and_unclosed_tags_read_as_text():
    runs = "*a " * 40_000
    t = parse_text(BRIEFING.replace("Long time, no see.", "Long time, no see. " + runs))
    first = next(a for a in t.answers if a.text.startswith("Long time"))
    assert first.text.count("*a") == 40_000
    struck = "<s>gone " * 20_000 + "<em class=x " * 20_000
    t = parse_text(BRIEFING.replace("Long time, no see.", "Long time, no see. " + struck))
    first = next(a for a in t.answers if a.text.startswith("Long time"))
    assert first.text.count("<s>gone") == 20_000


def test_a_line_of_100000_spaces_is_one_space():
    t = parse_text(PLAIN.replace("It is a tragedy,", "It is a" + " " * 100_000 + "tragedy,"))
    assert "It is a tragedy," in t.answers[0].text


def test_rev_line_of_brackets_is_kept_as_text():
    t = parse_text(REV.replace("That’s a list of topics.", "[" * 50_000 + " " * 50_000 + "]"))
    assert t.format == "rev" and "[" * 50_000 in t.answers[0].text


def test_deeply_nested_html_is_refused_before_parsing():
    nested = PAGE.replace("<body>", "<body>" + "<div>" * 200_000, 1)
    with pytest.raises(TranscriptError, match="nested more than 512"):
        parse_text(nested)
    # the same number of divs, closed one by one, is an ordinary page
    flat = PAGE.replace("<body>", "<body>" + "<div></div>" * 200_000, 1)
    assert parse_text(flat).answers


def test_many_nested_bold_tags_in_a_paragraph_are_not_quadratic():
    bold = PAGE.replace("<p>", "<p>" + "<b>x</b>" * 100_000, 1)
    assert parse_text(bold).answers


@pytest.mark.parametrize(
    "text", [PLAIN, REV, BRIEFING, (FIXTURES / "kremlin_html" / "17173.html").read_text()]
)
def test_turn_limit_is_enforced_while_parsing_every_format(monkeypatch, text):
    monkeypatch.setattr(limits, "MAX_TURNS", 3)
    with pytest.raises(TranscriptError, match="more than 3 turns"):
        parse_text(text)


def test_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path):
    sparse = tmp_path / "huge.txt"
    with open(sparse, "wb") as handle:  # a sparse file: no disk space used
        handle.truncate(limits.MAX_FILE_BYTES + 1)
    with pytest.raises(TranscriptError, match="file too large"):
        parse(sparse)
    with pytest.raises(TranscriptError, match="file too large"):
        parse_bytes(b"x" * (limits.MAX_FILE_BYTES + 1))


def test_a_fifo_in_place_of_a_file_does_not_hang(tmp_path: Path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(TranscriptError, match="not a regular file"):
        parse(fifo)


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_files_are_decoded(codec: str):
    data = PLAIN.encode(codec)
    t = parse_bytes(data)
    assert t.answers and t.answers[0].text.startswith("It is a tragedy")
    assert "decoded as UTF-" in t.warnings[0]


def test_long_date_text_and_timestamps_are_not_stored():
    t = parse_text(REV.replace("Vladimir Putin: (00:41)", "Vladimir Putin: (00:41:00)"))
    assert t.turns[0].timestamp == "00:41:00"
    long_date = with_title('"x"').replace("date: '2024-09-05'", "date: '" + "2024 " * 100 + "'")
    long_date = long_date.replace("published_time: 2024-09-05 18:41:37-04:00\n", "")
    assert parse_text(long_date).info.date is None
