"""Semantic similarity: vectors kept in step in the background, fused with full text, never a
way around visibility, and everything still working on full text when the model is off."""

from __future__ import annotations

import socket
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kindling.accounts.tests.factories import UserFactory
from kindling.commons.tests.factories import (
    CircleFactory,
    CircleMembershipFactory,
    NeedFactory,
    ResourceFactory,
    ResponseFactory,
)
from kindling.search import embeddings, semantic
from kindling.search.models import SemanticVector
from kindling.search.queries import related_content

pytestmark = pytest.mark.django_db

needs_model = pytest.mark.skipif(
    not embeddings.packages_installed(), reason='the "semantic" extra is not installed'
)

QUERY = "How can my students give each other helpful comments on their essays?"


def stored(kind: str, object_id: int) -> SemanticVector | None:
    return SemanticVector.objects.filter(kind=kind, object_id=object_id).first()


@needs_model
def test_the_model_loads_and_encodes_without_the_network(monkeypatch):  # type: ignore[no-untyped-def]
    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("the semantic model tried to open a network connection")

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    encoder = embeddings._load()  # a fresh load, not the process's cached one
    assert encoder is not None
    vectors = encoder.encode([QUERY, "Peer review of writing drafts", "Bus timetable for Friday"])
    assert vectors.shape == (3, embeddings.DIMENSION)
    assert abs(float(vectors[0] @ vectors[0]) - 1.0) < 1e-4
    # Meaning, not shared words: peer review of drafts is closer than a timetable.
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2


def test_stored_vectors_round_trip_as_half_floats() -> None:
    import numpy as np

    vector = np.linspace(-1, 1, embeddings.DIMENSION, dtype=np.float32)
    vector /= np.linalg.norm(vector)
    data = embeddings.to_bytes(vector)
    assert len(data) == embeddings.DIMENSION * 2
    assert float(embeddings.from_bytes(data) @ vector) == pytest.approx(1.0, abs=1e-3)


@needs_model
def test_a_new_need_is_embedded_after_its_transaction_commits(semantic_on):  # type: ignore[no-untyped-def]
    need = semantic_on(NeedFactory, title="Peer feedback on essays", details="Students review.")
    vector = stored("need", need.pk)
    assert vector is not None
    assert vector.model == embeddings.MODEL_NAME
    assert len(bytes(vector.vector)) == embeddings.DIMENSION * 2


@needs_model
def test_a_response_changes_its_needs_vector_and_an_unchanged_text_is_not_recomputed(
    semantic_on,
):  # type: ignore[no-untyped-def]
    need = semantic_on(NeedFactory, title="Seating charts", details="How do you arrange desks?")
    before = stored("need", need.pk)
    assert before is not None
    semantic_on(ResponseFactory, need=need, body="Groups of four facing each other.")
    after = stored("need", need.pk)
    assert after is not None
    assert after.content_hash != before.content_hash
    # Nothing changed in the text: the task leaves the stored vector alone.
    assert semantic.embed_documents("need", [need.pk]) == 0
    assert stored("need", need.pk).updated_at == after.updated_at  # type: ignore[union-attr]


@needs_model
def test_deleting_a_resource_drops_its_vector(semantic_on):  # type: ignore[no-untyped-def]
    resource = semantic_on(ResourceFactory, title="Exit tickets", body="Three questions.")
    assert stored("resource", resource.pk) is not None
    resource.delete()
    assert stored("resource", resource.pk) is None


@needs_model
def test_related_content_ranks_by_meaning_among_full_text_matches(semantic_on, settings):  # type: ignore[no-untyped-def]
    viewer = UserFactory()
    # Full text prefers the climate need: it holds more of the query's words, more often.
    climate = semantic_on(
        NeedFactory,
        title="Essays on feedback loops in climate systems",
        details="Comments on essays about feedback: helpful essays, feedback, comments.",
    )
    peer = semantic_on(
        NeedFactory,
        title="Peer review in writing class",
        details="Pupils critique classmates' essays with a rubric before they revise.",
    )
    settings.SEMANTIC_SEARCH = False
    words_only = [hit.object_id for hit in related_content(viewer, QUERY, kinds=("need",))]
    assert words_only[0] == climate.pk
    settings.SEMANTIC_SEARCH = True
    with_meaning = [hit.object_id for hit in related_content(viewer, QUERY, kinds=("need",))]
    assert with_meaning[0] == peer.pk
    assert set(with_meaning) == set(words_only)


@needs_model
def test_the_semantic_path_never_shows_invite_only_or_hidden_posts(semantic_on):  # type: ignore[no-untyped-def]
    member, outsider = UserFactory(), UserFactory()
    circle = CircleFactory(visibility="invite")
    CircleMembershipFactory(circle=circle, user=member)
    secret = semantic_on(
        NeedFactory, title="Peer review of essays", details="Helpful comments.", circle=circle
    )
    hidden = semantic_on(NeedFactory, title="Students commenting on essays", details="Peers.")
    hidden.is_hidden = True
    semantic_on(hidden.save)
    assert stored("need", secret.pk) is not None
    assert stored("need", hidden.pk) is not None

    def seen(viewer):  # type: ignore[no-untyped-def]
        return {hit.object_id for hit in related_content(viewer, QUERY, kinds=("need",))}

    assert seen(outsider) == set()
    assert seen(member) == {secret.pk}
    assert seen(UserFactory(is_moderator=True)) == {secret.pk, hidden.pk}


def test_without_the_model_related_content_works_on_full_text_and_embeds_nothing(
    settings, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    settings.SEMANTIC_SEARCH = False
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        need = NeedFactory(title="Helpful comments on student essays", details="Peer review.")
    hits = related_content(UserFactory(), QUERY, kinds=("need",))
    assert [hit.object_id for hit in hits] == [need.pk]
    assert not SemanticVector.objects.exists()
    assert semantic.query_vector(QUERY) is None


def test_the_semantic_extra_missing_counts_as_off(settings, monkeypatch):  # type: ignore[no-untyped-def]
    settings.SEMANTIC_SEARCH = True
    monkeypatch.setattr(embeddings, "packages_installed", lambda: False)
    assert not semantic.enabled()
    assert semantic.encoder() is None
    assert embeddings._load() is None


@needs_model
def test_the_command_embeds_what_is_missing_and_removes_what_is_gone(settings):  # type: ignore[no-untyped-def]
    settings.SEMANTIC_SEARCH = False  # written without vectors, as before the extra was installed
    need = NeedFactory(title="Homework policy", details="How much is too much?")
    resource = ResourceFactory(title="Homework menu", body="Choices for practice.")
    SemanticVector.objects.create(kind="need", object_id=need.pk + 1000, model="x", vector=b"")
    settings.SEMANTIC_SEARCH = True
    out = StringIO()
    call_command("embed_search_documents", stdout=out)
    assert "Wrote 2 vectors" in out.getvalue()
    assert stored("need", need.pk) is not None
    assert stored("resource", resource.pk) is not None
    assert SemanticVector.objects.count() == 2
    out = StringIO()
    call_command("embed_search_documents", stdout=out)
    assert "Wrote 0 vectors" in out.getvalue()


def test_the_command_says_how_to_turn_semantic_search_on(settings):  # type: ignore[no-untyped-def]
    settings.SEMANTIC_SEARCH = False
    with pytest.raises(CommandError, match="SEMANTIC_SEARCH"):
        call_command("embed_search_documents", stdout=StringIO())


def test_a_text_encoded_in_the_background_is_encoded_once_and_a_failure_is_not_kept(
    monkeypatch,
):  # type: ignore[no-untyped-def]
    import threading

    import numpy as np

    release = threading.Event()
    calls: list[str] = []

    class SlowModel:
        def encode(self, texts, *, max_tokens):  # type: ignore[no-untyped-def]
            calls.append(texts[0])
            release.wait(5)
            if texts[0] == "broken text":
                raise RuntimeError("the model failed")
            return np.ones((1, 3), dtype=np.float32)

    monkeypatch.setattr(semantic, "encoder", lambda: SlowModel())
    semantic.forget_query_vectors()
    semantic.start_query_vector("  helpful   comments ")
    release.set()
    assert semantic.query_vector("helpful comments").tolist() == [1.0, 1.0, 1.0]
    assert semantic.query_vector("helpful comments") is not None
    assert calls == ["helpful comments"]
    with pytest.raises(RuntimeError):
        semantic.query_vector("broken text")
    with pytest.raises(RuntimeError):
        semantic.query_vector("broken text")
    assert calls == ["helpful comments", "broken text", "broken text"]  # tried again
    semantic.forget_query_vectors()
