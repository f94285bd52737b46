"""Small dumps written for each test: mapping, reruns, cut-offs and broken input."""

from __future__ import annotations

from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kindling.accounts.models import User
from kindling.commons.models import Comment, Need, Response, Tag, UsefulVote
from kindling.integrations.models import ImportedRecord
from kindling.integrations.stackexchange.importer import import_dump, imported_object_id
from kindling.integrations.stackexchange.parser import site_name
from kindling.integrations.tests.dumps import (
    ALICE,
    ANSWER,
    BOB,
    COMMENT,
    QUESTION,
    rows_xml,
    write_dump,
)

SITE = "engines.stackexchange.com"


def run(folder, **kwargs):  # type: ignore[no-untyped-def]
    return import_dump(folder, site=SITE, **kwargs)


def nothing_written() -> bool:
    return not (
        User.objects.exists()
        or Need.objects.exists()
        or Response.objects.exists()
        or Comment.objects.exists()
        or ImportedRecord.objects.exists()
    )


def test_a_question_its_answer_and_a_comment_arrive_as_need_response_and_comment(db, tmp_path):
    report = run(write_dump(tmp_path / "dump"))

    need = Need.objects.get()
    assert need.title == "How do engines compute?"
    assert need.details == "Tell me *how*."
    assert need.useful_count == 3
    assert need.created_at == datetime(2021, 2, 1, 9, tzinfo=UTC)
    assert sorted(need.tags.values_list("slug", flat=True)) == ["engines", "math"]
    assert need.author.profile.display_name == "Ada Lovelace"
    assert need.author.profile.bio == "I write notes on engines."
    response = Response.objects.get()
    assert response.need == need
    assert response.body == "With `gears`."
    assert response.helped
    assert response.useful_count == 0  # a score of -2
    comment = Comment.objects.get()
    assert comment.need == need  # comments on an answer go under its question
    assert (need.response_count, need.helped_count, need.comment_count) == (1, 1, 1)
    assert need.last_activity_at == response.created_at
    assert report.created["needs"] == 1
    assert report.created["tags"] == 2
    assert imported_object_id(SITE, "need", 10) == need.pk
    assert imported_object_id(SITE, "response", 11) == response.pk
    assert imported_object_id(SITE, "need", 999) is None


def test_importing_twice_updates_instead_of_duplicating(db, tmp_path):
    run(write_dump(tmp_path / "dump"))
    edited_question = {
        **QUESTION,
        "Title": "How do engines really compute?",
        "Score": "5",
        "Tags": "<engines>",
    }
    unaccepted = {k: v for k, v in edited_question.items() if k != "AcceptedAnswerId"}
    new_answer = {**ANSWER, "Id": "12", "Body": "<p>Cards.</p>"}

    report = run(write_dump(tmp_path / "dump", posts=[unaccepted, ANSWER, new_answer]))

    need = Need.objects.get()
    assert need.title == "How do engines really compute?"
    assert need.useful_count == 5
    assert list(need.tags.values_list("slug", flat=True)) == ["engines"]
    assert Response.objects.count() == 2
    assert not Response.objects.filter(helped=True).exists()
    assert (need.response_count, need.helped_count) == (2, 0)
    assert User.objects.count() == 2
    assert Comment.objects.count() == 1
    assert report.updated["needs"] == 1
    assert report.created["responses"] == 1
    assert report.updated["responses"] == 1


def test_votes_cast_here_on_imported_posts_survive_a_rerun(db, tmp_path, alice):
    run(write_dump(tmp_path / "dump"))
    need = Need.objects.get()
    UsefulVote.objects.create(user=alice, kind="need", object_id=need.pk)
    Need.objects.filter(pk=need.pk).update(useful_count=4)

    run(write_dump(tmp_path / "dump"))

    need.refresh_from_db()
    assert need.useful_count == 4


def test_until_keeps_only_what_existed_before_it(db, tmp_path):
    later_answer = {**ANSWER, "Id": "12", "CreationDate": "2021-03-01T00:00:00.000"}
    later_question = {**QUESTION, "Id": "20", "CreationDate": "2021-03-02T00:00:00.000"}
    votes = [
        {"Id": "1", "PostId": "10", "VoteTypeId": "2", "CreationDate": "2021-02-01T00:00:00.000"},
        {"Id": "2", "PostId": "10", "VoteTypeId": "2", "CreationDate": "2021-04-01T00:00:00.000"},
        {"Id": "3", "PostId": "11", "VoteTypeId": "1", "CreationDate": "2021-04-01T00:00:00.000"},
    ]
    folder = write_dump(
        tmp_path / "dump", posts=[QUESTION, ANSWER, later_answer, later_question], votes=votes
    )

    run(folder, until=datetime(2021, 2, 15, tzinfo=UTC))

    need = Need.objects.get()
    assert need.useful_count == 1  # one up vote before the cut-off, not today's score of 3
    assert Response.objects.get().helped is False  # accepted only in April
    assert Comment.objects.count() == 1


def test_until_must_be_timezone_aware(db, tmp_path):
    with pytest.raises(ValueError, match="timezone-aware"):
        run(write_dump(tmp_path / "dump"), until=datetime(2021, 1, 1))


def test_broken_rows_are_skipped_and_reported_with_their_id(db, tmp_path):
    no_id = {k: v for k, v in QUESTION.items() if k != "Id"}
    bad_date = {**QUESTION, "Id": "30", "CreationDate": "yesterday"}
    orphan = {**ANSWER, "Id": "31", "ParentId": "404"}
    dangling_comment = {**COMMENT, "Id": "101", "PostId": "405"}
    folder = write_dump(
        tmp_path / "dump",
        posts=[QUESTION, ANSWER, no_id, bad_date, orphan],
        comments=[COMMENT, dangling_comment],
    )

    report = run(folder)

    skipped = {(row.file, row.row_id): row.reason for row in report.skipped}
    assert skipped[("Posts.xml", "")] == "row 3 has no Id"
    assert "'yesterday' is not a date" in skipped[("Posts.xml", "30")]
    assert "question 404, which is not in the dump" in skipped[("Posts.xml", "31")]
    assert "post 405" in skipped[("Comments.xml", "101")]
    assert Need.objects.count() == 1
    assert Response.objects.count() == 1


def test_a_post_by_an_unknown_user_goes_to_the_sites_deleted_user(db, tmp_path):
    stranger = {**ANSWER, "OwnerUserId": "77"}
    report = run(write_dump(tmp_path / "dump", posts=[QUESTION, stranger]))

    response = Response.objects.get()
    assert response.author.profile.display_name == "Deleted user"
    assert not response.author.has_usable_password()
    assert [(w.file, w.row_id) for w in report.warnings] == [("Posts.xml", "11")]


@pytest.mark.parametrize(
    "content",
    [
        '<?xml version="1.0"?>\n<posts>\n  <row Id="10" PostTypeId="1"',
        "this is not xml at all",
        "",
    ],
    ids=["truncated", "not-xml", "empty"],
)
def test_a_file_that_is_not_xml_stops_the_import_and_writes_nothing(db, tmp_path, content):
    folder = write_dump(tmp_path / "dump")
    (folder / "Posts.xml").write_text(content)

    with pytest.raises(CommandError, match=r"Posts\.xml"):
        call_command("import_stackexchange", str(folder), stdout=StringIO())
    assert nothing_written()


def test_a_broken_optional_file_also_leaves_the_database_as_it_was(db, tmp_path):
    folder = write_dump(tmp_path / "dump")
    (folder / "Comments.xml").write_text('<comments><row Id="1" PostId="10"')

    with pytest.raises(CommandError, match=r"Comments\.xml is not well-formed XML"):
        run(folder)
    assert nothing_written()


def test_xml_entities_are_refused(db, tmp_path):
    folder = write_dump(tmp_path / "dump")
    (folder / "Users.xml").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE users [<!ENTITY lol "lol">]>\n'
        '<users><row Id="1" DisplayName="&lol;" /></users>'
    )

    with pytest.raises(CommandError, match="entities"):
        run(folder)
    assert nothing_written()


def test_a_missing_posts_file_is_named_in_the_message(db, tmp_path):
    folder = write_dump(tmp_path / "dump")
    (folder / "Posts.xml").unlink()

    with pytest.raises(
        CommandError, match=r"not a Stack Exchange data dump: Posts\.xml is missing"
    ):
        call_command("import_stackexchange", str(folder))


def test_a_folder_that_does_not_exist_is_named_in_the_message(db, tmp_path):
    with pytest.raises(CommandError, match="is not a folder"):
        call_command("import_stackexchange", str(tmp_path / "nowhere"))


def test_the_command_prints_counts_and_skipped_rows(db, tmp_path):
    orphan = {**ANSWER, "Id": "31", "ParentId": "404"}
    folder = write_dump(tmp_path / "dump", posts=[QUESTION, ANSWER, orphan])
    out = StringIO()

    call_command("import_stackexchange", str(folder), "--site", SITE, stdout=out)

    text = out.getvalue()
    assert f"Imported {SITE} in" in text
    assert "needs: 1 created, 0 updated, 0 unchanged" in text
    assert "Posts.xml Id 31: answer to question 404, which is not in the dump" in text


def test_the_command_takes_a_cut_off_date(db, tmp_path):
    call_command(
        "import_stackexchange",
        str(write_dump(tmp_path / "dump")),
        "--until",
        "2021-02-01T12:00",
        stdout=StringIO(),
    )

    assert Need.objects.count() == 1
    assert not Response.objects.exists()


def test_the_command_refuses_a_cut_off_that_is_not_a_date(db, tmp_path):
    with pytest.raises(CommandError, match="not a date"):
        call_command("import_stackexchange", str(write_dump(tmp_path / "dump")), "--until", "soon")


def test_tags_in_the_newer_pipe_format_are_read(db, tmp_path):
    run(write_dump(tmp_path / "dump", posts=[{**QUESTION, "Tags": "|steam-engines|Math|"}]))

    assert sorted(Tag.objects.filter(kind="free").values_list("slug", "name")) == [
        ("math", "Math"),
        ("steam-engines", "steam-engines"),
    ]


def test_the_site_comes_from_the_readme_or_the_folder_name(tmp_path):
    assert site_name(tmp_path / "stackexchange-cardano") == "cardano.stackexchange.com"
    assert (
        site_name(tmp_path / "anything", "# math.stackexchange.com dump\n")
        == "math.stackexchange.com"
    )
    assert site_name(tmp_path / "superuser.com") == "superuser.com"


def test_rows_xml_writes_what_the_parser_reads():
    assert rows_xml("users", [{"Id": "1", "DisplayName": 'A "quoted" <name>'}]).count("<row") == 1


def test_an_imported_need_shows_its_attribution_to_a_member(db, tmp_path, alice_client):
    run(write_dump(tmp_path / "dump"))
    need = Need.objects.get()

    page = alice_client.get(need.get_absolute_url())

    assert page.status_code == 200
    assert "How do engines compute?" in page.content.decode()
    assert f"From {SITE}, by Ada Lovelace" in page.content.decode()


def test_the_community_user_is_left_out_unless_it_owns_something(db, tmp_path):
    community = {"Id": "-1", "DisplayName": "Community", "CreationDate": "2018-01-01T00:00:00.000"}
    report = run(write_dump(tmp_path / "dump", users=[community, ALICE, BOB]))

    assert imported_object_id(SITE, "user", -1) is None
    assert report.ignored["'Community' user (owns nothing imported)"] == 1

    owned = {**COMMENT, "UserId": "-1"}
    run(write_dump(tmp_path / "dump", users=[community, ALICE, BOB], comments=[owned]))

    assert imported_object_id(SITE, "user", -1) is not None


def test_what_was_imported_is_searchable_right_away(db, tmp_path, alice):
    from kindling.search.queries import search

    run(write_dump(tmp_path / "dump"))

    def found(query):  # type: ignore[no-untyped-def]
        return {(hit.kind, hit.title) for hit in search(alice, query).hits}

    assert ("need", "How do engines compute?") in found("engines compute")
    assert ("response", "How do engines compute?") in found("gears")
    assert ("person", "Ada Lovelace") in found("Lovelace")


def test_a_rerun_updates_the_search_index_too(db, tmp_path, alice):
    from kindling.search.queries import search

    run(write_dump(tmp_path / "dump"))
    run(write_dump(tmp_path / "dump2", posts=[{**QUESTION, "Title": "How do looms weave?"}]))
    hits = {(hit.kind, hit.title) for hit in search(alice, "looms").hits}
    # The answer from the first run stays; its document carries its need's new title.
    assert hits == {("need", "How do looms weave?"), ("response", "How do looms weave?")}
    assert search(alice, "engines compute").hits == []
