"""Background tasks owned by the expertise app."""

from __future__ import annotations

from django_tasks import task


@task()
def recompute_expertise_task(user_ids: list[int]) -> int:
    """Recompute these members' expertise after something they did was voted, marked or built on."""
    from kindling.expertise.actions import recompute_expertise

    return recompute_expertise(user_ids)
