import json
from io import StringIO
from xml.sax.saxutils import quoteattr

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kindling.core.throwaway import CHILD_FLAG
from kindling.expertise.evaluation import query_metrics

pytestmark = pytest.mark.django_db

TOPICS = ["rubric criteria feedback", "choir singing voice", "fractions number line"]


def _rows(tag: str, rows: list[dict[str, object]]) -> str:
    body = "\n".join(
        "  <row " + " ".join(f"{k}={quoteattr(str(v))}" for k, v in row.items()) + " />"
        for row in rows
    )
    return f'<?xml version="1.0" encoding="utf-8"?>\n<{tag}>\n{body}\n</{tag}>\n'


def _write_dump(folder):
    """Ten questions on three topics; member 10+t answers topic t, member 20 answers everything."""
    users = [
        {
            "Id": uid,
            "Reputation": 1,
            "CreationDate": "2021-01-01T00:00:00.000",
            "DisplayName": f"User {uid}",
        }
        for uid in (1, 10, 11, 12, 20)
    ]
    posts, votes, post_id = [], [], 100
    for q in range(10):
        topic = q % 3
        day = f"2021-02-{q + 1:02d}"
        question_id = post_id
        answer_id = post_id + 1
        posts.append(
            {
                "Id": question_id,
                "PostTypeId": 1,
                "CreationDate": f"{day}T09:00:00.000",
                "Score": 1,
                "Body": f"<p>Help with {TOPICS[topic]}</p>",
                "OwnerUserId": 1,
                "Title": f"Question about {TOPICS[topic]}",
                "Tags": f"<topic{topic}>",
                "AnswerCount": 2,
                "CommentCount": 0,
                "AcceptedAnswerId": answer_id,
                "ContentLicense": "CC BY-SA 4.0",
            }
        )
        posts.append(
            {
                "Id": answer_id,
                "PostTypeId": 2,
                "ParentId": question_id,
                "CreationDate": f"{day}T10:00:00.000",
                "Score": 2,
                "Body": f"<p>My take on {TOPICS[topic]}</p>",
                "OwnerUserId": 10 + topic,
                "CommentCount": 0,
                "ContentLicense": "CC BY-SA 4.0",
            }
        )
        posts.append(
            {
                "Id": post_id + 2,
                "PostTypeId": 2,
                "ParentId": question_id,
                "CreationDate": f"{day}T11:00:00.000",
                "Score": 0,
                "Body": "<p>Something general.</p>",
                "OwnerUserId": 20,
                "CommentCount": 0,
                "ContentLicense": "CC BY-SA 4.0",
            }
        )
        votes.append(
            {
                "Id": post_id,
                "PostId": answer_id,
                "VoteTypeId": 2,
                "CreationDate": f"{day}T00:00:00.000",
            }
        )
        post_id += 10
    tags = [{"Id": t + 1, "TagName": f"topic{t}", "Count": 3} for t in range(3)]
    (folder / "Users.xml").write_text(_rows("users", users), encoding="utf-8")
    (folder / "Posts.xml").write_text(_rows("posts", posts), encoding="utf-8")
    (folder / "Votes.xml").write_text(_rows("votes", votes), encoding="utf-8")
    (folder / "Tags.xml").write_text(_rows("tags", tags), encoding="utf-8")
    (folder / "Comments.xml").write_text(_rows("comments", []), encoding="utf-8")
    (folder / "PostLinks.xml").write_text(_rows("postlinks", []), encoding="utf-8")


def test_evaluate_experts_prints_one_json_object_with_metrics_between_0_and_1(
    tmp_path, monkeypatch
):
    _write_dump(tmp_path)
    # The test database is already a throwaway one: run the child's part in this process.
    monkeypatch.setenv(CHILD_FLAG, "1")
    out = StringIO()
    call_command("evaluate_experts", str(tmp_path), stdout=out)
    result = json.loads(out.getvalue().strip().splitlines()[-1])
    assert result["dataset"] == tmp_path.name
    assert result["test_questions"] == 2
    assert result["candidates"] == 4
    for name in ("kindling", "kindling_accepted", "popularity", "bm25"):
        assert set(result[name]) == {"mrr", "p_at_1", "hit_at_5", "hit_at_10", "ndcg_at_10"}
        assert all(0 <= value <= 1 for value in result[name].values())
    assert result["latency_ms"]["p50"] >= 0
    assert result["kindling"]["hit_at_5"] == 1.0


def test_evaluate_experts_refuses_a_folder_without_posts(tmp_path):
    with pytest.raises(CommandError):
        call_command("evaluate_experts", str(tmp_path))


def test_metrics_of_one_ranking():
    metrics = query_metrics([5, 7, 9], {7})
    assert metrics["mrr"] == 0.5
    assert metrics["p_at_1"] == 0.0
    assert metrics["hit_at_5"] == 1.0
    assert query_metrics([5], {7})["mrr"] == 0.0
