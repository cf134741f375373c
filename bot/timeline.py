"""Timelines: one person's answers on one topic, oldest first, to see a view change.

Relevance decides which answers are on the topic (search's score against a cut-off
chosen on the pairs in ``bench/queries/timeline_pairs.tsv``); the date decides the
order. A source without a date goes last and says so. ``from:``/``to:`` filters and
year phrases ("in 2021") narrow the timeline to those dates. Nothing here imports
``telegram``; the Telegram layer and the terminal chat only show the pages.
"""

from __future__ import annotations

import calendar
import itertools
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from html import escape

from .render import fit, human_date, source_title
from .replies import Button, Reply, parse_id
from .search import Hit, Query, Searcher
from .search.excerpt import only_asks
from .search.query import understand
from .words import cut_at_word, fold, words

# Search confidence (Hit.score, 0-100) an answer needs to be on the topic: the best F1
# over the judged candidates of the ten pairs in bench/queries/timeline_pairs.tsv when
# it was set (python -m bench.timeline_bench sweeps it: precision 0.91, recall 0.97 at
# 30 then; on the corpora as parsed since podcast hosts' questions are no answers,
# 0.82 and 1.00, the best F1 at 34 by 0.004). Below it are "Yeah.", fragments and
# other senses of a word ("generate" for "generics").
ON_TOPIC_SCORE = 30
# Candidates asked of search per timeline (hits), and the rows each of its lookups may
# return: enough to hold everything a person said on a topic, so that "oldest first"
# begins at the first (John Kirby says "Gaza" in 403 answers: at 60 rows the timeline
# held the 56 most relevant and began two weeks after his first, on 10 October 2023;
# at 400 it holds 343 and begins there). A timeline is built once and paged, so a
# few hundred milliseconds for a large one is paid once (bench/timeline_bench.py).
CANDIDATES = 500
SEARCH_DEPTH = 400
# Lines per page: eight excerpts and their buttons fit one message and one screen.
PAGE = 8
# Characters of a line's excerpt: the matched sentence, shortened to read at a glance.
EXCERPT_CHARS = 160
# Timelines remembered for paging buttons (per process, oldest forgotten first).
REMEMBERED = 2000
# Characters of a topic kept (a topic is a few words; anything longer is cut).
MAX_TOPIC_CHARS = 100
UNDATED = "undated"
CALLBACK = "tl"
EXAMPLE = "/timeline putin nato"
EXPIRED = "That timeline has expired. Ask for it again and I will build it once more."

# Plain text that asks for a timeline: the phrase is dropped, the rest names the
# person and the topic ("putin on nato over the years").
_PHRASES = [
    re.compile(r"\b(?:over|through|across|throughout) (?:the )?(?:years|time)\b"),
    re.compile(r"^(?:show me |give me )?(?:a |the )?timeline (?:of|for|on)\b"),
]
_CHANGED = re.compile(
    r"^how (?:has|have|did) (?P<person>.+?)(?:'s|’s|s')? (?:view|views|position|positions|"
    r"stance|thinking|opinion|opinions|take|line|tone|rhetoric) (?:of|on|about|towards?|"
    r"regarding) (?P<topic>.+?) (?:changed|evolved|shifted|developed|changed over time)\W*$"
)


class TimelineError(ValueError):
    """A /timeline request that names nobody or no topic; the message says what to do."""


@dataclass(frozen=True)
class Request:
    """Whose answers on what, within which dates (ISO prefixes, None: open)."""

    person: str
    topic: str
    date_from: str | None = None
    date_to: str | None = None

    def query(self) -> str:
        """The search query: the person as a filter, the topic words, the dates."""
        parts = [f'speaker:"{self.person}"', self.topic]
        if self.date_from:
            parts.append(f"from:{self.date_from}")
        if self.date_to:
            parts.append(f"to:{self.date_to}")
        return " ".join(parts)

    def title(self) -> str:
        dates = ""
        if self.date_from or self.date_to:
            dates = f" ({self.date_from or '…'} to {self.date_to or 'now'})"
        return f"{self.person} on {self.topic}{dates}"


def _start(prefix: str | None) -> str | None:
    return None if prefix is None else (prefix + "-01-01"[len(prefix) - 4 :])[:10]


def _end(prefix: str | None) -> str | None:
    """The last day an ISO prefix covers: ``2021`` -> ``2021-12-31``, ``2021-06`` ->
    ``2021-06-30``."""
    if prefix is None or len(prefix) >= 10:
        return prefix
    if len(prefix) == 4:
        return f"{prefix}-12-31"
    year, month = int(prefix[:4]), int(prefix[5:7])
    last = calendar.monthrange(year, month)[1] if 1 <= month <= 12 else 31
    return f"{prefix}-{last:02d}"


def _narrowest(query: Query) -> tuple[str | None, str | None]:
    """The dates a query allows: its from:/to: filters and its year phrase together."""
    starts = [d for d in (_start(query.date_from), _start(query.prefer_from)) if d]
    ends = [d for d in (_end(query.date_to), _end(query.prefer_to)) if d]
    return (max(starts) if starts else None), (min(ends) if ends else None)


def parse(text: str, searcher: Searcher) -> Request:
    """``putin nato from:2016`` -> Request; raises :class:`TimelineError` naming what
    is missing. The person is anyone search recognises by name or surname."""
    query = Query.parse(text)
    if query.bad_dates:
        raise TimelineError(query.date_problem or "")
    understood = understand(
        query, searcher.people, searcher.lexicon.established, searcher.lexicon.nearest
    )
    if understood.person is None:
        # a name the corpus writes, of someone who answers nowhere ("lincoln war"; an
        # acronym, "NATO", is a topic)
        said = words(query.text)
        stranger = next(
            (n for n in (searcher.written_as_name(said[:k]) for k in (2, 1)) if n), None
        )
        if stranger and not stranger.isupper():
            raise TimelineError(
                f"No one called “{stranger}” answers in these transcripts. A timeline is "
                f"of someone who does, and a topic, e.g. {EXAMPLE}"
            )
        raise TimelineError(
            f"Whose timeline? Start with a person the corpus knows and add a topic, e.g. {EXAMPLE}"
        )
    name = searcher.people.people[understood.person].name
    topic = " ".join([*understood.topic, *(f'"{p}"' for p in query.phrases)]).strip()
    topic = cut_at_word(topic, MAX_TOPIC_CHARS, "")
    if not topic:
        raise TimelineError(f"{name} on what? Add a topic, e.g. /timeline {name} NATO")
    date_from, date_to = _narrowest(query)
    if date_from and date_to and date_from > date_to:
        raise TimelineError("Those dates leave nothing: the start is after the end.")
    return Request(name, topic, date_from, date_to)


def request_for(person: str, topic: str, searcher: Searcher) -> Request:
    """A Request for a person named on their own (the command line's PERSON) and a
    topic that may hold ``from:``/``to:``; raises :class:`TimelineError`."""
    found = searcher.people.whole(words(person))
    if found is None:
        raise TimelineError(
            f"nobody called {person!r} in the corpus ('quotebot people' lists them)"
        )
    name = searcher.people.people[found].name
    query = Query.parse(topic)
    text = " ".join([*words(query.text), *(f'"{p}"' for p in query.phrases)])
    if not text:
        raise TimelineError(f"{name} on what? Add a topic, e.g. NATO")
    date_from, date_to = _narrowest(query)
    return Request(name, cut_at_word(text, MAX_TOPIC_CHARS, ""), date_from, date_to)


def recognise(text: str, searcher: Searcher) -> Request | None:
    """A timeline request in plain text ("putin on nato over the years", "how has
    psaki's view of inflation changed"), else None (an ordinary search)."""
    folded = " ".join(fold(text).replace("?", " ").split())
    changed = _CHANGED.match(folded)
    if changed:
        rest = f"{changed['person']} {changed['topic']}"
    else:
        rest = folded
        for phrase in _PHRASES:
            rest = phrase.sub(" ", rest)
        if rest == folded:
            return None
    try:
        return parse(rest, searcher)
    except TimelineError:
        return None


def is_on_topic(hit: Hit, request: Request, cut_off: int = ON_TOPIC_SCORE) -> bool:
    return hit.person == request.person and hit.score >= cut_off


def _numbered(title: str) -> tuple[tuple[int, int | str], ...]:
    """A title's sort key with its numbers read as numbers ("Go Time 33" before "Go
    Time 286"): the episodes of an undated podcast in their order."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part.casefold())
        for part in re.findall(r"\d+|\D+", title)
    )


def order(hits: list[Hit]) -> list[Hit]:
    """Oldest first; undated sources last, in the order of their titles' numbers."""
    return sorted(
        hits,
        key=lambda h: (
            h.date is None,
            h.date or "",
            () if h.date else _numbered(h.title or ""),
            h.id,
        ),
    )


@dataclass
class Timeline:
    request: Request
    hits: list[Hit] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.hits) // PAGE))


def line(hit: Hit) -> str:
    """``2 June 2017, St Petersburg`` (or ``undated, <title>``): where a line stands."""
    when = human_date(hit.date) if hit.date else UNDATED
    where = hit.place or (source_title(hit) if not hit.date else None)
    return f"{when}, {where}" if where else when


class Timelines:
    """Builds timelines over a Searcher and remembers them for their paging buttons.

    Safe to call from several threads: the bot builds them in worker threads.
    """

    def __init__(
        self, searcher: Searcher, cut_off: int = ON_TOPIC_SCORE, remembered: int = REMEMBERED
    ) -> None:
        self.searcher = searcher
        self.cut_off = cut_off
        self.remembered = remembered
        self._kept: OrderedDict[tuple[int, int], Timeline] = OrderedDict()
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def parse(self, text: str) -> Request:
        return parse(text, self.searcher)

    def recognise(self, text: str) -> Request | None:
        return recognise(text, self.searcher)

    def candidates(self, request: Request) -> list[Hit]:
        """The person's answers search finds for the topic, most relevant first, one
        per excerpt (a page published twice holds the same answer twice)."""
        hits = self.searcher.search(
            request.query(), limit=CANDIDATES, threshold=0, depth=SEARCH_DEPTH
        )
        seen: set[tuple[str | None, str]] = set()
        out = []
        for hit in hits:
            key = (hit.date, " ".join(hit.quote.split()))
            # an answer of questions only asks back ("What do you mean? Our aggressive
            # behaviour?"): nothing said on the topic
            if hit.person == request.person and key not in seen and not only_asks(hit.answer):
                seen.add(key)
                out.append(hit)
        return out

    def build(self, request: Request) -> Timeline:
        """The on-topic answers in date order."""
        hits = [h for h in self.candidates(request) if h.score >= self.cut_off]
        return Timeline(request, order(hits))

    # -- pages --------------------------------------------------------------------
    def reply(self, text: str, chat_id: int = 0) -> Reply:
        """The first page for a /timeline request (or how to ask for one)."""
        if not text.strip():
            return Reply(
                escape(
                    "Give me a person and a topic: one line per answer, oldest first,"
                    f" e.g. {EXAMPLE} or {EXAMPLE} from:2016 to:2019"
                )
            )
        try:
            request = self.parse(text)
        except TimelineError as exc:
            return Reply(escape(str(exc), quote=False))
        return self.first_page(request, chat_id)

    def first_page(self, request: Request, chat_id: int = 0) -> Reply:
        timeline = self.build(request)
        if not timeline.hits:
            return Reply(
                escape(
                    f"Nothing found for {request.title()}. Try other words for the topic"
                    + (", or other dates." if request.date_from or request.date_to else ".")
                )
            )
        # kept for its pages: what a line shows, not each whole answer and its question
        # (a timeline holds hundreds, and thousands are kept)
        slim = [replace(h, answer="", question="", signals={}) for h in timeline.hits]
        with self._lock:
            timeline_id = next(self._ids)
            self._kept[(chat_id, timeline_id)] = Timeline(timeline.request, slim)
            while len(self._kept) > self.remembered:
                self._kept.popitem(last=False)
        return page_reply(timeline, timeline_id, 0)

    def button(self, data: str, chat_id: int = 0) -> tuple[Reply | None, bool]:
        """(reply, edit in place) for ``tl:<timeline>:<page>`` pressed in ``chat_id``;
        (None, False) for data that is not a timeline's. Another chat's timeline is
        refused as expired (button data can be forged)."""
        kind, _, rest = data.partition(":")
        if kind != CALLBACK:
            return None, False
        id_text, _, page_text = rest.partition(":")
        timeline_id, page = parse_id(id_text), parse_id(page_text)
        with self._lock:
            timeline = self._kept.get((chat_id, timeline_id)) if timeline_id is not None else None
        if timeline is None or page is None or page >= timeline.pages:
            return Reply(EXPIRED), False
        return page_reply(timeline, timeline_id, page), True


def page_reply(timeline: Timeline, timeline_id: int, page: int) -> Reply:
    """One page: a heading, one line per answer (date, place, excerpt), a button per
    line opening the full answer, and buttons to the pages around it."""
    hits = timeline.hits
    start = page * PAGE
    shown = hits[start : start + PAGE]
    undated = sum(1 for h in hits if not h.date)
    heading = (
        f"<b>{fit(timeline.request.title(), 300)}</b>: {len(hits)} answer"
        f"{'s' if len(hits) != 1 else ''}, "
        + (
            "none dated, in the order of their sources"
            if undated == len(hits)
            else "oldest first" + (f" ({undated} undated, at the end)" if undated else "")
        )
    )
    lines = [heading]
    buttons = []
    for number, hit in enumerate(shown, start + 1):
        excerpt = cut_at_word(" ".join(hit.quote.split()), EXCERPT_CHARS)
        lines.append(f"\n{number}. <b>{fit(line(hit), 200)}</b>\n{fit(excerpt, EXCERPT_CHARS)}")
        buttons.append(Button(f"{number}. {cut_at_word(line(hit), 40)}", f"a:{hit.id}"))
    if page > 0:
        buttons.append(Button("‹ Earlier", f"{CALLBACK}:{timeline_id}:{page - 1}"))
    if page + 1 < timeline.pages:
        buttons.append(Button("Later ›", f"{CALLBACK}:{timeline_id}:{page + 1}"))
    if timeline.pages > 1:
        lines.append(f"\nPage {page + 1} of {timeline.pages}.")
    return Reply("\n".join(lines), buttons)
