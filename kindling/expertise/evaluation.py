"""Expert-finding metrics: plain Python, no Django (EVALUATION.md §1)."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence, Set
from dataclasses import dataclass, field

METRICS = ("mrr", "p_at_1", "hit_at_5", "hit_at_10", "ndcg_at_10")


@dataclass
class MetricTotals:
    """Running sums of per-query metrics; ``summary`` gives their means."""

    queries: int = 0
    sums: dict[str, float] = field(default_factory=lambda: dict.fromkeys(METRICS, 0.0))

    def add(self, ranking: Sequence[int], relevant: Set[int]) -> None:
        self.queries += 1
        for name, value in query_metrics(ranking, relevant).items():
            self.sums[name] += value

    def summary(self) -> dict[str, float]:
        if not self.queries:
            return dict.fromkeys(METRICS, 0.0)
        return {name: round(total / self.queries, 4) for name, total in self.sums.items()}


def query_metrics(ranking: Sequence[int], relevant: Set[int]) -> dict[str, float]:
    """MRR, P@1, Hit@5, Hit@10 and nDCG@10 (binary relevance) for one ranked list."""
    first = next((i for i, item in enumerate(ranking) if item in relevant), None)
    dcg = sum(1 / math.log2(i + 2) for i, item in enumerate(ranking[:10]) if item in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(len(relevant), 10)))
    return {
        "mrr": 0.0 if first is None else 1 / (first + 1),
        "p_at_1": 1.0 if first == 0 else 0.0,
        "hit_at_5": 1.0 if first is not None and first < 5 else 0.0,
        "hit_at_10": 1.0 if first is not None and first < 10 else 0.0,
        "ndcg_at_10": dcg / ideal if ideal else 0.0,
    }


def percentile(values: Sequence[float], fraction: float) -> float:
    """The value below which ``fraction`` of ``values`` fall (nearest rank)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, math.ceil(fraction * len(ordered)) - 1))
    return ordered[index]


def latency_summary(milliseconds: Sequence[float]) -> dict[str, float]:
    return {
        "p50": round(statistics.median(milliseconds), 2) if milliseconds else 0.0,
        "p95": round(percentile(milliseconds, 0.95), 2),
    }
