"""Reads for the member space: fetching what a member may see, streams, lineage, votes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from django.core.cache import cache
from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from kindling.commons.cards import (
    CARD_TIMEOUT,
    CARD_VERSION_FIELDS,
    Card,
    cards_for,
)
from kindling.commons.lineage import LineageDrawing, LineageNode, layout_lineage
from kindling.commons.models import (
    Collection,
    Comment,
    Lineage,
    Need,
    NeedStatus,
    Resource,
    ResourceAttachment,
    ResourceLink,
    Response,
    Tag,
    TagKind,
    UsefulVote,
)
from kindling.commons.querysets import circle_filter_sql, is_moderator, may_view
from kindling.core.urlcache import url_with_id

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kindling.accounts.models import User

LINEAGE_DEPTH = 3
LINEAGE_WIDTH = 8  # at most this many resources per column of the drawing


def resource_list(viewer: User | AnonymousUser) -> QuerySet[Resource]:
    """Resources for list pages, with what a card shows fetched up front."""
    return (
        Resource.objects.listed_for(viewer)
        .select_related("author__profile", "circle")
        .prefetch_related("tags")
    )


def need_list(viewer: User | AnonymousUser) -> QuerySet[Need]:
    return (
        Need.objects.listed_for(viewer)
        .select_related("author__profile", "circle")
        .prefetch_related("tags")
    )


def get_resource_for_viewer(viewer: User | AnonymousUser, resource_id: int) -> Resource:
    """One resource the viewer may see, with its author, circle and tags; else 404."""
    try:
        return (
            Resource.objects.visible_to(viewer)
            .select_related("author__profile", "circle")
            .prefetch_related(
                "tags",
                "links",
                "attachments",
                Prefetch("co_authors", queryset=_users_with_profiles()),
            )
            .get(pk=resource_id)
        )
    except Resource.DoesNotExist:
        raise Http404("No such resource.") from None


@dataclass(frozen=True)
class ResourceExtras:
    """What a resource's page shows besides its own row: tags, links, files and co-authors."""

    tags: list[Tag]
    links: list[ResourceLink]
    attachments: list[ResourceAttachment]
    co_authors: list[User]


def _viewable(model: Any, viewer: User | AnonymousUser, pk: int) -> Any:
    """A resource or need the viewer may see, with its author and circle (visibility checked on
    the loaded row, ``may_view``), else 404."""
    found = list(model.objects.select_related("author__profile", "circle").filter(pk=pk))
    if not found or not may_view(viewer, found[0]):
        raise Http404(f"No such {model._meta.verbose_name}.")
    return found[0]


def resource_page(
    viewer: User | AnonymousUser, resource_id: int
) -> tuple[Resource, ResourceExtras]:
    """One resource the viewer may see (else 404), for its page: the row with its author and
    circle (visibility checked on it, ``may_view``), and its extras (``resource_extras``)."""
    resource = _viewable(Resource, viewer, resource_id)
    return resource, resource_extras(resource)


def resource_extras(resource: Resource) -> ResourceExtras:
    """A resource's tags, links, files and co-authors, cached like cards.

    They read the same for every member who may see the resource (``resource`` must come from a
    query that checked that), and every change to them goes through ``actions``, which moves the
    resource's ``updated_at`` (and ``version`` on an edit): both are in the key, so a change
    makes a new key. Names of tags and co-authors may lag by up to ``CARD_TIMEOUT``.
    """
    key = f"resource-extras:1:{resource.pk}:{resource.updated_at.timestamp()}:{resource.version}"
    extras = cache.get_or_set(
        key,
        lambda: ResourceExtras(
            tags=list(resource.tags.all()),
            links=list(resource.links.all()),
            attachments=list(resource.attachments.all()),
            co_authors=list(
                _users_with_profiles()
                .filter(coauthored_resources=resource)
                .only("id", "email", "profile__id", "profile__user_id", "profile__display_name")
                .order_by("pk")
            ),
        ),
        CARD_TIMEOUT,
    )
    return cast(ResourceExtras, extras)


def need_page(viewer: User | AnonymousUser, need_id: int) -> tuple[Need, list[Tag]]:
    """One need the viewer may see (else 404), for its page: the row with its author and circle
    (visibility checked on it, ``may_view``), and its tags (``need_tags``)."""
    need = _viewable(Need, viewer, need_id)
    return need, need_tags(need)


def need_tags(need: Need) -> list[Tag]:
    """A need's tags, cached like cards: they change only through ``actions``, which moves the
    need's ``updated_at`` (in the key). Tag names may lag by up to ``CARD_TIMEOUT``."""
    key = f"need-tags:1:{need.pk}:{need.updated_at.timestamp()}"
    return cast(list[Tag], cache.get_or_set(key, lambda: list(need.tags.all()), CARD_TIMEOUT))


def get_need_for_viewer(viewer: User | AnonymousUser, need_id: int) -> Need:
    try:
        return (
            Need.objects.visible_to(viewer)
            .select_related("author__profile", "circle")
            .prefetch_related("tags")
            .get(pk=need_id)
        )
    except Need.DoesNotExist:
        raise Http404("No such need.") from None


def _users_with_profiles() -> QuerySet[Any]:
    from kindling.accounts.models import User

    return User.objects.select_related("profile")


@dataclass(frozen=True)
class ThreadResponse:
    """What a thread needs of a response besides its cached part (``cards.response_html``, which
    loads the full row only when that part is not cached)."""

    pk: int
    author_id: int
    helped: bool
    useful_count: int
    is_hidden: bool
    resource_id: int | None
    created_at: datetime
    updated_at: datetime


def responses_for(need: Need, viewer: User | AnonymousUser) -> list[ThreadResponse]:
    """A need's responses the viewer may see: helpful first, then oldest first.

    ``need`` must come from ``need_page`` or ``get_need_for_viewer`` (the viewer may see it, so
    its circle need not be checked again); hidden responses show only to their author and
    moderators, as in ``ResponseQuerySet.visible_to``. One hand-written statement of a few
    columns: texts, authors and cited resources are read only for responses whose cached part
    is missing.
    """
    if not viewer.is_authenticated:
        return []
    columns = "id, author_id, helped, useful_count, is_hidden, resource_id, created_at, updated_at"
    sql = f"SELECT {columns} FROM {Response._meta.db_table} WHERE need_id = %s"  # noqa: S608
    params: list[Any] = [need.pk]
    if not is_moderator(viewer):
        sql += " AND (is_hidden = %s OR author_id = %s)"
        params += [False, viewer.pk]
    rows = _fetch(f"{sql} ORDER BY helped DESC, created_at, id", params)
    return [
        ThreadResponse(pk, author, bool(helped), useful, bool(hidden), resource, *map(_aware, at))
        for pk, author, helped, useful, hidden, resource, *at in rows
    ]


def comments_for(viewer: User | AnonymousUser, **parent: Any) -> list[Comment]:
    """Comments on one resource or need; hidden ones only for their author and moderators."""
    comments = Comment.objects.filter(**parent).select_related("author__profile")
    if not is_moderator(viewer):
        comments = comments.filter(Q(is_hidden=False) | Q(author_id=viewer.pk or 0))
    return list(comments)


def voted_pairs(viewer: User | AnonymousUser, wanted: dict[str, list[int]]) -> set[tuple[str, int]]:
    """Which of these posts, of several kinds, the viewer has already marked useful (one
    hand-written statement: every detail page asks, and the ORM took longer to build it than
    the database to answer): ``voted_pairs(user, {"need": [3], "response": [7, 8]}) ->
    {("response", 8)}``."""
    wanted = {kind: ids for kind, ids in wanted.items() if ids}
    if not viewer.is_authenticated or not wanted:
        return set()
    either: list[str] = []
    params: list[Any] = [viewer.pk]
    for kind, ids in wanted.items():
        either.append(f"(kind = %s AND object_id IN ({', '.join(['%s'] * len(ids))}))")
        params += [kind, *ids]
    sql = (
        f"SELECT kind, object_id FROM {UsefulVote._meta.db_table}"  # noqa: S608
        f" WHERE user_id = %s AND ({' OR '.join(either)})"
    )
    return {(kind, int(object_id)) for kind, object_id in _fetch(sql, params)}


def lineage_for(
    resource: Resource, viewer: User | AnonymousUser
) -> tuple[list[LineageNode], list[LineageNode], LineageDrawing]:
    """What a resource builds on, what was built on it, and the drawing of both directions.

    One plain statement per level, for both directions at once: the links out of the level
    before with what they reach (id, title, usefulness), keeping only what ``listed_for`` would
    show the viewer (not hidden, and outside invite-only circles they are not in).
    """
    if not viewer.is_authenticated:
        return [], [], layout_lineage([], [])
    root = LineageNode(resource.pk, resource.title, resource.get_absolute_url(), 0)
    seen = {resource.pk}
    # Walking back (-1) follows resource -> builds_on; walking forward (1), the reverse.
    levels: dict[int, list[list[LineageNode]]] = {-1: [], 1: []}
    edges: dict[int, list[tuple[int, int]]] = {-1: [], 1: []}
    frontiers = {-1: [resource.pk], 1: [resource.pk]}
    for level in range(1, LINEAGE_DEPTH + 1):
        reached: dict[int, dict[int, tuple[int, str]]] = {-1: {}, 1: {}}
        pairs: dict[int, list[tuple[int, int]]] = {-1: [], 1: []}
        for direction, near_id, far_id, title, useful in _lineage_level(frontiers, viewer):
            pairs[direction].append((near_id, far_id))
            if far_id not in seen:
                reached[direction][far_id] = (useful, title)
        for direction in (-1, 1):
            found = sorted(reached[direction].items(), key=lambda item: (-item[1][0], item[0]))
            level_nodes = [
                LineageNode(pk, title, url_with_id("commons:resource", pk), direction * level)
                for pk, (_useful, title) in found[:LINEAGE_WIDTH]
            ]
            kept = {node.id for node in level_nodes}
            # Edges are kept as (resource_id, builds_on_id) whichever way we walked.
            edges[direction].extend(
                (near_id, far_id) if direction < 0 else (far_id, near_id)
                for near_id, far_id in pairs[direction]
                if far_id in kept
            )
            levels[direction].append(level_nodes)
            seen |= kept
            frontiers[direction] = list(kept)
        if not frontiers[-1] and not frontiers[1]:
            break
    walked = [node for direction in (-1, 1) for nodes in levels[direction] for node in nodes]
    drawing = layout_lineage([root, *walked], [*edges[-1], *edges[1]])
    return levels[-1][0], levels[1][0], drawing


def _lineage_level(
    frontiers: dict[int, list[int]], viewer: User | AnonymousUser
) -> list[tuple[int, int, int, str, int]]:
    """The links out of both frontiers, as (direction, near id, far id, far title, far
    usefulness), to resources the viewer may see listed. Hand-written: built with the ORM, each
    level cost more to compile than to run."""
    lineage, table = Lineage._meta.db_table, Resource._meta.db_table
    visible, visible_params = circle_filter_sql(viewer, "r.circle_id")
    parts: list[str] = []
    params: list[Any] = []
    for direction, frontier in frontiers.items():
        if not frontier:
            continue
        near, far = ("resource_id", "builds_on_id")[::-direction]
        # Only table and column names are formatted in; ids and flags are parameters.
        parts.append(
            f"SELECT {direction}, l.{near}, l.{far}, r.title, r.useful_count"  # noqa: S608
            f" FROM {lineage} l INNER JOIN {table} r ON r.id = l.{far}"
            f" WHERE l.{near} IN ({', '.join(['%s'] * len(frontier))}) AND r.is_hidden = %s"
            + (f" AND {visible}" if visible else "")
        )
        params += [*frontier, False, *visible_params]
    if not parts:
        return []
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        return cursor.fetchall()


def ordered_ids(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """The queryset's primary keys in its order, without the joins that only display needs.

    Joined to authors and circles, SQLite may plan from the wrong table and sort every match;
    ordering bare ids walks the created_at index and stops early.
    """
    return queryset.select_related(None).prefetch_related(None).values_list("pk", flat=True)


def rows_for_ids(queryset: QuerySet[Any], ids: list[int]) -> list[Any]:
    """Load these rows, with the queryset's joins and prefetches, in the order of ``ids``.

    ``ids`` must come from ``queryset`` itself (``ordered_ids``, ``card_refs``): its filters,
    visibility included, already chose them, so they are not compiled and run a second time.
    """
    rows_query = queryset.model._default_manager.filter(pk__in=ids)
    rows_query.query.select_related = queryset.query.select_related
    rows_query = rows_query.prefetch_related(*getattr(queryset, "_prefetch_related_lookups", ()))
    rows = {row.pk: row for row in rows_query}
    return [rows[pk] for pk in ids if pk in rows]


class ProbedExists(Exists):
    """EXISTS checked row by row, as lists walking their created_at index newest first need.

    PostgreSQL may instead read every match of the subquery into a hash before the walk (for a
    tag on 12,000 resources, ~30 ms to show 8); an ``OFFSET 0`` keeps its planner from turning
    the EXISTS into such a hashed subplan. SQLite always probes row by row.
    """

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = self.as_sql(compiler, connection, **extra)
        if not sql.endswith(")"):  # e.g. a constant, when the subquery can match nothing
            return sql, params
        return f"{sql[:-1]} OFFSET 0)", params


def tagged_with(model: type[Resource] | type[Need], tag_ids: Any) -> ProbedExists:
    """This row carries one of these tags (a correlated EXISTS, probed row by row)."""
    through = model.tags.through
    field = "resource_id" if model is Resource else "need_id"
    return ProbedExists(through.objects.filter(**{field: OuterRef("pk"), "tag_id__in": tag_ids}))


def would_make_a_cycle(resource_id: int, builds_on_ids: list[int]) -> set[int]:
    """Resources among ``builds_on_ids`` that already build (directly or not) on this one."""
    descendants: set[int] = set()
    frontier = {resource_id}
    while frontier:
        children = set(
            Lineage.objects.filter(builds_on_id__in=frontier).values_list("resource_id", flat=True)
        )
        frontier = children - descendants
        descendants |= children
    return descendants & set(builds_on_ids)


@dataclass
class HomeStream:
    following: list[Card]
    most_useful: list[dict[str, Any]]
    needs_to_help: list[Card]
    follows_anything: bool


def home_stream(viewer: User) -> HomeStream:
    """A member's home: new from what they follow, the most useful lately, needs they could help.

    Its four lists are read with hand-written statements (``_ListedSQL``): built with the ORM,
    compiling them (a visibility rule, tag probes, follows) cost more than running them. They
    apply the rule of ``listed_for``; the home tests and the circle leak tests hold them to it.
    """
    from kindling.notifications.models import Follow

    followed: dict[str, set[int]] = {"tag": set(), "user": set(), "circle": set()}
    for kind, object_id in Follow.objects.filter(
        user_id=viewer.pk, kind__in=list(followed)
    ).values_list("kind", "object_id"):
        followed[kind].add(object_id)
    tag_ids, user_ids, circle_ids = followed["tag"], followed["user"], followed["circle"]
    follows_anything = bool(tag_ids or user_ids or circle_ids)
    stream = _ListedSQL(viewer)
    resource_refs = stream.refs(Resource, *stream.followed(Resource, tag_ids, user_ids, circle_ids))
    need_refs = stream.refs(Need, *stream.followed(Need, tag_ids, user_ids, circle_ids))
    resources = cards_for(_card_rows(Resource), resource_refs)
    needs = cards_for(_card_rows(Need), need_refs)
    following = sorted([*resources, *needs], key=lambda card: card.created_at, reverse=True)[:10]
    profile = getattr(viewer, "profile", None)
    # Open needs nobody has been helped on yet, newest first, in the member's subjects, grade
    # bands or followed tags.
    interests = stream.interest_tags(
        profile.subjects if profile else [], profile.grade_bands if profile else [], tag_ids
    )
    needs_to_help: list[Card] = []
    if interests is not None:
        condition, params = interests
        condition = f"c.status = %s AND c.helped_count = 0 AND {condition}"
        refs = stream.refs(Need, condition, [NeedStatus.OPEN, *params], limit=6)
        needs_to_help = cards_for(_card_rows(Need), refs)
    return HomeStream(following, stream.most_useful(), needs_to_help, follows_anything)


def _card_rows(model: type[Resource] | type[Need]) -> QuerySet[Any]:
    """What ``cards_for`` loads a missing card's row with (the ids were already chosen)."""
    return model.objects.select_related("author__profile", "circle").prefetch_related("tags")


class _ListedSQL:
    """Hand-written reads of what one viewer may see listed (the home stream, a profile's
    contributions): only table and column names from the models and constants are formatted
    in; every id and value is a parameter."""

    def __init__(self, viewer: User) -> None:
        self.viewer = viewer
        self.visible, self.visible_params = circle_filter_sql(viewer, "c.circle_id")
        # PostgreSQL might hash every match of a tag before walking the created_at index (see
        # ProbedExists); OFFSET 0 keeps it probing row by row, as SQLite always does.
        self.probe_end = " OFFSET 0)" if connection.vendor == "postgresql" else ")"

    def _listed(self, table: str) -> str:
        """``listed_for``: not hidden, and outside invite-only circles the viewer is not in."""
        return f"FROM {table} c WHERE c.is_hidden = %s" + (
            f" AND {self.visible}" if self.visible else ""
        )

    def _tag_probe(self, model: type[Resource] | type[Need], tags_sql: str) -> str:
        through = model.tags.through._meta.db_table
        column = "resource_id" if model is Resource else "need_id"
        return (
            f"EXISTS (SELECT 1 FROM {through} t WHERE t.{column} = c.id"  # noqa: S608
            f" AND t.tag_id IN ({tags_sql}){self.probe_end}"
        )

    def followed(
        self,
        model: type[Resource] | type[Need],
        tag_ids: set[int],
        user_ids: set[int],
        circle_ids: set[int],
    ) -> tuple[str, list[Any]]:
        """What the viewer follows (everything when they follow nothing), as a condition."""
        either: list[str] = []
        params: list[Any] = []
        for ids, condition in (
            (tag_ids, lambda marks: self._tag_probe(model, marks)),
            (user_ids, lambda marks: f"c.author_id IN ({marks})"),
            (circle_ids, lambda marks: f"c.circle_id IN ({marks})"),
        ):
            if ids:
                either.append(condition(", ".join(["%s"] * len(ids))))
                params += sorted(ids)
        return (f"({' OR '.join(either)})" if either else "1 = 1"), params

    def interest_tags(
        self, subjects: list[str], bands: list[str], tag_ids: set[int]
    ) -> tuple[str, list[Any]] | None:
        """Needs tagged with one of the viewer's subjects, grade bands or followed tags, as a
        condition; None when they have none."""
        tag = Tag._meta.db_table
        either: list[str] = []
        params: list[Any] = []
        for kind, slugs in ((TagKind.SUBJECT, subjects), (TagKind.GRADE_BAND, bands)):
            if slugs:
                marks = ", ".join(["%s"] * len(slugs))
                either.append(f"(kind = %s AND slug IN ({marks}))")
                params += [kind, *slugs]
        if tag_ids:
            either.append(f"id IN ({', '.join(['%s'] * len(tag_ids))})")
            params += sorted(tag_ids)
        if not either:
            return None
        tags_sql = f"SELECT id FROM {tag} WHERE {' OR '.join(either)}"  # noqa: S608
        return self._tag_probe(Need, tags_sql), params

    def refs(
        self, model: type[Resource] | type[Need], condition: str, params: list[Any], limit: int = 8
    ) -> list[tuple[Any, ...]]:
        """Newest first, what ``card_refs`` gives for the viewer's listed rows that meet
        ``condition`` (on ``c``) and are not their own."""
        columns = ", ".join(("id", "created_at", *CARD_VERSION_FIELDS[model.KIND]))
        sql = (
            f"SELECT {columns} {self._listed(model._meta.db_table)}"
            f" AND {condition} AND c.author_id <> %s ORDER BY c.created_at DESC LIMIT {limit:d}"
        )
        rows = _fetch(sql, [False, *self.visible_params, *params, self.viewer.pk])
        return [tuple(_aware(v) if isinstance(v, datetime) else v for v in row) for row in rows]

    def titles(self, model: type[Resource] | type[Need], author_id: int) -> list[dict[str, Any]]:
        """A member's newest ten listed posts: ids, titles and addresses."""
        sql = (
            f"SELECT id, title {self._listed(model._meta.db_table)}"
            " AND c.author_id = %s ORDER BY c.created_at DESC LIMIT 10"
        )
        name = f"commons:{model.KIND}"
        return [
            {"pk": pk, "title": title, "url": url_with_id(name, pk)}
            for pk, title in _fetch(sql, [False, *self.visible_params, author_id])
        ]

    def responses(self, author_id: int) -> tuple[list[dict[str, Any]], int]:
        """A member's newest ten responses the viewer may see (on needs they may see; none
        hidden), and how many of them were marked helpful."""
        response, need = Response._meta.db_table, Need._meta.db_table
        where = f"FROM {response} c INNER JOIN {need} n ON n.id = c.need_id"
        where += " WHERE c.author_id = %s AND c.is_hidden = %s"
        params: list[Any] = [author_id, False]
        if not is_moderator(self.viewer):  # ResponseQuerySet.visible_to
            visible, visible_params = circle_filter_sql(self.viewer, "n.circle_id")
            where += f" AND n.is_hidden = %s AND {visible}"
            params += [False, *visible_params]
        rows = _fetch(
            f"SELECT c.id, c.need_id, n.title, c.helped {where}"
            " ORDER BY c.created_at DESC LIMIT 10",
            params,
        )
        recent = [
            {
                "pk": pk,
                "need_id": need_id,
                "need__title": title,
                "helped": bool(helped),
                "url": f"{url_with_id('commons:need', need_id)}#response-{pk:d}",
            }
            for pk, need_id, title, helped in rows
        ]
        (helpful,) = _fetch(f"SELECT COUNT(*) {where} AND c.helped = %s", [*params, True])[0]
        return recent, int(helpful)

    def most_useful(self) -> list[dict[str, Any]]:
        """The most useful resources of the last 30 days: titles and counts only."""
        since = connection.ops.adapt_datetimefield_value(timezone.now() - timedelta(days=30))
        sql = (
            f"SELECT id, title, useful_count {self._listed(Resource._meta.db_table)}"
            " AND c.created_at >= %s AND c.useful_count > 0"
            " ORDER BY c.useful_count DESC, c.created_at DESC LIMIT 5"
        )
        rows = _fetch(sql, [False, *self.visible_params, since])
        return [{"pk": pk, "title": title, "useful_count": useful} for pk, title, useful in rows]


def _fetch(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _aware(moment: datetime) -> datetime:
    """A datetime read with a plain statement, as the ORM gives it (SQLite's come naive)."""
    return timezone.make_aware(moment, connection.timezone) if timezone.is_naive(moment) else moment


@dataclass
class Contributions:
    """A profile's list of what the member shared: titles and links only."""

    resources: list[dict[str, Any]]
    needs: list[dict[str, Any]]
    responses: list[dict[str, Any]]
    helpful_count: int
    collections: list[Collection]


def contributions_for(member: User, viewer: User | AnonymousUser) -> Contributions:
    """What a member has shared, as the viewer may see it, for their profile page (titles with
    hand-written statements, as the home stream's lists)."""
    collections = Collection.objects.filter(owner_id=member.pk)
    if viewer.pk != member.pk:
        collections = collections.filter(is_public=True)
    if not viewer.is_authenticated:
        return Contributions([], [], [], 0, list(collections[:20]))
    listed = _ListedSQL(viewer)
    responses, helpful = listed.responses(member.pk)
    return Contributions(
        listed.titles(Resource, member.pk),
        listed.titles(Need, member.pk),
        responses,
        helpful,
        list(collections[:20]),
    )
