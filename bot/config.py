"""Settings from the environment, read in one place."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DB = Path("data/quotes.db")
DEFAULT_TRANSCRIPTS = Path("data/transcripts")
DEFAULT_PEOPLE = Path("data/people.toml")


def split_names(value: str | None) -> list[str]:
    """``"Vladimir Putin, Jen Psaki"`` -> ``["Vladimir Putin", "Jen Psaki"]``."""
    return [name.strip() for name in (value or "").split(",") if name.strip()]


def api_root(url: str | None) -> str | None:
    """A Bot API server's root, ``http://host:8081``, from ``TELEGRAM_BASE_URL`` given with
    or without a trailing ``/bot`` (both are common in docs): the bot adds ``/bot<token>``."""
    if not url:
        return None
    root = url.strip().rstrip("/")
    root = root.removesuffix("/bot").rstrip("/")
    return root or None


@dataclass(frozen=True)
class Settings:
    """Everything a deployment can set. The token is kept out of ``repr``."""

    token: str | None = field(default=None, repr=False)
    db_path: Path = DEFAULT_DB
    transcripts: Path = DEFAULT_TRANSCRIPTS
    base_url: str | None = None
    webhook_url: str | None = None
    webhook_secret: str | None = field(default=None, repr=False)
    port: int = 8443
    timezone: str = "UTC"
    speakers: list[str] = field(default_factory=list)
    # chat state (subscriptions); None: state.db beside the corpus
    state_path: Path | None = None
    # who is who: names, aliases, offices by date (see bot/people.py)
    people_file: Path = DEFAULT_PEOPLE

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        return cls(
            token=env.get("TELEGRAM_BOT_TOKEN") or None,
            db_path=Path(env.get("QUOTEBOT_DB") or DEFAULT_DB),
            transcripts=Path(env.get("QUOTEBOT_TRANSCRIPTS") or DEFAULT_TRANSCRIPTS),
            base_url=api_root(env.get("TELEGRAM_BASE_URL")),
            webhook_url=env.get("WEBHOOK_URL") or None,
            webhook_secret=env.get("WEBHOOK_SECRET") or None,
            port=int(env.get("PORT") or 8443),
            timezone=env.get("QUOTEBOT_TZ") or "UTC",
            speakers=split_names(env.get("QUOTEBOT_SPEAKERS")),
            state_path=Path(env["QUOTEBOT_STATE_DB"]) if env.get("QUOTEBOT_STATE_DB") else None,
            people_file=Path(env.get("QUOTEBOT_PEOPLE") or DEFAULT_PEOPLE),
        )
