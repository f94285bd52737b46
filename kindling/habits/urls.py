from django.urls import path

from kindling.habits import views

app_name = "habits"
urlpatterns = [
    path("", views.habit_list, name="list"),
    path("<slug:slug>/", views.habit_detail, name="detail"),
]
