"""Give every resource and need of a benchmark database a random unit vector, so the semantic
paths (similar needs, re-ranking related content) are timed at full scale.

Real vectors come from the model (``manage.py embed_search_documents``), about 25 ms a text here:
an hour for 100,000 posts. Random ones cost the same to load, multiply and compare, which is
all a benchmark measures; they say nothing of quality (cosines near 0, so no need counts as
"like this one"). Refuses a database that holds real vectors, and writes nothing twice.

    DATABASE_URL=… python -m bench.vectors [--seed 1]
"""

from __future__ import annotations

import argparse
import sys
import time

BATCH = 5_000
SYNTHETIC = "synthetic-bench"  # the content hash of every vector written here


def fill(seed: int) -> dict[str, int]:
    import numpy as np
    from django.db import connection, transaction
    from django.utils import timezone

    from kindling.search import embeddings
    from kindling.search.models import SearchDocument, SemanticVector

    real = SemanticVector.objects.exclude(content_hash=SYNTHETIC)
    if real.exists():
        raise SystemExit("This database holds vectors computed by the model; leaving it alone.")
    rng = np.random.default_rng(seed)
    written: dict[str, int] = {}
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    for kind in ("resource", "need"):
        have = set(SemanticVector.objects.filter(kind=kind).values_list("object_id", flat=True))
        ids = [
            pk
            for pk in SearchDocument.objects.filter(kind=kind)
            .order_by("object_id")
            .values_list("object_id", flat=True)
            if pk not in have
        ]
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            matrix = rng.standard_normal((len(chunk), embeddings.DIMENSION)).astype(np.float32)
            matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
            rows = [
                (kind, pk, embeddings.MODEL_NAME, SYNTHETIC, embeddings.to_bytes(vector), now)
                for pk, vector in zip(chunk, matrix, strict=True)
            ]
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {SemanticVector._meta.db_table} "  # noqa: S608 - a model's table
                    "(kind, object_id, model, content_hash, vector, updated_at) "
                    "VALUES (%s, %s, %s, %s, %s, %s)",
                    rows,
                )
        written[kind] = len(ids)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args(argv)
    from bench.environment import database_label, start

    if not start():
        return 1
    began = time.perf_counter()
    written = fill(options.seed)
    print(
        f"{database_label()}: random vectors written for "
        + ", ".join(f"{count:,} {kind}s" for kind, count in written.items())
        + f" in {time.perf_counter() - began:.0f} s."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
