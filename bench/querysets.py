"""The query sets every benchmark reads, and how each query's right answer is found.

Sets (all in ``bench/queries``, written before they were measured):
- ``seeds_hand.tsv``: typos, paraphrases, topics and questions over the seeds;
- ``natural_seeds.tsv``: queries in the natural style over the seeds ("what did
  putin say about ...", a line in one's own words, a question, one word);
- ``natural_corpora.tsv``: the same style over the three corpora, many naming a
  person;
- ``held_out_seeds.tsv``, ``held_out_corpora.tsv``: more in the natural style, written
  late by someone who had seen neither the engine nor the other sets, and never tuned
  on (every rule was in place before they were measured);
- ``occasions.tsv``: queries over the corpora naming where or to whom something was
  said ("putin valdai club biggest mistake in dealing with the west", "kirby en route
  belfast on ..."), written by someone who had seen the corpora only;
- ``spelling.tsv``: queries over the corpora spelled in the other variety of English
  than their answer ("putin on rumors that his daughters live abroad" for a Kremlin
  "rumours"; "psaki on the offence" for a White House "offense"), written by someone
  who had seen the corpora only;
- ``framings.tsv``: queries over the corpora and the seeds asking for a named person's
  words in many ways ("anything X said about", "X weighs in on", "putin nato quote",
  a role: "the cdc director on"), written by someone who had seen the corpora only;
- ``held_out_users.tsv``: queries over the corpora as new users type them (casual
  framing: "psaki said something about ...", "putin about his ..."; a person and a
  topic; questions; lines in their own words; one word), written after a new user's
  trial by someone who had seen the corpora only, before it was first measured;
- ``held_out_archive.tsv``: queries over the corpora as new users type them (a person
  and a topic, framed, questions, lines in their own words, keywords, one word; 46 of
  94 name the speaker by surname), answers from 80 files of the three corpora, written by
  someone who had seen the corpora only, committed before it was first measured;
- ``named_dev.tsv``: queries over the corpora that each name the speaker whose words
  are wanted, 37 people from 79 files (a person and a topic, framed, questions, their
  own words, an occasion or a date, a misspelled name, a role: "the german chancellor
  on ..."), written by someone who had seen the corpora only and committed before it
  was first measured; a dev set: its failures were looked into;
- ``nonsense.txt``, ``nonsense_natural.tsv``: queries nothing answers;
- ``misspelled_names.tsv``: queries naming a person of the corpora misspelled or by
  first name ("jen saki on student loans"), labelled by the person meant;
- ``same_thing_judged.tsv``: first hits over the seeds mixed into the corpora that are
  another answer by the labelled answer's speaker, judged blind: saying the same thing
  in reply to the query, or not (the issue counts the first as right);
- misremembered quotes, generated from real answers (a window of 8-13 words, one
  typo, one word dropped).

A query is labelled by a phrase of its right answer, so the label survives any
rebuild of the database; the ids that count as right are looked up per database.
Half of each hand-written set (every second line) is the calibration half: the
weights of the search signals are fitted on it (``python -m bench.calibrate``), and
figures are reported for the other half as well as for the whole set.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from bot.words import words

QUERIES = Path(__file__).resolve().parent / "queries"


@dataclass
class Labelled:
    """One query and what counts as its right answer in one database."""

    kind: str
    query: str
    expected: set[int]  # the exact answer(s)
    person: str | None = None  # who gave it, when the set says
    same_words: set[int] = field(default_factory=set)  # other answers holding the phrase
    window: str | None = None  # generated quotes: the words they were made from
    calibration: bool = False  # in the half the weights are fitted on
    names_person: bool = False
    phrase: str | None = None  # words of the right answer the query is about


def _rows(name: str) -> list[list[str]]:
    lines = (QUERIES / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


def answers_with(conn, phrase: str, file_like: str | None) -> set[int]:
    """Answers holding ``phrase`` as written (the index narrows them down first)."""
    phrase = " ".join(phrase.replace("\xa0", " ").split())  # stored text has plain spaces
    tokens = words(phrase)
    if not tokens:
        return set()
    sql = (
        "SELECT t.id FROM answers_fts f JOIN turns t ON t.id = f.rowid"
        " JOIN sources s ON s.id = t.source_id"
        " WHERE answers_fts MATCH ? AND instr(t.text, ?) > 0"
    )
    params: list[object] = ["text: " + " AND ".join(f'"{w}"' for w in tokens), phrase]
    if file_like:
        sql += " AND (s.file LIKE ? OR s.path LIKE ?)"
        params += [file_like, file_like]
    return {r[0] for r in conn.execute(sql, params)}


def seed_queries(conn, name: str) -> tuple[list[Labelled], list[str]]:
    """A seed set (kind, query, file prefix, phrase) labelled in ``conn``; and the
    lines whose phrase no answer holds (reported, not silently dropped)."""
    out, missing = [], []
    for i, (kind, query, prefix, phrase) in enumerate(_rows(name)):
        expected = answers_with(conn, phrase, f"%{prefix}_%")
        if not expected:
            missing.append(f"{name}: no answer in {prefix} holds {phrase!r}")
            continue
        same = answers_with(conn, phrase, None) - expected
        named = kind == "person_topic" or "putin" in query.lower()
        out.append(
            Labelled(kind, query, expected, "Vladimir Putin", same, None, i % 2 == 0, named, phrase)
        )
    return out, missing


# Naming a person: the sets mark the kind; a query can name one in any kind.
def corpus_queries(conn, name: str = "natural_corpora.tsv") -> tuple[list[Labelled], list[str]]:
    """A corpora set (kind, query, person, file, phrase) labelled in ``conn``."""
    out, missing = [], []
    for i, row in enumerate(_rows(name)):
        kind, query, person, file, phrase = row[:5]
        expected = answers_with(conn, phrase, f"%{file}")
        if not expected:
            missing.append(f"{name}: no answer in {file} holds {phrase!r}")
            continue
        same = answers_with(conn, phrase, None) - expected
        folded = set(words(query))
        surname = words(person)[-1:] if person != "-" else []
        named = bool(surname) and surname[0] in folded
        who = person if person != "-" else None
        out.append(Labelled(kind, query, expected, who, same, None, i % 2 == 0, named, phrase))
    return out, missing


# How much of a hit's text keys a judgement: enough to tell answers apart.
JUDGED_KEY_CHARS = 60


def judged_key(text: str) -> str:
    """The key of an answer in ``same_thing_judged.tsv``: its first characters,
    whitespace-normalised (stable across rebuilds, unlike ids)."""
    return " ".join(text.split())[:JUDGED_KEY_CHARS]


def same_thing_judged() -> dict[tuple[str, str], bool]:
    """(query, key of a hit's text) -> whether the hit says what the labelled answer
    says in reply to the query (another answer by the same person)."""
    return {
        (row[0], row[2]): row[1] == "same"
        for row in _rows("same_thing_judged.tsv")
        if len(row) >= 3 and row[1] in ("same", "different")
    }


def misspelled_names() -> list[tuple[str, str, str]]:
    """(how the name is written, the person meant, query) of each misspelled name."""
    return [(row[2], row[0], row[1]) for row in _rows("misspelled_names.tsv")]


def nonsense_queries() -> list[tuple[str, str]]:
    """(kind, query) of every query that nothing should answer."""
    out = [("keyboard", q[0]) for q in _rows("nonsense.txt")]
    if (QUERIES / "nonsense_natural.tsv").exists():
        out += [(row[0], row[1]) for row in _rows("nonsense_natural.tsv")]
    return out


def typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("swap", "drop", "double", "replace"))
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    return word[:i] + rng.choice("aeiourstnl") + word[i + 1 :]


def misremembered(conn, count: int, seed: int = 7) -> list[Labelled]:
    """Misremembered quotes: 8-13 words of a real answer, one typo, one word dropped."""
    rng = random.Random(seed)
    ids = [r[0] for r in conn.execute("SELECT id FROM turns WHERE is_answer ORDER BY id")]
    out: list[Labelled] = []
    while len(out) < count:
        answer_id = rng.choice(ids)
        text = conn.execute("SELECT text FROM turns WHERE id = ?", [answer_id]).fetchone()[0]
        tokens = words(text)
        size = rng.randint(8, 13)
        if len(tokens) < size + 2:
            continue
        start = rng.randrange(0, len(tokens) - size)
        window = tokens[start : start + size]
        original = " ".join(window)
        del window[rng.randrange(len(window))]
        long_words = [i for i, w in enumerate(window) if len(w) >= 4]
        if not long_words:
            continue
        i = rng.choice(long_words)
        window[i] = typo(window[i], rng)
        out.append(
            Labelled("quote", " ".join(window), {answer_id}, window=original, phrase=original)
        )
    return out


def is_right(conn, returned: int, q: Labelled, lenient: bool = False) -> bool:
    """The exact answer; with ``lenient``, also another answer holding the same words
    (the same passage published twice); a generated quote: any answer with its words."""
    if returned in q.expected or (lenient and returned in q.same_words):
        return True
    if q.window is None:
        return False
    text = conn.execute("SELECT text FROM turns WHERE id = ?", [returned]).fetchone()[0]
    return q.window in " ".join(words(text))
