"""Member directory, profile pages, profile editing and name recordings."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kindling.accounts import actions
from kindling.accounts.forms import ProfileForm
from kindling.accounts.models import Role
from kindling.accounts.queries import get_profile_for_viewer, profiles_visible_to

MEMBERS_PER_PAGE = 24


@login_required
def member_list(request: HttpRequest) -> HttpResponse:
    profiles = profiles_visible_to(request.user).only(
        "id",
        "display_name",
        "pronouns",
        "role",
        "subjects",
        "grade_bands",
        "languages",
        "pronunciation",
        "pronunciation_audio",
        "user_id",
    )
    query = request.GET.get("q", "").strip()[:100]
    role = request.GET.get("role", "")
    if query:
        profiles = profiles.filter(Q(display_name__icontains=query) | Q(bio__icontains=query))
    if role in Role.values:
        profiles = profiles.filter(role=role)
    page = Paginator(profiles.order_by("display_name", "id"), MEMBERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "accounts/member_list.html",
        {
            "page": page,
            "query": query,
            "role": role if role in Role.values else "",
            "roles": Role.choices,
        },
    )


@login_required
def profile_detail(request: HttpRequest, profile_id: int) -> HttpResponse:
    from kindling.commons.queries import contributions_for
    from kindling.expertise.queries import expertise_for

    profile = get_profile_for_viewer(request.user, profile_id)
    return render(
        request,
        "accounts/profile_detail.html",
        {
            "profile": profile,
            "is_own": profile.user_id == request.user.pk,
            "contributions": contributions_for(profile.user, request.user),
            "expertise": expertise_for(profile.user),
        },
    )


@login_required
def my_profile(request: HttpRequest) -> HttpResponse:
    profile = actions.ensure_profile(request.user)  # type: ignore[arg-type]
    return redirect(profile)


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    profile = actions.ensure_profile(request.user)  # type: ignore[arg-type]
    previous_audio = profile.pronunciation_audio.name or ""
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES, instance=profile)
        if form.is_valid():
            actions.save_profile(form.save(commit=False), previous_audio_name=previous_audio)
            messages.success(request, _("Your profile is saved."))
            return redirect(profile)
        messages.error(request, _("Please correct the marked fields; nothing you typed is lost."))
    else:
        form = ProfileForm(instance=profile)
    return render(
        request,
        "accounts/profile_edit.html",
        {
            "form": form,
            "profile": profile,
            "max_seconds": settings.PRONUNCIATION_AUDIO_MAX_SECONDS,
        },
    )


@login_required
def pronunciation_audio(request: HttpRequest, profile_id: int) -> FileResponse:
    profile = get_profile_for_viewer(request.user, profile_id)
    if not profile.pronunciation_audio:
        raise Http404("No recording.")
    try:
        handle = profile.pronunciation_audio.open("rb")
    except FileNotFoundError:
        raise Http404("No recording.") from None
    response = FileResponse(
        handle, content_type=profile.pronunciation_audio_type or "application/octet-stream"
    )
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=300"
    return response
