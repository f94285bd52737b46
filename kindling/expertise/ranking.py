"""Who can help with a need: rank members from plain data. No Django here.

Four signals, each scaled to [0, 1] across the candidates of one query so no unit
dominates by accident, then added with fixed weights:

- tag expertise: the square root of the candidate's computed expertise (``scoring``) summed
  over the query's tags;
- text fit: BM25 of the query against everything the candidate has written in answers and the
  needs they answered (their "text profile", stored as term frequencies);
- activity: the square root of their contributions, each halving in weight every 30 days,
  carried to ``now``; people who have been answering lately are likely to answer now;
- experience: log(1 + responses written), a small prior;
- similar needs (optional, with the semantic extra): how much the candidate answered needs whose
  meaning is close to the query's, computed by the app layer (``similar_needs``) and passed in.

Ranking 4,000 candidates costs a dictionary lookup per query word per candidate, so it stays
well under 50 ms; reasons (plain words) are written for the returned suggestions only.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from kindling.expertise.bm25 import K1, B, idf, tokenize
from kindling.expertise.scoring import activity_at

# Recent activity carries the most weight: in a community, who answers next is above all who
# has been answering lately; expertise and words then pick among them. Set once on a
# development dump (see evaluate_experts), not tuned per community.
WEIGHT_TAGS = 0.20
WEIGHT_TEXT = 0.20
WEIGHT_ACTIVITY = 0.55
WEIGHT_EXPERIENCE = 0.05
# Added on top when semantic similarity is on: answers to needs like this one say what words
# alone miss (synonyms, other phrasings). Checked with evaluate_experts, not tuned per community.
WEIGHT_SIMILAR = 0.2
# "Answered needs like this one" is said of candidates with at least this share of the best fit.
SIMILAR_REASON = 0.5


@dataclass(frozen=True)
class TagStats:
    """A candidate's expertise in one tag."""

    name: str
    score: float
    responses: int = 0
    helpful: int = 0
    useful_votes: int = 0
    built_on: int = 0


@dataclass(frozen=True)
class HelpQuery:
    """What is asked: free text (title and details) and tag keys (slugs)."""

    text: str
    tags: Sequence[str] = ()


@dataclass
class Candidate:
    """A member who might help, as plain data."""

    user_id: int
    display_name: str
    tags: Mapping[str, TagStats] = field(default_factory=dict)
    terms: Mapping[str, int] = field(default_factory=dict)
    doc_length: int = 0
    responses: int = 0
    last_active_at: datetime | None = None
    # Contributions halving every 30 days, summed as of ``activity_computed_at``.
    activity: float = 0.0
    activity_computed_at: datetime | None = None


@dataclass
class Suggestion:
    user_id: int
    score: float
    reasons: list[str]
    display_name: str = ""


def _answered(count: int, tag: str, helpful: int) -> str:
    needs = "need" if count == 1 else "needs"
    text = f"answered {count} {needs} tagged {tag}"
    return f"{text}, {helpful} marked helpful" if helpful else text


def _built_on(count: int, tag: str) -> str:
    times = "once" if count == 1 else f"{count} times"
    return f"others built on their resources in {tag} {times}"


def _wrote_about(term: str, recently: bool) -> str:
    return f"wrote about {term} recently" if recently else f"wrote about {term}"


def _active(days: int) -> str:
    return "active this week" if days <= 7 else "active this month"


def _answered_similar() -> str:
    return "answered needs like this one"


@dataclass(frozen=True)
class Phrasebook:
    """How reasons are worded; the app layer passes translated wordings."""

    answered: Callable[[int, str, int], str] = _answered
    built_on: Callable[[int, str], str] = _built_on
    wrote_about: Callable[[str, bool], str] = _wrote_about
    active: Callable[[int], str] = _active
    answered_similar: Callable[[], str] = _answered_similar


ENGLISH = Phrasebook()


def rank_helpers(
    query: HelpQuery,
    candidates: Sequence[Candidate],
    *,
    limit: int | None = 10,
    now: datetime,
    phrases: Phrasebook = ENGLISH,
    explain_top: int | None = None,
    similar_needs: Mapping[int, float] | None = None,
) -> list[Suggestion]:
    """The ``limit`` candidates best able to help with ``query`` (all of them if None).

    Reasons are written for the first ``explain_top`` suggestions (all returned ones if None).
    ``similar_needs`` (user id → fit, see the module docstring) adds the semantic signal.
    """
    if not candidates:
        return []
    tag_words = " ".join(t.replace("-", " ") for t in query.tags)
    query_terms = Counter(tokenize(f"{query.text} {tag_words}"))

    # Document frequencies for the query's words only: one lookup per word per candidate.
    document_frequency = dict.fromkeys(query_terms, 0)
    total_length = 0
    words = list(query_terms)
    for candidate in candidates:
        total_length += candidate.doc_length
        for term in filter(candidate.terms.__contains__, words):
            document_frequency[term] += 1
    n = len(candidates)
    average_length = total_length / n or 1.0
    weights = {
        term: count * idf(n, document_frequency[term])
        for term, count in query_terms.items()
        if document_frequency[term]
    }

    text_raw: list[float] = []
    tag_raw: list[float] = []
    activity_raw: list[float] = []
    experience_raw: list[float] = []
    query_words = list(weights)
    query_tags = list(query.tags)
    sqrt, log1p = math.sqrt, math.log1p
    # Activity is usually computed at one moment for everyone: decay once per distinct moment.
    carried: dict[datetime | None, float] = {}
    for candidate in candidates:
        terms = candidate.terms
        text = 0.0
        # filter() with a bound __contains__ keeps the per-word loop in C; few words match.
        matched = list(filter(terms.__contains__, query_words))
        if matched:
            norm = K1 * (1 - B + B * candidate.doc_length / average_length)
            for term in matched:
                tf = terms[term]
                text += weights[term] * tf * (K1 + 1) / (tf + norm)
        text_raw.append(text)
        tags = candidate.tags
        if tags:
            tag_raw.append(sqrt(sum(tags[t].score for t in query_tags if t in tags)))
        else:
            tag_raw.append(0.0)
        at = candidate.activity_computed_at
        factor = carried.get(at)
        if factor is None:
            factor = carried[at] = activity_at(1.0, at, now)
        activity_raw.append(sqrt(max(candidate.activity * factor, 0.0)))
        experience_raw.append(log1p(candidate.responses))

    # Each signal divided by its largest value across candidates, then weighted: one
    # multiplication per signal.
    w_text, w_tag, w_active, w_exp = (
        weight / top if top > 0 else 0.0
        for weight, top in (
            (WEIGHT_TEXT, max(text_raw)),
            (WEIGHT_TAGS, max(tag_raw)),
            (WEIGHT_ACTIVITY, max(activity_raw)),
            (WEIGHT_EXPERIENCE, max(experience_raw)),
        )
    )
    scores = [
        w_text * text + w_tag * tag + w_active * active + w_exp * exp
        for text, tag, active, exp in zip(
            text_raw, tag_raw, activity_raw, experience_raw, strict=True
        )
    ]
    similar = similar_needs or {}
    top_similar = max((similar.get(c.user_id, 0.0) for c in candidates), default=0.0)
    if top_similar > 0:
        w_similar = WEIGHT_SIMILAR / top_similar
        scores = [
            score + w_similar * similar.get(c.user_id, 0.0)
            for score, c in zip(scores, candidates, strict=True)
        ]
    # Best first, ties by user id; tuples compare in C, and only ``limit`` are fully sorted.
    keyed = zip([-s for s in scores], [c.user_id for c in candidates], range(n), strict=True)
    best = sorted(keyed) if limit is None else heapq.nsmallest(limit, keyed)
    order = [i for _score, _uid, i in best]
    return [
        Suggestion(
            user_id=candidates[i].user_id,
            score=scores[i],
            reasons=(
                explain(
                    query,
                    candidates[i],
                    weights,
                    now=now,
                    phrases=phrases,
                    similar=similar.get(candidates[i].user_id, 0.0) / top_similar
                    if top_similar > 0
                    else 0.0,
                )
                if explain_top is None or rank < explain_top
                else []
            ),
            display_name=candidates[i].display_name,
        )
        for rank, i in enumerate(order)
    ]


def explain(
    query: HelpQuery,
    candidate: Candidate,
    term_weights: Mapping[str, float],
    *,
    now: datetime,
    phrases: Phrasebook = ENGLISH,
    similar: float = 0.0,
) -> list[str]:
    """Plain-words reasons for suggesting ``candidate``: tags, words, similar needs answered
    (``similar``: their fit as a share of the best candidate's), activity."""
    reasons: list[str] = []
    in_tags = [candidate.tags[t] for t in query.tags if t in candidate.tags]
    answered = sorted(
        (s for s in in_tags if s.responses), key=lambda s: (-s.helpful, -s.responses, s.name)
    )
    if answered:
        best = answered[0]
        reasons.append(phrases.answered(best.responses, best.name, best.helpful))
    built = sorted((s for s in in_tags if s.built_on), key=lambda s: -s.built_on)
    if built:
        reasons.append(phrases.built_on(built[0].built_on, built[0].name))
    matching = [t for t in term_weights if candidate.terms.get(t)]
    recent = bool(candidate.last_active_at and now - candidate.last_active_at <= timedelta(days=90))
    if matching:
        best_term = max(matching, key=lambda t: (term_weights[t] * candidate.terms[t], t))
        reasons.append(phrases.wrote_about(best_term, recent))
    if similar >= SIMILAR_REASON:
        reasons.append(phrases.answered_similar())
    if candidate.last_active_at is not None:
        days = (now - candidate.last_active_at).days
        if 0 <= days <= 31:
            reasons.append(phrases.active(days))
    return reasons
