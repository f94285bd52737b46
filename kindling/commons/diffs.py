"""Line-by-line differences between two texts, for revision history and edit conflicts.

Plain data out (no HTML): templates render it, so every line is escaped like any user text.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass


@dataclass(frozen=True)
class DiffLine:
    op: str  # "same", "added" or "removed"
    text: str


def diff_lines(before: str, after: str, *, context: int = 3) -> list[DiffLine | None]:
    """Changed lines with a little context; None marks a gap of unchanged lines."""
    old = before.splitlines()
    new = after.splitlines()
    result: list[DiffLine | None] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for group in matcher.get_grouped_opcodes(context):
        if result:
            result.append(None)
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                result.extend(DiffLine("same", line) for line in old[i1:i2])
                continue
            if tag in ("replace", "delete"):
                result.extend(DiffLine("removed", line) for line in old[i1:i2])
            if tag in ("replace", "insert"):
                result.extend(DiffLine("added", line) for line in new[j1:j2])
    return result
