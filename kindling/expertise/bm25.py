"""Okapi BM25 (k1=1.2, b=0.75) over small in-memory documents, and the tokenizer it uses.

Plain Python without Django: the expertise ranking and the evaluation's reference point share it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

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


def tokenize(text: str) -> list[str]:
    """Lower-cased words without stop words, with a light plural strip ("rubrics" → "rubric")."""
    words = []
    for word in _WORD.findall(text.lower()):
        if word in STOPWORDS or len(word) < 2:
            continue
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        words.append(word)
    return words


def term_frequencies(text: str) -> Counter[str]:
    return Counter(tokenize(text))


def idf(document_count: int, document_frequency: int) -> float:
    """BM25's idf, floored at a small positive value so common words never count against."""
    return max(
        math.log(1 + (document_count - document_frequency + 0.5) / (document_frequency + 0.5)),
        0.01,
    )


def bm25_score(
    query_terms: Mapping[str, int],
    terms: Mapping[str, int],
    doc_length: int,
    *,
    idfs: Mapping[str, float],
    average_length: float,
) -> float:
    """One document's BM25 score for a query (term → count in the query)."""
    if not doc_length:
        return 0.0
    norm = K1 * (1 - B + B * doc_length / (average_length or 1.0))
    score = 0.0
    for term, query_count in query_terms.items():
        tf = terms.get(term)
        if tf:
            score += query_count * idfs[term] * tf * (K1 + 1) / (tf + norm)
    return score


class BM25Index:
    """Documents as term frequencies; ``rank`` returns (document index, score), best first."""

    def __init__(self, documents: Iterable[Mapping[str, int]]):
        self.documents: list[Mapping[str, int]] = list(documents)
        self.lengths = [sum(doc.values()) for doc in self.documents]
        self.average_length = sum(self.lengths) / len(self.lengths) if self.lengths else 0.0
        self.document_frequency: Counter[str] = Counter()
        for doc in self.documents:
            self.document_frequency.update(doc.keys())

    def scores(self, query: str | Sequence[str]) -> list[float]:
        words = tokenize(query) if isinstance(query, str) else list(query)
        query_terms = Counter(words)
        n = len(self.documents)
        idfs = {t: idf(n, self.document_frequency.get(t, 0)) for t in query_terms}
        return [
            bm25_score(query_terms, doc, length, idfs=idfs, average_length=self.average_length)
            for doc, length in zip(self.documents, self.lengths, strict=True)
        ]

    def rank(self, query: str | Sequence[str]) -> list[tuple[int, float]]:
        scored = self.scores(query)
        return sorted(enumerate(scored), key=lambda item: (-item[1], item[0]))
