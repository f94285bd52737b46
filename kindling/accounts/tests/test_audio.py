import io

import pytest

from kindling.accounts.audio import AudioError, inspect_audio, sniff_audio_type
from kindling.accounts.tests.audio_samples import wav_bytes, webm_bytes


def test_wav_is_identified_and_measured_from_its_bytes():
    facts = inspect_audio(io.BytesIO(wav_bytes(2.0)))
    assert facts.content_type == "audio/wav"
    assert facts.seconds == pytest.approx(2.0, abs=0.01)


def test_webm_without_declared_duration_is_measured_from_its_last_block():
    facts = inspect_audio(io.BytesIO(webm_bytes(3.0, declare_duration=False)))
    assert facts.content_type == "audio/webm"
    assert facts.seconds == pytest.approx(2.98, abs=0.05)


def test_webm_declared_duration_is_used_when_present():
    data = webm_bytes(4.0, declare_duration=True, unknown_sizes=False)
    assert inspect_audio(io.BytesIO(data)).seconds == pytest.approx(4.0, abs=0.01)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"hello, this is text pretending to be audio",
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 50,
        b"RIFF\x00\x00\x00\x00WAVE",  # a WAV header with nothing inside
        b"\x1a\x45\xdf\xa3\xff",  # a WebM that stops after its first bytes
        b"OggS" + b"\x00" * 20,
    ],
)
def test_non_audio_and_damaged_files_are_refused(data):
    with pytest.raises(AudioError):
        inspect_audio(io.BytesIO(data))


def test_sniffing_ignores_the_claimed_name_and_reads_bytes():
    assert sniff_audio_type(b"ID3\x04\x00") == ("audio/mpeg", "mp3")
    assert sniff_audio_type(b"\x00\x00\x00\x20ftypM4A ") == ("audio/mp4", "m4a")
    assert sniff_audio_type(b"GIF89a") is None
