"""The benchmark generator (bench/generate.py) still fills a database, consistently."""

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from bench.generate import DatabaseNotEmpty, Scale, counter_mismatches, generate
from kindling.accounts.models import Profile, User
from kindling.commons.models import Lineage, Need, Resource, Response, UsefulVote
from kindling.notifications.models import Follow

TINY = Scale(members=30, items=100, responses=200, votes=300, comments=60, seed=3)


@pytest.fixture
def generated(db):
    return generate(TINY, log=lambda line: None)


def test_generator_writes_the_requested_scale(generated):
    assert User.objects.count() == 30
    assert Profile.objects.count() == 30
    assert Resource.objects.count() == 50
    assert Need.objects.count() == 50
    assert Response.objects.count() == 200
    assert 0 < UsefulVote.objects.count() <= 300
    assert Lineage.objects.exists()
    assert Follow.objects.filter(kind__in=("tag", "user", "circle")).exists()


def test_every_denormalised_counter_matches_the_rows_it_counts(generated):
    mismatches = counter_mismatches()

    assert mismatches == dict.fromkeys(mismatches, 0)


def test_a_need_with_exactly_twenty_responses_exists_for_the_page_benchmark(generated):
    need = Need.objects.get(response_count=20)

    assert need.responses.count() == 20
    assert need.circle_id is None


def test_every_item_has_one_to_four_tags(generated):
    tag_counts = set(Resource.objects.annotate(n=Count("tags")).values_list("n", flat=True))
    tag_counts |= set(Need.objects.annotate(n=Count("tags")).values_list("n", flat=True))

    assert tag_counts <= {1, 2, 3, 4}


def test_generator_refuses_a_database_that_already_has_members(alice):
    with pytest.raises(DatabaseNotEmpty):
        generate(TINY, log=lambda line: None)

    assert User.objects.count() == 1


def test_command_refuses_a_database_that_already_has_members(alice, capsys):
    with pytest.raises(CommandError):
        call_command("bench_generate", "--members", "5", "--items", "10", "--responses", "5")

    assert "fills an empty database only" in capsys.readouterr().out


def test_the_command_builds_the_search_index_and_expertise_afterwards(db, capsys):
    from kindling.expertise.models import HelperProfile
    from kindling.search.models import SearchDocument

    call_command("bench_generate", "--members", "12", "--items", "20", "--responses", "30")

    # Every resource, need, response, circle and member has its document; writers have profiles.
    documents = SearchDocument.objects.count()
    items = Resource.objects.count() + Need.objects.count() + Response.objects.count()
    assert documents >= items + Profile.objects.count()
    assert HelperProfile.objects.exists()
    assert "Building the search index" in capsys.readouterr().out


def test_the_derived_data_can_be_left_out(db):
    from kindling.search.models import SearchDocument

    call_command(
        "bench_generate", "--members", "12", "--items", "20", "--responses", "30", "--skip-derived"
    )
    assert not SearchDocument.objects.exists()
