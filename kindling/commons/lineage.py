"""Drawing a resource's "built on" lineage as a small left-to-right graph (plain data in, out).

Ancestors sit in columns to the left (what it builds on), descendants to the right (what was
built on it). The layout is deterministic so the same lineage always draws the same picture;
``LineageDrawing.svg`` writes it out with Django's escaping helpers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString

BOX_WIDTH = 180
BOX_HEIGHT = 44
COLUMN_GAP = 60
ROW_GAP = 14
MARGIN = 8
TITLE_CHARS = 26


@dataclass(frozen=True)
class LineageNode:
    id: int
    title: str
    url: str
    depth: int  # negative: ancestors; 0: the resource itself; positive: descendants


@dataclass(frozen=True)
class Box:
    x: int
    y: int
    label: str
    title: str
    url: str
    is_center: bool
    text_x: int
    text_y: int


@dataclass(frozen=True)
class Edge:
    x1: int
    y1: int
    x2: int
    y2: int


@dataclass
class LineageDrawing:
    width: int
    height: int
    box_width: int = BOX_WIDTH
    box_height: int = BOX_HEIGHT
    boxes: list[Box] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return len(self.boxes) <= 1

    def svg(self, title: str) -> SafeString:
        """The drawing as inline SVG (every text escaped); ``title`` names it for screen readers.

        Built here rather than in a template loop: a drawing has up to ~50 boxes and edges. Texts
        go through ``escape``; the numbers are integers of the layout's own making.
        """
        edges = "".join(
            f'<line x1="{e.x1:d}" y1="{e.y1:d}" x2="{e.x2:d}" y2="{e.y2:d}" class="lineage__edge"'
            ' marker-end="url(#arrow)"/>'
            for e in self.edges
        )
        current, center = ' aria-current="page"', " lineage__box--center"
        boxes = "\n".join(
            f'<a href="{escape(box.url)}"{current if box.is_center else ""}>'
            f'<rect x="{box.x:d}" y="{box.y:d}" width="{self.box_width:d}"'
            f' height="{self.box_height:d}" rx="8"'
            f' class="lineage__box{center if box.is_center else ""}"/>'
            f'<text x="{box.text_x:d}" y="{box.text_y:d}" class="lineage__label">'
            f"{escape(box.label)}<title>{escape(box.title)}</title></text></a>"
            for box in self.boxes
        )
        return SafeString(
            f'<svg viewBox="0 0 {self.width:d} {self.height:d}" width="{self.width:d}"'
            f' height="{self.height:d}" role="group" aria-labelledby="lineage-title">'
            f'<title id="lineage-title">{escape(title)}</title>'
            '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7"'
            ' markerHeight="7" orient="auto-start-reverse"><path d="M0 0 10 5 0 10z"'
            f' class="lineage__arrow"/></marker></defs>{edges}\n{boxes}</svg>'
        )


def _shorten(title: str) -> str:
    return title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1].rstrip() + "…"


def layout_lineage(nodes: list[LineageNode], edges: list[tuple[int, int]]) -> LineageDrawing:
    """Place nodes in columns by depth; ``edges`` are (newer id, the id it builds on)."""
    if not nodes:
        return LineageDrawing(width=0, height=0)
    depths = sorted({node.depth for node in nodes})
    columns = {
        depth: sorted((n for n in nodes if n.depth == depth), key=lambda n: n.id)
        for depth in depths
    }
    tallest = max(len(column) for column in columns.values())
    height = MARGIN * 2 + tallest * BOX_HEIGHT + (tallest - 1) * ROW_GAP
    width = MARGIN * 2 + len(depths) * BOX_WIDTH + (len(depths) - 1) * COLUMN_GAP
    positions: dict[int, tuple[int, int]] = {}
    drawing = LineageDrawing(width=width, height=height)
    for column_index, depth in enumerate(depths):
        column = columns[depth]
        used = len(column) * BOX_HEIGHT + (len(column) - 1) * ROW_GAP
        top = (height - used) // 2
        x = MARGIN + column_index * (BOX_WIDTH + COLUMN_GAP)
        for row, node in enumerate(column):
            y = top + row * (BOX_HEIGHT + ROW_GAP)
            positions[node.id] = (x, y)
            drawing.boxes.append(
                Box(
                    x=x,
                    y=y,
                    label=_shorten(node.title),
                    title=node.title,
                    url=node.url,
                    is_center=node.depth == 0,
                    text_x=x + 10,
                    text_y=y + BOX_HEIGHT // 2 + 5,
                )
            )
    for newer, older in edges:
        if newer not in positions or older not in positions:
            continue
        (nx, ny), (ox, oy) = positions[newer], positions[older]
        # An arrow from the older idea's right edge to the newer one's left edge.
        drawing.edges.append(
            Edge(
                x1=ox + BOX_WIDTH,
                y1=oy + BOX_HEIGHT // 2,
                x2=nx,
                y2=ny + BOX_HEIGHT // 2,
            )
        )
    return drawing
