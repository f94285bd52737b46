"""Who can help with a need: rank members from plain data. No Django here.

Four signals, each scaled to [0, 1] across the candidates of one query so no unit
dominates by accident, then added with fixed weights:

- tag record: the square root of the help the candidate gave in the query's tags (needs they
  answered there and resources of theirs others built on, the facts the reasons state), summed
  over the tags. It counts acts of help, not the vote-weighted expertise score (``scoring``,
  shown on profiles): who answers next is predicted by who has answered needs in the tags, while
  votes pile up on a few popular answers and say more about acclaim than about who will answer;
- text fit: BM25 of the query against everything the candidate has written in answers and the
  needs they answered (their "text profile", stored as term frequencies);
- activity: the square root of their contributions, each halving in weight every 30 days,
  carried to ``now``; people who have been answering lately are likely to answer now;
- experience: log(1 + responses written), a small prior;
- similar needs (optional, with the semantic extra): how much the candidate answered needs whose
  meaning is close to the query's, computed by the app layer (``similar_needs``) and passed in.

Candidates are prepared once into a ``HelperIndex`` (an inverted index of their text profiles
and arrays of the other signals, built with numpy), so ranking ten thousand members costs one
vector operation per query word; reasons (plain words) are written for the returned
suggestions only. Plain data in, plain data out: no Django here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from itertools import chain

import numpy as np
import numpy.typing as npt

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

# User id → how much they answered needs like the query's, or a function giving it (or None).
SimilarNeeds = Mapping[int, float] | Callable[[], Mapping[int, float] | None] | None


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
class TagColumn:
    """Candidates' record in one tag: by user id, and as arrays for scoring
    (``TagTable.column`` makes one). ``helped``: needs answered plus resources built on
    in the tag, per position."""

    stats: Mapping[int, TagStats]
    positions: npt.NDArray[np.int64]
    helped: npt.NDArray[np.float64]


class TagTable:
    """Every member's expertise in every tag, as arrays sorted by tag and member, so a need's
    tags cost a slice each rather than a query (about 40 bytes a row).

    ``rows``: (tag id, user id, score, responses, helpful, useful votes, built on);
    ``names``: tag id → name, for the reasons.
    """

    def __init__(
        self,
        rows: Sequence[tuple[int, int, float, int, int, int, int]],
        names: Mapping[int, str],
    ) -> None:
        values = chain.from_iterable(rows)  # np.array over tuples costs ten times as much
        data = np.fromiter(values, np.float64, 7 * len(rows)).reshape(-1, 7)
        data = data[np.lexsort((data[:, 1], data[:, 0]))]
        self.tag_ids = data[:, 0].astype(np.int64)
        self.user_ids = data[:, 1].astype(np.int64)
        self.scores = data[:, 2].copy()
        self.counts = data[:, 3:].astype(np.int64)  # responses, helpful, votes, built on
        self.names = dict(names)

    def __len__(self) -> int:
        return len(self.tag_ids)

    def column(self, index: HelperIndex, tag_ids: Sequence[int]) -> TagColumn:
        """Candidates' records in one tag, which may be several tags sharing a slug (each
        member's strongest of them kept), laid out for ``index.rank``."""
        spans = [
            np.arange(
                np.searchsorted(self.tag_ids, tag_id, "left"),
                np.searchsorted(self.tag_ids, tag_id, "right"),
            )
            for tag_id in dict.fromkeys(tag_ids)
        ]
        rows = np.concatenate(spans) if spans else np.zeros(0, np.int64)
        if len(spans) > 1:  # by member, strongest first; then each member's first row
            rows = rows[np.lexsort((-self.scores[rows], self.user_ids[rows]))]
            users = self.user_ids[rows]
            rows = rows[np.r_[True, users[1:] != users[:-1]]] if len(rows) else rows
        positions, found = index.locate(self.user_ids[rows])
        rows = rows[found]
        return TagColumn(
            stats=_TableStats(self, rows),
            positions=positions,
            # What the tag signal counts: needs answered there plus resources others built on.
            helped=(self.counts[rows, 0] + self.counts[rows, 3]).astype(np.float64),
        )


class _TableStats(Mapping[int, TagStats]):
    """User id → ``TagStats`` for some rows of a ``TagTable`` (sorted by user id), made only
    for the members whose reasons are written."""

    def __init__(self, table: TagTable, rows: npt.NDArray[np.int64]) -> None:
        self._table = table
        self._rows = rows
        self._users = table.user_ids[rows]

    def _row(self, user_id: object) -> int | None:
        if not isinstance(user_id, int | np.integer):
            return None
        i = int(np.searchsorted(self._users, user_id))
        return int(self._rows[i]) if i < len(self._users) and self._users[i] == user_id else None

    def __getitem__(self, user_id: int) -> TagStats:
        row = self._row(user_id)
        if row is None:
            raise KeyError(user_id)
        t = self._table
        responses, helpful, votes, built = (int(v) for v in t.counts[row])
        name = t.names.get(int(t.tag_ids[row]), "")
        return TagStats(name, float(t.scores[row]), responses, helpful, votes, built)

    def __contains__(self, user_id: object) -> bool:
        return self._row(user_id) is not None

    def __iter__(self) -> Iterator[int]:
        return (int(uid) for uid in self._users)

    def __len__(self) -> int:
        return len(self._users)


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


class HelperIndex:
    """Candidates prepared once for many queries: their text profiles as an inverted index.

    Built once per process (the app layer keeps it until a profile changes), so a query costs
    one vector operation per query word over the members who used it, not a dictionary lookup
    per word per candidate. Document frequencies and the average profile length are taken over
    every indexed candidate; excluded members (the asker, blocks) are left out of the ranking
    and of each signal's scale, never out of these statistics, so they never change what
    anyone else scores.
    """

    def __init__(self, candidates: Sequence[Candidate]) -> None:
        self.candidates = list(candidates)
        n = len(self.candidates)
        self.positions = {c.user_id: i for i, c in enumerate(self.candidates)}
        self.user_ids = np.fromiter((c.user_id for c in self.candidates), np.int64, n)
        self._by_user = np.argsort(self.user_ids, kind="stable")
        self._sorted_users = self.user_ids[self._by_user]
        lengths = np.fromiter((c.doc_length for c in self.candidates), np.float64, n)
        self.average_length = float(lengths.sum()) / n if n and lengths.sum() else 1.0
        norm = K1 * (1 - B + B * lengths / self.average_length)
        # Postings: every (term, candidate, frequency), grouped by term.
        vocabulary: dict[str, int] = {}
        term_ids: list[int] = []
        frequencies: list[int] = []
        counts = np.zeros(n, np.int64)
        for i, candidate in enumerate(self.candidates):
            terms = candidate.terms
            term_ids.extend([vocabulary.setdefault(term, len(vocabulary)) for term in terms])
            frequencies.extend(terms.values())
            counts[i] = len(terms)
        term_array = np.array(term_ids, np.int64)
        by_term = np.argsort(term_array, kind="stable")
        owners = np.repeat(np.arange(n, dtype=np.int64), counts)[by_term]
        tf = np.array(frequencies, np.float64)[by_term]
        # BM25's saturated term frequency, per posting: only the idf depends on the query.
        self.owners = owners
        self.saturated = tf * (K1 + 1) / (tf + norm[owners]) if len(tf) else tf
        starts = np.searchsorted(term_array[by_term], np.arange(len(vocabulary) + 1))
        self.spans = {term: (int(starts[i]), int(starts[i + 1])) for term, i in vocabulary.items()}
        self.experience = np.log1p(
            np.fromiter((c.responses for c in self.candidates), np.float64, n)
        )
        self.activity = np.fromiter((c.activity for c in self.candidates), np.float64, n)
        # Activity is usually computed at one moment for everyone: decay once per moment.
        moments: dict[datetime | None, int] = {}
        self.moment_of = np.fromiter(
            (moments.setdefault(c.activity_computed_at, len(moments)) for c in self.candidates),
            np.int64,
            n,
        )
        self.moments = list(moments)

    def __len__(self) -> int:
        return len(self.candidates)

    def locate(
        self, user_ids: npt.NDArray[np.int64]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
        """Positions of the indexed members among ``user_ids``, and which of them are indexed."""
        if not len(self.candidates):
            return np.zeros(0, np.int64), np.zeros(len(user_ids), bool)
        where = np.minimum(np.searchsorted(self._sorted_users, user_ids), len(self.candidates) - 1)
        found = self._sorted_users[where] == user_ids
        return self._by_user[where[found]], found

    def rank(
        self,
        query: HelpQuery,
        *,
        tags: Mapping[str, TagColumn] | None = None,
        exclude: Iterable[int] = (),
        limit: int | None = 10,
        now: datetime,
        phrases: Phrasebook = ENGLISH,
        explain_top: int | None = None,
        similar_needs: SimilarNeeds = None,
    ) -> list[Suggestion]:
        """The ``limit`` candidates best able to help with ``query`` (all of them if None).

        ``tags``: candidates' record in each of the query's tags (slug → column).
        Reasons are written for the first ``explain_top`` suggestions (all returned if None).
        ``similar_needs`` (user id → fit, see the module docstring) adds the semantic signal;
        given as a function, it is called once the other signals are computed (so the caller
        can have the query encoded meanwhile).
        """
        n = len(self.candidates)
        kept = np.ones(n, bool)
        for uid in exclude:
            position = self.positions.get(uid)
            if position is not None:
                kept[position] = False
        if not kept.any():
            return []
        tag_words = " ".join(t.replace("-", " ") for t in query.tags)
        query_terms = Counter(tokenize(f"{query.text} {tag_words}"))

        text = np.zeros(n)
        weights: dict[str, float] = {}
        for term, count in query_terms.items():
            span = self.spans.get(term)
            if span is None:
                continue
            start, end = span
            weights[term] = weight = count * idf(n, end - start)
            # A term's postings name each candidate once, so this adds, never overwrites.
            text[self.owners[start:end]] += weight * self.saturated[start:end]

        columns = [
            column for slug in dict.fromkeys(query.tags) if (column := (tags or {}).get(slug))
        ]
        tag = np.zeros(n)
        for column in columns:
            tag[column.positions] += column.helped
        tag = np.sqrt(tag)

        factors = np.array([activity_at(1.0, moment, now) for moment in self.moments])
        active = np.sqrt(np.maximum(self.activity * factors[self.moment_of], 0.0))

        similar = (similar_needs() if callable(similar_needs) else similar_needs) or {}
        fit = np.zeros(n)
        for uid, value in similar.items():
            position = self.positions.get(uid)
            if position is not None:
                fit[position] = value

        # Each signal divided by its largest value among the ranked candidates, then weighted.
        scores = np.zeros(n)
        for weight, signal in (
            (WEIGHT_TEXT, text),
            (WEIGHT_TAGS, tag),
            (WEIGHT_ACTIVITY, active),
            (WEIGHT_EXPERIENCE, self.experience),
        ):
            top = float(signal[kept].max())
            if top > 0:
                scores += (weight / top) * signal
        top_similar = float(fit[kept].max())
        if top_similar > 0:
            scores += (WEIGHT_SIMILAR / top_similar) * fit

        # Best first, ties by user id; only the best ``limit`` are sorted.
        ranked = np.flatnonzero(kept)
        if limit is not None and limit < len(ranked):
            threshold = np.partition(-scores[ranked], limit - 1)[limit - 1]
            ranked = ranked[-scores[ranked] <= threshold]
        ranked = ranked[np.lexsort((self.user_ids[ranked], -scores[ranked]))]
        if limit is not None:
            ranked = ranked[:limit]
        suggestions = []
        for place, i in enumerate(ranked.tolist()):
            candidate = self.candidates[i]
            reasons: list[str] = []
            if explain_top is None or place < explain_top:
                uid = candidate.user_id
                in_tags = {
                    slug: column.stats[uid]
                    for slug, column in (tags or {}).items()
                    if uid in column.stats
                }
                reasons = explain(
                    query,
                    replace(candidate, tags=in_tags) if in_tags else candidate,
                    weights,
                    now=now,
                    phrases=phrases,
                    similar=fit[i] / top_similar if top_similar > 0 else 0.0,
                )
            suggestions.append(
                Suggestion(
                    user_id=candidate.user_id,
                    score=float(scores[i]),
                    reasons=reasons,
                    display_name=candidate.display_name,
                )
            )
        return suggestions


def rank_helpers(
    query: HelpQuery,
    candidates: Sequence[Candidate],
    *,
    limit: int | None = 10,
    now: datetime,
    phrases: Phrasebook = ENGLISH,
    explain_top: int | None = None,
    similar_needs: SimilarNeeds = None,
) -> list[Suggestion]:
    """Rank ``candidates`` (with their tags) once; see ``HelperIndex.rank``."""
    if not candidates:
        return []
    index = HelperIndex(candidates)
    slugs = list(dict.fromkeys(query.tags))  # each numbered as a tag of its own
    table = TagTable(
        [
            (i, c.user_id, s.score, s.responses, s.helpful, s.useful_votes, s.built_on)
            for i, slug in enumerate(slugs)
            for c in candidates
            if (s := c.tags.get(slug))
        ],
        {
            i: c.tags[slug].name
            for i, slug in enumerate(slugs)
            for c in candidates
            if slug in c.tags
        },
    )
    return index.rank(
        query,
        tags={slug: table.column(index, [i]) for i, slug in enumerate(slugs)},
        limit=limit,
        now=now,
        phrases=phrases,
        explain_top=explain_top,
        similar_needs=similar_needs,
    )


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
