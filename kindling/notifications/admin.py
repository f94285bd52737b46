from django.contrib import admin

from kindling.notifications.models import Follow, Notification, NotificationSettings


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "verb", "actor", "summary", "created_at", "read_at", "emailed_at"]
    list_filter = ["verb"]
    search_fields = ["recipient__email", "summary"]
    raw_id_fields = ["recipient", "actor", "circle"]
    date_hierarchy = "created_at"


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "object_id", "created_at"]
    list_filter = ["kind"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]


@admin.register(NotificationSettings)
class NotificationSettingsAdmin(admin.ModelAdmin):
    list_display = ["user", "email_mode", "last_digest_at"]
    list_filter = ["email_mode"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]
    exclude = ["unsubscribe_token"]
