"""EVALUATION.md §2: how well related-content suggestions find the questions a Stack Exchange
question links to, against plain BM25 over the same documents.

The dump is imported with the product's importer into a throwaway database; the command re-runs
itself there and prints one JSON object on its last line.
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kindling.core.throwaway import in_throwaway_database, rerun_in_throwaway_database

LINK_TYPES = (1, 3)  # linked, duplicate
RANK_DEPTH = 100


class Command(BaseCommand):
    help = "Evaluate related-content retrieval on a Stack Exchange dump (EVALUATION.md §2)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dump_dir", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        dump_dir: Path = options["dump_dir"].resolve()
        if not (dump_dir / "Posts.xml").is_file():
            raise CommandError(f"{dump_dir} holds no Posts.xml.")
        if not in_throwaway_database():
            result = rerun_in_throwaway_database(["evaluate_related", str(dump_dir)])
            sys.stderr.write(result.stderr)
            self.stdout.write(result.stdout.rstrip("\n"))
            if result.returncode != 0:
                raise CommandError("The evaluation failed; see the messages above.")
            return
        self.stdout.write(json.dumps(self.evaluate(dump_dir)))

    def evaluate(self, dump_dir: Path) -> dict[str, Any]:
        from kindling.accounts.models import User
        from kindling.commons.models import Need
        from kindling.integrations.models import ImportedRecord
        from kindling.integrations.stackexchange.importer import import_dump
        from kindling.integrations.stackexchange.parser import read_dump, read_post_links
        from kindling.search.bm25 import BM25
        from kindling.search.evaluation import RankingScores, percentile
        from kindling.search.models import SearchDocument
        from kindling.search.queries import related_content
        from kindling.search.text import STOPWORDS, tokenize

        def log(message: str) -> None:
            self.stderr.write(message)

        # The import indexes what it writes; with the semantic extra, its vectors are computed
        # when it commits (tasks run inline in the throwaway database).
        report = import_dump(dump_dir, log=log)
        need_of = dict(
            ImportedRecord.objects.filter(site=report.site, kind="need").values_list(
                "source_id", "object_id"
            )
        )
        dump = read_dump(dump_dir)
        questions = {
            pid: post for pid, post in dump.posts.items() if post.post_type == 1 and pid in need_of
        }
        relevant: dict[int, set[int]] = defaultdict(set)
        for link in read_post_links(dump_dir, dump):
            a, b = questions.get(link.post_id), questions.get(link.related_post_id)
            if link.link_type in LINK_TYPES and a and b and b.created_at < a.created_at:
                relevant[a.id].add(need_of[b.id])

        documents = list(
            SearchDocument.objects.filter(kind="need")
            .order_by("created_at", "object_id")
            .values_list("object_id", "created_at", "title", "body", "tags", "answers")
        )
        tokens = [
            [w for w in tokenize(" ".join(d[2:])) if len(w) > 1 and w not in STOPWORDS]
            for d in documents
        ]
        viewer = User.objects.create_user(email="evaluator@kindling.invalid", password=None)
        kindling_scores, bm25_scores = RankingScores(), RankingScores()
        latencies: list[float] = []
        needs = Need.objects.in_bulk([need_of[a] for a in relevant])
        for a_id in sorted(relevant):
            question = questions[a_id]
            need = needs[need_of[a_id]]
            text = f"{need.title}\n{need.details}"
            started = time.perf_counter()
            hits = related_content(
                viewer,
                text,
                tags=list(question.tags),
                kinds=("need",),
                limit=RANK_DEPTH,
                exclude=[("need", need.pk)],
                before=question.created_at,
            )
            latencies.append((time.perf_counter() - started) * 1000)
            kindling_scores.add([hit.object_id for hit in hits], relevant[a_id])

            earlier = [i for i, d in enumerate(documents) if d[1] < question.created_at]
            index = BM25([tokens[i] for i in earlier])
            query = [w for w in tokenize(text) if len(w) > 1 and w not in STOPWORDS]
            ranking = [documents[earlier[i]][0] for i in index.rank(query, RANK_DEPTH)]
            bm25_scores.add(ranking, relevant[a_id])
        return {
            "dataset": report.site,
            "queries": len(relevant),
            "kindling": kindling_scores.summary(),
            "bm25": bm25_scores.summary(),
            "latency_ms": {
                "p50": round(percentile(latencies, 0.5), 2),
                "p95": round(percentile(latencies, 0.95), 2),
            },
        }
