from django.db import migrations

SUBJECTS = [
    ("mathematics", "Mathematics"),
    ("science", "Science"),
    ("ela", "English language arts"),
    ("social_studies", "Social studies"),
    ("world_languages", "World languages"),
    ("english_learners", "English learners (ESL/ELD)"),
    ("arts", "Arts"),
    ("music", "Music"),
    ("health_pe", "Health and physical education"),
    ("computer_science", "Computer science and technology"),
    ("special_education", "Special education"),
    ("career_technical", "Career and technical education"),
    ("library", "Library and media"),
    ("social_emotional", "Social-emotional learning"),
]
GRADE_BANDS = [
    ("prek", "Pre-K"),
    ("k-2", "Kindergarten–grade 2"),
    ("3-5", "Grades 3–5"),
    ("6-8", "Grades 6–8"),
    ("9-12", "Grades 9–12"),
    ("higher_ed", "Higher education"),
    ("adult", "Adult learners"),
]


def load_tags(apps, schema_editor):
    Tag = apps.get_model("commons", "Tag")
    Habit = apps.get_model("habits", "Habit")
    for slug, name in SUBJECTS:
        Tag.objects.update_or_create(kind="subject", slug=slug, defaults={"name": name})
    for slug, name in GRADE_BANDS:
        Tag.objects.update_or_create(kind="grade", slug=slug, defaults={"name": name})
    for habit in Habit.objects.all():
        Tag.objects.update_or_create(
            kind="habit", slug=habit.slug, defaults={"name": habit.name, "habit": habit}
        )


def unload_tags(apps, schema_editor):
    apps.get_model("commons", "Tag").objects.exclude(kind="free").delete()


class Migration(migrations.Migration):
    dependencies = [("commons", "0001_create_commons"), ("habits", "0002_load_the_sixteen_habits")]
    operations = [migrations.RunPython(load_tags, unload_tags)]
