"""Plain Okapi BM25 over token lists: the reference point for retrieval evaluations.

No Django imports; documents and queries are lists of tokens.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence


class BM25:
    """An in-memory BM25 index (k1 = 1.2, b = 0.75 by default)."""

    def __init__(
        self, documents: Sequence[Sequence[str]], *, k1: float = 1.2, b: float = 0.75
    ) -> None:
        self.k1 = k1
        self.b = b
        self.counts = [Counter(document) for document in documents]
        self.lengths = [len(document) for document in documents]
        self.size = len(documents)
        self.average_length = (sum(self.lengths) / self.size) if self.size else 0.0
        self.document_frequency: Counter[str] = Counter()
        for counts in self.counts:
            self.document_frequency.update(counts.keys())

    def idf(self, term: str) -> float:
        df = self.document_frequency.get(term, 0)
        return math.log(1 + (self.size - df + 0.5) / (df + 0.5))

    def scores(self, query: Sequence[str]) -> list[float]:
        """The score of every document for the query (query terms counted once each)."""
        terms = [(term, self.idf(term)) for term in dict.fromkeys(query)]
        result = []
        average = self.average_length or 1.0
        for counts, length in zip(self.counts, self.lengths, strict=True):
            score = 0.0
            norm = self.k1 * (1 - self.b + self.b * length / average)
            for term, idf in terms:
                tf = counts.get(term)
                if tf:
                    score += idf * tf * (self.k1 + 1) / (tf + norm)
            result.append(score)
        return result

    def rank(self, query: Sequence[str], limit: int) -> list[int]:
        """Indices of the best-scoring documents (score above zero), best first."""
        scored = [(score, i) for i, score in enumerate(self.scores(query)) if score > 0]
        scored.sort(key=lambda pair: (-pair[0], pair[1]))
        return [i for _score, i in scored[:limit]]
