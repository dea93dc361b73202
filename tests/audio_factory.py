"""Build real audio files of many formats in a temp folder (tests build WAVs themselves, not by hand)."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np


def tone(duration_s: float = 1.0, rate_hz: int = 16000, freq_hz: float = 220.0, amp: float = 0.3) -> np.ndarray:
    t = np.arange(int(duration_s * rate_hz)) / rate_hz
    return (amp * np.sin(2 * np.pi * freq_hz * t)).astype(np.float32)


def write_pcm_wav(path: Path, samples: np.ndarray, rate_hz: int, sampwidth: int = 2, channels: int = 1) -> Path:
    """Integer PCM WAV (8/16/24/32-bit) with the stdlib writer."""
    data = np.repeat(samples[:, None], channels, axis=1) if channels > 1 else samples[:, None]
    if sampwidth == 1:
        raw = ((data * 127) + 128).astype(np.uint8).tobytes()
    elif sampwidth == 3:
        ints = (data * (2**23 - 1)).astype("<i4")
        b = ints.reshape(-1).view(np.uint8).reshape(-1, 4)[:, :3]
        raw = b.tobytes()
    else:
        dtype = {2: "<i2", 4: "<i4"}[sampwidth]
        raw = (data * (2 ** (8 * sampwidth - 1) - 1)).astype(dtype).tobytes()
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(sampwidth)
        w.setframerate(rate_hz)
        w.writeframes(raw)
    return path


def write_with_pyav(path: Path, samples: np.ndarray, rate_hz: int, codec: str, layout: str = "mono", fmt: str = "fltp") -> Path:
    """Encode with PyAV (FFmpeg): float WAV, mp3, ogg/opus, flac, aac in m4a."""
    import av

    channels = 2 if layout == "stereo" else 1
    with av.open(str(path), "w") as out:
        stream = out.add_stream(codec, rate=rate_hz, layout=layout)
        frame_size = stream.codec_context.frame_size or 1024
        data = np.repeat(samples[None, :], channels, axis=0).astype(np.float32)
        planar = fmt.endswith("p")
        for start in range(0, data.shape[1], frame_size):
            chunk = data[:, start : start + frame_size]
            arr = chunk if planar else chunk.T.reshape(1, -1)
            if fmt.startswith("s16"):
                arr = (arr * 32767).astype(np.int16)
            frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(arr), format=fmt, layout=layout)
            frame.sample_rate = rate_hz
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path
