"""The shapes every transcript parser produces and the rest of quotebot reads."""

from __future__ import annotations

from dataclasses import dataclass, field


class TranscriptError(Exception):
    """A file that cannot be read as a transcript; the message names the reason."""


@dataclass
class RawTurn:
    """One speaker label and what follows it, as a parser found it."""

    label: str
    paragraphs: list[str] = field(default_factory=list)
    timestamp: str | None = None


@dataclass
class SourceInfo:
    """What a transcript says about itself: title, ISO date, place, URL."""

    title: str | None = None
    date: str | None = None
    place: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Turn:
    """A cleaned turn: who spoke, what they said, and whether it is a quotable answer.

    ``question_positions`` points at the turn(s) of this transcript that the answer
    responds to; ``asked_by`` names who asked.
    """

    position: int
    speaker: str
    text: str
    timestamp: str | None = None
    is_answer: bool = False
    question_positions: tuple[int, ...] = ()
    asked_by: str | None = None


@dataclass
class Transcript:
    """A parsed file: its format family, its metadata and its turns in order."""

    format: str
    info: SourceInfo
    turns: list[Turn]
    warnings: list[str] = field(default_factory=list)

    @property
    def answers(self) -> list[Turn]:
        return [t for t in self.turns if t.is_answer]

    def question_text(self, turn: Turn) -> str:
        """The text of the question(s) an answer responds to, or ""."""
        return "\n\n".join(self.turns[p].text for p in turn.question_positions)
