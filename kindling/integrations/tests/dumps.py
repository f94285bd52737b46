"""Small Stack Exchange dumps written into a test's folder, and where the real one lives."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import quoteattr

from django.conf import settings

# The real cardano.stackexchange.com dump sits in shared/ beside the project's folder.
CARDANO = Path(settings.BASE_DIR).parent / "shared" / "data" / "stackexchange-cardano"

ALICE = {
    "Id": "1",
    "DisplayName": "Ada Lovelace",
    "CreationDate": "2021-01-01T10:00:00.000",
    "AboutMe": "<p>I write <b>notes</b> on engines.</p>",
}
BOB = {"Id": "2", "DisplayName": "Charles Babbage", "CreationDate": "2021-01-02T10:00:00.000"}
QUESTION = {
    "Id": "10",
    "PostTypeId": "1",
    "AcceptedAnswerId": "11",
    "Score": "3",
    "CreationDate": "2021-02-01T09:00:00.000",
    "OwnerUserId": "1",
    "Title": "How do engines compute?",
    "Tags": "<engines><math>",
    "Body": "<p>Tell me <em>how</em>.</p>",
    "ContentLicense": "CC BY-SA 4.0",
}
ANSWER = {
    "Id": "11",
    "PostTypeId": "2",
    "ParentId": "10",
    "Score": "-2",
    "CreationDate": "2021-02-02T09:00:00.000",
    "OwnerUserId": "2",
    "Body": "<p>With <code>gears</code>.</p>",
    "ContentLicense": "CC BY-SA 4.0",
}
COMMENT = {
    "Id": "100",
    "PostId": "11",
    "Text": "Which gears?",
    "UserId": "1",
    "CreationDate": "2021-02-03T09:00:00.000",
    "ContentLicense": "CC BY-SA 4.0",
}


def rows_xml(root: str, rows: list[dict[str, str]]) -> str:
    lines = [f"  <row {' '.join(f'{k}={quoteattr(v)}' for k, v in row.items())} />" for row in rows]
    return (
        '\ufeff<?xml version="1.0" encoding="utf-8"?>\n'
        + f"<{root}>\n"
        + "\n".join(lines)
        + f"\n</{root}>\n"
    )


def write_dump(
    folder: Path,
    *,
    users: list[dict[str, str]] | None = None,
    posts: list[dict[str, str]] | None = None,
    comments: list[dict[str, str]] | None = None,
    votes: list[dict[str, str]] | None = None,
) -> Path:
    """A dump with Ada asking, Charles answering (accepted) and Ada commenting, unless told."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "Users.xml": ("users", [ALICE, BOB] if users is None else users),
        "Posts.xml": ("posts", [QUESTION, ANSWER] if posts is None else posts),
        "Comments.xml": ("comments", [COMMENT] if comments is None else comments),
        "Votes.xml": ("votes", [] if votes is None else votes),
    }
    for name, (root, rows) in files.items():
        (folder / name).write_text(rows_xml(root, rows), encoding="utf-8")
    return folder
