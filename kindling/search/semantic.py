"""Semantic similarity: sentence embeddings of resources and needs, kept beside the full-text
index and fused with it.

Optional: with ``SEMANTIC_SEARCH`` off, or without the ``semantic`` extra installed, ``enabled()``
is False, nothing is embedded and every caller ranks by full text alone.

Vectors are computed from the search documents (the same plain text full-text search indexes)
in background tasks after writes, and in batches by ``manage.py embed_search_documents``. A need's
vector is the mean of two encodings, its title with its details and its title with its
responses' text, so a need is found by what was answered as well as by what was asked.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from kindling.search import embeddings
from kindling.search.models import DocumentKind, SearchDocument, SemanticVector

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Vector = npt.NDArray[np.float32]

KINDS = (DocumentKind.RESOURCE.value, DocumentKind.NEED.value)
BATCH_SIZE = 256
# The query text encoded is cut here: the model reads QUERY_TOKENS of it at most anyway.
QUERY_CHARS = 2000


def enabled() -> bool:
    """Whether semantic similarity is switched on and its packages are installed."""
    return bool(settings.SEMANTIC_SEARCH) and embeddings.packages_installed()


def encoder() -> embeddings.Encoder | None:
    """The loaded model, or None (switched off, not installed, or broken)."""
    return embeddings.load_encoder(settings.SEMANTIC_THREADS) if enabled() else None


def _texts(title: str, body: str, answers: str) -> list[str]:
    texts = [f"{title}\n{body}".strip()]
    if answers.strip():
        texts.append(f"{title}\n{answers}".strip())
    return texts


def _content_hash(texts: Sequence[str]) -> str:
    digest = hashlib.sha256(embeddings.MODEL_NAME.encode())
    for text in texts:
        digest.update(b"\x00" + text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _combine(vectors: Vector) -> Vector:
    """The unit-length mean of one document's encodings."""
    import numpy as np

    total = vectors.sum(axis=0)
    norm = float(np.linalg.norm(total))
    return total / norm if norm > 0 else total


@transaction.atomic
def embed_documents(kind: str, object_ids: Iterable[int], *, force: bool = False) -> int:
    """Compute and store the vectors of these objects' search documents whose text changed
    (all of them with ``force``); drop the vectors of objects that have no document any more.
    Returns how many vectors were written."""
    model = encoder()
    ids = sorted({int(i) for i in object_ids})
    if model is None or kind not in KINDS or not ids:
        return 0
    documents = {
        object_id: _texts(title, body, answers)
        for object_id, title, body, answers in SearchDocument.objects.filter(
            kind=kind, object_id__in=ids
        ).values_list("object_id", "title", "body", "answers")
    }
    stored = dict(
        SemanticVector.objects.filter(kind=kind, object_id__in=ids).values_list(
            "object_id", "content_hash"
        )
    )
    gone = [object_id for object_id in stored if object_id not in documents]
    hashes = {object_id: _content_hash(texts) for object_id, texts in documents.items()}
    todo = [i for i in documents if force or stored.get(i) != hashes[i]]
    if gone:
        SemanticVector.objects.filter(kind=kind, object_id__in=gone).delete()
    if not todo:
        return 0
    flat = [text for object_id in todo for text in documents[object_id]]
    encoded = model.encode(flat)
    now = timezone.now()
    rows, start = [], 0
    for object_id in todo:
        count = len(documents[object_id])
        vector = _combine(encoded[start : start + count])
        start += count
        rows.append(
            SemanticVector(
                kind=kind,
                object_id=object_id,
                model=model.name,
                content_hash=hashes[object_id],
                vector=embeddings.to_bytes(vector),
                updated_at=now,
            )
        )
    SemanticVector.objects.filter(kind=kind, object_id__in=todo).delete()
    SemanticVector.objects.bulk_create(rows)
    return len(rows)


def schedule(kind: str, object_ids: Iterable[int]) -> None:
    """Embed these objects in a background task once the current transaction commits."""
    ids = sorted({int(i) for i in object_ids})
    if not ids or kind not in KINDS or not enabled():
        return
    from kindling.search.tasks import embed_documents_task

    def enqueue() -> None:
        for start in range(0, len(ids), BATCH_SIZE):
            embed_documents_task.enqueue(kind, ids[start : start + BATCH_SIZE])

    transaction.on_commit(enqueue)


def embed_all(
    *, batch_size: int = BATCH_SIZE, force: bool = False, log: Callable[[str], None] | None = None
) -> dict[str, int]:
    """Embed every resource and need whose vector is missing or stale, in batches; remove
    vectors whose object is gone. Returns vectors written by kind."""
    say = log or (lambda message: None)
    written: dict[str, int] = {}
    for kind in KINDS:
        written[kind] = 0
        last = 0
        while True:
            batch = list(
                SearchDocument.objects.filter(kind=kind, object_id__gt=last)
                .order_by("object_id")
                .values_list("object_id", flat=True)[:batch_size]
            )
            if not batch:
                break
            written[kind] += embed_documents(kind, batch, force=force)
            last = batch[-1]
            say(f"{kind}: up to id {last}, {written[kind]} vectors written")
        orphans = SemanticVector.objects.filter(kind=kind).exclude(
            object_id__in=SearchDocument.objects.filter(kind=kind).values("object_id")
        )
        orphans.delete()
    SemanticVector.objects.exclude(model=embeddings.MODEL_NAME).delete()
    return written


# Encoded query texts, most recent last: suggestions encode the same text for posts and
# helpers, and a text may be encoded in the background while the request reads the database.
_queries: OrderedDict[tuple[str, int], Future[Vector]] = OrderedDict()
_queries_lock = threading.Lock()
# One at a time: each encoding already uses SEMANTIC_THREADS cores.
_background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kindling-encode")
QUERY_CACHE = 64


def _query_text(text: str) -> str:
    return " ".join(text.split())[:QUERY_CHARS]


def _encoding(key: tuple[str, int], *, background: bool) -> Future[Vector]:
    """The future vector of an already normalised text read up to some tokens: the one encoded
    or being encoded, or a new encoding, run here or (``background``) on the encoding thread."""
    with _queries_lock:
        future = _queries.get(key)
        if future is not None:
            _queries.move_to_end(key)
            return future
        future = _queries[key] = Future()
        while len(_queries) > QUERY_CACHE:
            _queries.popitem(last=False)
    if background:
        _background.submit(_encode_into, future, key)
    else:
        _encode_into(future, key)
    return future


def _encode_into(future: Future[Vector], key: tuple[str, int]) -> None:
    text, tokens = key
    try:
        model = encoder()
        assert model is not None
        future.set_result(model.encode([text], max_tokens=tokens)[0])
    except BaseException as error:
        with _queries_lock:  # a failed encoding is not kept
            if _queries.get(key) is future:
                del _queries[key]
        future.set_exception(error)


def start_query_vector(text: str, *, tokens: int = embeddings.QUERY_TOKENS) -> None:
    """Begin encoding ``text`` (up to ``tokens`` tokens) on another thread (the model releases
    the interpreter while it runs), so a request can read the database meanwhile;
    ``query_vector`` then waits for it."""
    text = _query_text(text)
    if text and encoder() is not None:
        _encoding((text, tokens), background=True)


def query_vector(text: str, *, tokens: int = embeddings.QUERY_TOKENS) -> Vector | None:
    """The text's vector, read up to ``tokens`` tokens (cached, and shared with an encoding
    ``start_query_vector`` began)."""
    text = _query_text(text)
    if not text or encoder() is None:
        return None
    return _encoding((text, tokens), background=False).result()


def forget_query_vectors() -> None:
    """Empty the cache of encoded texts (benchmarks time the encoding of new text)."""
    with _queries_lock:
        _queries.clear()


def vectors_for(kind: str, object_ids: Iterable[int]) -> dict[int, Vector]:
    """Stored vectors of these objects (those that have one), in one query."""
    ids = list({int(i) for i in object_ids})
    if not ids:
        return {}
    rows = SemanticVector.objects.filter(
        kind=kind, object_id__in=ids, model=embeddings.MODEL_NAME
    ).values_list("object_id", "vector")
    return {object_id: embeddings.from_bytes(bytes(vector)) for object_id, vector in rows}


def stored_vectors(kind: str) -> Iterator[tuple[int, Vector]]:
    """(object id, vector) of every current vector of a kind, streamed."""
    rows = SemanticVector.objects.filter(kind=kind, model=embeddings.MODEL_NAME).values_list(
        "object_id", "vector"
    )
    for object_id, data in rows.iterator(chunk_size=2000):
        yield object_id, embeddings.from_bytes(bytes(data))


def cosine_to(query: Vector, vectors: dict[int, Vector]) -> dict[int, float]:
    return {object_id: float(vector @ query) for object_id, vector in vectors.items()}


def version(kind: str) -> tuple[Any, ...]:
    """Changes whenever a vector of this kind is written or removed (for per-process caches)."""
    state = SemanticVector.objects.filter(kind=kind).aggregate(
        count=Count("id"), latest=Max("updated_at")
    )
    return (state["count"], state["latest"])


def forget(kind: str, object_id: int) -> None:
    """Drop a deleted object's vector."""
    if kind in KINDS:
        SemanticVector.objects.filter(kind=kind, object_id=object_id).delete()
