"""Decode any audio file PyAV (FFmpeg, bundled with faster-whisper) can read into 16 kHz mono float32.

WAV at any rate, 8/16/24/32-bit integer or float, any channel count, and phone formats
(mp3, m4a, ogg, flac) all go through one path. Every failure becomes one AudioError sentence.

Memory stays bounded whatever the file: decoding streams frame by frame and stops as soon as
the audio passes MAX_AUDIO_S (an hour-long recording is refused with a clear sentence instead
of filling memory and then keeping Whisper busy for an hour). The container's own duration is
checked first, so an honest long file is refused before anything is decoded; a file whose
header lies (streamed WAVs carry 0xFFFFFFFF as their size) is stopped by the running count.
"""

from __future__ import annotations

import re
import stat
from pathlib import Path

import numpy as np

from simulator.audio.clip import TARGET_RATE_HZ, AudioClip
from simulator.errors import AudioError

# One answer in a mock interview lasts seconds to a few minutes; 20 minutes leaves room for a
# coach's long monologue while keeping the decoded clip under 80 MB (20 min x 16 kHz x 4 bytes).
MAX_AUDIO_S = 20 * 60


def load_audio(path: str | Path, rate_hz: int = TARGET_RATE_HZ) -> AudioClip:
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise AudioError(f"{path}: file not found.") from None
    except OSError as exc:
        raise AudioError(f"{path}: cannot be read ({exc.strerror or exc}).") from None
    if stat.S_ISDIR(info.st_mode):
        raise AudioError(f"{path}: is a folder, not an audio file.")
    if not stat.S_ISREG(info.st_mode):
        # A pipe or a device would block or never end; recordings are regular files.
        raise AudioError(f"{path}: not a regular file (a pipe or device); give a saved recording.")
    if info.st_size == 0:
        raise AudioError(f"{path}: the file is empty.")
    import av  # lazy: importing PyAV costs ~0.1 s and is not needed for replay

    max_samples = int(MAX_AUDIO_S * rate_hz)
    chunks: list[np.ndarray] = []
    total = 0
    try:
        with av.open(str(path), mode="r", metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise AudioError(f"{path}: contains no audio stream.")
            stream = container.streams.audio[0]
            if stream.codec_context is None:
                raise AudioError(f"{path}: uses an audio format this program cannot decode.")
            if container.duration is not None and container.duration / 1_000_000 > MAX_AUDIO_S + 1:
                raise _too_long(path, container.duration / 1_000_000)
            resampler = av.audio.resampler.AudioResampler(format="flt", layout="mono", rate=rate_hz)
            try:
                for frame in container.decode(stream):
                    for out in resampler.resample(frame):
                        chunk = out.to_ndarray().reshape(-1).copy()
                        total += len(chunk)
                        if total > max_samples:
                            raise _too_long(path, None)
                        chunks.append(chunk)
            except av.error.FFmpegError:
                # A truncated file: keep what decoded cleanly, as players do. Nothing decoded at
                # all is reported below as "no audio".
                pass
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(-1).copy())
    except (AudioError, MemoryError, KeyboardInterrupt):
        raise
    except Exception as exc:  # noqa: BLE001 - FFmpeg, via PyAV, fails in many exception types
        raise AudioError(f"{path}: not a readable audio file ({_short(exc)}).") from None
    samples = np.concatenate(chunks).astype(np.float32, copy=False) if chunks else np.zeros(0, np.float32)
    del chunks
    if len(samples) == 0:
        raise AudioError(f"{path}: contains no audio samples.")
    # NaN/inf from broken float WAVs would poison VAD and Whisper; clipping keeps the range sane.
    np.nan_to_num(samples, copy=False, nan=0.0, posinf=1.0, neginf=-1.0)
    np.clip(samples, -1.0, 1.0, out=samples)
    return AudioClip(samples, rate_hz)


def _too_long(path: Path, duration_s: float | None) -> AudioError:
    length = f"{duration_s / 60:.0f} minutes" if duration_s else f"over {MAX_AUDIO_S // 60} minutes"
    return AudioError(
        f"{path}: too long ({length}); one answer may last at most {MAX_AUDIO_S // 60} minutes, so cut the recording into answers first."
    )


def _short(exc: Exception) -> str:
    """FFmpeg's reason without its errno and the repeated path: 'Invalid data found when processing input'."""
    text = str(exc).strip() or type(exc).__name__
    text = re.sub(r"^\[Errno -?\d+\]\s*", "", text.splitlines()[0])
    text = re.sub(r":\s*'[^']*'\s*$", "", text)
    return text[:120]
