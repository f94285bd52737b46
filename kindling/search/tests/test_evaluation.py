"""The related-content evaluation: its metrics, BM25, and the command on a tiny dump."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from kindling.search.bm25 import BM25
from kindling.search.evaluation import RankingScores, ndcg_at, percentile, reciprocal_rank

USERS = """<?xml version="1.0" encoding="utf-8"?>
<users>
  <row Id="1" DisplayName="Ana" CreationDate="2021-01-01T00:00:00.000" />
  <row Id="2" DisplayName="Ben" CreationDate="2021-01-01T00:00:00.000" />
</users>
"""

POSTS = """<?xml version="1.0" encoding="utf-8"?>
<posts>
  <row Id="1" PostTypeId="1" CreationDate="2021-02-01T00:00:00.000" OwnerUserId="1"
       Title="How do I stake my tokens in a pool?" Body="&lt;p&gt;Staking pools confuse me.&lt;/p&gt;"
       Tags="&lt;staking&gt;" ContentLicense="CC BY-SA 4.0" />
  <row Id="2" PostTypeId="2" ParentId="1" CreationDate="2021-02-02T00:00:00.000" OwnerUserId="2"
       Body="&lt;p&gt;Delegate them from your wallet.&lt;/p&gt;" ContentLicense="CC BY-SA 4.0" />
  <row Id="3" PostTypeId="1" CreationDate="2021-02-03T00:00:00.000" OwnerUserId="2"
       Title="Minting a token with a policy script" Body="&lt;p&gt;Native tokens.&lt;/p&gt;"
       Tags="&lt;native-tokens&gt;" ContentLicense="CC BY-SA 4.0" />
  <row Id="4" PostTypeId="1" CreationDate="2021-03-01T00:00:00.000" OwnerUserId="1"
       Title="Which stake pool should I delegate to?" Body="&lt;p&gt;Choosing a pool for staking.&lt;/p&gt;"
       Tags="&lt;staking&gt;" ContentLicense="CC BY-SA 4.0" />
</posts>
"""

LINKS = """<?xml version="1.0" encoding="utf-8"?>
<postlinks>
  <row Id="1" CreationDate="2021-03-02T00:00:00.000" PostId="4" RelatedPostId="1" LinkTypeId="3" />
  <row Id="2" CreationDate="2021-03-02T00:00:00.000" PostId="1" RelatedPostId="4" LinkTypeId="1" />
</postlinks>
"""


def test_bm25_ranks_the_document_with_the_rarer_shared_word_first() -> None:
    index = BM25([["pool", "staking"], ["token", "minting"], ["pool", "party"]])
    assert index.rank(["staking", "pool"], 10) == [0, 2]
    assert index.rank(["absent"], 10) == []


def test_metrics_follow_their_definitions() -> None:
    assert reciprocal_rank(["a", "b", "c"], {"c"}) == pytest.approx(1 / 3)
    assert ndcg_at(["x", "a"], {"a"}, 10) == pytest.approx(1 / 1.584962500721156)
    scores = RankingScores()
    scores.add(["a"], {"a"})
    scores.add(["b"], {"a"})
    assert scores.summary() == {
        "mrr": 0.5,
        "recall_at_10": 0.5,
        "hit_at_10": 0.5,
        "ndcg_at_10": 0.5,
    }
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.0


@pytest.mark.django_db
def test_evaluate_related_prints_one_json_object_last(tmp_path: Path) -> None:
    (tmp_path / "Users.xml").write_text(USERS, encoding="utf-8")
    (tmp_path / "Posts.xml").write_text(POSTS, encoding="utf-8")
    (tmp_path / "PostLinks.xml").write_text(LINKS, encoding="utf-8")
    out = StringIO()
    call_command("evaluate_related", str(tmp_path), stdout=out, stderr=StringIO())
    result = json.loads(out.getvalue().strip().splitlines()[-1])
    assert set(result) == {"dataset", "queries", "kindling", "bm25", "latency_ms"}
    assert result["queries"] == 1  # only the link to an earlier question counts
    metrics = {"mrr", "recall_at_10", "hit_at_10", "ndcg_at_10"}
    assert set(result["kindling"]) == metrics
    assert set(result["bm25"]) == metrics
    assert result["kindling"]["hit_at_10"] == 1.0
    assert set(result["latency_ms"]) == {"p50", "p95"}
