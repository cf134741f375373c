"""Query understanding, rule by rule: filters, phrases, dates, people named, framing."""

from __future__ import annotations

import shutil
from dataclasses import replace

import pytest
from conftest import FIXTURES

from bot import store
from bot.ingest import ingest
from bot.search import Searcher
from bot.search.query import (
    Person,
    PersonIndex,
    Query,
    framed_names,
    other_names,
    sounds_like,
    understand,
)

# People as the corpus of the briefings and the kremlin.ru pages names them.
PEOPLE = PersonIndex(
    [
        Person(1, "Vladimir Putin", 6000, (("vladimir", "putin"), ("putin",))),
        Person(2, "Jen Psaki", 17000, (("jen", "psaki"), ("ms", "psaki"), ("psaki",))),
        Person(
            3,
            "Karine Jean-Pierre",
            23000,
            (("karine", "jean", "pierre"), ("jean", "pierre")),
            (("karine",),),
        ),
        Person(4, "Joe Biden", 900, (("joe", "biden"), ("biden",))),
        Person(5, "Donald Trump", 1100, (("donald", "trump"), ("trump",))),
    ]
)


def test_filters_and_phrases_are_taken_out_of_the_text():
    q = Query.parse('speaker:"Jen Psaki" "build back better" from:2021 to:2021-06 the senate')
    assert q.speaker == "Jen Psaki"
    assert q.phrases == ["build back better"]
    assert (q.date_from, q.date_to) == ("2021", "2021-06")
    assert q.text == "the senate"


@pytest.mark.parametrize(
    ("raw", "start", "end", "rest"),
    [
        ("putin on nato in 2021", "2021", "2021-12-31", "putin on nato"),
        ("psaki on inflation before 2022", None, "2021-12-31", "psaki on inflation"),
        ("putin on china since 2015", "2015", None, "putin on china"),
        ("putin 2019 interview about the arctic", "2019", "2019-12-31", "putin about the arctic"),
        # a year beside an event: when it was, the event's words stay (they may name it)
        (
            "putin direct line 2017 asylum for comey",
            "2017",
            "2017-12-31",
            "putin direct line asylum for comey",
        ),
        (
            "tass interview 2020 will he stay on after 2024",
            "2020",
            "2020-12-31",
            "tass interview will he stay on after 2024",
        ),
        ("putin on syria between 2015 and 2017", "2015", "2017-12-31", "putin on syria"),
        # two years with a dash or a word between them, either way round
        ("putin nato 2017-2019", "2017", "2019-12-31", "putin nato"),
        ("putin nato 2017 \u2013 2019", "2017", "2019-12-31", "putin nato"),
        ("putin nato 2017 to 2021", "2017", "2021-12-31", "putin nato"),
        ("putin nato 2021 to 2017", "2017", "2021-12-31", "putin nato"),
        ("psaki on covid 2021 through 2022", "2021", "2022-12-31", "psaki on covid"),
        ("putin on the chinese economy 2016", "2016", "2016-12-31", "putin on the chinese economy"),
        # a month stays among the words as well: an answer may name it
        (
            "fauci on omicron in december 2021",
            "2021-12",
            "2021-12-31",
            "fauci on omicron in december 2021",
        ),
        (
            "psaki on the border march 2021",
            "2021-03",
            "2021-03-31",
            "psaki on the border march 2021",
        ),
        # two months of one year, either joined (a new user's "august or september
        # 2021" was September alone, and called the 31 August answer "other dates")
        (
            "psaki no deadline afghanistan august or september 2021",
            "2021-08",
            "2021-09-31",
            "psaki no deadline afghanistan august or september 2021",
        ),
        (
            "kirby in june and may 2022 on ukraine",
            "2022-05",
            "2022-06-31",
            "kirby in june and may 2022 on ukraine",
        ),
        # a year among keywords is when, wherever it stands
        ("kirby 2024 gaza aid", "2024", "2024-12-31", "kirby gaza aid"),
        # ... and before what a framing puts before the topic (a new user's "putin
        # 2019 on climate change" found Karine Jean-Pierre saying "in 2019")
        ("putin 2019 on climate change", "2019", "2019-12-31", "putin on climate change"),
        ("psaki 2022 about inflation", "2022", "2022-12-31", "psaki about inflation"),
        # "in 2021" says it first, and leaves the framing whole
        (
            "the press secretary in 2021 on vaccines",
            "2021",
            "2021-12-31",
            "the press secretary on vaccines",
        ),
    ],
)
def test_year_phrases_become_a_date_preference(raw, start, end, rest):
    q = Query.parse(raw)
    assert (q.prefer_from, q.prefer_to) == (start, end)
    assert q.text == rest


def test_a_year_that_is_part_of_the_topic_stays_a_word():
    q = Query.parse("the 2030 agenda")
    assert q.prefer_from is None and q.text == "the 2030 agenda"
    line = Query.parse("the 2020 election was stolen")  # in a sentence
    assert line.prefer_from is None and line.text == "the 2020 election was stolen"


@pytest.mark.parametrize(
    ("raw", "person", "topic"),
    [
        ("what did putin say about nato", 1, ["nato"]),
        ("what does putin think of nato", 1, ["nato"]),
        ("putin on the sco", 1, ["the", "sco"]),
        ("did putin ever talk about his birthday", 1, ["birthday"]),
        ("putin's view of the eurasian union", 1, ["the", "eurasian", "union"]),
        ("psaki on student loans", 2, ["student", "loans"]),
        ("what did jean-pierre say about the border", 3, ["the", "border"]),
        (
            "is it true putin said the ussr collapse was a tragedy",
            1,
            ["the", "ussr", "collapse", "was", "a", "tragedy"],
        ),
        ("quotes by psaki about inflation", 2, ["inflation"]),
        ("psaki explaining the student loan pause", 2, ["the", "student", "loan", "pause"]),
        ("putin answering parents about vaccines", 1, ["parents", "about", "vaccines"]),
        # a request put to the bot first, thanks after
        ("tell me what putin said about nato", 1, ["nato"]),
        ("can you find what psaki said about inflation please", 2, ["inflation"]),
        ("i really want to know what putin thinks of nato expansion", 1, ["nato", "expansion"]),
        ("do you know if putin ever talked about nato", 1, ["nato"]),
        ("please show me psaki quotes on inflation", 2, ["inflation"]),
        # anything they said, how they spoke of it, their remarks concerning it
        ("anything putin said on nato", 1, ["nato"]),
        ("something psaki has said about inflation", 2, ["inflation"]),
        ("has putin ever said anything about nato", 1, ["nato"]),
        ("putin said about nato", 1, ["nato"]),
        ("putin speaking on nato", 1, ["nato"]),
        ("psaki weighs in on inflation", 2, ["inflation"]),
        ("putin concerning nato", 1, ["nato"]),
        ("putin's remarks concerning nato", 1, ["nato"]),
        ("what's putin's take on nato", 1, ["nato"]),
        ("a quote from psaki about inflation", 2, ["inflation"]),
        ("what was putin's answer about judo", 1, ["judo"]),
        ("the one where putin talks about judo", 1, ["judo"]),
        ("that time psaki said something about inflation", 2, ["inflation"]),
        # asked of them
        ("putin, what do you think of nato", 1, ["nato"]),
        ("mr putin how do you feel about sanctions", 1, ["sanctions"]),
        # a quote word beside keywords says what is wanted
        ("putin nato quote", 1, ["nato"]),
        ("quotes psaki inflation", 2, ["inflation"]),
    ],
)
def test_framing_names_the_person_and_leaves_the_topic(raw, person, topic):
    understood = understand(Query.parse(raw), PEOPLE)
    assert understood.person == person and understood.framed
    assert understood.topic == topic


@pytest.mark.parametrize(
    ("raw", "topic"),
    [
        # from the ways-of-asking set: "talkin" kept "talkin about his" as topic words
        ("putin talkin about his sports hobbies", ["sports", "hobbies"]),
        ("waht did putin say about nato", ["nato"]),
        ("psaki's remraks on inflation", ["inflation"]),
        ("did putin ever spoek about nato", ["nato"]),
    ],
)
def test_a_slip_in_the_framing_still_frames(raw, topic):
    understood = understand(Query.parse(raw), PEOPLE)
    assert understood.framed and understood.topic == topic


def test_a_word_near_a_framing_word_is_left_alone_where_it_frames_nothing():
    # "stake" is a slip of "take" only where "take" would frame: here it is the topic
    understood = understand(Query.parse("psaki student loans stake"), PEOPLE)
    assert understood.topic == ["student", "loans", "stake"]
    # and a slip of a short word is as often another word
    assert not understand(Query.parse("what did putin sya about nato"), PEOPLE).framed


@pytest.mark.parametrize(
    ("raw", "topic"),
    [
        ("psaki said something about circling back", ["circling", "back"]),
        ("psaki said a lot about the border", ["the", "border"]),
        ("has putin ever said anything about nato", ["nato"]),
    ],
)
def test_what_they_said_something_about_is_the_topic(raw, topic):
    """ "something" was a topic word: "That’s something that includes a number of NATO
    Allies." was the best of Psaki's answers for circling back, and hidden."""
    understood = understand(Query.parse(raw), PEOPLE)
    assert understood.framed and understood.topic == topic


def test_his_or_her_opening_the_topic_is_the_one_named():
    assert understand(Query.parse("putin about his daughters"), PEOPLE).topic == ["daughters"]
    assert understand(Query.parse("psaki on her last day"), PEOPLE).topic == ["last", "day"]
    # deeper in the topic it may be someone else's
    told = understand(Query.parse("psaki on biden saying lock him up"), PEOPLE)
    assert told.topic == ["biden", "saying", "lock", "him", "up"]


def test_a_quote_word_stays_in_a_sentence_or_alone():
    assert understand(Query.parse("nato quotes"), PEOPLE).topic == ["nato"]
    assert understand(Query.parse("quote"), PEOPLE).topic == ["quote"]
    line = understand(Query.parse("and i quote"), PEOPLE)
    assert line.topic == ["and", "i", "quote"]


def test_the_subject_is_the_one_framed_other_names_are_the_topic():
    understood = understand(Query.parse("did putin watch the trump biden debate?"), PEOPLE)
    assert understood.person == 1
    assert understood.topic == ["watch", "the", "trump", "biden", "debate"]
    assert understand(Query.parse("biden on putin"), PEOPLE).topic == ["putin"]


@pytest.mark.parametrize(
    ("raw", "person", "topic"),
    [
        (
            "has biden watched the tyre nichols video",
            4,
            ["watched", "the", "tyre", "nichols", "video"],
        ),
        (
            "did biden invite putin to the white house",
            4,
            ["invite", "putin", "to", "the", "white", "house"],
        ),
        ("why does putin give interviews", 1, ["give", "interviews"]),
    ],
)
def test_a_question_about_what_someone_did_prefers_them_without_framing(raw, person, topic):
    """Asked what a person did, their spokesperson or the one they did it to may be
    who answers (written for the corpora: "has biden watched ..." is answered by
    Jean-Pierre): the person comes first, the others are not ruled out."""
    understood = understand(Query.parse(raw), PEOPLE)
    assert (understood.person, understood.framed) == (person, False)
    assert understood.topic == topic


CORPUS_WORDS = {"on", "nato", "inflation", "trade", "bidden", "the", "border"}


@pytest.mark.parametrize(
    ("raw", "person", "topic"),
    [
        ("putn on nato", 1, ["nato"]),  # a letter dropped
        ("psakki on inflation", 2, ["inflation"]),  # one doubled
        ("what did jean-peirre say about the border", 3, ["the", "border"]),  # swapped
        ("bidden on trade", None, ["bidden", "on", "trade"]),  # a word the corpus has
        ("tramp on trade", None, ["tramp", "on", "trade"]),  # another letter: another word
        ("psaky on inflation", 2, ["inflation"]),  # ... but a slip in no word of English
        ("saki on inflation", 2, ["inflation"]),  # the silent first letter left out
        ("spaki on inflation", 2, ["inflation"]),  # the first two letters swapped
    ],
)
def test_a_misspelled_name_the_corpus_does_not_know_names_its_person(raw, person, topic):
    understood = understand(Query.parse(raw), PEOPLE, CORPUS_WORDS.__contains__)
    assert (understood.person, understood.topic) == (person, topic)


def test_a_respelling_beside_another_name_gives_way():
    """ "zhan" is one letter from Zhao (a White House official of the corpora), and stands
    right before "pierre": the user wrote Jean-Pierre as it sounds."""
    # her surname's second word alone names her too, as in the corpora
    karine = Person(3, "Karine Jean-Pierre", 23000, (("jean", "pierre"), ("pierre",)))
    people = PersonIndex([PEOPLE.people[1], karine, Person(6, "Yingrong Zhao", 40, (("zhao",),))])
    known = CORPUS_WORDS.__contains__
    understood = understand(Query.parse("what did zhan pierre say about the border"), people, known)
    assert understood.person == 3
    assert understand(Query.parse("zhan on the border"), people, known).person == 6


def test_a_first_name_before_a_surname_belongs_to_the_name():
    """A label as the briefings misspell it ("Ms. Jean-Piere") names her without her
    first name; with it, the first name is part of the name, not a topic word."""
    karine = Person(3, "Karine Jean-Pierre", 23000, (("jean", "piere"),), (("karine",),))
    understood = understand(Query.parse("karine jean-piere on the border"), PersonIndex([karine]))
    assert (understood.person, understood.framed, understood.topic) == (3, True, ["the", "border"])


@pytest.mark.parametrize(
    ("raw", "person", "topic"),
    [
        ("vladimir poutine on sanctions", 1, ["sanctions"]),
        ("what did jen psak say about inflation", 2, ["inflation"]),
        ("donald tramp on trade", 5, ["trade"]),
        # a surname unlike the bearers' is someone else's
        ("joe manchin on inflation", None, ["joe", "manchin", "on", "inflation"]),
    ],
)
def test_a_first_name_then_a_surname_written_like_the_bearers_names_them(raw, person, topic):
    understood = understand(Query.parse(raw), PEOPLE)
    assert (understood.person, understood.topic) == (person, topic)


def test_a_first_name_names_its_person_only_in_a_framed_query():
    assert understand(Query.parse("karine on the border"), PEOPLE).person == 3
    assert understand(Query.parse("what did karine say about the border"), PEOPLE).framed
    # opening keywords, as a surname does ("psaki student loans")
    keywords = understand(Query.parse("karine border wall"), PEOPLE)
    assert (keywords.person, keywords.framed, keywords.topic) == (3, True, ["border", "wall"])
    assert understand(Query.parse("karine thanks for the border update"), PEOPLE).person is None
    # among a line's words it is someone spoken to
    spoken_to = understand(Query.parse("thanks karine for the border update"), PEOPLE)
    assert spoken_to.person is None and "karine" in spoken_to.topic


def test_one_name_among_the_words_is_a_preference_not_framing():
    understood = understand(Query.parse("student loans psaki"), PEOPLE)
    assert (understood.person, understood.framed) == (2, False)
    assert understood.topic == ["student", "loans"]
    # in a sentence the name opening it may be what the line is about
    line = understand(Query.parse("trump promises to stop the war in ukraine"), PEOPLE)
    assert (line.person, line.framed) == (5, False)


def test_a_name_opening_keywords_asks_for_their_words():
    understood = understand(Query.parse("psaki student loans"), PEOPLE)
    assert (understood.person, understood.framed) == (2, True)
    assert understood.topic == ["student", "loans"]
    # a possessive among the keywords is no sentence
    possessive = understand(Query.parse("psaki president's travel schedule"), PEOPLE)
    assert (possessive.person, possessive.framed) == (2, True)
    assert possessive.topic == ["president", "s", "travel", "schedule"]
    # ... but a word of a sentence is: theirs first, not theirs only
    sentence = understand(Query.parse("psaki president s plan is right"), PEOPLE)
    assert (sentence.person, sentence.framed) == (2, False)


def test_two_names_without_framing_name_nobody():
    understood = understand(Query.parse("trump biden debate"), PEOPLE)
    assert understood.person is None
    assert understood.topic == ["trump", "biden", "debate"]


def test_people_named_together_are_each_asked_for():
    both = understand(Query.parse("psaki and jean-pierre on inflation"), PEOPLE)
    assert (both.people, both.topic, both.framed) == ((2, 3), ["inflation"], True)
    either = understand(Query.parse("what did trump or biden say about putin"), PEOPLE)
    assert (either.people, either.topic) == ((5, 4), ["putin"])
    # a first name joined counts in framing only, as alone
    assert understand(Query.parse("karine and psaki on the border"), PEOPLE).people == (3, 2)
    unframed = understand(Query.parse("trump and biden debate"), PEOPLE)
    assert unframed.people == () and unframed.topic == ["trump", "and", "biden", "debate"]


def test_framing_without_a_person_is_dropped_too():
    understood = understand(Query.parse("quote about happiness"), PEOPLE)
    assert (understood.person, understood.topic) == (None, ["happiness"])
    asked = understand(Query.parse("who said we will circle back"), PEOPLE)
    assert (asked.person, asked.topic, asked.framed) == (
        None,
        ["we", "will", "circle", "back"],
        True,
    )
    # "who is to blame" asks no one's line
    assert understand(Query.parse("who is to blame"), PEOPLE).topic == ["who", "is", "to", "blame"]
    # the framing alone asks about nothing: not a search for "said" (it found a speech)
    for alone in ("who said?", "quotes about"):
        assert understand(Query.parse(alone), PEOPLE).topic == []


def test_the_framing_alone_finds_nothing(searcher: Searcher):
    assert searcher.search("who said?") == [] and searcher.search("quotes about") == []


def test_names_from_the_corpus(searcher: Searcher):
    """The seeds' index: Putin by full name and by surname (written as a name)."""
    found = searcher.people.mentions(["what", "did", "putin", "s", "team", "say"])
    assert [(start, end) for start, end, _ in found] == [(2, 4)]  # the possessive too
    assert searcher.people.people[found[0][2]].name == "Vladimir Putin"
    # journalists ask and never answer: nobody to prefer
    assert not searcher.people.mentions(["pavel", "zarubin"])


def test_a_framed_person_is_the_only_one_quoted(searcher: Searcher):
    hits = searcher.search("what did putin say about the sco")
    assert hits and all(h.person == "Vladimir Putin" for h in hits)
    assert all(h.signals["person"] == 1.0 for h in hits)


def test_two_words_written_glued_are_both(searcher: Searcher):
    """The seeds write "cyber attacks" (Geneva, 2021), never "cyberattacks"."""
    lex = searcher.lexicon
    assert searcher.correct("cyberattacks") is None
    assert lex.split("cyberattacks") == ("cyber", "attacks")
    assert lex.split("underused") is None  # a word of its own the corpus lacks
    assert lex.split("dogecoin") is None  # no "doge" in the seeds
    hits = searcher.search("cyberattacks from the us")
    assert hits and "majority of cyber attacks are made from the US" in hits[0].answer


def test_the_lexicon_finds_a_word_s_family(searcher: Searcher):
    assert searcher.correct("kurds") == "kurdish"  # a plural's longer form
    assert searcher.correct("ransomware") == "ransom"  # the longest start that is a word
    assert searcher.correct("migrants") == "migration"
    assert searcher.correct("recipe") is None  # not "reciprocate": too far
    assert searcher.correct("thougths") == "thoughts"  # a word the corpus has once
    assert searcher.correct("mood") is None  # not "moon": short words take swaps only
    assert searcher.correct("wrld") == "world"  # ... and dropped letters
    # the first letter is rarely mistyped, but the first two may be swapped
    assert searcher.correct("ubsiness") == "business"
    assert searcher.correct("rtust") == "trust"


def test_a_short_word_the_language_lacks_takes_any_slip(searcher: Searcher):
    # "mood" and "lime" are words, kept as typed; these are none of English's
    assert searcher.correct("prlss") == "press"  # a wrong letter
    assert searcher.correct("taoks") == "talks"
    assert searcher.correct("tht") == "that"  # three letters: one left out
    assert searcher.correct("knw") == "know"
    assert searcher.correct("whu") is None  # three letters, a wrong one: who? why?
    assert searcher.correct("lime") is None


def test_the_known_share_weighs_unknown_words_most(searcher: Searcher):
    _, corrected, known = searcher.understand(Query.parse("fauci on dogecoin"))
    assert corrected == ["on"] and known < 0.2
    _, _, all_known = searcher.understand(Query.parse("sco membership"))
    assert all_known == 1.0


def test_a_contraction_typed_without_its_apostrophe_is_the_contraction(searcher: Searcher):
    # "dont" would otherwise be corrected to the nearest corpus word
    understood = understand(Query.parse("putin on why we dont trust them"), PEOPLE)
    assert understood.topic == ["why", "we", "don", "t", "trust", "them"]
    assert understand(Query.parse("the its and wont stay"), PEOPLE).topic == [
        "the",
        "its",
        "and",
        "wont",
        "stay",
    ]
    _, corrected, _ = searcher.understand(Query.parse("i dont know"))
    assert corrected == ["i", "don", "t", "know"]


def test_a_misspelled_name_is_recognised_in_a_real_corpus(searcher: Searcher):
    """Over the seeds: "putn" is no word of theirs, and one letter from Putin."""
    hits = searcher.search("what did putn say about the sco")
    assert hits and all(h.signals["person"] == 1.0 for h in hits)
    assert "person: Vladimir Putin (framed" in searcher.explain("what did putn say about the sco")


def test_a_name_misspelled_as_a_word_written_once_names_its_person(tmp_path, seeds_copy):
    """A slip the corpus happens to hold once is still a slip: the President's "We're
    puttin- —" (White House remarks) does not make "puttin" a word the user meant."""
    shutil.copy(FIXTURES / "markdown" / "remarks_puttin.md", seeds_copy)
    path = tmp_path / "quotes.db"
    ingest(store.open_db(path), [seeds_copy], workers=1)
    searcher = Searcher(path)
    assert searcher.vocab["puttin"] == 1
    for raw in ("puttin on nato", "vladmir puttin on nato"):
        understood = searcher.understand(Query.parse(raw))[0]
        assert (understood.person, understood.topic) == (searcher.person_named("putin"), ["nato"])
        hits = searcher.search(raw)
        assert hits and all(h.person == "Vladimir Putin" for h in hits)
    assert searcher.lexicon.established("puttin") is False
    assert searcher.lexicon.established("nato") is True


def test_names_written_as_they_sound_share_a_key():
    assert sounds_like("kurbee") == sounds_like("kirby") == "krb"
    assert sounds_like("salivan") == sounds_like("sullivan")
    assert sounds_like("anjelica") == sounds_like("angelica")
    assert sounds_like("pootin") == sounds_like("putin")
    assert sounds_like("bursicot") == sounds_like("boursiquot")
    assert sounds_like("fauci") != sounds_like("fouchi")  # Italian "ci": not heard so


def test_a_name_written_as_it_sounds_names_its_person_when_no_word_is_meant():
    people = PersonIndex(
        [
            Person(6, "John Kirby", 5000, (("john", "kirby"), ("kirby",))),
            Person(7, "Daniel Wright", 50, (("daniel", "wright"), ("wright",))),
            Person(5, "Donald Trump", 1100, (("donald", "trump"), ("trump",))),
        ]
    )
    corpus = {"on", "israel", "right", "trade"}.__contains__
    slips = {"righht": "right"}.get  # what the lexicon makes of a word one slip away
    kirby = understand(Query.parse("kurbee on israel"), people, corpus, slips)
    assert (kirby.person, kirby.topic) == (6, ["israel"])
    # a slip of a corpus word is that word, not a name that sounds like it
    assert understand(Query.parse("righht on israel"), people, corpus, slips).person is None
    # nor is a word of the language ("tramp")
    assert understand(Query.parse("tramp on trade"), people, corpus, slips).person is None
    # without the lexicon to ask, no name is heard
    assert understand(Query.parse("kurbee on israel"), people, corpus).person is None
    # letters with no vowel are typed, not heard: "zzqx" keys as "sks" (Szücs), as noise
    szucs = PersonIndex([Person(8, "Sandor Szücs", 40, (("sandor", "szucs"), ("szucs",)))])
    assert sounds_like("zzqx") == sounds_like("szucs")
    assert understand(Query.parse("zzqx"), szucs, corpus, slips).person is None
    assert understand(Query.parse("zucks on israel"), szucs, corpus, slips).person == 8


@pytest.mark.parametrize(
    ("raw", "person", "topic"),
    [
        ("president putin on nato", 1, ["nato"]),
        ("what did president putin say about nato", 1, ["nato"]),
        ("ms psaki on inflation", 2, ["inflation"]),
        (
            "what did the president say about nato",
            None,
            ["what", "did", "the", "president", "say", "about", "nato"],
        ),
    ],
)
def test_a_title_before_a_name_is_part_of_it(raw, person, topic):
    understood = understand(Query.parse(raw), PEOPLE)
    assert (understood.person, understood.topic) == (person, topic)
    assert understood.framed or person is None


@pytest.mark.parametrize(
    ("raw", "person", "topic"),
    [
        # a first name misspelled before the surname is part of the name
        ("karin jean pierre on abortion", 3, ["abortion"]),
        ("what did vladimr putin say about nato", 1, ["nato"]),
        ("jen psaki on inflation", 2, ["inflation"]),
        # a short one too, when it is no word of the language
        ("what did jne psaki say about inflation", 2, ["inflation"]),
        # ... but not a word two slips away, nor a short word of the language
        ("karen jean pierre on abortion", 3, ["karen", "on", "abortion"]),
        ("joe putin nato", 1, ["joe", "nato"]),
        ("men psaki inflation", 2, ["men", "inflation"]),
    ],
)
def test_a_misspelled_first_name_before_a_surname_is_part_of_the_name(raw, person, topic):
    understood = understand(Query.parse(raw), PEOPLE)
    assert (understood.person, understood.topic) == (person, topic)


@pytest.mark.parametrize(
    ("raw", "person", "topic"),
    [
        # the one named first is the speaker; the one met, or spoken of, is the topic
        ("putin geneva summit with biden", 1, ["geneva", "summit", "with", "biden"]),
        (
            "putin helsinki press conference with trump",
            1,
            ["helsinki", "press", "conference", "with", "trump"],
        ),
        # two names side by side, neither related to the other: nobody in particular
        ("trump biden debate", None, ["trump", "biden", "debate"]),
    ],
)
def test_of_two_names_the_one_met_or_spoken_of_is_the_topic(raw, person, topic):
    understood = understand(Query.parse(raw), PEOPLE)
    assert (understood.person, understood.topic, understood.framed) == (person, topic, False)


def test_a_month_asked_of_a_person_is_when_not_words_to_find(searcher: Searcher):
    understood, _, _ = searcher.understand(Query.parse("putin in june 2021 on the arctic"))
    assert understood.person is not None
    assert "june" not in understood.topic and "2021" not in understood.topic
    assert "arctic" in understood.topic
    # in a line naming nobody the month stays a word of it
    line, _, _ = searcher.understand(Query.parse("in june 2021 we met in geneva"))
    assert "june" in line.topic


def test_a_name_taking_all_the_words_names_one_person():
    """A speaker's label or a command's PERSON names one person only when the name
    takes all its words; titles may open it where the caller allows them."""
    assert PEOPLE.whole(["putin"]) == 1
    assert PEOPLE.whole(["jean", "pierre"]) == 3
    assert PEOPLE.whole(["karine"]) is None  # a first name alone: only when framed
    assert PEOPLE.whole(["karine"], framed=True) == 3
    assert PEOPLE.whole(["putin", "on", "nato"]) is None  # more than a name
    assert PEOPLE.whole(["putin", "and", "biden"]) is None  # two people
    assert PEOPLE.whole(["nobody"]) is None
    assert PEOPLE.whole(["president", "putin"]) == 1  # a title is part of the name
    assert PEOPLE.whole(["the", "president", "putin"]) is None
    assert PEOPLE.whole(["the", "president", "putin"], before=2) == 1


@pytest.mark.parametrize(
    "line",
    ["find a way to end the war", "tell me the truth", "i want to go to the workers"],
)
def test_a_line_that_opens_like_a_request_keeps_its_words(line):
    assert understand(Query.parse(line), PEOPLE).topic == line.split()


def test_a_date_filter_keeps_only_what_a_calendar_has():
    assert Query.parse("putin nato from:2019-13-45").date_from == "2019"
    assert Query.parse("putin nato to:2016-02-30").date_to == "2016-02"
    assert Query.parse("putin nato from:2016-02-29").date_from == "2016-02-29"  # a leap day
    assert Query.parse("putin nato to:2021-06").date_to == "2021-06"


@pytest.mark.parametrize(
    "raw, names",
    [
        ("obama on healthcare", [(["obama"], ["healthcare"])]),
        (
            "what did angela merkel say about refugees",
            [(["angela", "merkel"], ["refugees"])],
        ),
        ("tell me what obama said about cuba", [(["obama"], ["cuba"])]),
        ("quotes by lincoln about war", [(["lincoln"], ["war"])]),
        ("sanctions on russia", [(["sanctions"], ["russia"])]),  # the corpus says: no name
        ("merkel refugees", []),  # no framing: a name among the words is a topic
        ("the sco is a useful organisation", []),
    ],
)
def test_framed_names_are_the_words_in_a_framing_s_person_place(raw, names):
    assert framed_names(Query.parse(raw)) == names


@pytest.mark.parametrize(
    "raw, reversed_",
    [
        ("from:2019 to:2018 putin nato", True),
        ("from:2019-06 to:2019-03 putin", True),
        ("from:2019-06 to:2019 putin", False),  # June to the end of 2019
        ("from:2019 to:2019-03 putin", False),
        ("to:2018 putin", False),
    ],
)
def test_dates_asked_the_wrong_way_round_are_told_apart(raw, reversed_):
    assert Query.parse(raw).dates_reversed is reversed_


def test_what_an_alias_puts_before_a_name_names_them_when_framed():
    """Labels as the kremlin.ru pages and the briefings write them."""
    titles = other_names(
        [
            (1, "Vladimir Putin", ["Russian President Vladimir Putin", "President Putin"]),
            (4, "Joe Biden", ["President Biden", "The President"]),
            (6, "Sergei Lavrov", ["Foreign Minister Sergei Lavrov"]),
            (7, "JD Vance", ["Vice President Vance", "The Vice President"]),
            (8, "Dr. Nunez-Smith", ["Dr. Marcella Nunez-Smith"]),
        ]
    )
    assert titles[1] == [("russian", "president"), ("the", "russian", "president")]
    assert titles[6] == [("foreign", "minister"), ("the", "foreign", "minister")]
    # "president" is two people's; an office is whoever held it; a courtesy title opens
    # a partial name
    assert 4 not in titles and 7 not in titles and 8 not in titles
    people = PersonIndex(
        [replace(p, framed_keys=tuple(titles.get(p.id, ()))) for p in PEOPLE.people.values()]
    )
    asked = understand(Query.parse("what did the russian president say about nato"), people)
    assert (asked.person, asked.framed, asked.topic) == (1, True, ["nato"])
    # in a line, an office's words are words
    line = understand(Query.parse("the russian president is elected for six years"), people)
    assert line.person is None and line.topic[:3] == ["the", "russian", "president"]


def test_markup_in_a_query_is_no_words_of_it(searcher: Searcher):
    """A tag pasted from a page or typed to test the bot ("<b>putin</b>") is not "b";
    a comparison ("a < b") is words."""
    assert Query.parse("<b>putin</b> on <i>nato</i>").text == "putin on nato"
    assert Query.parse('<a href="x">nato</a><br/>').text == "nato"
    assert Query.parse("a < b and c > d").text == "a < b and c > d"
    # a script's content is code, not words: "alert(1)" left in found nothing of Putin's
    scripted = "<b>putin</b> on <i>nato</i> <script>alert(1)</script>"
    assert Query.parse(scripted).text == "putin on nato"
    assert Query.parse("<STYLE>b{}</STYLE>nato <script>x").text == "nato"
    tagged = searcher.search("<b>putin</b> on nato")
    assert tagged and [h.id for h in tagged] == [h.id for h in searcher.search("putin on nato")]


def test_a_first_name_alone_is_the_person_asked_for():
    """A query that is only a first name ("karine") asks for what its bearer said, not
    for the answers that speak to her ("Thanks, Karine."); beside other words it is a
    word of the line unless the query is framed."""
    alone = understand(Query.parse("karine"), PEOPLE)
    assert (alone.person, alone.framed, alone.topic) == (3, True, [])
    assert understand(Query.parse("thanks karine"), PEOPLE).person is None


def test_initials_of_a_long_name_name_its_bearer(tmp_path, seeds_copy, monkeypatch):
    """Over the seeds and a White House briefing: "kjp" is Karine Jean-Pierre (a name of
    three words, initials no one else has and no word); "vp" names no one."""
    from bot.search import engine

    monkeypatch.setattr(engine, "FIRST_NAME_ANSWERS", 10)
    shutil.copy(FIXTURES / "markdown" / "briefing.md", seeds_copy)
    path = tmp_path / "quotes.db"
    ingest(store.open_db(path), [seeds_copy], workers=1)
    searcher = Searcher(path)
    karine = searcher.person_named("karine jean-pierre")
    assert karine is not None
    understood = searcher.understand(Query.parse("kjp on the border"))[0]
    assert (understood.person, understood.topic) == (karine, ["the", "border"])
    hits = searcher.search("kjp")
    assert hits and all(h.person == "Karine Jean-Pierre" for h in hits)
    assert searcher.person_named("karine") == karine
    assert searcher.person_named("vp") is None


@pytest.mark.parametrize(
    ("raw", "topic"),
    [
        (
            "putin said something like we will not attack anyone",
            ["we", "will", "not", "attack", "anyone"],
        ),
        ("what did putin say along the lines of nato is a relic", ["nato", "is", "a", "relic"]),
        ("psaki said words to the effect that loans restart", ["loans", "restart"]),
        ("putin on like nato", ["nato"]),
        # not after a framing, "like" is a word of the line
        ("like a bolt from the blue", ["like", "a", "bolt", "from", "the", "blue"]),
    ],
)
def test_a_line_remembered_loosely_is_asked_in_its_own_words(raw, topic):
    assert understand(Query.parse(raw), PEOPLE).topic == topic


def test_a_date_filter_that_is_no_date_is_told_not_searched():
    query = Query.parse("kirby ukraine from:banana")
    assert (query.text, query.bad_dates) == ("kirby ukraine", ("from:banana",))
    assert query.date_problem and "from:banana" in query.date_problem
    assert Query.parse("putin nato from:2016").date_problem is None
    assert "at once" in (Query.parse("nato from:2019 to:2018").date_problem or "")


@pytest.mark.parametrize(
    ("raw", "text", "speaker"),
    [
        ("speaker:putin nato", "nato", "putin"),
        ("speaker: putin nato", "nato", "putin"),  # a space after the colon
        ('speaker:"jen psaki" loans', "loans", "jen psaki"),
        ("nato speaker:", "nato", None),  # nothing after it: no filter, and no word
        ("speaker:", "", None),
        ("speaker:psaki speaker:putin nato", "nato", "psaki"),  # the first; none are words
    ],
)
def test_the_speaker_filter_as_people_write_it(raw, text, speaker):
    query = Query.parse(raw)
    assert (query.text, query.speaker) == (text, speaker)
