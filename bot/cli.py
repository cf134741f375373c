"""The ``quotebot`` command line: thin wrappers around the library.

Scripts depend on these commands, options and JSON keys: keep them stable.
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from . import store
from .config import Settings, split_names
from .ingest import FileResult, ingest

_db_option = click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="SQLite database (default: $QUOTEBOT_DB, else data/quotes.db).",
)


def _settings() -> Settings:
    return Settings.from_env()


def _say(message: str) -> None:
    click.echo(message, err=True)


def _open(db_path: Path | None, create: bool = True):
    """The corpus for writing, migrated first (each migration announced on stderr)."""
    try:
        return store.open_db(db_path or _settings().db_path, create=create, on_migrate=_say)
    except store.DatabaseError as exc:
        raise click.ClickException(str(exc)) from exc


def _up_to_date(db) -> None:
    """Link speakers to people when the corpus is new to the people file (a migrated
    older corpus, or an edited people file)."""
    from . import people

    people_file = _settings().people_file
    try:
        if people.needs_link(db, people_file):
            _say(f"linking speakers to people ({people_file})")
            people.link(db, people_file)
    except people.PeopleFileError as exc:
        _say(f"warning: {exc}; speakers keep their earlier links")


def _corpus_path(db_path: Path | None) -> Path:
    """The corpus to read: migrated when it is behind and writable, else as it is."""
    path = db_path or _settings().db_path
    if not path.exists():
        raise click.ClickException(f"no database at {path}; run 'quotebot ingest' first")
    try:
        if store.pending_migrations(path):
            db = _open(path, create=False)
            _up_to_date(db)
            db.close()
    except store.DatabaseError as exc:
        raise click.ClickException(str(exc)) from exc
    return path


@click.group()
@click.version_option(package_name="quotebot")
def main() -> None:
    """quotebot: find what a person actually said in interview transcripts."""


@main.command("ingest")
@_db_option
@click.option(
    "--speakers",
    default=None,
    help="Comma-separated names whose turns are quotable (default: $QUOTEBOT_SPEAKERS,"
    " else whoever answers the questions).",
)
@click.option(
    "--rebuild",
    is_flag=True,
    help="Build a new corpus from PATHS alone, then put it in place of the old one at once"
    " (a running bot keeps answering; chat state is kept).",
)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def ingest_command(
    db_path: Path | None, speakers: str | None, rebuild: bool, paths: tuple[Path, ...]
) -> None:
    """Read transcript files or folders (.txt, .md, .html, .htm) into the database."""
    live = db_path or _settings().db_path
    target = live.with_name(live.name + ".new") if rebuild else live
    if rebuild:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
    db = _open(target)
    names = split_names(speakers) if speakers is not None else _settings().speakers
    err = sys.stderr
    bar = None
    problems: list[str] = []

    def start(total: int) -> None:
        nonlocal bar
        if not err.isatty():
            return
        bar = click.progressbar(length=total, label="Ingesting", file=err, show_pos=True)
        bar.__enter__()

    def report(result: FileResult) -> None:
        if result.status == "skipped":
            problems.append(f"skipped {result.file}: {result.reason}")
        problems.extend(f"warning {result.file}: {w}" for w in result.warnings)
        if bar is not None:
            bar.update(1)

    try:
        result = ingest(
            db,
            paths,
            speakers=names,
            on_start=start,
            on_file=report,
            people_file=_settings().people_file,
        )
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    for line in problems:
        click.echo(line, err=True)
    if result.unlinked:
        click.echo(f"warning: {result.unlinked}", err=True)
    click.echo(result.summary())
    if rebuild:
        db.close()
        if not result.answers:
            Path(target).unlink(missing_ok=True)
            raise click.ClickException(f"the new corpus holds no answers; {live} is unchanged")
        try:
            store.replace_corpus(target, live)
        except Exception as exc:  # sqlite3 or OS errors: the old corpus stays as it was
            raise click.ClickException(f"could not put the new corpus in place: {exc}") from exc
        click.echo(f"{live} replaced by the new corpus", err=True)
    if result.skipped:
        sys.exit(1)


@main.command("sources")
@_db_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
def sources_command(db_path: Path | None, as_json: bool) -> None:
    """List the ingested sources."""
    rows = store.list_sources(store.connect_readonly(_corpus_path(db_path)))
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        title = row["title"] or row["file"]
        when = ", ".join(x for x in (row["date"], row["place"]) if x)
        click.echo(f"{row['id']:>5}  {title}" + (f" ({when})" if when else ""))
        click.echo(
            f"       {row['file']} [{row['format']}]: {row['turns']} turns, {row['answers']} answers"
        )


def _searcher(db_path: Path | None):
    from .search import Searcher

    return Searcher(_corpus_path(db_path))


def _print_hit(hit, as_json: bool) -> None:
    from .render import hit_text

    click.echo(json.dumps(hit.to_json(), ensure_ascii=False) if as_json else hit_text(hit))


@main.command("search")
@_db_option
@click.option("--limit", default=5, show_default=True, type=click.IntRange(1, 50))
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of hits.")
@click.option(
    "--explain",
    is_flag=True,
    help="Show how the query was understood and each hit's signals, weights and judgement.",
)
@click.argument("query", nargs=-1, required=True)
def search_command(
    db_path: Path | None, limit: int, as_json: bool, explain: bool, query: tuple[str, ...]
) -> None:
    """Find the answers that match QUERY ("-" reads one query per line from stdin)."""
    from .render import hit_text
    from .replies import searched

    searcher = _searcher(db_path)
    if explain:
        click.echo(searcher.explain(" ".join(query), limit))
        return
    if query == ("-",):
        for line in sys.stdin:
            searcher.refresh()  # a long-lived process sees what an ingest added meanwhile
            hits = searcher.search(line.rstrip("\n"), limit)
            click.echo(json.dumps([h.to_json() for h in hits], ensure_ascii=False))
            sys.stdout.flush()
        return
    text = " ".join(query)
    if as_json:
        hits = searcher.search(text, limit)
        click.echo(json.dumps([h.to_json() for h in hits], ensure_ascii=False, indent=2))
        return
    found = searched(searcher, text, limit)
    if not found.hits:
        click.echo(found.empty)
    else:
        notes = found.notes
        # a note said once above the hits it is true of, not again above each of them
        shown = [n if i == 0 or n != notes[i - 1] else None for i, n in enumerate(notes)]
        click.echo("\n\n".join(hit_text(h, n) for h, n in zip(found.hits, shown, strict=True)))


@main.command("random")
@_db_option
@click.option("--json", "as_json", is_flag=True, help="Print the hit as JSON.")
def random_command(db_path: Path | None, as_json: bool) -> None:
    """Print a random quotable answer."""
    hit = _searcher(db_path).random()
    if hit is None:
        raise click.ClickException("the database holds no answers yet; run 'quotebot ingest'")
    _print_hit(hit, as_json)


def _replier(settings: Settings, db_path: Path | None = None):
    """The Replier over the configured database, built from the bundled transcripts first
    if it does not exist yet."""
    from .replies import Replier
    from .search import Searcher

    path = db_path or settings.db_path
    db = _open(path)
    if store.has_sources(db):
        _up_to_date(db)
    else:
        click.echo(f"Building {path} from {settings.transcripts} ...", err=True)
        report = ingest(
            db, [settings.transcripts], speakers=settings.speakers, people_file=settings.people_file
        )
        click.echo(report.summary(), err=True)
    db.close()
    return Replier(Searcher(path))


@main.command("chat")
@_db_option
def chat_command(db_path: Path | None) -> None:
    """Talk to quotebot in the terminal, exactly as the Telegram bot answers."""
    from .chat import chat
    from .daily import Dailies

    settings = _settings()
    replier = _replier(settings, db_path)
    interactive = sys.stdin.isatty()
    chat(
        replier,
        sys.stdin,
        sys.stdout,
        prompt=(lambda: click.echo("> ", nl=False)) if interactive else None,
        dailies=Dailies.open(replier, settings.state_path, settings.timezone),
    )


TOKEN_REFUSED = "Telegram refused the bot token (check TELEGRAM_BOT_TOKEN and TELEGRAM_BASE_URL)"


@contextlib.contextmanager
def _telegram_errors(token: str) -> Iterator[None]:
    """Telegram's errors as one clear line and exit code 1, without a traceback: PTB's
    InvalidToken names the token, and a wrong TELEGRAM_BASE_URL path (404) is one too."""
    from telegram.error import InvalidToken, TelegramError

    try:
        yield
    except InvalidToken:
        raise click.ClickException(TOKEN_REFUSED) from None
    except TelegramError as exc:
        message = str(exc).replace(token, "<token>")
        raise click.ClickException(f"Telegram did not answer as expected: {message}") from None


@main.command("run")
@_db_option
def run_command(db_path: Path | None) -> None:
    """Run the Telegram bot (long polling, or a webhook when WEBHOOK_URL is set).

    Without TELEGRAM_BOT_TOKEN it explains how to get one and opens the terminal chat.
    """
    settings = _settings()
    replier = _replier(settings, db_path)
    if not settings.token:
        click.echo(
            "No TELEGRAM_BOT_TOKEN set. To run the Telegram bot, talk to @BotFather in\n"
            "Telegram, send /newbot, and export the token it gives you:\n"
            "    export TELEGRAM_BOT_TOKEN=123456:ABC...\n"
            "Meanwhile, here is quotebot in the terminal.\n",
            err=True,
        )
        from .chat import chat
        from .daily import Dailies

        chat(
            replier,
            sys.stdin,
            sys.stdout,
            prompt=(lambda: click.echo("> ", nl=False)) if sys.stdin.isatty() else None,
            dailies=Dailies.open(replier, settings.state_path, settings.timezone),
        )
        return
    from .telegram.app import configure_logging, run

    configure_logging(settings.token)
    with _telegram_errors(settings.token):
        run(settings, replier)


def _posting_application(db_path: Path | None) -> tuple[Settings, Any]:
    """(settings, the Telegram application) for a command that posts once and exits;
    the token is required and never printed."""
    settings = _settings()
    if not settings.token:
        raise click.ClickException("TELEGRAM_BOT_TOKEN is not set")
    from .telegram.app import build_application, configure_logging

    configure_logging(settings.token)
    return settings, build_application(settings, _replier(settings, db_path))


@main.command("post-daily")
@_db_option
@click.option("--chat", "chat_id", type=int, default=None, help="Only this chat.")
def post_daily_command(db_path: Path | None, chat_id: int | None) -> None:
    """Post the daily quote now to every subscribed chat (for cron-style schedulers)."""
    import asyncio

    from .telegram.daily import post_now

    settings, app = _posting_application(db_path)
    with _telegram_errors(settings.token):
        results = asyncio.run(post_now(app, chat_id))
    for chat, status in results.items():
        click.echo(f"{chat}: {status}")
    if any(status == "failed" for status in results.values()):
        sys.exit(1)


@main.command("migrate")
@_db_option
def migrate_command(db_path: Path | None) -> None:
    """Bring the corpus and chat state databases up to this version's schema.

    The bot and every command do this by themselves at start-up; this does it now,
    e.g. in a deployment's release step, and says what it did.
    """
    settings = _settings()
    corpus = db_path or settings.db_path
    applied: list[str] = []

    def note(message: str) -> None:
        applied.append(message)
        _say(message)

    try:
        db = store.open_db(corpus, create=False, on_migrate=note)
        _up_to_date(db)
        db.close()
        state = store.State.open(
            settings.state_path or store.default_path(corpus), legacy_corpus=corpus, on_migrate=note
        )
        state.close()
    except store.DatabaseError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{len(applied)} change(s) applied" if applied else "up to date")


@main.command("people")
@_db_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@click.option(
    "--relink",
    is_flag=True,
    help="Link every speaker label to its person again (after editing the people file).",
)
@click.option(
    "--people-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Who is who (default: $QUOTEBOT_PEOPLE, else data/people.toml).",
)
@click.argument("name", required=False)
def people_command(
    db_path: Path | None, as_json: bool, relink: bool, people_file: Path | None, name: str | None
) -> None:
    """The people the corpus knows, with their aliases; NAME shows one person."""
    from . import people
    from .search.query import folded_key

    path = _corpus_path(db_path)
    if relink:
        db = _open(path, create=False)
        try:
            changed = people.link(db, people_file or _settings().people_file)
        except people.PeopleFileError as exc:
            raise click.ClickException(str(exc)) from exc
        _say(f"{changed} label(s) linked to another person")
        db.close()
    rows = store.people_rows(store.connect_readonly(path))
    if name:
        wanted = folded_key(name)
        rows = [
            r
            for r in rows
            if wanted == folded_key(r["name"]) or any(wanted == folded_key(a) for a in r["aliases"])
        ] or [r for r in rows if wanted[-1:] == folded_key(r["name"])[-1:]]
        if not rows:
            raise click.ClickException(f"nobody called {name!r} in the corpus")
    if as_json:
        out = [{**r, "aliases": sorted(r["aliases"])} for r in rows]
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    for row in rows:
        span = " to ".join(d for d in dict.fromkeys((row["first_date"], row["last_date"])) if d)
        click.echo(
            f"{row['name']}: {row['answers']} answers, {row['turns']} turns"
            + (f", {span}" if span else "")
        )
        if name or len(row["aliases"]) > 1:
            labels = sorted(row["aliases"].items(), key=lambda kv: -kv[1])
            click.echo("    as " + "; ".join(f"{label} ({n})" for label, n in labels))


@main.command("timeline")
@_db_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of hits, oldest first.")
@click.argument("person")
@click.argument("topic", nargs=-1, required=True)
def timeline_command(
    db_path: Path | None, as_json: bool, person: str, topic: tuple[str, ...]
) -> None:
    """PERSON's answers on TOPIC, oldest first (undated sources last).

    TOPIC may hold from:2019 and to:2021-06. Quote a PERSON of several words.
    """
    from .timeline import TimelineError, Timelines, line, request_for

    searcher = _searcher(db_path)
    try:
        request = request_for(person, " ".join(topic), searcher)
    except TimelineError as exc:
        raise click.ClickException(str(exc)) from exc
    hits = Timelines(searcher).build(request).hits
    if as_json:
        click.echo(json.dumps([h.to_json() for h in hits], ensure_ascii=False, indent=2))
        return
    if not hits:
        click.echo(f"Nothing found: {request.title()}.")
        return
    for hit in hits:
        click.echo(f"{line(hit)}: {' '.join(hit.quote.split())}")


@main.command("post-alerts")
@_db_option
def post_alerts_command(db_path: Path | None) -> None:
    """Match what was ingested since the last round against every follow and post the
    alerts now, then exit (the running bot does this after each corpus change)."""
    import asyncio

    from .telegram.follows import post_now

    settings, app = _posting_application(db_path)
    with _telegram_errors(settings.token):
        counts = asyncio.run(post_now(app))
    click.echo(", ".join(f"{status}: {n}" for status, n in counts.items()))
    if counts["failed"]:
        sys.exit(1)


@main.command("verify")
@_db_option
@click.option("--json", "as_json", is_flag=True, help="Print the verdict as one JSON object.")
@click.argument("text", nargs=-1, required=True)
def verify_command(db_path: Path | None, as_json: bool, text: tuple[str, ...]) -> None:
    """Did they really say that? TEXT: a line, "did X say ...", or "is it true X said ...".

    --json gives {verdict, line, person, hit, span, diff} and, for not_found, the
    coverage searched; exit code 0 whatever the verdict.
    """
    from . import verify

    searcher = _searcher(db_path)
    claim = verify.to_check(searcher, " ".join(text))
    if claim is None:  # "", "putin said", "putin:"
        raise click.UsageError('no line to check: quotebot verify "did putin say ..."')
    verdict = verify.verify(searcher, claim)
    if as_json:
        click.echo(json.dumps(verdict.to_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(verify.verdict_text(verdict))
