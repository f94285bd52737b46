"""Background tasks owned by the search app."""

from __future__ import annotations

from django_tasks import task


@task()
def embed_documents_task(kind: str, object_ids: list[int]) -> int:
    """Compute the semantic vectors of these resources or needs after they were written."""
    from kindling.search.semantic import embed_documents

    return embed_documents(kind, object_ids)


@task()
def refresh_recent_index_task() -> int | None:
    """Raise the floor of PostgreSQL's index of the newest documents when it holds too many."""
    from kindling.search.fulltext import refresh_recent_index

    return refresh_recent_index()
