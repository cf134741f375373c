"""Each scoring signal on its own, on real seed answers (data/transcripts)."""

from __future__ import annotations

import math
import sqlite3
from collections import Counter
from dataclasses import replace

import pytest

from bot.search import Searcher, scoring
from bot.search.config import SearchConfig
from bot.words import stem, words

CONFIG = SearchConfig()
# From seed 001 (SCO summit press conference) and seed 002 (Geneva, 2021).
SCO = (
    "The SCO is a useful organisation. It is a platform for dialogue. As you know, the "
    "member states account for nearly half of the world's population."
)
ARCTIC_LIST = (
    "You are probably well aware of all the topics, strategic stability, cybersecurity, "
    "regional conflicts, trade relations, and also we discussed cooperation in the Arctic."
)
SURE = "Sure."


def analysed(text: str) -> scoring.Analysis:
    return scoring.analyse(text)


def asked(text: str, searcher: Searcher, **extra) -> scoring.Asked:
    tokens = words(text)
    weights = {stem(w): searcher.idf(w) for w in tokens}
    fields = {"phrases": [], "people": (), "prefer_from": None, "prefer_to": None, "known": 1.0}
    return scoring.Asked(" ".join(tokens), weights, **{**fields, **extra})


def test_coverage_is_the_weighted_share_of_query_words_held(searcher: Searcher):
    query = asked("sco useful dialogue", searcher)
    assert scoring.coverage(query, analysed(SCO)) == pytest.approx(1.0)
    partial = scoring.coverage(asked("sco arctic", searcher), analysed(SCO))
    assert 0.2 < partial < 0.8


def test_question_coverage_counts_words_only_the_question_holds(searcher: Searcher):
    query = asked("sco population", searcher)
    only_question = scoring.question_coverage(query, analysed(SURE), {"sco", "popul"})
    assert only_question == pytest.approx(1.0)
    assert scoring.question_coverage(query, analysed(SCO), {"sco", "popul"}) == 0.0


def test_alignment_finds_the_stretch_that_matches():
    query = scoring.Asked("the sco is a usefull organisation", {}, [], None, None, None, 1.0)
    assert scoring.alignment(query, analysed(SCO).folded) > 0.9
    assert scoring.alignment(query, analysed(ARCTIC_LIST).folded) < 0.7


def test_verbatim_counts_only_near_word_for_word_stretches():
    query = scoring.Asked("the sco is a usefull organisation", {}, [], None, None, None, 1.0)
    held = scoring.verbatim(scoring.alignment(query, analysed(SCO).folded), CONFIG)
    other = scoring.verbatim(scoring.alignment(query, analysed(ARCTIC_LIST).folded), CONFIG)
    assert held > 0.6
    # everyday words align somewhat with any answer: that is not a remembered line
    assert other == 0.0
    assert scoring.verbatim(1.0, CONFIG) == 1.0


def test_proximity_wants_the_words_side_by_side(searcher: Searcher):
    query = asked("member states population", searcher)
    together = analysed(SCO)
    apart = analysed(
        "Member countries met. " + "Word " * 60 + "States agreed. " + "x " * 60 + "Population grew."
    )
    assert scoring.proximity(query, together, CONFIG) == pytest.approx(1.0)
    # apart, no stretch holds more than the weightiest word alone
    alone = max(query.weights.values()) / sum(query.weights.values())
    assert scoring.proximity(query, apart, CONFIG) == pytest.approx(alone)


def test_focus_prefers_the_answer_about_the_topic(searcher: Searcher):
    query = asked("arctic", searcher)
    about = analysed("The Arctic matters. Arctic shipping, Arctic ice and Arctic people.")
    assert scoring.focus(query, about, CONFIG) > scoring.focus(query, analysed(ARCTIC_LIST), CONFIG)


def test_substance_and_asks_mark_non_answers():
    assert scoring.substance(analysed(SURE), CONFIG) < 0.1
    assert scoring.substance(analysed(SCO), CONFIG) > 0.5
    assert scoring.asks("Should I use an ORM?") == 1.0
    assert scoring.asks(SCO) == 0.0


def test_bm25_rewards_repeated_rare_words_in_a_short_answer(searcher: Searcher):
    mean = searcher.lexicon.mean_words
    query = asked("arctic", searcher)
    about = analysed("The Arctic matters. Arctic shipping, Arctic ice and Arctic people.")
    once_in_a_list = scoring.bm25(query, analysed(ARCTIC_LIST), mean, CONFIG)
    assert scoring.bm25(query, about, mean, CONFIG) > once_in_a_list > 0.0
    assert scoring.bm25(query, analysed(SURE), mean, CONFIG) == 0.0
    # the rarer word found counts for more than the commoner one
    both = asked("sco platform", searcher)
    rarer, commoner = sorted(["sco", "platform"], key=lambda w: -searcher.idf(w))
    rare_only = analysed(f"The {rarer}.")
    common_only = analysed(f"The {commoner}.")
    assert scoring.bm25(both, rare_only, mean, CONFIG) > scoring.bm25(
        both, common_only, mean, CONFIG
    )
    assert scoring.bm25(both, analysed(SCO), mean, CONFIG) <= 1.0


def _with_shares(query: scoring.Asked, searcher: Searcher, answers: int) -> scoring.Asked:
    """``query`` as it would be asked of a corpus of ``answers`` answers in which each
    word is as common (share of answers) as in the seeds."""
    lex = searcher.lexicon
    shares = {stem(w): math.log10(lex.share(w)) for w in query.text.split() if lex.share(w)}
    return replace(query, log_shares=shares, log_answers=math.log10(answers))


def test_specific_rewards_rare_words_found_together(searcher: Searcher):
    lex = searcher.lexicon
    query = _with_shares(asked("sco population dialogue", searcher), searcher, lex.answers)
    together = scoring.specific(query, analysed(SCO), set(), CONFIG)
    one = scoring.specific(query, analysed("The population grows."), set(), CONFIG)
    assert together > one >= 0.0
    assert scoring.specific(query, analysed(SURE), set(), CONFIG) == 0.0
    # words of the question asked count as held
    assert scoring.specific(query, analysed(SURE), {"sco", "popul"}, CONFIG) > one
    # the same words together mean less in a corpus a thousand times the size
    bigger = _with_shares(query, searcher, 1000 * lex.answers)
    assert scoring.specific(bigger, analysed(SCO), set(), CONFIG) < together


def test_scale_grows_with_the_corpus(searcher: Searcher):
    query = asked("sco", searcher)
    small = scoring.scale(replace(query, log_answers=2.0), CONFIG)
    large = scoring.scale(replace(query, log_answers=5.0), CONFIG)
    assert 0.0 < small < large <= 1.0


def test_person_date_and_phrase_signals():
    base = scoring.Asked("x", {}, ["useful organisation"], (7, 9), "2021", "2021-12-31", 1.0)
    assert scoring.person(base, 7) == (1.0, 0.0)
    assert scoring.person(base, 8) == (0.0, 1.0)
    assert scoring.person(base, 9) == (1.0, 0.0)  # either of two named
    assert scoring.date(base, "2021-06-16") == (1.0, 0.0)
    assert scoring.date(base, "2019-01-01") == (0.0, 1.0)
    assert scoring.phrase(base, analysed(SCO)) == (1.0, 0.0)
    assert scoring.phrase(base, analysed(SURE)) == (0.0, 1.0)
    nobody = scoring.Asked("x", {}, [], (), None, None, 1.0)
    assert scoring.person(nobody, 7) == scoring.date(nobody, "2021") == (0.0, 0.0)


def test_judgements_are_probabilities_and_relevance_orders_them():
    strong = {"coverage": 1.0, "alignment": 1.0, "best_alignment": 1.0, "proximity": 1.0,
              "bm25": 1.0, "substance": 1.0, "known": 1.0}  # fmt: skip
    weak = {**strong, "coverage": 0.2, "alignment": 0.4, "best_alignment": 0.4, "proximity": 0.2}
    assert scoring.relevance(strong, CONFIG) > scoring.relevance(weak, CONFIG)
    judged = scoring.judged(strong, 1.0, CONFIG)
    assert 0 <= judged["confidence"] <= 1 and 0 <= judged["answerable"] <= 1
    assert judged["confidence"] > scoring.judged(weak, 0.0, CONFIG)["confidence"]


def test_every_hit_carries_its_signals(searcher: Searcher):
    hit = searcher.search("the sco is a usefull organisaton")[0]
    assert "The SCO is a useful organisation" in hit.answer
    assert set(CONFIG.weights) <= set(hit.signals)
    # the score is the confidence in percent (the signals are rounded to 3 places)
    assert abs(hit.score - 100 * hit.signals["confidence"]) <= 0.5 + 0.05


def test_glance_counts_query_stems_that_begin_a_word(searcher: Searcher):
    query = asked("sco population dialogue", searcher)
    whole = scoring.glance(query, SCO, "", CONFIG)
    assert whole == pytest.approx(sum(query.weights.values()))
    assert scoring.glance(query, "Disco music.", "", CONFIG) == 0.0  # not inside a word
    # a word of the question counts for less than one of the answer
    in_question = scoring.glance(query, SURE, "What of the SCO?", CONFIG)
    in_answer = scoring.glance(query, "The SCO.", "", CONFIG)
    assert 0.0 < in_question < in_answer


def test_glance_pairs_counts_the_query_word_pairs_held_in_order():
    query = scoring.Asked("a platform for dialogue", {}, [], (), None, None, 1.0)
    assert scoring.glance_pairs(query, SCO) == 3  # "a platform", "platform for", ...
    # the same words, not side by side in the query's order
    assert scoring.glance_pairs(query, "Dialogue for a new platform.") == 0
    one_word = scoring.Asked("dialogue", {}, [], (), None, None, 1.0)
    assert scoring.glance_pairs(one_word, SCO) == 0


def test_the_pool_takes_answers_holding_most_of_the_query(seeded_db):
    # bm25's best two for these words are not the answer; a glance at the text finds it
    query = "he came back to russia on purpose because he wanted to get arrested"
    meant = "he deliberately wanted to be arrested"
    narrow = replace(CONFIG, pool=2, probe_unranked=False)
    glancing = Searcher(seeded_db, replace(narrow, pool_by_rank=0))
    by_rank = Searcher(seeded_db, replace(narrow, pool_by_rank=2))
    assert meant in glancing.search(query, limit=1, threshold=0.0)[0].answer
    assert meant not in by_rank.search(query, limit=1, threshold=0.0)[0].answer


def test_a_guess_is_shown_only_when_likely_enough_the_answer():
    config = replace(CONFIG, min_answerable=0.3, sure_answerable=0.5, guess_confidence=0.3)
    assert scoring.shown({"answerable": 0.6, "confidence": 0.1}, 0.3, config)
    assert scoring.shown({"answerable": 0.4, "confidence": 0.35}, 0.3, config)
    assert not scoring.shown({"answerable": 0.4, "confidence": 0.2}, 0.3, config)
    assert not scoring.shown({"answerable": 0.2, "confidence": 0.9}, 0.3, config)
    assert scoring.shown({"answerable": 0.0, "confidence": 0.0}, 0.0, config)  # calibration


def test_a_small_corpus_knowing_less_of_a_query_is_weaker_evidence_of_nonsense(searcher):
    # the same hit judged over a corpus of a thousand answers and one of a million
    hit = {"known": 0.7, "coverage": 0.5, "best_alignment": 0.6, "proximity": 0.5}
    small = scoring.judged({**hit, "scale": 0.5}, 0.5, CONFIG)["answerable"]
    large = scoring.judged({**hit, "scale": 1.0}, 0.5, CONFIG)["answerable"]
    assert small > large
    # five transcripts know neither "fuss" nor "make a fuss": shown all the same, and
    # hidden by the gate the seeds mixed into the corpora (scale 0.853) have
    query = "putin does not make a fuss about his birthday"
    meant = "It is my birthday we are talking about"
    assert meant in searcher.search(query, limit=1)[0].answer
    model = CONFIG.answerable
    flat = {**model, "scale": 0.0, "offset": model["offset"] + 0.853 * model["scale"]}
    flat_searcher = Searcher(searcher.path, replace(CONFIG, answerable=flat))
    assert not flat_searcher.search(query, limit=1)


def test_share_is_the_weighted_part_of_the_query_some_stems_are(searcher: Searcher):
    query = asked("astana afghanistan", searcher)
    part = scoring.share(query, {"astana"})
    assert 0 < part < 1
    assert scoring.share(query, {"astana", "afghanistan"}) == pytest.approx(1.0)
    assert scoring.share(query, set()) == 0.0


def test_length_marks_speeches_not_answers(seeded_db):
    """A whole speech holds every word of many queries and answers none of them in
    particular: the longest seed answers count as part way to one, a short one not."""
    conn = sqlite3.connect(seeded_db)
    texts = [
        t for (t,) in conn.execute("SELECT text FROM turns WHERE is_answer ORDER BY length(text)")
    ]
    assert scoring.length(analysed(SCO), CONFIG) == 0.0
    longest = analysed(texts[-1])
    assert longest.words > CONFIG.speech_from
    assert 0 < scoring.length(longest, CONFIG) < 1
    speech = analysed(" ".join(texts))  # every seed answer, one after another
    assert speech.words > CONFIG.speech_words
    assert scoring.length(speech, CONFIG) == 1.0


def test_a_hit_unlikely_the_answer_meant_is_a_guess(searcher: Searcher):
    """Shown when the corpus likely answers the query, offered as a guess when the hit
    is unlikely the one meant; a quote asked by a name alone is judged on neither."""
    guess = CONFIG.guess_confidence
    assert scoring.is_guess({"answerable": 0.9, "confidence": guess - 0.01}, CONFIG)
    assert scoring.is_guess(
        {"answerable": CONFIG.sure_answerable - 0.01, "confidence": 0.9}, CONFIG
    )
    assert not scoring.is_guess({"answerable": 0.9, "confidence": guess}, CONFIG)
    assert not scoring.is_guess({"person": 1.0}, CONFIG)
    # over the seeds: an answer about a president evading a question is no sure answer
    hit = searcher.search("who asked for the putin obama meeting")[0]
    assert hit.signals["answerable"] >= CONFIG.sure_answerable
    assert hit.signals["confidence"] < guess and hit.guess
    sure = searcher.search("the sco is a useful organisation")[0]
    assert not sure.guess


# From seed 003 (UN General Assembly press conference, 2015).
SYRIAN_TERRITORY = (
    "Regarding Syrian territory, this is illegal; this is also something we spoke about today."
)


def test_a_query_word_is_found_as_another_of_its_family(searcher: Searcher):
    """Porter keeps "syria" and "syrian" apart: "airstrikes in syria" must still find
    the answer about Syrian territory, in every signal that reads stems."""
    families = searcher.lexicon.families(
        ["syria", "strike", "armi"], CONFIG.family_endings, CONFIG.family_stem
    )
    assert families.get("syrian") == "syria"
    assert "syria" not in families  # a query stem is no family of another's
    assert "armin" not in families and "arm" not in families  # too short to tell
    plain = asked("syria territory illegal", searcher)
    related = replace(plain, families=families)
    answer = analysed(SYRIAN_TERRITORY)
    assert scoring.coverage(plain, answer) < 0.8
    assert scoring.coverage(related, scoring.as_asked(related, answer)) == pytest.approx(1.0)
    assert scoring.proximity(related, scoring.as_asked(related, answer), CONFIG) > (
        scoring.proximity(plain, answer, CONFIG)
    )
    # the question asked before an answer is read the same way
    question = scoring.stems_as_asked(related, Counter(["syrian", "strike"]))
    assert question == Counter(["syria", "strike"])
    # and an answer holding none of a family is left as it is
    sco = analysed(SCO)
    assert scoring.as_asked(related, sco) is sco
    assert scoring.weights_with_families(related)["syrian"] == related.weights["syria"]


def test_families_count_in_search_and_can_be_turned_off(seeded_db):
    """Asked about "syria", the answer about "Syrian territory" holds all the query
    with families, and less of it without them (the config's endings emptied)."""
    query = "syria territory illegal"
    on = Searcher(seeded_db).search(query, limit=1, threshold=0)
    off = Searcher(seeded_db, replace(CONFIG, family_endings=())).search(
        query, limit=1, threshold=0
    )
    assert on[0].id == off[0].id and "Regarding Syrian territory" in on[0].quote
    assert on[0].signals["coverage"] == pytest.approx(1.0)
    assert off[0].signals["coverage"] < 0.8
    assert on[0].score > off[0].score


# From seed 000 (press statements on Nagorno-Karabakh, 2020): the seeds write
# "ceasefire" as one word.
CEASEFIRE = (
    "Even if it is not settled definitively, and it seems that this is a long way off, "
    "in any case, we are calling for a ceasefire, and I want to say this once again."
)


def test_two_query_words_are_found_written_as_one(searcher: Searcher):
    """Asked for "a cease fire", an answer calling for "a ceasefire" holds both words,
    in every signal that reads stems and in the excerpt's weights; a pair with a
    function word is never read as one ("for a" is no "fora")."""
    lex = searcher.lexicon
    assert lex.compounds(["a", "cease", "fire", "now"]) == {"ceasefire": ("cease", "fire")}
    assert lex.compounds(["calling", "for", "a"]) == {}
    plain = asked("calling for a cease fire", searcher)
    joined = replace(
        plain,
        compounds={
            stem(j): (stem(a), stem(b)) for j, (a, b) in lex.compounds(["cease", "fire"]).items()
        },
    )
    answer = analysed(CEASEFIRE)
    assert scoring.coverage(plain, answer) < 0.7
    read = scoring.as_asked(joined, answer)
    assert scoring.coverage(joined, read) == pytest.approx(1.0)
    assert scoring.proximity(joined, read, CONFIG) > scoring.proximity(plain, answer, CONFIG)
    assert read.sequence.count(stem("cease")) == 1 and read.words == answer.words
    weights = scoring.weights_with_families(joined)
    assert weights[stem("ceasefire")] == pytest.approx(
        joined.weights[stem("cease")] + joined.weights[stem("fire")]
    )
    assert scoring.stems_as_asked(joined, Counter([stem("ceasefire")])) == Counter(
        [stem("cease"), stem("fire")]
    )


def test_words_written_as_one_count_in_search_and_can_be_turned_off(seeded_db):
    query = "we are calling for a cease fire as soon as possible"
    on = Searcher(seeded_db).search(query, limit=1)
    assert on and "we are calling for a ceasefire" in on[0].quote
    off = Searcher(seeded_db, replace(CONFIG, join_compounds=False)).search(
        query, limit=1, threshold=0
    )
    assert off[0].id != on[0].id  # another answer wins without: "fire" is not in it
    assert "written as one too: cease fire/ceasefire" in Searcher(seeded_db).explain(query, 1)


def test_an_answer_of_questions_back_is_no_answer(searcher: Searcher):
    """John Kirby's whole reply "You mean in reference to the depleted uranium?"
    (press briefing, 22 March 2023, whitehouse.gov) and Putin's "You know our
    journalist, Vyshinsky, right?" (Direct Line, 7 June 2018, en.kremlin.ru,
    CC BY 4.0) ask back and say nothing; a line asked for word for word may be a
    question, and stays a hit."""
    kirby = "You mean in reference to the depleted uranium?"
    topic = asked("depleted uranium", searcher)
    assert scoring.asked_back(topic, kirby, analysed(kirby), {"verbatim": 1.0}, CONFIG)
    putin = "You know our journalist, Vyshinsky, right?"
    framed = asked("the arrest of journalist kirill vyshinsky in ukraine", searcher)
    assert scoring.asked_back(framed, putin, analysed(putin), {"verbatim": 0.0}, CONFIG)
    # remembered as a line: the question itself is asked for
    line = asked("you know our journalist vyshinsky right", searcher)
    assert not scoring.asked_back(line, putin, analysed(putin), {"verbatim": 0.9}, CONFIG)
    # an answer that says something, or a longer one, is no question back
    said = "You mean the depleted uranium? We are not providing it."
    assert not scoring.asked_back(topic, said, analysed(said), {"verbatim": 1.0}, CONFIG)
    off = replace(CONFIG, skip_questions=False)
    assert not scoring.asked_back(topic, kirby, analysed(kirby), {"verbatim": 1.0}, off)


def test_a_short_answer_naming_only_the_topic_asked_about_echoes_it(searcher: Searcher):
    """Putin's whole reply to "Which event would you like to undo?" (Interview to
    American TV channel NBC, 10 March 2018, en.kremlin.ru, CC BY 4.0) was the first
    answer to "putin on the collapse of the soviet union"."""
    reply = analysed("The collapse of the Soviet Union.")
    about = asked("the collapse of the soviet union", searcher, about=True)
    assert scoring.echoes(about, reply, CONFIG)
    # a line asked for is no topic: the same words may be the very line wanted
    assert not scoring.echoes(replace(about, about=False), reply, CONFIG)
    # an answer saying anything of its own about the topic says something
    said = analysed("The collapse of the Soviet Union was a tragedy.")
    assert not scoring.echoes(about, said, CONFIG)
    assert not scoring.echoes(
        asked("sco useful dialogue", searcher, about=True), analysed(SCO), CONFIG
    )


def test_a_query_for_one_persons_words_offers_their_best_as_a_guess_sooner(seeded_db):
    # asked for Putin's words: only his answers are looked at, so his best is offered
    # as a guess once it is ``framed_guess_confidence`` likely the answer meant
    framed = "putin on the us answering the offer to work together on cyber security"
    best = Searcher(seeded_db).search(framed, limit=1, threshold=0.0)[0]
    likely = best.signals["confidence"]
    assert best.signals["answerable"] < CONFIG.sure_answerable  # a guess, not an answer
    sooner = Searcher(seeded_db, replace(CONFIG, framed_guess_confidence=likely - 0.01))
    later = Searcher(seeded_db, replace(CONFIG, framed_guess_confidence=likely + 0.01))
    shown = sooner.search(framed, limit=1)
    assert shown and shown[0].id == best.id and shown[0].guess
    assert not later.search(framed, limit=1)
    # a query naming nobody is judged as before, however low the framed threshold
    plain = "did the us ever respond to russia's offer to work together on cyber security"
    anyone = Searcher(seeded_db, replace(CONFIG, framed_guess_confidence=0.0))
    hidden = anyone.search(plain, limit=1, threshold=0.0)[0].signals
    assert hidden["confidence"] < CONFIG.guess_confidence <= 0.3 <= hidden["answerable"]
    assert not anyone.search(plain, limit=1)
