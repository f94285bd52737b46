"""Site-wide pages: home, code of conduct, health."""

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from kindling.accounts.actions import CODE_OF_CONDUCT_VERSION
from kindling.habits.models import Habit


def home(request: HttpRequest) -> HttpResponse:
    """The landing page for visitors; a member's home stream once signed in."""
    if request.user.is_authenticated:
        from kindling.commons.views import stream

        return stream(request)
    habits = list(Habit.objects.order_by("?")[:3])
    return render(request, "core/home.html", {"featured_habits": habits})


def code_of_conduct(request: HttpRequest) -> HttpResponse:
    return render(request, "core/code_of_conduct.html", {"version": CODE_OF_CONDUCT_VERSION})


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
