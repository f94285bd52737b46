"""Small pieces every list and page of the commons repeats, built in Python.

A byline or a row of tag pills appears once per card, response and comment, up to a hundred
times a page; as ``{% include %}``s they were a large share of each page's rendering time, so
they are built here with ``format_html`` (which escapes every value) instead.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from kindling.core.moments import ago
from kindling.core.urlcache import url_with_id

register = template.Library()


@register.simple_tag
def byline(author: Any, when: Any, circle: Any = None, attribution: str = "") -> SafeString:
    """Who wrote a post, how long ago, in which circle, and the licence note of imported posts:
    ``{% byline need.author need.created_at need.circle need.attribution %}``."""
    profile = getattr(author, "profile", None)
    name = author.get_full_name() or author.email
    who = (
        format_html('<a href="{}">{}</a>', url_with_id("accounts:profile", profile.pk), name)
        if profile
        else name
    )
    moment = format_html(
        '<time datetime="{}">{}</time>',
        timezone.localtime(when).isoformat() if timezone.is_aware(when) else when.isoformat(),
        ago(when),
    )
    where = (
        format_html(' · {} <a href="{}">{}</a>', _("in"), circle.get_absolute_url(), circle.name)
        if circle
        else ""
    )
    html = format_html('<p class="byline muted">{} · {}{}</p>', who, moment, where)
    if attribution:
        html = format_html('{}\n<p class="attribution muted">{}</p>', html, attribution)
    return html


@register.simple_tag
def tag_pills(tags: Any, label: str = "") -> SafeString:
    """A post's tags as links to their pages: ``{% tag_pills resource.tags.all %}``."""
    items = format_html_join(
        "",
        '<li><a class="pill pill--{}" href="{}">{}</a></li>',
        ((tag.kind, tag.get_absolute_url(), tag.display_name) for tag in tags),
    )
    if not items:
        return SafeString()
    return format_html(
        '<ul class="pill-list tag-list" aria-label="{}">{}</ul>', label or _("Tags"), items
    )


@register.simple_tag(takes_context=True)
def useful_button(context: template.Context, kind: str, target: Any, voted: bool) -> SafeString:
    """The "Useful" toggle for a post, with its count; htmx swaps it in place, and without
    JavaScript it posts and comes back: ``{% useful_button "response" response voted %}``."""
    # Everything but the address, the pressed state and the count is the same for every button
    # of a page: built (and escaped) once per page.
    shared = context.render_context.get("useful_button")
    if shared is None:
        request = context.get("request")
        shared = context.render_context["useful_button"] = format_html(
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<input type="hidden" name="next" value="{}">',
            context.get("csrf_token", ""),
            request.get_full_path() if request is not None else "",
        )
    url = url_with_id("commons:vote", kind, target.pk)
    return format_html(
        '<form method="post" action="{url}" class="inline-form useful-form" hx-post="{url}"'
        ' hx-swap="outerHTML">\n  {shared}\n'
        '  <button type="submit" class="useful-button" aria-pressed="{pressed}">{label}'
        ' <span class="useful-count">{count}</span></button>\n</form>',
        url=url,
        shared=shared,
        pressed="true" if voted else "false",
        label=_("Useful ✓") if voted else _("Useful"),
        count=target.useful_count,
    )


@register.simple_tag(takes_context=True)
def response_item(context: template.Context, response: Any) -> SafeString:
    """One response of a thread: its part that reads the same for everyone (``response_html``,
    cached) and the viewer's buttons around it: useful, "this helped me" for the asker, flag.
    ``{% for response in responses %}{% response_item response %}{% endfor %}``"""
    from kindling.moderation.templatetags.moderation_tags import flag_link

    user = context.get("user")
    own = response.author_id == getattr(user, "pk", None)
    useful: Any = ""
    if not own:
        voted = response.pk in (context.get("voted_responses") or ())
        useful = useful_button(context, "response", response, voted)
    helpful: Any = ""
    if context.get("is_asker") and not own:
        helped = "0" if response.helped else "1"
        helpful = format_html(
            '<form method="post" action="{}" class="inline-form">'
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<input type="hidden" name="helped" value="{}"><button type="submit" class="{}">{}'
            "</button></form>",
            url_with_id("commons:response_helpful", response.pk),
            context.get("csrf_token", ""),
            helped,
            "button button--small button--quiet" if response.helped else "button button--small",
            _("Unmark helpful") if response.helped else _("This helped me"),
        )
    return format_html(
        '<li id="response-{}" class="response{}">\n{}\n<div class="action-bar">\n{}\n{}\n{}\n'
        "</div>\n</li>",
        int(response.pk),
        " response--helped" if response.helped else "",
        (context.get("response_html") or {}).get(response.pk, ""),
        useful,
        helpful,
        flag_link(context, "response", response.pk, response.author_id),
    )


@register.filter
def lineage_svg(drawing: Any, title: str) -> SafeString:
    """A lineage drawing as inline SVG: ``{{ drawing|lineage_svg:title }}``."""
    return drawing.svg(title)
