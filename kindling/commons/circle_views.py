"""Pages for circles: the list, a circle's page and members, creating and editing, invitations."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kindling.commons import circle_actions, circle_queries
from kindling.commons.circle_forms import CircleForm, InviteForm, JoinRequestForm
from kindling.commons.models import Circle, CircleMembership
from kindling.commons.querysets import is_moderator

CIRCLES_PER_PAGE = 20
MEMBERS_PER_PAGE = 50
MEMBERS_PREVIEW = 12
INVITATIONS_PER_PAGE = 20
DECISIONS = {"accept": True, "decline": False}


def _refusal_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(str(message) for message in error.messages)
    return str(error) or _("That is not allowed.")


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    """Back to the page named in ``next`` when it is on this site, else to ``fallback``."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


def _owner_circle(request: HttpRequest, slug: str) -> tuple[Circle, CircleMembership]:
    """The circle and the viewer's owner membership; 403 for anyone who is not an owner."""
    circle = circle_queries.get_circle_for_viewer(request.user, slug)
    membership = circle_queries.membership_of(request.user, circle)
    if membership is None or not circle_queries.is_owner(membership):
        raise PermissionDenied(_("Only the circle's owners can do that."))
    return circle, membership


# --- The list -----------------------------------------------------------------------------------


@login_required
@require_safe
def circle_list(request: HttpRequest) -> HttpResponse:
    mine = request.GET.get("show") == "mine"
    circles = circle_queries.circles_for_list(request.user, mine=mine)
    page = Paginator(circles, CIRCLES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "commons/circles/list.html",
        {
            "page": page,
            "mine": mine,
            "sees_all_counts": is_moderator(request.user),
            "invitation_count": circle_queries.pending_invitations_for(request.user).count(),
        },
    )


# --- Creating and editing -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def circle_create(request: HttpRequest) -> HttpResponse:
    form = CircleForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            circle = circle_actions.create_circle(
                request.user,  # type: ignore[arg-type]
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                visibility=form.cleaned_data["visibility"],
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, _refusal_text(error))
        else:
            messages.success(request, _("Your circle is ready. Invite people to it below."))
            return redirect(circle)
    return render(request, "commons/circles/form.html", {"form": form, "circle": None})


@login_required
@require_http_methods(["GET", "POST"])
def circle_edit(request: HttpRequest, slug: str) -> HttpResponse:
    circle, _membership = _owner_circle(request, slug)
    # The form works on its own copy, so the page heading keeps the saved name on errors.
    form = CircleForm(
        request.POST if request.method == "POST" else None,
        instance=Circle.objects.get(pk=circle.pk),
    )
    if request.method == "POST" and form.is_valid():
        try:
            circle = circle_actions.update_circle(
                circle,
                acting_user=request.user,  # type: ignore[arg-type]
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                visibility=form.cleaned_data["visibility"],
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, _refusal_text(error))
        else:
            messages.success(request, _("The circle is saved."))
            return redirect(circle)
    return render(request, "commons/circles/form.html", {"form": form, "circle": circle})


# --- A circle's page ----------------------------------------------------------------------------


def _render_circle(
    request: HttpRequest,
    circle: Circle,
    *,
    invite_form: InviteForm | None = None,
    request_form: JoinRequestForm | None = None,
) -> HttpResponse:
    viewer = request.user
    membership = circle_queries.membership_of(viewer, circle)
    owner = circle_queries.is_owner(membership)
    inside = circle_queries.can_see_inside(viewer, circle, membership)
    context: dict[str, Any] = {
        "circle": circle,
        "membership": membership,
        "is_owner": owner,
        "can_see_inside": inside,
        # list() runs each query here, so the template does no database work of its own.
        "owners": list(circle_queries.owners_of(circle)),
    }
    if inside:
        context["members"] = list(circle_queries.memberships_with_people(circle)[:MEMBERS_PREVIEW])
        context["resources"] = circle_queries.circle_resources(viewer, circle)
        context["needs"] = circle_queries.circle_needs(viewer, circle)
    if owner:
        context["pending_requests"] = list(circle_queries.pending_join_requests(circle))
        context["invitations_sent"] = list(circle_queries.pending_invitations_sent(circle))
        context["invite_form"] = invite_form or InviteForm()
    if membership is None:
        context["my_invitation"] = circle_queries.pending_invitation_of(viewer, circle)
        if not circle.is_open:
            context["my_request"] = circle_queries.pending_request_of(viewer, circle)
            context["request_form"] = request_form or JoinRequestForm()
    return render(request, "commons/circles/detail.html", context)


@login_required
@require_safe
def circle_detail(request: HttpRequest, slug: str) -> HttpResponse:
    circle = circle_queries.get_circle_for_viewer(request.user, slug)
    return _render_circle(request, circle)


@login_required
@require_safe
def circle_members(request: HttpRequest, slug: str) -> HttpResponse:
    circle = circle_queries.get_circle_for_viewer(request.user, slug)
    membership = circle_queries.membership_of(request.user, circle)
    if not circle_queries.can_see_inside(request.user, circle, membership):
        raise PermissionDenied(_("Only members of this circle can see who is in it."))
    page = Paginator(circle_queries.memberships_with_people(circle), MEMBERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "commons/circles/members.html",
        {
            "circle": circle,
            "page": page,
            "is_owner": circle_queries.is_owner(membership),
        },
    )


# --- Joining, leaving, asking -------------------------------------------------------------------


@login_required
@require_POST
def circle_join(request: HttpRequest, slug: str) -> HttpResponse:
    circle = circle_queries.get_circle_for_viewer(request.user, slug)
    try:
        circle_actions.join_circle(circle, user=request.user)  # type: ignore[arg-type]
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _refusal_text(error))
    else:
        messages.success(request, _("Welcome to %(circle)s.") % {"circle": circle.name})
    return redirect(circle)


@login_required
@require_POST
def circle_leave(request: HttpRequest, slug: str) -> HttpResponse:
    circle = circle_queries.get_circle_for_viewer(request.user, slug)
    try:
        circle_actions.leave_circle(circle, user=request.user)  # type: ignore[arg-type]
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _refusal_text(error))
    else:
        messages.success(request, _("You have left %(circle)s.") % {"circle": circle.name})
    return redirect(circle)


@login_required
@require_POST
def circle_request_to_join(request: HttpRequest, slug: str) -> HttpResponse:
    circle = circle_queries.get_circle_for_viewer(request.user, slug)
    form = JoinRequestForm(request.POST)
    if not form.is_valid():
        return _render_circle(request, circle, request_form=form)
    try:
        circle_actions.request_to_join(
            circle,
            user=request.user,  # type: ignore[arg-type]
            message=form.cleaned_data["message"],
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _refusal_text(error))
    else:
        messages.success(request, _("Your request is sent. The owners will decide."))
    return redirect(circle)


# --- Owners' tools ------------------------------------------------------------------------------


@login_required
@require_POST
def circle_invite(request: HttpRequest, slug: str) -> HttpResponse:
    circle, _membership = _owner_circle(request, slug)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            invitation = circle_actions.invite_to_circle(
                circle,
                invited_by=request.user,  # type: ignore[arg-type]
                invitee=form.invitee,
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error("who", _refusal_text(error))
        else:
            messages.success(
                request,
                _("%(name)s is invited.") % {"name": invitation.user.get_full_name()},
            )
            return redirect(circle)
    return _render_circle(request, circle, invite_form=form)


@login_required
@require_POST
def circle_decide_request(
    request: HttpRequest, slug: str, request_id: int, decision: str
) -> HttpResponse:
    if decision not in DECISIONS:
        raise Http404("No such decision.")
    circle, _membership = _owner_circle(request, slug)
    join_request = circle_queries.get_join_request_in_circle(circle, request_id)
    try:
        circle_actions.decide_join_request(
            join_request,
            decided_by=request.user,  # type: ignore[arg-type]
            accept=DECISIONS[decision],
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _refusal_text(error))
    else:
        name = join_request.user.get_full_name()
        if DECISIONS[decision]:
            messages.success(request, _("%(name)s is now in the circle.") % {"name": name})
        else:
            messages.success(request, _("You declined %(name)s's request.") % {"name": name})
    return redirect(circle)


@login_required
@require_POST
def circle_make_owner(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    circle, _membership = _owner_circle(request, slug)
    target = circle_queries.get_membership_in_circle(circle, user_id)
    try:
        circle_actions.make_owner(
            circle,
            target.user,
            acting_user=request.user,  # type: ignore[arg-type]
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _refusal_text(error))
    else:
        messages.success(
            request, _("%(name)s is now an owner.") % {"name": target.user.get_full_name()}
        )
    return _back(request, reverse("circles:members", args=[circle.slug]))


@login_required
@require_POST
def circle_remove_member(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    circle, _membership = _owner_circle(request, slug)
    target = circle_queries.get_membership_in_circle(circle, user_id)
    try:
        circle_actions.remove_member(
            circle,
            target.user,
            acting_user=request.user,  # type: ignore[arg-type]
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _refusal_text(error))
    else:
        messages.success(
            request,
            _("%(name)s is no longer in the circle.") % {"name": target.user.get_full_name()},
        )
    return _back(request, reverse("circles:members", args=[circle.slug]))


# --- Invitations a member has received ----------------------------------------------------------


@login_required
@require_safe
def my_invitations(request: HttpRequest) -> HttpResponse:
    invitations = circle_queries.pending_invitations_for(request.user)
    page = Paginator(invitations, INVITATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "commons/circles/invitations.html", {"page": page})


@login_required
@require_POST
def respond_to_invitation(request: HttpRequest, invitation_id: int, decision: str) -> HttpResponse:
    if decision not in DECISIONS:
        raise Http404("No such decision.")
    invitation = circle_queries.get_invitation_for_invitee(request.user, invitation_id)
    circle = invitation.circle
    try:
        if DECISIONS[decision]:
            circle_actions.accept_invitation(invitation, user=request.user)  # type: ignore[arg-type]
        else:
            circle_actions.decline_invitation(invitation, user=request.user)  # type: ignore[arg-type]
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _refusal_text(error))
        return _back(request, reverse("circles:invitations"))
    if DECISIONS[decision]:
        messages.success(request, _("Welcome to %(circle)s.") % {"circle": circle.name})
        return redirect(circle)
    messages.success(
        request, _("You declined the invitation to %(circle)s.") % {"circle": circle.name}
    )
    return _back(request, reverse("circles:invitations"))
