from django.db import migrations


def load_habits(apps, schema_editor):
    from kindling.habits.catalogue import HABITS

    Habit = apps.get_model("habits", "Habit")
    for position, (slug, name, description) in enumerate(HABITS, start=1):
        Habit.objects.update_or_create(
            slug=slug, defaults={"name": name, "description": description, "position": position}
        )


def unload_habits(apps, schema_editor):
    from kindling.habits.catalogue import HABITS

    Habit = apps.get_model("habits", "Habit")
    Habit.objects.filter(slug__in=[slug for slug, _, _ in HABITS]).delete()


class Migration(migrations.Migration):
    dependencies = [("habits", "0001_create_habit")]
    operations = [migrations.RunPython(load_habits, unload_habits)]
