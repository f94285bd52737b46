"""Keeping a profile: what to call me, how to say my name (uploaded or recorded), what I teach."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from kindling.accounts.models import Profile
from kindling.accounts.tests.audio_samples import wav_bytes
from kindling.accounts.tests.factories import PASSWORD, UserFactory
from tests.browser.checks import JOURNEY, check_page, sign_in

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = JOURNEY


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def member(db):
    return UserFactory(
        email="tomas@example.org", profile__display_name="Tomás Ngata", profile__time_zone="UTC"
    )


def open_profile_editor(page: Page) -> None:
    page.get_by_role("navigation", name="Account").get_by_role("link", name="My profile").click()
    page.wait_for_url("**/members/*/")
    check_page(page)
    page.get_by_role("link", name="Edit my profile").click()
    page.wait_for_url("**/me/edit/")
    check_page(page)


def save_profile(page: Page) -> None:
    page.get_by_role("button", name="Save my profile").click()
    page.wait_for_load_state("load")
    check_page(page)


@pytest.mark.browser
def test_a_member_fills_in_their_profile_and_records_their_name(
    page: Page, member, media, tmp_path
):
    sign_in(page, member.email, PASSWORD)
    open_profile_editor(page)

    page.get_by_label("Pronouns").fill("he/him")
    page.get_by_label("How to say my name").fill("toh-MAHS NGAH-tah")
    page.get_by_label("Languages I speak").fill("English, Spanish")
    subjects = page.get_by_role("group", name="Subjects")
    subjects.get_by_label("Science", exact=True).check()
    subjects.get_by_label("Mathematics", exact=True).check()
    page.get_by_label("Time zone").select_option("America/Bogota")
    page.get_by_label("About me").fill("I teach physics through kite-building.")
    clip = tmp_path / "my-name.wav"
    clip.write_bytes(wav_bytes(1.5))
    page.get_by_label("Recording of my name").set_input_files(clip)
    save_profile(page)

    assert page.get_by_text("Your profile is saved.").is_visible()
    assert page.get_by_role("heading", level=1).inner_text() == "Tomás Ngata (he/him)"
    assert page.locator(".phonetic").inner_text() == "toh-MAHS NGAH-tah"
    assert page.get_by_text("English, Spanish").is_visible()
    assert page.get_by_text("Mathematics, Science").is_visible()
    assert page.get_by_text("America/Bogota").is_visible()
    assert page.get_by_text("I teach physics through kite-building.").is_visible()
    play = page.get_by_role("button", name="Hear how to say Tomás Ngata")
    assert play.is_visible()
    with page.expect_response(lambda response: "name-recording" in response.url) as answer:
        play.click()
    assert answer.value.ok
    assert answer.value.headers["content-type"] == "audio/wav"
    page.wait_for_timeout(300)  # let the clip start: a broken player would have thrown by now
    check_page(page)
    profile = Profile.objects.get(user=member)
    assert profile.pronunciation_audio_type == "audio/wav"
    assert profile.languages == ["en", "es"]

    # Now record in the browser instead (Chromium's fake microphone plays a beep).
    page.get_by_role("link", name="Edit my profile").click()
    page.wait_for_url("**/me/edit/")
    check_page(page)
    page.get_by_role("button", name="Record my name").click()
    page.get_by_role("button", name="Stop").wait_for(state="visible")
    page.wait_for_timeout(1500)
    page.get_by_role("button", name="Stop").click()
    page.get_by_text("Recorded. Listen to it, then save your profile to keep it.").wait_for()
    check_page(page)
    save_profile(page)

    assert page.get_by_text("Your profile is saved.").is_visible()
    profile.refresh_from_db()
    assert profile.pronunciation_audio_type == "audio/webm"
    assert profile.pronunciation_audio.name.endswith(".webm")
    assert profile.pronunciation == "toh-MAHS NGAH-tah"
    assert page.get_by_role("button", name="Hear how to say Tomás Ngata").is_visible()


@pytest.mark.browser
def test_a_file_that_is_not_audio_is_refused_and_nothing_typed_is_lost(
    page, member, media, tmp_path
):
    sign_in(page, member.email, PASSWORD)
    page.goto("/me/edit/")
    check_page(page)
    page.get_by_label("Pronouns").fill("he/him")
    page.get_by_label("How to say my name").fill("toh-MAHS NGAH-tah")
    page.get_by_label("About me").fill("I teach physics through kite-building.")
    fake = tmp_path / "name.mp3"
    fake.write_text("These are my lesson notes, not a recording.\n" * 20)
    page.get_by_label("Recording of my name").set_input_files(fake)
    save_profile(page)

    assert "/me/edit/" in page.url
    assert page.get_by_text("not an audio recording we can play").is_visible()
    assert page.get_by_label("Pronouns").input_value() == "he/him"
    assert page.get_by_label("How to say my name").input_value() == "toh-MAHS NGAH-tah"
    assert page.get_by_label("About me").input_value() == "I teach physics through kite-building."
    profile = Profile.objects.get(user=member)
    assert not profile.pronunciation_audio
    assert profile.pronouns == ""
