"""The microphone: sounddevice (PortAudio) capture, resampled to 16 kHz mono, plus a fake twin.

sounddevice is imported lazily, so headless runs and tests work on machines without PortAudio.
The stream runs at the device's own sample rate (many devices refuse 16 kHz); blocks are resampled
here. The PortAudio callback only copies the block into a queue: anything slower there would make
the device drop audio. While the interviewer speaks the microphone is muted (blocks are dropped),
so the candidate never hears their answer polluted by the interviewer's own voice.
"""

from __future__ import annotations

import queue
import threading
import time

import numpy as np

from simulator.audio.clip import TARGET_RATE_HZ
from simulator.errors import DeviceError

BLOCK_S = 0.02


def import_sounddevice():
    """sounddevice, or one DeviceError sentence saying how to get PortAudio.

    The first import starts PortAudio; ALSA's and PortAudio's messages go to the audio log
    (<data home>/logs/audio.log), never to the screen (simulator/audio/native_log.py).
    """
    import sys

    try:
        if "sounddevice" not in sys.modules:
            from simulator.audio import native_log

            native_log.install()
            with native_log.stderr_to_log():
                import sounddevice
        import sounddevice as sd
    except OSError:
        raise DeviceError(
            "PortAudio がインストールされていないため、Debian/Ubuntu では `sudo apt-get install libportaudio2` を実行してください"
            "（macOS と Windows では `pip install --force-reinstall sounddevice` で同梱版が入ります）。"
        ) from None
    except ImportError:
        raise DeviceError("sounddevice パッケージがないため、`pip install sounddevice` を実行してください。") from None
    return sd


def parse_device(spec: str | int | None):
    """A device given on the command line: an index ('3') or a name (part of it is enough)."""
    if spec is None or isinstance(spec, int):
        return spec
    spec = str(spec).strip()
    return int(spec) if spec.isdigit() else spec


def resolve_device(spec, kind: str) -> tuple[object, dict]:
    """(device for sounddevice, its info dict); kind is 'input' or 'output'."""
    sd = import_sounddevice()
    try:
        info = sd.query_devices(parse_device(spec), kind)
    except (ValueError, sd.PortAudioError) as exc:
        what = "マイク" if kind == "input" else "スピーカー"
        hint = f"{spec!r} は使える{what}ではない" if spec is not None else f"既定の{what}が見つからない"
        raise DeviceError(f"{hint}ため、`mensetsu devices` で一覧を確認してください（{exc}）。") from None
    return (parse_device(spec) if spec is not None else info["index"]), info


class StreamResampler:
    """Device-rate blocks -> 16 kHz blocks, continuous across block borders (PyAV/libswresample)."""

    def __init__(self, in_rate_hz: int, out_rate_hz: int = TARGET_RATE_HZ):
        self.in_rate_hz = int(in_rate_hz)
        self.out_rate_hz = out_rate_hz
        self._resampler = None
        if self.in_rate_hz != out_rate_hz:
            import av

            self._resampler = av.audio.resampler.AudioResampler(format="flt", layout="mono", rate=out_rate_hz)
            self._pts = 0

    def __call__(self, block: np.ndarray) -> np.ndarray:
        if self._resampler is None:
            return block.astype(np.float32, copy=False)
        import av

        frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(block, np.float32).reshape(1, -1), format="flt", layout="mono")
        frame.sample_rate = self.in_rate_hz
        frame.pts = self._pts
        self._pts += len(block)
        out = [f.to_ndarray().reshape(-1) for f in self._resampler.resample(frame)]
        return np.concatenate(out).astype(np.float32) if out else np.zeros(0, np.float32)


class Microphone:
    """Live capture. start() once per session; mute() while the interviewer speaks; read() blocks."""

    def __init__(self, device=None, block_s: float = BLOCK_S):
        self.device_spec = device
        self.block_s = block_s
        self._queue: queue.Queue = queue.Queue()
        self._muted = threading.Event()
        self._stream = None
        self.device_rate_hz = 0
        self.name = "microphone"
        self.overflows = 0
        self._resample: StreamResampler | None = None

    def start(self) -> None:
        sd = import_sounddevice()
        device, info = resolve_device(self.device_spec, "input")
        self.name = info["name"]
        self.device_rate_hz = int(info["default_samplerate"])
        self._resample = StreamResampler(self.device_rate_hz)

        def callback(indata, frames, time_info, status):  # PortAudio thread: copy and queue only
            if status:
                self.overflows += 1
            if not self._muted.is_set():
                self._queue.put(indata[:, 0].copy())

        try:
            self._stream = sd.InputStream(
                device=device,
                channels=1,
                samplerate=self.device_rate_hz,
                dtype="float32",
                blocksize=int(self.device_rate_hz * self.block_s),
                latency="high",  # endpointing works on audio time: a deep buffer only makes capture robust
                callback=callback,
            )
            self._stream.start()
        except sd.PortAudioError as exc:
            raise DeviceError(f"マイク {self.name!r} を開けないため、接続されているか、ほかのプログラムが使っていないかを確認してください（{exc}）。") from None

    def mute(self) -> None:
        self._muted.set()

    def unmute(self) -> None:
        """Start listening afresh: whatever was queued before (the interviewer's voice) is dropped."""
        self.drain()
        self._muted.clear()

    def after_playback(self, played_s: float, echo_guard_s: float = 0.15) -> None:
        """The speaker's last block is still in the air (device latency): wait before listening."""
        time.sleep(echo_guard_s)

    def drain(self) -> None:
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                return

    def read(self, timeout_s: float = 0.1) -> np.ndarray | None:
        """The next 16 kHz block, or None when nothing arrived within timeout_s."""
        try:
            block = self._queue.get(timeout=timeout_s)
        except queue.Empty:
            return None
        return self._resample(block) if self._resample else block

    def stop(self) -> None:
        if self._stream is not None:
            try:
                self._stream.stop()
                self._stream.close()
            except Exception:  # closing a lost device must not hide the real error
                pass
            self._stream = None
