"""Search over the seed transcripts in a real SQLite file."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, SEEDS

from bot import store
from bot.cli import main
from bot.ingest import ingest
from bot.search import QUOTE_CHARS, Query, Searcher, split_sentences
from bot.search.candidates import ALL_SCORED, Scope, lookups
from bot.search.config import SearchConfig
from bot.search.engine import Stranger
from bot.search.excerpt import announces, best_excerpt, standalone_quote
from bot.search.occasions import Occasions
from bot.search.query import understand
from bot.spelling import american
from bot.words import stem, words


@pytest.mark.parametrize(
    "query, phrase",
    [
        ("nagorno karabah is a tragdy", "It is a tragedy, and we are extremely concerned"),
        ("i didnt get to see new yrok at all", "I didn’t get to see New York at all"),
        ("relations between russia and america are quite bad", "at a fairly low level"),
        ("return of the ambassadors to moscow and washington", "return of ambassadors"),
        ("lev tolstoi said there is no hapiness in life", "Lev Tolstoy once said"),
        ("nato established during the cold war", "NATO was established during the Cold War"),
        ("what do you think about the situation in kyrgyzstan", "parliamentary elections"),
    ],
)
def test_finds_the_answer_meant(searcher: Searcher, query: str, phrase: str):
    hits = searcher.search(query, limit=3)
    assert hits, query
    assert phrase in hits[0].answer
    assert hits[0].speaker == "Vladimir Putin"
    assert 0 <= hits[-1].score <= hits[0].score <= 100


def test_everyday_words_are_found_where_they_stand_together(tmp_path):
    """Four answers of the Go Time excerpt hold "project" and "something"; one turn says
    them within a few words, as remembered: it comes first, as the answer or as the
    question the answer responds to (a host's question is not served as an answer)."""
    db = store.open_db(tmp_path / "mixed.db")
    ingest(db, [SEEDS, FIXTURES / "markdown"], workers=1)
    both = db.execute(
        "SELECT COUNT(*) FROM answers_fts WHERE answers_fts MATCH 'project AND something'"
    )
    assert both.fetchone()[0] >= 3
    hits = Searcher(db).search("project or something on the")
    assert hits
    said = [" ".join(words(hits[0].answer)), " ".join(words(hits[0].question))]
    assert any("project or something on the" in text for text in said)


def test_a_word_being_typed_is_completed(searcher: Searcher):
    typed = searcher.search("relations with the unit", typing=True)[0]
    assert "relations between Russia and the United States" in typed.answer
    assert "Lev Tolstoy" in searcher.search("lev tolst", typing=True)[0].answer
    assert Query.parse("relations with the unit", typing=True).typing
    assert not Query.parse("relations with the unit ", typing=True).typing
    assert not Query.parse("relations with the unit").typing
    # a finished message: an unknown word that starts a known one, with no slip near
    assert searcher.correct("traffic") == "trafficking"


def test_refresh_picks_up_transcripts_ingested_meanwhile(tmp_path):
    path = tmp_path / "growing.db"
    ingest(store.open_db(path), [SEEDS], workers=1)
    searcher = Searcher(store.open_db(path))
    assert not searcher.refresh()  # nothing changed
    assert "kubernetes" not in searcher.vocab
    ingest(store.open_db(path), [FIXTURES / "markdown" / "podcast.md"], workers=1)
    assert searcher.refresh()
    assert searcher.correct("kubernetes") == "kubernetes"
    assert "Kubernetes" in searcher.search("enabled kubernets and all that cloud stuff")[0].answer
    assert not searcher.refresh()


def test_excerpt_is_the_matching_sentence_and_fits_a_bubble(searcher: Searcher):
    hit = searcher.search("i never get personel")[0]
    assert hit.quote.startswith("Firstly, I never get personal")
    assert len(hit.quote) <= QUOTE_CHARS
    assert len(hit.answer) > len(hit.quote)
    for h in searcher.search("drug trafficking afghanistan", limit=5):
        assert len(h.quote) <= QUOTE_CHARS
        assert h.quote.rstrip("…")[:40] in h.answer


def test_excerpt_is_the_sentence_holding_most_of_the_query(searcher: Searcher):
    # the characters of "the taliban are" align best with another sentence of the
    # same answer ("the Taliban are also interested in ..."); the words say which
    hit = searcher.search("did putin say the taliban are our allies")[0]
    assert "the Taliban are, of course, our allies in countering terrorism" in hit.quote
    aligned = best_excerpt("the taliban are our allies", hit.answer, QUOTE_CHARS)
    assert "our allies" not in aligned
    # a whole speech given as one answer is read only around where the words align
    speech = " ".join(["We spoke about many things today."] * 300) + " " + hit.quote
    weights = {stem(w): searcher.idf(w) for w in ("taliban", "allies")}
    assert "our allies" in best_excerpt("taliban allies", speech, QUOTE_CHARS, weights, 4000)


def test_hit_carries_question_and_source(searcher: Searcher):
    hit = searcher.search("its my birthday not a natonal holiday")[0]
    assert hit.asked_by == "Pavel Zarubin"
    assert "birthday" in hit.question
    mir = searcher.search("happiness health prosperity wish to viewers")[0]
    assert (mir.title, mir.date, mir.place) == (
        "Interview to Mir broadcasting company",
        "2017-04-12",
        "The Kremlin, Moscow",
    )
    rev = searcher.search("ambasadors will return to their duties")[0]
    assert rev.timestamp == "01:37"


def test_typo_correction_uses_the_corpus_vocabulary(searcher: Searcher):
    assert searcher.correct("afganistan") == "afghanistan"
    assert searcher.correct("negotations") == "negotiations"
    assert searcher.correct("usefull") == "useful"
    # a slip whose Porter stem happens to be in the index (acut, of acute) is still a slip
    assert searcher.correct("acutally") == "actually"
    # an unseen form of a known word, with no word one slip away, stands as typed
    assert "usefulness" not in searcher.vocab
    assert searcher.correct("usefulness") == "usefulness"
    assert searcher.correct("qwxzv") is None


def test_searches_from_many_threads_agree_with_one(searcher: Searcher):
    queries = [
        "nagorno karabah is a tragdy",
        "drug trafficking afghanistan",
        "relations between russia and america are quite bad",
        "its my birthday not a natonal holiday",
    ] * 5
    alone = [[h.id for h in searcher.search(q)] for q in queries]
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(lambda q: [h.id for h in searcher.search(q)], queries))
    assert together == alone and all(alone)


def test_stems_match_the_index(searcher: Searcher):
    """Query words weigh what the index says: short tokens ("s" of "it's") stay as they are."""
    conn = store.connect_readonly(searcher.path)
    index_terms = set(store.stem_answer_counts(conn))
    assert stem("s") == "s" and "s" in index_terms
    assert searcher.idf("s") < searcher.idf("nagorno")
    answer_words = {
        w for (text,) in conn.execute("SELECT text FROM turns WHERE is_answer") for w in words(text)
    }
    assert {stem(w) for w in answer_words if american(w) == w} <= index_terms
    # a British spelling weighs what its American stem does, both spellings counted
    assert {stem(w) for w in answer_words} <= set(searcher.doc_freq)


def test_nonsense_finds_nothing(searcher: Searcher):
    for query in (
        "how to bake a chocolate cake with buttercream frosting",
        "asdfghjkl qwertyuiop zxcvbnm",
        "🍰🍰🍰🎂🎂",
        "best recipe for banana bread muffins",
        "",
        "   ",
    ):
        assert searcher.search(query) == [], query


def test_a_query_of_function_words_asks_about_nothing(searcher: Searcher):
    for query in ("the", "what?", "why", "is it", "and then what"):
        assert searcher.search(query) == [], query


def test_a_query_mostly_of_words_the_corpus_never_saw_is_no_typo(searcher: Searcher):
    # each of these has a word or two the corpus knows or can correct to
    for query in ("lorem ipsum dolor sit amet consectetur adipiscing elit", "zzzz yyyy xxxx war"):
        assert searcher.search(query, threshold=0.0) == [], query
    # a typo or two is corrected: half the words known is enough
    assert searcher.search("nagorno karabah tragdy", threshold=0.0)
    assert searcher.search("zzzz karabakh tragedy", threshold=0.0)


def test_a_query_whose_content_words_the_corpus_lacks_asks_about_nothing(searcher: Searcher):
    # the seeds know neither name nor topic: what is left ("on", "about") is no query
    for query in ("fauci on dogecoin", "psaki on sourdough", "what about zzyzx"):
        assert searcher.search(query) == [], query
        assert searcher.search(query, threshold=0.0) == [], query


def test_a_name_alone_gets_that_persons_quotes(searcher: Searcher):
    hits = searcher.search("putin", limit=3)
    assert len(hits) == 3
    assert {h.person for h in hits} == {"Vladimir Putin"}
    assert all(160 <= len(h.answer) <= 6000 for h in hits)
    assert all("?" in h.question for h in hits)  # answers to a question first
    # one per occasion, newest first: a briefing's last answers are often goodbyes
    assert len({h.file for h in hits}) == 3
    dates = [h.date or "" for h in hits]
    assert dates == sorted(dates, reverse=True)
    assert [h.id for h in searcher.search("speaker:putin", limit=3)] == [h.id for h in hits]
    dated = searcher.search("putin in 2021", limit=5)
    assert dated and all((h.date or "").startswith("2021") for h in dated)


def test_non_answers_are_never_hits(seeded_db):
    # "Sure." and the like are in the seeds; a query made of them finds no quote
    conn = store.connect_readonly(seeded_db)
    short = [
        text
        for (text,) in conn.execute("SELECT text FROM turns WHERE is_answer")
        if len(words(text)) < SearchConfig().min_quote_words
    ]
    assert short, "the seeds hold short answers"
    searcher = Searcher(seeded_db)
    for text in short:
        assert all(len(words(h.answer)) >= 6 for h in searcher.search(text, threshold=0.0)), text


def test_exact_phrase_and_speaker_filter(searcher: Searcher):
    hits = searcher.search('"red line"', limit=5)
    assert hits and all("red line" in h.answer.lower() for h in hits)
    assert searcher.search('speaker:Putin "fairly low level"')[0].speaker == "Vladimir Putin"
    assert searcher.search('speaker:"Vladimir Putin" csto drug trafficking')
    assert searcher.search("speaker:Zarubin birthday") == []  # a journalist is never quoted
    query = Query.parse('speaker:"Vladimir Putin" "low level" relations')
    assert (query.speaker, query.phrases, query.text) == (
        "Vladimir Putin",
        ["low level"],
        "relations",
    )


@pytest.mark.parametrize(
    "query",
    [
        'tragedy" OR "x',
        "NEAR(tragedy ceasefire",
        "tragedy AND OR NOT *",
        'speaker:"',
        '"""',
        "'; DROP TABLE turns; --",
        "col:text ^tragedy {a b}",
        "🤡" * 4096,
        "x" * 4096,
        "(((((",
        "\x00\x01\u202e",
    ],
)
def test_hostile_queries_never_raise(searcher: Searcher, query: str):
    assert isinstance(searcher.search(query), list)
    assert searcher.search("nagorno karabakh")  # and the database still answers


def test_random_reads_well_alone(searcher: Searcher):
    rng = random.Random(3)
    for _ in range(20):
        hit = searcher.random(rng)
        assert hit and hit.speaker == "Vladimir Putin"
        assert len(hit.answer) >= 160 and len(hit.quote) <= QUOTE_CHARS
        assert hit.quote.rstrip("…")[:30] in hit.answer


def test_random_never_opens_with_a_deflection(tmp_path):
    """Seeds beside a White House gaggle (tests/fixtures/markdown/briefing.md): "I — I
    don’t have anything else. I’m not able to comment on it. ..." is long enough to
    post, but opens by declining to answer: no random or daily quote; her other long
    answers are, and a policy "we're not going to" is no deflection."""
    path = tmp_path / "quotes.db"
    ingest(store.open_db(path), [SEEDS, FIXTURES / "markdown" / "briefing.md"], workers=1)
    conn = store.connect_readonly(path)
    well = set(store.reads_well_ids(conn))
    heads = {
        i: text[:60]
        for i, text in conn.execute(
            f"SELECT id, text FROM turns WHERE is_answer AND {store.READS_WELL}"
        )
    }
    declined = {
        i for i, head in heads.items() if head.startswith(("I — I don’t have", "I don’t have"))
    }
    assert declined and not declined & well
    assert well == set(heads) - declined
    assert not store.DEFLECTS.match("We’re not going to send troops to Ukraine.")
    assert store.DEFLECTS.match("So, look, I’m not going to get into speculation here.")
    rng = random.Random(5)
    drawn = {Searcher(path).random(rng).id for _ in range(60)}
    assert drawn and not drawn & declined


def test_get_by_id(searcher: Searcher):
    first = searcher.search("nato established during the cold war")[0]
    again = searcher.get(first.id)
    assert again and again.answer == first.answer
    assert searcher.get(999) is None


def test_sentences():
    assert split_sentences("One. Two? “Three!” Four\n\nFive") == [
        "One.",
        "Two?",
        "“Three!”",
        "Four",
        "Five",
    ]


def test_search_cli_json_and_batch(seeded_db):
    runner = CliRunner()
    result = runner.invoke(
        main, ["search", "--db", str(seeded_db), "--json", "--limit", "2", "sco usefull"]
    )
    hits = json.loads(result.output)
    assert result.exit_code == 0 and 1 <= len(hits) <= 2
    assert set(hits[0]) == {
        "id", "speaker", "quote", "answer", "question", "asked_by", "title",
        "date", "place", "url", "file", "timestamp", "score", "person", "signals", "guess",
    }  # fmt: skip
    assert hits[0]["person"] == "Vladimir Putin"
    assert all(0 <= v <= 1 for k, v in hits[0]["signals"].items() if k not in ("relevance", "lead"))
    empty = runner.invoke(
        main, ["search", "--db", str(seeded_db), "--json", "banana bread muffins"]
    )
    assert empty.exit_code == 0 and json.loads(empty.output) == []
    batch = runner.invoke(
        main,
        ["search", "--db", str(seeded_db), "--json", "-"],
        input='nagorno karabakh tragedy\nzzzz qqqq\n"unbalanced\n',
    )
    lines = batch.output.splitlines()
    assert len(lines) == 3
    assert json.loads(lines[0])[0]["speaker"] == "Vladimir Putin"
    assert json.loads(lines[1]) == []
    text = runner.invoke(main, ["search", "--db", str(seeded_db), "muffins"])
    assert "Nothing close" in text.output
    # a guess says so in the text output as in the chat and the JSON
    asked = [
        "search",
        "--db",
        str(seeded_db),
        "--limit",
        "1",
        "putin does not make a fuss about his birthday",
    ]
    guessed = json.loads(runner.invoke(main, [*asked[:-1], "--json", asked[-1]]).output)
    assert guessed and guessed[0]["guess"]
    assert runner.invoke(main, asked).output.startswith("Not sure this is what you mean")
    # a note is said once above the hits it is true of, not again above each
    dated = [*asked[:3], "--limit", "3", "putin on nato in 1999"]
    several = runner.invoke(main, dated).output
    assert several.count("\n  — Vladimir Putin") == 3
    assert several.count("Nothing from the dates you asked about") == 1
    sure = runner.invoke(main, ["search", "--db", str(seeded_db), "--limit", "1", "sco usefull"])
    assert sure.output.startswith("“")
    rnd = runner.invoke(main, ["random", "--db", str(seeded_db), "--json"])
    assert json.loads(rnd.output)["speaker"] == "Vladimir Putin"


def test_narrow_lookups_come_back_whole_and_unranked_wide_ones_by_bm25(seeded_db):
    config = SearchConfig(pool=5, first_lookup=8)
    conn = store.connect_readonly(seeded_db)
    # "karabakh" is in a few answers of seed 000: all of them, none ranked
    narrow = next(lookups(conn, ["karabakh"], 3, [], Scope(), config))
    held = store.match_answers(conn, '"karabakh"', 100)
    assert 0 < len(held) <= config.pool
    assert set(narrow) == {rowid for rowid, _ in held}
    assert set(narrow.values()) == {ALL_SCORED}
    # "russia" is in many more: the best few by the index's bm25, in its order
    wide = next(lookups(conn, ["russia"], 3, [], Scope(), config))
    best = store.match_answers(conn, '"russia"', config.first_lookup)
    assert len(wide) == config.first_lookup
    assert wide == dict(best)


def test_a_function_word_the_answer_lacks_does_not_hide_it(seeded_db):
    """Seed 002: "Sadly, drug trafficking is increasing, ..." has no "from". The words
    standing together with every function word left out find it, where each lookup
    holding "from" (one word at a time is left out, the rarest first) does not."""
    conn = store.connect_readonly(seeded_db)
    (target,) = conn.execute(
        "SELECT id FROM turns WHERE text LIKE 'Yes, this is so. Sadly, drug trafficking%'"
    ).fetchone()
    terms = ["afghanistan", "trafficking", "drug", "increasing", "from"]
    # near each other with one of the rarest left out in turn (all of them together
    # find nothing); anywhere in the answer, all of them; the same left out; an OR
    stages = [set(found) for found in lookups(conn, terms, 8, [], Scope(), SearchConfig())]
    assert target not in stages[1]  # "afghanistan" is far from the rest
    assert target in stages[2]  # all of them but "from", anywhere in the answer
    for left_out in terms[:-1]:
        rest = " AND ".join(f'"{t}"' for t in terms if t != left_out)
        assert target not in {rowid for rowid, _ in store.match_answers(conn, rest, 100)}


def test_a_passage_published_twice_is_one_hit(tmp_path):
    # the same transcript saved twice (here: a copy with a line more) holds every
    # passage twice; the hits show each once
    original = SEEDS / next(p.name for p in SEEDS.iterdir() if p.name.startswith("004"))
    copy = tmp_path / "copy" / "republished.txt"
    copy.parent.mkdir()
    copy.write_text(original.read_text(encoding="utf-8") + "\n\n", encoding="utf-8")
    db_path = tmp_path / "twice.db"
    ingest(store.open_db(db_path), [original, copy], workers=1)
    query = "the simplest but most essential things happiness health and prosperity"
    hits = Searcher(db_path).search(query, limit=3, threshold=0.0)
    held = [h for h in hits if "happiness, health, and prosperity" in h.quote]
    assert len(held) == 1
    every = Searcher(db_path, replace(SearchConfig(), same_passage=1.01))
    twice = every.search(query, limit=3, threshold=0.0)
    assert len([h for h in twice if "happiness, health, and prosperity" in h.quote]) == 2


def test_a_copy_of_the_first_hit_is_no_rival(tmp_path):
    """The first hit's lead (how clearly it wins, which its confidence counts) is over
    the best candidate that is not the same passage published again: with every
    answer held twice, the exact tie with its copy would make every hit a guess."""
    original = SEEDS / next(p.name for p in SEEDS.iterdir() if p.name.startswith("004"))
    copy = tmp_path / "copy" / "republished.txt"
    copy.parent.mkdir()
    copy.write_text(original.read_text(encoding="utf-8") + "\n\n", encoding="utf-8")
    once, twice = tmp_path / "once.db", tmp_path / "twice.db"
    ingest(store.open_db(once), [original], workers=1)
    ingest(store.open_db(twice), [original, copy], workers=1)
    query = "the simplest but most essential things happiness health and prosperity"
    alone = Searcher(once).search(query, limit=1)[0]
    first = Searcher(twice).search(query, limit=1)[0]
    assert first.quote == alone.quote
    assert first.signals["lead"] > 0.5 * alone.signals["lead"] > 0


def test_explain_prints_the_understanding_and_each_signal(seeded_db):
    runner = CliRunner()
    asked = ["search", "--db", str(seeded_db), "--explain", "--limit", "2"]
    out = runner.invoke(main, [*asked, "what did putin say about the sco"]).output
    assert "person: Vladimir Putin (framed: only their words)" in out
    assert "topic words: the sco" in out
    assert "#1 " in out and "answerable" in out and "(shown)" in out
    weight = SearchConfig().weight("coverage")
    assert f"x {weight:7.3f} =" in out  # each signal with its weight and product
    mash = runner.invoke(main, [*asked, "lorem ipsum dolor sit amet consectetur"]).output
    assert "0 of 6 words known or corrected" in mash and "no candidates" in mash


def test_explain_ranks_as_the_search_shown(searcher: Searcher):
    """--explain lists hidden candidates too, but looks at the rounds the search looks
    at: a search that stops at a likely answer is explained by that answer, not by one
    a further round would find."""
    for query in ("what did putin say about the sco", "nato", "the taliban are our allies"):
        shown = searcher.search(query, limit=1)
        listed = searcher.search(query, limit=5, threshold=0.0, as_shown=True)
        assert shown and listed[0].id == shown[0].id, query
        deeper = searcher.search(query, limit=50, threshold=0.0)
        assert len(deeper) >= len(searcher.search(query, limit=50, threshold=0.0, as_shown=True))


def _seeds_and_briefing(folder, people_file) -> Searcher:
    path = folder / "quotes.db"
    paths = [SEEDS, FIXTURES / "markdown" / "briefing.md"]
    ingest(store.open_db(path), paths, workers=1, people_file=people_file)
    return Searcher(path)


def test_a_query_naming_nobody_means_the_subject_first(tmp_path):
    """Seeds (Putin) beside a White House gaggle: with the people file's subject, a
    query naming nobody counts the subject's answers as by the person meant (their
    ``person`` signal), without ruling out the others; a query naming Jean-Pierre
    means her, subject or not."""
    people_file = FIXTURES.parent.parent / "data" / "people.toml"
    plain = tmp_path / "people.toml"
    text = people_file.read_text(encoding="utf-8")
    assert 'subject = "Vladimir Putin"' in text
    plain.write_text(text.replace('subject = "Vladimir Putin"', ""), encoding="utf-8")
    (tmp_path / "with").mkdir()
    (tmp_path / "without").mkdir()
    subject = _seeds_and_briefing(tmp_path / "with", people_file)
    everyone = _seeds_and_briefing(tmp_path / "without", plain)
    hits = subject.search("campaign", 5, threshold=0.0)
    assert {h.person for h in hits} == {"Vladimir Putin", "Karine Jean-Pierre"}
    for hit in hits:
        assert hit.signals["subject"] == (hit.person == "Vladimir Putin")
        assert hit.signals["person"] == hit.signals["other_person"] == 0.0
    assert all(h.signals["subject"] == 0.0 for h in everyone.search("campaign", 5, threshold=0.0))
    assert subject.search("offshore wind", 1)[0].person == "Karine Jean-Pierre"  # his hold none
    named = subject.search("jean-pierre on the campaign", 3, threshold=0.0)
    assert named[0].person == "Karine Jean-Pierre"
    assert all(h.signals["other_person"] == 1.0 for h in named if h.person == "Vladimir Putin")
    assert "naming nobody: the subject's, Vladimir Putin's, answers" in subject.explain("campaign")
    assert "naming nobody" not in everyone.explain("campaign")


def _lookup_scopes(monkeypatch) -> list[int | None]:
    """The person each full-text lookup from now on is kept to (None: everyone's), in
    order, recorded as the lookups run."""
    from bot.search import candidates

    scopes: list[int | None] = []
    real = candidates.store.match_answers

    def recorded(*args, **kwargs):
        scopes.append(next(iter(kwargs.get("people", ())), None))
        return real(*args, **kwargs)

    monkeypatch.setattr(candidates.store, "match_answers", recorded)
    return scopes


def test_a_query_naming_nobody_looks_up_the_subject_s_answers_after_everyone_s(
    tmp_path, monkeypatch
):
    """Where everyone's answers hold no likely one, the subject's are looked up too (a
    round of their own: among everyone's they may be too few to be reached); not for
    a query naming someone, nor once a likely answer is found."""
    searcher = _seeds_and_briefing(tmp_path, FIXTURES.parent.parent / "data" / "people.toml")
    putin = searcher._know.subject
    assert putin is not None
    scopes = _lookup_scopes(monkeypatch)
    searcher.search("economy and jobs report")
    assert scopes[0] is None and putin in scopes
    assert all(p == putin for p in scopes[scopes.index(putin) :])  # after everyone's
    scopes.clear()
    searcher.search("jean-pierre on the economy and jobs report")
    assert scopes and putin not in scopes
    scopes.clear()
    line = "in this sense, the Taliban are, of course, our allies in countering terrorism"
    assert searcher.search(line)[0].person == "Vladimir Putin"  # sure: no second round
    assert putin not in scopes
    # nor when every candidate is asked for (a verification): the round is for recall
    scopes.clear()
    line = "the president will announce a 7.3 billion investment from the inflation reduction act"
    assert searcher.search(line, 20, threshold=0.0)[0].person == "Karine Jean-Pierre"
    assert scopes and putin not in scopes


def test_a_one_word_topic_naming_nobody_looks_up_the_subject_s_answers_first(tmp_path, monkeypatch):
    """A query of one word that carries meaning is a topic, no line to match: the
    subject's answers are looked up first, in full, and everyone's only when those hold
    no likely one ("offshore": his hold none)."""
    searcher = _seeds_and_briefing(tmp_path, FIXTURES.parent.parent / "data" / "people.toml")
    putin = searcher._know.subject
    scopes = _lookup_scopes(monkeypatch)
    hits = searcher.search("inflation")
    assert scopes[0] == putin and None not in scopes  # his held a likely one
    assert hits and hits[0].person == "Vladimir Putin"
    scopes.clear()
    hits = searcher.search("offshore")
    assert scopes[0] == putin and None in scopes
    assert hits and hits[0].person == "Karine Jean-Pierre"
    scopes.clear()
    searcher.search("inflation reduction act")  # more words: everyone's first
    assert scopes[0] is None


def test_a_label_as_the_briefings_misspell_it_names_its_person(tmp_path):
    """The briefing of 2022-05-18 labels one turn "MS. JEAN-PIERE": the label's surname
    of two words names her as written ("jean piere gun violence"), her first name before
    it too, though the people file spells her name right."""
    path = tmp_path / "quotes.db"
    briefing = FIXTURES / "markdown" / "briefing_misspelt_label.md"
    ingest(store.open_db(path), [SEEDS, briefing], workers=1)
    searcher = Searcher(path)
    for raw in ("jean piere gun violence", "karine jean piere on gun violence"):
        understood = understand(Query.parse(raw), searcher.people)
        assert searcher.people.people[understood.person].name == "Karine Jean-Pierre"
        assert understood.topic[-2:] == ["gun", "violence"]
    hits = searcher.search("jean piere gun violence")
    assert hits and hits[0].person == "Karine Jean-Pierre"
    assert "gun violence" in hits[0].quote


def test_a_name_and_a_date_alone_ask_for_their_words_of_then(searcher):
    """A month's words stay among the topic words ("fauci on omicron in december 2021"),
    but with a name alone they are only when: Putin's answers of June 2021 (Geneva)."""
    for raw in ("putin june 2021", "what did putin say in june 2021"):
        hits = searcher.search(raw)
        assert hits and all(h.date == "2021-06-16" for h in hits), raw
    assert searcher.search("the in june 2021") == []  # nobody named: about nothing


def test_in_a_small_corpus_the_main_voice_s_first_name_names_him(searcher):
    """The five seeds are Putin's 76 answers, too few for the bar of 100 but half the
    corpus and more: "vladimir" is he."""
    understood = understand(Query.parse("what did vladimir say about the arctic"), searcher.people)
    assert searcher.people.people[understood.person].name == "Vladimir Putin"
    assert understood.framed and understood.topic == ["the", "arctic"]
    assert searcher.search("vladimir on the arctic")[0].person == "Vladimir Putin"


def test_a_well_known_first_name_names_its_only_bearer(tmp_path, monkeypatch):
    """Jean-Pierre answers 30 times in the gaggle: with the bar at 10 answers,
    "karine" alone names her in a framed query, and no first name names two people."""
    from bot.search import engine

    monkeypatch.setattr(engine, "FIRST_NAME_ANSWERS", 10)
    searcher = _seeds_and_briefing(tmp_path, FIXTURES.parent.parent / "data" / "people.toml")
    understood = understand(Query.parse("karine on the campaign"), searcher.people)
    assert searcher.people.people[understood.person].name == "Karine Jean-Pierre"
    assert understood.framed and understood.topic == ["the", "campaign"]
    firsts = [k for p in searcher.people.people.values() for k in p.framed_keys]
    assert ("karine",) in firsts and len(firsts) == len(set(firsts))


def test_a_first_name_names_the_bearer_giving_nearly_all_its_answers(tmp_path, monkeypatch):
    """A guest who shares the first name with a few answers does not hide the well-known
    voice ("kris" is Kris Brandow beside Kris Nova); two voices of the name both heard
    leave it naming nobody."""
    from bot.search import engine

    monkeypatch.setattr(engine, "FIRST_NAME_ANSWERS", 10)
    searcher = _seeds_and_briefing(tmp_path, FIXTURES.parent.parent / "data" / "people.toml")
    karine = next(p for p in searcher.people.people.values() if p.name == "Karine Jean-Pierre")
    conn = searcher._conn()

    def named(guest_answers: int) -> bool:
        guest = replace(karine, id=-1, name="Karine Guest", answers=guest_answers)
        people = engine._with_first_names(conn, [replace(karine, framed_keys=()), guest])
        return ("karine",) in people[0].framed_keys

    assert named(1) and named(karine.answers // 10)
    assert not named(karine.answers // 2)


def test_a_name_is_a_name_when_most_texts_write_it_so(monkeypatch):
    """Texts vote, not mentions: a podcast about search engines writes "johnny" in lower
    case as a term to look up, again and again (Go Time 104, changelog_podcast corpus)."""
    from bot.search import engine

    about_search = (
        'If you say find all the documents that use the term "johnny", what I\'m gonna do'
        " is I'm gonna start by going to that term dictionary, find johnny. You search for"
        ' "johnny", and if the word johnny occurred five times in the document, that\'s'
        " gonna be more relevant."
    )
    greetings = [  # from the same corpus
        "Thank you, Johnny. Thank you for having me.",
        "Oh, that's a good one. Johnny, what do you think?",
        "I have Carmen and Johnny both with us again. Carmen, do you wanna say hi first?",
        "Debug yourself... Oh, that could be another hashtag, Johnny.",
    ]
    monkeypatch.setattr(
        engine.store, "texts_with", lambda conn, word, n: [*greetings, about_search]
    )
    assert engine._is_a_name(None, "johnny")
    monkeypatch.setattr(
        engine.store, "texts_with", lambda conn, word, n: [about_search, greetings[0]]
    )
    assert not engine._is_a_name(None, "johnny")


def test_a_first_name_needs_fewer_capitalised_texts_than_a_surname(monkeypatch):
    """Go Time writes its host "Mat" in most texts, and "mat" (a floor mat, a typo) in
    some: 7 of 10 capitalised is too few for a surname alone, enough for the first name
    of the well-known voice giving nearly all its answers."""
    from bot.search import engine

    texts = ["Mat, what do you think?"] * 7 + ["put it on the mat by the door"] * 3
    monkeypatch.setattr(engine.store, "texts_with", lambda conn, word, n: texts)
    assert not engine._is_a_name(None, "mat")
    assert engine._is_a_name(None, "mat", engine.FIRST_NAME_CAPITALISED)
    mat = engine.Person(1, "Mat Ryer", 500, (("mat", "ryer"), ("ryer",)))
    named = engine._with_first_names(None, [mat], answers=1000)
    assert named[0].framed_keys == (("mat",),)


def test_a_surname_of_two_words_names_the_person(tmp_path):
    """ "Karine Jean-Pierre" is "jean-pierre" in a query: framing found, no "jean" left
    among the topic words."""
    searcher = _seeds_and_briefing(tmp_path, FIXTURES.parent.parent / "data" / "people.toml")
    understood = understand(Query.parse("jean-pierre on the campaign"), searcher.people)
    assert searcher.people.people[understood.person].name == "Karine Jean-Pierre"
    assert understood.framed and understood.topic == ["the", "campaign"]


def test_an_excerpt_of_a_long_answer_opens_on_a_whole_sentence(seeded_db):
    """Of an answer longer than the stretch read (a whole speech), the stretch's first
    and last sentences may be cut off by it: the quote never opens on one (an
    excerpt once began "horization was also a critical ..."). Seed answers of over
    2,500 characters, read in stretches of 500 to 1,200, three of their words asked."""
    import sqlite3

    from bot.words import sentence_spans

    with sqlite3.connect(seeded_db) as conn:
        long = [t for (t,) in conn.execute("SELECT text FROM turns WHERE length(text) > 2500")]
    assert len(long) >= 5
    rng = random.Random(5)
    for text in long:
        starts = {a for a, _ in sentence_spans(text)}
        vocab = sorted(w for w in set(words(text)) if len(w) > 5)
        for _ in range(40):
            asked = rng.sample(vocab, 3)
            weights = {stem(w): 1.0 for w in asked}
            scan = rng.choice([500, 800, 1200])
            quote = best_excerpt(" ".join(asked), text, 400, weights, scan)
            assert quote.startswith("…") or text.find(quote) in starts, quote[:60]


def test_an_excerpt_that_says_nothing_alone_takes_in_its_neighbours(seeded_db):
    """Seed 004 ends an answer "Thank you. All the best.": the sentence holding "best"
    is three words, so the sentence before it comes too."""
    import sqlite3

    with sqlite3.connect(seeded_db) as conn:
        (answer,) = conn.execute(
            "SELECT text FROM turns WHERE is_answer AND text LIKE '%Thank you. All the best.'"
        ).fetchone()
    weights = {stem("best"): 1.0}
    quote = best_excerpt("best", answer, 400, weights)
    assert quote.endswith("All the best.") and len(words(quote)) >= 6


# The opening of Putin's answer at the St Petersburg International Economic Forum
# plenary meeting, 2 June 2017 (en.kremlin.ru/events/president/news/54667, CC BY 4.0).
FORUM_NATO = (
    "Disputes over NATO? Do they help Russia?\n\nWell, in the sense that NATO may fall "
    "apart, yes, this may help. However, for the time being, there are no signs of it "
    "falling apart. You know, I wondered on many occasions and even asked this question "
    "publicly. NATO was created as a Cold War instrument to oppose the Soviet Union and "
    "what was known as the Warsaw Pact. Now there is neither the Warsaw Pact, nor the "
    "Soviet Union, but NATO is still there."
)


def test_an_excerpt_never_ends_before_the_sentence_that_qualifies_it():
    """ "NATO may fall apart, yes, this may help." alone says what Putin did not: the
    next sentence opens "However" and takes it back; it comes too."""
    quote = best_excerpt("nato", FORUM_NATO, 200, {stem("nato"): 1.0})
    assert "this may help. However, for the time being, there are no signs" in quote
    # where the limit does not allow it, the quote stays within the limit
    assert len(best_excerpt("nato", FORUM_NATO, 110, {stem("nato"): 1.0})) <= 110


# The opening of Putin's answer to journalists after the Direct Line, 14 April 2016
# (en.kremlin.ru/events/president/news/51718, CC BY 4.0).
KURDS = (
    "The role of the Kurds? What can I say? I will just say it as it is. How do I see "
    "it? The Kurds are very courageous people, if not heroic. I know what I am saying. "
    "The Kurds fight selflessly, without sparing themselves, and very effectively."
)


def test_an_excerpt_is_the_speakers_words_not_the_question_repeated_or_an_announcement():
    """The question repeated ("The role of the Kurds?") holds "kurds" as much as the
    answer does; it and "What can I say? I will just say it as it is." were the quote.
    The speaker's own words about the Kurds come first."""
    quote = best_excerpt("kurds", KURDS * 3, 200, {stem("kurds"): 1.0})
    assert quote == "The Kurds are very courageous people, if not heroic."


# John Kirby at the White House press briefing of 3 January 2024 (public domain).
KIRBY_HOUTHIS = (
    "And we said from very, very early on, when the President ordered additional "
    "military capability, that we don’t want to see any actor — state or non-state — "
    "widen or deepen and escalate this conflict. And what the Houthis are doing could "
    "have that effect.\n\nAnd this goes to Jacqui’s question: “Are we in a conflict with "
    "the Houthis?” We’re not in a conflict in the Houthis right now. We’re not seeking a "
    "conflict with the Houthis."
)


def test_an_excerpt_stands_alone_before_one_going_on_from_the_sentence_before():
    """Of the sentences naming the Houthis, "And what the Houthis are doing could have
    that effect." was the quote for "kirby on the houthis"; one that stands alone is."""
    quote = best_excerpt("the houthis", KIRBY_HOUTHIS, 150, {stem("houthis"): 1.0})
    assert quote == "We’re not in a conflict in the Houthis right now."


def test_an_excerpt_never_ends_on_an_announcement():
    """A quote of questions and announcements says nothing: it takes in what they
    announce, and one ending "... I will just say it as it is." goes on."""
    answer = KURDS.replace("The Kurds are very", "They are very") * 2
    quote = best_excerpt("role of the kurds", answer, 200, {stem("role"): 1.0, stem("kurds"): 1.0})
    assert quote.startswith("The role of the Kurds?")
    assert quote.endswith("They are very courageous people, if not heroic.")
    for said in (
        "I can say that our relations are good.",
        "I must say, it was useful.",
        "As for the moratorium, we can discuss it too.",
    ):
        assert not announces(said)  # what follows "I can say" is said, not announced
    for announced in (
        "Let me explain.",
        "Here is what I think:",
        "So, I will say this.",
        # a topic named and no more: what follows is about it
        "As for the dismantling of the Berlin Wall and the collapse of the Soviet Union.",
    ):
        assert announces(announced)


# Putin at his annual news conference, 20 December 2018 (en.kremlin.ru, CC BY 4.0).
THRESHOLD = (
    "There is a danger of lowering the threshold for the use of nuclear weapons. Such "
    "ideas are coming from Western analysts who say it is okay to use such weapons. "
    "However, lowering the threshold can lead to a global nuclear disaster. This is one "
    "danger we are facing today."
)


def test_an_excerpt_never_begins_with_a_sentence_taking_back_the_one_before():
    """ "However, lowering the threshold can lead to a global nuclear disaster." answers
    the sentence before it: it comes too, where the limit allows."""
    weights = {stem("global"): 1.0, stem("nuclear"): 1.0, stem("disaster"): 2.0}
    quote = best_excerpt("global nuclear disaster", THRESHOLD, 200, weights)
    assert quote.startswith("Such ideas are coming from Western analysts")
    assert best_excerpt("global nuclear disaster", THRESHOLD, 90, weights).startswith("However")


def test_an_excerpt_never_begins_with_a_sentence_pointing_back(seeded_db):
    """Seed 001: "This is a signal for the rest of the world on how we feel about the
    militarisation of outer space." says what "this" is only with the sentence before
    it (the SCO members stand against weapons in outer space): it comes too, where the
    limit allows."""
    import sqlite3

    with sqlite3.connect(seeded_db) as conn:
        (answer,) = conn.execute(
            "SELECT text FROM turns WHERE is_answer AND text LIKE '%This is a signal for the rest%'"
        ).fetchone()
    weights = {stem("militarisation"): 3.0, stem("outer"): 1.0, stem("space"): 1.0}
    quote = best_excerpt("militarisation of outer space", answer, 400, weights)
    assert quote.startswith("For example, all the member countries")
    assert quote.endswith("militarisation of outer space.")
    alone = best_excerpt("militarisation of outer space", answer, 120, weights)
    assert alone.startswith("This is a signal") and len(alone) <= 120


def test_a_slip_means_the_commoner_word_whichever_slip_it_is():
    # "putn" is "punt" with two letters swapped and "putin" with one dropped; over the
    # corpora "Putin" is far the commoner (counts as there, rounded)
    from bot.search.lexicon import Lexicon

    vocab = {"putin": 18000, "punt": 10, "personal": 900, "personnel": 700}
    spellings: dict = {}
    for word in sorted(vocab, key=lambda w: -vocab[w]):
        spellings.setdefault((word[0], len(word)), []).append(word)
    lexicon = Lexicon(vocab, {}, 1, spellings, sorted(vocab), ())
    assert lexicon.correct("putn") == "putin"
    assert lexicon.correct("personel") == "personal"


def test_an_exact_phrase_no_answer_holds_is_named_in_the_reply(seeded_db):
    # the seeds say "the Taliban are, of course, our allies": not these exact words
    asked = ["search", "--db", str(seeded_db), '"the taliban are our allies"']
    out = CliRunner().invoke(main, asked).output
    assert "No answer holds these exact words in this order: “the taliban are our allies”" in out
    found = CliRunner().invoke(main, [*asked[:3], "the taliban are our allies"]).output
    assert "Taliban" in found


def test_a_query_the_corpus_knows_too_little_of_gets_an_empty_reply(searcher: Searcher):
    """Over the seeds "greta" is a slip of "great" and "thunberg" is unknown: a third
    of the query's meaning is known, and "This is a great advantage for our
    country" was once the answer, at 81."""
    assert searcher.search("putin on greta thunberg") == []
    assert "known share 0.35, under 0.40 is no query" in searcher.explain("greta thunberg")
    assert searcher.search("a great advantage for our country")  # the known word in a query


def test_results_do_not_change_with_the_process(seeded_db):
    """Set order changes from one process to the next (string hashing), and so does the
    last bit of a float summed over a set: ties between excerpts must not. Two
    processes give the same hits and quotes (a query whose excerpt once flipped)."""
    query = "i dont remeber the atmosphere in 2013"
    outputs = set()
    for seed in ("0", "1"):
        out = subprocess.run(
            [sys.executable, "-m", "bot", "search", "--db", str(seeded_db), "--json", query],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        outputs.add(json.dumps([(h["id"], h["quote"]) for h in json.loads(out)]))
    assert len(outputs) == 1


def test_an_occasion_named_prefers_the_answers_given_there(searcher: Searcher):
    """A user remembers the event, not the words: "putin in astana on afghanistan" asks
    for the answers of the press conference held in Astana, which need not say
    "Astana"; without the occasion another transcript's answer comes first."""
    plain = searcher.search("putin on afghanistan", limit=1)[0]
    there = searcher.search("putin in astana on afghanistan", limit=1)[0]
    assert plain.place != "Astana"
    assert there.place == "Astana"
    assert "astana" not in words(there.answer)
    assert there.signals["occasion"] > 0
    assert "occasion" not in plain.signals or plain.signals["occasion"] == 0
    # the title names an occasion as the place does: the Geneva press conference
    geneva = searcher.search("putin in geneva on nato", limit=1)[0]
    assert "Geneva" in geneva.title
    assert "Geneva" not in searcher.search("putin on nato", limit=1)[0].title


def test_occasions_are_words_titles_name_more_than_answers_speak_of(seeded_db):
    conn = store.connect_readonly(seeded_db)
    sources = {row["id"]: row for row in store.list_sources(conn)}
    searcher = Searcher(seeded_db)
    occasions = Occasions.build(
        ((i, f"{r['title'] or ''} {r['place'] or ''}") for i, r in sources.items()),
        searcher.doc_freq,
        searcher.answers,
        SearchConfig(),
    )
    (geneva,) = occasions.sources_of["geneva"]
    assert "Geneva" in sources[geneva]["title"]
    # "Relations Between Russia And The United States ...": answers say "russia" and
    # "relations" far more often than one title of five
    assert "russia" not in occasions.sources_of
    assert "relations" not in occasions.sources_of
    assert occasions.named(["nato", "geneva"]) == (["geneva"], (geneva,))
    assert occasions.context(geneva, frozenset({"geneva", "nato"})) == {"geneva"}
    # a word in more than the configured share of sources tells none apart
    crowded = Occasions.build(
        [(1, "Press Briefing Geneva"), (2, "Press Briefing Astana"), (3, "Press Gaggle")],
        {},
        100,
        SearchConfig(occasion_sources=0.5),
    )
    assert "geneva" in crowded.sources_of
    assert "briefing" not in crowded.sources_of
    assert "press" not in crowded.sources_of


def test_a_lookup_may_keep_some_sources_answers(seeded_db):
    conn = store.connect_readonly(seeded_db)
    every = dict(store.match_answers(conn, '"russia"', 1000))
    one = next(iter(every)) // store.TURN_ID_BASE
    kept = next(lookups(conn, ["russia"], 3, [], Scope(sources=(one,)), SearchConfig()))
    assert kept
    assert {i // store.TURN_ID_BASE for i in kept} == {one}
    assert len(kept) < len(every)


def test_two_title_words_side_by_side_name_an_occasion_answers_rarely_say(seeded_db):
    """ "direct line" names the phone-ins though each word is everyday; "united states"
    is in a title too, but answers say it far more often (counted in the index)."""
    conn = store.connect_readonly(seeded_db)
    searcher = Searcher(seeded_db)
    titles = [
        (1, "Direct Line with Vladimir Putin"),
        (2, "Answers to questions on the United States"),
        *((i, f"Meeting with the Government number {i}") for i in range(3, 11)),
    ]
    occasions = Occasions.build(titles, searcher.doc_freq, searcher.answers, SearchConfig())

    def count(pair: tuple[str, str], cap: int) -> int:
        return store.count_answers(conn, f'"{" ".join(pair)}"', cap)

    assert ("direct", "line") in occasions.pairs_of
    assert "direct" not in occasions.sources_of  # alone, an everyday word
    assert occasions.named(["direct", "line", "pensions"], count) == (
        ["direct", "line"],
        (1,),
    )
    assert count(("united", "states"), 100) > 5
    assert occasions.named(["the", "united", "states", "sanctions"], count) == ([], ())
    assert occasions.context(1, frozenset({"direct", "line", "pension"})) == {"direct", "line"}


def test_a_name_asked_about_who_answers_nowhere_is_a_stranger(searcher: Searcher):
    """The seeds write Obama and Biden as names, and neither answers there: "obama on
    syria" asks for words the corpus does not have (what it shows is Putin's)."""
    assert searcher.stranger("obama on syria") == Stranger("Obama", "obama syria")
    biden = searcher.stranger("what did biden say about human rights")
    assert biden == Stranger("Biden", "biden human rights")  # the framing left out
    assert searcher.stranger("putin on nato") is None  # he answers
    assert searcher.stranger("sanctions on russia") is None  # an everyday word
    assert searcher.stranger("obama syria") is None  # not asked for anyone's words
    assert searcher.stranger("speaker:obama syria") is None  # speaker: says it itself
    assert searcher.search("obama on syria", limit=1)[0].who == "Vladimir Putin"


def test_search_command_says_when_the_one_asked_about_answers_nowhere(seeded_db):
    asked = ["search", "--db", str(seeded_db), "--limit", "1"]
    out = CliRunner().invoke(main, [*asked, "obama on syria"]).output
    assert out.startswith("No one called “Obama” answers in these transcripts.")
    assert "Vladimir Putin" in out
    nothing = CliRunner().invoke(main, [*asked, "obama on quantum chromodynamics"]).output
    assert "No one called “Obama” answers" in nothing
    as_json = CliRunner().invoke(main, [*asked, "--json", "obama on syria"]).output
    assert json.loads(as_json)[0]["speaker"] == "Vladimir Putin"  # the contract as it was


# Vladimir Putin on Victory Day, 9 May 2017 (en.kremlin.ru/events/president/news/54467),
# and at the Direct Line of 15 June 2017 (news/54790), both CC BY 4.0; the questions
# are the Direct Line's.
DAUGHTERS = """Direct Line with Vladimir Putin

Kirill Kleimenov: Mr President, a question about Victory Day.

Vladimir Putin: Today, we bow our heads to cherish the memory of those who did not come back from the war, in memory of the sons, daughters, fathers, mothers, grandfathers and great-grandfathers, husbands, wives, sisters, fellow soldiers, family members and friends. A Russian soldier is ready today as ever for any sacrifice for his Motherland, for his people, showing courage and heroism.

Kirill Kleimenov: We have a caller on the line.

Vladimir Putin: Ms Kalinina, please stay on the line. Which region are you in?

Kirill Kleimenov: Do you see your grandchildren?

Vladimir Putin: You know, my children, my daughters, despite all the rumours, live here in Russia, in Moscow. I have grandchildren and they live a normal life too. My daughters are involved in science and education and they stay out of the public eye, out of politics and live normal, everyday lives.
"""


def test_his_opening_the_topic_stands_for_the_one_named(tmp_path):
    """ "putin about his daughters" found the Victory Day speech, which holds "his" and
    "daughters"; he speaks of "my daughters"."""
    (tmp_path / "direct_line.txt").write_text(DAUGHTERS, encoding="utf-8")
    db = tmp_path / "quotes.db"
    ingest(store.open_db(db), [tmp_path / "direct_line.txt"], workers=1)
    hits = Searcher(db).search("putin about his daughters", limit=2, threshold=0)
    assert hits and hits[0].answer.startswith("You know, my children, my daughters")


def test_a_quote_of_an_answers_opening_begins_after_its_greeting():
    """/random putin gave "Good afternoon colleagues and friends. As you know, ..."
    (Meeting with teachers and students from the Baltic Federal University, 1 April
    2013, en.kremlin.ru/events/president/news/17780, CC BY 4.0)."""

    opening = (
        "Good afternoon colleagues and friends. As you know, raising the quality of "
        "education was an issue that got a lot of attention first during last year’s "
        "election campaign."
    )
    assert standalone_quote(opening).startswith("As you know, raising the quality")
    # an address that says something is the quote; a greeting alone stays one
    said = "Friends are important to us. We value them."
    assert standalone_quote(said) == said
    assert standalone_quote("Thank you very much.") == "Thank you very much."


def test_a_quote_leaves_out_the_thanks_before_it_and_the_floor_given_after_it():
    """Putin's whole reply on smartphones (Meeting of the Council for Science and
    Education, 8 February 2018, en.kremlin.ru, CC BY 4.0) opened with thanks and closed
    giving the floor; Donald Trump's on Modi (joint press conference, 13 February 2025,
    whitehouse.gov) closed "Yeah, go ahead. Please go ahead. Go ahead." The quote is
    the words between."""
    from bot.search.excerpt import without_courtesies

    smartphone = (
        "Thank you very much.\n\nMr Kovalchuk, you said that everyone has a smartphone, "
        "except me. You don’t have one either. See? But yes, everybody has one.\n\n"
        "Mr Sergeyev, please."
    )
    quote = without_courtesies(smartphone)
    assert quote.startswith("Mr Kovalchuk, you said") and quote.endswith("everybody has one.")
    assert best_excerpt("does putin have a smartphone", smartphone, 400) == quote
    modi = (
        "Oh, he’s a much tougher negotiator than me. There’s not even a contest. Okay?"
        "\n\nYeah, go ahead. Please go ahead. Go ahead."
    )
    assert without_courtesies(modi).endswith("not even a contest. Okay?")
    # nothing but courtesies, or no courtesy at all: as it is
    assert without_courtesies("Thank you. Go ahead.") == "Thank you. Go ahead."
    said = "Please note the figures: we built 40 plants."
    assert without_courtesies(said) == said


# The opening sentence of Jen Psaki's answer on inflation, press gaggle of 30 November
# 2021 (bidenwhitehouse.archives.gov, a work of the US government), and what follows.
PSAKI_TRANSITORY = (
    "Well, no matter how you want to label it or view it, our view is that — and the "
    "view of the Federal Reserve, private sector forecasters, and the markets — has been "
    "and remains that inflation will ease over time — whatever you want to call it — and "
    "that our supply chain issues and higher prices are rooted in the pandemic, which "
    "will subside as we get it under control — which is, of course, our number one "
    "priority, is getting the pandemic under control.\n\nWe certainly know how "
    "frustrating these price increases are."
)


def test_a_sentence_longer_than_the_quote_is_cut_at_a_word_and_marked():
    """One sentence longer than the quote is cut around the match: at a word, with an
    ellipsis (a new user was shown "... our number one priority, is gett")."""
    for limit in (120, 200, 400):
        quote = best_excerpt(
            "inflation transitory", PSAKI_TRANSITORY, limit, {stem("inflation"): 1.0}
        )
        assert len(quote) <= limit
        assert "inflation" in quote
        assert quote.endswith("…"), quote
        body = quote.strip("…")
        assert PSAKI_TRANSITORY.find(body) >= 0  # the words as said, none cut in two
        after = PSAKI_TRANSITORY[PSAKI_TRANSITORY.find(body) + len(body)]
        assert not after.isalnum(), quote


# The opening of Jen Psaki's answer on tax credits, press briefing of 8 February 2022
# (bidenwhitehouse.archives.gov, a work of the US government).
PSAKI_SURE = (
    "Sure. Well, one of the steps we’re trying to take here, which is — which is "
    "showcased by the fact that today the Vice President, Secretary Yellen, and Gene "
    "Sperling are hosting a Day of Action with over 100 nonprofits and community-based "
    "organizations to encourage all Americans to take advantage of critical tax "
    "credits, including the expanded Child Tax Credit and Earned Income Tax Credit when "
    "they file their taxes this year.\n\nPart of the reason we’re doing that is because "
    "we know how effective it is."
)


def test_a_standalone_quote_is_never_a_word_of_assent_alone():
    """A random quote or a deep link of an answer opening "Sure." and a long sentence
    was "Sure." alone: the sentence comes too, cut at a word."""
    quote = standalone_quote(PSAKI_SURE, 400)
    assert quote.startswith("Sure. Well, one of the steps") and quote.endswith("…")
    assert len(quote) <= 400
    # an opening that says something stands alone as before
    assert standalone_quote(PSAKI_SURE[6:], 400).startswith("Well, one of the steps")
