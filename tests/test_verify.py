"""Did they really say that? Verdicts on real seed lines, the word diff, its
rendering within Telegram's limits, the reply path and the CLI's JSON."""

from __future__ import annotations

import json
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, SEEDS

from bot import store, verify
from bot.cli import main
from bot.ingest import ingest
from bot.render import MESSAGE_LIMIT, units
from bot.replies import VERIFY_HOW, Replier
from bot.search import Hit, Searcher
from bot.verify import (
    CLOSE,
    NOT_FOUND,
    VERBATIM,
    Claim,
    align,
    asked_outright,
    claim_of,
    diff_html,
)

# Real sentences of the seed transcripts (001 and 002).
TALIBAN = (
    "In this sense, the Taliban are, of course, our allies in countering terrorism, because"
    " any authority in power is interested in its own stability and the stability of the"
    " country it leads."
)
ICEBREAKERS = (
    "New icebreakers, including the leader icebreaker are put online, and we have the"
    " mightiest icebreaker fleet in the world."
)
INVENTED = (
    "Our icebreakers will escort American cargo ships along the northern route free of charge."
)


@pytest.fixture(scope="module")
def searcher(seeded_db: Path) -> Searcher:
    return Searcher(seeded_db)


def test_a_real_line_is_verbatim_whatever_its_case_and_punctuation(searcher: Searcher) -> None:
    verdict = verify.verify(searcher, Claim(TALIBAN.upper().replace(",", "")))
    assert verdict.kind == VERBATIM
    assert verdict.diff == []
    start, end = verdict.span
    assert verdict.hit.answer[start:end] == TALIBAN.rstrip(".")
    assert TALIBAN in verdict.hit.quote


@pytest.mark.parametrize(
    ("line", "wrong", "real"),
    [
        # a word changed at the start, in the middle, at the end
        (TALIBAN.replace("In this sense", "In this way"), ["way"], ["sense"]),
        (TALIBAN.replace("our allies", "our best friends"), ["best", "friends"], ["allies"]),
        (ICEBREAKERS.replace("in the world", "in the galaxy"), ["galaxy"], ["world"]),
    ],
)
def test_a_line_with_words_changed_is_close_with_the_real_words(
    searcher: Searcher, line: str, wrong: list[str], real: list[str]
) -> None:
    verdict = verify.verify(searcher, Claim(line))
    assert verdict.kind == CLOSE
    changes = [(u, r) for op, u, r in verdict.diff if op != "equal"]
    assert changes == [(wrong, real)]
    start, end = verdict.span
    assert " ".join(r for _, _, rs in verdict.diff for r in rs) == " ".join(
        verdict.hit.answer[start:end].replace(",", "").split()
    )


def test_dropped_and_added_words_are_insert_and_delete(searcher: Searcher) -> None:
    line = "the Taliban are really our allies in countering terrorism"  # "of course" dropped
    verdict = verify.verify(searcher, Claim(line, "putin", True))
    assert verdict.kind == CLOSE
    assert verdict.person == "Vladimir Putin"
    ops = {op: (u, r) for op, u, r in verdict.diff if op != "equal"}
    assert ops == {"replace": (["really"], ["of", "course"])} or (
        ops.get("insert") == ([], ["of", "course"]) and ops.get("delete") == (["really"], [])
    )


def test_a_changed_first_word_is_a_replacement_not_a_far_match(searcher: Searcher) -> None:
    """ "A" for "the": the alignment must not match a "the" words before the passage."""
    line = "we have a mightiest icebreaker fleet in the world"
    found = align(line, ICEBREAKERS)
    assert found is not None
    assert found.diff[0][0] == "equal" and found.diff[0][2] == ["we", "have"]
    assert ("replace", ["a"], ["the"]) in found.diff
    assert found.real_words == found.user_words


def test_a_paraphrase_shows_the_sentence_that_says_it(searcher: Searcher) -> None:
    line = "it is just my birthday, not some public holiday"
    verdict = verify.verify(searcher, Claim(line, "putin", True))
    assert verdict.kind == verify.PARAPHRASE
    assert "It is my birthday we are talking about, not a national holiday" in verdict.hit.quote


def test_a_line_with_words_added_inside_is_close_where_its_words_are(searcher: Searcher):
    """Seed 004: "the Taliban are, of course, our allies in countering terrorism". The
    same answer says "the Taliban are also interested" before it, which lines up with
    the line's characters as well: the passage is where the line's words are."""
    verdict = verify.verify(searcher, Claim("the taliban are our allies", "putin", True))
    assert verdict.kind == verify.CLOSE
    start, end = verdict.span
    assert verdict.hit.answer[start:end] == "the Taliban are, of course, our allies"
    assert ("insert", [], ["of", "course"]) in verdict.diff


def test_an_invented_line_is_not_found_with_what_was_searched(searcher: Searcher) -> None:
    verdict = verify.verify(searcher, Claim(INVENTED, "putin", True))
    assert verdict.kind == NOT_FOUND
    assert verdict.hit is None and verdict.diff == []
    assert verdict.coverage["person"] == "Vladimir Putin"
    assert verdict.coverage["answers"] == searcher.stats()["answers"]
    text = verify.not_found_text(verdict)
    assert text.startswith(f"I have {verdict.coverage['answers']} answers by Vladimir Putin")
    assert "from 2017 to 2024" in text


def test_a_line_found_nowhere_is_shown_the_nearest_answer_of_the_person(
    searcher: Searcher,
) -> None:
    """Not his words, but he spoke of it: "none holds those words" must not read as
    "he never spoke of it"; the answer a search of the line shows comes with it."""
    verdict = verify.verify(searcher, Claim("navalny was a foreign agent", "putin", True))
    assert verdict.kind == NOT_FOUND and verdict.hit is None
    assert verdict.nearest is not None and verdict.nearest.person == "Vladimir Putin"
    assert "foreign agent" in verdict.nearest.quote
    assert verify.not_found_text(verdict).endswith("none holds those words. The nearest I found:")
    assert verdict.nearest.quote in verify.verdict_text(verdict)
    assert verify.verdict_text(verdict).startswith("I cannot find that.")
    assert verdict.to_json()["nearest"]["id"] == verdict.nearest.id
    # a long line typed unframed gets no verdict first, so no second search for it
    unframed = verify.verify(searcher, Claim("navalny was a foreign agent", "putin", False))
    assert unframed.kind == NOT_FOUND and unframed.nearest is None


def test_a_line_in_someone_else_s_words_says_whose(tmp_path: Path) -> None:
    """Jean-Pierre's words attributed to Putin (seeds beside a White House gaggle): not
    "cannot find", but whose they are."""
    path = tmp_path / "quotes.db"
    ingest(store.open_db(path), [SEEDS, FIXTURES / "markdown" / "briefing.md"], workers=1)
    searcher = Searcher(path)
    line = "we cannot forget that Republican officials' MAGAnomics agenda would repeal the"
    verdict = verify.verify(searcher, Claim(f"{line} Inflation Reduction Act", "putin", True))
    assert verdict.kind == VERBATIM and verdict.hit.person == "Karine Jean-Pierre"
    assert (
        verdict.asked_of == "Vladimir Putin" and verdict.to_json()["asked_of"] == "Vladimir Putin"
    )
    text = verify.verdict_text(verdict)
    assert text.startswith("Not Vladimir Putin's words: Karine Jean-Pierre said it word for word.")
    # the same line given to her is simply hers
    hers = verify.verify(searcher, Claim(f"{line} Inflation Reduction Act", "jean-pierre", True))
    assert hers.kind == VERBATIM and hers.asked_of is None
    # close in someone else's words, with a word that matters changed: said so (a new
    # user's "is it true kirby said russia will win the war" read as Trump's "stop")
    swapped = verify.verify(searcher, Claim(f"{line} Chips Act", "putin", True))
    assert swapped.kind == CLOSE and swapped.asked_of == "Vladimir Putin"
    assert verify.headline(swapped) == (
        "Not Vladimir Putin's words: Karine Jean-Pierre said something close, "
        "but a word that matters differs:"
    )


def test_a_line_from_the_question_put_to_them_says_who_asked(searcher: Searcher) -> None:
    """Seed 002: a CNN reporter asked Putin whether he had committed to "ceasing
    carrying out cyber attacks on the United States"; checked as Putin's, the verdict
    says whose question it was and shows his answer to it."""
    claim = Claim(
        "did you commit to ceasing carrying out cyber attacks on the United States",
        "putin",
        True,
    )
    verdict = verify.verify(searcher, claim)
    assert verdict.hit is not None and verdict.asked_by == verdict.hit.asked_by
    assert "ceasing carrying out cyber attacks" in verdict.hit.question
    assert verify.headline(verdict).startswith(
        "Not Vladimir Putin's words: they are from a question"
    )
    assert verdict.to_json()["asked_by"] == verdict.asked_by
    # a line of his own stays his
    assert verify.verify(searcher, Claim(TALIBAN, "putin", True)).asked_by is None


def test_asked_who_said_it_the_verdict_says_who(searcher: Searcher) -> None:
    """ "who said ..." asks whose the line is: "Vladimir Putin said it, word for word.",
    not "Yes, word for word." (a new user's trial); close, it says who said
    something close; a line nobody said is "I cannot find that." as ever."""
    verdict = verify.verify(searcher, claim_of(f"who said {TALIBAN}"))
    assert verdict.kind == VERBATIM
    assert verify.headline(verdict) == "Vladimir Putin said it, word for word."
    changed = verify.verify(
        searcher, claim_of(f"who said {TALIBAN.replace('our allies', 'the allies')}")
    )
    assert changed.kind == CLOSE
    assert verify.headline(changed) == "Vladimir Putin said something close, not word for word."
    # asked whether, not who: the verdict as before
    plain = verify.verify(searcher, Claim(TALIBAN, None, True))
    assert verify.headline(plain) == verify.HEADLINES[VERBATIM]


def test_a_close_line_that_turns_a_negation_or_a_figure_says_so(searcher: Searcher) -> None:
    turned = TALIBAN.replace("are, of course, our allies", "are not our allies")
    verdict = verify.verify(searcher, Claim(turned, "putin", True))
    assert verdict.kind == CLOSE and verify.headline(verdict) == verify.FLIPPED
    changed = verify.verify(searcher, Claim(TALIBAN.replace("our allies", "the allies")))
    assert changed.kind == CLOSE and verify.headline(changed) == verify.HEADLINES[CLOSE]


def test_a_contraction_written_together_is_no_turned_negation(searcher: Searcher) -> None:
    """ "dont" for "don’t" (seed 002: "I don’t think that the United States authorities
    are interested in such manipulations") is close, but no "not" differs; the diff
    writes the contraction back as it is written."""
    line = "I dont think that the United States authorities are interested in such manipulations"
    verdict = verify.verify(searcher, Claim(line, "putin", True))
    assert verdict.kind == CLOSE
    assert verify.headline(verdict) == verify.HEADLINES[CLOSE]
    assert "[-dont-] {+don’t+}" in verify.diff_text(verdict.diff)
    negated = verify.verify(searcher, Claim(line.replace("I dont think", "I think"), "putin"))
    assert verify.headline(negated) == verify.FLIPPED  # the "not" left out does differ


def test_a_close_line_with_a_word_that_matters_swapped_or_missing_says_so(
    searcher: Searcher,
) -> None:
    """Close in words is not the same claim: "our friends" for "our allies", a country
    for another; a line of which the passage holds only the start is only part said."""
    swapped = verify.verify(searcher, Claim(TALIBAN.replace("our allies", "our friends")))
    assert swapped.kind == CLOSE and verify.headline(swapped) == verify.SWAPPED
    # the claim's whole predicate struck out (the diff a user trial got over the corpora
    # for "the collapse of the soviet union was the greatest geopolitical catastrophe")
    said = ("the", "collapse", "of", "the", "soviet", "union")
    soviet = [
        ("equal", said, said),
        ("delete", ("was", "the", "greatest", "geopolitical", "catastrophe"), ()),
    ]
    assert verify._partly(soviet)
    assert verify.headline(replace(swapped, diff=soviet)) == verify.PARTLY
    # ... and with most of it replaced by other words, it is still only part said,
    # not one word that differs (a new user's diff over the corpora)
    replaced = [
        ("equal", said, said),
        ("delete", ("was",), ()),
        ("equal", ("the",), ("the",)),
        ("replace", ("greatest", "geopolitical", "catastrophe"), ("collapse",)),
        ("equal", ("of", "the"), ("of", "the")),
        ("replace", ("century",), ("social",)),
    ]
    assert verify._swaps(replaced) and verify._partly(replaced)
    assert verify.headline(replace(swapped, diff=replaced)) == verify.PARTLY
    # forms of one word are no swap ("loan", "loans"), function words no loss
    assert not verify._swaps([("replace", ("loans",), ("loan",))])
    assert not verify._partly(
        [("equal", ("taliban", "allies"), ("taliban", "allies")), ("delete", ("the", "of"), ())]
    )


def test_not_found_without_a_person_gives_the_corpus_totals(searcher: Searcher) -> None:
    verdict = verify.verify(searcher, Claim(INVENTED))
    assert verdict.kind == NOT_FOUND
    stats = searcher.stats()
    assert (verdict.coverage["answers"], verdict.coverage["sources"]) == (
        stats["answers"],
        stats["sources"],
    )


@pytest.mark.parametrize(
    ("text", "line", "who", "framed"),
    [
        (
            "did putin say that the taliban are our allies?",
            "the taliban are our allies",
            "putin",
            True,
        ),
        (
            "Is it true Putin said: we have the mightiest fleet",
            "we have the mightiest fleet",
            "Putin",
            True,
        ),
        (
            'Putin said "the Taliban are our allies in this"',
            "the Taliban are our allies in this",
            "Putin",
            True,
        ),
        (
            "what about “the Taliban are our allies in this” then",
            "the Taliban are our allies in this",
            None,
            True,
        ),
        (" ".join(["word"] * 12), " ".join(["word"] * 12), None, False),
        # a short line is a claim when the user names who said it
        ("did kirby say russia will win", "russia will win", "kirby", True),
        # ... and a line attributed without quotation marks
        (
            "putin said that the collapse of the soviet union was a catastrophe",
            "the collapse of the soviet union was a catastrophe",
            "putin",
            True,
        ),
        ("President Putin once said: nato is a relic", "nato is a relic", "President Putin", True),
        # asked whose a line is: the line, nobody named
        (
            "who said the debt ceiling should never be political brinksmanship",
            "the debt ceiling should never be political brinksmanship",
            None,
            True,
        ),
        ('who said "we will circle back on that"?', "we will circle back on that", None, True),
        ('Putin: "the cold war is over"', "the cold war is over", "Putin", True),
        # "someone said ...": whether anyone did, nobody named
        (
            "someone said if you leave go because of generics you'll be back",
            "if you leave go because of generics you'll be back",
            None,
            True,
        ),
        (
            "Somebody said that Russia will not attack anyone",
            "Russia will not attack anyone",
            None,
            True,
        ),
    ],
)
def test_claims_are_recognised(text: str, line: str, who: str | None, framed: bool) -> None:
    claim = claim_of(text)
    assert claim is not None and (claim.line, claim.who, claim.framed) == (line, who, framed)
    # only "who said ..." asks whose the line is
    assert claim.whose == text.lower().startswith("who said")


@pytest.mark.parametrize(
    "text",
    [
        "putin nato",
        "what did putin say about nato",
        '"red lines" speaker:Putin',
        "did he",
        '"red lines"',  # two words quoted, attributed to nobody: a search
        "did putin say nato",
        "what putin said about the nato expansion plans",  # a question word: a search
        "putin said about the nato expansion plans",  # a topic
        # ... and so is what they said something about (a new user's: "I cannot find
        # that" among Psaki's 17,517 answers, who says "circle back" in 17)
        "psaki said something about circling back",
        "kirby said a lot about the houthis",
        # ... asked as a question too (a new user's "did kirby say anything about
        # wagner" was told "I cannot find that" above Kirby on Wagner)
        "did kirby say anything about wagner",
        "has kirby ever said anything about wagner",
        "did psaki say something about baby formula",
        "is it true psaki said something on inflation",
        "did putin say about nato",
        "psaki said student loans",  # too short to be a line
        "he said we would never give up",  # nobody named, and short
        'putin "cold war"',  # a name and a quoted phrase, no "said": a search for it
        "who says nato is obsolete",  # too short to be a line
        # a line remembered loosely: words to look for, not a quotation to check
        "putin said something like we will not attack anyone",
        "did kirby say something along the lines of the balloon was spying on us",
        "psaki said roughly that student loan payments will restart in may",
    ],
)
def test_searches_are_no_claims(text: str) -> None:
    assert claim_of(text) is None


def test_a_line_asked_outright_loosely_is_checked_without_its_hedge() -> None:
    """/verify putin said something like ...: the line after the hedge is checked."""
    claim = asked_outright("putin said something like we will not attack anyone")
    assert claim == Claim("we will not attack anyone", "putin", True)
    assert asked_outright("psaki said roughly that loans restart").line == "loans restart"


def test_a_name_and_one_word_asked_outright_is_no_line(searcher: Searcher) -> None:
    """/verify putin said nato: a name and a topic, so how to ask, not "none holds
    those words" (the whole message was checked as the line); two words are a line."""
    for text in ("putin said nato", "did kirby say russia", 'putin: "nato"'):
        assert asked_outright(text) is None
        assert Replier(searcher).check(text).html == VERIFY_HOW
    assert asked_outright("putin said nato expansion") == Claim("nato expansion", "putin", True)


def test_the_html_diff_is_escaped_and_within_the_limit(searcher: Searcher) -> None:
    hostile = "<b>&amp;</b>\"'" * 40
    diff = [("equal", ["the"], ["the"]), ("replace", [hostile] * 30, [hostile] * 30)] * 20
    html = diff_html(diff)
    assert hostile[:14] not in html and "<s>&lt;b&gt;&amp;amp;&lt;/b&gt;&quot;&#x27;" in html
    assert units(html) <= verify.DIFF_ROOM
    verdict = verify.verify(searcher, Claim(TALIBAN.replace("our allies", "our <best> & allies")))
    big = replace(
        verdict.hit,
        quote=hostile * 20,
        speaker=hostile,
        title=hostile * 10,
        place=hostile,
        url="https://example.org/" + "&" * 2000,
    )
    rendered = verify.verdict_html(replace(verdict, hit=big, diff=diff))
    assert units(rendered) <= MESSAGE_LIMIT
    _assert_balanced(rendered)
    real = verify.verdict_html(verdict)
    assert "<s>best</s>" in real  # the diff is of words: the user's markup is no word
    assert "<blockquote>" in real and "Vladimir Putin" in real
    _assert_balanced(real)
    assert "[-best-]" in verify.verdict_text(verdict)


def _assert_balanced(html: str) -> None:
    """Every tag closed in order: what Telegram's HTML parser insists on."""
    stack: list[str] = []

    class Checker(HTMLParser):
        def handle_starttag(self, tag: str, attrs: object) -> None:
            stack.append(tag)

        def handle_endtag(self, tag: str) -> None:
            assert stack and stack.pop() == tag

    Checker().feed(html)
    assert stack == []


def test_a_quotation_gets_the_verdict_first_and_a_search_does_not(searcher: Searcher) -> None:
    replier = Replier(searcher)
    reply = replier.search(f"did putin say {TALIBAN.replace('our allies', 'our friends')}")
    assert reply.html.startswith("<b>Close")
    assert "<s>friends</s> <b>allies</b>" in reply.html
    assert "[-friends-] {+allies+}" in reply.text
    assert any(b.text == "The question" for b in reply.buttons)
    plain = replier.search("taliban terrorism")
    assert plain.text is None and not plain.html.startswith("<b>Close")
    nowhere = replier.search("is it true putin said the kumquat marmalade recipe needs nutmeg")
    assert nowhere.html.startswith("<b>I cannot find that.</b>\nI have ")
    assert "none is close to that" in nowhere.html and not nowhere.buttons
    # an invented line on a topic he spoke of: not found, and what he said of it
    missing = replier.search(f"is it true putin said {INVENTED}")
    assert missing.html.startswith("<b>I cannot find that.</b>")
    assert "none holds those words. The nearest I found:" in missing.html
    assert "navigation" in missing.html and "Vladimir Putin" in missing.html
    assert any(b.text == "Full answer" for b in missing.buttons)


def test_cli_json_shape(seeded_db: Path) -> None:
    runner = CliRunner()
    line = TALIBAN.replace("countering", "fighting")
    result = runner.invoke(main, ["verify", "--db", str(seeded_db), "--json", line])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["verdict"] == CLOSE
    assert set(out) == {"verdict", "line", "person", "hit", "span", "diff"}
    start, end = out["span"]
    assert out["hit"]["answer"][start:end].startswith("In this sense")
    assert ["replace", ["fighting"], ["countering"]] in out["diff"]
    assert {"id", "speaker", "quote", "answer", "score"} <= set(out["hit"])
    result = runner.invoke(main, ["verify", "--db", str(seeded_db), "--json", INVENTED])
    out = json.loads(result.output)
    assert out["verdict"] == NOT_FOUND and out["hit"] is None and out["span"] is None
    assert out["diff"] == [] and out["coverage"]["answers"] > 0


@pytest.mark.parametrize("line", ["", '""', "putin said", "did psaki say?", "putin:", "putin"])
def test_cli_with_no_line_to_check_says_how_to_ask(seeded_db: Path, line: str) -> None:
    result = CliRunner().invoke(main, ["verify", "--db", str(seeded_db), line])
    assert result.exit_code == 2
    assert 'no line to check: quotebot verify "did putin say ..."' in result.output
    assert "I cannot find that" not in result.output


def test_a_bare_surname_is_looked_up_in_each_bearer_s_words(tmp_path: Path) -> None:
    # "adams" is first Chase Adams (more answers); the line is Bram Adams's
    db_path = tmp_path / "namesakes.db"
    ingest(store.open_db(db_path), [FIXTURES / "namesakes"], workers=1)
    searcher = Searcher(db_path)
    line = "two years ago it was very much like just office hours for a very small community"
    verdict = verify.verify(searcher, Claim(line, "adams", True))
    assert verdict.kind in (VERBATIM, CLOSE)
    assert verdict.hit.who == "Bram Adams" and verdict.claim.who == "adams"
    # a line neither said is not found, and said so of the best-known bearer
    nobody = verify.verify(searcher, Claim("we never use goroutines at walmart", "adams", True))
    assert nobody.kind == NOT_FOUND and nobody.person == "Chase Adams"


def test_the_passage_holding_most_of_the_line_is_the_one_checked() -> None:
    """John Kirby at two White House briefings (8 and 19 December 2023, public domain):
    the first quotes another's shorter line with a word replaced, the second holds all
    but one of the user's words. The second was shorter by ratio alone, and the verdict
    pointed at the quotation."""
    line = "the houthis are pulling the trigger but iran is giving them the guns"
    quoting = (
        "As the National Security Advisor said just the other day: The Houthis are "
        "pulling the trigger, Iran is providing the guns."
    )
    his = (
        "All I can tell you is what I’ve said before. The Houthis may be pulling the "
        "trigger, but, as I’ve said, Iran is giving them the guns."
    )
    hits = [
        Hit(i, "Mr. Kirby", text, text, "", None, None, None, None, None, "f.md", None, 90)
        for i, text in enumerate((quoting, his))
    ]
    found, hit = verify._best(line, hits, None, verify.DEFAULT)
    assert hit.answer == his and found.matched == 12
