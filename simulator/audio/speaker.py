"""Where the interviewer's voice goes: the speaker (sounddevice), or a file/null twin for tests.

play() blocks until the clip has been played (the microphone is muted meanwhile by the caller),
and returns early when stop() is called from another thread.

The voice must not break up on a busy machine (issue 15: 7 s of speech took 45 s, in fragments,
at load 10). PortAudio's "high" latency on ALSA/PulseAudio is only 35 ms, so a callback held up
that long by the CPU or by Python's GIL (Whisper, GiNZA, kokoro in other threads) starved the
device. Measures (bench/bench_playback_load.py, docs/live.md "The voice under load"):

- a deep device buffer (LATENCY_S) filled *with the clip itself* before the stream starts
  (PortAudio's prime-with-callback flag), so the first sound is not delayed by it and the
  callback has a fraction of a second of slack instead of 35 ms;
- large blocks (BLOCK_S): few callbacks, so few GIL acquisitions;
- the callback thread asks for a higher scheduling priority where the system permits it;
- while a clip plays, playback_gate marks the interviewer as speaking: background work that can
  wait (the next transcription piece, loading the parser) waits between pieces.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from simulator.audio import playback_gate
from simulator.audio.clip import AudioClip, concat
from simulator.audio.microphone import import_sounddevice, resolve_device
from simulator.errors import DeviceError

LATENCY_S = 0.15  # device buffer: how long the callback may be held up without a gap (35 ms before issue 15)
SAFE_LATENCY_S = 0.05  # after a device threw a deeper buffer's audio away (see play())
BLOCK_S = 0.05  # audio per callback
LEAD_S = 0.2  # silence before the clip: PulseAudio drops the first ~0.06-0.18 s of a new stream (more with a deep buffer)
TAIL_S = 0.02  # silence after the clip: a margin before the stream closes


def raise_thread_priority() -> str:
    """Ask for a higher priority for the calling thread (the audio callback's); what was granted.

    Real-time round-robin first (where RLIMIT_RTPRIO or CAP_SYS_NICE allow), else a lower nice
    value; most desktop users get neither, and then nothing changes ("none").
    """
    if hasattr(os, "sched_setscheduler") and hasattr(os, "SCHED_RR"):
        try:
            prio = max(1, min(os.sched_get_priority_max(os.SCHED_RR), 10))
            os.sched_setscheduler(0, os.SCHED_RR, os.sched_param(prio))
            return f"rr:{prio}"
        except (OSError, AttributeError):
            pass
    if hasattr(os, "setpriority"):
        try:
            # Linux: PRIO_PROCESS with id 0 is the calling thread (nice is per thread there).
            now = os.getpriority(os.PRIO_PROCESS, 0)
            os.setpriority(os.PRIO_PROCESS, 0, max(-20, now - 10))
            return f"nice:{os.getpriority(os.PRIO_PROCESS, 0)}"
        except OSError:
            pass
    return "none"


def to_rate(clip: AudioClip, rate_hz: int) -> np.ndarray:
    """The clip's samples at rate_hz, float32: libswresample (PyAV, C, a third of the CPU of the
    linear interpolation in AudioClip.resampled), or that where PyAV is missing."""
    samples = np.ascontiguousarray(clip.samples, np.float32)
    if int(clip.rate_hz) == int(rate_hz) or not len(samples):
        return samples
    try:
        import av

        resampler = av.audio.resampler.AudioResampler(format="flt", layout="mono", rate=int(rate_hz))
        frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="flt", layout="mono")
        frame.sample_rate = int(clip.rate_hz)
        frame.pts = 0
        out = [f.to_ndarray().reshape(-1) for f in resampler.resample(frame)]
        out += [f.to_ndarray().reshape(-1) for f in resampler.resample(None)]  # the filter's tail
        return np.concatenate(out).astype(np.float32, copy=False) if out else np.zeros(0, np.float32)
    except Exception:  # no PyAV, or an odd rate it refuses
        return clip.resampled(int(rate_hz)).samples.astype(np.float32, copy=False)


def discarded(stats: "PlayStats") -> bool:
    """Did the device throw the clip's audio away? It went by faster than real time, with underflows.

    A clip that was heard takes at least its own length (the wait ends when its last frame has
    reached the speaker); a gap under load makes it longer, never shorter.
    """
    return stats.underflows >= 3 and stats.wall_s < 0.8 * stats.audio_s


@dataclass
class PlayStats:
    """What the last play() saw (benchmark, tests)."""

    audio_s: float = 0.0
    rate_hz: int = 0
    wall_s: float = 0.0
    callbacks: int = 0
    underflows: int = 0  # callbacks that PortAudio flagged output_underflow (a gap was heard)
    prepare_s: float = 0.0  # resampling the clip to the device's rate (while the lead silence plays)
    open_s: float = 0.0  # opening and starting the stream
    close_s: float = 0.0  # from the clip's end heard to the stream closed
    voice_at_s: float = 0.0  # when the clip's first frame reached the speaker, from the call (DAC time)
    voice_end_s: float = 0.0  # when its last frame did
    priority: str = ""
    retried: bool = False  # played again with SAFE_LATENCY_S (the device had discarded the audio)


class Speaker:
    def __init__(
        self,
        device=None,
        latency_s: float = LATENCY_S,
        block_s: float = BLOCK_S,
        prime: bool = True,
        raise_priority: bool = True,
        lead_s: float = LEAD_S,
    ):
        self.device_spec = device
        self.name = "speaker"
        self._device = None
        self.rate_hz = 0  # the device's default rate
        self.latency_s = latency_s
        self.block_s = block_s
        self.prime = prime
        self.raise_priority = raise_priority
        self.lead_s = lead_s
        self.last = PlayStats()
        self._stop = threading.Event()

    def start(self) -> None:
        import_sounddevice()
        self._device, info = resolve_device(self.device_spec, "output")
        self.name = info["name"]
        self.rate_hz = int(info["default_samplerate"])

    def play(self, clip: AudioClip) -> None:
        self._play(clip)
        st = self.last
        if not self._stop.is_set() and discarded(st) and self.latency_s > SAFE_LATENCY_S:
            # The device "played" the clip faster than real time, the blocks flagged as underflows:
            # it discarded audio. PulseAudio's ALSA plugin does that with buffers of 0.25 s and more
            # at 48 kHz (never at 0.15 s in this project's measurements). Say it again, shallower.
            self.latency_s = SAFE_LATENCY_S
            self._play(clip)
            self.last.retried = True

    def _play(self, clip: AudioClip) -> None:
        if self._device is None:
            self.start()
        sd = import_sounddevice()
        self._stop.clear()
        # The device's own rate: at 24 kHz (the prompts' rate) PulseAudio's ALSA plugin played a
        # fraction of the clip, flagged as underflows, in this project's measurements.
        rate = self.rate_hz
        stats = self.last = PlayStats(audio_s=clip.duration_s, rate_hz=rate)
        done = threading.Event()
        # The stream starts at once with the lead silence; the clip is resampled meanwhile and
        # follows the lead (a longer lead if that took longer, never a gap inside the voice).
        clip_frames: dict = {"samples": None}
        lead_left = int(self.lead_s * rate)  # frames of lead silence still to write
        pos = 0  # frames of the clip written so far
        after = 0  # frames of silence written after the clip's end
        # When the clip's last frame reaches the speaker: in the stream's clock (from PortAudio's
        # DAC time) and in perf_counter time for the waiting thread; None while unknown.
        end = {"stream": None, "perf": None, "frames": 0}

        def callback(outdata, frames, time_info, status):
            # As little as possible here: a slice copy. Everything else is prepared outside.
            nonlocal pos, after, lead_left
            if stats.callbacks == 0 and self.raise_priority:
                stats.priority = raise_thread_priority()
            stats.callbacks += 1
            if status.output_underflow:
                stats.underflows += 1
            samples = clip_frames["samples"]
            if samples is None or lead_left > 0:
                outdata.fill(0)
                lead_left -= frames
            elif pos < len(samples):
                n = len(samples)
                if pos == 0 and time_info.outputBufferDacTime > 0 and time_info.currentTime > 0:
                    stats.voice_at_s = time.perf_counter() - t0 + max(0.0, time_info.outputBufferDacTime - time_info.currentTime)
                k = min(frames, n - pos)
                outdata[:k] = samples[pos : pos + k]
                if k < frames:
                    outdata[k:] = 0
                pos += k
                if pos >= n:
                    after = frames - k
                    now, dac = time_info.currentTime, time_info.outputBufferDacTime
                    if now > 0 and dac > 0:
                        end["stream"] = dac + k / rate
                        end["perf"] = time.perf_counter() + max(0.0, end["stream"] - now)
                        stats.voice_end_s = end["perf"] - t0
            else:
                outdata.fill(0)
                after += frames
            # Stop only once the clip's end has been heard: a deep buffer still holds it when the
            # last frame is written, and closing the stream then would cut the prompt short.
            if self._stop.is_set() or (samples is not None and pos >= len(samples) and played_out(time_info.currentTime, after)):
                raise sd.CallbackStop

        def played_out(now: float, silence_after: int) -> bool:
            if end["stream"] is not None:
                return now >= end["stream"]
            # No usable clock: the buffer holds at most end["frames"]; once that much silence
            # followed the clip, its end has left the buffer.
            return silence_after >= end["frames"]

        t0 = time.perf_counter()
        t_end = t0
        try:
            with playback_gate.speaking():
                stream = sd.OutputStream(
                    device=self._device,
                    channels=1,
                    samplerate=rate,
                    dtype="float32",
                    callback=callback,
                    finished_callback=done.set,
                    latency=self.latency_s,
                    blocksize=max(0, int(self.block_s * rate)),
                    prime_output_buffers_using_stream_callback=self.prime,
                )
                try:
                    # Frames the device can hold ahead: the frame-count fallback of played_out().
                    end["frames"] = int((max(float(stream.latency), self.latency_s) + 2 * self.block_s) * rate) + 2 * max(stream.blocksize, 1)
                    stream.start()
                    stats.open_s = time.perf_counter() - t0
                    t_prepare = time.perf_counter()
                    tail = np.zeros(int(TAIL_S * rate), np.float32)
                    clip_frames["samples"] = np.ascontiguousarray(np.concatenate([to_rate(clip, rate), tail]).reshape(-1, 1))
                    stats.prepare_s = time.perf_counter() - t_prepare
                    while not self._stop.is_set():
                        due = end["perf"]
                        wait = 0.05 if due is None else min(0.05, due - time.perf_counter())
                        if wait <= 0 or done.wait(wait):
                            break
                    t_end = time.perf_counter()
                finally:
                    # The clip has been heard (or stop() was called): what is left in the buffer is
                    # silence, and closing an active stream discards it instead of waiting for it.
                    stream.close(ignore_errors=True)
                stats.close_s = time.perf_counter() - t_end
        except sd.PortAudioError as exc:
            raise DeviceError(
                f"スピーカーで再生できません（{self.name!r}）。スピーカーかヘッドホンを確認するか、--text-only をお使いください。"
                f" (Cannot play on {self.name!r}: {exc})"
            ) from None
        finally:
            stats.wall_s = time.perf_counter() - t0

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
