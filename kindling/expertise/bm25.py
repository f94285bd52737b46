"""The pieces of Okapi BM25 (k1=1.2, b=0.75) the expertise ranking uses, and its tokenizer.

Plain Python without Django. The ranking scores stored term frequencies itself (see
``ranking``); the evaluation's reference point is the search app's ``BM25``.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

K1 = 1.2
B = 0.75

_WORD = re.compile(r"[a-z0-9][a-z0-9_\-']*[a-z0-9]|[a-z0-9]")
_STOPWORDS_TEXT = """
a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    out over own same she should so some such than that the their theirs them then there these
    they this those through to too under until up very was we were what when where which while
    who whom why will with would you your yours yourself also get got use using used want need
    like know one way make sure thanks thank please hi hello question answer can't don't i'm
it's there's what's does'nt e g eg ie etc"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())


@lru_cache(maxsize=65_536)
def _term(word: str) -> str | None:
    """A word as a term: None for stop words and single letters; a light plural strip."""
    if word in STOPWORDS or len(word) < 2:
        return None
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def tokenize(text: str) -> list[str]:
    """Lower-cased words without stop words, with a light plural strip ("rubrics" → "rubric")."""
    return [term for term in map(_term, _WORD.findall(text.lower())) if term is not None]


def idf(document_count: int, document_frequency: int) -> float:
    """BM25's idf, floored at a small positive value so common words never count against."""
    return max(
        math.log(1 + (document_count - document_frequency + 0.5) / (document_frequency + 0.5)),
        0.01,
    )
