"""Template helpers used across apps."""

from django import template
from django.http import HttpRequest

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context: template.Context, number: int) -> str:
    """The current URL's query string with only the page number changed."""
    request: HttpRequest = context["request"]
    params = request.GET.copy()
    params["page"] = str(number)
    return "?" + params.urlencode()
