"""The demo community's members: varied roles, subjects, grade bands, languages and names."""

from __future__ import annotations

import random
import unicodedata

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from kindling.accounts.actions import CODE_OF_CONDUCT_VERSION
from kindling.accounts.models import GradeBand, Profile, Role, Subject, User

DEMO_PASSWORD = "kindling-demo"  # noqa: S105 - printed for the demo on purpose
DEMO_DOMAIN = "demo.kindling.test"

# name, phonetic spelling, pronouns, languages, role, time zone
PEOPLE: list[tuple[str, str, str, list[str], str, str]] = [
    (
        "María José Hernández",
        "mah-REE-ah hoh-SEH er-NAHN-des",
        "she/her",
        ["es", "en"],
        "teacher",
        "America/Mexico_City",
    ),
    ("Nguyễn Thị Lan", "nwin tee lahn", "she/her", ["vi", "en"], "teacher", "America/Los_Angeles"),
    ("Siobhán O'Connell", "shi-VAWN oh-KON-ul", "she/her", ["en", "ga"], "coach", "Europe/Dublin"),
    (
        "Oluwaseun Adeyemi",
        "oh-loo-wah-SHAY-oon ah-deh-YEH-mee",
        "he/him",
        ["yo", "en"],
        "teacher",
        "Africa/Lagos",
    ),
    (
        "Xiomara Quispe",
        "see-oh-MAH-rah KEES-peh",
        "she/her",
        ["qu", "es"],
        "teacher",
        "America/Lima",
    ),
    ("Aarav Sharma", "AH-rahv SHAR-mah", "he/him", ["hi", "en"], "teacher", "Asia/Kolkata"),
    ("Mai Vang", "my vahng", "she/her", ["hmn", "en"], "teacher", "America/Chicago"),
    (
        "Joaquín Ibáñez",
        "hwah-KEEN ee-BAH-nyes",
        "he/him",
        ["es", "ca"],
        "school_leader",
        "Europe/Madrid",
    ),
    ("Aoife Brennan", "EE-fa BREN-an", "she/her", ["en"], "teacher", "Europe/Dublin"),
    ("Kwame Mensah", "KWAH-meh MEN-sah", "he/him", ["ak", "en"], "coach", "Africa/Accra"),
    (
        "Ngozi Okonkwo",
        "n-GOH-zee oh-KONG-kwoh",
        "she/her",
        ["ig", "en"],
        "teacher",
        "Europe/London",
    ),
    (
        "Thandiwe Dlamini",
        "tan-DEE-weh dla-MEE-nee",
        "she/her",
        ["zu", "en"],
        "school_leader",
        "Africa/Johannesburg",
    ),
    (
        "Sébastien Lefèvre",
        "say-bas-TYAN luh-FEV-ruh",
        "he/him",
        ["fr", "en"],
        "teacher",
        "America/Montreal",
    ),
    ("Yusuf Al-Amin", "YOO-suf al-ah-MEEN", "he/him", ["ar", "en"], "teacher", "America/Detroit"),
    (
        "Leilani Kahananui",
        "lay-LAH-nee kah-hah-nah-NOO-ee",
        "she/her",
        ["haw", "en"],
        "teacher",
        "Pacific/Honolulu",
    ),
    ("Dmitri Volkov", "DMEE-tree vol-KOFF", "he/him", ["ru", "en"], "teacher", "America/New_York"),
    ("Ji-woo Park", "jee-woo park", "they/them", ["ko", "en"], "teacher", "America/Los_Angeles"),
    (
        "Priya Raghunathan",
        "PREE-yah rah-goo-NAH-thun",
        "she/her",
        ["ta", "en"],
        "coach",
        "America/New_York",
    ),
    (
        "Tomasz Wiśniewski",
        "TOH-mahsh vish-NYEF-skee",
        "he/him",
        ["pl", "en"],
        "teacher",
        "America/Chicago",
    ),
    (
        "Fatima Zahra Benali",
        "FAH-tee-mah ZAH-rah ben-AH-lee",
        "she/her",
        ["ar", "fr"],
        "teacher",
        "Europe/Paris",
    ),
    ("Giovanni Rossi", "joh-VAHN-nee ROHS-see", "he/him", ["it", "en"], "teacher", "Europe/Rome"),
    ("Ayşe Yılmaz", "eye-SHEH yuhl-MAHZ", "she/her", ["tr", "de"], "teacher", "Europe/Berlin"),
    ("Tenzin Norbu", "TEN-zin NOR-boo", "he/him", ["bo", "en"], "teacher", "America/Denver"),
    (
        "Marisol Ortega",
        "mah-ree-SOHL or-TEH-gah",
        "she/her",
        ["es", "en"],
        "school_leader",
        "America/Phoenix",
    ),
    (
        "Hamid Rahimi",
        "hah-MEED rah-HEE-mee",
        "he/him",
        ["fa", "ps", "en"],
        "teacher",
        "America/Los_Angeles",
    ),
    ("Chidera Eze", "chee-DEH-rah EH-zeh", "she/her", ["ig", "en"], "teacher", "America/Chicago"),
    (
        "Ana Lúcia Ferreira",
        "AH-nah LOO-see-ah feh-HAY-rah",
        "she/her",
        ["pt", "es"],
        "coach",
        "America/Sao_Paulo",
    ),
    (
        "Keanu Akana",
        "keh-AH-noo ah-KAH-nah",
        "he/him",
        ["en", "haw"],
        "teacher",
        "Pacific/Honolulu",
    ),
    (
        "Eleni Papadopoulou",
        "eh-LEH-nee pah-pah-doh-POO-loo",
        "she/her",
        ["el", "en"],
        "teacher",
        "Europe/Athens",
    ),
    ("Rangi Parata", "RAH-ngee pah-RAH-tah", "he/him", ["mi", "en"], "teacher", "Pacific/Auckland"),
    (
        "Ingrid Johansson",
        "ING-rid YOO-hahn-son",
        "she/her",
        ["sv", "en"],
        "school_leader",
        "Europe/Stockholm",
    ),
    ("Ahmad Karimi", "AH-mahd kah-REE-mee", "he/him", ["prs", "en"], "teacher", "America/New_York"),
    ("Sakura Tanaka", "sah-KOO-rah tah-NAH-kah", "she/her", ["ja", "en"], "teacher", "Asia/Tokyo"),
    (
        "Wanjiru Kamau",
        "wahn-JEE-roo kah-MAH-oo",
        "she/her",
        ["sw", "ki", "en"],
        "coach",
        "Africa/Nairobi",
    ),
    (
        "Carlos Mendoza",
        "KAR-lohs men-DOH-sah",
        "he/him",
        ["es", "en"],
        "teacher",
        "America/Los_Angeles",
    ),
    ("Bảo Trần", "bow chun", "he/him", ["vi", "en"], "teacher", "America/Chicago"),
    (
        "Émilie Tremblay",
        "ay-mee-LEE trahm-BLAY",
        "she/her",
        ["fr", "en"],
        "teacher",
        "America/Toronto",
    ),
    (
        "Hoku Kealoha",
        "HOH-koo keh-ah-LOH-hah",
        "they/them",
        ["haw", "en"],
        "other",
        "Pacific/Honolulu",
    ),
    ("Rosa Tzul", "ROH-sah tsool", "she/her", ["quc", "es"], "teacher", "America/Guatemala"),
    ("Samuel Okafor", "SAM-yoo-el oh-KAH-for", "he/him", ["en", "ig"], "coach", "America/New_York"),
    (
        "Lucía Fernández",
        "loo-SEE-ah fer-NAHN-dez",
        "she/her",
        ["es", "gl"],
        "teacher",
        "Europe/Madrid",
    ),
    ("Arjun Pillai", "AR-jun pil-LIE", "he/him", ["ml", "en"], "teacher", "America/Chicago"),
    (
        "Naledi Mokoena",
        "nah-LEH-dee moh-KWEH-nah",
        "she/her",
        ["st", "en"],
        "teacher",
        "Africa/Johannesburg",
    ),
    ("Yuki Sato", "YOO-kee SAH-toh", "she/her", ["ja", "en"], "coach", "America/Los_Angeles"),
    ("Omar Haddad", "OH-mar had-DAHD", "he/him", ["ar", "en"], "school_leader", "America/Chicago"),
    ("Hannah Becker", "HAH-nah BECK-er", "she/her", ["de", "en"], "teacher", "Europe/Berlin"),
    ("Esperanza Ruiz", "es-peh-RAHN-sah roo-EES", "she/her", ["es"], "teacher", "America/Denver"),
    ("Declan Murphy", "DEK-lun MUR-fee", "he/him", ["en"], "other", "America/New_York"),
]

SUBJECTS_BY_FOCUS = [
    ["science"],
    ["mathematics"],
    ["ela"],
    ["social_studies"],
    ["english_learners", "ela"],
    ["arts", "music"],
    ["computer_science", "mathematics"],
    ["special_education"],
    ["world_languages"],
    ["health_pe"],
    ["science", "computer_science"],
    ["social_emotional"],
    ["library"],
    ["career_technical"],
]
GRADE_BANDS = ["prek", "k-2", "3-5", "6-8", "9-12", "higher_ed", "adult"]
INTERESTS = [
    "project-based learning",
    "formative assessment",
    "design thinking",
    "restorative practices",
    "culturally sustaining pedagogy",
    "student voice",
    "makerspaces",
    "peer feedback",
    "universal design for learning",
    "family engagement",
    "outdoor learning",
    "robotics",
    "multilingual learners",
    "inquiry science",
    "math talks",
    "reading workshop",
    "place-based education",
    "habits of mind",
    "cooperative learning",
    "rubric design",
]
GOALS = [
    "Build a rubric routine my students co-write.",
    "Run my first design challenge with community partners.",
    "Coach new teachers on questioning strategies.",
    "Bring more student voice into planning.",
    "Make group work fairer for multilingual learners.",
    "Mentor colleagues on formative assessment.",
]
BIOS = [
    "I teach {subjects} and love when students argue about evidence. Ask me about {interest}.",
    "Twelve years in the classroom, the last four focused on {interest}. I teach {subjects}.",
    "Former engineer, now teaching {subjects}. Always trying new ways into {interest}.",
    "I support teachers across three schools with {interest} and {subjects}.",
    "Happiest when my class is noisy for the right reasons. {subjects}; {interest}.",
]


def demo_email(name: str, index: int) -> str:
    first = name.split()[0].lower()
    decomposed = unicodedata.normalize("NFKD", first)
    ascii_first = decomposed.encode("ascii", "ignore").decode() or "member"
    return f"{ascii_first}{index:02d}@{DEMO_DOMAIN}"


@transaction.atomic
def seed_members() -> tuple[int, list[str]]:
    """Create or update the demo members; returns (how many are new, some e-mail addresses)."""
    rng = random.Random(2026)  # noqa: S311 - repeatable demo data, not security
    # Hashing is deliberately slow; the demo accounts share one password, so hash it once.
    password_hash = make_password(DEMO_PASSWORD)
    created_count = 0
    emails: list[str] = []
    subject_labels = dict(Subject.choices)
    now = timezone.now()
    for index, (name, phonetic, pronouns, languages, role, zone) in enumerate(PEOPLE, start=1):
        email = demo_email(name, index)
        emails.append(email)
        user, created = User.objects.get_or_create(email=email)
        if created:
            user.password = password_hash
            user.code_of_conduct_version = CODE_OF_CONDUCT_VERSION
            user.code_of_conduct_accepted_at = now
            user.save()
            created_count += 1
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        subjects = SUBJECTS_BY_FOCUS[index % len(SUBJECTS_BY_FOCUS)]
        bands = sorted(rng.sample(GRADE_BANDS[:5] if role != "other" else GRADE_BANDS, 2))
        interests = rng.sample(INTERESTS, 3)
        bio = rng.choice(BIOS).format(
            subjects=" and ".join(str(subject_labels[s]).lower() for s in subjects),
            interest=interests[0],
        )
        Profile.objects.update_or_create(
            user=user,
            defaults={
                "display_name": name,
                "pronunciation": phonetic,
                "pronouns": pronouns,
                "languages": languages,
                "role": Role(role),
                "subjects": subjects,
                "grade_bands": [b for b in GradeBand.values if b in bands],
                "interests": interests,
                "professional_goals": rng.choice(GOALS),
                "bio": bio,
                "time_zone": zone,
            },
        )
    return created_count, emails


@transaction.atomic
def seed_admin() -> str:
    """A site administrator for the demo, who can also use the admin site."""
    email = f"admin@{DEMO_DOMAIN}"
    user, created = User.objects.get_or_create(
        email=email, defaults={"is_staff": True, "is_superuser": True}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.code_of_conduct_version = CODE_OF_CONDUCT_VERSION
        user.code_of_conduct_accepted_at = timezone.now()
        user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    Profile.objects.get_or_create(
        user=user,
        defaults={
            "display_name": "Kindling Admin",
            "role": Role.OTHER,
            "pronunciation": "KIND-ling AD-min",
        },
    )
    return email
