from django.urls import path

from kindling.moderation import views

app_name = "moderation"
urlpatterns = [
    path("flag/", views.flag, name="flag"),
    path("blocked/", views.blocked, name="blocked"),
    path("blocked/<int:user_id>/block", views.block, name="block"),
    path("blocked/<int:user_id>/unblock", views.unblock, name="unblock"),
    path("", views.queue, name="queue"),
    path("hidden/", views.hidden, name="hidden"),
    path("audit/", views.audit_log, name="audit"),
    path("review/<str:kind>/<int:object_id>/", views.review, name="review"),
    path("review/<str:kind>/<int:object_id>/edit/", views.edit, name="edit"),
    path("review/<str:kind>/<int:object_id>/<str:decision>/", views.decide, name="decide"),
    path("members/<int:user_id>/", views.member, name="member"),
    path("members/<int:user_id>/suspend", views.suspend, name="suspend"),
    path("members/<int:user_id>/lift", views.lift, name="lift"),
]
