"""AudioClip: float32 mono samples with their rate. Everything inside the program is 16 kHz mono."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TARGET_RATE_HZ = 16000


@dataclass(frozen=True)
class AudioClip:
    samples: np.ndarray  # float32, mono, in [-1, 1]
    rate_hz: int = TARGET_RATE_HZ

    @property
    def duration_s(self) -> float:
        return len(self.samples) / self.rate_hz if self.rate_hz else 0.0

    @classmethod
    def silence(cls, duration_s: float, rate_hz: int = TARGET_RATE_HZ) -> "AudioClip":
        return cls(np.zeros(int(round(duration_s * rate_hz)), np.float32), rate_hz)

    def resampled(self, rate_hz: int = TARGET_RATE_HZ) -> "AudioClip":
        """Linear-interpolation resampling; good enough for speech going into Whisper and VAD.

        Decoded files are resampled by FFmpeg (see decode.py); this is for arrays from devices
        and synthesis, where a cheap, dependency-free path matters more than audiophile quality.
        """
        if rate_hz == self.rate_hz or len(self.samples) == 0:
            return AudioClip(self.samples, rate_hz) if len(self.samples) == 0 else self
        n_out = int(round(len(self.samples) * rate_hz / self.rate_hz))
        t_out = np.arange(n_out, dtype=np.float64) * (self.rate_hz / rate_hz)
        out = np.interp(t_out, np.arange(len(self.samples)), self.samples.astype(np.float64))
        return AudioClip(out.astype(np.float32), rate_hz)

    def slice_s(self, start_s: float, end_s: float) -> "AudioClip":
        a = max(0, int(start_s * self.rate_hz))
        b = max(a, int(end_s * self.rate_hz))
        return AudioClip(self.samples[a:b], self.rate_hz)


def concat(clips: list[AudioClip]) -> AudioClip:
    if not clips:
        return AudioClip(np.zeros(0, np.float32))
    rate = clips[0].rate_hz
    return AudioClip(np.concatenate([c.resampled(rate).samples for c in clips]).astype(np.float32), rate)
