"""Turning member text into safe full-text queries and highlighted snippets (no Django imports).

User text never reaches MATCH or to_tsquery as written: it is split into word tokens here, and
each token is quoted (SQLite) or handed to plainto/websearch_to_tsquery (PostgreSQL) as a word.
"""

from __future__ import annotations

import re
from html import escape

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
