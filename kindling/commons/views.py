"""Pages of the member space: resources, needs, tags, collections, the home stream."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kindling.commons import actions, cards, queries
from kindling.commons.diffs import diff_lines
from kindling.commons.forms import (
    CollectionForm,
    CommentForm,
    NeedForm,
    ResourceForm,
    ResponseForm,
)
from kindling.commons.kinds import get_visible_content
from kindling.commons.models import (
    Collection,
    Need,
    NeedStatus,
    Resource,
    ResourceAttachment,
    ResourceRevision,
    Response,
    Tag,
    TagKind,
)
from kindling.commons.querysets import is_moderator
from kindling.core.pagination import CappedPaginator
from kindling.core.submissions import submit_once

if TYPE_CHECKING:
    from kindling.accounts.models import User

PER_PAGE = 20


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


def _page(request: HttpRequest, queryset: Any) -> Any:
    """One page of a list: the page's ids are chosen first, then only those rows are loaded."""
    number = request.GET.get("page")
    ids = queries.ordered_ids(queryset)
    page = CappedPaginator.for_request(ids, PER_PAGE, number).get_page(number)
    page.object_list = queries.rows_for_ids(queryset, list(page.object_list))
    return page


def _card_page(request: HttpRequest, queryset: Any, counted: Any = None) -> Any:
    """One page of a list of resources or needs, as cards (most of them from the cache);
    ``counted``: the same rows as a queryset counted faster (see ``CappedPaginator``)."""
    number = request.GET.get("page")
    refs = cards.card_refs(queryset)
    page = CappedPaginator.for_request(refs, PER_PAGE, number, counted=counted).get_page(number)
    page.object_list = cards.cards_for(queryset, list(page.object_list))
    return page


def _refusal(request: HttpRequest, error: Exception) -> None:
    text = error.messages[0] if isinstance(error, ValidationError) else str(error)
    messages.error(request, text or _("That is not allowed."))


# --- Home stream ------------------------------------------------------------------------------


@login_required
def stream(request: HttpRequest) -> HttpResponse:
    return render(request, "commons/stream.html", {"stream": queries.home_stream(request.user)})  # type: ignore[arg-type]


# --- Resources --------------------------------------------------------------------------------


@login_required
def resource_list(request: HttpRequest) -> HttpResponse:
    order = request.GET.get("order", "new")
    resources = queries.resource_list(request.user)
    resources = resources.order_by(
        *(("-useful_count", "-created_at") if order == "useful" else ("-created_at", "-id"))
    )
    return render(
        request,
        "commons/resource_list.html",
        {"page": _card_page(request, resources), "order": "useful" if order == "useful" else "new"},
    )


def _resource_form_values(form: ResourceForm) -> dict[str, Any]:
    fixed, free = form.chosen_tags()
    data = form.cleaned_data
    return {
        "title": data["title"],
        "body": data["body"],
        "links": data["links"],
        "fixed_tags": fixed,
        "free_tags": free,
        "built_on": data["built_on"],
        "co_authors": data["co_authors"],
        "attachment": data.get("attachment"),
        "attachment_facts": getattr(form, "attachment_facts", None),
    }


@login_required
@require_http_methods(["GET", "POST"])
def resource_create(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ResourceForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            try:
                url, is_new = submit_once(
                    request.user,
                    form.cleaned_data.get("submission"),
                    lambda: actions.create_resource(
                        request.user,  # type: ignore[arg-type]
                        circle=form.cleaned_data.get("circle"),
                        **_resource_form_values(form),
                    ),
                )
            except (PermissionDenied, ValidationError) as error:
                _refusal(request, error)
            else:
                if is_new:
                    messages.success(request, _("Your resource is published."))
                else:
                    messages.info(request, _("That was already published; here it is."))
                return redirect(url)
    else:
        initial: dict[str, Any] = {}
        builds_on = request.GET.get("builds_on", "")
        if builds_on.isdigit():
            initial["built_on"] = [builds_on]
        form = ResourceForm(initial=initial, user=request.user)
    return render(request, "commons/resource_form.html", {"form": form, "resource": None})


@login_required
def resource_detail(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource, extras = queries.resource_page(request.user, resource_id)
    builds_on, built_upon_by, drawing = queries.lineage_for(resource, request.user)
    comments = queries.comments_for(request.user, resource=resource)
    collections = list(Collection.objects.filter(owner_id=request.user.pk))
    return render(
        request,
        "commons/resource_detail.html",
        {
            "resource": resource,
            "extras": extras,
            "builds_on": builds_on,
            "built_upon_by": built_upon_by,
            "drawing": drawing,
            "comments": comments,
            "comment_form": CommentForm(),
            "voted": ("resource", resource.pk)
            in queries.voted_pairs(request.user, {"resource": [resource.pk]}),
            "can_edit": actions.can_edit_resource(
                request.user,  # type: ignore[arg-type]
                resource,
                co_authors=extras.co_authors,
            ),
            "collections": collections,
            "is_moderator": is_moderator(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def resource_edit(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = queries.get_resource_for_viewer(request.user, resource_id)
    if not actions.can_edit_resource(request.user, resource):  # type: ignore[arg-type]
        raise PermissionDenied(_("You cannot edit this resource."))
    conflict = None
    if request.method == "POST":
        form = ResourceForm(request.POST, request.FILES, user=request.user, instance=resource)
        if form.is_valid():
            try:
                actions.update_resource(
                    resource,
                    editor=request.user,  # type: ignore[arg-type]
                    expected_version=form.cleaned_data.get("version"),
                    note=form.cleaned_data.get("note", ""),
                    **_resource_form_values(form),
                )
            except actions.EditConflict as clash:
                conflict = {
                    "current": clash.current,
                    "diff": diff_lines(clash.current.body, form.cleaned_data["body"]),
                }
                # Their text stays in the form; saving again now knowingly replaces the other.
                data = request.POST.copy()
                data["version"] = str(clash.current.version)
                form = ResourceForm(data, user=request.user, instance=resource)
                form.is_valid()
                messages.error(
                    request,
                    _(
                        "Someone else saved this resource while you were editing. Your text is "
                        "below with the differences; save again to keep your version."
                    ),
                )
            except (PermissionDenied, ValidationError) as error:
                _refusal(request, error)
            else:
                messages.success(request, _("Your changes are saved."))
                return redirect(resource)
    else:
        form = ResourceForm(
            initial={
                "title": resource.title,
                "body": resource.body,
                "links": "\n".join(
                    f"{link.url} {link.label}".strip() for link in resource.links.all()
                ),
                "built_on": [str(pk) for pk in resource.built_on.values_list("pk", flat=True)],
                "co_authors": [u.email for u in resource.co_authors.all()],
                "version": resource.version,
            },
            user=request.user,
            instance=resource,
        )
        form.initial_from_tags(list(resource.tags.all()))
    return render(
        request,
        "commons/resource_form.html",
        {"form": form, "resource": resource, "conflict": conflict},
    )


@login_required
def resource_history(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = queries.get_resource_for_viewer(request.user, resource_id)
    revisions = list(
        ResourceRevision.objects.filter(resource=resource)
        .select_related("edited_by__profile")
        .order_by("-number")
    )
    numbers = [r.number for r in revisions]
    try:
        newer = int(request.GET.get("to", numbers[0] if numbers else 0))
        older = int(request.GET.get("from", numbers[1] if len(numbers) > 1 else newer))
    except ValueError:
        newer, older = (numbers[0], numbers[-1]) if numbers else (0, 0)
    by_number = {r.number: r for r in revisions}
    diff = None
    if older in by_number and newer in by_number:
        a, b = by_number[older], by_number[newer]
        diff = diff_lines(f"# {a.title}\n\n{a.body}", f"# {b.title}\n\n{b.body}")
    return render(
        request,
        "commons/resource_history.html",
        {
            "resource": resource,
            "revisions": revisions,
            "older": older,
            "newer": newer,
            "diff": diff,
        },
    )


@login_required
def attachment_download(request: HttpRequest, resource_id: int, attachment_id: int) -> FileResponse:
    resource = queries.get_resource_for_viewer(request.user, resource_id)
    attachment = get_object_or_404(ResourceAttachment, pk=attachment_id, resource=resource)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("File missing.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_POST
def attachment_delete(request: HttpRequest, resource_id: int, attachment_id: int) -> HttpResponse:
    resource = queries.get_resource_for_viewer(request.user, resource_id)
    attachment = get_object_or_404(ResourceAttachment, pk=attachment_id, resource=resource)
    actions.delete_attachment(attachment, by=request.user)  # type: ignore[arg-type]
    messages.success(request, _("The file is removed."))
    return redirect(resource)


# --- Needs ------------------------------------------------------------------------------------

NEED_FILTERS: dict[str, dict[str, Any]] = {
    "open": {"status": NeedStatus.OPEN},
    "unanswered": {"status": NeedStatus.OPEN, "response_count": 0},
    "helped": {"helped_count__gt": 0},
    "closed": {"status": NeedStatus.CLOSED},
}


@login_required
def need_list(request: HttpRequest) -> HttpResponse:
    show = request.GET.get("show", "open")
    needs = queries.need_list(request.user)
    filters: dict[str, Any] | None = NEED_FILTERS.get(show)
    if filters is not None:
        needs = needs.filter(**filters)
    else:
        show = "all"
    return render(
        request,
        "commons/need_list.html",
        {"page": _card_page(request, needs.order_by("-created_at", "-id")), "show": show},
    )


def _need_form_values(form: NeedForm) -> dict[str, Any]:
    fixed, free = form.chosen_tags()
    return {
        "title": form.cleaned_data["title"],
        "details": form.cleaned_data["details"],
        "fixed_tags": fixed,
        "free_tags": free,
    }


@login_required
@require_http_methods(["GET", "POST"])
def need_create(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = NeedForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                url, is_new = submit_once(
                    request.user,
                    form.cleaned_data.get("submission"),
                    lambda: actions.create_need(
                        request.user,  # type: ignore[arg-type]
                        circle=form.cleaned_data.get("circle"),
                        **_need_form_values(form),
                    ),
                )
            except (PermissionDenied, ValidationError) as error:
                _refusal(request, error)
            else:
                if is_new:
                    messages.success(
                        request, _("Your need is posted. Members who can help will see it.")
                    )
                else:
                    messages.info(request, _("That was already posted; here it is."))
                return redirect(url)
    else:
        form = NeedForm(user=request.user)
    return render(request, "commons/need_form.html", {"form": form, "need": None})


@login_required
@require_http_methods(["GET", "POST"])
def need_edit(request: HttpRequest, need_id: int) -> HttpResponse:
    need = queries.get_need_for_viewer(request.user, need_id)
    if need.author_id != request.user.pk and not is_moderator(request.user):
        raise PermissionDenied(_("You cannot edit this need."))
    if request.method == "POST":
        form = NeedForm(request.POST, user=request.user, instance=need)
        if form.is_valid():
            try:
                actions.update_need(need, editor=request.user, **_need_form_values(form))  # type: ignore[arg-type]
            except (PermissionDenied, ValidationError) as error:
                _refusal(request, error)
            else:
                messages.success(request, _("Your changes are saved."))
                return redirect(need)
    else:
        form = NeedForm(
            initial={"title": need.title, "details": need.details}, user=request.user, instance=need
        )
        form.initial_from_tags(list(need.tags.all()))
    return render(request, "commons/need_form.html", {"form": form, "need": need})


def _thread(request: HttpRequest, need: Need) -> tuple[list[Any], dict[int, Any]]:
    """A need's responses the viewer may see, and the cached part of each by id."""
    responses = queries.responses_for(need, request.user)
    html = cards.response_html(responses)
    # A response deleted since it was listed has no part: it is left out.
    return [response for response in responses if response.pk in html], html


@login_required
def need_detail(request: HttpRequest, need_id: int) -> HttpResponse:
    need, tags = queries.need_page(request.user, need_id)
    responses, response_html = _thread(request, need)
    from kindling.commons.suggestions import NeedSuggestions, suggestions_for
    from kindling.notifications.queries import is_following

    is_asker = need.author_id == request.user.pk
    voted = queries.voted_pairs(
        request.user, {"need": [need.pk], "response": [r.pk for r in responses]}
    )
    suggestions = NeedSuggestions()
    if is_asker and need.is_open:
        suggestions = suggestions_for(
            request.user,  # type: ignore[arg-type]
            f"{need.title} {need.details}",
            [t.slug for t in tags],
            exclude_need_id=need.pk,
        )
    return render(
        request,
        "commons/need_detail.html",
        {
            "need": need,
            "tags": tags,
            "responses": responses,
            "comments": queries.comments_for(request.user, need=need),
            "response_form": ResponseForm(user=request.user),
            "comment_form": CommentForm(),
            "response_html": response_html,
            "voted_need": ("need", need.pk) in voted,
            "voted_responses": {pk for kind, pk in voted if kind == "response"},
            "is_asker": is_asker,
            "is_following": is_following(request.user, "need", need.pk),
            "suggestions": suggestions,
            "invited_ids": set(need.invitations.values_list("invited_id", flat=True))
            if is_asker
            else set(),
            "is_moderator": is_moderator(request.user),
        },
    )


@login_required
@require_POST
def need_respond(request: HttpRequest, need_id: int) -> HttpResponse:
    need = queries.get_need_for_viewer(request.user, need_id)
    form = ResponseForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            url, is_new = submit_once(
                request.user,
                form.cleaned_data.get("submission"),
                lambda: actions.respond_to_need(
                    need,
                    author=request.user,  # type: ignore[arg-type]
                    body=form.cleaned_data["body"],
                    resource=form.cleaned_data["resource"],
                ),
            )
        except (PermissionDenied, ValidationError) as error:
            _refusal(request, error)
        else:
            if is_new:
                messages.success(request, _("Your response is posted."))
            else:
                messages.info(request, _("That was already posted; here it is."))
            return redirect(url)
    # Show the need again with the typed response and its errors.
    responses, response_html = _thread(request, need)
    return render(
        request,
        "commons/need_detail.html",
        {
            "need": need,
            "tags": queries.need_tags(need),
            "responses": responses,
            "comments": queries.comments_for(request.user, need=need),
            "response_form": form,
            "comment_form": CommentForm(),
            "response_html": response_html,
            "voted_need": False,
            "voted_responses": set(),
            "is_asker": need.author_id == request.user.pk,
            "is_moderator": is_moderator(request.user),
        },
    )


@login_required
def need_suggest(request: HttpRequest) -> HttpResponse:
    """While a member types a need (htmx): related posts and members who can help."""
    from kindling.commons.suggestions import suggestions_for

    text = f"{request.GET.get('title', '')} {request.GET.get('details', '')}"
    tags = [
        value
        for name in ("subjects", "grade_bands", "habits")
        for value in request.GET.getlist(name)
        if isinstance(value, str) and len(value) <= 60
    ][:20]
    suggestions = suggestions_for(request.user, text, tags)  # type: ignore[arg-type]
    return render(request, "commons/partials/need_suggestions.html", {"suggestions": suggestions})


@login_required
@require_POST
def need_invite(request: HttpRequest, need_id: int) -> HttpResponse:
    """The asker invites a suggested member to help."""
    from kindling.accounts.models import User

    need = queries.get_need_for_viewer(request.user, need_id)
    member_id = request.POST.get("member", "")
    invited = User.objects.filter(pk=int(member_id)).first() if member_id.isdigit() else None
    if invited is None:
        messages.error(request, _("Choose a member to invite."))
        return redirect(need)
    try:
        actions.invite_to_need(need, invited, by=request.user)  # type: ignore[arg-type]
    except (PermissionDenied, ValidationError) as error:
        _refusal(request, error)
    else:
        messages.success(
            request,
            _("%(name)s is invited to help.")
            % {"name": getattr(getattr(invited, "profile", None), "display_name", invited.email)},
        )
    return redirect(need)


@login_required
@require_POST
def need_status(request: HttpRequest, need_id: int) -> HttpResponse:
    need = queries.get_need_for_viewer(request.user, need_id)
    status = request.POST.get("status")
    if status not in NeedStatus.values:
        messages.error(request, _("Unknown status."))
        return redirect(need)
    actions.set_need_status(need, by=request.user, status=status)  # type: ignore[arg-type]
    messages.success(
        request,
        _("The need is closed.") if status == NeedStatus.CLOSED else _("The need is open again."),
    )
    return redirect(need)


@login_required
@require_POST
def response_helpful(request: HttpRequest, response_id: int) -> HttpResponse:
    response = get_visible_content(request.user, "response", response_id)
    assert isinstance(response, Response)
    helped = request.POST.get("helped", "1") == "1"
    actions.set_helpful(response, by=request.user, helped=helped)  # type: ignore[arg-type]
    return redirect(response)


# --- Comments and votes -----------------------------------------------------------------------


@login_required
@require_POST
def comment_add(request: HttpRequest, kind: str, object_id: int) -> HttpResponse:
    if kind not in ("resource", "need"):
        raise Http404("Comments are on resources and needs.")
    parent = get_visible_content(request.user, kind, object_id)
    assert isinstance(parent, Resource | Need)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, str(form.errors["body"][0]))
        return redirect(parent)
    try:
        url, _is_new = submit_once(
            request.user,
            form.cleaned_data.get("submission"),
            lambda: actions.add_comment(
                parent, author=cast("User", request.user), body=form.cleaned_data["body"]
            ),
        )
    except (PermissionDenied, ValidationError) as error:
        _refusal(request, error)
        return redirect(parent)
    return redirect(url)


@login_required
@require_POST
def vote(request: HttpRequest, kind: str, object_id: int) -> HttpResponse:
    target = get_visible_content(request.user, kind, object_id)
    try:
        marked = actions.toggle_useful(request.user, kind, target)  # type: ignore[arg-type]
    except (PermissionDenied, ValidationError) as error:
        _refusal(request, error)
        return _back(request, target.get_absolute_url())
    if request.headers.get("HX-Request"):
        target.refresh_from_db(fields=["useful_count"])
        return render(
            request,
            "commons/partials/useful_button.html",
            {"kind": kind, "object": target, "voted": marked},
        )
    return _back(request, target.get_absolute_url())


# --- Tags -------------------------------------------------------------------------------------


@login_required
def tag_detail(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    if kind not in TagKind.values:
        raise Http404("Unknown kind of tag.")
    tag = get_object_or_404(Tag.objects.select_related("habit"), kind=kind, slug=slug)
    show = "needs" if request.GET.get("show") == "needs" else "resources"
    model: type[Resource] | type[Need] = Need if show == "needs" else Resource
    listing = queries.need_list if show == "needs" else queries.resource_list
    items = listing(request.user).filter(queries.tagged_with(model, [tag.pk]))
    # Counted through a join: the database reads the tag's links by their index instead of
    # probing row after row of the newest posts, as the list itself must (ProbedExists).
    counted = model.objects.listed_for(request.user).filter(tags=tag)
    from kindling.notifications.queries import is_following

    return render(
        request,
        "commons/tag_detail.html",
        {
            "tag": tag,
            "show": show,
            "page": _card_page(request, items.order_by("-created_at", "-id"), counted),
            "is_following": is_following(request.user, "tag", tag.pk),
        },
    )


# --- Collections ------------------------------------------------------------------------------


def _get_collection(request: HttpRequest, collection_id: int) -> Collection:
    collection = get_object_or_404(
        Collection.objects.select_related("owner__profile"), pk=collection_id
    )
    if not collection.is_public and collection.owner_id != request.user.pk:
        raise Http404("No such collection.")
    return collection


@login_required
def collection_list(request: HttpRequest) -> HttpResponse:
    mine = Collection.objects.filter(owner_id=request.user.pk)
    return render(request, "commons/collection_list.html", {"collections": list(mine)})


@login_required
@require_http_methods(["GET", "POST"])
def collection_create(request: HttpRequest) -> HttpResponse:
    form = CollectionForm(request.POST or None, owner=request.user)
    if request.method == "POST" and form.is_valid():
        collection = actions.create_collection(
            request.user,  # type: ignore[arg-type]
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            is_public=form.cleaned_data["is_public"],
        )
        resource_id = request.POST.get("resource")
        if resource_id and resource_id.isdigit():
            resource = queries.get_resource_for_viewer(request.user, int(resource_id))
            actions.add_to_collection(collection, resource, by=request.user)  # type: ignore[arg-type]
        messages.success(request, _("Your collection is ready."))
        return redirect(collection)
    return render(request, "commons/collection_form.html", {"form": form})


@login_required
def collection_detail(request: HttpRequest, collection_id: int) -> HttpResponse:
    collection = _get_collection(request, collection_id)
    resources = queries.resource_list(request.user).filter(
        pk__in=collection.items.values("resource_id")
    )
    return render(
        request,
        "commons/collection_detail.html",
        {
            "collection": collection,
            "page": _page(request, resources.order_by("-created_at")),
            "is_owner": collection.owner_id == request.user.pk,
        },
    )


@login_required
@require_POST
def collection_add(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = queries.get_resource_for_viewer(request.user, resource_id)
    collection_id = request.POST.get("collection", "")
    if not collection_id.isdigit():
        messages.error(request, _("Choose one of your collections."))
        return redirect(resource)
    collection = get_object_or_404(Collection, pk=int(collection_id), owner_id=request.user.pk)
    actions.add_to_collection(collection, resource, by=request.user)  # type: ignore[arg-type]
    messages.success(request, _("Added to %(name)s.") % {"name": collection.name})
    return redirect(resource)


@login_required
@require_POST
def collection_remove(request: HttpRequest, collection_id: int, resource_id: int) -> HttpResponse:
    collection = get_object_or_404(Collection, pk=collection_id, owner_id=request.user.pk)
    actions.remove_from_collection(collection, resource_id, by=request.user)  # type: ignore[arg-type]
    messages.success(request, _("Removed from the collection."))
    return redirect(collection)
