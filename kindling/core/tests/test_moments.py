"""How long ago, in words: never "0 minutes ago"."""

from datetime import UTC, datetime, timedelta

from django.template import Context, Template
from django.utils import translation

from kindling.core.moments import ago

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def test_under_a_minute_is_just_now_and_later_moments_say_how_long_ago():
    assert ago(NOW, NOW) == "just now"
    assert ago(NOW - timedelta(seconds=59), NOW) == "just now"
    # timesince joins a number to its unit with a no-break space
    assert ago(NOW - timedelta(minutes=1), NOW) == "1\xa0minute ago"
    assert ago(NOW - timedelta(days=3, hours=2), NOW) == "3\xa0days, 2\xa0hours ago"


def test_moments_are_said_in_the_readers_language():
    with translation.override("es"):
        assert ago(NOW - timedelta(seconds=5), NOW) == "ahora mismo"
        assert ago(NOW - timedelta(days=3), NOW) == "hace 3\xa0días"


def test_the_template_filter_says_just_now_and_nothing_for_no_moment():
    template = Template("{% load kindling_tags %}[{{ when|ago }}][{{ missing|ago }}]")
    when = datetime.now(UTC) - timedelta(seconds=3)
    assert template.render(Context({"when": when, "missing": None})) == "[just now][]"
