"""The fake twins of the hardware and the models, for tests: one module, beside the real parts.

Each implements the same interface as the real one (speech/transcriber.py, audio/microphone.py,
ui/keys.py, audio/speech_activity.py, streaming/transcriber.py's Worker, report/playback.py's Player) on
scripted input and virtual time. Nothing in the program imports this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from simulator.audio.clip import TARGET_RATE_HZ, AudioClip
from simulator.audio.microphone import BLOCK_S
from simulator.errors import DeviceError
from simulator.speech.transcriber import Capabilities, RecogniserDefaults, Transcript, Word


@dataclass
class FakeTranscriber(RecogniserDefaults):
    """Returns scripted texts in order, words spread evenly over the clip. For loop tests.

    `endings`: what hear_ending returns, in order (declares the ending capability when given)."""

    texts: list[str]
    name: str = "fake"
    calls: int = 0
    endings: list[str] | None = None

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(ending=self.endings is not None)

    def hear_ending(self, samples: np.ndarray) -> str:
        return self.endings.pop(0) if self.endings else ""

    def transcribe(self, clip: AudioClip) -> Transcript:
        text = self.texts[self.calls % len(self.texts)] if self.texts else ""
        self.calls += 1
        tokens = [t for t in text.replace("、", "、 ").replace("。", "。 ").split(" ") if t]
        if not tokens:
            return Transcript("")
        step = clip.duration_s / len(tokens)
        words = tuple(Word(t, round(i * step, 3), round((i + 1) * step, 3)) for i, t in enumerate(tokens))
        return Transcript(text, words)


@dataclass
class FakeMicrophone:
    """Plays a scripted clip (then silence) as if spoken into the microphone, on virtual time.

    read() never waits: each call returns the next block. Muted blocks are skipped as the real
    device drops them, so a test can check that nothing is recorded while the interviewer speaks.
    """

    script: AudioClip = field(default_factory=lambda: AudioClip.silence(0.0))
    block_s: float = BLOCK_S
    name: str = "fake microphone"
    fail_after_s: float | None = None  # simulate a device lost mid-answer
    position_s: float = 0.0
    muted: bool = False
    started: bool = False
    heard_while_muted_s: float = 0.0

    def start(self) -> None:
        self.started = True

    def stop(self) -> None:
        self.started = False

    def mute(self) -> None:
        self.muted = True

    def unmute(self) -> None:
        self.muted = False

    def after_playback(self, played_s: float) -> None:
        """Virtual time passes while the interviewer speaks: the candidate's audio in it is dropped, as live."""
        self.position_s += played_s
        self.heard_while_muted_s += played_s

    def queue_clip(self, clip: AudioClip, gap_s: float = 0.0) -> None:
        """Append speech to the script starting gap_s after its current end (or after now)."""
        from simulator.audio.clip import concat

        clip = clip.resampled()
        end = max(self.script.duration_s, self.position_s) + gap_s
        pad = AudioClip.silence(end - self.script.duration_s)
        self.script = concat([self.script, pad, clip])

    def read(self, timeout_s: float = 0.1) -> np.ndarray | None:
        if self.fail_after_s is not None and self.position_s >= self.fail_after_s:
            raise DeviceError("マイクから音声が届かなくなりました（接続が外れた可能性があります）。")
        n = int(round(self.block_s * TARGET_RATE_HZ))
        a = int(round(self.position_s * TARGET_RATE_HZ))
        block = self.script.samples[a : a + n]
        if len(block) < n:
            block = np.concatenate([block, np.zeros(n - len(block), np.float32)])
        self.position_s += self.block_s
        return block.astype(np.float32)


@dataclass
class FakeKeys:
    """Key presses at given audio times of a FakeMicrophone: [(seconds, "enter" | "repeat"), ...]."""

    mic: object
    schedule: list[tuple[float, str]] = field(default_factory=list)

    def poll(self) -> str | None:
        if self.schedule and self.mic.position_s >= self.schedule[0][0]:
            return self.schedule.pop(0)[1]
        return None


@dataclass
class EnergyVad:
    """Fake twin for tests: probability 1.0 for frames whose mean |x| is above a level."""

    level: float = 0.01
    frames_seen: int = 0

    def __call__(self, frames: np.ndarray) -> np.ndarray:
        self.frames_seen += len(frames)
        return (np.abs(frames).mean(axis=1) > self.level).astype(np.float32) if len(frames) else np.zeros(0, np.float32)


class ManualWorker:
    """Holds jobs until told to run them: lets a test decide how far behind the worker is."""

    def __init__(self):
        self.jobs: list = []

    def submit(self, job) -> None:
        self.jobs.append(job)

    def pending(self) -> int:
        return len(self.jobs)

    def run_pending(self) -> int:
        n = 0
        while self.jobs:
            self.jobs.pop(0)()
            n += 1
        return n

    def join(self) -> None:
        self.run_pending()

    def close(self, wait_s: float = 0.0) -> None:
        pass


class FakePlayer:
    """Plays nothing; keeps the clips and a virtual clock that only sleep() moves."""

    name = "fake"

    def __init__(self):
        self.played: list[AudioClip] = []
        self.clock_s = 0.0
        self._start_s = 0.0
        self._end_s = 0.0
        self.stopped = 0

    def start(self, clip: AudioClip) -> None:
        self.played.append(clip)
        self._start_s = self.clock_s
        self._end_s = self.clock_s + clip.duration_s

    def position_s(self) -> float:
        return self.clock_s - self._start_s

    def sleep(self, seconds: float) -> None:
        self.clock_s += seconds

    def wait(self) -> None:
        self.clock_s = max(self.clock_s, self._end_s)

    def stop(self) -> None:
        self.stopped += 1
