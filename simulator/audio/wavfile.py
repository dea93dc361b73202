"""Write 16-bit PCM mono WAV files atomically and privately (see fsutil)."""

from __future__ import annotations

import io
import wave
from pathlib import Path

import numpy as np

from simulator.audio.clip import AudioClip
from simulator.fsutil import atomic_write_bytes


def wav_bytes(clip: AudioClip) -> bytes:
    pcm = (np.clip(clip.samples, -1.0, 1.0) * 32767.0).astype("<i2")
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(int(clip.rate_hz))
        w.writeframes(pcm.tobytes())
    return buf.getvalue()


def write_wav(path: str | Path, clip: AudioClip) -> Path:
    return atomic_write_bytes(Path(path), wav_bytes(clip))
