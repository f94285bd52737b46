"""Costa & Kallick's 16 Habits of Mind, with one-line descriptions written for Kindling.

Kept as plain data so the migration that loads them and the translations that name them share
one source; the strings are marked for translation here and looked up at render time.
"""

from django.utils.translation import gettext_noop as _

HABITS: list[tuple[str, str, str]] = [
    ("persisting", _("Persisting"), _("Sticking with a task when the answer is not yet in sight.")),
    (
        "managing-impulsivity",
        _("Managing impulsivity"),
        _("Taking a breath to think before acting or answering."),
    ),
    (
        "listening-with-understanding-and-empathy",
        _("Listening with understanding and empathy"),
        _("Giving full attention to another person's thoughts and feelings."),
    ),
    (
        "thinking-flexibly",
        _("Thinking flexibly"),
        _("Seeing a problem from new angles and changing course when it helps."),
    ),
    (
        "metacognition",
        _("Thinking about your thinking (metacognition)"),
        _("Noticing how you think and learn, and adjusting on purpose."),
    ),
    (
        "striving-for-accuracy",
        _("Striving for accuracy"),
        _("Checking work carefully and holding it to a high standard."),
    ),
    (
        "questioning-and-posing-problems",
        _("Questioning and posing problems"),
        _("Asking questions that open a problem up and find what is missing."),
    ),
    (
        "applying-past-knowledge",
        _("Applying past knowledge to new situations"),
        _("Drawing on what you already know to meet something new."),
    ),
    (
        "thinking-and-communicating-with-clarity",
        _("Thinking and communicating with clarity and precision"),
        _("Saying what you mean, exactly, in speech and in writing."),
    ),
    (
        "gathering-data-through-all-senses",
        _("Gathering data through all senses"),
        _("Learning by looking, listening, touching, moving and making."),
    ),
    (
        "creating-imagining-innovating",
        _("Creating, imagining, innovating"),
        _("Generating original ideas and trying out new ways of doing things."),
    ),
    (
        "responding-with-wonderment-and-awe",
        _("Responding with wonderment and awe"),
        _("Finding delight and curiosity in the world and in ideas."),
    ),
    (
        "taking-responsible-risks",
        _("Taking responsible risks"),
        _("Stepping past the comfortable edge, with thought for what could happen."),
    ),
    (
        "finding-humor",
        _("Finding humor"),
        _("Seeing the playful side of things, including your own mistakes."),
    ),
    (
        "thinking-interdependently",
        _("Thinking interdependently"),
        _("Working with and learning from others, so the group thinks better than anyone alone."),
    ),
    (
        "remaining-open-to-continuous-learning",
        _("Remaining open to continuous learning"),
        _("Staying humble and curious, always ready to learn more."),
    ),
]
