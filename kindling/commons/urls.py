from django.urls import path

from kindling.commons import views

app_name = "commons"
urlpatterns = [
    path("resources/", views.resource_list, name="resource_list"),
    path("resources/new/", views.resource_create, name="resource_create"),
    path("resources/<int:resource_id>/", views.resource_detail, name="resource"),
    path("resources/<int:resource_id>/edit/", views.resource_edit, name="resource_edit"),
    path("resources/<int:resource_id>/history/", views.resource_history, name="resource_history"),
    path(
        "resources/<int:resource_id>/files/<int:attachment_id>/",
        views.attachment_download,
        name="attachment",
    ),
    path(
        "resources/<int:resource_id>/files/<int:attachment_id>/delete/",
        views.attachment_delete,
        name="attachment_delete",
    ),
    path("resources/<int:resource_id>/collect/", views.collection_add, name="collection_add"),
    path("needs/", views.need_list, name="need_list"),
    path("needs/new/", views.need_create, name="need_create"),
    path("needs/suggest/", views.need_suggest, name="need_suggest"),
    path("needs/<int:need_id>/", views.need_detail, name="need"),
    path("needs/<int:need_id>/edit/", views.need_edit, name="need_edit"),
    path("needs/<int:need_id>/respond/", views.need_respond, name="need_respond"),
    path("needs/<int:need_id>/status/", views.need_status, name="need_status"),
    path("needs/<int:need_id>/invite/", views.need_invite, name="need_invite"),
    path("responses/<int:response_id>/helpful/", views.response_helpful, name="response_helpful"),
    path("comment/<str:kind>/<int:object_id>/", views.comment_add, name="comment_add"),
    path("useful/<str:kind>/<int:object_id>/", views.vote, name="vote"),
    path("tags/<str:kind>/<slug:slug>/", views.tag_detail, name="tag"),
    path("collections/", views.collection_list, name="collection_list"),
    path("collections/new/", views.collection_create, name="collection_create"),
    path("collections/<int:collection_id>/", views.collection_detail, name="collection"),
    path(
        "collections/<int:collection_id>/remove/<int:resource_id>/",
        views.collection_remove,
        name="collection_remove",
    ),
]
