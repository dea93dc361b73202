"""Decoding real files of many formats to 16 kHz mono float32, and clear errors for bad ones."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.audio.clip import AudioClip
from simulator.audio.decode import load_audio
from simulator.audio.wavfile import write_wav
from simulator.errors import AudioError
from tests.audio_factory import tone, write_pcm_wav, write_with_pyav


@pytest.mark.parametrize("rate_hz", [8000, 16000, 22050, 44100, 48000, 96000])
@pytest.mark.parametrize("sampwidth", [1, 2, 3, 4])
def test_pcm_wav_any_rate_and_width(tmp_path, rate_hz, sampwidth):
    path = write_pcm_wav(tmp_path / "a.wav", tone(1.5, rate_hz), rate_hz, sampwidth)
    clip = load_audio(path)
    assert clip.rate_hz == 16000
    assert clip.samples.dtype == np.float32
    assert abs(clip.duration_s - 1.5) < 0.02
    # the 220 Hz tone survives: amplitude close to the original 0.3
    assert 0.25 < np.max(np.abs(clip.samples[1000:-1000])) < 0.35


@pytest.mark.parametrize("channels", [2, 6])
def test_multichannel_is_mixed_to_mono(tmp_path, channels):
    path = write_pcm_wav(tmp_path / "multi.wav", tone(1.0, 48000), 48000, 2, channels)
    clip = load_audio(path)
    assert abs(clip.duration_s - 1.0) < 0.02
    assert np.max(np.abs(clip.samples)) > 0.2


@pytest.mark.parametrize(
    "name,codec,fmt",
    [("f.wav", "pcm_f32le", "flt"), ("a.flac", "flac", "s16"), ("a.mp3", "libmp3lame", "fltp"), ("a.ogg", "libopus", "flt"), ("a.m4a", "aac", "fltp")],
)
def test_other_formats(tmp_path, name, codec, fmt):
    rate = 48000
    try:
        path = write_with_pyav(tmp_path / name, tone(2.0, rate), rate, codec, fmt=fmt)
    except Exception as exc:  # an FFmpeg build without this encoder cannot make the fixture
        pytest.skip(f"encoder {codec} unavailable: {exc}")
    clip = load_audio(path)
    assert abs(clip.duration_s - 2.0) < 0.1
    assert np.max(np.abs(clip.samples)) > 0.1


def test_nan_and_clipped_float_samples_are_sanitised(tmp_path):
    data = tone(1.0, 16000, amp=2.0)  # clipped far beyond full scale
    data[100:200] = np.nan
    path = write_with_pyav(tmp_path / "nan.wav", data, 16000, "pcm_f32le", fmt="flt")
    clip = load_audio(path)
    assert np.all(np.isfinite(clip.samples))
    assert np.max(np.abs(clip.samples)) <= 1.0


def test_roundtrip_write_wav(tmp_path):
    clip = AudioClip(tone(0.5), 16000)
    path = write_wav(tmp_path / "x.wav", clip)
    back = load_audio(path)
    assert abs(back.duration_s - 0.5) < 0.01
    assert np.allclose(back.samples[:100], clip.samples[:100], atol=1e-3)
    assert (path.stat().st_mode & 0o777) == 0o600  # recordings are private


def test_real_corpus_clip_stereo_44k():
    from tests.conftest import DATA

    clip = load_audio(DATA / "test_ja_2.wav")  # stereo 44.1 kHz real recording
    assert abs(clip.duration_s - 11.25) < 0.05


@pytest.mark.parametrize(
    "content,message",
    [
        (b"", "空です"),
        (b"this is not audio at all, just text pretending to be a wav file\n" * 20, "音声ファイルとして読み込めません"),
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", "音声ファイルとして読み込めません"),  # truncated header
    ],
)
def test_bad_files_give_one_sentence(tmp_path, content, message):
    path = tmp_path / "bad.wav"
    path.write_bytes(content)
    with pytest.raises(AudioError) as err:
        load_audio(path)
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_zero_length_data_chunk(tmp_path):
    path = write_pcm_wav(tmp_path / "zero.wav", np.zeros(0, np.float32), 16000)
    with pytest.raises(AudioError, match="音声が入っていません|音声ファイルとして読み込めません"):
        load_audio(path)


def test_truncated_data_keeps_what_decodes(tmp_path):
    path = write_pcm_wav(tmp_path / "t.wav", tone(2.0), 16000)
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) // 2])  # header claims 2 s, file holds 1 s
    clip = load_audio(path)
    assert 0.9 < clip.duration_s < 1.1


def test_missing_and_folder(tmp_path):
    with pytest.raises(AudioError, match="見つかりません"):
        load_audio(tmp_path / "nope.wav")
    with pytest.raises(AudioError, match="フォルダ"):
        load_audio(tmp_path)
