import random
import time
from datetime import UTC, datetime, timedelta

from kindling.expertise.ranking import Candidate, HelpQuery, TagStats, rank_helpers

NOW = datetime(2026, 3, 1, tzinfo=UTC)


def _rubric_expert() -> Candidate:
    return Candidate(
        user_id=1,
        display_name="Rubric expert",
        tags={
            "formative-assessment": TagStats(
                "formative assessment", score=30.0, responses=9, helpful=4
            )
        },
        terms={"rubric": 12, "criteria": 5, "feedback": 4},
        doc_length=80,
        responses=9,
        last_active_at=NOW - timedelta(days=2),
        activity=3.0,
        activity_computed_at=NOW - timedelta(days=1),
    )


def _newcomer() -> Candidate:
    return Candidate(
        user_id=2,
        display_name="Newcomer",
        terms={"music": 3, "choir": 2},
        doc_length=20,
        responses=1,
        last_active_at=NOW - timedelta(days=200),
        activity=0.01,
        activity_computed_at=NOW - timedelta(days=1),
    )


def test_the_member_with_evidence_in_the_tags_and_words_ranks_first():
    query = HelpQuery(
        text="How do I write a rubric with clear criteria?", tags=["formative-assessment"]
    )
    ranked = rank_helpers(query, [_newcomer(), _rubric_expert()], now=NOW)
    assert [s.user_id for s in ranked] == [1, 2]
    assert ranked[0].score > ranked[1].score


def test_reasons_say_in_plain_words_why_someone_is_suggested():
    query = HelpQuery(text="rubric for a science project", tags=["formative-assessment"])
    top = rank_helpers(query, [_rubric_expert()], now=NOW)[0]
    assert top.reasons == [
        "answered 9 needs tagged formative assessment, 4 marked helpful",
        "wrote about rubric recently",
        "active this week",
    ]


def test_the_member_who_answered_more_needs_in_the_tags_ranks_above_a_much_voted_one():
    # Two members alike in everything but their record in the need's tag: one wrote two answers
    # that drew many votes, the other answered twelve needs there. Who answers next is best
    # told by who has answered such needs, so the votes do not put the first ahead.
    def member(user_id: int, stats: TagStats) -> Candidate:
        return Candidate(
            user_id=user_id,
            display_name=f"Member {user_id}",
            tags={"staking": stats},
            terms={"pool": 2, "reward": 2},
            doc_length=40,
            responses=12,
            last_active_at=NOW - timedelta(days=3),
            activity=1.0,
            activity_computed_at=NOW,
        )

    acclaimed = member(1, TagStats("staking", score=41.0, responses=2, useful_votes=40))
    steady = member(2, TagStats("staking", score=6.0, responses=12))
    query = HelpQuery(text="Why did my pool get no reward this epoch?", tags=["staking"])
    ranked = rank_helpers(query, [acclaimed, steady], now=NOW)
    assert [s.user_id for s in ranked] == [2, 1]
    assert ranked[0].reasons[0] == "answered 12 needs tagged staking"


def test_limit_caps_the_number_of_suggestions():
    query = HelpQuery(text="rubric")
    assert len(rank_helpers(query, [_rubric_expert(), _newcomer()], limit=1, now=NOW)) == 1
    assert rank_helpers(query, [], now=NOW) == []


def test_four_thousand_candidates_rank_quickly_and_sensibly():
    rng = random.Random(7)
    vocabulary = [f"word{i}" for i in range(3000)]
    candidates = [
        Candidate(
            user_id=i + 10,
            display_name=f"Member {i}",
            tags={"science": TagStats("science", rng.random() * 5, responses=rng.randint(0, 5))},
            terms={w: rng.randint(1, 4) for w in rng.sample(vocabulary, 200)},
            doc_length=500,
            responses=rng.randint(1, 50),
            last_active_at=NOW - timedelta(days=rng.randint(0, 400)),
            activity=rng.random(),
            activity_computed_at=NOW,
        )
        for i in range(4000)
    ]
    candidates.append(_rubric_expert())
    query = HelpQuery(
        text="rubric criteria feedback " + " ".join(rng.sample(vocabulary, 20)),
        tags=["formative-assessment", "science"],
    )
    started = time.perf_counter()
    ranked = rank_helpers(query, candidates, now=NOW)
    elapsed_ms = (time.perf_counter() - started) * 1000
    print(f"ranked 4,001 candidates in {elapsed_ms:.1f} ms")
    assert ranked[0].user_id == 1
    assert len(ranked) == 10
    scores = [s.score for s in ranked]
    assert scores == sorted(scores, reverse=True)
