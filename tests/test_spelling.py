"""British and American spellings of a word are one word: in the stems every signal
compares, in the weights, and in the index lookups (the seeds write both)."""

from __future__ import annotations

import pytest

from bot import store
from bot.search import Searcher
from bot.search.candidates import Scope, lookups
from bot.search.config import SearchConfig
from bot.spelling import american
from bot.words import stem


@pytest.mark.parametrize(
    "british, us",
    [
        ("organisation", "organization"),
        ("organisations", "organizations"),
        ("recognised", "recognized"),
        ("analysing", "analyzing"),
        ("favourite", "favorite"),
        ("neighbourhood", "neighborhood"),
        ("labour", "labor"),
        ("centre", "center"),
        ("theatre", "theater"),
        ("fibre", "fiber"),
        ("defence", "defense"),
        ("travelled", "traveled"),
        ("cancelling", "canceling"),
        ("catalogue", "catalog"),
        ("programme", "program"),
        ("paediatric", "pediatric"),
        ("judgement", "judgment"),
        ("sceptical", "skeptical"),
    ],
)
def test_a_british_form_is_its_american_one(british: str, us: str):
    assert american(british) == us
    assert american(us) == us
    assert stem(british) == stem(us)


@pytest.mark.parametrize(
    "word",
    # words a rule would turn into another word, or into none: left as written
    ["filled", "willing", "four", "hour", "your", "prise", "fence", "hence", "timbre",
     "exercise", "promise", "surprise", "devour", "israel", "michael", "dialogue", "is",
     "daemon"],
)  # fmt: skip
def test_a_word_that_is_no_british_form_is_left_alone(word: str):
    assert american(word) == word


def test_both_spellings_weigh_the_same(searcher: Searcher):
    # the seeds write "organisation" 22 times and "organization" 6 times
    lex = searcher.lexicon
    assert set(lex.variants_of("organization")) == {"organization", "organisation"}
    assert lex.variants_of("organisation")[0] == "organisation"  # as typed first
    assert lex.variants_of("sanctions") == ("sanctions",)
    assert lex.idf("organisation") == lex.idf("organization")
    conn = store.connect_readonly(searcher.path)
    indexed = store.stem_answer_counts(conn)
    # the two index stems together: more answers than either alone
    assert lex.doc_freq[stem("organization")] > max(indexed["organis"], indexed["organ"])


def test_a_lookup_finds_the_other_spelling(searcher: Searcher):
    conn = store.connect_readonly(searcher.path)
    config = SearchConfig(probe_unranked=False)
    lex = searcher.lexicon

    def found(terms: list[str], spellings=None) -> set[int]:
        out: set[int] = set()
        for batch in lookups(conn, terms, 5, [], Scope(), config, spellings=spellings):
            out |= set(batch)
        return out

    # the seeds write each once: RT's question on the Arctic (002: "These concerns about
    # the militarization are baseless"), and 001
    us, uk = found(["militarization"]), found(["militarisation"])
    assert us and uk and us.isdisjoint(uk)  # the index keeps them apart
    assert found(["militarization"], lex.variants_of) == us | uk
    assert found(["militarisation", "arctic"], lex.variants_of) >= us


def test_a_query_in_the_other_spelling_finds_the_answer(searcher: Searcher):
    hits = searcher.search("putin on us worries about arctic militarisation")
    assert hits and "These concerns about the militarization are baseless" in hits[0].answer
    hits = searcher.search("the sco is a useful organization")
    assert hits and "The SCO is a useful organisation" in hits[0].answer


def test_explain_names_the_spellings_looked_up(searcher: Searcher):
    out = searcher.explain("the sco is a useful organization")
    assert "spellings looked up: organization/organisation" in out
    assert "spellings looked up" not in searcher.explain("the sco is a useful club")
