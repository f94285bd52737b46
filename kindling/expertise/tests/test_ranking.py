import random
import time
from datetime import UTC, datetime, timedelta

from kindling.expertise.ranking import (
    Candidate,
    HelperIndex,
    HelpQuery,
    TagStats,
    TagTable,
    rank_helpers,
)

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


def _table_candidates() -> list[Candidate]:
    return [
        Candidate(user_id=uid, display_name=f"Member {uid}", terms={"rubric": 1}, doc_length=5)
        for uid in (7, 3, 11)  # not in id order: positions must follow the index, not the ids
    ]


def test_a_tag_table_column_lays_out_each_indexed_members_record():
    index = HelperIndex(_table_candidates())
    # (tag id, user id, score, responses, helpful, useful votes, built on); member 99 has no
    # helper profile and is left out.
    table = TagTable(
        [
            (5, 11, 4.0, 3, 1, 2, 0),
            (5, 3, 9.0, 6, 2, 0, 1),
            (6, 7, 1.0, 1, 0, 0, 0),
            (5, 99, 1, 1, 0, 0, 0),
        ],
        {5: "rubrics", 6: "music"},
    )
    column = table.column(index, [5])
    # Positions follow the index (members 7, 3, 11); helped = needs answered + built on.
    by_position = dict(zip(column.positions.tolist(), column.helped.tolist(), strict=True))
    assert by_position == {1: 7.0, 2: 3.0}
    assert dict(column.stats) == {
        11: TagStats("rubrics", 4.0, 3, 1, 2, 0),
        3: TagStats("rubrics", 9.0, 6, 2, 0, 1),
    }
    assert 7 not in column.stats
    assert 99 not in column.stats
    assert "3" not in column.stats
    assert table.column(index, [42]).positions.size == 0  # a tag nobody has expertise in


def test_tags_sharing_a_slug_keep_each_members_stronger_record():
    index = HelperIndex(_table_candidates())
    table = TagTable(
        [(5, 3, 2.0, 2, 0, 0, 0), (6, 3, 8.0, 5, 1, 0, 0), (6, 7, 1.0, 1, 0, 0, 0)],
        {5: "Science (subject)", 6: "science"},
    )
    column = table.column(index, [5, 6])
    assert column.stats[3] == TagStats("science", 8.0, 5, 1, 0, 0)
    assert sorted(column.stats) == [3, 7]
    assert sorted(column.helped.tolist()) == [1.0, 5.0]
    ranked = index.rank(HelpQuery(text="", tags=["science"]), tags={"science": column}, now=NOW)
    assert [s.user_id for s in ranked][:2] == [3, 7]
    assert ranked[0].reasons[0] == "answered 5 needs tagged science, 1 marked helpful"


def test_the_similar_needs_fit_may_be_given_as_a_function_called_once():
    query = HelpQuery(text="music for a choir", tags=[])
    candidates = [_rubric_expert(), _newcomer()]
    words_only = rank_helpers(query, candidates, now=NOW)
    calls = []

    def fit() -> dict[int, float]:
        calls.append(1)
        return {1: 5.0}

    given = rank_helpers(query, candidates, now=NOW, similar_needs={1: 5.0})
    asked = rank_helpers(query, candidates, now=NOW, similar_needs=fit)
    assert calls == [1]
    assert [(s.user_id, s.score, s.reasons) for s in asked] == [
        (s.user_id, s.score, s.reasons) for s in given
    ]
    assert asked[0].score != next(s.score for s in words_only if s.user_id == asked[0].user_id)
    assert rank_helpers(query, candidates, now=NOW, similar_needs=lambda: None)[0].score == (
        words_only[0].score
    )
