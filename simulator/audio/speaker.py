"""Where the interviewer's voice goes: the speaker (sounddevice), or a file/null twin for tests.

play() blocks until the clip has been played (the microphone is muted meanwhile by the caller),
and returns early when stop() is called from another thread.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from simulator.audio.clip import AudioClip, concat
from simulator.audio.microphone import import_sounddevice, resolve_device
from simulator.errors import DeviceError


class Speaker:
    def __init__(self, device=None):
        self.device_spec = device
        self.name = "speaker"
        self._device = None
        self.rate_hz = 0
        self._stop = threading.Event()

    def start(self) -> None:
        import_sounddevice()
        self._device, info = resolve_device(self.device_spec, "output")
        self.name = info["name"]
        self.rate_hz = int(info["default_samplerate"])

    def play(self, clip: AudioClip) -> None:
        if self._device is None:
            self.start()
        sd = import_sounddevice()
        self._stop.clear()
        samples = clip.resampled(self.rate_hz).samples.astype(np.float32)
        # A short tail of silence lets the device drain the last real block before the stream closes.
        samples = np.concatenate([samples, np.zeros(int(0.05 * self.rate_hz), np.float32)])
        done = threading.Event()
        pos = 0

        def callback(outdata, frames, time_info, status):
            nonlocal pos
            chunk = samples[pos : pos + frames]
            outdata[: len(chunk), 0] = chunk
            outdata[len(chunk) :, 0] = 0
            pos += frames
            if pos >= len(samples) or self._stop.is_set():
                raise sd.CallbackStop

        try:
            stream = sd.OutputStream(
                device=self._device,
                channels=1,
                samplerate=self.rate_hz,
                dtype="float32",
                callback=callback,
                finished_callback=done.set,
                latency="high",  # a prompt may start 30 ms later; a busy CPU must not make it stutter
            )
            with stream:
                while not done.wait(0.05):
                    pass
        except sd.PortAudioError as exc:
            raise DeviceError(f"Cannot play on {self.name!r} ({exc}); check the speaker or headphones, or use --text-only.") from None

    def stop(self) -> None:
        self._stop.set()


@dataclass
class FileSink:
    """Keeps what was 'played' (for tests and for hearing a session's interviewer side afterwards)."""

    path: Path | None = None
    played: list[AudioClip] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    name: str = "file"
    real_time: bool = False  # sleep for the clip's duration, for tests of timing with a real clock

    def start(self) -> None:
        pass

    def play(self, clip: AudioClip) -> None:
        self.played.append(clip)
        if self.path is not None:
            from simulator.audio.wavfile import write_wav

            write_wav(self.path, concat([c.resampled() for c in self.played]))
        if self.real_time:
            time.sleep(clip.duration_s)

    def stop(self) -> None:
        pass

    @property
    def played_s(self) -> float:
        return sum(c.duration_s for c in self.played)


@dataclass
class NullSink(FileSink):
    name: str = "null"
