import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kindling.accounts.models import Profile
from kindling.accounts.tests.audio_samples import wav_bytes, webm_bytes
from kindling.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def profile_data(**overrides):
    data = {
        "display_name": "Alice Martín",
        "pronunciation": "AL-iss mar-TEEN",
        "pronouns": "she/her",
        "languages": "English, español, Hmong",
        "role": "teacher",
        "subjects": ["science", "mathematics"],
        "grade_bands": ["6-8"],
        "interests": "project-based learning, rubrics, project-based learning",
        "professional_goals": "Co-write rubrics with students.",
        "bio": "Seventh-grade science.",
        "time_zone": "America/Chicago",
    }
    data.update(overrides)
    return data


def test_member_saves_a_complete_profile(alice_client, alice):
    response = alice_client.post(reverse("accounts:profile_edit"), profile_data())
    assert response.status_code == 302
    profile = Profile.objects.get(user=alice)
    assert profile.languages == ["en", "es", "hmn"]
    assert profile.subjects == ["science", "mathematics"]
    assert profile.interests == ["project-based learning", "rubrics"]
    assert profile.time_zone == "America/Chicago"


def test_unknown_language_is_named_and_everything_typed_is_kept(alice_client):
    data = profile_data(languages="English, Klingonese", bio="My long bio that must survive.")
    response = alice_client.post(reverse("accounts:profile_edit"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Klingonese" in page
    assert "We could not find these languages" in page
    assert "My long bio that must survive." in page
    assert 'aria-invalid="true"' in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("display_name", "   ", "This field is required"),
        ("display_name", "x" * 81, "at most 80 characters"),
        ("role", "wizard", "Select a valid choice"),
        ("subjects", ["astrology"], "Select a valid choice"),
        ("time_zone", "Mars/Olympus_Mons", "Select a valid choice"),
        ("interests", ", ".join(f"topic {i}" for i in range(25)), "at most 20 interests"),
        ("interests", "a" * 41, "under 40 characters"),
        ("bio", "b" * 2001, "at most 2000 characters"),
    ],
)
def test_bad_profile_input_gets_a_clear_message(alice_client, field, value, message):
    response = alice_client.post(reverse("accounts:profile_edit"), profile_data(**{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()


def test_recorded_name_is_saved_and_played_back_with_its_real_type(
    alice_client, alice, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    clip = SimpleUploadedFile(
        "recording.bin", webm_bytes(2.0, declare_duration=False), "text/plain"
    )
    response = alice_client.post(
        reverse("accounts:profile_edit"), profile_data(pronunciation_audio=clip)
    )
    assert response.status_code == 302
    profile = Profile.objects.get(user=alice)
    assert profile.pronunciation_audio.name.endswith(".webm")
    assert profile.pronunciation_audio_type == "audio/webm"
    played = alice_client.get(reverse("accounts:audio", args=[profile.pk]))
    assert played.status_code == 200
    assert played["Content-Type"] == "audio/webm"
    assert played["X-Content-Type-Options"] == "nosniff"


def test_replacing_a_recording_removes_the_old_file(
    alice_client, alice, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    url = reverse("accounts:profile_edit")
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(
            url, profile_data(pronunciation_audio=SimpleUploadedFile("a.wav", wav_bytes(1)))
        )
    first = Profile.objects.get(user=alice).pronunciation_audio.path
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(
            url, profile_data(pronunciation_audio=SimpleUploadedFile("b.wav", wav_bytes(2)))
        )
    second = Profile.objects.get(user=alice).pronunciation_audio.path
    assert first != second
    assert not (tmp_path / first).exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<script>alert(1)</script>", "not an audio recording we can play"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "not an audio recording we can play"),
    ],
)
def test_upload_that_is_not_audio_is_refused(
    alice_client, alice, content, message, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    clip = SimpleUploadedFile("name.mp3", content, "audio/mpeg")
    response = alice_client.post(
        reverse("accounts:profile_edit"), profile_data(pronunciation_audio=clip)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Profile.objects.get(user=alice).pronunciation_audio


def test_upload_too_long_is_refused(alice_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PRONUNCIATION_AUDIO_MAX_SECONDS = 5
    clip = SimpleUploadedFile("long.wav", wav_bytes(9))
    response = alice_client.post(
        reverse("accounts:profile_edit"), profile_data(pronunciation_audio=clip)
    )
    assert "please keep it under 5" in response.content.decode()


def test_upload_too_large_is_refused(alice_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PRONUNCIATION_AUDIO_MAX_BYTES = 4096
    clip = SimpleUploadedFile("big.wav", wav_bytes(3))
    response = alice_client.post(
        reverse("accounts:profile_edit"), profile_data(pronunciation_audio=clip)
    )
    assert "the limit is 4.0" in response.content.decode()


def test_profile_page_shows_phonetic_text_and_play_button(bob_client, alice, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    alice.profile.pronunciation_audio = SimpleUploadedFile("n.wav", wav_bytes(1))
    alice.profile.pronunciation_audio_type = "audio/wav"
    alice.profile.save()
    page = bob_client.get(alice.profile.get_absolute_url()).content.decode()
    assert "AL-iss mar-TEEN" in page
    assert "data-play-audio" in page
    assert "English, Spanish" in page


def test_visitor_who_is_not_signed_in_cannot_see_profiles_or_recordings(client, alice):
    for url in [
        reverse("accounts:member_list"),
        alice.profile.get_absolute_url(),
        reverse("accounts:audio", args=[alice.profile.pk]),
        reverse("accounts:profile_edit"),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_deactivated_member_profile_is_not_found(bob_client, alice):
    alice.is_active = False
    alice.save()
    assert bob_client.get(alice.profile.get_absolute_url()).status_code == 404


def test_member_can_only_edit_their_own_profile(bob_client, alice, bob):
    bob_client.post(reverse("accounts:profile_edit"), profile_data(display_name="Hijacked"))
    alice.profile.refresh_from_db()
    assert alice.profile.display_name == "Alice Martín"
    assert Profile.objects.get(user=bob).display_name == "Hijacked"


def test_user_text_is_escaped_on_the_profile_page(bob_client, alice):
    alice.profile.bio = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    alice.profile.display_name = "<b>Alice</b>"
    alice.profile.save()
    page = bob_client.get(alice.profile.get_absolute_url()).content.decode()
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "&lt;b&gt;Alice&lt;/b&gt;" in page


def test_member_list_runs_a_fixed_number_of_queries(bob_client, django_assert_num_queries):
    UserFactory.create_batch(5)
    with django_assert_num_queries(5) as first:
        bob_client.get(reverse("accounts:member_list"))
    UserFactory.create_batch(20)
    with django_assert_num_queries(len(first.captured_queries)):
        response = bob_client.get(reverse("accounts:member_list"))
    assert response.status_code == 200


def test_member_list_filters_by_role_and_name(bob_client, alice):
    UserFactory(profile__display_name="Coach Carter", profile__role="coach")
    page = bob_client.get(reverse("accounts:member_list"), {"role": "coach"}).content.decode()
    assert "Coach Carter" in page
    assert "Alice Martín" not in page
    page = bob_client.get(reverse("accounts:member_list"), {"q": "alice"}).content.decode()
    assert "Alice Martín" in page


def test_profile_page_in_spanish_names_languages_in_spanish(bob_client, alice):
    page = bob_client.get(
        alice.profile.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="es"
    ).content.decode()
    assert "Inglés" in page or "inglés" in page


def test_an_admin_can_make_a_member_a_moderator(admin_client, alice):
    url = reverse("admin:accounts_user_change", args=[alice.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert 'name="is_moderator"' in page.content.decode()


def test_a_member_cannot_open_the_admin(alice_client):
    response = alice_client.get(reverse("admin:accounts_user_changelist"))
    assert response.status_code == 302


def test_profile_page_runs_a_fixed_number_of_queries(bob_client, alice, django_assert_num_queries):
    from kindling.commons.tests.factories import NeedFactory, ResourceFactory, ResponseFactory

    ResourceFactory(author=alice)
    with django_assert_num_queries(11) as first:
        bob_client.get(alice.profile.get_absolute_url())
    ResourceFactory.create_batch(12, author=alice)
    NeedFactory.create_batch(12, author=alice)
    ResponseFactory.create_batch(12, author=alice, helped=True)
    with django_assert_num_queries(len(first.captured_queries)):
        page = bob_client.get(alice.profile.get_absolute_url()).content.decode()
    assert "12 responses marked helpful" in page
