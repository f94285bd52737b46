"""Safe Markdown for everything members write (resources, needs, responses, comments).

Two layers, each safe on its own:

1. markdown-it-py turns CommonMark (plus tables and strikethrough) into HTML with raw HTML
   *off*: any ``<tag>`` in the source comes out escaped, as text. Link and image destinations
   that are not http(s), mailto or a path on this site are refused, so the Markdown stays
   literal text.
2. nh3 (Ammonia) then parses that HTML and keeps only an explicit allow-list of tags and
   attributes, checks every ``href`` again, and puts ``rel="nofollow ugc noopener noreferrer"``
   on every link.

Only nh3's output is marked safe.
"""

from collections.abc import Iterable, Sequence
from functools import lru_cache

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

__all__ = ["render_markdown", "render_plain_excerpt"]

# The only tags a rendered body may contain. No h1: a body never competes with the page title
# (Markdown's "#" headings become h2). No img: see _images_to_links. No class or style anywhere:
# the Content Security Policy forbids style attributes, so table column alignment is dropped too.
ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "strong",
        "em",
        "del",
        "code",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "li",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "a",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "hr",
    }
)

# rel is not listed: nh3 sets it on every link (LINK_REL) and drops any other value.
ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "title"}),
    "ol": frozenset({"start"}),
}

LINK_REL = "nofollow ugc noopener noreferrer"

ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})

# Ordered lists may start at any number a person would plausibly type.
_MAX_START_DIGITS = 9


def _is_allowed_url(url: str) -> bool:
    """Whether a link may point at ``url``: http(s), mailto, or a path on this site.

    Whitespace, control characters and backslashes are refused anywhere in the URL, because
    browsers drop or reinterpret them (``jav\\tascript:``, ``/\\evil.example``). A path must start
    with exactly one slash: ``//host`` is another site. Everything else (``javascript:``,
    ``data:``, ``vbscript:``, relative paths that could hide a scheme) is refused.
    """
    if not url or any(
        ch.isspace() or ch == "\\" or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in url
    ):
        return False
    if url.startswith("/"):
        return not url.startswith("//")
    scheme, colon, _rest = url.partition(":")
    return bool(colon) and scheme.lower() in ALLOWED_URL_SCHEMES


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    """nh3's last word on each allowed attribute; None removes it."""
    if attribute == "href":
        return value if _is_allowed_url(value) else None
    if attribute == "start":
        return (
            value
            if value.isascii() and value.isdigit() and len(value) <= _MAX_START_DIGITS
            else None
        )
    return value


def _inline_text(tokens: Iterable[Token]) -> str:
    """The plain text of inline tokens (an image's description, a paragraph), markup stripped."""
    parts: list[str] = []
    for token in tokens:
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif token.children:
            parts.append(_inline_text(token.children))
    return "".join(parts)


def _images_to_links(children: list[Token]) -> list[Token]:
    """Images become links to the picture, with the description as the link text.

    Kindling shows no images from member text: the Content Security Policy (img-src 'self'
    data:) would block pictures from other sites anyway, and loading them would tell those
    sites who is reading (tracking pixels). A link keeps the description and the address.
    Inside a link only the description is kept, because links cannot nest.
    """
    adapted: list[Token] = []
    link_depth = 0
    for token in children:
        if token.type == "link_open":
            link_depth += 1
        elif token.type == "link_close":
            link_depth -= 1
        if token.type != "image":
            adapted.append(token)
            continue
        src = str(token.attrs.get("src", ""))
        text = Token("text", "", 0, content=_inline_text(token.children or []) or src)
        if link_depth > 0:
            adapted.append(text)
            continue
        attrs: dict[str, str | int | float] = {"href": src}
        if token.attrs.get("title"):
            attrs["title"] = token.attrs["title"]
        adapted.append(Token("link_open", "a", 1, attrs=attrs, markup="image"))
        adapted.append(text)
        adapted.append(Token("link_close", "a", -1, markup="image"))
    return adapted


def _adapt_tokens(state: StateCore) -> None:
    """Kindling's changes to the parsed document, before it is rendered.

    - ``#`` headings become h2, so a body never competes with the page title.
    - Strikethrough is ``<del>`` (as in GitHub's Markdown) rather than markdown-it's ``<s>``.
    - Images become links (see _images_to_links).
    """
    for token in state.tokens:
        if token.tag == "h1" and token.type in ("heading_open", "heading_close"):
            token.tag = "h2"
        if token.type == "inline" and token.children:
            token.children = _images_to_links(token.children)
            for child in token.children:
                if child.type in ("s_open", "s_close"):
                    child.tag = "del"


class _KindlingMarkdownIt(MarkdownIt):
    def validateLink(self, url: str) -> bool:
        # Refused destinations leave the Markdown as literal text.
        return _is_allowed_url(url)


def _build_parser() -> MarkdownIt:
    # linkify would need linkify-it-py, an extra dependency; bare URLs stay text, and
    # <https://…> autolinks work. Typographer stays off so code and quotes are not rewritten.
    parser = _KindlingMarkdownIt(
        "commonmark", {"html": False, "linkify": False, "typographer": False}
    ).enable(["table", "strikethrough"])
    parser.core.ruler.push("kindling_adapt_tokens", _adapt_tokens)
    return parser


# Built once at import; it holds configuration only, no request or user state.
_PARSER = _build_parser()


def _sanitise(html: str) -> str:
    attributes = {tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()}
    # Without an explicit "*" entry Ammonia keeps its generic attributes (lang, title) on
    # every tag.
    attributes["*"] = set()
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes=attributes,
        attribute_filter=_filter_attribute,
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )


# Rendering is pure and costs milliseconds per body, while pages show the same texts again and
# again; a bounded per-process cache keeps list and detail pages fast without storing HTML.
@lru_cache(maxsize=4096)
def render_markdown(text: str) -> SafeString:
    """Member-written Markdown as sanitised HTML, safe to put in a page as is."""
    if not text or not text.strip():
        return mark_safe("")  # a constant empty string
    html = _PARSER.render(text)
    return mark_safe(_sanitise(html).strip())  # nh3's output, allow-listed above


def _plain_text(tokens: Sequence[Token]) -> Iterable[str]:
    for token in tokens:
        if token.type == "inline" and token.children:
            yield _inline_text(token.children)
        elif token.type in ("fence", "code_block"):
            yield token.content
        yield " "


@lru_cache(maxsize=4096)
def render_plain_excerpt(text: str, length: int) -> str:
    """The Markdown as plain text (no markup), whitespace collapsed, at most ``length``
    characters: cut at a word boundary and ended with an ellipsis when it is longer.

    For list pages and notifications. The result is plain text, so templates escape it.
    """
    if length < 1:
        raise ValueError("An excerpt needs a length of at least one character.")
    if not text or not text.strip():
        return ""
    plain = " ".join("".join(_plain_text(_PARSER.parse(text))).split())
    if len(plain) <= length:
        return plain
    cut = plain[: length - 1]
    if not plain[length - 1].isspace():
        # The cut falls inside a word: go back to the end of the previous one, if there is one.
        last_space = cut.rfind(" ")
        if last_space > 0:
            cut = cut[:last_space]
    return cut.rstrip(" ,;:.!?-–—") + "…"
