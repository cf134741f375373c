"""A quote as a picture: PNG bytes to send as a photo, legible on a phone.

The card is drawn with Pillow in the DejaVu Sans shipped in ``bot/fonts`` (nothing is
downloaded); without those files it falls back to Pillow's built-in scalable font.
Text the font cannot draw (a script it lacks, or right-to-left text without Pillow's
complex layout) is never shown as empty boxes: the quote gives way to a note that the
link holds it, and other such lines are left out. Nothing here imports ``telegram``.
"""

from __future__ import annotations

import functools
import io
import unicodedata
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, features

from .render import INTO_RECORDING, human_date, shorten, source_title
from .search import Hit

FONT_DIR = Path(__file__).resolve().parent / "fonts"
REGULAR_FONT = "DejaVuSans.ttf"
BOLD_FONT = "DejaVuSans-Bold.ttf"

# Pixels. 1080 wide is a phone screen's width, so Telegram shows the card at about
# 1:1 on a phone and nothing is scaled down into illegibility.
CARD_WIDTH = 1080
# A card is at least square: short quotes still make a picture, not a strip.
CARD_MIN_HEIGHT = 1080
MARGIN = 96
# Font sizes of the quote in px, largest first: the largest that keeps the quote
# within QUOTE_MAX_LINES is used. The smallest is the floor for legibility on a phone.
QUOTE_SIZES = (64, 56, 48, 42)
QUOTE_MAX_LINES = 14
# Characters of the quote a card shows at most (cut after a whole sentence): about
# what fits in QUOTE_MAX_LINES lines at the smallest size.
QUOTE_MAX_CHARS = 420
# Each time a shortened quote still needs too many lines, keep this share of it.
QUOTE_SHRINK = 0.8
SPEAKER_SIZE = 46
DETAILS_SIZE = 40
QUOTE_MARK_SIZE = 160
# Line height as a share of the font size.
LINE_SPACING = 1.35
# Pixels between blocks (quote mark, quote, speaker, source, link).
BLOCK_GAP = 40
# Lines of the source title at most; a longer title ends with "…".
TITLE_MAX_LINES = 2
# RGB colours: dark ink on warm paper (contrast about 15:1), muted grey for the
# source (about 6:1, above the 4.5:1 that WCAG asks of body text), a red accent.
PAPER = (250, 247, 240)
INK = (28, 28, 30)
MUTED = (90, 90, 98)
ACCENT = (170, 52, 40)

UNDRAWABLE_NOTE = "This quote is written in a script the card cannot show: the link has it."
# A code point no font has: what the font draws for a missing glyph.
_NOT_A_GLYPH = "\U0010fffd"
_RAQM = features.check("raqm")


@functools.lru_cache(maxsize=32)
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """The shipped font at ``size`` px, else Pillow's built-in one (never a download)."""
    path = FONT_DIR / (BOLD_FONT if bold else REGULAR_FONT)
    engine = ImageFont.Layout.RAQM if _RAQM else ImageFont.Layout.BASIC
    try:
        return ImageFont.truetype(str(path), size, layout_engine=engine)
    except OSError:
        return ImageFont.load_default(size=size)


def _glyph(font: ImageFont.FreeTypeFont, char: str) -> tuple[tuple[int, int], bytes]:
    mask = font.getmask(char)
    return mask.size, bytes(mask)


@functools.lru_cache(maxsize=8192)
def _has_glyph(bold: bool, char: str) -> bool:
    font = _font(DETAILS_SIZE, bold)
    return _glyph(font, char) != _glyph(font, _NOT_A_GLYPH)


def _right_to_left(text: str) -> bool:
    """Whether most strong characters of ``text`` are written right to left."""
    rtl = sum(unicodedata.bidirectional(c) in ("R", "AL") for c in text)
    ltr = sum(unicodedata.bidirectional(c) == "L" for c in text)
    return rtl > ltr


def drawable(text: str, bold: bool = False) -> bool:
    """Whether the card's font can show ``text`` as it should be read: every visible
    character has a glyph, and right-to-left text has the layout engine it needs."""
    if not _RAQM and any(unicodedata.bidirectional(c) in ("R", "AL") for c in text):
        return False
    for char in set(text):
        if char.isspace() or unicodedata.category(char)[0] in "MC":
            continue  # marks, joiners and controls have no glyph of their own
        if not _has_glyph(bold, char):
            return False
    return True


def _width(text: str, font: ImageFont.FreeTypeFont, direction: str | None) -> float:
    return font.getlength(text, direction=direction) if direction else font.getlength(text)


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int, direction: str | None) -> list[str]:
    """Lines of at most ``width`` px, broken at spaces; a word wider than a line (a long
    link, text without spaces) is broken between characters."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if _width(candidate, font, direction) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        for char in word:
            if line and _width(line + char, font, direction) > width:
                lines.append(line)
                line = ""
            line += char
    if line:
        lines.append(line)
    return lines


def _clip(lines: list[str], most: int) -> list[str]:
    if len(lines) <= most:
        return lines
    return [*lines[: most - 1], lines[most - 1].rstrip(".,;: ") + "…"]


class _Block:
    """Lines in one font and colour, laid out left to right or right to left."""

    def __init__(
        self,
        lines: list[str],
        font: ImageFont.FreeTypeFont,
        fill: tuple[int, int, int],
        direction: str | None = None,
    ) -> None:
        self.lines, self.font, self.fill, self.direction = lines, font, fill, direction
        self.line_height = round(font.size * LINE_SPACING)

    @property
    def height(self) -> int:
        return self.line_height * len(self.lines)

    def draw(self, draw: ImageDraw.ImageDraw, top: int) -> None:
        for i, line in enumerate(self.lines):
            y = top + i * self.line_height
            if self.direction == "rtl":
                draw.text(
                    (CARD_WIDTH - MARGIN, y),
                    line,
                    font=self.font,
                    fill=self.fill,
                    anchor="ra",
                    direction="rtl",
                )
            else:
                draw.text((MARGIN, y), line, font=self.font, fill=self.fill, anchor="la")


def _quote_block(quote: str) -> _Block:
    """The quote at the largest size that fits, shortened on a sentence boundary."""
    text = " ".join(quote.split())
    if not text or not drawable(text):
        return _Block(
            _wrap(UNDRAWABLE_NOTE, _font(DETAILS_SIZE), _text_width(), None),
            _font(DETAILS_SIZE),
            MUTED,
        )
    direction = "rtl" if _RAQM and _right_to_left(text) else None
    limit = QUOTE_MAX_CHARS
    while True:
        shown = shorten(text, limit)
        for size in QUOTE_SIZES:
            lines = _wrap(shown, _font(size), _text_width(), direction)
            if len(lines) <= QUOTE_MAX_LINES:
                return _Block(lines, _font(size), INK, direction)
        if limit <= 1:
            return _Block(_clip(lines, QUOTE_MAX_LINES), _font(QUOTE_SIZES[-1]), INK, direction)
        limit = int(limit * QUOTE_SHRINK)


def _text_width() -> int:
    return CARD_WIDTH - 2 * MARGIN


def _line_block(
    text: str | None, size: int, fill: tuple[int, int, int], bold: bool = False, most: int = 1
) -> _Block | None:
    """One short line (wrapped to ``most`` lines), or None when empty or undrawable."""
    text = " ".join((text or "").split())
    if not text or not drawable(text, bold):
        return None
    direction = "rtl" if _RAQM and _right_to_left(text) else None
    font = _font(size, bold)
    return _Block(_clip(_wrap(text, font, _text_width(), direction), most), font, fill, direction)


def card_png(hit: Hit, link: str | None = None) -> bytes:
    """The quote of ``hit`` as a PNG card: the excerpt, who said it, the source's title,
    date and place, and ``link`` (the way back to the full answer)."""
    mark = _Block(["“"], _font(QUOTE_MARK_SIZE, bold=True), ACCENT)
    mark.line_height = round(QUOTE_MARK_SIZE * 0.6)  # the mark's ink sits high in its line
    quote = _quote_block(hit.quote)
    stamp = f"{hit.timestamp} {INTO_RECORDING}" if hit.timestamp else None
    when = ", ".join(p for p in (human_date(hit.date), hit.place, stamp) if p)
    blocks = [
        b
        for b in (
            _line_block(f"— {hit.who}", SPEAKER_SIZE, INK, bold=True, most=2),
            _line_block(source_title(hit), DETAILS_SIZE, MUTED, most=TITLE_MAX_LINES),
            _line_block(when, DETAILS_SIZE, MUTED, most=2),
        )
        if b is not None
    ]
    footer = _line_block(link, DETAILS_SIZE, ACCENT, most=2)
    body = [mark, quote, *blocks]
    content = sum(b.height for b in body) + BLOCK_GAP * len(body)
    if footer is not None:
        content += footer.height + BLOCK_GAP
    height = max(CARD_MIN_HEIGHT, content + 2 * MARGIN)

    image = Image.new("RGB", (CARD_WIDTH, height), PAPER)
    draw = ImageDraw.Draw(image)
    top = MARGIN
    for block in body:
        block.draw(draw, top)
        top += block.height + BLOCK_GAP
    if footer is not None:
        footer.draw(draw, height - MARGIN - footer.height)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
