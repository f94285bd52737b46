from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from kindling.accounts.models import Profile, User


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [ProfileInline]
    ordering = ["email"]
    list_display = ["email", "is_active", "is_moderator", "is_staff", "date_joined", "last_login"]
    list_filter = ["is_active", "is_moderator", "is_staff", "is_superuser"]
    search_fields = ["email", "profile__display_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Code of conduct"),
            {"fields": ("code_of_conduct_version", "code_of_conduct_accepted_at")},
        ),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_moderator", "is_staff", "is_superuser", "groups")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    readonly_fields = ["code_of_conduct_accepted_at", "last_login", "date_joined"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["display_name", "role", "user"]
    list_filter = ["role"]
    search_fields = ["display_name", "user__email"]
