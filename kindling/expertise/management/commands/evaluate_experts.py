"""``manage.py evaluate_experts DUMP_DIR``: how well "who can help" finds the people who answered.

EVALUATION.md §1: the first 80% of questions (by CreationDate) are history, imported into a
throwaway database through the product's importer; expertise is computed as in production; each
later question with an answer by a candidate is ranked through ``who_can_help``. Reference points
in the same run: popularity and BM25 over each candidate's history. Prints one JSON object on the
last line. Never touches the site's own database.
"""

from __future__ import annotations

import html
import json
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import iterparse

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.text import slugify

from kindling.core.throwaway import in_throwaway_database, rerun_in_throwaway_database
from kindling.expertise.bm25 import tokenize
from kindling.expertise.evaluation import MetricTotals, latency_summary
from kindling.search.bm25 import BM25

HISTORY_FRACTION = 0.8
# _XML_NOTE: the dump is a local folder the operator chose; Python's expat (≥ 2.4) refuses entity
# expansion attacks and never fetches external entities.
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Post:
    id: int
    kind: int
    created_at: datetime
    owner_id: int | None
    parent_id: int | None
    accepted_answer_id: int | None
    title: str
    body: str
    tags: tuple[str, ...]


def html_to_text(markup: str) -> str:
    return html.unescape(_TAG.sub(" ", markup))


def _date(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def _int(value: str | None) -> int | None:
    return int(value) if value not in (None, "") else None


def read_posts(folder: Path) -> list[Post]:
    """Questions and answers from Posts.xml (ground truth for the evaluation)."""
    posts = []
    for _event, element in iterparse(folder / "Posts.xml"):  # noqa: S314 - see _XML_NOTE
        if element.tag != "row":
            continue
        a = element.attrib
        kind = _int(a.get("PostTypeId"))
        if kind in (1, 2) and a.get("CreationDate"):
            posts.append(
                Post(
                    id=int(a["Id"]),
                    kind=kind,
                    created_at=_date(a["CreationDate"]),
                    owner_id=_int(a.get("OwnerUserId")),
                    parent_id=_int(a.get("ParentId")),
                    accepted_answer_id=_int(a.get("AcceptedAnswerId")),
                    title=a.get("Title", ""),
                    body=html_to_text(a.get("Body", "")),
                    tags=tuple(t for t in re.split(r"[<>|]", a.get("Tags", "")) if t),
                )
            )
        element.clear()
    return posts


def _user_map() -> dict[int, int]:
    """Stack Exchange user id → Kindling user id, as recorded by the importer."""
    from kindling.integrations.models import ImportedRecord

    return dict(ImportedRecord.objects.filter(kind="user").values_list("source_id", "object_id"))


class Command(BaseCommand):
    help = "Evaluate expert finding on a Stack Exchange dump (prints one JSON object)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dump_dir", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        folder: Path = options["dump_dir"].resolve()
        if not (folder / "Posts.xml").is_file():
            raise CommandError(f"No Posts.xml in {folder}.")
        if not in_throwaway_database():
            child = rerun_in_throwaway_database(["evaluate_experts", str(folder)])
            if child.stderr:
                self.stderr.write(child.stderr.rstrip())
            if child.returncode != 0:
                raise CommandError("The evaluation failed (see above).")
            self.stdout.write(child.stdout.rstrip())
            return
        self.stdout.write(json.dumps(self.evaluate(folder)))

    def evaluate(self, folder: Path) -> dict[str, Any]:
        from kindling.accounts.models import User
        from kindling.expertise.actions import recompute_all_expertise
        from kindling.expertise.queries import who_can_help
        from kindling.integrations.stackexchange.importer import import_dump

        posts = read_posts(folder)
        questions = sorted((p for p in posts if p.kind == 1), key=lambda p: (p.created_at, p.id))
        if len(questions) < 2:
            raise CommandError("The dump needs at least two questions.")
        cut = max(1, int(len(questions) * HISTORY_FRACTION))
        history, test = questions[:cut], questions[cut:]
        until = test[0].created_at
        history_ids = {q.id for q in history}
        by_id = {p.id: p for p in posts}
        answers_by_question: dict[int, list[Post]] = defaultdict(list)
        for post in posts:
            if post.kind == 2 and post.parent_id is not None and post.owner_id is not None:
                answers_by_question[post.parent_id].append(post)
        history_answers = [
            a
            for qid in history_ids
            for a in answers_by_question.get(qid, ())
            if a.created_at < until
        ]

        import_dump(folder, until=until)
        recompute_all_expertise(now=until)

        user_map = _user_map()
        answer_counts = Counter(a.owner_id for a in history_answers if a.owner_id in user_map)
        candidate_se = sorted(answer_counts)  # SE users with ≥ 1 answer in the history
        candidates = {user_map[se]: se for se in candidate_se}
        popularity = sorted(candidates, key=lambda uid: (-answer_counts[candidates[uid]], uid))

        # The reference point: plain BM25 (the search app's) over each candidate's history.
        documents: dict[int, list[str]] = defaultdict(list)
        for answer in history_answers:
            question = by_id[answer.parent_id or 0]
            documents[user_map[answer.owner_id or 0]] += tokenize(
                f"{answer.body} {question.title} {question.body}"
            )
        bm25_users = list(candidates)
        bm25 = BM25([documents[uid] for uid in bm25_users])

        totals = {name: MetricTotals() for name in ("kindling", "popularity", "bm25")}
        accepted_totals = MetricTotals()
        latencies: list[float] = []
        members = {user.pk: user for user in User.objects.filter(pk__in=user_map.values())}
        for question in test:
            answerers = {
                user_map[a.owner_id]
                for a in answers_by_question.get(question.id, ())
                if a.owner_id in user_map and user_map[a.owner_id] in candidates
            }
            if not answerers:
                continue
            # The asker is the viewer, as on the need's page: never suggested to themselves, and
            # left out of the reference rankings too so the comparison stays even.
            asker = members.get(user_map.get(question.owner_id or 0, 0))
            viewer: User | AnonymousUser = asker or AnonymousUser()
            text = f"{question.title}\n{question.body}"
            tags = [slugify(t)[:60].strip("-") for t in question.tags]  # as the importer
            started = time.perf_counter()
            suggestions = who_can_help(
                viewer, text, tags, limit=None, now=question.created_at, explain_top=10
            )
            latencies.append((time.perf_counter() - started) * 1000)
            ranked = [s.user_id for s in suggestions if s.user_id in candidates]
            seen = set(ranked)
            ranked += [uid for uid in popularity if uid not in seen and uid != viewer.pk]
            totals["kindling"].add(ranked, answerers)
            totals["popularity"].add([uid for uid in popularity if uid != viewer.pk], answerers)
            bm25_scores = bm25.scores(tokenize(text))
            bm25_order = sorted(range(len(bm25_users)), key=lambda i: (-bm25_scores[i], i))
            totals["bm25"].add(
                [bm25_users[i] for i in bm25_order if bm25_users[i] != viewer.pk], answerers
            )
            accepted = by_id.get(question.accepted_answer_id or 0)
            if accepted and accepted.owner_id in user_map:
                accepted_user = user_map[accepted.owner_id]
                if accepted_user in candidates:
                    accepted_totals.add(ranked, {accepted_user})

        return {
            "dataset": folder.name,
            "test_questions": totals["kindling"].queries,
            "candidates": len(candidates),
            "kindling": totals["kindling"].summary(),
            "kindling_accepted": accepted_totals.summary(),
            "popularity": totals["popularity"].summary(),
            "bm25": totals["bm25"].summary(),
            "latency_ms": latency_summary(latencies),
        }
