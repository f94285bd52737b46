from datetime import UTC, datetime, timedelta

import pytest

from kindling.expertise.scoring import (
    Evidence,
    EvidenceKind,
    activity_at,
    activity_mass,
    decay,
    score_evidence,
)

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def test_evidence_loses_half_its_weight_each_year():
    assert decay(NOW, NOW) == 1.0
    assert decay(NOW - timedelta(days=365), NOW) == pytest.approx(0.5)


def test_helpful_responses_count_more_than_plain_responses():
    rows = score_evidence(
        [
            Evidence(1, 10, EvidenceKind.HELPFUL, NOW),
            Evidence(2, 10, EvidenceKind.RESPONSE, NOW),
        ],
        now=NOW,
    )
    by_user = {row.user_id: row for row in rows}
    assert by_user[1].score > by_user[2].score
    assert by_user[1].helpful_responses == 1
    assert by_user[2].responses == 1


def test_evidence_is_kept_per_member_and_tag_with_its_counts():
    rows = score_evidence(
        [
            Evidence(1, 10, EvidenceKind.USEFUL_VOTE, NOW - timedelta(days=3), count=4),
            Evidence(1, 10, EvidenceKind.BUILT_ON, NOW - timedelta(days=1)),
            Evidence(1, 11, EvidenceKind.RESPONSE, NOW),
        ],
        now=NOW,
    )
    by_tag = {row.tag_id: row for row in rows}
    assert by_tag[10].useful_votes == 4
    assert by_tag[10].built_on == 1
    assert by_tag[10].last_evidence_at == NOW - timedelta(days=1)
    assert by_tag[11].responses == 1


def test_old_evidence_counts_less_than_recent_evidence():
    old, new = score_evidence(
        [
            Evidence(1, 10, EvidenceKind.HELPFUL, NOW - timedelta(days=800)),
            Evidence(2, 10, EvidenceKind.HELPFUL, NOW - timedelta(days=10)),
        ],
        now=NOW,
    )
    assert old.score < new.score


def test_activity_carried_forward_equals_activity_computed_later():
    dates = [NOW - timedelta(days=d) for d in (1, 5, 40)]
    later = NOW + timedelta(days=20)
    assert activity_at(activity_mass(dates, at=NOW), NOW, later) == pytest.approx(
        activity_mass(dates, at=later)
    )


def test_no_evidence_means_no_rows():
    assert score_evidence([], now=NOW) == []
