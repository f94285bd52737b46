"""What Kindling points a member at while they describe a need: related posts and helpers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kindling.accounts.models import User

MIN_TEXT = 12  # characters before suggesting anything: a word or two finds only noise


@dataclass
class NeedSuggestions:
    related: list[Any] = field(default_factory=list)
    helpers: list[Any] = field(default_factory=list)
    helper_profiles: dict[int, Any] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not self.related and not self.helpers


def suggestions_for(
    viewer: User, text: str, tags: list[str], *, exclude_need_id: int | None = None
) -> NeedSuggestions:
    """Resources and needs like this one, and the members best able to help, with reasons."""
    from kindling.accounts.models import Profile
    from kindling.expertise.queries import who_can_help
    from kindling.search import embeddings
    from kindling.search.queries import related_content

    text = " ".join(text.split())[:2000]
    if len(text) < MIN_TEXT:
        return NeedSuggestions()
    exclude = [("need", exclude_need_id)] if exclude_need_id else []
    related = related_content(viewer, text, tags=tags, limit=6, exclude=exclude)
    # Related content has encoded the text (QUERY_TOKENS tokens): who can help uses that
    # reading instead of encoding it again.
    helpers = who_can_help(
        viewer,
        text,
        tags,
        limit=3,
        exclude_user_ids=(viewer.pk,),
        reading=embeddings.QUERY_TOKENS,
    )
    profiles = {
        p.user_id: p for p in Profile.objects.filter(user_id__in=[h.user_id for h in helpers])
    }
    return NeedSuggestions(related=related, helpers=helpers, helper_profiles=profiles)
