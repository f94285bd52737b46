"""Reading a Stack Exchange data dump: each XML file streamed into plain rows, problems noted.

A dump is a folder of XML files, one ``<row .../>`` per record with everything in attributes.
Files are streamed (``iterparse``, each row cleared once read) through defusedxml, so a file
from a download cannot expand entities or reach out to external ones. A file that is not
well-formed XML raises ``DumpError``; a single bad row (no Id, a date that is not a date) is
left out and noted with its file and Id, and the rest is read. No Django models here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as SafeElementTree
from defusedxml import DefusedXmlException
from django.core.management.base import CommandError

REQUIRED_FILES = ("Users.xml", "Posts.xml")
OPTIONAL_FILES = ("Comments.xml", "Votes.xml", "Tags.xml", "PostLinks.xml")

QUESTION = 1
ANSWER = 2

VOTE_ACCEPTED = 1
VOTE_UP = 2
VOTE_DOWN = 3


class DumpError(CommandError):
    """The dump cannot be imported at all: a file is missing or is not well-formed XML."""


class SkippedRow(NamedTuple):
    """A row left out, with the file it is in, its Id (empty if it has none) and why."""

    file: str
    row_id: str
    reason: str


@dataclass(frozen=True, slots=True)
class UserRow:
    id: int
    display_name: str
    about_me: str
    created_at: datetime | None


@dataclass(frozen=True, slots=True)
class PostRow:
    id: int
    post_type: int
    created_at: datetime
    parent_id: int | None
    accepted_answer_id: int | None
    owner_id: int | None
    owner_display_name: str
    title: str
    body: str
    tags: tuple[str, ...]
    score: int | None
    closed_at: datetime | None
    last_edited_at: datetime | None
    license: str


@dataclass(frozen=True, slots=True)
class CommentRow:
    id: int
    post_id: int
    text: str
    created_at: datetime
    user_id: int | None
    user_display_name: str
    license: str


@dataclass(frozen=True, slots=True)
class VoteRow:
    post_id: int
    vote_type: int
    created_at: datetime | None


@dataclass(frozen=True, slots=True)
class PostLinkRow:
    id: int
    post_id: int
    related_post_id: int
    link_type: int
    created_at: datetime | None


@dataclass
class Dump:
    """Everything read from one dump folder."""

    folder: Path
    users: dict[int, UserRow] = field(default_factory=dict)
    posts: dict[int, PostRow] = field(default_factory=dict)
    comments: dict[int, CommentRow] = field(default_factory=dict)
    votes: list[VoteRow] = field(default_factory=list)
    tag_names: list[str] = field(default_factory=list)
    post_links: list[PostLinkRow] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    readme: str = ""


class _BadRow(ValueError):
    pass


def parse_date(value: str | None) -> datetime | None:
    """A dump timestamp ("2021-04-27T15:06:44.553", always UTC) as an aware datetime."""
    if value is None or value == "":
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise _BadRow(f"{value!r} is not a date") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def _required_date(attrs: dict[str, str], name: str) -> datetime:
    value = parse_date(attrs.get(name))
    if value is None:
        raise _BadRow(f"no {name}")
    return value


def _int(attrs: dict[str, str], name: str) -> int | None:
    value = attrs.get(name)
    if value is None or value.strip() == "":
        return None
    try:
        return int(value)
    except ValueError:
        raise _BadRow(f"{name} {value!r} is not a number") from None


def _required_int(attrs: dict[str, str], name: str) -> int:
    value = _int(attrs, name)
    if value is None:
        raise _BadRow(f"no {name}")
    return value


_TAG_IN_ANGLES = re.compile(r"<([^<>]+)>")


def parse_tags(value: str) -> tuple[str, ...]:
    """Tag names from ``<a><b>`` (classic dumps) or ``|a|b|`` (dumps since 2023)."""
    value = value.strip()
    if not value:
        return ()
    names = _TAG_IN_ANGLES.findall(value) if value.startswith("<") else value.split("|")
    return tuple(dict.fromkeys(name.strip() for name in names if name.strip()))


def iter_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """Each ``<row>``'s attributes with its position in the file, streamed from disk."""
    try:
        with path.open("rb") as source:
            root_seen = False
            position = 0
            for event, element in SafeElementTree.iterparse(source, events=("start", "end")):
                if event == "start":
                    root_seen = True
                    continue
                if element.tag == "row":
                    position += 1
                    yield position, dict(element.attrib)
                    element.clear()
            if not root_seen:
                raise DumpError(f"{path.name} is empty.")
    except ParseError as error:
        raise DumpError(f"{path.name} is not well-formed XML ({error}).") from None
    except DefusedXmlException as error:
        raise DumpError(
            f"{path.name} declares XML entities, which a data dump never needs ({error})."
        ) from None
    except OSError as error:
        raise DumpError(f"{path.name} cannot be read ({error.strerror}).") from None


def _rows(path: Path, dump: Dump) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows with an integer Id, each at most once; others are noted as skipped."""
    seen: set[int] = set()
    for position, attrs in iter_rows(path):
        raw_id = attrs.get("Id", "").strip()
        try:
            row_id = int(raw_id)
        except ValueError:
            reason = f"row {position} has no Id" if not raw_id else f"Id {raw_id!r} is not a number"
            dump.skipped.append(SkippedRow(path.name, raw_id, reason))
            continue
        if row_id in seen:
            dump.skipped.append(SkippedRow(path.name, raw_id, "the same Id appears again"))
            continue
        seen.add(row_id)
        yield row_id, attrs


def read_dump(folder: Path) -> Dump:
    """Read every file of a dump folder; raises DumpError if it cannot be imported at all."""
    if not folder.is_dir():
        raise DumpError(f"{folder} is not a folder.")
    missing = [name for name in REQUIRED_FILES if not (folder / name).is_file()]
    if missing:
        raise DumpError(
            f"{folder} is not a Stack Exchange data dump: {' and '.join(missing)} "
            f"{'is' if len(missing) == 1 else 'are'} missing."
        )
    dump = Dump(folder=folder)
    readme = folder / "README.md"
    if readme.is_file():
        dump.readme = readme.read_text(encoding="utf-8", errors="replace")[:10_000]

    for row_id, attrs in _rows(folder / "Users.xml", dump):
        try:
            dump.users[row_id] = UserRow(
                id=row_id,
                display_name=attrs.get("DisplayName", "").strip(),
                about_me=attrs.get("AboutMe", ""),
                created_at=parse_date(attrs.get("CreationDate")),
            )
        except _BadRow as error:
            dump.skipped.append(SkippedRow("Users.xml", str(row_id), str(error)))

    for row_id, attrs in _rows(folder / "Posts.xml", dump):
        try:
            dump.posts[row_id] = PostRow(
                id=row_id,
                post_type=_required_int(attrs, "PostTypeId"),
                created_at=_required_date(attrs, "CreationDate"),
                parent_id=_int(attrs, "ParentId"),
                accepted_answer_id=_int(attrs, "AcceptedAnswerId"),
                owner_id=_int(attrs, "OwnerUserId"),
                owner_display_name=attrs.get("OwnerDisplayName", "").strip(),
                title=attrs.get("Title", "").strip(),
                body=attrs.get("Body", ""),
                tags=parse_tags(attrs.get("Tags", "")),
                score=_int(attrs, "Score"),
                closed_at=parse_date(attrs.get("ClosedDate")),
                last_edited_at=parse_date(attrs.get("LastEditDate")),
                license=attrs.get("ContentLicense", "").strip(),
            )
        except _BadRow as error:
            dump.skipped.append(SkippedRow("Posts.xml", str(row_id), str(error)))

    if (folder / "Comments.xml").is_file():
        for row_id, attrs in _rows(folder / "Comments.xml", dump):
            try:
                dump.comments[row_id] = CommentRow(
                    id=row_id,
                    post_id=_required_int(attrs, "PostId"),
                    text=attrs.get("Text", "").strip(),
                    created_at=_required_date(attrs, "CreationDate"),
                    user_id=_int(attrs, "UserId"),
                    user_display_name=attrs.get("UserDisplayName", "").strip(),
                    license=attrs.get("ContentLicense", "").strip(),
                )
            except _BadRow as error:
                dump.skipped.append(SkippedRow("Comments.xml", str(row_id), str(error)))

    if (folder / "Votes.xml").is_file():
        for row_id, attrs in _rows(folder / "Votes.xml", dump):
            try:
                dump.votes.append(
                    VoteRow(
                        post_id=_required_int(attrs, "PostId"),
                        vote_type=_required_int(attrs, "VoteTypeId"),
                        created_at=parse_date(attrs.get("CreationDate")),
                    )
                )
            except _BadRow as error:
                dump.skipped.append(SkippedRow("Votes.xml", str(row_id), str(error)))

    if (folder / "Tags.xml").is_file():
        for row_id, attrs in _rows(folder / "Tags.xml", dump):
            name = attrs.get("TagName", "").strip()
            if name:
                dump.tag_names.append(name)
            else:
                dump.skipped.append(SkippedRow("Tags.xml", str(row_id), "no TagName"))

    dump.post_links = read_post_links(folder, dump)
    return dump


def read_post_links(folder: Path, dump: Dump | None = None) -> list[PostLinkRow]:
    """PostLinks.xml (duplicate = LinkTypeId 3, related = 1), kept as data, not in the database."""
    path = folder / "PostLinks.xml"
    if not path.is_file():
        return []
    dump = dump or Dump(folder=folder)
    links: list[PostLinkRow] = []
    for row_id, attrs in _rows(path, dump):
        try:
            links.append(
                PostLinkRow(
                    id=row_id,
                    post_id=_required_int(attrs, "PostId"),
                    related_post_id=_required_int(attrs, "RelatedPostId"),
                    link_type=_required_int(attrs, "LinkTypeId"),
                    created_at=parse_date(attrs.get("CreationDate")),
                )
            )
        except _BadRow as error:
            dump.skipped.append(SkippedRow("PostLinks.xml", str(row_id), str(error)))
    return links


_SITE_IN_TEXT = re.compile(
    r"\b((?:[a-z0-9-]+\.)*(?:stackexchange\.com|stackoverflow\.com|superuser\.com|"
    r"serverfault\.com|askubuntu\.com|mathoverflow\.net|stackapps\.com))\b",
    re.IGNORECASE,
)


def site_name(folder: Path, readme: str = "") -> str:
    """The community's host name, from the README's first mention or else the folder name."""
    for line in readme.splitlines():
        match = _SITE_IN_TEXT.search(line)
        if match:
            return match.group(1).lower()
    name = folder.resolve().name.lower()
    match = _SITE_IN_TEXT.search(name)
    if match:
        return match.group(1)
    for prefix in ("stackexchange-", "stackexchange_", "se-"):
        if name.startswith(prefix) and len(name) > len(prefix):
            return f"{name[len(prefix) :]}.stackexchange.com"
    return name
