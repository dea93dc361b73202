"""Decode any audio file PyAV (FFmpeg, bundled with faster-whisper) can read into 16 kHz mono float32.

WAV at any rate, 8/16/24/32-bit integer or float, any channel count, and phone formats
(mp3, m4a, ogg, flac) all go through one path. Every failure becomes one AudioError sentence (Japanese, naming the file).

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
        raise AudioError(f"音声ファイル {path} が見つかりません。") from None
    except OSError as exc:
        raise AudioError(f"音声ファイル {path} を読み込めません（{exc.strerror or exc}）。") from None
    if stat.S_ISDIR(info.st_mode):
        raise AudioError(f"{path} はフォルダなので、音声ファイルを指定してください。")
    if not stat.S_ISREG(info.st_mode):
        # A pipe or a device would block or never end; recordings are regular files.
        raise AudioError(f"{path} は通常のファイルではない（パイプかデバイス）ため、保存した録音ファイルを指定してください。")
    if info.st_size == 0:
        raise AudioError(f"音声ファイル {path} は空です（0バイト）。")
    import av  # lazy: importing PyAV costs ~0.1 s and is not needed for replay

    max_samples = int(MAX_AUDIO_S * rate_hz)
    chunks: list[np.ndarray] = []
    total = 0
    try:
        with av.open(str(path), mode="r", metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise AudioError(f"{path} には音声が入っていません（音声ストリームがありません）。")
            stream = container.streams.audio[0]
            if stream.codec_context is None:
                raise AudioError(f"{path} は、このプログラムでは読めない音声形式です。")
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
        raise AudioError(f"{path} を音声ファイルとして読み込めません（{_short(exc)}）。") from None
    samples = np.concatenate(chunks).astype(np.float32, copy=False) if chunks else np.zeros(0, np.float32)
    del chunks
    if len(samples) == 0:
        raise AudioError(f"{path} には音声が入っていません（音声データが 0サンプルです）。")
    # NaN/inf from broken float WAVs would poison VAD and Whisper; clipping keeps the range sane.
    np.nan_to_num(samples, copy=False, nan=0.0, posinf=1.0, neginf=-1.0)
    np.clip(samples, -1.0, 1.0, out=samples)
    return AudioClip(samples, rate_hz)


def _too_long(path: Path, duration_s: float | None) -> AudioError:
    length = f"約{duration_s / 60:.0f}分" if duration_s else f"{MAX_AUDIO_S // 60}分超"
    return AudioError(
        f"音声ファイル {path} は長すぎる（{length}）ため、録音を回答ごとに分けてください（1つの回答は最長 {MAX_AUDIO_S // 60}分です）。"
    )


def _short(exc: Exception) -> str:
    """FFmpeg's reason without its errno and the repeated path: 'Invalid data found when processing input'."""
    text = str(exc).strip() or type(exc).__name__
    text = re.sub(r"^\[Errno -?\d+\]\s*", "", text.splitlines()[0])
    text = re.sub(r":\s*'[^']*'\s*$", "", text)
    return text[:120]
