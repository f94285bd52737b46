from kindling.core.markdown import render_markdown
from kindling.integrations.stackexchange.markup import html_to_markdown, html_to_text


def test_paragraphs_are_separated_by_a_blank_line():
    assert html_to_markdown("<p>One.</p>\n<p>Two.</p>") == "One.\n\nTwo."


def test_a_line_break_stays_a_line_break():
    markdown = html_to_markdown("<p>first<br>second</p>")
    assert markdown == "first\\\nsecond"
    assert "<br" in render_markdown(markdown)


def test_inline_code_keeps_its_backticks_safe():
    assert html_to_markdown("<p>run <code>cardano-cli</code></p>") == "run `cardano-cli`"
    assert html_to_markdown("<p><code>a`b</code></p>") == "``a`b``"


def test_pre_code_becomes_a_fenced_block_with_its_language():
    html = '<pre class="lang-py prettyprint-override"><code>if a &lt; b:\n    pass\n</code></pre>'
    assert html_to_markdown(html) == "```py\nif a < b:\n    pass\n```"


def test_a_fence_is_longer_than_any_backticks_inside():
    assert html_to_markdown("<pre><code>```\nx\n```</code></pre>").startswith("````\n")


def test_links_become_markdown_links():
    assert html_to_markdown('<p>see <a href="https://cardano.org">the site</a></p>') == (
        "see [the site](https://cardano.org)"
    )


def test_a_link_with_parentheses_keeps_its_whole_address():
    markdown = html_to_markdown('<a href="https://en.wikipedia.org/wiki/A_(b)">A</a>')
    assert markdown == "[A](<https://en.wikipedia.org/wiki/A_(b)>)"
    assert 'href="https://en.wikipedia.org/wiki/A_(b)"' in render_markdown(markdown)


def test_lists_keep_their_markers_and_nesting():
    html = "<ul>\n<li>one</li>\n<li>two<ul><li>deeper</li></ul></li>\n</ul><ol><li>first</li><li>second</li></ol>"
    assert html_to_markdown(html) == "- one\n- two\n  - deeper\n\n1. first\n2. second"


def test_emphasis_and_strong_touch_their_words():
    assert html_to_markdown("<p>a<em> quick </em>and <strong>bold</strong> move</p>") == (
        "a *quick* and **bold** move"
    )


def test_blockquotes_are_quoted_line_by_line():
    assert html_to_markdown("<blockquote><p>one</p><p>two</p></blockquote>") == "> one\n>\n> two"


def test_markdown_characters_in_text_stay_text():
    markdown = html_to_markdown("<p>2 * 3 * 4 and [x] and snake_case</p><p># not a heading</p>")
    assert markdown == "2 \\* 3 \\* 4 and \\[x\\] and snake_case\n\n\\# not a heading"
    assert "<em>" not in render_markdown(markdown)
    assert "<h" not in render_markdown(markdown)


def test_headings_and_rules_are_kept():
    assert html_to_markdown("<h2>Setup</h2><hr><p>text</p>") == "## Setup\n\n* * *\n\ntext"


def test_images_become_links():
    assert html_to_markdown('<img src="https://i.stack.imgur.com/a.png" alt="diagram">') == (
        "[diagram](https://i.stack.imgur.com/a.png)"
    )


def test_other_elements_keep_only_their_text():
    assert html_to_markdown("<div><span>plain</span> <sup>2</sup><script>x()</script></div>") == (
        "plain 2"
    )


def test_broken_html_does_not_stop_the_conversion():
    assert html_to_markdown("<p>open <b>bold</p></div><p>next") == "open **bold**\n\nnext"


def test_html_to_text_drops_the_markup():
    html = '<p>I write <b>notes</b>.</p><ul><li>see <a href="https://x.org">this</a></li></ul>'
    assert html_to_text(html) == "I write notes.\n\n- see this (https://x.org)"


def test_empty_html_gives_empty_text():
    assert html_to_markdown("") == ""
    assert html_to_text("  \n ") == ""
