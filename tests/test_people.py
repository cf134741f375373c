"""Who is who: each rule on real labels and titles from the three corpora.

Paths in comments are under ../shared/corpora (kremlin_en_html/news, wh_briefings,
changelog_podcast/gotime) or data/transcripts for the bundled seeds.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.people import (
    DEFAULT_PEOPLE_FILE,
    PeopleFile,
    SourceLabels,
    explain,
    fix_case,
    is_generic,
    parse_label,
    remove_repeats,
    resolve_corpus,
    split_joined,
    strip_titles,
    title_names,
)

FIXTURES = Path(__file__).parent / "fixtures"
BIDEN_WH = "https://bidenwhitehouse.archives.gov/briefing-room/press-briefings/"


@pytest.fixture(scope="module")
def people() -> PeopleFile:
    return PeopleFile.load(DEFAULT_PEOPLE_FILE)


def kremlin(sid: int, title: str, labels: dict[str, int], date: str = "2020-04-15") -> SourceLabels:
    return SourceLabels(
        sid,
        title,
        date,
        f"http://en.kremlin.ru/events/president/news/{sid}",
        "kremlin-html",
        labels,
    )


def briefing(sid: int, title: str, date: str, labels: dict[str, int]) -> SourceLabels:
    return SourceLabels(
        sid, title, date, BIDEN_WH + date.replace("-", "/") + "/x/", "markdown", labels
    )


def podcast(sid: int, labels: dict[str, int]) -> SourceLabels:
    return SourceLabels(sid, None, None, None, "markdown-podcast", labels)


# --- generic labels -----------------------------------------------------------------


@pytest.mark.parametrize(
    "label",
    [
        "Reporter",  # every briefing
        "Question",  # kremlin_en_html/news/*.html
        "Q",
        "Moderator",
        "Speaker 2",  # data/transcripts/002 (rev.com)
        "Reporter 1",  # data/transcripts/002
        "Participant",
        "Audience Member",
        "Unidentified Speaker",
        "Remark",
        "Aide",
        "Jingle",  # changelog_podcast/gotime
        "Modeartor",  # wh_briefings: a misspelt Moderator
        "Senior Administration Official",  # wh_briefings background calls
    ],
)
def test_generic_labels_are_nobody(label: str, people: PeopleFile) -> None:
    source = briefing(
        1, "Background Press Call by Senior Administration Officials", "2023-11-29", {label: 3}
    )
    assert resolve_corpus([source], people)[(1, label)] is None


def test_generic_check_leaves_names_alone(people: PeopleFile) -> None:
    assert not is_generic("Mat Ryer", people)  # gotime
    assert not is_generic("Porter", people)  # short: not a misspelt Reporter
    assert is_generic("Senior Administration Official Two", people) is False  # an office
    source = briefing(
        1, "Background Press Call", "2021-04-15", {"Senior Administration Official Two": 1}
    )
    assert resolve_corpus([source], people)[(1, "Senior Administration Official Two")] is None


# --- the clean-up rules -------------------------------------------------------------


def test_joined_words_are_split() -> None:
    assert split_joined("VladimirPutin") == "Vladimir Putin"  # kremlin 18 turns
    assert split_joined("President of RussiaVladimir Putin") == "President of Russia Vladimir Putin"
    assert split_joined("V.Putin") == "V. Putin"  # kremlin_en_html/news/51485.html
    assert (
        split_joined("PresidentofPalestineMahmoudAbbas") == "President of Palestine Mahmoud Abbas"
    )
    # name prefixes are not two words (gotime)
    assert split_joined("Ashley McNamara") == "Ashley McNamara"
    assert split_joined("Sharon DiOrio") == "Sharon DiOrio"
    assert split_joined("Cory LaNou") == "Cory LaNou"
    assert split_joined("DaShaun Carter") == "DaShaun Carter"


def test_case_is_normalised() -> None:
    assert fix_case(split_joined("VladimirPUTIN").split()) == ["Vladimir", "Putin"]
    assert fix_case(["Security", "Council", "Secretary", "NIKOLAI", "PATRUSHEV"])[-2:] == [
        "Nikolai",
        "Patrushev",
    ]
    assert fix_case(["GOVERNOR", "OF", "CALIFORNIA"]) == ["Governor", "of", "California"]
    assert fix_case(["Ms.", "O’connell"]) == [
        "Ms.",
        "O’Connell",
    ]  # wh_briefings, from MS. O’CONNELL
    assert fix_case(["Marcel", "van", "Lohuizen"]) == ["Marcel", "van", "Lohuizen"]  # gotime


def test_repeated_fragments_are_removed() -> None:
    # kremlin_en_html/news/53915.html "Meeting with Moscow Mayor Sergei Sobyanin"
    words = split_joined("Moscow Mayor Sergei Sobyanin Sobyanin SergeiMoscow Mayor").split()
    assert remove_repeats(words) == ["Moscow", "Mayor", "Sergei", "Sobyanin"]
    words = split_joined(
        "President of China Xi Jinping Xi JinpingPresident of People's Republic of China"
    ).split()
    assert remove_repeats(words) == ["President", "of", "China", "Xi", "Jinping"]
    # "of the" twice is no repeated name
    words = ["President", "of", "the", "Republic", "of", "the", "Congo", "Denis", "Sassou-Nguesso"]
    assert remove_repeats(words) == words


@pytest.mark.parametrize(
    ("label", "name"),
    [
        ("President of Russia Vladimir Putin", "Russia Vladimir Putin"),  # a place may open it
        ("Russian President Vladimir Putin", "Vladimir Putin"),
        ("Head of Rosneft Igor Sechin", "Rosneft Igor Sechin"),
        ("Rosneft CEO Igor Sechin", "Igor Sechin"),
        ("Moscow Mayor Sergei Sobyanin", "Sergei Sobyanin"),
        ("Governor of Belgorod Region Yevgeny Savchenko", "Yevgeny Savchenko"),
        ("Minister of Industry and Trade Denis Manturov", "Denis Manturov"),
        (
            "Acting Governor of the Trans-Baikal Territory Konstantin Ilkovsky",
            "Konstantin Ilkovsky",
        ),
        ("Press Secretary Jen Psaki", "Jen Psaki"),
        ("Patriarch Kirill of Moscow and All Russia", "Patriarch Kirill"),
        # an office of a place "of" a place: the name comes after, not before
        ("President of the United States of America Donald Trump", "America Donald Trump"),
        (
            "Chairman of the Federation of Independent Trade Unions of Russia Mikhail Shmakov",
            "Russia Mikhail Shmakov",
        ),
        ("Ms. Psaki", "Psaki"),
        ("Chair Bernstein", "Bernstein"),
        ("Lieutenant General Sims", "Sims"),
        ("Sr Lieutenant A. Vedyashchev", "A. Vedyashchev"),
        ("Air Force One Crew Member", ""),
        ("The President", ""),
    ],
)
def test_titles_are_stripped(label: str, name: str) -> None:
    assert " ".join(strip_titles(label.split()).name) == name


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("President of Russia Vladimir Putin", "Vladimir Putin"),
        ("President of RussiaVladimir Putin", "Vladimir Putin"),
        ("VladimirPUTIN", "Vladimir Putin"),
        ("Prime Minister of Great Britain Theresa May May Theresa", "Theresa May"),
        ("Crown Prince of Abu Dhabi Mohammed Al Nahyan", "Mohammed Al Nahyan"),
        ("Finance Minister Anton Siluanov Siluanov AntonFinance Minister", "Anton Siluanov"),
        (
            "President of Turkey Recep Tayyip Erdogan Erdogan Recep TayyipPresident of Turkey",
            "Recep Tayyip Erdogan",
        ),
        ("Surgeon General Murthy", "Vivek H. Murthy"),
        # kremlin_en_html/news/55006.html
        ("President of the United States of America Donald Trump", "Donald Trump"),
    ],
)
def test_long_labels_become_the_personal_name(
    label: str, expected: str, people: PeopleFile
) -> None:
    sources = [
        # kremlin_en_html/news/*.html; the Erdogan page also has the bare label
        kremlin(1, "Russian-Turkish talks", {"Recep Tayyip Erdogan": 3}),
        # wh_briefings/press-briefings/2021-07: the title names the Surgeon General
        briefing(
            2,
            "Press Briefing by Press Secretary Jen Psaki and Surgeon General Dr. Vivek H. Murthy",
            "2021-07-15",
            {"Surgeon General Murthy": 4},
        ),
    ]
    if label != "Surgeon General Murthy":
        sources[0].labels[label] = 2
    mapping = resolve_corpus(sources, people)
    assert mapping.get((1, label), mapping.get((2, label))) == expected


def test_parse_label_kinds(people: PeopleFile) -> None:
    assert parse_label("Reporter", people).kind == "generic"
    assert parse_label("President Trump", people).kind == "alias"
    assert parse_label("The Vice President", people).kind == "office"
    assert parse_label("Mr. Kirby", people).kind == "surname"
    assert parse_label("V.Putin", PeopleFile.empty()).kind == "initial"
    assert parse_label("Radik Batyrshin", people).kind == "name"


# --- initials -----------------------------------------------------------------------


def test_initial_expanded_from_the_corpus(people: PeopleFile) -> None:
    empty = PeopleFile.empty()
    sources = [
        kremlin(
            144, "Presentation of state decorations", {"V.Putin": 1}, "2016-03-10"
        ),  # news/51485.html
        kremlin(1219, "Meeting with Government members", {"Vladimir Putin": 6}),  # news/63204.html
    ]
    assert resolve_corpus(sources, empty)[(144, "V.Putin")] == "Vladimir Putin"
    # no full name known: kept as written
    alone = [kremlin(5, "Meeting with servicemen", {"Sr Lieutenant A. Vedyashchev": 5})]
    assert resolve_corpus(alone, empty)[(5, "Sr Lieutenant A. Vedyashchev")] == "A. Vedyashchev"


# --- honorific and surname ------------------------------------------------------------

# wh_briefings/press-briefings/2021-02/2021-02-05-press-briefing-by-press-secretary-jen-
# psaki-and-council-of-economic-advisers-member-jared-bernstein-february-5-2021.md
PSAKI_BERNSTEIN = "Press Briefing by Press Secretary Jen Psaki and Council of Economic Advisers Member Jared Bernstein, February 5, 2021"
# wh_briefings/press-briefings/2023-09/2023-09-13-press-briefing-by-press-secretary-
# karine-jean-pierre-chair-of-the-council-of-economic-advisers-jared-bernstein-and-nsc-...
KJP_BERNSTEIN_KIRBY = "Press Briefing by Press Secretary Karine Jean-Pierre, Chair of the Council of Economic Advisers Jared Bernstein, and NSC Coordinator for Strategic Communications John Kirby"


def test_title_names() -> None:
    assert title_names(PSAKI_BERNSTEIN) == [("Jen", "Psaki"), ("Jared", "Bernstein")]
    assert ("Karine", "Jean-Pierre") in title_names(KJP_BERNSTEIN_KIRBY)
    assert ("John", "Kirby") in title_names(KJP_BERNSTEIN_KIRBY)


def test_surname_completed_from_the_same_title() -> None:
    empty = PeopleFile.empty()
    source = briefing(
        2176,
        KJP_BERNSTEIN_KIRBY,
        "2023-09-13",
        {
            "Ms. Jean-Pierre": 60,
            "Chair Bernstein": 14,
            "Mr. Bernstein": 7,
            "Mr. Kirby": 35,
            "Reporter": 86,
        },
    )
    mapping = resolve_corpus([source], empty)
    assert mapping[(2176, "Ms. Jean-Pierre")] == "Karine Jean-Pierre"
    assert mapping[(2176, "Chair Bernstein")] == "Jared Bernstein"
    assert mapping[(2176, "Mr. Bernstein")] == "Jared Bernstein"  # a title variant: one person
    assert mapping[(2176, "Mr. Kirby")] == "John Kirby"


def test_misspelt_surname_completed_from_the_title() -> None:
    # wh_briefings/press-briefings/2024-10/2024-10-17-press-gaggle-by-press-secretary-
    # karine-jean-pierre-and-national-security-advisor-jake-sullivan-en-route-berlin-germany.md
    title = "Press Gaggle by Press Secretary Karine Jean-Pierre and National Security Advisor Jake Sullivan En Route Berlin, Germany"
    source = briefing(2462, title, "2024-10-17", {"Mr. Sullvian": 1, "Mr. Sullivan": 20})
    mapping = resolve_corpus([source], PeopleFile.empty())
    assert mapping[(2462, "Mr. Sullvian")] == "Jake Sullivan"
    assert mapping[(2462, "Mr. Sullivan")] == "Jake Sullivan"


def test_surname_completed_from_the_corpus_of_the_same_format() -> None:
    sources = [
        # wh_briefings/press-briefings/2021-11/2021-11-16-press-gaggle-by-deputy-press-
        # secretary-andrew-bates-en-route-woodstock-nh.md
        briefing(
            1670,
            "Press Gaggle by Deputy Press Secretary Andrew Bates En Route Woodstock, NH",
            "2021-11-16",
            {"Mr. Bates": 20},
        ),
        # a later gaggle whose title names nobody
        briefing(1700, "Press Gaggle Aboard Air Force One", "2022-01-05", {"Mr. Bates": 9}),
        # Go Time's host has the same surname and many more turns
        podcast(2600, {"Mark Bates": 300}),
        podcast(2601, {"Mark Bates": 200}),
    ]
    mapping = resolve_corpus(sources, PeopleFile.empty())
    assert mapping[(1700, "Mr. Bates")] == "Andrew Bates"
    assert mapping[(2600, "Mark Bates")] == "Mark Bates"


def test_a_surname_is_never_completed_from_another_family_of_sources() -> None:
    """A briefing's "Ms. Johnson" (Carole Johnson, the testing coordinator; the
    COVID team's titles name no one) is not Go Time's Ben Johnson, nor is "Governor
    Cooper" a podcast's Peter Cooper: kept as written, as nobody is named wrongly."""
    title = "Press Briefing by White House COVID-19 Response Team and Public Health Officials"
    sources = [
        briefing(1365, title, "2021-02-17", {"Ms. Johnson": 4, "Governor Cooper": 2}),
        podcast(2700, {"Ben Johnson": 40}),
        podcast(2701, {"Peter Cooper": 12}),
    ]
    mapping = resolve_corpus(sources, PeopleFile.empty())
    assert mapping[(1365, "Ms. Johnson")] == "Ms. Johnson"
    assert mapping[(1365, "Governor Cooper")] == "Governor Cooper"
    assert mapping[(2700, "Ben Johnson")] == "Ben Johnson"


def test_surname_from_the_people_file_else_as_written(people: PeopleFile) -> None:
    # wh_briefings: COVID-19 response team briefings, titles name no one
    title = "Press Briefing by White House COVID-19 Response Team and Public Health Officials"
    source = briefing(
        1365, title, "2021-02-03", {"Dr. Walensky": 12, "Dr. Fauci": 9, "Mr. Sams": 3}
    )
    mapping = resolve_corpus([source], people)
    assert mapping[(1365, "Dr. Walensky")] == "Rochelle Walensky"
    assert mapping[(1365, "Dr. Fauci")] == "Anthony Fauci"
    assert mapping[(1365, "Mr. Sams")] == "Mr. Sams"  # nothing knows him: honorific kept


# --- spellings merged, and not merged -------------------------------------------------


def test_near_identical_spellings_merge() -> None:
    sources = [
        # kremlin_en_html/news/63204.html: a one-off slip beside the right name
        kremlin(
            1219,
            "Meeting with Government members",
            {"Vladimir Putin": 6, "Vladmir Putin": 1, "Anton Siluanov": 2},
        ),
        kremlin(
            1315,
            "Meeting with Defence Minister",
            {"Vladimir Putin": 2, "Vlaidmir Putin": 1, "Sergei Shoigu": 2},
        ),
        kremlin(300, "Meeting with Natalya Yuryeva", {"Vladimir Putin": 9, "Natalya Yuryeva": 5}),
        kremlin(301, "Russian Energy Week", {"Vladimir Putin": 9, "Natalia Yuryeva": 1}),
    ]
    mapping = resolve_corpus(sources, PeopleFile.empty())
    assert mapping[(1219, "Vladmir Putin")] == "Vladimir Putin"
    assert mapping[(1315, "Vlaidmir Putin")] == "Vladimir Putin"
    assert mapping[(301, "Natalia Yuryeva")] == "Natalya Yuryeva"


def test_different_people_with_one_surname_stay_apart() -> None:
    sources = [
        # kremlin_en_html/news/47109.html "Meeting with Alexander Medvedev and Dmitry Chernyshenko"
        kremlin(
            102,
            "Meeting with Alexander Medvedev and Dmitry Chernyshenko",
            {"Vladimir Putin": 9, "Alexander Medvedev": 5},
        ),
        kremlin(
            103,
            "Meeting with Prime Minister Dmitry Medvedev",
            {"Vladimir Putin": 9, "Dmitry Medvedev": 20},
        ),
        kremlin(104, "Meeting with Government members", {"Andrei Medvedev": 2}),
        # news/51300.html and news/54172.html
        kremlin(117, "Defence Ministry reported on exercises", {"Valery Gerasimov": 3}),
        kremlin(
            340, "Truth and Justice Forum of Local and Regional Media", {"Alexey Gerasimov": 1}
        ),
        # gotime: go-time-171.md and go-time-302.md
        podcast(2622, {"Carl Johnson": 60}),
        podcast(2768, {"Carlana Johnson": 70}),
        podcast(2700, {"Ben Johnson": 40}),
    ]
    names = set(resolve_corpus(sources, PeopleFile.empty()).values())
    for name in (
        "Alexander Medvedev",
        "Dmitry Medvedev",
        "Andrei Medvedev",
        "Valery Gerasimov",
        "Alexey Gerasimov",
        "Carl Johnson",
        "Carlana Johnson",
        "Ben Johnson",
    ):
        assert name in names


def test_two_speakers_of_one_source_stay_two_people() -> None:
    # kremlin_en_html: "Sergey Donskoy" speaks three times beside "Sergei Donskoy" on one
    # page; the rule keeps them apart rather than risk merging two people
    sources = [
        kremlin(319, "Meeting on ecology", {"SergeiDonskoy": 4, "Sergey Donskoy": 3}),
        podcast(2701, {"Ben Johnson": 40, "Ken Johnson": 35}),  # invented near-miss
    ]
    mapping = resolve_corpus(sources, PeopleFile.empty())
    assert mapping[(319, "SergeiDonskoy")] == "Sergei Donskoy"
    assert mapping[(319, "Sergey Donskoy")] == "Sergey Donskoy"
    assert mapping[(2701, "Ken Johnson")] == "Ken Johnson"


# --- offices by date and scope ----------------------------------------------------------


def test_the_president_by_date_and_scope(people: PeopleFile) -> None:
    sources = [
        briefing(1367, PSAKI_BERNSTEIN, "2021-02-05", {"The President": 3}),
        # wh_briefings/remarks/2025-01/2025-01-20-the-inaugural-address.md
        SourceLabels(
            2507,
            "The Inaugural Address",
            "2025-01-20",
            "https://www.whitehouse.gov/remarks/2025/01/the-inaugural-address/",
            "markdown",
            {"The President": 1},
        ),
        SourceLabels(
            2600,
            "Remarks",
            "2019-05-01",
            None,
            "markdown",
            {"The President": 1, "The Presidnet": 1},
        ),
        kremlin(5, "Meeting with servicemen", {"The President": 1}),  # out of scope
        briefing(6, "Remarks", "2024-03-01", {"The Vice President": 2, "The First Lady": 1}),
        SourceLabels(7, "Remarks", None, None, "markdown", {"The President": 1}),  # undated
    ]
    mapping = resolve_corpus(sources, people)
    assert mapping[(1367, "The President")] == "Joe Biden"
    assert mapping[(2507, "The President")] == "Donald Trump"
    assert mapping[(2600, "The President")] == "Donald Trump"
    assert mapping[(2600, "The Presidnet")] == "Donald Trump"
    assert mapping[(5, "The President")] is None
    assert mapping[(6, "The Vice President")] == "Kamala Harris"
    assert mapping[(6, "The First Lady")] == "Jill Biden"
    assert mapping[(7, "The President")] is None


def test_aliases(people: PeopleFile) -> None:
    # wh_briefings/remarks/2025-*: "President Trump" is the man "The President" names
    sources = [
        SourceLabels(
            2510,
            "Remarks by President Trump at Executive Order Signing",
            "2025-01-23",
            "https://www.whitehouse.gov/remarks/2025/01/x/",
            "markdown",
            {"President Trump": 40, "Mr. Scharf": 3},
        ),
        briefing(
            9,
            "Remarks by President Biden",
            "2022-06-01",
            {"President Biden": 2, "The President": 5},
        ),
    ]
    mapping = resolve_corpus(sources, people)
    assert mapping[(2510, "President Trump")] == "Donald Trump"
    assert mapping[(9, "President Biden")] == mapping[(9, "The President")] == "Joe Biden"


# --- the bundled transcripts --------------------------------------------------------------


def test_seeds_one_putin_and_separate_journalists(people: PeopleFile) -> None:
    sources = [
        # data/transcripts/000 (plain), 001 (kremlin-text), 002 (rev), 004 (kremlin-text)
        SourceLabels(
            2884,
            None,
            None,
            None,
            "plain",
            {"Vladimir Putin": 12, "Pavel Zarubin": 5, "Question": 15, "Remark": 2},
        ),
        SourceLabels(
            2885,
            "Answers to Russian media questions",
            "2024-07-04",
            None,
            "kremlin-text",
            {"Vladimir Putin": 15, "Radik Batyrshin": 14, "Alexander Gamov": 2, "Pavel Zarubin": 1},
        ),
        SourceLabels(
            2886,
            "Russian President Vladimir Putin held a press conference after meeting with Joe Biden in Geneva on June 16, 2021.",
            "2021-06-16",
            None,
            "rev",
            {"Vladimir Putin": 23, "MC": 6, "Reporter": 5, "Speaker 2": 4, "Stephen Rosenberg": 1},
        ),
        SourceLabels(
            2888,
            "Interview to Mir broadcasting company",
            "2017-04-12",
            None,
            "kremlin-text",
            {"President of Russia Vladimir Putin": 1, "Vladimir Putin": 15},
        ),
    ]
    mapping = resolve_corpus(sources, people)
    putin = {name for (_, label), name in mapping.items() if "Putin" in label}
    assert putin == {"Vladimir Putin"}
    assert mapping[(2884, "Pavel Zarubin")] == mapping[(2885, "Pavel Zarubin")] == "Pavel Zarubin"
    assert mapping[(2885, "Radik Batyrshin")] == "Radik Batyrshin"
    assert mapping[(2886, "Speaker 2")] is None
    assert mapping[(2886, "MC")] is None


# --- people file, explain, fixture ------------------------------------------------------


def test_people_file_loads_and_checks_scopes(people: PeopleFile) -> None:
    assert people.aliases["president trump"] == "Donald Trump"
    assert people.aliases["v putin"] == "Vladimir Putin"
    assert "the president" in people.role_labels
    with pytest.raises(ValueError, match="scope"):
        PeopleFile.from_dict(
            {"person": [{"name": "X Y", "roles": [{"label": "The Boss", "scope": "nowhere"}]}]}
        )
    assert PeopleFile.empty().aliases == {}


def test_explain_lists_the_rules(people: PeopleFile) -> None:
    source = kremlin(
        287,
        "Meeting with Moscow Mayor Sergei Sobyanin",
        {"Moscow Mayor Sergei Sobyanin Sobyanin SergeiMoscow Mayor": 5},
    )
    steps = explain("Moscow Mayor Sergei Sobyanin Sobyanin SergeiMoscow Mayor", source, people)
    assert any("joined words split" in s for s in steps)
    assert any("repeated fragment removed" in s for s in steps)
    assert any("title stripped" in s for s in steps)
    assert steps[-1] == "-> Sergei Sobyanin"
    brief = briefing(1367, PSAKI_BERNSTEIN, "2021-02-05", {"Ms. Psaki": 40})
    steps = explain("Ms. Psaki", brief, PeopleFile.empty())
    assert any("from the title" in s for s in steps) and steps[-1] == "-> Jen Psaki"
    assert explain("Reporter", brief, people)[-1] == "-> nobody (generic)"


def test_top50_fixture_is_well_formed() -> None:
    rows = [
        line.split("\t")
        for line in (FIXTURES / "people_top50.tsv").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    assert len(rows) == 50 and all(len(r) == 2 for r in rows)
    assert len({r[0] for r in rows}) == 50


def test_the_subject_is_a_canonical_name(people: PeopleFile) -> None:
    assert people.subject == "Vladimir Putin"
    aliased = PeopleFile.from_dict(
        {
            "person": [{"name": "Vladimir Putin", "aliases": ["President Putin"]}],
            "subject": "president putin",
        }
    )
    assert aliased.subject == "Vladimir Putin"
    assert PeopleFile.from_dict({"subject": "Jen Psaki"}).subject == "Jen Psaki"
    assert PeopleFile.empty().subject is None
    with pytest.raises(ValueError, match="subject"):
        PeopleFile.from_dict({"subject": ["Vladimir Putin"]})


def test_a_people_file_gone_or_broken_keeps_the_links(tmp_path: Path) -> None:
    """Run from another folder, the default people file (a relative path) is not
    there: the corpus linked with one keeps its links, with a warning naming the path;
    a broken file is reported by ingest, which still stores and indexes the files."""
    from bot import store
    from bot.ingest import ingest
    from bot.people import PeopleFileError, link, needs_link
    from bot.search import Searcher

    root = Path(__file__).resolve().parent.parent
    people_file = root / "data" / "people.toml"
    seeds = root / "data" / "transcripts"
    path = tmp_path / "quotes.db"
    db = store.open_db(path)
    assert not ingest(db, [seeds], workers=1, people_file=people_file).unlinked
    before = store.people_rows(store.connect_readonly(path))
    gone = tmp_path / "elsewhere" / "data" / "people.toml"
    with pytest.raises(PeopleFileError, match=r"no people file at .*linked with one"):
        needs_link(db, gone)
    with pytest.raises(PeopleFileError):
        link(db, gone)
    assert store.people_rows(store.connect_readonly(path)) == before
    assert Searcher(path).search("nato")[0].person == "Vladimir Putin"
    broken = tmp_path / "broken.toml"
    broken.write_text("this is [ not toml", encoding="utf-8")
    fresh = store.open_db(tmp_path / "fresh.db")
    report = ingest(fresh, [seeds], workers=1, people_file=broken)
    assert "people file" in report.unlinked and "keep their earlier links" in report.unlinked
    assert report.answers and Searcher(tmp_path / "fresh.db").search("nato")
    # a corpus never linked with a file has nothing to lose: none is no error
    plain = store.open_db(tmp_path / "plain.db")
    assert not ingest(plain, [seeds], workers=1, people_file=gone).unlinked
