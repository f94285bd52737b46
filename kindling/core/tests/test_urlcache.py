from django.urls import reverse

from kindling.core.urlcache import plain_url, url_with_id


def test_urls_with_ids_match_reverse():
    for name, args in [
        ("commons:vote", ("response", 12)),
        ("commons:resource", (3,)),
        ("accounts:profile", (40_000,)),
    ]:
        assert url_with_id(name, *args) == reverse(name, args=args)
    assert plain_url("moderation:flag") == reverse("moderation:flag")


def test_a_script_prefix_is_kept(settings):
    from django.urls import set_script_prefix

    set_script_prefix("/kindling/")
    try:
        assert url_with_id("commons:need", 7) == "/kindling/needs/7/"
    finally:
        set_script_prefix("/")
