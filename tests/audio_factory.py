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


# ---------------------------------------------------------------------------------------------
# The bad-audio corpus (issue 8): every odd file a user may feed in, built fresh by the tests.
# Each case says what a correct outcome is: "ok" (a result, checked against the source speech)
# or "error" (one clear sentence naming the file, non-zero exit). Add a case by adding a builder.
# ---------------------------------------------------------------------------------------------

import struct
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class BadAudioCase:
    id: str
    description: str
    build: Callable[[Path, np.ndarray, int], Path]  # (folder, speech samples, speech rate) -> file
    expect: str  # "ok": analysed correctly | "error": one sentence, non-zero exit
    message: str = ""  # a fragment the error sentence must contain (expect == "error")
    speech_kept: bool = True  # ok cases: the real speech is still in the file (transcript checked)


def wav_header(rate_hz: int, channels: int, bits: int, data_bytes: int, fmt_tag: int = 1) -> bytes:
    """A canonical 44-byte RIFF/WAVE header whose fields can be set to anything, lies included."""
    block = channels * bits // 8
    fmt = struct.pack("<HHIIHH", fmt_tag, channels, rate_hz, rate_hz * block, block, bits)
    riff_size = min(0xFFFFFFFF, 4 + 8 + len(fmt) + 8 + data_bytes)
    return b"RIFF" + struct.pack("<I", riff_size) + b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", min(0xFFFFFFFF, data_bytes))


def resample_linear(samples: np.ndarray, rate_hz: int, new_rate_hz: int) -> np.ndarray:
    n_out = int(round(len(samples) * new_rate_hz / rate_hz))
    t = np.arange(n_out) * (rate_hz / new_rate_hz)
    return np.interp(t, np.arange(len(samples)), samples).astype(np.float32)


def _write_raw(name: str, data: bytes) -> Callable[[Path, np.ndarray, int], Path]:
    def build(folder: Path, speech: np.ndarray, rate: int) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path

    return build


def _speech_wav(name: str, new_rate: int, sampwidth: int = 2, channels: int = 1, gain: float = 1.0) -> Callable:
    def build(folder: Path, speech: np.ndarray, rate: int) -> Path:
        data = resample_linear(speech, rate, new_rate) * gain
        return write_pcm_wav(folder / name, np.clip(data, -1, 1), new_rate, sampwidth, channels)

    return build


def _speech_encoded(name: str, codec: str, fmt: str, rate_out: int = 48000) -> Callable:
    def build(folder: Path, speech: np.ndarray, rate: int) -> Path:
        return write_with_pyav(folder / name, resample_linear(speech, rate, rate_out), rate_out, codec, fmt=fmt)

    return build


def _clipped(folder: Path, speech: np.ndarray, rate: int) -> Path:
    # Driven 8x past full scale and hard-clipped, as a phone held too close records it.
    return write_pcm_wav(folder / "clipped.wav", np.clip(speech * 8.0, -1, 1), rate, 2)


def _nan_float(folder: Path, speech: np.ndarray, rate: int) -> Path:
    data = speech.copy() * 3.0  # float WAV beyond +-1 as well
    data[: rate // 2] = np.nan  # half a second of NaN before the speech
    data[rate // 2 : rate // 2 + 100] = np.inf
    return write_with_pyav(folder / "nan.wav", data, rate, "pcm_f32le", fmt="flt")


def _all_nan(folder: Path, speech: np.ndarray, rate: int) -> Path:
    return write_with_pyav(folder / "all-nan.wav", np.full(rate * 2, np.nan, np.float32), rate, "pcm_f32le", fmt="flt")


def _truncated_data(folder: Path, speech: np.ndarray, rate: int) -> Path:
    path = write_pcm_wav(folder / "truncated-data.wav", speech, rate, 2)
    raw = path.read_bytes()
    path.write_bytes(raw[: 44 + (len(raw) - 44) * 3 // 4])  # header promises more than the file holds
    return path


def _truncated_mp3(folder: Path, speech: np.ndarray, rate: int) -> Path:
    path = _speech_encoded("truncated.mp3", "libmp3lame", "fltp")(folder, speech, rate)
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) * 3 // 4])  # a download cut off
    return path


def _hour_long(folder: Path, speech: np.ndarray, rate: int) -> Path:
    # One hour at 8 kHz, 8-bit: 28.8 MB on disk, 230 MB once decoded to 16 kHz float32.
    return _write_hour(folder / "hour-long.wav")


def _write_hour(path: Path) -> Path:
    rate_hz, seconds = 8000, 3600
    with open(path, "wb") as f:
        f.write(wav_header(rate_hz, 1, 8, rate_hz * seconds))
        block = np.full(rate_hz * 60, 128, np.uint8).tobytes()
        for _ in range(seconds // 60):
            f.write(block)
    return path


def _hour_long_unknown_size(folder: Path, speech: np.ndarray, rate: int) -> Path:
    # Streamed WAVs (sox -t wav -, some recorders) put 0xFFFFFFFF as the data size: no honest
    # duration in the header, so only a streaming limit keeps the memory bounded.
    path = folder / "hour-long-streamed.wav"
    path.write_bytes(b"")
    _write_hour(path)
    with open(path, "r+b") as f:
        f.seek(4)
        f.write(struct.pack("<I", 0xFFFFFFFF))
        f.seek(40)
        f.write(struct.pack("<I", 0xFFFFFFFF))
    return path


def _silence(folder: Path, speech: np.ndarray, rate: int) -> Path:
    return write_pcm_wav(folder / "silence.wav", np.zeros(rate * 3, np.float32), rate, 2)


def _png_named_wav(folder: Path, speech: np.ndarray, rate: int) -> Path:
    path = folder / "photo.wav"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    return path


def _random_bytes(folder: Path, speech: np.ndarray, rate: int) -> Path:
    path = folder / "random.wav"
    path.write_bytes(np.random.default_rng(8).integers(0, 256, 64_000, dtype=np.uint8).tobytes())
    return path


def _folder_named_wav(folder: Path, speech: np.ndarray, rate: int) -> Path:
    path = folder / "folder.wav"
    path.mkdir()
    return path


def _fifo(folder: Path, speech: np.ndarray, rate: int) -> Path:
    # A named pipe nobody writes to: opening it for reading would block for ever.
    path = folder / "pipe.wav"
    os.mkfifo(path)
    return path


import os  # noqa: E402  (used by _fifo; kept next to the corpus it serves)

BAD_AUDIO_CASES: tuple[BadAudioCase, ...] = (
    BadAudioCase("empty", "0-byte file named .wav", _write_raw("empty.wav", b""), "error", "空です"),
    BadAudioCase("text-as-wav", "a text file renamed .wav", _write_raw("notes.wav", "面接のメモです。\n".encode() * 200), "error", "音声ファイルとして読み込めません"),
    BadAudioCase("png-as-wav", "a PNG image renamed .wav", _png_named_wav, "error", "音声が入っていません"),
    BadAudioCase("random-bytes", "64 kB of random bytes named .wav", _random_bytes, "error", "音声ファイルとして読み込めません"),
    BadAudioCase("truncated-header", "RIFF header cut off inside the fmt chunk", _write_raw("trunc-header.wav", b"RIFF\x24\x00\x00\x00WAVEfmt "), "error", "音声ファイルとして読み込めません"),
    BadAudioCase("header-only", "a complete 44-byte header and no data (zero-length data chunk)", _write_raw("header-only.wav", wav_header(16000, 1, 16, 0)), "error", "音声が入っていません"),
    BadAudioCase("zero-channels", "header claims 0 channels", _write_raw("zero-ch.wav", wav_header(16000, 0, 16, 32000) + b"\x00" * 32000), "error", "音声が入っていません"),
    BadAudioCase("zero-rate", "header claims a 0 Hz sample rate", _write_raw("zero-rate.wav", wav_header(0, 1, 16, 32000) + b"\x01" * 32000), "error", "音声ファイルとして読み込めません"),
    BadAudioCase("odd-bits", "header claims 13-bit samples (FFmpeg reads them as 16-bit)", _write_raw("bits13.wav", wav_header(16000, 1, 13, 32000) + b"\x01" * 32000), "ok", speech_kept=False),
    BadAudioCase("unknown-codec", "WAV with an unknown format tag 0x1234", _write_raw("codec.wav", wav_header(16000, 1, 16, 32000, fmt_tag=0x1234) + b"\x01" * 32000), "error", "読めない音声形式"),
    BadAudioCase("folder", "a folder named answer.wav", _folder_named_wav, "error", "フォルダ"),
    BadAudioCase("fifo", "a named pipe (would block for ever if opened)", _fifo, "error", "通常のファイルではない"),
    BadAudioCase("hour-long", "one hour of 8 kHz audio", _hour_long, "error", "長すぎる"),
    BadAudioCase("hour-long-streamed", "one hour with 0xFFFFFFFF (unknown) sizes in the header", _hour_long_unknown_size, "error", "長すぎる"),
    BadAudioCase("all-nan", "float WAV of NaN only", _all_nan, "ok", speech_kept=False),
    BadAudioCase("silence", "3 s of digital silence", _silence, "ok", speech_kept=False),
    BadAudioCase("nan-and-over-range", "float WAV with NaN, inf and samples beyond +-1 around real speech", _nan_float, "ok"),
    BadAudioCase("clipped", "real speech driven 8x past full scale and hard-clipped", _clipped, "ok"),
    BadAudioCase("8khz", "real speech at 8 kHz (telephone band)", _speech_wav("8k.wav", 8000), "ok"),
    BadAudioCase("96khz-24bit", "real speech at 96 kHz, 24-bit", _speech_wav("96k.wav", 96000, 3), "ok"),
    BadAudioCase("6-channels", "real speech in 6 channels (5.1) at 48 kHz", _speech_wav("6ch.wav", 48000, 2, 6), "ok"),
    BadAudioCase("truncated-data", "a WAV whose data stops at 3/4 of what the header promises", _truncated_data, "ok"),
    BadAudioCase("mp3", "real speech as mp3 (libmp3lame, 48 kHz)", _speech_encoded("phone.mp3", "libmp3lame", "fltp"), "ok"),
    BadAudioCase("m4a", "real speech as AAC in m4a (a phone recorder)", _speech_encoded("phone.m4a", "aac", "fltp"), "ok"),
    BadAudioCase("ogg-opus", "real speech as Opus in ogg", _speech_encoded("phone.ogg", "libopus", "flt"), "ok"),
    BadAudioCase("truncated-mp3", "an mp3 cut off at 3/4 of its length", _truncated_mp3, "ok"),
)
