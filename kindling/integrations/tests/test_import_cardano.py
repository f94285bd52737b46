"""The real cardano.stackexchange.com dump, imported once for the whole module."""

from __future__ import annotations

from datetime import UTC, datetime

import defusedxml.ElementTree as ET
import pytest
from django.contrib.auth import authenticate
from django.db import transaction
from django.db.models import Count, F, Q

from kindling.accounts.models import User
from kindling.commons.models import Comment, Need, Response, Tag, TagKind
from kindling.integrations.models import ImportedRecord
from kindling.integrations.stackexchange.importer import import_dump, imported_object_id
from kindling.integrations.tests.dumps import CARDANO

SITE = "cardano.stackexchange.com"

pytestmark = pytest.mark.skipif(not CARDANO.is_dir(), reason=f"{CARDANO} is not here")


@pytest.fixture(scope="module")
def cardano(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    # One import for every test here, rolled back when the module is done.
    with django_db_blocker.unblock(), transaction.atomic():
        report = import_dump(CARDANO)
        yield report
        transaction.set_rollback(True)


def posts_xml() -> list[dict[str, str]]:
    return [row.attrib for row in ET.parse(CARDANO / "Posts.xml").getroot()]


def test_every_question_becomes_a_need_and_every_answer_a_response(cardano, db):
    assert cardano.site == SITE
    assert Need.objects.count() == cardano.created["needs"] == 1042
    assert Response.objects.count() == cardano.created["responses"] == 1496
    assert cardano.skipped == []


def test_accepted_answers_are_the_helped_responses(cardano, db):
    assert Response.objects.filter(helped=True).count() == 459
    helped = Response.objects.filter(helped=True).first()
    assert helped is not None
    assert helped.marked_helpful_at == helped.created_at


def test_the_dump_tags_become_free_tags_on_the_needs(cardano, db):
    assert Tag.objects.filter(kind=TagKind.FREE).count() == cardano.created["tags"] == 224
    need = Need.objects.get(pk=imported_object_id(SITE, "need", 1))
    assert sorted(need.tags.values_list("slug", flat=True)) == [
        "ethereum",
        "governance",
        "proof-of-work",
    ]


def test_imported_posts_carry_their_attribution_and_licence(cardano, db):
    need = Need.objects.get(pk=imported_object_id(SITE, "need", 1))
    assert need.title == "How Cardano is different from Ethereum (2.0)?"
    assert need.attribution == (
        "From cardano.stackexchange.com, by FelikZ, licensed CC BY-SA 4.0 "
        "(https://cardano.stackexchange.com/q/1)"
    )
    answer = Response.objects.get(pk=imported_object_id(SITE, "response", 12))
    assert answer.attribution.startswith("From cardano.stackexchange.com, by ")
    assert answer.attribution.endswith("(https://cardano.stackexchange.com/a/12)")
    comment = Comment.objects.get(pk=imported_object_id(SITE, "comment", 8))
    assert comment.attribution.endswith("(https://cardano.stackexchange.com/posts/comments/8)")
    assert not Need.objects.filter(attribution="").exists()
    assert not Response.objects.filter(attribution="").exists()


def test_bodies_are_converted_to_markdown(cardano, db):
    need = Need.objects.get(pk=imported_object_id(SITE, "need", 1))
    assert need.details.startswith("As far as I know, the Cardano project")
    assert "<p>" not in need.details
    assert Need.objects.filter(details__contains="```").exists()


def test_scores_become_useful_counts_never_below_zero(cardano, db):
    need = Need.objects.get(pk=imported_object_id(SITE, "need", 1))
    assert need.useful_count == 36
    negative = [p["Id"] for p in posts_xml() if p["PostTypeId"] == "2" and int(p["Score"]) < 0]
    assert negative
    assert (
        Response.objects.get(pk=imported_object_id(SITE, "response", int(negative[0]))).useful_count
        == 0
    )


def test_need_counters_match_their_rows(cardano, db):
    needs = Need.objects.annotate(
        n_responses=Count("responses", distinct=True),
        n_helped=Count("responses", filter=Q(responses__helped=True), distinct=True),
        n_comments=Count("comments", distinct=True),
    )
    mismatched = needs.filter(
        ~Q(response_count=F("n_responses"))
        | ~Q(helped_count=F("n_helped"))
        | ~Q(comment_count=F("n_comments"))
    )
    assert not mismatched.exists()
    assert Comment.objects.count() == cardano.created["comments"] > 0


def test_imported_members_cannot_sign_in(cardano, db):
    user = User.objects.get(pk=imported_object_id(SITE, "user", 17))
    assert user.profile.display_name == "FelikZ"
    assert user.profile.role == "other"
    assert user.email == "se-17@cardano.stackexchange.com.imported.invalid"
    assert not user.has_usable_password()
    assert user.code_of_conduct_accepted_at is None
    assert authenticate(email=user.email, password="") is None
    assert authenticate(email=user.email, password=user.password) is None


def test_bios_are_plain_text_within_the_field(cardano, db):
    user = User.objects.get(pk=imported_object_id(SITE, "user", 1))
    assert user.profile.bio.startswith("Developer at Stack Overflow")
    assert "<p>" not in user.profile.bio
    assert max(len(u.profile.bio) for u in User.objects.select_related("profile")) <= 2000


def test_posts_without_an_owner_belong_to_a_deleted_user(cardano, db):
    need = Need.objects.get(pk=imported_object_id(SITE, "need", 2568))
    assert need.author.profile.display_name == "Deleted user"
    assert "by user2878" in need.attribution
    assert ("Posts.xml", "2568") in [(w.file, w.row_id) for w in cardano.warnings]


def test_importing_again_creates_nothing_new(cardano, db):
    counts = (
        User.objects.count(),
        Need.objects.count(),
        Response.objects.count(),
        Comment.objects.count(),
        ImportedRecord.objects.count(),
    )
    again = import_dump(CARDANO)
    assert sum(again.created.values()) == 0
    assert sum(again.updated.values()) == 0
    assert (
        User.objects.count(),
        Need.objects.count(),
        Response.objects.count(),
        Comment.objects.count(),
        ImportedRecord.objects.count(),
    ) == counts


def test_history_until_a_date_has_only_what_was_there_then(cardano, db):
    until = datetime(2021, 6, 1, tzinfo=UTC)
    posts = posts_xml()
    questions = {
        p["Id"] for p in posts if p["PostTypeId"] == "1" and p["CreationDate"] < "2021-06-01"
    }
    answers = [
        p
        for p in posts
        if p["PostTypeId"] == "2"
        and p["ParentId"] in questions
        and p["CreationDate"] < "2021-06-01"
    ]

    report = import_dump(CARDANO, until=until, site="history.example")

    def imported(kind):  # type: ignore[no-untyped-def]
        return ImportedRecord.objects.filter(site="history.example", kind=kind).values("object_id")

    needs = Need.objects.filter(pk__in=imported("need"))
    responses = Response.objects.filter(pk__in=imported("response"))
    comments = Comment.objects.filter(pk__in=imported("comment"))
    assert needs.count() == report.created["needs"] == len(questions) == 280
    assert responses.count() == len(answers) == 450
    assert comments.exists()
    assert not needs.filter(created_at__gte=until).exists()
    assert not responses.filter(created_at__gte=until).exists()
    assert not comments.filter(created_at__gte=until).exists()
    # Today's scores are not history: useful counts come from the votes cast before then.
    assert report.scores_from_votes == 280 + 450
    assert 0 < responses.filter(helped=True).count() <= 459
    assert needs.get(title="How Cardano is different from Ethereum (2.0)?").attribution.startswith(
        "From history.example, by FelikZ"
    )
