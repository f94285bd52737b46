"""Believable Markdown for generated posts, built fast from a small vocabulary.

Sentences are composed once into a pool; every body is then a few picks from that pool arranged
as paragraphs, headings and lists, so a million texts cost seconds rather than minutes.
"""

from __future__ import annotations

import random

PRACTICES = [
    "exit tickets",
    "a single-point rubric",
    "think-pair-share",
    "an anchor chart",
    "a number talk",
    "peer feedback",
    "reading conferences",
    "station rotation",
    "a gallery walk",
    "a Socratic seminar",
    "a jigsaw",
    "a choice board",
    "a mini-lesson",
    "sentence frames",
    "a lab notebook",
    "retrieval practice",
    "a learning journal",
    "a design challenge",
    "cold calling with wait time",
    "a fishbowl discussion",
    "a KWL chart",
    "low-floor high-ceiling tasks",
    "worked examples",
    "a class norms poster",
    "restorative circles",
    "a word wall",
    "a project calendar",
    "self-assessment checklists",
    "a writing workshop",
    "math journals",
]
GROUPS = [
    "my sixth graders",
    "a mixed-ability class",
    "English learners",
    "first-year teachers",
    "my kindergarten class",
    "a group of reluctant readers",
    "my AP students",
    "adult learners",
    "a co-taught class",
    "students with IEPs",
    "my advisory group",
    "a class of thirty-four",
    "newcomers",
    "my after-school club",
    "the whole grade team",
]
OUTCOMES = [
    "everyone gets a voice",
    "students explain their thinking",
    "quiet students speak first",
    "the feedback is specific",
    "nobody is left waiting",
    "the vocabulary sticks",
    "students own the criteria",
    "mistakes become part of the lesson",
    "the room stays calm",
    "I can see who is stuck",
    "families understand the goal",
    "the groups stay balanced",
    "students revise without being told",
    "the discussion goes deeper",
]
ACTIONS = [
    "write one question on a sticky note",
    "sketch their idea before talking",
    "rate their confidence from one to four",
    "explain the step to a partner",
    "find one piece of evidence",
    "rewrite the goal in their own words",
    "choose a role in the group",
    "compare two worked examples",
    "name the strategy they used",
    "read the rubric aloud",
    "check the norms on the wall",
    "give one glow and one grow",
    "predict what happens next",
    "draw a quick model",
]
CONDITIONS = [
    "the task is short",
    "the criteria are visible",
    "students practise it twice",
    "you model it first",
    "the timer is on the board",
    "roles rotate every week",
    "the groups are small",
    "the prompt is open",
    "there is a clear exit",
    "everyone writes before anyone speaks",
]
TIMES = ["week", "term", "spring", "Monday", "unit", "semester", "month"]
RESULTS = [
    "it changed how the class talks about mistakes",
    "the quietest student asked the first question",
    "it took twice as long as planned",
    "the grades went up a little",
    "half of them asked to do it again",
    "it fell flat until I shortened it",
    "the parents noticed at conferences",
    "I finally saw who had misunderstood",
]
QUESTIONS = [
    "How do you keep {practice} from taking the whole lesson?",
    "Has anyone adapted {practice} for {group}?",
    "What do you do when {group} will not {action}?",
    "Is {practice} worth the set-up time?",
    "How would you grade {practice}?",
]
SENTENCES = [
    "I use {practice} with {group} so that {outcome}.",
    "{Practice} works best when {condition}.",
    "Start with {practice}, then move to {practice2} once {condition}.",
    "Last {time}, {group} tried {practice} and {result}.",
    "Ask students to {action} before they {action2}.",
    "The trick with {practice} is that {outcome} only when {condition}.",
    "If {condition}, {group} will {action} without prompting.",
    "I borrowed {practice} from a colleague and changed one thing: students {action} first.",
    "Keep {practice} short; {result}.",
    "With {group}, {practice} needs one more step: {action}.",
]
HEADINGS = [
    "What I do",
    "Why it works",
    "Getting started",
    "What to watch for",
    "Variations",
    "Materials",
    "Timing",
    "Assessment",
    "What I would change",
]
TITLE_PATTERNS = [
    "{Practice} for {group}",
    "How I use {practice} with {group}",
    "A five-minute version of {practice}",
    "{Practice}, step by step",
    "Making {practice} work when {condition}",
    "Templates for {practice}",
    "{Practice} that helps {outcome}",
]
NEED_PATTERNS = [
    "Ideas for {practice} with {group}?",
    "Looking for help with {practice}",
    "How do I get {group} to {action}?",
    "Need a quick way to make sure {outcome}",
    "Struggling with {practice} this {time}",
]
FIRST_NAMES = [
    "Mara", "Jonah", "Aiko", "Luis", "Priya", "Tomasz", "Amara", "Noah", "Fatima", "Chen",
    "Olivia", "Mateo", "Zanele", "Ibrahim", "Sofia", "Kwame", "Hannah", "Ravi", "Elena", "Diego",
    "Yuki", "Grace", "Omar", "Ingrid", "Tariq", "Lucia", "Malik", "Anya", "Samuel", "Leilani",
]  # fmt: skip
LAST_NAMES = [
    "Okafor", "Martín", "Nguyen", "Kowalski", "Haddad", "Sato", "Mensah", "García", "Iyer",
    "Johansson", "Abebe", "Rossi", "Kim", "Fernández", "O'Brien", "Novak", "Tanaka", "Osei",
    "Dubois", "Silva", "Cohen", "Park", "Moreau", "Adeyemi", "Lindqvist", "Reyes", "Hussain",
    "Petrov", "Walker", "Zhang",
]  # fmt: skip
FREE_TAG_WORDS = [
    "formative", "project-based", "cooperative", "inquiry", "visible", "restorative", "blended",
    "outdoor", "trauma-informed", "culturally responsive", "hands-on", "student-led",
    "differentiated", "flipped", "mastery", "standards-based", "game-based", "place-based",
    "collaborative", "reflective",
]  # fmt: skip
FREE_TAG_NOUNS = [
    "assessment", "learning", "feedback", "discussion", "grading", "routines", "writing",
    "reading", "labs", "groups", "homework", "projects", "questioning", "planning", "notes",
    "journals", "games", "portfolios", "talks", "circles", "stations", "rubrics", "tasks",
    "debates", "conferences",
]  # fmt: skip


def _fill(pattern: str, rng: random.Random) -> str:
    practice, practice2 = rng.sample(PRACTICES, 2)
    action, action2 = rng.sample(ACTIONS, 2)
    text = pattern.format(
        practice=practice,
        Practice=practice[0].upper() + practice[1:],
        practice2=practice2,
        group=rng.choice(GROUPS),
        outcome=rng.choice(OUTCOMES),
        action=action,
        action2=action2,
        condition=rng.choice(CONDITIONS),
        time=rng.choice(TIMES),
        result=rng.choice(RESULTS),
    )
    return text[0].upper() + text[1:]


class TextMaker:
    """Makes titles and Markdown bodies of a requested length, deterministically from a seed."""

    def __init__(self, rng: random.Random, pool_size: int = 3000) -> None:
        self.rng = rng
        self.sentences = [_fill(rng.choice(SENTENCES), rng) for _ in range(pool_size)]
        self.questions = [_fill(rng.choice(QUESTIONS), rng) for _ in range(pool_size // 10)]
        self.bullets = [f"- Students {rng.choice(ACTIONS)}." for _ in range(pool_size // 10)] + [
            f"- Check that {rng.choice(CONDITIONS)}." for _ in range(pool_size // 10)
        ]
        self.titles = [_fill(rng.choice(TITLE_PATTERNS), rng) for _ in range(pool_size)]
        self.need_titles = [_fill(rng.choice(NEED_PATTERNS), rng) for _ in range(pool_size)]

    def title(self) -> str:
        return self.rng.choice(self.titles)

    def need_title(self) -> str:
        return self.rng.choice(self.need_titles)

    def body(self, low: int, high: int, *, rich: bool = True) -> str:
        """Markdown between ``low`` and ``high`` characters: paragraphs, and headings and lists
        when ``rich``."""
        rng = self.rng
        target = rng.randint(low, high)
        parts: list[str] = []
        length = 0
        while length < target:
            roll = rng.random()
            if rich and parts and roll < 0.12:
                piece = "## " + rng.choice(HEADINGS)
            elif rich and roll < 0.22:
                piece = "\n".join(rng.sample(self.bullets, rng.randint(2, 4)))
            else:
                sentences = rng.sample(self.sentences, rng.randint(1, 4))
                if rich and rng.random() < 0.2:
                    sentences[0] = f"**{sentences[0]}**"
                piece = " ".join(sentences)
            if length + len(piece) + 2 > high and length >= low:
                break
            parts.append(piece)
            length += len(piece) + 2
        text = "\n\n".join(parts)
        return text[:high]

    def question(self) -> str:
        return self.rng.choice(self.questions)

    def display_name(self, index: int) -> str:
        first = FIRST_NAMES[index % len(FIRST_NAMES)]
        last = LAST_NAMES[(index // len(FIRST_NAMES)) % len(LAST_NAMES)]
        return f"{first} {last}"

    def free_tag_names(self, count: int) -> list[str]:
        names = [f"{word} {noun}" for word in FREE_TAG_WORDS for noun in FREE_TAG_NOUNS]
        self.rng.shuffle(names)
        extra = 0
        while len(names) < count:
            extra += 1
            names.extend(f"{name} {extra}" for name in names[: count - len(names)])
        return names[:count]
