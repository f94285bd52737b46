from django.contrib import admin

from kindling.habits.models import Habit


@admin.register(Habit)
class HabitAdmin(admin.ModelAdmin):
    list_display = ["position", "name", "slug"]
    list_display_links = ["name"]
