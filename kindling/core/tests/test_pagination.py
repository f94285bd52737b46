import pytest

from kindling.accounts.models import Profile
from kindling.accounts.tests.factories import UserFactory
from kindling.core.pagination import CappedPaginator

pytestmark = pytest.mark.django_db


def test_counts_stop_at_the_cap_but_the_next_page_is_always_reachable():
    UserFactory.create_batch(7)
    profiles = Profile.objects.order_by("pk")
    paginator = CappedPaginator.for_request(profiles, 2, "1")
    assert paginator.count == 7
    assert not paginator.is_capped
    small = CappedPaginator(profiles, 2, cap=3)
    assert small.count == 4
    assert small.is_capped
    deep = CappedPaginator.for_request(profiles, 2, "3")
    assert deep.get_page(3).has_next()


def test_bad_page_numbers_fall_back_to_the_first_page():
    assert CappedPaginator.for_request([1, 2, 3], 2, "abc").get_page("abc").number == 1


def test_a_faster_queryset_may_do_the_counting():
    UserFactory.create_batch(5)
    profiles = Profile.objects.order_by("pk")
    paginator = CappedPaginator.for_request(
        list(profiles), 2, "1", counted=profiles.filter(pk__gt=0)
    )
    assert paginator.count == 5
    assert CappedPaginator(list(profiles), 2, cap=3, counted=profiles).is_capped
