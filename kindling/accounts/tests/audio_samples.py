"""Small, real audio files made in code for the upload tests."""

from __future__ import annotations

import io
import math
import struct
import wave


def wav_bytes(seconds: float, rate: int = 8000) -> bytes:
    """A mono 16-bit WAV with a quiet tone lasting ``seconds``."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        frames = int(seconds * rate)
        out.writeframes(
            b"".join(
                struct.pack("<h", int(3000 * math.sin(2 * math.pi * 440 * i / rate)))
                for i in range(frames)
            )
        )
    return buffer.getvalue()


def _vint_size(size: int) -> bytes:
    return bytes([0x01]) + size.to_bytes(7, "big")  # 8-byte length, always valid


def _element(element_id: bytes, payload: bytes) -> bytes:
    return element_id + _vint_size(len(payload)) + payload


def webm_bytes(seconds: float, *, declare_duration: bool, unknown_sizes: bool = True) -> bytes:
    """A WebM skeleton like MediaRecorder's: blocks every 20 ms, optionally no Duration."""
    header = _element(b"\x1a\x45\xdf\xa3", _element(b"\x42\x82", b"webm"))
    info_children = _element(b"\x2a\xd7\xb1", (1_000_000).to_bytes(3, "big"))
    if declare_duration:
        info_children += _element(b"\x44\x89", struct.pack(">d", seconds * 1000))
    info = _element(b"\x15\x49\xa9\x66", info_children)
    blocks = b""
    for ms in range(0, int(seconds * 1000), 20):
        block = b"\x81" + struct.pack(">h", ms % 1000) + b"\x80" + b"\x00" * 10
        if ms % 1000 == 0:
            blocks += _element(b"\xe7", (ms).to_bytes(4, "big"))
        blocks += _element(b"\xa3", block)
    unknown = b"\x01\xff\xff\xff\xff\xff\xff\xff"
    if unknown_sizes:
        segment = b"\x18\x53\x80\x67" + unknown + info + b"\x1f\x43\xb6\x75" + unknown + blocks
    else:
        cluster = _element(b"\x1f\x43\xb6\x75", blocks)
        segment = _element(b"\x18\x53\x80\x67", info + cluster)
    return header + segment
