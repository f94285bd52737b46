"""Who can help, with semantic similarity: members who answered needs like this one rise."""

from __future__ import annotations

import pytest

from kindling.accounts.tests.factories import UserFactory
from kindling.commons.tests.factories import (
    CircleFactory,
    NeedFactory,
    ResponseFactory,
)
from kindling.expertise.actions import recompute_all_expertise
from kindling.expertise.queries import who_can_help
from kindling.expertise.similar_needs import similar_needs_fit
from kindling.search import embeddings

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not embeddings.packages_installed(), reason='the "semantic" extra is not installed'
    ),
]

# No word of it is in either answered need below, so only meaning can tell them apart.
QUERY = "Pupils critique classmates' compositions"


@pytest.fixture
def answered(semantic_on):  # type: ignore[no-untyped-def]
    """``answered(author, title, body, **need_fields)``: a need the author answered, with its
    vector written."""

    def answer(author, title, body, **need_fields):  # type: ignore[no-untyped-def]
        need = semantic_on(NeedFactory, title=title, details="", **need_fields)
        semantic_on(ResponseFactory, need=need, author=author, body=body)

    return answer


def test_a_member_who_answered_a_need_like_this_one_ranks_first_and_is_told_why(
    answered, alice, settings
):  # type: ignore[no-untyped-def]
    cook = UserFactory()  # the lower id: ties go to the cook
    writer = UserFactory()
    answered(writer, "Peer review of student essays", "Use a short rubric for each draft.")
    # Answered last, so a little more recently active.
    answered(cook, "Healthy snacks for a field trip", "Apples and crackers travel well.")
    recompute_all_expertise()
    fit = similar_needs_fit(QUERY)
    assert fit is not None
    assert fit.get(writer.pk, 0) > fit.get(cook.pk, 0)
    suggestions = who_can_help(alice, QUERY, limit=2)
    assert suggestions[0].user_id == writer.pk
    assert "answered needs like this one" in suggestions[0].reasons
    settings.SEMANTIC_SEARCH = False  # words alone cannot tell them apart
    assert who_can_help(alice, QUERY, limit=2)[0].user_id == cook.pk


def test_answers_in_invite_only_circles_are_no_evidence(answered, alice):  # type: ignore[no-untyped-def]
    writer = UserFactory()
    answered(
        writer,
        "Peer review of student essays",
        "Use a short rubric for each draft.",
        circle=CircleFactory(visibility="invite"),
    )
    recompute_all_expertise()
    assert similar_needs_fit(QUERY) == {}


def test_with_semantic_search_off_there_is_no_similar_needs_signal(settings, alice):  # type: ignore[no-untyped-def]
    settings.SEMANTIC_SEARCH = False
    assert similar_needs_fit(QUERY) is None


def test_new_answers_count_once_the_process_checks_again(answered, monkeypatch):  # type: ignore[no-untyped-def]
    from kindling.expertise import similar_needs

    writer = UserFactory()
    assert similar_needs_fit(QUERY) == {}  # loaded (empty) and checked just now
    answered(writer, "Peer review of student essays", "Use a short rubric for each draft.")
    recompute_all_expertise()
    assert similar_needs_fit(QUERY) == {}  # not asked again within RECHECK_SECONDS
    monkeypatch.setattr(similar_needs._answered, "recheck_seconds", 0.0)
    assert similar_needs_fit(QUERY).get(writer.pk, 0) > 0
