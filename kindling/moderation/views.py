"""Flagging, the moderation queue and review, suspensions, the audit log and blocks."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from kindling.accounts.queries import profiles_visible_to
from kindling.commons.kinds import ContentObject, get_visible_content
from kindling.commons.querysets import is_moderator
from kindling.moderation import actions, queries
from kindling.moderation.content import (
    LOCKABLE_KINDS,
    TITLED_KINDS,
    body_of,
    public_url_of,
)
from kindling.moderation.forms import (
    MAX_ID,
    AuditFilterForm,
    EditContentForm,
    FlagForm,
    ReasonForm,
    SuspendForm,
)

QUEUE_PER_PAGE = 20
AUDIT_PER_PAGE = 50
BLOCKS_PER_PAGE = 50

ViewFunction = Callable[..., HttpResponse]


def moderator_required(view: ViewFunction) -> ViewFunction:
    """Signed-in moderators only: others get 403, visitors the sign-in page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_moderator(request.user):
            raise PermissionDenied(_("Only moderators can see this page."))
        return view(request, *args, **kwargs)

    return login_required(wrapper)


def _safe_next(request: HttpRequest, fallback: str) -> str:
    """The ``next`` address if it stays on this site, else the fallback."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _error_text(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


# --- Flagging (any member) ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def flag(request: HttpRequest) -> HttpResponse:
    """Flag a post: the form posted from a post's page, or this page when it needs correcting."""
    data = request.POST if request.method == "POST" else request.GET
    form = FlagForm(data if request.method == "POST" else None, initial=data.dict())
    kind, object_id = data.get("kind", ""), data.get("object_id", "")
    if not object_id.isdigit() or not 0 < int(object_id) <= MAX_ID:
        raise Http404("No such content.")
    target = get_visible_content(request.user, kind, int(object_id))
    back = _safe_next(request, public_url_of(target) or reverse("home"))
    if request.method == "POST" and form.is_valid():
        try:
            actions.flag_content(
                request.user,  # type: ignore[arg-type]
                target.KIND,
                target.pk,
                reason=form.cleaned_data["reason"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            if _now_hidden(target):
                messages.success(
                    request,
                    _(
                        "Thank you. Enough members flagged it, so it is hidden until a "
                        "moderator reviews it."
                    ),
                )
                if urlsplit(back).path == urlsplit(public_url_of(target)).path:
                    back = reverse("home")  # its own page is gone for the reporter now
            else:
                messages.success(
                    request, _("Thank you. The moderators will look at what you flagged.")
                )
        return HttpResponseRedirect(back)
    return render(
        request,
        "moderation/flag.html",
        {"form": form, "target": target, "next": back},
    )


def _now_hidden(target: ContentObject) -> bool:
    model: Any = type(target)
    return bool(model.objects.filter(pk=target.pk, is_hidden=True).exists())


# --- The queue and review (moderators) ---------------------------------------------------------


@moderator_required
def queue(request: HttpRequest) -> HttpResponse:
    """Posts with open flags, most recently flagged first."""
    page = Paginator(queries.flagged_targets(), QUEUE_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "moderation/queue.html",
        {"page": page, "targets": queries.describe_flagged(page.object_list), "tab": "flagged"},
    )


@moderator_required
def hidden(request: HttpRequest) -> HttpResponse:
    """Every hidden post, newest first."""
    page = Paginator(queries.hidden_content(), QUEUE_PER_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    contents = queries.load_content((kind, pk) for kind, pk, _created in rows)
    items = [contents[(kind, pk)] for kind, pk, _created in rows if (kind, pk) in contents]
    return render(
        request, "moderation/hidden.html", {"page": page, "items": items, "tab": "hidden"}
    )


def _get_target(kind: str, object_id: int) -> ContentObject:
    if object_id > MAX_ID:
        raise Http404("No such content.")
    return queries.get_content_for_review(kind, object_id)


def _review_context(target: ContentObject, **forms: Any) -> dict[str, Any]:
    decisions = ["dismiss", "hide"] if not target.is_hidden else ["restore"]
    if target.KIND in LOCKABLE_KINDS:
        decisions.append("unlock" if target.is_locked else "lock")  # type: ignore[union-attr]
    return {
        "target": target,
        "public_url": public_url_of(target),
        "flags": list(queries.open_flags_on(target.KIND, target.pk)),
        "history": list(queries.audit_history(target.KIND, target.pk)[:20]),
        "decision_forms": [
            (name, forms.get(name) or _decision_form(name), DECISION_LABELS[name])
            for name in decisions
        ],
        "tab": "",
    }


DECISIONS: dict[str, Callable[..., Any]] = {
    "hide": actions.hide_content,
    "restore": actions.restore_content,
    "dismiss": actions.dismiss_flags,
    "lock": actions.lock_content,
    "unlock": actions.unlock_content,
}
DECISION_LABELS = {
    "hide": gettext_lazy("Hide"),
    "restore": gettext_lazy("Restore"),
    "dismiss": gettext_lazy("Dismiss the flags"),
    "lock": gettext_lazy("Lock"),
    "unlock": gettext_lazy("Unlock"),
}


@moderator_required
def review(request: HttpRequest, kind: str, object_id: int) -> HttpResponse:
    """One post with its open flags, its moderation history and the decisions to take."""
    target = _get_target(kind, object_id)
    return render(request, "moderation/review.html", _review_context(target))


@moderator_required
@require_POST
def decide(request: HttpRequest, kind: str, object_id: int, decision: str) -> HttpResponse:
    """Hide, restore, dismiss the flags on, lock or unlock a post, with a reason."""
    action = DECISIONS.get(decision)
    target = _get_target(kind, object_id)
    if action is None:
        raise Http404("Unknown decision.")
    form = _decision_form(decision, request.POST)
    if form.is_valid():
        try:
            action(target, moderator=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, DECISION_DONE[decision])
        return redirect("moderation:review", kind=target.KIND, object_id=target.pk)
    return render(request, "moderation/review.html", _review_context(target, **{decision: form}))


DECISION_REASON_LABELS = {
    "hide": gettext_lazy("Why hide it?"),
    "restore": gettext_lazy("Why restore it?"),
    "dismiss": gettext_lazy("Why dismiss the flags?"),
    "lock": gettext_lazy("Why lock it?"),
    "unlock": gettext_lazy("Why unlock it?"),
}


def _decision_form(decision: str, data: Any = None) -> ReasonForm:
    return ReasonForm(data, prefix=decision, reason_label=str(DECISION_REASON_LABELS[decision]))


DECISION_DONE = {
    "hide": gettext_lazy("The post is hidden and its flags are resolved."),
    "restore": gettext_lazy("The post is visible again and its flags are resolved."),
    "dismiss": gettext_lazy("The flags are dismissed; the post stays as it is."),
    "lock": gettext_lazy("The post is locked."),
    "unlock": gettext_lazy("The post is unlocked."),
}


@moderator_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, kind: str, object_id: int) -> HttpResponse:
    """A moderator's change to a post's title or text, with a reason."""
    target = _get_target(kind, object_id)
    initial = {"body": body_of(target)}
    if target.KIND in TITLED_KINDS:
        initial["title"] = target.title  # type: ignore[union-attr]
    if request.method == "POST":
        form = EditContentForm(request.POST, kind=target.KIND, initial=initial)
        if form.is_valid():
            try:
                actions.edit_content(
                    target,
                    moderator=request.user,  # type: ignore[arg-type]
                    reason=form.cleaned_data["reason"],
                    body=form.cleaned_data["body"],
                    title=form.cleaned_data.get("title"),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The post is changed, and the change is recorded."))
                return redirect("moderation:review", kind=target.KIND, object_id=target.pk)
    else:
        form = EditContentForm(initial=initial, kind=target.KIND)
    return render(
        request,
        "moderation/edit.html",
        {"form": form, "target": target, "tab": ""},
    )


# --- Members (moderators) ----------------------------------------------------------------------


def _get_member(user_id: int) -> Any:
    if user_id > MAX_ID:
        raise Http404("No such member.")
    try:
        return get_user_model().objects.select_related("profile").get(pk=user_id)
    except get_user_model().DoesNotExist:
        raise Http404("No such member.") from None


def _member_context(member: Any, **forms: Any) -> dict[str, Any]:
    suspension = queries.active_suspension(member)
    return {
        "member": member,
        "suspension": suspension,
        "suspensions": list(queries.suspensions_of(member.pk)[:20]),
        "history": list(queries.audit_history("user", member.pk)[:20]),
        "can_suspend": not (is_moderator(member) or member.is_staff),
        "suspend_form": forms.get("suspend") or SuspendForm(prefix="suspend"),
        "lift_form": forms.get("lift") or ReasonForm(prefix="lift", reason_label=_("Why lift it?")),
        "tab": "",
    }


@moderator_required
def member(request: HttpRequest, user_id: int) -> HttpResponse:
    """A member's suspensions and moderation history, with the forms to suspend or lift."""
    return render(request, "moderation/member.html", _member_context(_get_member(user_id)))


@moderator_required
@require_POST
def suspend(request: HttpRequest, user_id: int) -> HttpResponse:
    """Suspend a member, with a reason and an optional end."""
    target = _get_member(user_id)
    form = SuspendForm(request.POST, prefix="suspend")
    if form.is_valid():
        try:
            actions.suspend_member(
                target,
                moderator=request.user,  # type: ignore[arg-type]
                reason=form.cleaned_data["reason"],
                ends_at=form.ends_at,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The member is suspended."))
            return redirect("moderation:member", user_id=target.pk)
    return render(request, "moderation/member.html", _member_context(target, suspend=form))


@moderator_required
@require_POST
def lift(request: HttpRequest, user_id: int) -> HttpResponse:
    """Lift a member's suspension, with a reason."""
    target = _get_member(user_id)
    form = ReasonForm(request.POST, prefix="lift", reason_label=_("Why lift it?"))
    if form.is_valid():
        try:
            actions.lift_suspension(
                target,
                moderator=request.user,  # type: ignore[arg-type]
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("The suspension is lifted."))
        return redirect("moderation:member", user_id=target.pk)
    return render(request, "moderation/member.html", _member_context(target, lift=form))


@moderator_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """Every recorded moderation act, newest first, filtered by action."""
    form = AuditFilterForm(request.GET or None, actions=queries.audit_actions())
    action = form.cleaned_data["action"] if form.is_valid() else ""
    page = Paginator(queries.audit_entries(action), AUDIT_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "moderation/audit_log.html",
        {"form": form, "page": page, "action": action, "tab": "audit"},
    )


# --- Blocks (any member) -----------------------------------------------------------------------


def _get_blockable(request: HttpRequest, user_id: int) -> Any:
    if user_id > MAX_ID:
        raise Http404("No such member.")
    profile = profiles_visible_to(request.user).filter(user_id=user_id).first()
    if profile is None:
        raise Http404("No such member.")
    return profile


@login_required
@require_POST
def block(request: HttpRequest, user_id: int) -> HttpResponse:
    """Block a member from their profile page."""
    profile = _get_blockable(request, user_id)
    try:
        actions.block_member(request.user, profile.user)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            _("You have blocked %(name)s. You will not hear from them.")
            % {"name": profile.display_name},
        )
    return HttpResponseRedirect(_safe_next(request, profile.get_absolute_url()))


@login_required
@require_POST
def unblock(request: HttpRequest, user_id: int) -> HttpResponse:
    """Remove a block, from the member's profile or the blocked list."""
    if user_id > MAX_ID:
        raise Http404("No such member.")
    blocked = get_user_model().objects.select_related("profile").filter(pk=user_id).first()
    if blocked is None:
        raise Http404("No such member.")
    actions.unblock_member(request.user, blocked)  # type: ignore[arg-type]
    messages.success(request, _("You have unblocked %(name)s.") % {"name": blocked.get_full_name()})
    return HttpResponseRedirect(_safe_next(request, reverse("moderation:blocked")))


@login_required
def blocked(request: HttpRequest) -> HttpResponse:
    """The members you have blocked, each with a button to unblock."""
    page = Paginator(queries.blocks_made_by(request.user.pk or 0), BLOCKS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "moderation/blocked.html", {"page": page})
