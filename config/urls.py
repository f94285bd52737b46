from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from kindling.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("code-of-conduct/", core_views.code_of_conduct, name="code_of_conduct"),
    path("healthz", core_views.health, name="health"),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("habits/", include("kindling.habits.urls")),
    path("moderation/", include("kindling.moderation.urls")),
    path("circles/", include("kindling.commons.circle_urls")),
    path("", include("kindling.accounts.urls")),
    path("", include("kindling.commons.urls")),
    path("notifications/", include("kindling.notifications.urls")),
    path("search/", include("kindling.search.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:  # pragma: no cover - development convenience only
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
