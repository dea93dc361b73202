"""Decode any audio file PyAV (FFmpeg, bundled with faster-whisper) can read into 16 kHz mono float32.

WAV at any rate, 8/16/24/32-bit integer or float, any channel count, and phone formats
(mp3, m4a, ogg, flac) all go through one path. Every failure becomes one AudioError sentence.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from simulator.audio.clip import TARGET_RATE_HZ, AudioClip
from simulator.errors import AudioError


def load_audio(path: str | Path, rate_hz: int = TARGET_RATE_HZ) -> AudioClip:
    path = Path(path)
    if not path.exists():
        raise AudioError(f"{path}: file not found.")
    if path.is_dir():
        raise AudioError(f"{path}: is a folder, not an audio file.")
    if path.stat().st_size == 0:
        raise AudioError(f"{path}: the file is empty.")
    import av  # lazy: importing PyAV costs ~0.1 s and is not needed for replay

    chunks: list[np.ndarray] = []
    try:
        with av.open(str(path), mode="r", metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise AudioError(f"{path}: contains no audio stream.")
            resampler = av.audio.resampler.AudioResampler(format="flt", layout="mono", rate=rate_hz)
            try:
                for frame in container.decode(audio=0):
                    for out in resampler.resample(frame):
                        chunks.append(out.to_ndarray().reshape(-1).copy())
            except av.error.FFmpegError:
                # A truncated file: keep what decoded cleanly, as players do. Nothing decoded at
                # all is reported below as "no audio".
                pass
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(-1).copy())
    except AudioError:
        raise
    except (av.error.FFmpegError, UnicodeDecodeError, ValueError) as exc:
        raise AudioError(f"{path}: not a readable audio file ({_short(exc)}).") from None
    samples = np.concatenate(chunks).astype(np.float32) if chunks else np.zeros(0, np.float32)
    if len(samples) == 0:
        raise AudioError(f"{path}: contains no audio samples.")
    # NaN/inf from broken float WAVs would poison VAD and Whisper; clipping keeps the range sane.
    samples = np.clip(np.nan_to_num(samples, nan=0.0, posinf=1.0, neginf=-1.0), -1.0, 1.0)
    return AudioClip(samples, rate_hz)


def _short(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:120]
