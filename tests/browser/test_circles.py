"""Circles: starting an invite-only circle, inviting a colleague, who accepts and sees inside."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from kindling.accounts.tests.factories import PASSWORD, UserFactory
from kindling.commons import circle_actions
from kindling.commons.models import Circle, CircleMembership
from kindling.commons.tests.factories import ResourceFactory
from tests.browser.checks import JOURNEY, check_page, sign_in, sign_out

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = JOURNEY


@pytest.fixture
def owner(db):
    return UserFactory(email="ines@example.org", profile__display_name="Inés Duarte")


@pytest.fixture
def colleague(db):
    return UserFactory(email="kofi@example.org", profile__display_name="Kofi Mensah")


@pytest.mark.browser
def test_an_owner_starts_an_invite_only_circle_and_a_colleague_joins_by_invitation(
    page: Page, owner, colleague
):
    sign_in(page, owner.email, PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Circles").click()
    page.wait_for_url("**/circles/")
    check_page(page)

    page.get_by_role("link", name="Start a circle").click()
    page.wait_for_url("**/circles/new/")
    check_page(page)
    page.get_by_role("button", name="Start the circle").click()  # nothing filled in yet
    page.wait_for_load_state("load")
    check_page(page)
    assert page.get_by_text("Please give the circle a name.").count() == 1

    page.get_by_label("Name").fill("Restorative circles")
    page.get_by_label("What this circle is about").fill("Talking circles in **middle school**.")
    page.get_by_label("Invite-only", exact=False).check()
    page.get_by_role("button", name="Start the circle").click()
    page.wait_for_url("**/circles/restorative-circles/")
    check_page(page)
    circle = Circle.objects.get()
    ResourceFactory(author=owner, circle=circle, title="Our talking-piece protocol")

    page.get_by_label("E-mail address or exact display name").fill("Nobody Here")
    page.get_by_role("button", name="Send the invitation").click()
    page.wait_for_load_state("load")
    check_page(page)
    assert page.get_by_text("No member has the e-mail address").count() == 1
    page.get_by_label("E-mail address or exact display name").fill("Kofi Mensah")
    page.get_by_role("button", name="Send the invitation").click()
    page.wait_for_load_state("load")
    check_page(page)
    sign_out(page)

    sign_in(page, colleague.email, PASSWORD)
    page.goto("/circles/restorative-circles/")
    check_page(page)
    assert page.get_by_text("Our talking-piece protocol").count() == 0
    page.goto("/circles/")
    page.get_by_role("link", name="My circle invitations").click()
    page.wait_for_url("**/circles/invitations/")
    check_page(page)
    page.get_by_role("button", name="Accept and join Restorative circles").click()
    page.wait_for_url("**/circles/restorative-circles/")
    check_page(page)
    assert page.get_by_text("Our talking-piece protocol").count() == 1
    assert CircleMembership.objects.filter(circle=circle, user=colleague).exists()

    page.get_by_role("link", name="Everyone in the circle").click()
    page.wait_for_url("**/members/")
    check_page(page)


@pytest.mark.browser
def test_the_circle_pages_fit_a_phone(phone_page: Page, owner, colleague):
    page = phone_page
    sign_in(page, colleague.email, PASSWORD)
    circle_actions.create_circle(
        owner, name="Quiet room", description="Invite-only.", visibility="invite"
    )
    page.goto("/circles/")
    check_page(page)
    page.get_by_role("link", name="Quiet room").click()
    page.wait_for_url("**/circles/quiet-room/")
    check_page(page)
    page.get_by_label("A note to the owners").fill("I run our school's peer mediation.")
    page.get_by_role("button", name="Ask to join").click()
    page.wait_for_load_state("load")
    check_page(page)
    assert page.get_by_text("Your request is sent").count() == 1
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not overflow
