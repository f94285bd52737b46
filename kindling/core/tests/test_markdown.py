import re
from html.parser import HTMLParser

import pytest
from django.template import Context, Template
from django.utils.safestring import SafeString

from kindling.core.markdown import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    LINK_REL,
    _sanitise,
    render_markdown,
    render_plain_excerpt,
)

FORBIDDEN_TAGS = {
    "script",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "svg",
    "math",
    "style",
    "link",
    "meta",
    "base",
    "form",
    "input",
    "button",
    "select",
    "textarea",
    "img",
    "video",
    "audio",
    "source",
    "details",
    "body",
    "html",
    "noscript",
    "template",
}


class _Collector(HTMLParser):
    """Every start tag in a document with its attributes, entities decoded as a browser would."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))


def _tags(html):
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.tags


def _url_scheme_free_of_danger(value):
    # Browsers ignore whitespace and control characters inside a scheme.
    squashed = re.sub(r"[\x00-\x20\x7f]+", "", value).lower()
    return not any(bad in squashed for bad in ("javascript:", "vbscript:", "data:"))


# An on...= attribute inside a tag; quoted attribute values are skipped whole, so text such as
# title="&lt;img onerror=...&gt;" (inert) does not count.
_ATTRIBUTE_GAP = r"(?:[\s/]+|(?<=[\"']))"  # browsers accept no space after a quoted value
_EVENT_HANDLER = re.compile(
    r"<[a-z][^\s/>]*"
    rf"(?:{_ATTRIBUTE_GAP}[^\s\"'>=/]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?)*?"
    rf"{_ATTRIBUTE_GAP}on\w+\s*="
)


def assert_inert(html):
    lowered = html.lower()
    assert "<script" not in lowered
    assert not _EVENT_HANDLER.search(lowered), html
    assert not re.search(
        r"<\s*/?\s*(iframe|object|embed|svg|math|style|meta|base|form|input|button)\b", lowered
    ), html
    for tag, attrs in _tags(html):
        assert tag in ALLOWED_TAGS, (tag, html)
        assert tag not in FORBIDDEN_TAGS
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name, html)
            assert name not in {"style", "class", "id", "src", "srcset", "action", "formaction"}
            if name == "rel":
                assert tag == "a"
                assert value == LINK_REL
                continue
            assert name in ALLOWED_ATTRIBUTES.get(tag, set()), (tag, name, html)
            if name == "href":
                assert value is not None
                assert _url_scheme_free_of_danger(value), (value, html)
                assert value.startswith(("http://", "https://", "mailto:", "/")), value
                assert not value.startswith("//"), value


XSS_PAYLOADS = [
    # Script tags, in every casing and disguise.
    "<script>alert(1)</script>",
    "<SCRIPT>alert(1)</SCRIPT>",
    "<ScRiPt>alert(1)</sCrIpT>",
    "<script src=https://evil.example/x.js></script>",
    "<script\n>alert(1)</script\n>",
    "<script/xss src=https://evil.example/x.js></script>",
    "<<script>script>alert(1)<</script>/script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<script>alert(1)",
    "<!--<script>alert(1)</script>-->",
    "<!-- --><script>alert(1)</script><!-- -->",
    "<!--[if gte IE 4]><script>alert(1)</script><![endif]-->",
    "Text\n\n<script>\nalert(1)\n</script>\n\nMore text",
    # Event handlers on otherwise harmless tags.
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=x OnErRoR=alert(1)>",
    "<img src=x onerror=alert(1)//",
    '<img src="x" onerror="alert(1)" />',
    "<img/src/onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg/onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>',
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math href="javascript:alert(1)">x</math>',
    "<math><maction actiontype=statusline xlink:href=javascript:alert(1)>x</maction></math>",
    "<iframe src=javascript:alert(1)></iframe>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<object data=javascript:alert(1)></object>",
    '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></object>',
    "<embed src=javascript:alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<body onload=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<audio src=x onerror=alert(1)>",
    "<input onfocus=alert(1) autofocus>",
    "<select autofocus onfocus=alert(1)>",
    "<textarea autofocus onfocus=alert(1)>",
    "<marquee onstart=alert(1)>x</marquee>",
    '<div style="width:expression(alert(1))">x</div>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<style>body{background:url(javascript:alert(1))}</style>",
    "<style>@import 'https://evil.example/x.css';</style>",
    '<link rel="stylesheet" href="javascript:alert(1)">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    "<form action=javascript:alert(1)><input type=submit></form>",
    "<form><button formaction=javascript:alert(1)>x</button></form>",
    "<a href=\"javascript:alert('x')\">x</a>",
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<p title="</p><img src=x onerror=alert(1)>">x</p>',
    "<template><script>alert(1)</script></template>",
    # Markdown links and images with dangerous destinations.
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](jav&#x09;ascript:alert(1))",
    "[x](jav&#9;ascript:alert(1))",
    "[x](java&#x0A;script:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;avascript:alert(1))",
    "[x](%6A%61vascript:alert(1))",
    "[x](<javascript:alert(1)>)",
    "[x](<java script:alert(1)>)",
    "[x]( javascript:alert(1) )",
    "[x](\njavascript:alert(1))",
    "[x](\tjavascript:alert(1))",
    "[x](javascript&colon;alert(1))",
    "[x](javascript://%0Aalert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](VBScript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](data:text/html,<script>alert(1)</script>)",
    "[x](DATA:text/html,alert(1))",
    "[x](file:///etc/passwd)",
    "[x](//evil.example/steal)",
    "[x](/\\evil.example/steal)",
    "[x](\\\\evil.example)",
    '[x](https://example.org "title" onclick="alert(1)")',
    '[x](https://example.org" onmouseover="alert(1))',
    '[x](https://example.org "<img src=x onerror=alert(1)>")',
    '[x](https://example.org "a&quot; onclick=&quot;alert(1)")',
    "[x](https://example.org 'a\" onclick=\"alert(1)')",
    "<javascript:alert(1)>",
    "<JAVASCRIPT:alert(1)>",
    "<vbscript:msgbox(1)>",
    "<data:text/html,alert(1)>",
    "[x][evil]\n\n[evil]: javascript:alert(1)",
    "[x][evil]\n\n[evil]: <javascript:alert(1)>",
    '[evil]\n\n[evil]: data:text/html,alert(1) "title"',
    '![x](x" onerror="alert(1))',
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![x](data:image/png;base64,iVBORw0KGgo=)",
    '![x" onerror="alert(1)](https://example.org/x.png)',
    "[![x](https://example.org/a.png)](javascript:alert(1))",
    "[<img src=x onerror=alert(1)>](https://example.org)",
    "**<img src=x onerror=alert(1)>**",
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```",
    '```" onmouseover="alert(1)\n<b>x</b>\n```',
    "    <script>alert(1)</script>",
    "> <script>alert(1)</script>",
    "| a | b |\n|---|---|\n| <script>alert(1)</script> | <img src=x onerror=alert(1)> |",
    "# <script>alert(1)</script>",
    "~~<svg onload=alert(1)>~~",
    # Client-side template injection: must stay inert text.
    "{{constructor.constructor('alert(1)')()}}",
    "{{ request.user.password }}{% debug %}",
    "\u0000<script>alert(1)</script>",
    "<scr\u0000ipt>alert(1)</scr\u0000ipt>",
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payload_renders_inert(payload):
    html = render_markdown(payload)
    assert isinstance(html, SafeString)
    assert_inert(html)


def test_there_are_plenty_of_xss_payloads():
    assert len(XSS_PAYLOADS) >= 60
    assert len(set(XSS_PAYLOADS)) == len(XSS_PAYLOADS)


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_sanitiser_alone_neutralises_payload(payload):
    # The second layer holds even if raw HTML ever reached it unescaped.
    assert_inert(_sanitise(payload))


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<a href="javascript:alert(1)">x</a>', f'<a rel="{LINK_REL}">x</a>'),
        ('<a href="//evil.example">x</a>', f'<a rel="{LINK_REL}">x</a>'),
        ('<a href="/\\evil.example">x</a>', f'<a rel="{LINK_REL}">x</a>'),
        ('<a href="jav\tascript:alert(1)">x</a>', f'<a rel="{LINK_REL}">x</a>'),
        (
            '<a href="/resources/1/" rel="opener">x</a>',
            f'<a href="/resources/1/" rel="{LINK_REL}">x</a>',
        ),
        ('<ol start="2" onclick="x"><li>a</li></ol>', '<ol start="2"><li>a</li></ol>'),
        ('<ol start="-1e9"><li>a</li></ol>', "<ol><li>a</li></ol>"),
        ('<h1 class="x" style="color:red">t</h1>', "t"),
        ('<pre><code class="language-js">x</code></pre>', "<pre><code>x</code></pre>"),
        ("<p>a<!-- <script>alert(1)</script> -->b</p>", "<p>ab</p>"),
    ],
)
def test_sanitiser_keeps_only_the_allow_list(html, expected):
    assert _sanitise(html) == expected


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payload_excerpt_is_plain_text(payload):
    # Excerpts are plain text that templates escape; through the filter nothing becomes markup.
    rendered = Template("{% load kindling_tags %}{{ body|excerpt:80 }}").render(
        Context({"body": payload})
    )
    assert_inert(rendered)
    assert "<" not in rendered


def test_raw_html_is_shown_as_text():
    assert render_markdown("<b>bold</b>") == "<p>&lt;b&gt;bold&lt;/b&gt;</p>"


def test_template_syntax_is_inert_text():
    text = "{{constructor.constructor('alert(1)')()}}"
    html = render_markdown(text)
    assert html == "<p>{{constructor.constructor('alert(1)')()}}</p>"
    rendered = Template("{% load kindling_tags %}{{ body|markdown }}").render(
        Context({"body": text})
    )
    assert rendered == "<p>{{constructor.constructor('alert(1)')()}}</p>"


def test_ordinary_markdown_renders():
    text = """# Title

## Planning

Some *emphasis*, **strong words**, ~~old idea~~ and `inline code`.

- one
- two

3. three
4. four

> A quote

```python
print("hi") < 2
```

| Week | Topic |
|------|------:|
| 1    | Ratios |

---

Line one\\
line two
"""
    html = render_markdown(text)
    assert "<h2>Title</h2>" in html
    assert "<h2>Planning</h2>" in html
    assert "<em>emphasis</em>" in html
    assert "<strong>strong words</strong>" in html
    assert "<del>old idea</del>" in html
    assert "<code>inline code</code>" in html
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in html
    assert '<ol start="3">\n<li>three</li>\n<li>four</li>\n</ol>' in html
    assert "<blockquote>\n<p>A quote</p>\n</blockquote>" in html
    assert '<pre><code>print("hi") &lt; 2\n</code></pre>' in html
    assert "<table>" in html
    assert "<th>Week</th>" in html
    assert "<td>Ratios</td>" in html  # alignment dropped: no style attributes under the CSP
    assert "<hr>" in html
    assert "Line one<br>" in html
    assert_inert(html)


def test_headings_h1_becomes_h2_and_others_keep_their_level():
    html = render_markdown("# One\n\n## Two\n\n### Three\n\n###### Six\n\nSetext\n======")
    assert "<h1" not in html
    assert html.count("<h2>") == 3
    assert "<h3>Three</h3>" in html
    assert "<h6>Six</h6>" in html


@pytest.mark.parametrize(
    ("text", "href"),
    [
        ("[site](https://example.org/a?b=1&c=2)", "https://example.org/a?b=1&amp;c=2"),
        ("[site](http://example.org)", "http://example.org"),
        ("[mail](mailto:mara@example.org)", "mailto:mara@example.org"),
        ("<https://example.org>", "https://example.org"),
        ("[a resource](/resources/12/)", "/resources/12/"),
        ("[ref][r]\n\n[r]: https://example.org/ref", "https://example.org/ref"),
    ],
)
def test_safe_links_render_with_rel(text, href):
    html = render_markdown(text)
    assert f'href="{href}"' in html
    assert f'rel="{LINK_REL}"' in html
    assert_inert(html)


def test_every_link_gets_rel_and_title_is_kept():
    html = render_markdown('[a](https://a.example "A title") and [b](https://b.example)')
    tags = [(tag, dict(attrs)) for tag, attrs in _tags(html) if tag == "a"]
    assert len(tags) == 2
    assert all(attrs["rel"] == "nofollow ugc noopener noreferrer" for _, attrs in tags)
    assert tags[0][1]["title"] == "A title"


def test_bare_urls_stay_text():
    assert render_markdown("see https://example.org") == "<p>see https://example.org</p>"


def test_images_become_links_to_the_picture():
    html = render_markdown("![A *class* photo](https://example.org/p.png)")
    assert html == (
        f'<p><a href="https://example.org/p.png" rel="{LINK_REL}">A class photo</a></p>'
    )
    assert render_markdown("![](https://example.org/p.png)") == (
        f'<p><a href="https://example.org/p.png" rel="{LINK_REL}">https://example.org/p.png</a></p>'
    )


def test_image_inside_link_keeps_only_its_description():
    html = render_markdown("[![logo](https://example.org/l.png)](https://example.org)")
    assert html == f'<p><a href="https://example.org" rel="{LINK_REL}">logo</a></p>'


@pytest.mark.parametrize("text", ["", " ", "\n\n\t  \n"])
def test_empty_input_gives_empty_output(text):
    assert render_markdown(text) == ""
    assert render_plain_excerpt(text, 50) == ""


def test_filters_handle_none():
    rendered = Template(
        "{% load kindling_tags %}[{{ body|markdown }}][{{ body|excerpt:9 }}]"
    ).render(Context({"body": None}))
    assert rendered == "[][]"


def test_markdown_filter_output_is_not_escaped_again():
    rendered = Template("{% load kindling_tags %}{{ body|markdown }}").render(
        Context({"body": "Tom & *Jerry* <3"})
    )
    assert rendered == "<p>Tom &amp; <em>Jerry</em> &lt;3</p>"


def test_excerpt_strips_markup_and_collapses_whitespace():
    text = "# Ratios\n\nA **short**   unit on\n\n- [ratios](https://example.org)\n- `tables`"
    assert render_plain_excerpt(text, 200) == "Ratios A short unit on ratios tables"


def test_excerpt_cuts_at_a_word_boundary_with_an_ellipsis():
    text = "Students design a *garden* using ratios and proportional reasoning."
    excerpt = render_plain_excerpt(text, 30)
    assert excerpt == "Students design a garden…"
    assert len(excerpt) <= 30
    # A cut that lands exactly before a space keeps the whole word.
    assert render_plain_excerpt("one two three", 8) == "one two…"
    # Trailing punctuation is not left dangling before the ellipsis.
    assert render_plain_excerpt("First, second, third", 15) == "First, second…"


def test_excerpt_of_one_long_word_is_cut_inside_it():
    assert render_plain_excerpt("a" * 50, 10) == "a" * 9 + "…"


def test_short_text_excerpt_is_unchanged():
    assert render_plain_excerpt("Just *this*.", 200) == "Just this."


def test_excerpt_filter_escapes_its_plain_text():
    rendered = Template("{% load kindling_tags %}{{ body|excerpt:200 }}").render(
        Context({"body": "Use `a < b` & *c*"})
    )
    assert rendered == "Use a &lt; b &amp; c"


def test_excerpt_needs_a_positive_length():
    with pytest.raises(ValueError, match="at least one"):
        render_plain_excerpt("text", 0)


def test_large_input_renders():
    # About 200 KB of what members write: prose with some emphasis, links, lists and headings.
    section = (
        "## Week plan\n\n"
        + (
            "Students **compare ratios** in recipes, then scale them for the whole class. "
            "We used the [shared planner](https://example.org/planner) and *lots* of "
            "`tables`; the quieter groups liked working in pairs first. "
        )
        * 4
        + "\n\n- measure\n- compare\n- explain <b>why</b>\n\n> What changed?\n\n"
    )
    text = section * (200_000 // len(section) + 1)
    assert len(text) >= 200_000
    html = render_markdown(text)
    assert html.count("<strong>compare ratios</strong>") == text.count("**compare ratios**")
    assert html.count("<h2>Week plan</h2>") == text.count("## Week plan")
    assert "<b>" not in html
    assert_inert(html)
    excerpt = render_plain_excerpt(text, 200)
    assert excerpt.startswith("Week plan Students compare ratios in recipes")
    assert len(excerpt) <= 200


@pytest.mark.parametrize(
    "text",
    [
        "[" * 10_000,
        "![" * 5_000,
        "*a " * 5_000,
        "**a" * 5_000,
        ">" * 10_000 + " x",
        "`" * 10_000,
        "<" * 10_000,
        "|a\n" * 5_000,
    ],
)
def test_pathological_input_renders(text):
    # Deep nesting and unmatched delimiters are the usual slow paths for Markdown parsers.
    html = render_markdown(text)
    assert html
    assert_inert(html)
