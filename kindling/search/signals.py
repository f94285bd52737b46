"""Signal receivers that keep the search index in step with writes, in the same transaction."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save

from kindling.accounts.models import Profile, User
from kindling.commons.models import Circle, Need, Resource, Response
from kindling.search import actions, semantic
from kindling.search.models import DocumentKind

UID = "kindling.search"


def _resource_saved(sender: Any, instance: Resource, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        actions.index_resource(instance)
        semantic.schedule(DocumentKind.RESOURCE, [instance.pk])


def _need_saved(sender: Any, instance: Need, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        actions.index_need(instance)
        semantic.schedule(DocumentKind.NEED, [instance.pk])


def _response_saved(sender: Any, instance: Response, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        actions.index_response(instance)
        # A need's vector holds its responses' text.
        semantic.schedule(DocumentKind.NEED, [instance.need_id])


def _circle_saved(sender: Any, instance: Circle, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        actions.index_circle(instance)


def _profile_saved(sender: Any, instance: Profile, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        actions.index_profile(instance)


def _user_saved(sender: Any, instance: User, raw: bool = False, **kwargs: Any) -> None:
    # Deactivating an account hides the member from search.
    update_fields = kwargs.get("update_fields")
    if raw or (update_fields is not None and set(update_fields) <= {"last_login", "password"}):
        return
    profile = Profile.objects.filter(user=instance).first()
    if profile is not None:
        actions.index_profile(profile)


def _tags_changed(sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if isinstance(instance, Resource):
        actions.index_resource(instance)
    elif isinstance(instance, Need):
        actions.index_need(instance)
    else:  # the tag side of the relation: re-index every item the change touched
        model = kwargs.get("model")
        for pk in kwargs.get("pk_set") or ():
            if model is Resource:
                actions.index_resource(Resource.objects.get(pk=pk))
            elif model is Need:
                actions.index_need(Need.objects.get(pk=pk))


def _deleted(kind: str) -> Any:
    def receiver(sender: Any, instance: Any, **kwargs: Any) -> None:
        actions.remove_document(kind, instance.pk)
        semantic.forget(kind, instance.pk)
        if kind == DocumentKind.RESPONSE:
            need = Need.objects.filter(pk=instance.need_id).first()
            if need is not None:
                actions.index_need(need)
                semantic.schedule(DocumentKind.NEED, [need.pk])

    return receiver


def connect_signals() -> None:
    """Connect the receivers (from SearchConfig.ready)."""
    post_save.connect(_resource_saved, sender=Resource, dispatch_uid=f"{UID}.resource")
    post_save.connect(_need_saved, sender=Need, dispatch_uid=f"{UID}.need")
    post_save.connect(_response_saved, sender=Response, dispatch_uid=f"{UID}.response")
    post_save.connect(_circle_saved, sender=Circle, dispatch_uid=f"{UID}.circle")
    post_save.connect(_profile_saved, sender=Profile, dispatch_uid=f"{UID}.profile")
    post_save.connect(_user_saved, sender=User, dispatch_uid=f"{UID}.user")
    m2m_changed.connect(_tags_changed, sender=Resource.tags.through, dispatch_uid=f"{UID}.rtags")
    m2m_changed.connect(_tags_changed, sender=Need.tags.through, dispatch_uid=f"{UID}.ntags")
    for model, kind in (
        (Resource, DocumentKind.RESOURCE),
        (Need, DocumentKind.NEED),
        (Response, DocumentKind.RESPONSE),
        (Circle, DocumentKind.CIRCLE),
        (Profile, DocumentKind.PERSON),
    ):
        post_delete.connect(
            _deleted(kind), sender=model, weak=False, dispatch_uid=f"{UID}.delete.{kind}"
        )
