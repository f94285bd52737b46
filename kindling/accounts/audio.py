"""Checks on a short audio clip of a name: what it really is and how long it lasts.

The type is decided from the file's first bytes, never from its name or the browser's claim.
Durations come from mutagen for Ogg, MP3, MP4 and WAV, and from a small reader for WebM, which
is what browsers' MediaRecorder produces and which mutagen does not read.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass
from typing import IO

import mutagen


class AudioError(ValueError):
    """The clip is not audio Kindling can play back, or cannot be measured."""


@dataclass(frozen=True)
class AudioFacts:
    content_type: str
    extension: str
    seconds: float


def sniff_audio_type(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) for the audio container these bytes start, or None."""
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "audio/webm", "webm"
    if head.startswith(b"OggS"):
        return "audio/ogg", "ogg"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "audio/wav", "wav"
    if head[4:8] == b"ftyp":
        return "audio/mp4", "m4a"
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "audio/mpeg", "mp3"
    return None


def inspect_audio(stream: IO[bytes]) -> AudioFacts:
    """Identify and measure a clip; raises AudioError when it is not usable audio."""
    data = stream.read()
    kind = sniff_audio_type(data[:16])
    if kind is None:
        raise AudioError("not a recognised audio format")
    content_type, extension = kind
    if content_type == "audio/webm":
        seconds = webm_duration(data)
    else:
        try:
            parsed = mutagen.File(io.BytesIO(data))
        except Exception as error:  # mutagen raises many types for damaged files
            raise AudioError("damaged audio file") from error
        if parsed is None or not getattr(parsed.info, "length", None):
            raise AudioError("audio length could not be read")
        seconds = float(parsed.info.length)
    if seconds <= 0:
        raise AudioError("the recording is empty")
    return AudioFacts(content_type, extension, seconds)


# --- WebM (Matroska) --------------------------------------------------------------------------
_SEGMENT = 0x18538067
_INFO = 0x1549A966
_CLUSTER = 0x1F43B675
_BLOCK_GROUP = 0xA0
_TIMECODE_SCALE = 0x2AD7B1
_DURATION = 0x4489
_CLUSTER_TIMECODE = 0xE7
_SIMPLE_BLOCK = 0xA3
_BLOCK = 0xA1
_MASTERS = {_SEGMENT, _INFO, _CLUSTER, _BLOCK_GROUP}


def _read_vint(data: bytes, pos: int, *, keep_marker: bool) -> tuple[int, int, bool]:
    """Read an EBML variable-length integer: (value, new position, all-ones 'unknown')."""
    if pos >= len(data):
        raise AudioError("truncated WebM file")
    first = data[pos]
    length = 1
    mask = 0x80
    while length <= 8 and not first & mask:
        mask >>= 1
        length += 1
    if length > 8 or pos + length > len(data):
        raise AudioError("damaged WebM file")
    value = first if keep_marker else first & (mask - 1)
    for byte in data[pos + 1 : pos + length]:
        value = (value << 8) | byte
    unknown = not keep_marker and value == (1 << (7 * length)) - 1
    return value, pos + length, unknown


def _uint(payload: bytes) -> int:
    return int.from_bytes(payload, "big") if payload else 0


def webm_duration(data: bytes) -> float:
    """Seconds in a WebM clip, from its Duration element or, failing that, its last block."""
    scale = 1_000_000  # nanoseconds per timecode tick, Matroska's default
    declared: float | None = None
    cluster_time = 0
    last_time = 0
    pos = 0
    while pos < len(data):
        element_id, pos, _ = _read_vint(data, pos, keep_marker=True)
        size, pos, unknown = _read_vint(data, pos, keep_marker=False)
        if element_id in _MASTERS:
            continue  # descend: its children follow at once (sizes may be "unknown")
        if unknown or pos + size > len(data):
            if element_id in {_SIMPLE_BLOCK, _BLOCK} and pos + 4 <= len(data):
                size = len(data) - pos  # a recording cut short: use what is there
            else:
                raise AudioError("damaged WebM file")
        payload = data[pos : pos + size]
        if element_id == _TIMECODE_SCALE:
            scale = _uint(payload) or scale
        elif element_id == _DURATION:
            if size == 4:
                declared = struct.unpack(">f", payload)[0]
            elif size == 8:
                declared = struct.unpack(">d", payload)[0]
        elif element_id == _CLUSTER_TIMECODE:
            cluster_time = _uint(payload)
        elif element_id in {_SIMPLE_BLOCK, _BLOCK}:
            _, after_track, _ = _read_vint(payload, 0, keep_marker=False)
            if after_track + 2 <= len(payload):
                relative = struct.unpack(">h", payload[after_track : after_track + 2])[0]
                last_time = max(last_time, cluster_time + relative)
        pos += size
    ticks = declared if declared and declared > 0 else float(last_time)
    if ticks <= 0 and last_time == 0 and declared is None:
        raise AudioError("the recording is empty")
    return ticks * scale / 1e9
