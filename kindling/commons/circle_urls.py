from django.urls import path

from kindling.commons import circle_views as views

app_name = "circles"
urlpatterns = [
    path("", views.circle_list, name="list"),
    path("new/", views.circle_create, name="create"),
    path("invitations/", views.my_invitations, name="invitations"),
    path(
        "invitations/<int:invitation_id>/<slug:decision>/",
        views.respond_to_invitation,
        name="respond_to_invitation",
    ),
    path("<slug:slug>/", views.circle_detail, name="detail"),
    path("<slug:slug>/edit/", views.circle_edit, name="edit"),
    path("<slug:slug>/members/", views.circle_members, name="members"),
    path("<slug:slug>/join/", views.circle_join, name="join"),
    path("<slug:slug>/leave/", views.circle_leave, name="leave"),
    path("<slug:slug>/request/", views.circle_request_to_join, name="request_to_join"),
    path("<slug:slug>/invite/", views.circle_invite, name="invite"),
    path(
        "<slug:slug>/requests/<int:request_id>/<slug:decision>/",
        views.circle_decide_request,
        name="decide_request",
    ),
    path(
        "<slug:slug>/members/<int:user_id>/make-owner/",
        views.circle_make_owner,
        name="make_owner",
    ),
    path(
        "<slug:slug>/members/<int:user_id>/remove/",
        views.circle_remove_member,
        name="remove_member",
    ),
]
