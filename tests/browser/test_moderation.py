"""Moderation: members flag a resource until it is hidden, a moderator reviews and restores it;
a member blocks another from their profile and unblocks them from account settings."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from kindling.accounts.tests.factories import PASSWORD, UserFactory
from kindling.commons.models import Resource
from kindling.commons.tests.factories import ResourceFactory
from kindling.moderation import actions
from kindling.moderation.queries import has_blocked
from tests.browser.checks import JOURNEY, check_page, sign_in, sign_out

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = JOURNEY


@pytest.mark.browser
def test_flags_hide_a_post_and_a_moderator_restores_it(page: Page):
    author = UserFactory(profile__display_name="Ana Author")
    reporter = UserFactory(email="rita@example.org", profile__display_name="Rita Reporter")
    moderator = UserFactory(
        email="mo@example.org", is_moderator=True, profile__display_name="Mo Moderator"
    )
    resource = ResourceFactory(author=author, title="Discount tablets for classrooms")
    for member in UserFactory.create_batch(2):
        actions.flag_content(member, "resource", resource.pk, reason="spam")

    sign_in(page, reporter.email, PASSWORD)
    page.goto(f"/moderation/flag/?kind=resource&object_id={resource.pk}")
    check_page(page)  # the page the flag form falls back to without the post around it
    page.goto(resource.get_absolute_url())
    check_page(page)
    page.get_by_text("Flag for moderators").first.click()
    check_page(page)  # the opened form too
    page.get_by_label("What is wrong with it?").first.select_option("spam")
    page.get_by_label("Tell the moderators more").first.fill("A sales pitch.")
    page.get_by_role("button", name="Send to moderators").first.click()
    page.wait_for_load_state("load")
    check_page(page)
    assert page.get_by_text("it is hidden until a moderator reviews it").count() == 1
    resource.refresh_from_db()
    assert resource.is_hidden
    sign_out(page)

    sign_in(page, moderator.email, PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Moderation").click()
    page.wait_for_url("**/moderation/")
    check_page(page)
    page.get_by_role("link", name="Discount tablets for classrooms").click()
    page.wait_for_url(f"**/moderation/review/resource/{resource.pk}/")
    check_page(page)
    page.get_by_role("button", name="Restore").click()  # no reason yet
    page.wait_for_load_state("load")
    check_page(page)
    assert page.get_by_text("Please give a reason").count() >= 1
    page.get_by_label("Why restore it?").fill("A fair offer, shared in good faith.")
    page.get_by_role("button", name="Restore").click()
    page.wait_for_url(f"**/moderation/review/resource/{resource.pk}/")
    check_page(page)
    assert not Resource.objects.get(pk=resource.pk).is_hidden

    page.get_by_role("link", name="Moderate this member").click()
    page.wait_for_url(f"**/moderation/members/{author.pk}/")
    check_page(page)
    page.get_by_role("link", name="Audit log").click()
    page.wait_for_url("**/moderation/audit/")
    check_page(page)
    assert page.get_by_text("A fair offer, shared in good faith.").count() == 1
    page.get_by_role("link", name="Hidden").click()
    page.wait_for_url("**/moderation/hidden/")
    check_page(page)
    page.goto(f"/moderation/review/resource/{resource.pk}/edit/")
    check_page(page)
    page.get_by_label("Reason").fill("Removed the price list.")
    page.get_by_label("Text").fill("Tablets for classrooms, without the price list.")
    page.get_by_role("button", name="Save the change").click()
    page.wait_for_url(f"**/moderation/review/resource/{resource.pk}/")
    check_page(page)
    assert Resource.objects.get(pk=resource.pk).version == 2


@pytest.mark.browser
def test_a_member_blocks_and_unblocks_another(phone_page: Page):
    page = phone_page
    member = UserFactory(email="bea@example.org", profile__display_name="Bea Blocker")
    other = UserFactory(profile__display_name="Noisy Neighbour")
    sign_in(page, member.email, PASSWORD)
    page.goto(other.profile.get_absolute_url())
    check_page(page)
    page.get_by_role("button", name="Block Noisy Neighbour").click()
    page.wait_for_load_state("load")
    check_page(page)
    assert has_blocked(member.pk, other.pk)
    page.goto("/moderation/blocked/")
    check_page(page)
    page.get_by_role("button", name="Unblock Noisy Neighbour").click()
    page.wait_for_load_state("load")
    check_page(page)
    assert not has_blocked(member.pk, other.pk)
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
