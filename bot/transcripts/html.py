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

from ..words import words
from .limits import MAX_HTML_DEPTH, MAX_TITLE_CHARS, check_turns
from .model import RawTurn, SourceInfo, Transcript, TranscriptError
from .speakers import assemble, looks_like_titled_label
from .text import clean, to_iso_date

_BODY_SELECTORS = (
    "div.entry-content",
    "[itemprop=articleBody]",
    "article",
    "main",
    "body",
)
# Page furniture inside the article: the publication status box (sections, date,
# direct link, "Text version") that the site marks as not part of the text.
_FURNITURE = ".read__bottommeta, .masha-ignore"
_BOLD = frozenset({"b", "strong"})
_ASIDE = frozenset({"i", "em"})
_SEPARATOR = re.compile(r"^[*\s]+$|^<…>$|^<\.\.\.>$|^\[…\]$")
_SITE_SUFFIX = re.compile(r"\s+[•|–-]\s+[^•|–-]+$")
# A bold label is a name and a colon; a bold run longer than this opens a paragraph
# that is all bold (a heading), and is not read further.
_MAX_BOLD_LABEL_CHARS = 200
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)")
_PLAIN_LABEL = re.compile(r"^(?P<label>[^:\n]{2,80}):\s+(?P<rest>\S.*)$", re.S)
# Elements that never nest: void elements, and those whose end tag is optional (the
# next one closes them), so they never grow the stack of open elements.
_FLAT_TAGS = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
        "p",
        "li",
        "dt",
        "dd",
        "option",
        "optgroup",
        "tr",
        "td",
        "th",
        "thead",
        "tbody",
        "tfoot",
        "colgroup",
        "caption",
        "rb",
        "rt",
        "rtc",
        "rp",
        "html",
        "head",
        "body",
    ]
)
_RAW_TEXT_TAGS = frozenset({"script", "style", "textarea", "title", "xmp", "noscript"})


def _check_nesting(text: str) -> None:
    """Refuse a page whose elements nest deeper than MAX_HTML_DEPTH.

    The HTML parser's work grows with the square of the depth of open elements, so
    this linear scan of tag names runs first.
    """
    depth = 0
    skip_to = 0  # the end of a script's or style's text: no tags inside
    lowered = text.lower()
    for match in _TAG.finditer(lowered):
        if match.start() < skip_to:
            continue
        closing, name = match[1], match[2]
        if name in _FLAT_TAGS:
            continue
        if closing:
            depth = max(0, depth - 1)
            continue
        if name in _RAW_TEXT_TAGS:
            end = lowered.find(f"</{name}", match.end())
            skip_to = len(lowered) if end < 0 else end
            continue
        depth += 1
        if depth > MAX_HTML_DEPTH:
            raise TranscriptError(
                f"HTML elements nested more than {MAX_HTML_DEPTH} deep: not a transcript page"
            )


def _meta(tree: HTMLParser, selector: str, attr: str) -> str | None:
    node = tree.css_first(selector)
    value = node.attributes.get(attr) if node else None
    return clean(value) if value else None


def _text(tree: HTMLParser, selector: str) -> str | None:
    node = tree.css_first(selector)
    return clean(node.text(deep=True)) if node else None


def _title_text(tree: HTMLParser, selector: str) -> str | None:
    """A title element's text; a huge one is cut (with room for the limit's warning)
    before the suffix pattern runs over it."""
    text = _text(tree, selector)
    return (
        text[: 4 * MAX_TITLE_CHARS]
        if text is not None and len(text) > 4 * MAX_TITLE_CHARS
        else text
    )


def _source_info(tree: HTMLParser) -> SourceInfo:
    title = _title_text(tree, "h1") or _meta(tree, "meta[property='og:title']", "content")
    if not title:
        page_title = _title_text(tree, "title")
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


def _is_bold_link(node: Node) -> bool:
    """A link set wholly in bold: a name linked to the person's page, as a label writes
    it after their office ("<b>Defence Minister </b><a ...><b>Sergei Shoigu</b></a>:")."""
    if node.tag != "a":
        return False
    text = node.text(deep=True).strip()
    return bool(text) and text == "".join(b.text(deep=True) for b in node.css("b, strong")).strip()


def _split_label(paragraph: Node) -> tuple[str | None, str]:
    """(speaker label or None, the paragraph's text without the label)."""
    full = paragraph.text(deep=True)
    bold: list[str] = []
    bold_chars = 0
    prefix_len = 0
    for child in paragraph.iter(include_text=True):
        piece = child.text(deep=True)
        opening = piece.strip().lstrip(")").lstrip()
        if child.tag in _BOLD or _is_bold_link(child):
            bold.append(piece)
            bold_chars += len(piece)
        elif child.tag == "-text" and opening.startswith(":"):
            prefix_len += piece.index(":") + 1
            bold.append(":")
            break
        elif not (child.tag in _ASIDE or piece.strip() in ("", "(", ")")):
            break
        prefix_len += len(piece)
        if child.tag in _ASIDE and piece.rstrip().endswith(":"):
            bold.append(":")  # "<b>Question</b> <i>(retranslated):</i>"
            break
        if bold_chars > _MAX_BOLD_LABEL_CHARS or (piece.strip() and piece.rstrip().endswith(":")):
            break
    label = "".join(bold).strip()
    if not label.endswith(":"):
        return None, full
    label = re.sub(r"\s*\(\s*\)?\s*$", "", label[:-1].strip())
    label = label.rstrip(" (").strip()
    if not looks_like_titled_label(label):
        return None, full
    return label, full[prefix_len:]


def _bold_opening(paragraph: Node, labels: set[str]) -> tuple[str, str] | None:
    """(label, the speech after it) when the paragraph opens with bold text that is
    one of the page's ``labels`` and goes on in plain text; else None."""
    bold, prefix_len = [], 0
    for child in paragraph.iter(include_text=True):
        piece = child.text(deep=True)
        if child.tag in _BOLD:
            bold.append(piece)
        elif child.tag != "-text" or piece.strip() or not bold:
            break
        prefix_len += len(piece)
    label = " ".join("".join(bold).split())
    speech = paragraph.text(deep=True)[prefix_len:]
    if label not in labels or not speech.strip():
        return None
    return label, speech


def parse_html(text: str, quoted_speakers: list[str] | None = None) -> Transcript:
    """Parse a saved transcript page into a transcript."""
    _check_nesting(text)
    tree = HTMLParser(text)
    info = _source_info(tree)
    body = next((n for s in _BODY_SELECTORS if (n := tree.css_first(s)) is not None), None)
    turns: list[RawTurn] = []
    speaking = False
    for furniture in body.css(_FURNITURE) if body is not None else []:
        furniture.decompose()
    paragraphs = [
        (p, *_split_label(p), _in_blockquote(p))
        for p in (body.css("p") if body is not None else [])
    ]
    labels = {label for _, label, _, _ in paragraphs if label}
    said = " ".join(" ".join(words(rest)) for _, _, rest, quoted in paragraphs if not quoted)
    for paragraph, label, rest, quoted in paragraphs:
        if quoted and _pull_quote(rest, said):
            continue  # a line of the speech set apart as a pull-quote: said once
        rest = clean(rest)
        if label is None and (plain := _PLAIN_LABEL.match(rest)) and plain["label"] in labels:
            # a label the page sets in bold elsewhere, here not (or half) in bold
            label, rest = plain["label"], plain["rest"]
        elif label is None and (opening := _bold_opening(paragraph, labels)):
            # ... or in bold with its colon left out ("<b>Megyn Kelly </b>With this?")
            label, rest = opening[0], clean(opening[1])
        if label:
            turns.append(RawTurn(label, [rest] if rest else []))
            check_turns(len(turns))
            speaking = True
            continue
        if not rest or _SEPARATOR.match(rest):
            speaking = speaking and not rest.strip("* ")
            continue
        if _is_heading(paragraph):
            speaking = False
        elif speaking:
            turns[-1].paragraphs.append(rest)
    return assemble("kremlin-html", info, turns, quoted_speakers=quoted_speakers)


# A pull-quote repeats the speech: this many of its first words, found as a run
# in the page's other paragraphs, make it one (fewer may be an everyday phrase).
_PULL_QUOTE_WORDS = 8


def _in_blockquote(paragraph: Node) -> bool:
    parent = paragraph.parent
    while parent is not None:
        if parent.tag == "blockquote":
            return True
        parent = parent.parent
    return False


def _pull_quote(text: str, said: str) -> bool:
    """Whether a blockquote's paragraph repeats words the page's other paragraphs say
    (older en.kremlin.ru pages set lines of a speech apart in quotation marks: "”Our
    goal is to create modern, mobile and well-equipped Armed Forces ...“")."""
    opening = words(text)[:_PULL_QUOTE_WORDS]
    return len(opening) == _PULL_QUOTE_WORDS and f" {' '.join(opening)} " in f" {said} "


def _is_heading(paragraph: Node) -> bool:
    """A paragraph that is all bold (a section heading), not speech.

    Every piece of text in it lies inside a bold element; each node is visited once,
    so a paragraph of 100,000 bold tags costs linear time.
    """
    stack = list(paragraph.iter(include_text=True))
    while stack:
        node = stack.pop()
        if node.tag in _BOLD:
            continue
        if node.tag == "-text":
            if node.text(deep=False).strip():
                return False
            continue
        stack.extend(node.iter(include_text=True))
    return True
