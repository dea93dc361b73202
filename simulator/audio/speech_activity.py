"""Is there speech? Silero VAD (the model bundled with faster-whisper), defined once for the whole program.

StreamingVad gives the speech probability of each 512-sample frame, fed as the answer arrives
(same ONNX model, same 64-sample context, LSTM state carried between calls): exactly what
faster_whisper.vad computes on a whole clip (checked in tests). spans_from_probs turns them into
speech spans with faster-whisper's segmentation, and speech_spans does both for a whole clip.
Every user reads it from here: the live voice gate (audio/voice_gate.py), the streamed answer's
cuts and timing (streaming/), the answer's timing (analysis/timing.py) and the windows Whisper
hears (speech/transcriber.py). In live practice the stream's probabilities also feed the voice
gate, so each frame goes through Silero once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from simulator.audio.clip import TARGET_RATE_HZ

FRAME_SAMPLES = 512  # Silero's frame at 16 kHz (32 ms)
FRAME_S = FRAME_SAMPLES / TARGET_RATE_HZ
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

    @property
    def on(self) -> bool:
        """Speech now (after the last probability seen)."""
        return self._on

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


@dataclass(frozen=True)
class Segmentation:
    """How probabilities become spans (faster-whisper's VadOptions, the fields this program sets)."""

    threshold: float = 0.5
    min_silence_ms: int = 200
    speech_pad_ms: int = 30
    min_speech_ms: int = 150


def speech_spans(samples: np.ndarray, seg: Segmentation, vad=None) -> list[tuple[float, float]]:
    """Speech spans (seconds) of a whole 16 kHz clip: its frames through Silero, then segmented."""
    x = np.asarray(samples, np.float32).reshape(-1)
    if len(x) == 0:
        return []
    padded = np.pad(x, (0, FRAME_SAMPLES - len(x) % FRAME_SAMPLES))  # as get_speech_timestamps pads
    probs = (vad or StreamingVad())(padded.reshape(-1, FRAME_SAMPLES))
    return spans_from_probs(probs, len(x), seg)


def spans_from_probs(probs: np.ndarray, n_samples: int, seg: Segmentation = Segmentation(), rate_hz: int = TARGET_RATE_HZ) -> list[tuple[float, float]]:
    """Speech spans in seconds from per-frame probabilities: faster_whisper.vad.get_speech_timestamps'
    segmentation (faster-whisper 1.2, MIT licence), without max_speech_duration (never set here).

    probs must cover the clip padded as get_speech_timestamps pads it: n_samples // 512 + 1 frames.
    """
    window = FRAME_SAMPLES
    threshold = seg.threshold
    neg_threshold = max(threshold - 0.15, 0.01)
    min_speech = rate_hz * seg.min_speech_ms / 1000
    pad = rate_hz * seg.speech_pad_ms / 1000
    min_silence = rate_hz * seg.min_silence_ms / 1000

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
