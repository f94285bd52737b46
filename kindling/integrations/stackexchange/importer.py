"""Writing a Stack Exchange dump into Kindling: users, needs, responses, comments and tags.

The whole dump is read and checked first (``parser.read_dump``), then written in one
transaction, so a dump that cannot be read leaves the database as it was. Models are written
directly with bulk queries rather than through ``commons.actions``: those enforce new members'
posting limits and notify followers, and an import must do neither. Counters the actions would
keep (responses, helped responses, comments, last activity) are recomputed from the rows at the
end. Every object is remembered in ``ImportedRecord`` so that importing again updates it.

Mapping, in short: questions → needs, answers → responses (the accepted answer is marked
helpful), comments → comments on the need (comments on an answer go to that answer's need),
tags → free tags, users → members who cannot sign in. Votes carry no voter in a dump, so no
``UsefulVote`` is made; a post's useful count is its score (never below zero), or is counted
from the up and down votes when the score is missing or when importing history (``until``).
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count, F, IntegerField, Max, Model, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.text import slugify

from kindling.accounts.models import Profile, Role, User
from kindling.commons.models import (
    BODY_MAX,
    TITLE_MAX,
    Comment,
    Need,
    NeedStatus,
    Response,
    Tag,
    TagKind,
    UsefulVote,
)
from kindling.integrations.models import ImportedRecord
from kindling.integrations.stackexchange.markup import html_to_markdown, html_to_text
from kindling.integrations.stackexchange.parser import (
    ANSWER,
    QUESTION,
    VOTE_ACCEPTED,
    VOTE_DOWN,
    VOTE_UP,
    CommentRow,
    Dump,
    DumpError,
    PostRow,
    SkippedRow,
    read_dump,
    site_name,
)

__all__ = ["DumpError", "ImportReport", "SkippedRow", "import_dump", "imported_object_id"]

BATCH = 500
COMMENT_MAX = 5000
ATTRIBUTION_MAX = 300
BIO_MAX = 2000
DISPLAY_NAME_MAX = 80
TAG_MAX = 60
KINDS = ("users", "needs", "responses", "comments", "tags", "votes")
# ImportedRecord kinds; the placeholder for posts whose author is gone has its own kind.
USER, NEED, RESPONSE, COMMENT = "user", "need", "response", "comment"
DELETED_USER = "deleted-user"
COMMUNITY_USER_ID = -1
DELETED_USER_NAME = "Deleted user"

T = TypeVar("T")
M = TypeVar("M", bound=Model)


@dataclass
class ImportReport:
    """What an import did: counts per kind, rows left out and why, and how long it took."""

    site: str
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    # Rows left out because they are broken: (file, row Id, reason).
    skipped: list[SkippedRow] = field(default_factory=list)
    # Rows imported with a substitute, e.g. a post whose author is not in Users.xml.
    warnings: list[SkippedRow] = field(default_factory=list)
    # Rows deliberately not imported (tag wiki posts, rows after `until`, …), counted by reason.
    ignored: Counter[str] = field(default_factory=Counter)
    votes_read: int = 0
    # Posts whose useful count was counted from Votes.xml instead of taken from their Score.
    scores_from_votes: int = 0
    duration: float = 0.0

    def summary_lines(self) -> list[str]:
        """The report as lines of text, for the command and for logs."""
        lines = [f"Imported {self.site} in {self.duration:.1f} s."]
        for kind in KINDS:
            lines.append(
                f"  {kind}: {self.created[kind]} created, {self.updated[kind]} updated, "
                f"{self.unchanged[kind]} unchanged"
            )
        lines.append(
            f"  votes on imported posts: {self.votes_read} (a dump names no voter, so none"
            f" becomes a Kindling vote; useful counts from them for {self.scores_from_votes} posts)"
        )
        for reason, count in sorted(self.ignored.items()):
            lines.append(f"  not imported: {count} {reason}")
        if self.warnings:
            lines.append(f"Imported with a substitute ({len(self.warnings)}):")
            lines += [f"  {w.file} Id {w.row_id}: {w.reason}" for w in self.warnings]
        if self.skipped:
            lines.append(f"Skipped rows ({len(self.skipped)}):")
            lines += [f"  {s.file} Id {s.row_id or '-'}: {s.reason}" for s in self.skipped]
        else:
            lines.append("No rows skipped.")
        return lines


def imported_object_id(site: str, kind: str, source_id: int) -> int | None:
    """The id of the Kindling object a dump row became ("user", "need", "response", "comment")."""
    return (
        ImportedRecord.objects.filter(site=site, kind=kind, source_id=source_id)
        .values_list("object_id", flat=True)
        .first()
    )


def _chunks(items: Sequence[T], size: int = BATCH) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _in_chunks(model: type[M], ids: Iterable[int], **filters: Any) -> list[M]:
    """Objects by primary key, a batch at a time (databases limit query parameters)."""
    found: list[M] = []
    for chunk in _chunks(sorted(set(ids))):
        found += list(model._default_manager.filter(pk__in=chunk, **filters))
    return found


def _trim(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass
class _Plan:
    """What to write, decided from the dump before the transaction starts."""

    questions: list[PostRow]
    answers: list[PostRow]
    comments: list[tuple[CommentRow, int]]  # with the question the comment goes under
    user_ids: set[int]
    useful: dict[int, int]  # post id → useful count
    helped_answers: set[int]
    tag_names: list[str]


def _plan(dump: Dump, report: ImportReport, until: datetime | None) -> _Plan:
    """Choose the rows to import, noting broken and left-out ones in the report."""

    def before(moment: datetime | None) -> bool:
        return until is None or (moment is not None and moment < until)

    questions: dict[int, PostRow] = {}
    for post in dump.posts.values():
        if post.post_type != QUESTION:
            continue
        if not before(post.created_at):
            report.ignored["questions asked after the cut-off"] += 1
        elif not post.title:
            report.skipped.append(SkippedRow("Posts.xml", str(post.id), "question has no Title"))
        else:
            questions[post.id] = post

    answers: dict[int, PostRow] = {}
    for post in dump.posts.values():
        if post.post_type == QUESTION:
            continue
        if post.post_type != ANSWER:
            report.ignored["posts that are neither questions nor answers (tag wikis, …)"] += 1
            continue
        parent = dump.posts.get(post.parent_id) if post.parent_id is not None else None
        if post.parent_id is None:
            report.skipped.append(SkippedRow("Posts.xml", str(post.id), "answer has no ParentId"))
        elif parent is None or parent.post_type != QUESTION:
            report.skipped.append(
                SkippedRow(
                    "Posts.xml",
                    str(post.id),
                    f"answer to question {post.parent_id}, which is not in the dump",
                )
            )
        elif post.parent_id not in questions or not before(post.created_at):
            report.ignored["answers after the cut-off or to questions left out"] += 1
        else:
            answers[post.id] = post

    comments: list[tuple[CommentRow, int]] = []
    for comment in dump.comments.values():
        if comment.post_id not in dump.posts:
            report.skipped.append(
                SkippedRow(
                    "Comments.xml",
                    str(comment.id),
                    f"comment on post {comment.post_id}, which is not in the dump",
                )
            )
            continue
        question_id = comment.post_id if comment.post_id in questions else None
        if comment.post_id in answers:
            question_id = answers[comment.post_id].parent_id
        if question_id is None or not before(comment.created_at):
            report.ignored["comments after the cut-off or on posts left out"] += 1
        elif not comment.text:
            report.skipped.append(SkippedRow("Comments.xml", str(comment.id), "comment is empty"))
        else:
            comments.append((comment, question_id))

    # Votes: scores for history, the acceptance date, and a check of Score where it is missing.
    votes_before: dict[int, int] = defaultdict(int)
    accepted_at: dict[int, datetime | None] = {}
    imported_posts = questions.keys() | answers.keys()
    for vote in dump.votes:
        if vote.post_id not in imported_posts:
            continue
        report.votes_read += 1
        if vote.vote_type == VOTE_ACCEPTED:
            accepted_at[vote.post_id] = vote.created_at
        if vote.vote_type in (VOTE_UP, VOTE_DOWN) and before(vote.created_at):
            votes_before[vote.post_id] += 1 if vote.vote_type == VOTE_UP else -1
    useful: dict[int, int] = {}
    for post in (*questions.values(), *answers.values()):
        if until is not None or post.score is None:
            # The score in a dump is today's; history counts only the votes cast before then.
            report.scores_from_votes += 1
            useful[post.id] = max(votes_before.get(post.id, 0), 0)
        else:
            useful[post.id] = max(post.score, 0)

    helped: set[int] = set()
    for question in questions.values():
        answer_id = question.accepted_answer_id
        if answer_id is None or answer_id not in answers:
            continue
        # With a cut-off, an answer accepted after it was not yet accepted then; dumps that
        # have no acceptance vote fall back to the answer being there.
        if until is None or answer_id not in accepted_at or before(accepted_at[answer_id]):
            helped.add(answer_id)

    tag_names = [name for question in questions.values() for name in question.tags]
    if until is None:
        tag_names = dump.tag_names + tag_names

    user_ids = {post.owner_id for post in (*questions.values(), *answers.values())}
    user_ids |= {comment.user_id for comment, _ in comments}
    owners = {user_id for user_id in user_ids if user_id is not None}
    for user in dump.users.values():
        if user.id == COMMUNITY_USER_ID and user.id not in owners:
            report.ignored["'Community' user (owns nothing imported)"] += 1
        elif user.id in owners or until is None or before(user.created_at):
            owners.add(user.id)
        else:
            report.ignored["users who joined after the cut-off"] += 1
    return _Plan(
        questions=sorted(questions.values(), key=lambda post: post.id),
        answers=sorted(answers.values(), key=lambda post: post.id),
        comments=sorted(comments, key=lambda pair: pair[0].id),
        user_ids={user_id for user_id in owners if user_id in dump.users},
        useful=useful,
        helped_answers=helped,
        tag_names=list(dict.fromkeys(tag_names)),
    )


class _Writer:
    """Writes one plan for one site; holds the id maps between the dump and Kindling."""

    def __init__(self, dump: Dump, plan: _Plan, site: str, report: ImportReport) -> None:
        self.dump = dump
        self.plan = plan
        self.site = site
        self.report = report
        self.now = timezone.now()
        self.records: dict[tuple[str, int], ImportedRecord] = {
            (record.kind, record.source_id): record
            for record in ImportedRecord.objects.filter(site=site)
        }
        self.new_records: list[ImportedRecord] = []
        self.seen_records: list[int] = []
        self.users: dict[int, int] = {}  # source user id → User pk
        self.needs: dict[int, int] = {}  # question id → Need pk
        self.placeholder_id: int | None = None

    # --- bookkeeping ---------------------------------------------------------------------
    def existing(self, kind: str, model: type[M], source_ids: Iterable[int]) -> dict[int, M]:
        """Objects imported before from these rows, by source id (gone ones are left out)."""
        wanted = {
            self.records[(kind, source_id)].object_id: source_id
            for source_id in source_ids
            if (kind, source_id) in self.records
        }
        return {wanted[obj.pk]: obj for obj in _in_chunks(model, wanted)}

    def remember(self, kind: str, source_id: int, object_id: int) -> None:
        record = self.records.get((kind, source_id))
        if record is None:
            record = ImportedRecord(
                site=self.site, kind=kind, source_id=source_id, object_id=object_id
            )
            self.records[(kind, source_id)] = record
            self.new_records.append(record)
        elif record.object_id != object_id:
            # The object was deleted in Kindling since the last import and is made again.
            record.object_id = object_id
            record.save(update_fields=["object_id"])
            self.seen_records.append(record.pk)
        else:
            self.seen_records.append(record.pk)

    def save_records(self) -> None:
        ImportedRecord.objects.bulk_create(self.new_records, batch_size=BATCH)
        for chunk in _chunks(self.seen_records):
            ImportedRecord.objects.filter(pk__in=chunk).update(imported_at=self.now)

    def sync(
        self,
        kind: str,
        model: type[M],
        rows: Sequence[tuple[int, dict[str, Any]]],
        report_kind: str,
    ) -> dict[int, int]:
        """Create or update one object per (source id, field values); return source id → pk."""
        existing = self.existing(kind, model, [source_id for source_id, _ in rows])
        to_create: list[tuple[int, M]] = []
        to_update: list[M] = []
        changed_fields: set[str] = set()
        for source_id, values in rows:
            obj = existing.get(source_id)
            if obj is None:
                to_create.append((source_id, model(**values)))
                continue
            changes = {name for name, value in values.items() if getattr(obj, name) != value}
            if changes:
                for name in changes:
                    setattr(obj, name, values[name])
                changed_fields |= changes
                to_update.append(obj)
            else:
                self.report.unchanged[report_kind] += 1
        model._default_manager.bulk_create([obj for _, obj in to_create], batch_size=BATCH)
        if to_update:
            model._default_manager.bulk_update(to_update, sorted(changed_fields), batch_size=BATCH)
        self.report.created[report_kind] += len(to_create)
        self.report.updated[report_kind] += len(to_update)
        ids = {source_id: obj.pk for source_id, obj in existing.items()}
        ids.update({source_id: obj.pk for source_id, obj in to_create})
        for source_id, pk in ids.items():
            self.remember(kind, source_id, pk)
        return ids

    # --- people ---------------------------------------------------------------------------
    def email(self, source_id: int | str) -> str:
        return f"se-{source_id}@{self.site}.imported.invalid"

    def write_users(self) -> None:
        rows = [self.dump.users[user_id] for user_id in sorted(self.plan.user_ids)]
        by_email = dict(
            User.objects.filter(email__endswith=f"@{self.site}.imported.invalid").values_list(
                "email", "pk"
            )
        )
        existing = self.existing(USER, User, [row.id for row in rows])
        new_users: list[tuple[int, User]] = []
        for row in rows:
            if row.id in existing:
                self.users[row.id] = existing[row.id].pk
            elif self.email(row.id) in by_email:
                self.users[row.id] = by_email[self.email(row.id)]
            else:
                new_users.append((row.id, self._new_user(self.email(row.id), row.created_at)))
        User.objects.bulk_create([user for _, user in new_users], batch_size=BATCH)
        self.users.update({source_id: user.pk for source_id, user in new_users})
        for source_id, pk in self.users.items():
            self.remember(USER, source_id, pk)

        profiles: dict[int, Profile] = {}
        for chunk in _chunks(sorted(self.users.values())):
            profiles.update({p.user_id: p for p in Profile.objects.filter(user_id__in=chunk)})
        to_create: list[Profile] = []
        to_update: list[Profile] = []
        for row in rows:
            user_id = self.users[row.id]
            display_name = _trim(row.display_name or f"user{row.id}", DISPLAY_NAME_MAX)
            bio = _trim(html_to_text(row.about_me), BIO_MAX)
            profile = profiles.get(user_id)
            if profile is None:
                to_create.append(
                    Profile(user_id=user_id, display_name=display_name, bio=bio, role=Role.OTHER)
                )
                self.report.created["users"] += 1
            elif (profile.display_name, profile.bio) != (display_name, bio):
                profile.display_name, profile.bio = display_name, bio
                to_update.append(profile)
                self.report.updated["users"] += 1
            else:
                self.report.unchanged["users"] += 1
        Profile.objects.bulk_create(to_create, batch_size=BATCH)
        Profile.objects.bulk_update(to_update, ["display_name", "bio"], batch_size=BATCH)

    def _new_user(self, email: str, joined: datetime | None) -> User:
        # An unusable password and an address under .invalid: nobody can sign in as them.
        return User(
            email=email,
            password=make_password(None),
            is_active=True,
            date_joined=joined or self.now,
            code_of_conduct_version="",
            code_of_conduct_accepted_at=None,
        )

    def author(self, file: str, row_id: int, user_id: int | None) -> int:
        """The member a row belongs to, or the site's "Deleted user" when it is not known."""
        if user_id is not None and user_id in self.users:
            return self.users[user_id]
        reason = (
            "no OwnerUserId/UserId" if user_id is None else f"user {user_id} is not in Users.xml"
        )
        self.report.warnings.append(SkippedRow(file, str(row_id), f"{reason}: {DELETED_USER_NAME}"))
        if self.placeholder_id is None:
            self.placeholder_id = self._placeholder()
        return self.placeholder_id

    def _placeholder(self) -> int:
        record = self.records.get((DELETED_USER, 0))
        if record is not None and User.objects.filter(pk=record.object_id).exists():
            self.seen_records.append(record.pk)
            return record.object_id
        user, _ = User.objects.get_or_create(
            email=self.email("deleted"),
            defaults={"password": make_password(None), "date_joined": self.now},
        )
        _, created = Profile.objects.get_or_create(
            user=user, defaults={"display_name": DELETED_USER_NAME, "role": Role.OTHER}
        )
        self.report.created["users"] += int(created)
        self.remember(DELETED_USER, 0, user.pk)
        return user.pk

    def display_name(self, user_id: int | None, fallback: str) -> str:
        user = self.dump.users.get(user_id) if user_id is not None else None
        return (user.display_name if user else "") or fallback or DELETED_USER_NAME

    def attribution(self, path: str, source_id: int, name: str, license: str) -> str:
        licence = f"licensed {license}" if license else "licensed CC BY-SA"
        url = f"https://{self.site}/{path}/{source_id}"
        head = f"From {self.site}, by "
        tail = f", {licence} ({url})"
        return head + _trim(name, ATTRIBUTION_MAX - len(head) - len(tail)) + tail

    # --- tags -----------------------------------------------------------------------------
    def write_tags(self) -> dict[str, int]:
        """Free tags by dump name → Tag pk, creating the missing ones."""
        slugs: dict[str, str] = {}
        for name in self.plan.tag_names:
            slug = slugify(name)[:TAG_MAX].strip("-")
            if slug:
                slugs[name] = slug
            else:
                self.report.ignored["tags whose name makes no slug"] += 1
        existing = dict(
            Tag.objects.filter(kind=TagKind.FREE, slug__in=set(slugs.values())).values_list(
                "slug", "pk"
            )
        )
        missing: dict[str, Tag] = {}
        for name, slug in slugs.items():
            if slug not in existing and slug not in missing:
                missing[slug] = Tag(kind=TagKind.FREE, slug=slug, name=name[:TAG_MAX])
        Tag.objects.bulk_create(missing.values(), batch_size=BATCH)
        self.report.created["tags"] += len(missing)
        self.report.unchanged["tags"] += len(existing)
        existing.update({slug: tag.pk for slug, tag in missing.items()})
        return {name: existing[slug] for name, slug in slugs.items()}

    # --- posts ----------------------------------------------------------------------------
    def write_needs(self, tags: dict[str, int]) -> None:
        rows: list[tuple[int, dict[str, Any]]] = []
        for post in self.plan.questions:
            closed = post.closed_at is not None and (
                self.cutoff is None or post.closed_at < self.cutoff
            )
            rows.append(
                (
                    post.id,
                    {
                        "author_id": self.author("Posts.xml", post.id, post.owner_id),
                        "title": _trim(post.title, TITLE_MAX),
                        "details": _trim(html_to_markdown(post.body), BODY_MAX),
                        "status": NeedStatus.CLOSED if closed else NeedStatus.OPEN,
                        "closed_at": post.closed_at if closed else None,
                        "created_at": post.created_at,
                        "updated_at": self.edited_at(post),
                        "useful_count": self.plan.useful[post.id],
                        "attribution": self.attribution(
                            "q",
                            post.id,
                            self.display_name(post.owner_id, post.owner_display_name),
                            post.license,
                        ),
                    },
                )
            )
        self.needs = self.sync(NEED, Need, rows, "needs")

        # Free tags: add what the dump says, drop free tags the dump no longer has.
        through = Need.tags.through
        wanted = {
            (self.needs[post.id], tags[name])
            for post in self.plan.questions
            for name in post.tags
            if name in tags
        }
        have: set[tuple[int, int]] = set()
        stale: list[int] = []
        for chunk in _chunks(sorted(self.needs.values())):
            for pk, need_id, tag_id in through.objects.filter(
                need_id__in=chunk, tag__kind=TagKind.FREE
            ).values_list("pk", "need_id", "tag_id"):
                have.add((need_id, tag_id))
                if (need_id, tag_id) not in wanted:
                    stale.append(pk)
        for chunk in _chunks(stale):
            through.objects.filter(pk__in=chunk).delete()
        through.objects.bulk_create(
            [through(need_id=need_id, tag_id=tag_id) for need_id, tag_id in sorted(wanted - have)],
            batch_size=BATCH,
        )

    def edited_at(self, post: PostRow) -> datetime:
        edited = post.last_edited_at
        if edited is None or (self.cutoff is not None and edited >= self.cutoff):
            return post.created_at
        return max(edited, post.created_at)

    def write_responses(self) -> None:
        rows: list[tuple[int, dict[str, Any]]] = []
        for post in self.plan.answers:
            assert post.parent_id is not None  # checked by _plan
            helped = post.id in self.plan.helped_answers
            rows.append(
                (
                    post.id,
                    {
                        "need_id": self.needs[post.parent_id],
                        "author_id": self.author("Posts.xml", post.id, post.owner_id),
                        "body": _trim(html_to_markdown(post.body), BODY_MAX),
                        "helped": helped,
                        # A dump does not say when an answer was accepted.
                        "marked_helpful_at": post.created_at if helped else None,
                        "useful_count": self.plan.useful[post.id],
                        "created_at": post.created_at,
                        "updated_at": self.edited_at(post),
                        "attribution": self.attribution(
                            "a",
                            post.id,
                            self.display_name(post.owner_id, post.owner_display_name),
                            post.license,
                        ),
                    },
                )
            )
        self.responses = self.sync(RESPONSE, Response, rows, "responses")

    def write_comments(self) -> None:
        rows: list[tuple[int, dict[str, Any]]] = []
        for comment, question_id in self.plan.comments:
            rows.append(
                (
                    comment.id,
                    {
                        "need_id": self.needs[question_id],
                        "author_id": self.author("Comments.xml", comment.id, comment.user_id),
                        "body": _trim(comment.text, COMMENT_MAX),
                        "created_at": comment.created_at,
                        "attribution": self.attribution(
                            "posts/comments",
                            comment.id,
                            self.display_name(comment.user_id, comment.user_display_name),
                            comment.license,
                        ),
                    },
                )
            )
        self.sync(COMMENT, Comment, rows, "comments")

    def add_local_votes(self) -> None:
        """Useful votes members cast here since an earlier import count on top of the score."""
        for kind, model, ids in (
            (Need.KIND, Need, self.needs.values()),
            (Response.KIND, Response, self.responses.values()),
        ):
            for chunk in _chunks(sorted(ids)):
                counts = (
                    UsefulVote.objects.filter(kind=kind, object_id__in=chunk)
                    .values("object_id")
                    .annotate(n=Count("pk"))
                    .values_list("object_id", "n")
                )
                for object_id, n in counts:
                    model._default_manager.filter(pk=object_id).update(
                        useful_count=F("useful_count") + n
                    )

    def recount(self) -> None:
        """Set each imported need's counters from its rows, as the posting actions keep them."""

        def count(queryset: Any) -> Coalesce:
            subquery = queryset.filter(need=OuterRef("pk")).order_by().values("need")
            return Coalesce(
                Subquery(subquery.annotate(n=Count("pk")).values("n")[:1]),
                Value(0),
                output_field=IntegerField(),
            )

        latest_response = (
            Response.objects.filter(need=OuterRef("pk"))
            .order_by()
            .values("need")
            .annotate(latest=Max("created_at"))
            .values("latest")[:1]
        )
        for chunk in _chunks(sorted(self.needs.values())):
            Need.objects.filter(pk__in=chunk).update(
                response_count=count(Response.objects.all()),
                helped_count=count(Response.objects.filter(helped=True)),
                comment_count=count(Comment.objects.all()),
                last_activity_at=Greatest(
                    F("created_at"), Coalesce(Subquery(latest_response), F("created_at"))
                ),
            )

    cutoff: datetime | None = None
    responses: dict[int, int]

    def write(self, until: datetime | None) -> None:
        self.cutoff = until
        self.responses = {}
        self.write_users()
        tags = self.write_tags()
        self.write_needs(tags)
        self.write_responses()
        self.write_comments()
        self.add_local_votes()
        self.recount()
        self.save_records()
        self.index()

    def index(self) -> None:
        """Put the imported needs, responses and members in the search index now (bulk writes
        send no signals), and queue their semantic vectors for after the commit."""
        from kindling.search.actions import index_objects
        from kindling.search.semantic import schedule

        need_ids = sorted(set(self.needs.values()))
        profile_ids: list[int] = []
        for chunk in _chunks(sorted(set(self.users.values()))):
            profile_ids += Profile.objects.filter(user_id__in=chunk).values_list("pk", flat=True)
        index_objects(need_ids=need_ids, profile_ids=profile_ids)
        schedule(NEED, need_ids)


def import_dump(
    dump_dir: Path,
    *,
    until: datetime | None = None,
    site: str | None = None,
    log: Callable[[str], None] | None = None,
) -> ImportReport:
    """Import a Stack Exchange data dump folder; all of it or, on any fatal error, none of it.

    ``until`` (timezone-aware) keeps only what existed strictly before it: questions, their
    answers, comments and votes. ``site`` names the community for attribution and for
    recognising rows imported before; by default it comes from the README or folder name.
    Raises ``DumpError`` (a ``CommandError``) when the dump cannot be read.
    """
    started = time.monotonic()
    say = log or (lambda message: None)
    if until is not None and timezone.is_naive(until):
        raise ValueError("until must be timezone-aware")
    dump_dir = Path(dump_dir)
    say(f"Reading {dump_dir} …")
    dump = read_dump(dump_dir)
    site = site or site_name(dump_dir, dump.readme)
    report = ImportReport(site=site, skipped=list(dump.skipped))
    plan = _plan(dump, report, until)
    say(
        f"Writing {len(plan.user_ids)} users, {len(plan.questions)} questions, "
        f"{len(plan.answers)} answers and {len(plan.comments)} comments from {site} …"
    )
    with transaction.atomic():
        _Writer(dump, plan, site, report).write(until)
    report.duration = time.monotonic() - started
    return report
