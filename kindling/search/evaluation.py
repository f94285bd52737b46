"""Ranking metrics for retrieval evaluations (no Django imports)."""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field


def reciprocal_rank(ranking: Sequence[object], relevant: Collection[object]) -> float:
    for position, item in enumerate(ranking, start=1):
        if item in relevant:
            return 1.0 / position
    return 0.0


def recall_at(ranking: Sequence[object], relevant: Collection[object], k: int) -> float:
    if not relevant:
        return 0.0
    return len(set(ranking[:k]) & set(relevant)) / len(relevant)


def hit_at(ranking: Sequence[object], relevant: Collection[object], k: int) -> float:
    return 1.0 if set(ranking[:k]) & set(relevant) else 0.0


def ndcg_at(ranking: Sequence[object], relevant: Collection[object], k: int) -> float:
    """Binary-relevance nDCG@k."""
    dcg = sum(
        1.0 / math.log2(position + 1)
        for position, item in enumerate(ranking[:k], start=1)
        if item in relevant
    )
    ideal = sum(1.0 / math.log2(position + 1) for position in range(1, min(k, len(relevant)) + 1))
    return dcg / ideal if ideal else 0.0


@dataclass
class RankingScores:
    """Averages of MRR, Recall@10, Hit@10 and nDCG@10 over the queries added."""

    rr: list[float] = field(default_factory=list)
    recall: list[float] = field(default_factory=list)
    hit: list[float] = field(default_factory=list)
    ndcg: list[float] = field(default_factory=list)

    def add(self, ranking: Sequence[object], relevant: Collection[object], k: int = 10) -> None:
        self.rr.append(reciprocal_rank(ranking, relevant))
        self.recall.append(recall_at(ranking, relevant, k))
        self.hit.append(hit_at(ranking, relevant, k))
        self.ndcg.append(ndcg_at(ranking, relevant, k))

    def summary(self) -> dict[str, float]:
        def mean(values: list[float]) -> float:
            return round(sum(values) / len(values), 4) if values else 0.0

        return {
            "mrr": mean(self.rr),
            "recall_at_10": mean(self.recall),
            "hit_at_10": mean(self.hit),
            "ndcg_at_10": mean(self.ndcg),
        }


def percentile(values: Sequence[float], fraction: float) -> float:
    """The value below which ``fraction`` of the values fall (nearest rank)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, math.ceil(fraction * len(ordered)) - 1))
    return ordered[index]
