"""Semantic text fit for "who can help": how much each member has answered needs like this one.

For a query, every need a member answered (in public, not hidden) counts by how far its cosine
similarity to the query passes ``SIMILAR``; a member's fit is the sum. Several close matches
beat one, and needs about something else count nothing, however many. The answered needs'
vectors are kept in one float32 matrix per process, so scoring every member costs one
matrix-vector product and one weighted count.

Returns None when semantic similarity is off; the ranking then uses words alone.
"""

from __future__ import annotations

from typing import Any

from kindling.commons.models import Response
from kindling.core.snapshot import Snapshot
from kindling.expertise.actions import public_only
from kindling.expertise.queries import profiles_version
from kindling.search import semantic
from kindling.search.models import DocumentKind

# Cosine (all-MiniLM-L6-v2) above which an answered need counts as like the query.
SIMILAR = 0.4
# How often a process asks whether answers or vectors changed since it loaded them.
RECHECK_SECONDS = 60.0


def _version() -> tuple[Any, ...]:
    """Changes when helper profiles are recomputed (answers changed) or a need's vector does."""
    return (*profiles_version(), *semantic.version(DocumentKind.NEED))


def _load() -> tuple[Any, Any, Any]:
    """(member ids, row of each public answer's need, matrix of unit need vectors)."""
    import numpy as np

    answered = list(
        Response.objects.filter(is_hidden=False, need__is_hidden=False)
        .filter(public_only("need__"))
        .values_list("author_id", "need_id")
        .distinct()
    )
    wanted = {need_id for _author, need_id in answered}
    rows: dict[int, int] = {}
    vectors: list[Any] = []
    # All need vectors in one pass (no IN list of tens of thousands of ids), answered kept.
    for need_id, vector in semantic.stored_vectors(DocumentKind.NEED):
        if need_id in wanted:
            rows[need_id] = len(vectors)
            vectors.append(vector)
    matrix = (
        np.vstack(vectors)
        if vectors
        else np.zeros((0, semantic.embeddings.DIMENSION), dtype=np.float32)
    )
    pairs = [(author, rows[need]) for author, need in answered if need in rows]
    users = np.array([author for author, _row in pairs], dtype=np.int64)
    needs = np.array([row for _author, row in pairs], dtype=np.int64)
    return users, needs, matrix


# The version is asked for at most every RECHECK_SECONDS: its two aggregates cost more than the
# scoring itself on a large commons, and a minute-old fit is good enough.
_answered = Snapshot(_load, _version, recheck_seconds=RECHECK_SECONDS, background=True)


def start_reading(text: str, *, tokens: int | None = None) -> None:
    """Have the model begin reading ``text`` on another thread, for ``similar_needs_fit``."""
    semantic.start_query_vector(text, tokens=tokens or semantic.embeddings.SHORT_QUERY_TOKENS)


def similar_needs_fit(text: str, *, tokens: int | None = None) -> dict[int, float] | None:
    """Member id → how much they answered needs like ``text`` (members above zero only), the
    text read up to ``tokens`` tokens (by default ``embeddings.SHORT_QUERY_TOKENS``)."""
    import numpy as np

    query = semantic.query_vector(text, tokens=tokens or semantic.embeddings.SHORT_QUERY_TOKENS)
    if query is None:
        return None
    users, needs, matrix = _answered.get()
    if not len(users):
        return {}
    gain = np.clip(matrix @ query - SIMILAR, 0.0, None)[needs]
    matched = gain > 0
    if not matched.any():
        return {}
    member_ids, inverse = np.unique(users[matched], return_inverse=True)
    totals = np.bincount(inverse, weights=gain[matched])
    return {int(uid): float(total) for uid, total in zip(member_ids, totals, strict=True)}
