"""Search, and what Kindling suggests while a member types a need: ranked, highlighted, faceted
results only from what the member may see; related posts and members who can help, one of whom
the asker invites."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from kindling.accounts.tests.factories import PASSWORD
from kindling.commons.models import Need, NeedInvitation, Tag
from kindling.commons.tests.factories import (
    CircleFactory,
    CircleMembershipFactory,
    FreeTagFactory,
    NeedFactory,
    ResourceFactory,
    ResponseFactory,
)
from kindling.notifications.models import Notification
from tests.browser.checks import JOURNEY, check_page, sign_in, sign_out

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

pytestmark = [*JOURNEY, pytest.mark.usefixtures("established_members")]


def header_search(page: Page) -> Locator:
    return page.get_by_role("banner").get_by_role("search")


def hit_titles(page: Page) -> list[str]:
    return [title.strip() for title in page.locator(".search-hit h3").all_inner_texts()]


@pytest.mark.browser
def test_a_member_searches_refines_by_type_and_tag_and_opens_a_result(page: Page, lan, kwame):
    science = Tag.objects.get(kind="subject", slug="science")
    inquiry = FreeTagFactory(slug="inquiry", name="inquiry")
    lab = ResourceFactory(
        author=kwame,
        title="Photosynthesis lab with floating leaf discs",
        body="Leaf discs float as photosynthesis makes oxygen: time photosynthesis in the light.",
    )
    lab.tags.add(science, inquiry)
    ResourceFactory(
        author=kwame,
        title="Exit tickets for a plant unit",
        body="Three questions on photosynthesis.",
    ).tags.add(science)
    need = NeedFactory(
        author=kwame, title="Hands-on photosynthesis for 6th grade", details="No lab budget."
    )
    ResponseFactory(need=need, author=lan, body="Spinach leaves and a syringe do it.")
    # Content in an invite-only circle the member is not in.
    circle = CircleFactory(name="Quiet lab", visibility="invite", created_by=kwame)
    CircleMembershipFactory(circle=circle, user=kwame, role="owner")
    ResourceFactory(
        author=kwame, circle=circle, title="Photosynthesis stomata secret", body="Stomata."
    )

    sign_in(page, lan.email, PASSWORD)
    header_search(page).get_by_label("Search Kindling").fill("photosynthesis")
    header_search(page).get_by_label("Search Kindling").press("Enter")
    page.wait_for_url("**/search/?q=photosynthesis")
    check_page(page)
    titles = hit_titles(page)
    assert titles[0] == "Photosynthesis lab with floating leaf discs"
    assert "Photosynthesis stomata secret" not in titles
    # The need, and the member's response to it (listed as a reply to it), match too.
    assert page.get_by_role("heading", name="4 results").count() == 1
    # The query's word is marked in titles and snippets, and nothing else is.
    assert page.locator(".search-hit").first.locator("h3 mark").inner_text() == "Photosynthesis"
    marks = page.locator(".search-hit mark").all_inner_texts()
    assert {mark.lower() for mark in marks} == {"photosynthesis"}

    facets = page.get_by_role("complementary", name="Refine")
    facets.get_by_role("link", name="Resources").click()
    page.wait_for_url("**type=resource**")
    check_page(page)
    assert set(page.locator(".search-hit__kind").all_text_contents()) == {"Resource"}
    assert len(hit_titles(page)) == 2

    facets.get_by_role("link", name="inquiry").click()
    page.wait_for_url("**tag=inquiry**")
    check_page(page)
    assert hit_titles(page) == ["Photosynthesis lab with floating leaf discs"]
    # The tag in use is marked as the current one, and offered for removal by its name.
    assert facets.get_by_role("link", name="inquiry", exact=True).count() == 0
    assert facets.locator('li[aria-current="true"]').inner_text().startswith("inquiry")
    assert facets.get_by_role("link", name="Remove filter “inquiry”").count() == 1

    page.get_by_role("link", name="Photosynthesis lab with floating leaf discs").click()
    page.wait_for_url(f"**{lab.get_absolute_url()}")
    check_page(page)


@pytest.mark.browser
def test_a_misspelled_search_offers_the_right_word_and_private_circles_stay_private(
    page: Page, lan, kwame
):
    ResourceFactory(author=kwame, title="Photosynthesis lab", body="Leaf discs in the light.")
    circle = CircleFactory(name="Quiet lab", visibility="invite", created_by=kwame)
    CircleMembershipFactory(circle=circle, user=kwame, role="owner")
    ResourceFactory(author=kwame, circle=circle, title="Stomata under the microscope")

    sign_in(page, lan.email, PASSWORD)
    page.goto("/search/")
    check_page(page)
    main = page.get_by_role("main")
    main.get_by_label("Search").fill("photosynthisis")
    main.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search/?q=photosynthisis")
    check_page(page)
    assert page.get_by_role("heading", name="0 results").count() == 1
    # The word as written, not the index's stem of it ("photosynthesi").
    suggestion = page.locator(".search-suggestion").get_by_role("link")
    assert suggestion.inner_text() == "photosynthesis"
    suggestion.click()
    page.wait_for_url("**/search/?q=photosynthesis")
    check_page(page)
    assert hit_titles(page) == ["Photosynthesis lab"]

    # One search box on the search page: the header's is left out there.
    assert header_search(page).count() == 0
    # The private circle's resource is found by nobody outside it, nor hinted at.
    main.get_by_label("Search").fill("stomata")
    main.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search/?q=stomata")
    check_page(page)
    assert hit_titles(page) == []
    assert page.get_by_text("Nothing you can see matches every word.").count() == 1
    assert page.get_by_text("Did you mean").count() == 0


@pytest.mark.browser
def test_a_visitor_who_searches_is_sent_to_sign_in_and_back_to_the_results(page: Page, lan):
    ResourceFactory(title="Photosynthesis lab", body="Leaf discs in the light.")
    page.goto("/search/?q=photosynthesis")
    page.wait_for_url("**/accounts/login/**")
    check_page(page)
    assert page.get_by_role("search").count() == 0
    page.get_by_label("Email").fill(lan.email)
    page.get_by_label("Password", exact=False).first.fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/search/?q=photosynthesis")
    check_page(page)
    assert hit_titles(page) == ["Photosynthesis lab"]


@pytest.mark.browser
def test_while_typing_a_need_the_asker_sees_helpers_with_reasons_and_invites_one(
    page: Page, lan, kwame
):
    from kindling.expertise.actions import recompute_expertise

    science = Tag.objects.get(kind="subject", slug="science")
    rubrics = FreeTagFactory(slug="rubrics", name="rubrics")
    ResourceFactory(author=kwame, title="Co-written rubric for science projects").tags.add(
        science, rubrics
    )
    for index in range(3):
        answered = NeedFactory(title=f"Rubric for a science fair project {index}")
        answered.tags.add(science, rubrics)
        ResponseFactory(
            need=answered, author=kwame, body="Co-write the rubric criteria.", helped=True
        )
    recompute_expertise([kwame.pk])

    sign_in(page, lan.email, PASSWORD)
    page.goto("/needs/new/")
    check_page(page)
    # The subject first: then the last suggestions asked for are those after the typing stops.
    page.get_by_label("Science", exact=True).check()
    page.get_by_label("What do you need?").fill("A rubric for my science project")
    page.get_by_label("Details").press_sequentially("Criteria my 7th graders can co-write.")
    suggestions = page.locator("#need-suggestions")
    suggestions.get_by_role("heading", name="Members who can help").wait_for()
    check_page(page)
    assert (
        suggestions.get_by_role("link", name="Co-written rubric for science projects").count() == 1
    )
    assert suggestions.get_by_role("link", name="Rubric for a science fair project 0").count() == 1
    helper = suggestions.locator(".helper", has=page.get_by_role("link", name="Kwame Mensah"))
    reasons = helper.locator(".reasons li").all_inner_texts()
    assert "answered 3 needs tagged Science, 3 marked helpful" in reasons
    assert suggestions.locator(".helper").count() == 1
    # Nothing to invite to until the need exists.
    assert suggestions.get_by_role("button").count() == 0

    page.get_by_role("button", name="Post my need").click()
    page.wait_for_url(re.compile(r"/needs/\d+/$"))
    check_page(page)
    need = Need.objects.get(author=lan)
    page.get_by_role("button", name="Invite to help Kwame Mensah").click()
    page.get_by_role("status").get_by_text("Kwame Mensah is invited to help.").wait_for()
    check_page(page)
    assert page.get_by_role("button", name="Invite to help Kwame Mensah").count() == 0
    assert page.locator(".helper").get_by_text("Invited", exact=True).count() == 1
    assert NeedInvitation.objects.filter(need=need, invited=kwame, invited_by=lan).exists()
    sign_out(page)

    sign_in(page, kwame.email, PASSWORD)
    page.get_by_role("navigation", name="Account").get_by_role(
        "link", name="Notifications 1 unread"
    ).click()
    page.wait_for_url("**/notifications/")
    check_page(page)
    page.get_by_role(
        "button", name="Nguyễn Thị Lan asked for your help with “A rubric for my science project”"
    ).click()
    page.wait_for_url(f"**{need.get_absolute_url()}")
    check_page(page)
    assert Notification.objects.get(recipient=kwame, verb="need_invitation").read_at
