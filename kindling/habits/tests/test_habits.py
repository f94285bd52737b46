import pytest
from django.urls import reverse

from kindling.habits.models import Habit

pytestmark = pytest.mark.django_db


def test_the_sixteen_habits_are_loaded_in_order():
    habits = list(Habit.objects.all())
    assert len(habits) == 16
    assert habits[0].slug == "persisting"
    assert {"thinking-interdependently", "thinking-flexibly", "metacognition"} <= {
        h.slug for h in habits
    }
    assert all(h.description for h in habits)


def test_anyone_can_browse_the_habits(client):
    page = client.get(reverse("habits:list")).content.decode()
    assert "Thinking interdependently" in page
    detail = client.get(reverse("habits:detail", args=["metacognition"])).content.decode()
    assert "Noticing how you think and learn" in detail


def test_habit_pages_use_a_fixed_number_of_queries(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        client.get(reverse("habits:list"))
    with django_assert_num_queries(2):
        client.get(reverse("habits:detail", args=["persisting"]))


def test_unknown_habit_is_not_found(client):
    assert client.get(reverse("habits:detail", args=["procrastinating"])).status_code == 404


def test_habits_read_in_spanish(client):
    page = client.get(reverse("habits:list"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Pensar de manera interdependiente" in page
