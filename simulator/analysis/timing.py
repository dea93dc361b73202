"""Timing of an answer from the audio itself: Silero VAD (bundled with faster-whisper).

response latency = silence before the first speech; answer length = first to last speech;
speaking time = voiced time inside the answer; pauses = silences inside the answer of at
least pause_min_s (0.2 s is the usual threshold in fluency research); long pauses >= 1 s.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from simulator.audio.clip import TARGET_RATE_HZ, AudioClip


@dataclass(frozen=True)
class TimingOptions:
    pause_min_s: float = 0.2
    long_pause_min_s: float = 1.0
    vad_threshold: float = 0.5
    # faster-whisper's default VAD merges silences under ~2 s; these find short pauses.
    vad_min_silence_ms: int = 200
    vad_speech_pad_ms: int = 30
    vad_min_speech_ms: int = 150

    @property
    def segmentation(self):
        from simulator.audio.speech_activity import Segmentation

        return Segmentation(self.vad_threshold, self.vad_min_silence_ms, self.vad_speech_pad_ms, self.vad_min_speech_ms)


@dataclass(frozen=True)
class Pause:
    start_s: float
    end_s: float

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s

    def to_dict(self) -> dict:
        return {"start_s": round(self.start_s, 3), "end_s": round(self.end_s, 3)}


@dataclass(frozen=True)
class Timing:
    duration_s: float
    response_latency_s: float | None  # None: no speech at all
    answer_s: float
    speaking_s: float
    speech_spans: tuple[tuple[float, float], ...] = ()
    pauses: tuple[Pause, ...] = field(default_factory=tuple)

    @property
    def has_speech(self) -> bool:
        return bool(self.speech_spans)

    def long_pauses(self, opts: TimingOptions) -> list[Pause]:
        return [p for p in self.pauses if p.duration_s >= opts.long_pause_min_s]


def speech_spans(clip: AudioClip, opts: TimingOptions = TimingOptions()) -> list[tuple[float, float]]:
    """Voiced stretches in seconds, as Silero VAD sees them."""
    from simulator.audio.speech_activity import speech_spans as spans_of

    clip = clip.resampled(TARGET_RATE_HZ)
    if clip.duration_s < 0.1 or not np.any(np.abs(clip.samples) > 1e-4):
        return []
    return spans_of(clip.samples, opts.segmentation)


def measure_timing(clip: AudioClip, opts: TimingOptions = TimingOptions(), spans=None) -> Timing:
    spans = speech_spans(clip, opts) if spans is None else list(spans)
    if not spans:
        return Timing(clip.duration_s, None, 0.0, 0.0, (), ())
    pauses = tuple(
        Pause(a_end, b_start) for (_, a_end), (b_start, _) in zip(spans, spans[1:]) if b_start - a_end >= opts.pause_min_s
    )
    return Timing(
        duration_s=clip.duration_s,
        response_latency_s=spans[0][0],
        answer_s=spans[-1][1] - spans[0][0],
        speaking_s=sum(e - s for s, e in spans),
        speech_spans=tuple(spans),
        pauses=pauses,
    )
