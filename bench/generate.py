"""Fill an empty database with a generated community at a given scale, fast.

Everything is planned first in plain Python (who posts what, when, who votes, responds and
comments), so every denormalised counter (useful, comment, response and helped counts, circle
member counts) is known before a row is written; then each table is written once with
``bulk_create`` in batches, one transaction per table. Deterministic for a given seed.

Run it as ``manage.py bench_generate`` (see bench/README.md) or ``python -m bench.generate``.
"""

from __future__ import annotations

import math
import random
import sys
import time
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from itertools import accumulate
from typing import Any

from bench.text import TextMaker

BATCH = 2000
DOMAIN = "bench.kindling.test"
# Every generated member's password (hashed once for all): bench data only, never a real site.
PASSWORD = "kindling-bench"  # noqa: S105
DAY = timedelta(days=1)


class DatabaseNotEmpty(Exception):
    """The generator only fills an empty database."""


@dataclass(frozen=True)
class Scale:
    """How big a community to generate."""

    members: int = 10_000
    items: int = 100_000  # resources and needs, about half each
    responses: int = 300_000
    votes: int | None = None  # default: 2 per item
    comments: int | None = None  # default: 1 per 2 items
    circles: int = 50
    free_tags: int = 500
    follows_per_member: int = 5
    notifications_per_member: int = 10
    seed: int = 1

    @property
    def vote_count(self) -> int:
        return self.items * 2 if self.votes is None else self.votes

    @property
    def comment_count(self) -> int:
        return self.items // 2 if self.comments is None else self.comments

    @property
    def circle_count(self) -> int:
        return min(self.circles, max(2, self.members // 10))


@dataclass
class Post:
    """A planned resource or need (indices, not primary keys, until written)."""

    author: int
    circle: int | None
    created_at: datetime
    hidden: bool = False
    useful: int = 0
    comments: int = 0
    pk: int = 0


@dataclass
class PlannedResponse:
    need: int
    author: int
    created_at: datetime
    helped: bool = False
    useful: int = 0
    resource: int | None = None


@dataclass
class Plan:
    """The whole community, as indices into the lists below."""

    circle_invite_only: list[bool] = field(default_factory=list)
    circle_creator: list[int] = field(default_factory=list)
    circle_members: list[list[int]] = field(default_factory=list)
    memberships: list[tuple[int, int, datetime]] = field(default_factory=list)
    resources: list[Post] = field(default_factory=list)
    needs: list[Post] = field(default_factory=list)
    responses: list[PlannedResponse] = field(default_factory=list)
    votes: list[tuple[int, str, int, datetime]] = field(default_factory=list)
    comments: list[tuple[int, str, int, datetime]] = field(default_factory=list)
    lineage: list[tuple[int, int]] = field(default_factory=list)


class Generator:
    """Plans and writes one generated community."""

    def __init__(
        self, scale: Scale, *, log: Callable[[str], None] = print, now: datetime | None = None
    ) -> None:
        from django.utils import timezone

        self.scale = scale
        self.log = log
        # Generated data, not secrets: a seeded generator makes every run the same.
        self.rng = random.Random(scale.seed)  # noqa: S311
        self.now = now or timezone.now()
        self.start = self.now - timedelta(days=730)
        self.text = TextMaker(random.Random(scale.seed + 1))  # noqa: S311
        self.plan = Plan()
        self.counts: dict[str, int] = {}
        self.notes: list[str] = []
        self.written_models: list[Any] = []
        self.zipf_cache: dict[int, list[float]] = {}
        self.user_pks: list[int] = []
        self.circle_pks: list[int] = []
        self.resource_pks: list[int] = []
        self.need_pks: list[int] = []
        self.response_pks: list[int] = []
        self.tag_ids: list[int] = []
        self.tag_cum_weights: list[float] = []
        self.subject_ids: list[int] = []
        self.grade_ids: list[int] = []
        self.habit_ids: list[int] = []
        self.free_ids: list[int] = []
        # Some members post and take part far more than others (a long tail).
        weights = [self.rng.lognormvariate(0, 1.2) for _ in range(scale.members)]
        self.member_cum_weights = list(accumulate(weights))

    # --- helpers ------------------------------------------------------------------------------

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        began = time.perf_counter()
        yield
        self.log(f"  {name:<34} {time.perf_counter() - began:7.1f} s")

    def when(self, earliest: datetime, latest: datetime | None = None) -> datetime:
        latest = latest or self.now
        if latest <= earliest:
            return latest
        return earliest + (latest - earliest) * self.rng.random()

    def growing_date(self) -> datetime:
        """A date in the last two years, more of them recent (the community grows)."""
        return self.start + (self.now - self.start) * math.sqrt(self.rng.random())

    def soon_after(self, moment: datetime, mean_hours: float) -> datetime:
        later = moment + timedelta(hours=self.rng.expovariate(1 / mean_hours))
        return min(later, self.now)

    def member(self) -> int:
        return self.rng.choices(
            range(self.scale.members), cum_weights=self.member_cum_weights, k=1
        )[0]

    def actor_for(self, circle: int | None, exclude: int) -> int | None:
        """A member who may see content in this circle, other than ``exclude``."""
        plan = self.plan
        for _ in range(8):
            if circle is not None and plan.circle_invite_only[circle]:
                candidate = self.rng.choice(plan.circle_members[circle])
            else:
                candidate = self.member()
            if candidate != exclude:
                return candidate
        return None

    def insert(self, model: Any, rows: Iterable[dict[str, Any]]) -> list[int]:
        """Write rows (attribute name → value) with ids chosen here, in batches; return the ids.

        One prepared INSERT run with executemany, inside a transaction: bulk_create would build a
        model instance and compile SQL for every row, several times slower at this size.
        """
        from django.db import connection, transaction
        from django.db.models import DateTimeField, JSONField, Max

        meta = model._meta
        fields = list(meta.concrete_fields)
        pk_name = meta.pk.attname
        ops = connection.ops
        first = (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
        fallbacks: dict[str, Any] = {}
        converters: list[Callable[[Any], Any] | None] = []
        for f in fields:
            if isinstance(f, DateTimeField):
                converters.append(ops.adapt_datetimefield_value)
            elif isinstance(f, JSONField):
                converters.append(partial(f.get_db_prep_save, connection=connection))
            else:
                converters.append(None)
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                fallbacks[f.attname] = self.now
            elif f.attname != pk_name:
                # The field's default, "" for text without one, else None (NULL).
                fallbacks[f.attname] = f.get_default()
        columns = ", ".join(ops.quote_name(f.column) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        table = ops.quote_name(meta.db_table)
        # Only quoted table and column names are formatted in; every value is a parameter.
        sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
        names = [f.attname for f in fields]
        pairs = list(zip(names, converters, strict=True))
        written = 0
        with transaction.atomic(), connection.cursor() as cursor:
            batch: list[list[Any]] = []
            for row in rows:
                row[pk_name] = first + written
                written += 1
                values = []
                for name, convert in pairs:
                    value = row[name] if name in row else fallbacks[name]
                    values.append(value if convert is None or value is None else convert(value))
                batch.append(values)
                if len(batch) == BATCH:
                    cursor.executemany(sql, batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
        self.written_models.append(model)
        self.counts[meta.label] = self.counts.get(meta.label, 0) + written
        return list(range(first, first + written))

    # --- the run ------------------------------------------------------------------------------

    def run(self) -> dict[str, int]:
        from django.conf import settings
        from django.test.utils import override_settings

        self.refuse_if_not_empty()
        began = time.perf_counter()
        s = self.scale
        self.log(
            f"Generating {s.members:,} members, {s.items:,} items, {s.responses:,} responses "
            f"(seed {s.seed}) on {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}"
        )
        # With DEBUG on, Django would keep (and on SQLite re-quote) every INSERT's parameters.
        with override_settings(DEBUG=False):
            with self.stage("plan"):
                self.plan_circles()
                self.plan_posts()
                self.plan_responses()
                self.plan_votes_and_comments()
                self.plan_lineage()
            with self.stage("members, profiles, e-mails"):
                self.write_members()
            with self.stage("tags, circles, memberships"):
                self.write_tags()
                self.write_circles()
            with self.stage("resources, revisions, links"):
                self.write_resources()
            with self.stage("needs"):
                self.write_needs()
            with self.stage("responses"):
                self.write_responses()
            with self.stage("useful votes, comments"):
                self.write_votes()
                self.write_comments()
            with self.stage("follows, notifications"):
                self.write_follows_and_notifications()
            with self.stage("collections"):
                self.write_collections()
            with self.stage("sequences, statistics"):
                self.finish()
        self.counts["seconds"] = round(time.perf_counter() - began)
        return self.counts

    def refuse_if_not_empty(self) -> None:
        from kindling.accounts.models import User
        from kindling.commons.models import Need, Resource

        members = User.objects.count()
        if members or Resource.objects.exists() or Need.objects.exists():
            raise DatabaseNotEmpty(
                f"This database already has {members:,} members (or content): the generator "
                "fills an empty database only. Point DATABASE_URL (or KINDLING_DATA_DIR) at a "
                "new database and run `manage.py migrate` first."
            )

    # --- planning -----------------------------------------------------------------------------

    def plan_circles(self) -> None:
        plan, rng = self.plan, self.rng
        count = self.scale.circle_count
        plan.circle_invite_only = [i % 10 == 9 for i in range(count)]
        plan.circle_creator = [self.member() for _ in range(count)]
        plan.circle_members = [[creator] for creator in plan.circle_creator]
        popularity = list(accumulate(1 / (rank + 1) ** 0.8 for rank in range(count)))
        for user in range(self.scale.members):
            joins = rng.choices((0, 1, 2, 3), weights=(35, 35, 20, 10))[0]
            for circle in set(rng.choices(range(count), cum_weights=popularity, k=joins)):
                if user != plan.circle_creator[circle]:
                    plan.circle_members[circle].append(user)
        for circle, members in enumerate(plan.circle_members):
            for user in members:
                plan.memberships.append((circle, user, self.when(self.start, self.now - DAY)))

    def plan_posts(self) -> None:
        plan, rng = self.plan, self.rng
        n_resources = self.scale.items // 2
        n_needs = self.scale.items - n_resources
        for posts, count in ((plan.resources, n_resources), (plan.needs, n_needs)):
            for created in sorted(self.growing_date() for _ in range(count)):
                if plan.memberships and rng.random() < 0.1:
                    circle, author, _joined = rng.choice(plan.memberships)
                    posts.append(Post(author, circle, created))
                else:
                    posts.append(Post(self.member(), None, created))
            for index in rng.sample(range(count), count * 3 // 1000):
                posts[index].hidden = True

    def plan_responses(self) -> None:
        plan, rng = self.plan, self.rng
        needs = plan.needs
        total = self.scale.responses
        counts = [0] * len(needs)
        public = [j for j, need in enumerate(needs) if need.circle is None and not need.hidden]
        special: list[int] = []
        if public and total >= 20:
            special = rng.sample(public, min(len(public), max(1, len(needs) // 500)))
            for position, j in enumerate(special):
                counts[j] = 20 if position % 2 == 0 else rng.randint(21, 30)
            while sum(counts) > total:
                counts[special.pop()] = 0
        chosen = set(special)
        others = [j for j in range(len(needs)) if j not in chosen]
        # About one need in six gets no answer; the rest a long-tailed number of answers.
        weights = [0.0 if rng.random() < 0.16 else rng.lognormvariate(0, 0.8) for _ in others]
        if others and any(weights):
            for j, extra in Counter(
                rng.choices(others, weights=weights, k=total - sum(counts))
            ).items():
                counts[j] += extra
        for j, need in enumerate(needs):
            for _ in range(counts[j]):
                author = self.actor_for(need.circle, exclude=need.author)
                if author is not None:
                    created = self.soon_after(need.created_at, 36)
                    plan.responses.append(PlannedResponse(j, author, created))
        by_need: dict[int, list[PlannedResponse]] = {}
        for response in plan.responses:
            by_need.setdefault(response.need, []).append(response)
        public_resources = [i for i, r in enumerate(plan.resources) if r.circle is None]
        for response in plan.responses:
            if public_resources and rng.random() < 0.15:
                response.resource = rng.choice(public_resources)
        for responses in by_need.values():
            if rng.random() < 0.4:
                for response in rng.sample(responses, min(len(responses), rng.choice((1, 1, 2)))):
                    response.helped = True

    def plan_votes_and_comments(self) -> None:
        plan, rng = self.plan, self.rng
        kinds: list[tuple[str, Sequence[Any], float]] = [
            ("resource", plan.resources, 0.55),
            ("need", plan.needs, 0.10),
            ("response", plan.responses, 0.35),
        ]
        seen: set[tuple[str, int, int]] = set()
        for kind, targets, share in kinds:
            if not targets:
                continue
            weights = [rng.lognormvariate(0, 1.3) for _ in targets]
            for index in rng.choices(
                range(len(targets)), weights=weights, k=round(self.scale.vote_count * share)
            ):
                target = targets[index]
                circle = plan.needs[target.need].circle if kind == "response" else target.circle
                voter = self.actor_for(circle, exclude=target.author)
                if voter is None or (kind, index, voter) in seen:
                    continue
                seen.add((kind, index, voter))
                target.useful += 1
                created = self.when(target.created_at)
                plan.votes.append((voter, kind, index, created))
        for kind, posts, share in (("resource", plan.resources, 0.6), ("need", plan.needs, 0.4)):
            if not posts:
                continue
            weights = [rng.lognormvariate(0, 1.0) for _ in posts]
            for index in rng.choices(
                range(len(posts)), weights=weights, k=round(self.scale.comment_count * share)
            ):
                post = posts[index]
                author = self.actor_for(post.circle, exclude=post.author)
                if author is None:
                    continue
                post.comments += 1
                plan.comments.append((author, kind, index, self.soon_after(post.created_at, 72)))

    def plan_lineage(self) -> None:
        plan, rng = self.plan, self.rng
        count = len(plan.resources)
        # A few well-known resources many others build on, and chains of building.
        hubs = sorted(rng.sample(range(count), max(1, count // 100))) if count else []
        with_parents: list[int] = []
        pairs: set[tuple[int, int]] = set()
        for child in range(1, count):
            if rng.random() >= 0.2:
                continue
            for _ in range(rng.choices((1, 2, 3), weights=(70, 22, 8))[0]):
                roll = rng.random()
                earlier_hubs = bisect_left(hubs, child)
                if roll < 0.3 and earlier_hubs:
                    # Older hubs have had longer to be built on, so they gather more.
                    parent = hubs[int(earlier_hubs * rng.random() ** 2)]
                elif roll < 0.6 and with_parents:
                    parent = rng.choice(with_parents[-200:])
                else:
                    parent = rng.randrange(child)
                if parent != child:
                    pairs.add((child, parent))
            with_parents.append(child)
        plan.lineage = sorted(pairs)

    # --- writing ------------------------------------------------------------------------------

    def write_members(self) -> None:
        from allauth.account.models import EmailAddress
        from django.contrib.auth.hashers import make_password

        from kindling.accounts.actions import CODE_OF_CONDUCT_VERSION
        from kindling.accounts.models import GradeBand, Profile, Role, Subject, User

        rng, text = self.rng, self.text
        password = make_password(PASSWORD)
        emails = [f"member{i:05d}@{DOMAIN}" for i in range(self.scale.members)]
        users = []
        for email in emails:
            joined = self.when(self.start - 60 * DAY, self.start + 30 * DAY)
            users.append(
                {
                    "email": email,
                    "password": password,
                    "is_active": True,
                    "is_staff": False,
                    "is_superuser": False,
                    "is_moderator": False,
                    "date_joined": joined,
                    "code_of_conduct_version": CODE_OF_CONDUCT_VERSION,
                    "code_of_conduct_accepted_at": joined,
                }
            )
        self.user_pks = self.insert(User, users)
        subjects, grades = list(Subject.values), list(GradeBand.values)
        roles = (Role.TEACHER, Role.TEACHER, Role.TEACHER, Role.COACH, Role.SCHOOL_LEADER)
        zones = ("UTC", "America/Chicago", "America/New_York", "Europe/Madrid", "Asia/Tokyo")
        languages = ("es", "fr", "pt", "zh", "ar")
        interests = ("projects", "assessment", "SEL", "STEM", "reading")
        self.insert(
            Profile,
            (
                {
                    "user_id": pk,
                    "display_name": text.display_name(i),
                    "pronunciation": "" if rng.random() < 0.7 else "say it like it looks",
                    "pronouns": rng.choice(("", "she/her", "he/him", "they/them")),
                    "languages": ["en", *rng.sample(languages, rng.randint(0, 2))],
                    "role": rng.choice(roles),
                    "subjects": rng.sample(subjects, rng.randint(1, 2)),
                    "grade_bands": rng.sample(grades, rng.randint(1, 2)),
                    "interests": rng.sample(interests, 2),
                    "professional_goals": text.body(60, 200, rich=False),
                    "bio": text.body(80, 400, rich=False),
                    "time_zone": rng.choice(zones),
                }
                for i, pk in enumerate(self.user_pks)
            ),
        )
        self.insert(
            EmailAddress,
            (
                {"user_id": pk, "email": email, "verified": True, "primary": True}
                for pk, email in zip(self.user_pks, emails, strict=True)
            ),
        )

    def write_tags(self) -> None:
        from django.utils.text import slugify

        from kindling.commons.models import Tag, TagKind

        rng = self.rng
        names = self.text.free_tag_names(self.scale.free_tags)
        self.insert(
            Tag,
            ({"kind": TagKind.FREE, "slug": slugify(name)[:60], "name": name} for name in names),
        )
        tags = list(Tag.objects.order_by("kind", "id").values_list("id", "kind"))
        self.subject_ids = [pk for pk, kind in tags if kind == TagKind.SUBJECT]
        self.grade_ids = [pk for pk, kind in tags if kind == TagKind.GRADE_BAND]
        self.habit_ids = [pk for pk, kind in tags if kind == TagKind.HABIT]
        self.free_ids = [pk for pk, kind in tags if kind == TagKind.FREE]
        rng.shuffle(self.subject_ids)
        rng.shuffle(self.grade_ids)
        rng.shuffle(self.habit_ids)
        rng.shuffle(self.free_ids)

    def pick_tags(self) -> set[int]:
        """One to four tags: a subject, then grade bands, habits or free tags (long-tailed)."""
        rng = self.rng
        picked: set[int] = set()
        for position in range(rng.randint(1, 4)):
            roll = rng.random()
            if position == 0 and self.subject_ids:
                pool = self.subject_ids
            elif roll < 0.4 and self.grade_ids:
                pool = self.grade_ids
            elif roll < 0.65 and self.habit_ids:
                pool = self.habit_ids
            else:
                pool = self.free_ids or self.subject_ids
            picked.add(rng.choices(pool, cum_weights=self.zipf(len(pool)), k=1)[0])
        return picked

    def zipf(self, size: int) -> list[float]:
        """Cumulative weights where the first of a (shuffled) pool is used most: with 14 subjects
        the most popular is on about a quarter of all items, as mathematics might be."""
        if size not in self.zipf_cache:
            self.zipf_cache[size] = list(accumulate(1 / (rank + 1) ** 0.8 for rank in range(size)))
        return self.zipf_cache[size]

    def write_circles(self) -> None:
        from django.utils.text import slugify

        from kindling.commons.models import Circle, CircleMembership, CircleRole, CircleVisibility

        plan, text = self.plan, self.text
        circles = []
        for index, creator in enumerate(plan.circle_creator):
            name = f"{text.titles[index % len(text.titles)][:60]} circle {index + 1}"
            circles.append(
                {
                    "name": name[:80],
                    "slug": slugify(name)[:90],
                    "description": text.body(80, 300, rich=False),
                    "visibility": (
                        CircleVisibility.INVITE_ONLY
                        if plan.circle_invite_only[index]
                        else CircleVisibility.OPEN
                    ),
                    "created_by_id": self.user_pks[creator],
                    "member_count": len(plan.circle_members[index]),
                    "created_at": self.start,
                }
            )
        self.circle_pks = self.insert(Circle, circles)
        self.insert(
            CircleMembership,
            (
                {
                    "circle_id": self.circle_pks[circle],
                    "user_id": self.user_pks[user],
                    "role": (
                        CircleRole.OWNER
                        if user == plan.circle_creator[circle]
                        else CircleRole.MEMBER
                    ),
                    "joined_at": joined,
                }
                for circle, user, joined in plan.memberships
            ),
        )

    def circle_pk(self, circle: int | None) -> int | None:
        return None if circle is None else self.circle_pks[circle]

    def post_columns(self, post: Post) -> dict[str, Any]:
        """What resources and needs share (the Content fields)."""
        return {
            "author_id": self.user_pks[post.author],
            "circle_id": self.circle_pk(post.circle),
            "created_at": post.created_at,
            "updated_at": post.created_at,
            "is_hidden": post.hidden,
            "hidden_reason": "Hidden after flags from members." if post.hidden else "",
            "is_locked": False,
            "useful_count": post.useful,
            "comment_count": post.comments,
        }

    def write_resources(self) -> None:
        from kindling.commons.models import Lineage, Resource, ResourceLink, ResourceRevision

        rng, text, plan = self.rng, self.text, self.plan
        rows = [
            {**self.post_columns(post), "title": text.title(), "body": text.body(300, 1500)}
            for post in plan.resources
        ]
        self.resource_pks = pks = self.insert(Resource, rows)
        self.insert(
            ResourceRevision,
            (
                {
                    "resource_id": r["id"],
                    "number": 1,
                    "title": r["title"],
                    "body": r["body"],
                    "note": "",
                    "edited_by_id": r["author_id"],
                    "created_at": r["created_at"],
                }
                for r in rows
            ),
        )
        del rows
        links = []
        for pk in pks:
            if rng.random() < 0.2:
                for position in range(rng.randint(1, 2)):
                    links.append(
                        {
                            "resource_id": pk,
                            "url": f"https://example.org/lessons/{pk}/{position}",
                            "label": "Printable version" if position == 0 else "Slides",
                            "position": position,
                        }
                    )
        self.insert(ResourceLink, links)
        self.insert(
            Resource.tags.through,
            ({"resource_id": pk, "tag_id": tag} for pk in pks for tag in sorted(self.pick_tags())),
        )
        co_authors: set[tuple[int, int]] = set()
        for index, pk in enumerate(pks):
            if rng.random() < 0.05:
                for _ in range(rng.randint(1, 2)):
                    other = self.member()
                    if other != plan.resources[index].author:
                        co_authors.add((pk, self.user_pks[other]))
        self.insert(
            Resource.co_authors.through,
            ({"resource_id": a, "user_id": b} for a, b in sorted(co_authors)),
        )
        self.insert(
            Lineage,
            (
                {
                    "resource_id": pks[child],
                    "builds_on_id": pks[parent],
                    "created_at": plan.resources[child].created_at,
                }
                for child, parent in plan.lineage
            ),
        )

    def write_needs(self) -> None:
        from kindling.commons.models import Need, NeedStatus

        rng, text, plan = self.rng, self.text, self.plan
        last_activity = [post.created_at for post in plan.needs]
        response_counts = [0] * len(plan.needs)
        helped_counts = [0] * len(plan.needs)
        for response in plan.responses:
            response_counts[response.need] += 1
            helped_counts[response.need] += response.helped
            last_activity[response.need] = max(last_activity[response.need], response.created_at)
        rows = []
        for j, post in enumerate(plan.needs):
            closed = post.created_at < self.now - 60 * DAY and rng.random() < 0.3
            rows.append(
                {
                    **self.post_columns(post),
                    "title": text.need_title(),
                    "details": text.body(300, 1500),
                    "status": NeedStatus.CLOSED if closed else NeedStatus.OPEN,
                    "closed_at": min(self.now, last_activity[j] + 3 * DAY) if closed else None,
                    "response_count": response_counts[j],
                    "helped_count": helped_counts[j],
                    "last_activity_at": last_activity[j],
                }
            )
        self.need_pks = pks = self.insert(Need, rows)
        del rows
        self.insert(
            Need.tags.through,
            ({"need_id": pk, "tag_id": tag} for pk in pks for tag in sorted(self.pick_tags())),
        )

    def write_responses(self) -> None:
        from kindling.commons.models import Response

        text = self.text
        self.response_pks = self.insert(
            Response,
            (
                {
                    "need_id": self.need_pks[p.need],
                    "author_id": self.user_pks[p.author],
                    "body": text.body(80, 900),
                    "resource_id": None if p.resource is None else self.resource_pks[p.resource],
                    "helped": p.helped,
                    "marked_helpful_at": self.soon_after(p.created_at, 48) if p.helped else None,
                    "useful_count": p.useful,
                    "is_hidden": False,
                    "hidden_reason": "",
                    "created_at": p.created_at,
                    "updated_at": p.created_at,
                }
                for p in self.plan.responses
            ),
        )

    def write_votes(self) -> None:
        from kindling.commons.models import UsefulVote

        pks = {"resource": self.resource_pks, "need": self.need_pks, "response": self.response_pks}
        self.insert(
            UsefulVote,
            (
                {
                    "user_id": self.user_pks[voter],
                    "kind": kind,
                    "object_id": pks[kind][index],
                    "created_at": created,
                }
                for voter, kind, index, created in self.plan.votes
            ),
        )

    def write_comments(self) -> None:
        from kindling.commons.models import Comment

        text = self.text
        self.insert(
            Comment,
            (
                {
                    "author_id": self.user_pks[author],
                    "resource_id": self.resource_pks[index] if kind == "resource" else None,
                    "need_id": self.need_pks[index] if kind == "need" else None,
                    "body": text.body(30, 400, rich=False),
                    "is_hidden": False,
                    "hidden_reason": "",
                    "created_at": created,
                }
                for author, kind, index, created in self.plan.comments
            ),
        )

    def write_follows_and_notifications(self) -> None:
        from django.apps import apps

        if not apps.is_installed("kindling.notifications"):
            self.notes.append(
                "Follows and notifications skipped: kindling.notifications is absent."
            )
            self.log(f"  {self.notes[-1]}")
            return
        from kindling.notifications.models import Follow, Notification, Verb

        plan, rng, users = self.plan, self.rng, self.user_pks
        public_needs = [j for j, n in enumerate(plan.needs) if n.circle is None and not n.hidden]
        follows: dict[tuple[int, str, int], datetime] = {}
        tag_pool = self.subject_ids[:5] + self.grade_ids[:3] + self.free_ids[:40]
        for member in range(self.scale.members):
            wanted = max(0, round(rng.gauss(self.scale.follows_per_member, 1.5)))
            for _ in range(wanted):
                kind = rng.choices(("tag", "user", "circle", "need"), weights=(35, 35, 15, 15))[0]
                if kind == "tag" and tag_pool:
                    target = rng.choice(tag_pool)
                elif kind == "user":
                    target = users[self.member()]
                    if target == users[member]:
                        continue
                elif kind == "circle" and self.circle_pks:
                    circle = rng.randrange(len(self.circle_pks))
                    if (
                        plan.circle_invite_only[circle]
                        and member not in plan.circle_members[circle]
                    ):
                        continue
                    target = self.circle_pks[circle]
                elif kind == "need" and public_needs:
                    target = self.need_pks[rng.choice(public_needs)]
                else:
                    continue
                follows[(users[member], kind, target)] = self.when(self.start)
        self.counts["(follows chosen by members)"] = len(follows)
        # Askers follow their own needs (create_need does the same).
        for j, need in enumerate(plan.needs):
            follows[(users[need.author], "need", self.need_pks[j])] = need.created_at
        self.insert(
            Follow,
            (
                {"user_id": user, "kind": kind, "object_id": target, "created_at": created}
                for (user, kind, target), created in follows.items()
            ),
        )
        verbs = (Verb.NEW_RESPONSE, Verb.NEW_NEED, Verb.NEW_RESOURCE, Verb.NEW_COMMENT)
        public_resources = [i for i, r in enumerate(plan.resources) if r.circle is None]
        rows = []
        recent = self.now - 60 * DAY
        for member in range(self.scale.members):
            for _ in range(max(0, round(rng.gauss(self.scale.notifications_per_member, 3)))):
                verb = rng.choice(verbs)
                if verb == Verb.NEW_RESOURCE and public_resources:
                    kind, pk = "resource", self.resource_pks[rng.choice(public_resources)]
                    url = f"/resources/{pk}/"
                elif public_needs:
                    kind, pk = "need", self.need_pks[rng.choice(public_needs)]
                    url = f"/needs/{pk}/"
                else:
                    continue
                created = self.when(recent)
                rows.append(
                    {
                        "recipient_id": users[member],
                        "actor_id": users[self.member()],
                        "verb": verb,
                        "target_kind": kind,
                        "target_id": pk,
                        "target_url": url,
                        "summary": self.text.need_title()[:300],
                        "circle_id": None,
                        "created_at": created,
                        "read_at": None if rng.random() < 0.3 else self.soon_after(created, 24),
                        "emailed_at": None,
                    }
                )
        self.insert(Notification, rows)

    def write_collections(self) -> None:
        from kindling.commons.models import Collection, CollectionItem

        rng = self.rng
        public = [
            self.resource_pks[i] for i, r in enumerate(self.plan.resources) if r.circle is None
        ]
        if not public:
            return
        owners = [pk for pk in self.user_pks if rng.random() < 0.2]
        collections = self.insert(
            Collection,
            (
                {
                    "owner_id": owner,
                    "name": f"My {self.text.title()[:40]} list",
                    "description": "",
                    "is_public": rng.random() < 0.8,
                    "created_at": self.when(self.start),
                }
                for owner in owners
            ),
        )
        self.insert(
            CollectionItem,
            (
                {"collection_id": pk, "resource_id": resource, "added_at": self.when(self.start)}
                for pk in collections
                for resource in rng.sample(public, min(len(public), rng.randint(3, 8)))
            ),
        )

    def finish(self) -> None:
        """Move PostgreSQL's id sequences past the ids written, and refresh planner statistics."""
        from django.core.management.color import no_style
        from django.db import connection

        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), self.written_models):
                cursor.execute(statement)
            cursor.execute("ANALYZE")


def generate(
    scale: Scale, *, log: Callable[[str], None] = print, now: datetime | None = None
) -> dict[str, int]:
    """Fill the (empty) default database with a community at ``scale``; returns row counts."""
    return Generator(scale, log=log, now=now).run()


def counter_mismatches() -> dict[str, int]:
    """How many rows' denormalised counters disagree with the rows they count (all 0 = good)."""
    from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery
    from django.db.models.functions import Coalesce

    from kindling.commons.models import (
        Circle,
        CircleMembership,
        Comment,
        Need,
        Resource,
        Response,
        UsefulVote,
    )

    def counted(queryset: Any, key: str) -> Any:
        # order_by() first, so a model's default ordering does not split the GROUP BY.
        rows = queryset.order_by().values(key).annotate(n=Count("pk")).values("n")[:1]
        return Coalesce(Subquery(rows, output_field=IntegerField()), 0)

    def votes(kind: str) -> Any:
        return counted(UsefulVote.objects.filter(kind=kind, object_id=OuterRef("pk")), "object_id")

    result: dict[str, int] = {}
    result["resource.useful_count"] = (
        Resource.objects.annotate(real=votes("resource")).exclude(useful_count=F("real")).count()
    )
    result["resource.comment_count"] = (
        Resource.objects.annotate(
            real=counted(Comment.objects.filter(resource=OuterRef("pk")), "resource")
        )
        .exclude(comment_count=F("real"))
        .count()
    )
    result["need.useful_count"] = (
        Need.objects.annotate(real=votes("need")).exclude(useful_count=F("real")).count()
    )
    result["need.comment_count"] = (
        Need.objects.annotate(real=counted(Comment.objects.filter(need=OuterRef("pk")), "need"))
        .exclude(comment_count=F("real"))
        .count()
    )
    result["need.response_count"] = (
        Need.objects.annotate(real=Count("responses")).exclude(response_count=F("real")).count()
    )
    result["need.helped_count"] = (
        Need.objects.annotate(real=Count("responses", filter=Q(responses__helped=True)))
        .exclude(helped_count=F("real"))
        .count()
    )
    result["response.useful_count"] = (
        Response.objects.annotate(real=votes("response")).exclude(useful_count=F("real")).count()
    )
    result["circle.member_count"] = (
        Circle.objects.annotate(
            real=counted(CircleMembership.objects.filter(circle=OuterRef("pk")), "circle")
        )
        .exclude(member_count=F("real"))
        .count()
    )
    return result


def build_derived(log: Callable[[str], None]) -> None:
    """What the site derives from the rows and keeps up to date as members write, built once
    for the generated rows (written without the signals): the search index, then every
    member's computed expertise. The same commands a site runs after an import."""
    import time

    from kindling.expertise.actions import recompute_all_expertise
    from kindling.search.actions import rebuild_index

    started = time.monotonic()
    log("Building the search index (manage.py rebuild_search_index) …")
    counts = rebuild_index(batch_size=1000, log=lambda message: log(f"  {message}"))
    log(f"  {sum(counts.values()):,} documents in {time.monotonic() - started:.0f} s.")
    started = time.monotonic()
    log("Computing expertise (manage.py recompute_expertise) …")
    written = recompute_all_expertise()
    log(f"  {written:,} rows in {time.monotonic() - started:.0f} s.")


def main(argv: list[str] | None = None) -> int:
    """``python -m bench.generate --members … --items … --responses … --seed …``."""
    import argparse

    from bench.environment import setup_django

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    options = parser.parse_args(argv)
    setup_django()
    return run_from_options(vars(options), print)


def add_arguments(parser: Any) -> None:
    defaults = Scale()
    parser.add_argument("--members", type=int, default=defaults.members)
    parser.add_argument("--items", type=int, default=defaults.items)
    parser.add_argument("--responses", type=int, default=defaults.responses)
    parser.add_argument("--votes", type=int, default=None, help="default: 2 per item")
    parser.add_argument("--comments", type=int, default=None, help="default: 1 per 2 items")
    parser.add_argument("--circles", type=int, default=defaults.circles)
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument(
        "--check", action="store_true", help="afterwards, verify every denormalised counter"
    )
    parser.add_argument(
        "--skip-derived",
        action="store_true",
        help="do not build the search index and computed expertise afterwards",
    )


def run_from_options(options: dict[str, Any], log: Callable[[str], None]) -> int:
    scale = Scale(
        members=options["members"],
        items=options["items"],
        responses=options["responses"],
        votes=options.get("votes"),
        comments=options.get("comments"),
        circles=options.get("circles") or Scale.circles,
        seed=options["seed"],
    )
    try:
        counts = generate(scale, log=log)
    except DatabaseNotEmpty as refusal:
        log(f"Refused: {refusal}")
        return 2
    seconds = counts.pop("seconds")
    log("Rows written:")
    for label, count in counts.items():
        log(f"  {label:<34} {count:>9,}")
    log(f"Done in {seconds // 60} min {seconds % 60} s.")
    if not options.get("skip_derived"):
        build_derived(log)
    if options.get("check"):
        mismatches = counter_mismatches()
        log("Counter check: " + ", ".join(f"{k}={v}" for k, v in mismatches.items()))
        if any(mismatches.values()):
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
