"""Voice activity as the answer arrives: Silero (bundled with faster-whisper) fed frame by frame.

StreamingVad gives exactly the speech probabilities that faster_whisper.vad computes on the
whole clip (same ONNX model, same 64-sample context, LSTM state carried between calls; checked
in tests), so the answer's timing can be built from them when it ends, without a second VAD pass
over the whole answer (about 0.6 s for 3 minutes on 2 cores: too slow for the end of a turn).
EnergyVad is its fake twin for unit tests: loud frames are speech.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from simulator.analysis.timing import TimingOptions
from simulator.audio.clip import TARGET_RATE_HZ
from simulator.streaming.policy import FRAME_SAMPLES

_CONTEXT = 64


class StreamingVad:
    """Silero speech probability per 512-sample frame, incrementally."""

    def __init__(self):
        from faster_whisper.vad import get_vad_model

        self._session = get_vad_model().session
        self._h = np.zeros((1, 1, 128), np.float32)
        self._c = np.zeros((1, 1, 128), np.float32)
        self._context = np.zeros(_CONTEXT, np.float32)

    def __call__(self, frames: np.ndarray) -> np.ndarray:
        """frames: (n, 512) float32 -> (n,) probabilities."""
        if len(frames) == 0:
            return np.zeros(0, np.float32)
        frames = np.ascontiguousarray(frames, np.float32)
        ctx = np.concatenate([self._context[None, :], frames[:-1, -_CONTEXT:]], 0)
        out, self._h, self._c = self._session.run(None, {"input": np.concatenate([ctx, frames], 1), "h": self._h, "c": self._c})
        self._context = frames[-1, -_CONTEXT:].copy()
        return np.asarray(out, np.float32).reshape(-1)


@dataclass
class SpeechFlags:
    """Hysteresis over probabilities, as Silero's own segmentation does: speech starts at
    `threshold` and only ends below `threshold - 0.15`."""

    threshold: float = 0.5
    _on: bool = field(default=False, init=False)

    def __call__(self, probs: np.ndarray) -> list[bool]:
        neg = max(self.threshold - 0.15, 0.01)
        out = []
        for p in probs:
            if p >= self.threshold:
                self._on = True
            elif p < neg:
                self._on = False
            out.append(self._on)
        return out


def spans_from_probs(probs: np.ndarray, n_samples: int, opts: TimingOptions = TimingOptions(), rate_hz: int = TARGET_RATE_HZ) -> list[tuple[float, float]]:
    """Speech spans in seconds from per-frame probabilities: faster_whisper.vad.get_speech_timestamps'
    segmentation (faster-whisper 1.2, MIT licence), without max_speech_duration (timing never sets it).

    probs must cover the clip padded as get_speech_timestamps pads it: n_samples // 512 + 1 frames.
    """
    window = FRAME_SAMPLES
    threshold = opts.vad_threshold
    neg_threshold = max(threshold - 0.15, 0.01)
    min_speech = rate_hz * opts.vad_min_speech_ms / 1000
    pad = rate_hz * opts.vad_speech_pad_ms / 1000
    min_silence = rate_hz * opts.vad_min_silence_ms / 1000

    triggered = False
    speeches: list[dict] = []
    current: dict = {}
    temp_end = 0
    for i, p in enumerate(probs):
        if p >= threshold and temp_end:
            temp_end = 0
        if p >= threshold and not triggered:
            triggered = True
            current["start"] = window * i
            continue
        if p < neg_threshold and triggered:
            if not temp_end:
                temp_end = window * i
            if window * i - temp_end < min_silence:
                continue
            current["end"] = temp_end
            if current["end"] - current["start"] > min_speech:
                speeches.append(current)
            current = {}
            temp_end = 0
            triggered = False
    if current and n_samples - current["start"] > min_speech:
        current["end"] = n_samples
        speeches.append(current)

    for i, sp in enumerate(speeches):
        if i == 0:
            sp["start"] = int(max(0, sp["start"] - pad))
        if i != len(speeches) - 1:
            gap = speeches[i + 1]["start"] - sp["end"]
            if gap < 2 * pad:
                sp["end"] += int(gap // 2)
                speeches[i + 1]["start"] = int(max(0, speeches[i + 1]["start"] - gap // 2))
            else:
                sp["end"] = int(min(n_samples, sp["end"] + pad))
                speeches[i + 1]["start"] = int(max(0, speeches[i + 1]["start"] - pad))
        else:
            sp["end"] = int(min(n_samples, sp["end"] + pad))
    return [(s["start"] / rate_hz, s["end"] / rate_hz) for s in speeches]
