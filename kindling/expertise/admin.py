from django.contrib import admin

from kindling.expertise.models import Expertise, HelperProfile


@admin.register(Expertise)
class ExpertiseAdmin(admin.ModelAdmin[Expertise]):
    list_display = ("user", "tag", "score", "helpful_responses", "useful_votes", "built_on")
    list_select_related = ("user", "tag")
    search_fields = ("user__email", "tag__name")
    readonly_fields = [f.name for f in Expertise._meta.fields]


@admin.register(HelperProfile)
class HelperProfileAdmin(admin.ModelAdmin[HelperProfile]):
    list_display = ("user", "responses", "last_active_at", "computed_at")
    list_select_related = ("user",)
    exclude = ("terms",)
