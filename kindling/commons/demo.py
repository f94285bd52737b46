"""The demo commons: resources that build on each other, needs with helpful responses, circles."""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from kindling.accounts.models import User
from kindling.commons.models import (
    Circle,
    CircleMembership,
    Collection,
    CollectionItem,
    Comment,
    Lineage,
    Need,
    Resource,
    ResourceRevision,
    Response,
    Tag,
    UsefulVote,
)

# title, body, tags (kind:slug), index of the resource it builds on (or None)
RESOURCES: list[tuple[str, str, list[str], int | None]] = [
    (
        "Co-written rubric for a middle-school science project",
        "Students and I wrote these criteria together in one lesson.\n\n"
        "| Criterion | Beginning | Developing | Secure |\n|---|---|---|---|\n"
        "| Question | vague | testable | testable and focused |\n"
        "| Evidence | one source | several sources | several, weighed |\n"
        "| Reasoning | claims only | claims + evidence | claims, evidence, limits |\n"
        "| Communication | notes | clear report | clear for a real audience |\n\n"
        "**Tip:** let students rename the levels in their own words.",
        ["subject:science", "grade:6-8", "habit:striving-for-accuracy", "free:rubrics"],
        None,
    ),
    (
        "Single-point rubric for design challenges",
        "One column of criteria, space either side for *glows* and *grows*. "
        "Works for any design challenge; students fill the left column themselves first.",
        ["grade:6-8", "grade:9-12", "habit:metacognition", "free:rubrics", "free:design-thinking"],
        0,
    ),
    (
        "Glow / grow / what-if peer feedback protocol",
        "1. **Glow** – one specific strength.\n2. **Grow** – one specific next step.\n"
        "3. **What if** – one question that opens a new possibility.\n\n"
        "Model it with your own work first. Ten minutes per round.",
        ["habit:listening-with-understanding-and-empathy", "free:peer-feedback"],
        None,
    ),
    (
        "Peer feedback protocol for multilingual classrooms",
        "The glow/grow/what-if protocol with sentence frames in three languages, "
        "and a silent written round before the spoken one.",
        ["subject:english_learners", "habit:thinking-interdependently", "free:peer-feedback"],
        2,
    ),
    (
        "Team roles cards (facilitator, skeptic, recorder, connector)",
        "Printable cards. Rotate roles every session; the *skeptic* asks "
        "“how do we know?” at least twice.",
        ["habit:thinking-interdependently", "free:cooperative-learning"],
        None,
    ),
    (
        "Student interest survey before a project",
        "Twelve questions: how I like to work, what I care about, when I do my best thinking. "
        "Ask them first, then plan.",
        ["habit:questioning-and-posing-problems", "free:student-voice"],
        None,
    ),
    (
        "Neighbourhood design challenge: a safer walk to school",
        "Teams map their walk, interview a neighbour, and prototype one change. "
        "A community partner gives feedback at the midpoint.",
        [
            "subject:social_studies",
            "grade:3-5",
            "habit:creating-imagining-innovating",
            "free:design-thinking",
            "free:place-based-education",
        ],
        5,
    ),
    (
        "Exit tickets that feed tomorrow's groups",
        "Three quick questions; sort the tickets into three piles and regroup the next day.",
        ["subject:mathematics", "free:formative-assessment"],
        None,
    ),
    (
        "Formative assessment with mini whiteboards",
        "Everyone answers at once; scan, decide, reteach. Notes on what to do with a split room.",
        ["subject:mathematics", "grade:6-8", "free:formative-assessment"],
        7,
    ),
    (
        "Name pronunciation routine for the first week",
        "Each student records their name; we practise five names a day as a class. "
        "Honouring names is the first act of belonging.",
        ["habit:listening-with-understanding-and-empathy", "free:belonging"],
        None,
    ),
    (
        "Reflection prompts: a mistake I learned from",
        "- What did I expect?\n- What happened?\n- What will I try next time?\n"
        "- Which habit of mind helped me?",
        ["habit:metacognition", "habit:taking-responsible-risks", "free:reflection"],
        None,
    ),
    (
        "Celebration wall: recognising risks, not just results",
        "A wall where teams post a risk they took and what it taught them. "
        "We read three aloud every Friday.",
        ["habit:taking-responsible-risks", "habit:finding-humor", "free:classroom-culture"],
        10,
    ),
    (
        "Family update template in plain language",
        "Short, warm, translated: what we're learning, one question to ask at dinner, "
        "how to reach me.",
        ["subject:english_learners", "free:family-engagement"],
        None,
    ),
    (
        "Inquiry lab: which paper towel absorbs most?",
        "A fair-test investigation students design themselves; includes a data table "
        "and a claim-evidence-reasoning frame.",
        [
            "subject:science",
            "grade:3-5",
            "habit:gathering-data-through-all-senses",
            "free:inquiry-science",
        ],
        0,
    ),
    (
        "Number talks for fractions",
        "Five-minute routines with dot images and ribbons. Students explain at least two ways.",
        ["subject:mathematics", "grade:3-5", "habit:thinking-flexibly", "free:math-talks"],
        None,
    ),
]

NEEDS: list[tuple[str, str, list[str]]] = [
    (
        "A project rubric for 7th-grade science by tomorrow",
        "My students start a design project on water filters on Monday. I need criteria "
        "they can understand and help write.",
        ["subject:science", "grade:6-8", "free:rubrics"],
    ),
    (
        "How do I stop one student doing all the work in groups?",
        "Groups of four, always the same pattern. Roles haven't helped so far.",
        ["habit:thinking-interdependently", "free:cooperative-learning"],
    ),
    (
        "Sentence frames for peer feedback in Spanish and Vietnamese",
        "Newcomers in my 5th-grade class want to give feedback but freeze.",
        ["subject:english_learners", "grade:3-5", "free:peer-feedback"],
    ),
    (
        "Community partners for a neighbourhood design challenge",
        "Who have you worked with (city, library, local businesses) and how did you ask?",
        ["subject:social_studies", "free:design-thinking"],
    ),
    (
        "Quick formative checks for a 90-minute block",
        "I lose track of who's got it halfway through.",
        ["subject:mathematics", "grade:9-12", "free:formative-assessment"],
    ),
    (
        "Reflection that isn't just 'it was fun'",
        "Prompts that get 10-year-olds thinking about their thinking?",
        ["habit:metacognition", "grade:3-5", "free:reflection"],
    ),
    (
        "Getting families to read the class updates",
        "Open rates are low; many families prefer WhatsApp and languages other than English.",
        ["free:family-engagement"],
    ),
    (
        "Ideas to honour students' names and home languages",
        "Starting the year with a new group of 28 and want to get names right.",
        ["free:belonging", "habit:listening-with-understanding-and-empathy"],
    ),
    (
        "Data collection tools for a playground study",
        "Students want to measure which areas get used most at recess.",
        ["subject:science", "habit:gathering-data-through-all-senses"],
    ),
    (
        "Fraction misconceptions to plan around",
        "Which misconceptions show up most with 4th graders and how do you surface them?",
        ["subject:mathematics", "grade:3-5"],
    ),
]

RESPONSES = [
    "We co-wrote ours in one lesson: students sorted sample work into piles, then named why. "
    "The criteria came from their reasons.",
    "Try a single-point rubric: fewer words for students to read, more room for feedback.",
    "Give each group one pen and rotate it every five minutes. It sounds silly; it works.",
    "Public roles plus a short self-assessment at the end made a big difference for us.",
    "I post frames on a card ring at each table, in the languages my students speak.",
    "Our library lends a 'community expert' list; the librarian made the first calls for us.",
    "Mini whiteboards every 15 minutes, then a one-question exit ticket.",
    "Ask 'what surprised you?' and 'what would you change?': 'fun' doesn't answer either.",
    "We switched to short voice messages and pictures. Reading went up straight away.",
    "Have students record their names and practise five a day as a class.",
]

CIRCLES = [
    (
        "Design challenges in middle school",
        "Sharing challenges, rubrics and partner ideas.",
        "open",
    ),
    (
        "Newcomer and multilingual learners",
        "Practical ideas for classrooms with many languages.",
        "open",
    ),
    (
        "Instructional coaches' room",
        "A private space for coaches to talk through coaching moves.",
        "invite",
    ),
]


def _tags(codes: list[str]) -> list[Tag]:
    tags = []
    for code in codes:
        kind, slug = code.split(":", 1)
        if kind == "free":
            tag, _ = Tag.objects.get_or_create(
                kind="free", slug=slug, defaults={"name": slug.replace("-", " ")}
            )
        else:
            tag = Tag.objects.get(kind=kind, slug=slug)
        tags.append(tag)
    return tags


@transaction.atomic
def seed_commons(members: list[User]) -> dict[str, int]:
    """Create the demo commons once; running it again changes nothing."""
    if Resource.objects.filter(title=RESOURCES[0][0]).exists():
        return {"resources": 0, "needs": 0}
    rng = random.Random(7)  # noqa: S311 - repeatable demo data
    now = timezone.now()
    for member in members:
        if member.date_joined > now - timedelta(days=90):
            User.objects.filter(pk=member.pk).update(date_joined=now - timedelta(days=120))

    circles = []
    for index, (name, description, visibility) in enumerate(CIRCLES):
        owner = members[index * 5]
        circle = Circle.objects.create(
            name=name,
            slug=name.lower().replace(" ", "-").replace("'", "")[:80],
            description=description,
            visibility=visibility,
            created_by=owner,
            created_at=now - timedelta(days=80),
        )
        chosen = {owner, *rng.sample(members, 9)}
        for member in chosen:
            CircleMembership.objects.create(
                circle=circle, user=member, role="owner" if member == owner else "member"
            )
        circle.member_count = len(chosen)
        circle.save(update_fields=["member_count"])
        circles.append(circle)

    resources: list[Resource] = []
    for index, (title, body, codes, parent) in enumerate(RESOURCES):
        author = members[(index * 3) % len(members)]
        created = now - timedelta(days=60 - index * 3, hours=rng.randint(0, 12))
        home: Circle | None = circles[2] if index == 4 else (circles[0] if index == 6 else None)
        if (
            home is not None
            and not CircleMembership.objects.filter(circle=home, user=author).exists()
        ):
            CircleMembership.objects.create(circle=home, user=author)
            Circle.objects.filter(pk=home.pk).update(member_count=F("member_count") + 1)
        resource = Resource.objects.create(
            author=author,
            title=title,
            body=body,
            circle=home,
            created_at=created,
            updated_at=created,
        )
        ResourceRevision.objects.create(
            resource=resource,
            number=1,
            title=title,
            body=body,
            edited_by=author,
            created_at=created,
        )
        resource.tags.set(_tags(codes))
        if parent is not None:
            Lineage.objects.create(
                resource=resource, builds_on=resources[parent], created_at=created
            )
        resources.append(resource)

    needs: list[Need] = []
    for index, (title, details, codes) in enumerate(NEEDS):
        author = members[(index * 4 + 1) % len(members)]
        created = now - timedelta(days=20 - index * 2, hours=rng.randint(0, 12))
        need = Need.objects.create(
            author=author,
            title=title,
            details=details,
            created_at=created,
            updated_at=created,
            last_activity_at=created,
        )
        need.tags.set(_tags(codes))
        needs.append(need)
        responders = rng.sample([m for m in members if m != author], 2 + index % 3)
        for offset, responder in enumerate(responders):
            helped = offset < (2 if index == 0 else (1 if index % 2 == 0 else 0))
            Response.objects.create(
                need=need,
                author=responder,
                body=RESPONSES[(index + offset) % len(RESPONSES)],
                resource=resources[0] if index == 0 and offset == 0 else None,
                helped=helped,
                marked_helpful_at=created + timedelta(hours=6) if helped else None,
                created_at=created + timedelta(hours=2 + offset),
                updated_at=created + timedelta(hours=2 + offset),
            )
        if index == 0:
            # Journey 2 of the design: the asker later publishes their own rubric built on one.
            rubric = Resource.objects.create(
                author=author,
                title="My water-filter project rubric (built on the co-written one)",
                body="Adapted for a water-filter design project; added a *testing* criterion.",
                created_at=created + timedelta(days=1),
                updated_at=created + timedelta(days=1),
            )
            ResourceRevision.objects.create(
                resource=rubric, number=1, title=rubric.title, body=rubric.body, edited_by=author
            )
            rubric.tags.set(_tags(["subject:science", "grade:6-8", "free:rubrics"]))
            Lineage.objects.create(resource=rubric, builds_on=resources[0])
            resources.append(rubric)

    for index, resource in enumerate(resources):
        voters = rng.sample([m for m in members if m != resource.author], (index * 7) % 13)
        UsefulVote.objects.bulk_create(
            UsefulVote(user=v, kind="resource", object_id=resource.pk) for v in voters
        )
        if index % 3 == 0:
            commenter = members[(index + 11) % len(members)]
            Comment.objects.create(
                author=commenter, resource=resource, body="Tried this last week and it worked well."
            )
    for resource in resources:
        resource.useful_count = UsefulVote.objects.filter(
            kind="resource", object_id=resource.pk
        ).count()
        resource.comment_count = resource.comments.count()
        resource.save(update_fields=["useful_count", "comment_count"])
    for need in Need.objects.annotate(n=Count("responses")):
        need.response_count = need.n
        need.helped_count = need.responses.filter(helped=True).count()
        need.save(update_fields=["response_count", "helped_count"])

    collection = Collection.objects.create(
        owner=members[0], name="Feedback and rubrics", description="What I reach for first."
    )
    for resource in resources[:4]:
        CollectionItem.objects.create(collection=collection, resource=resource)
    _seed_follows(members, circles)
    return {"resources": len(resources), "needs": len(needs)}


def _seed_follows(members: list[User], circles: list[Circle]) -> None:
    from kindling.notifications.models import Follow

    rubrics = Tag.objects.get(kind="free", slug="rubrics")
    science = Tag.objects.get(kind="subject", slug="science")
    rows = []
    for index, member in enumerate(members[:20]):
        rows.append(
            Follow(user=member, kind="tag", object_id=(rubrics if index % 2 else science).pk)
        )
        rows.append(
            Follow(user=member, kind="user", object_id=members[(index + 1) % len(members)].pk)
        )
        if CircleMembership.objects.filter(circle=circles[0], user=member).exists():
            rows.append(Follow(user=member, kind="circle", object_id=circles[0].pk))
    Follow.objects.bulk_create(rows, ignore_conflicts=True)
