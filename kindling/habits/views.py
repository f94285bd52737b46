"""Browse the Habits of Mind."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from kindling.habits.models import Habit


def habit_list(request: HttpRequest) -> HttpResponse:
    # list() runs the query here, so rendering does no database work.
    return render(request, "habits/habit_list.html", {"habits": list(Habit.objects.all())})


def habit_detail(request: HttpRequest, slug: str) -> HttpResponse:
    from kindling.commons.queries import need_list, resource_list

    habit = get_object_or_404(Habit, slug=slug)
    neighbours = list(Habit.objects.exclude(pk=habit.pk))
    # Members see what the commons holds on this habit; visitors see the habit alone.
    resources = list(resource_list(request.user).filter(tags__habit=habit)[:10])
    needs = list(need_list(request.user).filter(tags__habit=habit)[:10])
    return render(
        request,
        "habits/habit_detail.html",
        {"habit": habit, "others": neighbours, "resources": resources, "needs": needs},
    )
