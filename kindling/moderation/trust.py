"""Trust limits: what new and suspended members may post.

A member is *new* until both are true: their account is at least ``TRUST_LEVEL_UP_DAYS`` old,
and they have either ``TRUST_LEVEL_UP_CONTRIBUTIONS`` posts that are not hidden, or a post that
others found useful (a "useful" vote, or a response the asker marked as helpful). New members may
post ``TRUST_NEW_POSTS_PER_HOUR`` times an hour, with at most ``TRUST_NEW_MAX_LINKS`` links in a
post and no attachments. Moderators and staff are never limited; a suspension stops anyone.

Commons actions call ``check_can_post`` before they create a resource, need, response or
comment; forms call ``posting_limits`` to say the limits up front.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kindling.commons.models import Comment, Need, Resource, Response
from kindling.commons.querysets import is_moderator
from kindling.moderation.models import Suspension
from kindling.moderation.queries import active_suspension

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kindling.accounts.models import User

__all__ = [
    "PostingLimits",
    "PostingNotAllowed",
    "check_can_post",
    "count_links",
    "is_new_member",
    "posting_limits",
]

# A web address as people write it: with a scheme, or starting with "www.". It stops at
# whitespace and at the brackets Markdown wraps around links, so "[x](https://a.example)" is one.
_LINK = re.compile(r"(?:https?://|ftp://|www\.)[^\s<>()\[\]\"'`]+", re.IGNORECASE)
_SCHEME = re.compile(r"^(?:https?|ftp)://", re.IGNORECASE)
_TRAILING_PUNCTUATION = ".,;:!?*_~"


class PostingNotAllowed(ValidationError):
    """Raised when a member may not post this now; the message says why, for the member."""


@dataclass(frozen=True)
class PostingLimits:
    """The limits that apply to one member now, for a form to show before they write."""

    is_new: bool
    suspension: Suspension | None
    posts_per_hour: int | None
    posts_left_this_hour: int | None
    max_links: int | None
    attachments_allowed: bool

    @property
    def is_limited(self) -> bool:
        return self.suspension is not None or self.is_new


def count_links(*texts: str | None) -> int:
    """How many different web addresses the texts (Markdown bodies, URL fields) contain.

    The same address written twice (``[https://a.example](https://a.example)``) counts once;
    links to pages on this site (``/resources/3``) do not count.
    """
    addresses: set[str] = set()
    for text in texts:
        if not text:
            continue
        for match in _LINK.finditer(text):
            address = match.group(0).rstrip(_TRAILING_PUNCTUATION).lower()
            address = _SCHEME.sub("", address).removeprefix("www.").rstrip("/")
            if address:
                addresses.add(address)
    return len(addresses)


def _is_exempt(user: User | AnonymousUser) -> bool:
    return bool(user.is_staff or is_moderator(user))


@cache
def _activity_sql() -> str:
    """One statement: posts in the last hour, posts not hidden, whether others found any useful,
    and the suspension in force.

    Written as SQL because Django took about 10 ms to compile the same eleven subqueries as
    ORM expressions on every page with a posting form, while the database answers in well under
    a millisecond (each subquery walks one member's rows through an ``author`` index).
    Built once per process: only the table names vary, and they do not.
    """
    # Only table names from the models are formatted in; every value is a query parameter.
    tables = [model._meta.db_table for model in (Resource, Need, Response, Comment)]
    recent = " + ".join(
        f"(SELECT COUNT(*) FROM {table} WHERE author_id = %(user)s AND created_at >= %(since)s)"  # noqa: S608
        for table in tables
    )
    standing = " + ".join(
        f"(SELECT COUNT(*) FROM {table} WHERE author_id = %(user)s AND is_hidden = %(no)s)"  # noqa: S608
        for table in tables
    )
    resource, need, response, _comment = tables
    recognised = (
        f"EXISTS (SELECT 1 FROM {resource} WHERE author_id = %(user)s AND useful_count > 0)"  # noqa: S608
        f" OR EXISTS (SELECT 1 FROM {need} WHERE author_id = %(user)s AND useful_count > 0)"
        f" OR EXISTS (SELECT 1 FROM {response} WHERE author_id = %(user)s"
        " AND is_hidden = %(no)s AND (useful_count > 0 OR helped = %(yes)s))"
    )
    suspension = Suspension._meta.db_table
    # The rule of queries.active_suspension: the latest one in force now.
    suspended = (
        f"(SELECT id FROM {suspension} WHERE user_id = %(user)s AND lifted_at IS NULL"  # noqa: S608
        " AND starts_at <= %(now)s AND (ends_at IS NULL OR ends_at > %(now)s)"
        " ORDER BY starts_at DESC LIMIT 1)"
    )
    return f"SELECT {recent}, {standing}, CASE WHEN {recognised} THEN 1 ELSE 0 END, {suspended}"


def _activity(user: User) -> dict[str, Any]:
    """Posts in the last hour, posts not hidden, whether others found any useful, and the id of
    the suspension in force (or None): one query."""
    now = timezone.now()
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(
            _activity_sql(),
            {
                "user": user.pk,
                "since": adapt(now - timedelta(hours=1)),
                "now": adapt(now),
                "no": False,
                "yes": True,
            },
        )
        recent_posts, contributions, recognised, suspension_id = cursor.fetchone()
    return {
        "recent_posts": int(recent_posts),
        "contributions": int(contributions),
        "recognised": bool(recognised),
        "suspension_id": suspension_id,
    }


def _is_new(user: User, activity: dict[str, Any]) -> bool:
    old_enough = user.date_joined <= timezone.now() - timedelta(days=settings.TRUST_LEVEL_UP_DAYS)
    took_part = (
        activity["contributions"] >= settings.TRUST_LEVEL_UP_CONTRIBUTIONS or activity["recognised"]
    )
    return not (old_enough and took_part)


def is_new_member(user: User | AnonymousUser) -> bool:
    """Whether the member's posts are still limited as a newcomer's (moderators never are)."""
    if not user.is_authenticated:
        return True
    if _is_exempt(user):
        return False
    return _is_new(user, _activity(user))


def posting_limits(user: User | AnonymousUser) -> PostingLimits:
    """The limits on this member's posting now (one query; two for a suspended member)."""
    if not user.is_authenticated or _is_exempt(user):
        return PostingLimits(
            is_new=False,
            suspension=active_suspension(user),
            posts_per_hour=None,
            posts_left_this_hour=None,
            max_links=None,
            attachments_allowed=True,
        )
    activity = _activity(user)
    suspension = (
        Suspension.objects.filter(pk=activity["suspension_id"]).first()
        if activity["suspension_id"] is not None
        else None
    )
    if not _is_new(user, activity):
        return PostingLimits(
            is_new=False,
            suspension=suspension,
            posts_per_hour=None,
            posts_left_this_hour=None,
            max_links=None,
            attachments_allowed=True,
        )
    per_hour = settings.TRUST_NEW_POSTS_PER_HOUR
    return PostingLimits(
        is_new=True,
        suspension=suspension,
        posts_per_hour=per_hour,
        posts_left_this_hour=max(per_hour - int(activity["recent_posts"]), 0),
        max_links=settings.TRUST_NEW_MAX_LINKS,
        attachments_allowed=False,
    )


def _format_moment(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def suspension_message(suspension: Suspension) -> str:
    """What a suspended member is told when they try to post."""
    if suspension.ends_at:
        return _(
            "Your account is suspended until %(until)s, so you cannot post. Reason: %(reason)s"
        ) % {"until": _format_moment(suspension.ends_at), "reason": suspension.reason}
    return _(
        "Your account is suspended until a moderator lifts it, so you cannot post. "
        "Reason: %(reason)s"
    ) % {"reason": suspension.reason}


def check_can_post(user: User | AnonymousUser, *, links: int = 0, attachments: int = 0) -> None:
    """Raise ``PostingNotAllowed`` if this member may not post now with these links and files.

    ``links`` is the number of links in the post (``count_links(title, body, *urls)``),
    ``attachments`` the number of files attached to it. One query (two for a suspended member).
    """
    if not user.is_authenticated:
        raise PostingNotAllowed(_("Please sign in to post."), code="anonymous")
    limits = posting_limits(user)
    if limits.suspension is not None:
        raise PostingNotAllowed(suspension_message(limits.suspension), code="suspended")
    if not limits.is_new:
        return
    if limits.posts_left_this_hour is not None and limits.posts_left_this_hour <= 0:
        raise PostingNotAllowed(
            ngettext(
                "New members can post %(count)d time an hour, and you have reached it. "
                "Please try again later; this limit lifts as you take part.",
                "New members can post %(count)d times an hour, and you have reached that. "
                "Please try again later; this limit lifts as you take part.",
                limits.posts_per_hour or 0,
            )
            % {"count": limits.posts_per_hour},
            code="posts_per_hour",
        )
    if limits.max_links is not None and links > limits.max_links:
        raise PostingNotAllowed(
            ngettext(
                "New members can include at most %(max)d link in a post; this one has "
                "%(links)d. Please remove some; this limit lifts as you take part.",
                "New members can include at most %(max)d links in a post; this one has "
                "%(links)d. Please remove some; this limit lifts as you take part.",
                limits.max_links,
            )
            % {"max": limits.max_links, "links": links},
            code="links",
        )
    if attachments > 0 and not limits.attachments_allowed:
        raise PostingNotAllowed(
            _(
                "New members cannot attach files yet. Please post without the attachment, "
                "or share a link; this limit lifts as you take part."
            ),
            code="attachments",
        )
