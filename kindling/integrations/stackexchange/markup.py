"""Stack Exchange post HTML turned into Kindling's Markdown, or into plain text for a bio.

Stack Exchange stores posts as rendered HTML. Kindling stores what members type (Markdown, raw
HTML off), so bodies are converted back: paragraphs, line breaks, inline code, ``<pre>`` blocks
as fenced code, links as ``[text](url)``, images as links, lists, emphasis, headings and block
quotes. Any other element keeps only its text. No Django imports: plain input, plain output.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

__all__ = ["html_to_markdown", "html_to_text"]

BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "dl",
        "dt",
        "dd",
        "section",
        "article",
        "details",
        "summary",
        "figure",
    }
)
VOID_TAGS = frozenset(
    {"br", "hr", "img", "input", "meta", "link", "wbr", "col", "area", "source", "embed"}
)
# Text of these is never content.
DROPPED_TAGS = frozenset({"script", "style", "head", "title", "template"})

_BREAK = "\x00"  # a <br> while inline text is gathered, before whitespace is collapsed
_WHITESPACE = re.compile(r"[ \t\r\n\f\v]+")
# Characters that would otherwise start emphasis, code or a link in Markdown.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*\[\]])")
# "_" only opens or closes emphasis at a word edge (CommonMark), so snake_case stays readable.
_EDGE_UNDERSCORE = re.compile(r"(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")
_LINE_START_MARKER = re.compile(r"^(\s*)(#{1,6}\s|>|[-+]\s|\d{1,9}[.)]\s)", re.MULTILINE)
_BACKTICK_RUN = re.compile(r"`+")


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[_Node | str] = field(default_factory=list)


class _TreeBuilder(HTMLParser):
    """Builds a forgiving tree: unknown end tags are ignored, unclosed tags end with parents."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("root")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = _Node(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID_TAGS:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(_Node(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def _parse(html: str) -> _Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def _raw_text(node: _Node | str) -> str:
    if isinstance(node, str):
        return node
    if node.tag == "br":
        return "\n"
    return "".join(_raw_text(child) for child in node.children)


def _fence(code: str) -> str:
    longest = max((len(run) for run in _BACKTICK_RUN.findall(code)), default=0)
    return "`" * max(3, longest + 1)


def _inline_code(code: str) -> str:
    code = _WHITESPACE.sub(" ", code)
    if not code.strip():
        return code
    longest = max((len(run) for run in _BACKTICK_RUN.findall(code)), default=0)
    ticks = "`" * (longest + 1)
    padding = " " if code.startswith("`") or code.endswith("`") else ""
    return f"{ticks}{padding}{code}{padding}{ticks}"


def _wrap(inner: str, marker: str) -> str:
    # Emphasis markers must touch the text: "<em> word </em>" becomes " *word* ".
    stripped = inner.strip(" ")
    if not stripped.strip(_BREAK):
        return inner
    lead = " " if inner.startswith(" ") else ""
    trail = " " if inner.endswith(" ") else ""
    return f"{lead}{marker}{stripped}{marker}{trail}"


def _escape_marker(match: re.Match[str]) -> str:
    # "1. " is escaped at its dot ("1\\. "): a backslash only escapes punctuation.
    indent, marker = match.group(1), match.group(2)
    if marker[0].isdigit():
        return indent + marker[:-2] + "\\" + marker[-2:]
    return indent + "\\" + marker


def _link_destination(url: str) -> str:
    url = url.strip()
    if not url or re.search(r"[\s()<>]", url):
        return "<" + url.replace("<", "%3C").replace(">", "%3E") + ">"
    return url


class _Renderer:
    def __init__(self, *, plain: bool) -> None:
        self.plain = plain

    # --- inline ----------------------------------------------------------------------------
    def escape(self, text: str) -> str:
        if self.plain:
            return text
        text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
        return _EDGE_UNDERSCORE.sub(r"\\_", text)

    def inline(self, node: _Node | str) -> str:
        if isinstance(node, str):
            return self.escape(_WHITESPACE.sub(" ", node))
        tag = node.tag
        if tag in DROPPED_TAGS:
            return ""
        if tag == "br":
            return _BREAK
        if tag == "code" or tag in {"kbd", "samp", "tt"}:
            code = _raw_text(node)
            return _WHITESPACE.sub(" ", code) if self.plain else _inline_code(code)
        if tag == "img":
            src, alt = node.attrs.get("src", ""), node.attrs.get("alt", "").strip()
            if not src:
                return self.escape(alt)
            if self.plain:
                return f"{alt} ({src})" if alt else src
            return f"[{self.escape(alt or 'image')}]({_link_destination(src)})"
        inner = "".join(self.inline(child) for child in node.children)
        if tag in {"em", "i"}:
            return inner if self.plain else _wrap(inner, "*")
        if tag in {"strong", "b"}:
            return inner if self.plain else _wrap(inner, "**")
        if tag in {"del", "s", "strike"}:
            return inner if self.plain else _wrap(inner, "~~")
        if tag == "a":
            href = node.attrs.get("href", "").strip()
            text = inner.strip()
            if not href or href.startswith("#"):
                return inner
            if self.plain:
                return href if text in {"", href} else f"{text} ({href})"
            return f"[{text or self.escape(href)}]({_link_destination(href)})"
        return inner

    def paragraph(self, pieces: list[str]) -> str:
        text = "".join(pieces)
        text = _WHITESPACE.sub(" ", text)
        lines = [line.strip() for line in text.split(_BREAK)]
        while lines and not lines[-1]:
            lines.pop()
        while lines and not lines[0]:
            lines.pop(0)
        lines = [line for line in lines if line] if self.plain else lines
        if not self.plain:
            lines = [_LINE_START_MARKER.sub(_escape_marker, line) for line in lines]
            # An empty line would end the paragraph; a hard break keeps it in one.
            return "\\\n".join(line for line in lines if line)
        return "\n".join(lines)

    # --- blocks ----------------------------------------------------------------------------
    def blocks(self, node: _Node, *, in_item: bool = False) -> str:
        out: list[str] = []
        pending: list[str] = []

        def flush() -> None:
            if pending:
                text = self.paragraph(pending)
                if text:
                    out.append(text)
                pending.clear()

        for child in node.children:
            if isinstance(child, _Node) and child.tag in BLOCK_TAGS:
                flush()
                text = self.block(child)
                if not text.strip():
                    continue
                if in_item and child.tag in {"ul", "ol"} and out:
                    # A list nested in an item keeps the item tight: "- two\n  - deeper".
                    out[-1] += "\n" + text
                else:
                    out.append(text)
            else:
                pending.append(self.inline(child))
        flush()
        return "\n\n".join(out)

    def block(self, node: _Node) -> str:
        tag = node.tag
        if tag == "hr":
            return "* * *" if not self.plain else ""
        if tag == "pre":
            code = _raw_text(node).strip("\n")
            if self.plain:
                return code
            language = ""
            classes = node.attrs.get("class", "").split()
            for child in node.children:
                if isinstance(child, _Node) and child.tag == "code":
                    classes += child.attrs.get("class", "").split()
            for name in classes:
                if name.startswith(("lang-", "language-")) and name != "lang-none":
                    language = re.sub(r"[^0-9A-Za-z_+#.-]", "", name.split("-", 1)[1])
                    break
            fence = _fence(code)
            return f"{fence}{language}\n{code}\n{fence}"
        if tag in {"ul", "ol"}:
            return self.list(node, ordered=tag == "ol")
        if tag == "blockquote":
            inner = self.blocks(node)
            return "\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            text = self.paragraph([self.inline(child) for child in node.children])
            text = text.replace("\\\n", " ").replace("\n", " ")
            if self.plain or not text:
                return text
            return "#" * int(tag[1]) + " " + text.lstrip("\\")
        if tag == "tr":
            cells = [
                self.paragraph([self.inline(cell)]).replace("\\\n", " ").replace("\n", " ")
                for cell in node.children
                if isinstance(cell, _Node) and cell.tag in {"td", "th"}
            ]
            return " | ".join(cell for cell in cells if cell)
        if tag == "table" or tag in {"thead", "tbody", "tfoot"}:
            rows = [self.block(child) for child in node.children if isinstance(child, _Node)]
            return "\n\n".join(row for row in rows if row)
        return self.blocks(node)

    def list(self, node: _Node, *, ordered: bool) -> str:
        items: list[str] = []
        number = 1
        if ordered:
            start = node.attrs.get("start", "1")
            number = int(start) if start.isdigit() and len(start) < 9 else 1
        loose = False
        for child in node.children:
            if isinstance(child, str):
                if child.strip():
                    items.append(self.item(self.escape(child.strip()), ordered, number))
                    number += 1
                continue
            content = self.blocks(child, in_item=True) if child.tag == "li" else self.block(child)
            if not content.strip():
                continue
            loose = loose or "\n\n" in content
            items.append(self.item(content, ordered, number))
            number += 1
        return ("\n\n" if loose else "\n").join(items)

    def item(self, content: str, ordered: bool, number: int) -> str:
        marker = f"{number}. " if ordered else "- "
        indent = " " * len(marker)
        lines = content.split("\n")
        rest = [f"{indent}{line}" if line else "" for line in lines[1:]]
        return "\n".join([marker + lines[0], *rest])


def _convert(html: str, *, plain: bool) -> str:
    if not html or not html.strip():
        return ""
    text = _Renderer(plain=plain).blocks(_parse(html))
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def html_to_markdown(html: str) -> str:
    """The Markdown a member would have typed to get this Stack Exchange HTML."""
    return _convert(html, plain=False)


def html_to_text(html: str) -> str:
    """The words of this HTML as plain text with paragraphs and list items on their own lines."""
    return _convert(html, plain=True)
