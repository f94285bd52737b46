"""Turning member text into safe full-text queries and highlighted snippets (no Django imports).

User text never reaches MATCH or to_tsquery as written: it is split into word tokens here, and
each token is quoted (SQLite) or handed to plainto/websearch_to_tsquery (PostgreSQL) as a word.
"""

from __future__ import annotations

import re
from html import escape, unescape

MAX_QUERY_TERMS = 30
# A longer text (a need being typed) keeps more of its words: they are ORed, not ANDed.
MAX_RELATED_TERMS = 64
MAX_TERM_LENGTH = 60
# Private-use characters mark the start and end of a match in snippets; indexed text never
# contains them (``clean_text`` removes them), so a member cannot forge a highlight.
MARK_START = "\ue000"
MARK_END = "\ue001"

_WORD = re.compile(r"\w+", re.UNICODE)

STOPWORDS = frozenset(
    """
    a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers herself him himself his how i if in into is it its itself
    just me more most my myself no nor not now of off on once only or other our ours ourselves out
    over own same she should so some such than that the their theirs them themselves then there
    these they this those through to too under until up very was we were what when where which
    while who whom why will with would you your yours yourself yourselves also get got use using
    used want need know like one way work make any thanks thank please hi hello im dont cant
    el la los las un una unos unas y o pero de del al en con por para sin sobre entre que como
    cuando donde quien cual es son fue ser estar esta este esto estos estas ese esa eso hay se su
    sus mi mis tu tus lo le les me te nos muy mas más ya no si sí también porque qué cómo
    """.split()  # noqa: SIM905 - a word list is easier to read and edit as text
)


def clean_text(text: str) -> str:
    """Text as indexed: without the private highlight markers."""
    return text.replace(MARK_START, "").replace(MARK_END, "")


# Markdown as indexed text (``markdown_text``). Escaped punctuation ("\*") is set aside as a
# character of a private plane first, so it survives the markup being stripped, then put back.
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_SET_ASIDE = 0xF0000
_PUT_BACK = {_SET_ASIDE + code: chr(code) for code in range(33, 127)}
# Whole lines that are only markup: code fences, thematic breaks and setext underlines, table
# alignment rows, link reference definitions.
_MARKUP_LINE = re.compile(
    r"^[ \t]*(?:(?:`{3,}|~{3,})[^\n]*|(?:[-*_=][ \t]*){3,}|\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?"
    r"[ \t]*)+\|?|\[[^\]\n]+\]:[ \t]+\S+[^\n]*)[ \t]*$",
    re.MULTILINE,
)
# Markers at the start of a line: block quotes, then a heading's hashes or a list item's marker.
_LINE_MARKER = re.compile(
    r"^[ \t]*(?:>[ \t]?)*[ \t]*(?:#{1,6}(?=[ \t]|$)|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))?",
    re.MULTILINE,
)
# Images and links keep their text; a reference link keeps its text; an autolink its address.
_LINK = re.compile(
    r"!?\[([^\]\n]*)\]"  # [text] or ![description], then (destination "title") or [label]
    r"(?:\((?:[^()\s]|\([^()\s]*\))*(?:[ \t]+\"[^\"\n]*\")?\)|\[[^\]\n]*\])"
)
_AUTOLINK = re.compile(r"<((?:https?://|mailto:)[^\s<>]+)>")
# Emphasis, strikethrough and code markers, and table cell borders.
_INLINE_MARKER = re.compile(r"[*_~`]+")
_CELL_BORDER = re.compile(r"[ \t]*\|[ \t]*")


def _inline_marker(match: re.Match[str]) -> str:
    """Markup goes, except a run between two letters or digits: "_" there is part of a name
    ("snake_case", as CommonMark reads it), and "*" or "~" separate words ("2*3"); a code span's
    backticks always go ("`tx`s" reads "txs")."""
    text, start, end = match.string, match.start(), match.end()
    if start and end < len(text) and text[start - 1].isalnum() and text[end].isalnum():
        run = match.group()
        if not run.strip("_"):
            return run
        if run.strip("*~"):
            return ""
        return " "
    return ""


def markdown_text(markdown: str) -> str:
    """Markdown as plain words for the index and its snippets, markup stripped.

    A few regular expressions rather than a Markdown parser: three to four times faster, which
    rebuilding the index of a large community needs (hundreds of thousands of bodies). Words come
    out as the page shows them: a link's text without its address, a heading without its hashes,
    code with its content; punctuation written as text stays.
    """
    if not markdown:
        return ""
    text = markdown
    # Each pass only where its characters occur: most bodies have no links or escapes.
    escapes = "\\" in text
    if escapes:
        text = _ESCAPED.sub(lambda m: chr(_SET_ASIDE + ord(m.group(1))), text)
    text = _MARKUP_LINE.sub("", text)
    text = _LINE_MARKER.sub("", text)
    if "<" in text:
        text = _AUTOLINK.sub(r"\1", text)
    if "[" in text:
        text = _LINK.sub(r"\1", text)
    text = _INLINE_MARKER.sub(_inline_marker, text)
    if "|" in text:
        text = _CELL_BORDER.sub(" ", text)
    if "&" in text:
        text = unescape(text)
    return " ".join((text.translate(_PUT_BACK) if escapes else text).split())


def tokenize(text: str) -> list[str]:
    """The words of a text, lowercased, punctuation and underscores dropped."""
    words = []
    for match in _WORD.finditer(text.lower()):
        for part in match.group().split("_"):
            if part:
                words.append(part[:MAX_TERM_LENGTH])
    return words


def query_terms(text: str, *, limit: int = MAX_QUERY_TERMS) -> list[str]:
    """The distinct words of a typed query, in order, at most ``limit``."""
    seen: dict[str, None] = {}
    for word in tokenize(text):
        seen.setdefault(word, None)
        if len(seen) >= limit:
            break
    return list(seen)


def informative_terms(text: str, *, limit: int = MAX_QUERY_TERMS) -> list[str]:
    """The words worth searching for in a longer text: no stopwords, no single letters,
    most frequent first (ties in order of appearance)."""
    counts: dict[str, int] = {}
    for word in tokenize(text):
        if len(word) < 2 or word in STOPWORDS or (word.isdigit() and len(word) < 3):
            continue
        counts[word] = counts.get(word, 0) + 1
    ranked = sorted(counts, key=lambda w: -counts[w])
    return ranked[:limit]


def fts5_phrase(term: str) -> str:
    """One term as an FTS5 string: quoted, inner quotes doubled, so it is never syntax."""
    return '"' + term.replace('"', '""') + '"'


def fts5_all(terms: list[str]) -> str:
    """An FTS5 query that matches documents holding every term."""
    return " ".join(fts5_phrase(term) for term in terms)


def fts5_any(terms: list[str]) -> str:
    """An FTS5 query that matches documents holding any of the terms."""
    return " OR ".join(fts5_phrase(term) for term in terms)


def highlighted_html(snippet: str) -> str:
    """A snippet from the database as HTML: escaped first, then the matches wrapped in <mark>."""
    html = escape(snippet, quote=True)
    return html.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
