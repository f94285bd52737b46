from django.urls import path

from kindling.accounts import views

app_name = "accounts"
urlpatterns = [
    path("members/", views.member_list, name="member_list"),
    path("members/<int:profile_id>/", views.profile_detail, name="profile"),
    path("members/<int:profile_id>/name-recording", views.pronunciation_audio, name="audio"),
    path("me/", views.my_profile, name="me"),
    path("me/edit/", views.profile_edit, name="profile_edit"),
]
