"""Browse the Habits of Mind."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from kindling.habits.models import Habit


def habit_list(request: HttpRequest) -> HttpResponse:
    # list() runs the query here, so rendering does no database work.
    return render(request, "habits/habit_list.html", {"habits": list(Habit.objects.all())})


def habit_detail(request: HttpRequest, slug: str) -> HttpResponse:
    habit = get_object_or_404(Habit, slug=slug)
    neighbours = list(Habit.objects.exclude(pk=habit.pk))
    return render(request, "habits/habit_detail.html", {"habit": habit, "others": neighbours})
