"""Saved transcript web pages (en.kremlin.ru and pages built like them).

The speech is the ``<p>`` elements of the article body; a paragraph that opens with
bold text followed by a colon starts a new speaker. The colon may sit inside or
outside the bold, a name may be split over two bold tags, and an italic aside such
as ``(retranslated)`` may stand between the name and the colon.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode as Node

from .model import RawTurn, SourceInfo, Transcript
from .speakers import assemble, looks_like_label
from .text import clean, to_iso_date

_BODY_SELECTORS = (
    "div.entry-content",
    "[itemprop=articleBody]",
    "article",
    "main",
    "body",
)
_BOLD = frozenset({"b", "strong"})
_ASIDE = frozenset({"i", "em"})
_SEPARATOR = re.compile(r"^[*\s]+$|^<…>$|^<\.\.\.>$|^\[…\]$")
_SITE_SUFFIX = re.compile(r"\s+[•|–-]\s+[^•|–-]+$")


def _meta(tree: HTMLParser, selector: str, attr: str) -> str | None:
    node = tree.css_first(selector)
    value = node.attributes.get(attr) if node else None
    return clean(value) if value else None


def _text(tree: HTMLParser, selector: str) -> str | None:
    node = tree.css_first(selector)
    return clean(node.text(deep=True)) if node else None


def _source_info(tree: HTMLParser) -> SourceInfo:
    title = _text(tree, "h1") or _meta(tree, "meta[property='og:title']", "content")
    if not title:
        page_title = _text(tree, "title")
        title = _SITE_SUFFIX.sub("", page_title) if page_title else None
    date = _meta(tree, "time[datetime]", "datetime") or _meta(
        tree, "meta[itemprop=datePublished]", "content"
    )
    return SourceInfo(
        title=title or None,
        date=to_iso_date(date),
        place=_text(tree, ".read__place, .p-location") or None,
        url=_meta(tree, "meta[property='og:url']", "content")
        or _meta(tree, "link[rel=canonical]", "href"),
    )


def _split_label(paragraph: Node) -> tuple[str | None, str]:
    """(speaker label or None, the paragraph's text without the label)."""
    full = paragraph.text(deep=True)
    bold: list[str] = []
    prefix_len = 0
    for child in paragraph.iter(include_text=True):
        piece = child.text(deep=True)
        opening = piece.strip().lstrip(")").lstrip()
        if child.tag in _BOLD:
            bold.append(piece)
        elif child.tag == "-text" and opening.startswith(":"):
            prefix_len += piece.index(":") + 1
            bold.append(":")
            break
        elif not (child.tag in _ASIDE or piece.strip() in ("", "(", ")")):
            break
        prefix_len += len(piece)
        if "".join(bold).rstrip().endswith(":"):
            break
    label = "".join(bold).strip()
    if not label.endswith(":"):
        return None, full
    label = re.sub(r"\s*\(\s*\)?\s*$", "", label[:-1].strip())
    label = label.rstrip(" (").strip()
    if not looks_like_label(label):
        return None, full
    return label, full[prefix_len:]


def parse_html(text: str, quoted_speakers: list[str] | None = None) -> Transcript:
    """Parse a saved transcript page into a transcript."""
    tree = HTMLParser(text)
    info = _source_info(tree)
    body = next((n for s in _BODY_SELECTORS if (n := tree.css_first(s)) is not None), None)
    turns: list[RawTurn] = []
    speaking = False
    for paragraph in body.css("p") if body is not None else []:
        label, rest = _split_label(paragraph)
        rest = clean(rest)
        if label:
            turns.append(RawTurn(label, [rest] if rest else []))
            speaking = True
            continue
        if not rest or _SEPARATOR.match(rest):
            speaking = speaking and not rest.strip("* ")
            continue
        if _is_heading(paragraph, rest):
            speaking = False
        elif speaking:
            turns[-1].paragraphs.append(rest)
    return assemble("kremlin-html", info, turns, quoted_speakers=quoted_speakers)


def _is_heading(paragraph: Node, text: str) -> bool:
    """A paragraph that is all bold (a section heading), not speech."""
    bold = "".join(n.text(deep=True) for n in paragraph.css("b, strong"))
    return clean(bold) == text
