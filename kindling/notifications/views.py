"""The notification list, e-mail settings, follow buttons and one-click unsubscribe."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kindling.accounts.models import User
from kindling.notifications import actions, queries
from kindling.notifications.forms import EmailSettingsForm, FollowForm
from kindling.notifications.models import EmailMode

NOTIFICATIONS_PER_PAGE = 30


def _safe_next(request: HttpRequest, url: str | None, fallback: str) -> str:
    """``url`` if it stays on this site, else ``fallback``."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return fallback


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(queries.notifications_for(request.user), NOTIFICATIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/notification_list.html", {"page": page})


@login_required
@require_POST
def mark_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    notification = queries.get_notification_for_recipient(request.user, notification_id)
    actions.mark_read(notification)
    return redirect(_safe_next(request, notification.target_url, reverse("notifications:list")))


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if actions.mark_all_read(user):
        messages.success(request, _("All your notifications are marked as read."))
    return redirect("notifications:list")


@login_required
@require_http_methods(["GET", "POST"])
def email_settings(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    row = actions.ensure_settings(user)
    if request.method == "POST":
        form = EmailSettingsForm(request.POST, instance=row)
        if form.is_valid():
            actions.set_email_mode(user, form.cleaned_data["email_mode"])
            messages.success(request, _("Your e-mail choice is saved."))
            return redirect("notifications:settings")
        messages.error(request, _("Please choose one of the options."))
    else:
        form = EmailSettingsForm(instance=row)
    return render(request, "notifications/email_settings.html", {"form": form})


def _follow_or_unfollow(request: HttpRequest, *, follow: bool) -> HttpResponse:
    form = FollowForm(request.POST)
    if not form.is_valid():
        raise Http404("Nothing to follow.")
    user: User = request.user  # type: ignore[assignment]
    kind, object_id = form.cleaned_data["kind"], form.cleaned_data["object_id"]
    if follow:
        actions.follow(user, kind, object_id)
    else:
        actions.unfollow(user, kind, object_id)
    next_url = _safe_next(request, form.cleaned_data["next"], reverse("home"))
    if request.headers.get("HX-Request"):
        return render(
            request,
            "notifications/partials/follow_button.html",
            {"kind": kind, "object_id": object_id, "following": follow, "next": next_url},
        )
    return redirect(next_url)


@login_required
@require_POST
def follow(request: HttpRequest) -> HttpResponse:
    return _follow_or_unfollow(request, follow=True)


@login_required
@require_POST
def unfollow(request: HttpRequest) -> HttpResponse:
    return _follow_or_unfollow(request, follow=False)


# The token in the link is the secret, and mail clients send the one-click POST without a
# session or CSRF cookie (RFC 8058), so this one view is exempt from CSRF checks.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    row = queries.settings_by_token(token)
    if row is None:
        return render(request, "notifications/unsubscribe_invalid.html", status=404)
    if request.method == "POST":
        actions.unsubscribe(row)
        return render(request, "notifications/unsubscribe_done.html")
    return render(
        request,
        "notifications/unsubscribe_confirm.html",
        {"token": token, "already_off": row.email_mode == EmailMode.OFF},
    )
