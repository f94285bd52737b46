"""The member space's central journey: build on a resource, ask for help, respond, mark helpful."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from kindling.accounts.tests.factories import PASSWORD
from kindling.commons.models import Lineage, Need, Resource, Response
from kindling.commons.tests.factories import ResourceFactory
from tests.browser.checks import JOURNEY, check_page, sign_in, sign_out

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [*JOURNEY, pytest.mark.usefixtures("established_members")]


@pytest.mark.browser
def test_a_member_builds_on_a_resource_asks_for_help_and_marks_what_helped(
    page: Page, live_server, lan, kwame
):
    original = ResourceFactory(author=kwame, title="Co-written science rubric")

    # 1. Publish a resource that builds on another.
    sign_in(page, lan.email, PASSWORD)
    page.goto(live_server.url + original.get_absolute_url())
    check_page(page)
    page.get_by_role("link", name="Build on this").click()
    page.wait_for_load_state("load")
    check_page(page)
    page.get_by_role("button", name="Publish").click()  # empty: told what is missing
    page.wait_for_load_state("load")
    check_page(page)
    assert page.get_by_text("Please give it a title.").count() == 1
    page.get_by_label("Title").fill("Water-filter project rubric")
    page.get_by_label("The resource").fill("Adds a **testing** criterion to the co-written rubric.")
    page.get_by_label("Science", exact=True).check()
    page.get_by_role("button", name="Publish").click()
    page.wait_for_load_state("load")
    check_page(page)
    mine = Resource.objects.get(title="Water-filter project rubric")
    assert Lineage.objects.filter(resource=mine, builds_on=original).exists()
    assert page.locator("figure.lineage svg").count() == 1
    assert page.get_by_role("link", name="Co-written science rubric").count() >= 1

    # 2. Post a need.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Needs").click()
    page.wait_for_load_state("load")
    check_page(page)
    page.get_by_role("link", name="Ask for help").first.click()
    page.wait_for_load_state("load")
    check_page(page)
    page.get_by_label("What do you need?").fill("Peer-feedback frames for 7th graders")
    page.get_by_label("Details").fill("By Friday, for a design project.")
    page.get_by_label("Grades 6–8", exact=True).check()
    page.get_by_role("button", name="Post my need").click()
    page.wait_for_load_state("load")
    check_page(page)
    need = Need.objects.get()
    sign_out(page)

    # 3. Another member responds.
    sign_in(page, kwame.email, PASSWORD)
    page.goto(live_server.url + need.get_absolute_url())
    check_page(page)
    page.get_by_label("Your response").fill("Try glow / grow / *what if*.")
    page.get_by_label("A resource that helps").fill(str(original.pk))
    page.get_by_role("button", name="Post my response").click()
    page.wait_for_load_state("load")
    check_page(page)
    response = Response.objects.get()
    assert response.resource == original
    sign_out(page)

    # 4. The asker marks it helpful.
    sign_in(page, lan.email, PASSWORD)
    page.goto(live_server.url + need.get_absolute_url())
    check_page(page)
    page.get_by_role("button", name="This helped me").click()
    page.wait_for_load_state("load")
    check_page(page)
    response.refresh_from_db()
    assert response.helped
    assert page.get_by_text("Helped the asker").count() == 1


@pytest.mark.browser
def test_marking_a_resource_useful_updates_in_place(page: Page, live_server, lan, kwame):
    resource = ResourceFactory(author=kwame, title="Number talks for fractions")
    sign_in(page, lan.email, PASSWORD)
    page.goto(live_server.url + resource.get_absolute_url())
    check_page(page)
    button = page.get_by_role("button", name="Useful")
    button.click()
    page.wait_for_selector("button.useful-button[aria-pressed=true]")
    check_page(page)
    resource.refresh_from_db()
    assert resource.useful_count == 1
