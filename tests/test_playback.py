"""The interviewer's voice under load (issue 15): the Speaker, the playback gate, the native audio log.

The device test plays a clip through the real Speaker on a private PulseAudio daemon
(simulator/devtools/virtual_audio.py), in a fresh process whose stderr stands for the screen:
nothing from ALSA or PortAudio may reach it, and the log must be inside the test's data folder.
No test here depends on how fast the machine is.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from conftest import REPO
from simulator.audio import native_log, playback_gate
from simulator.audio.speaker import PlayStats, discarded

# --- pure logic -----------------------------------------------------------------------------------


def test_alsa_lines_keep_alsa_layout():
    line = native_log.format_alsa(b"pcm.c", 8570, b"snd_pcm_recover", 0, b"underrun occurred\n")
    assert line == "ALSA lib pcm.c:8570:(snd_pcm_recover) underrun occurred"
    with_err = native_log.format_alsa(b"pcm.c", 2666, b"snd_pcm_open_noupdate", -2, b"Unknown PCM %s", "No such file or directory")
    assert with_err.endswith("Unknown PCM %s: No such file or directory")
    assert native_log.format_alsa(None, 0, None, 0, None) == "ALSA lib :0:() "


def test_discarded_audio_is_told_from_a_slow_or_normal_play():
    assert discarded(PlayStats(audio_s=4.0, wall_s=0.05, underflows=40))  # thrown away: over at once
    assert not discarded(PlayStats(audio_s=4.0, wall_s=4.25, underflows=0))  # heard
    assert not discarded(PlayStats(audio_s=4.0, wall_s=9.0, underflows=30))  # gaps under load: longer, not shorter
    assert not discarded(PlayStats(audio_s=4.0, wall_s=0.5, underflows=1))  # stopped early (stop()), no storm


def test_gate_holds_work_while_speaking_and_releases_it_after():
    assert not playback_gate.is_speaking()
    playback_gate.wait_until_quiet()  # nobody speaks: returns at once
    entered, released = threading.Event(), threading.Event()

    def worker():
        entered.set()
        playback_gate.wait_until_quiet()
        released.set()

    with playback_gate.speaking():
        with playback_gate.speaking():  # nested (several clips, several speakers)
            assert playback_gate.is_speaking()
            t = threading.Thread(target=worker, daemon=True)
            t.start()
            assert entered.wait(30)
        assert playback_gate.is_speaking()  # the outer clip is still playing
        assert not released.is_set()  # cannot have passed: the voice is still playing
    t.join(30)
    assert released.is_set() and not playback_gate.is_speaking()


def test_gate_wait_is_bounded():
    with playback_gate.speaking():
        waited = playback_gate.wait_until_quiet(timeout_s=0.01)
    assert waited >= 0.0 and not playback_gate.is_speaking()


def test_gate_is_cleared_when_playback_fails():
    with pytest.raises(RuntimeError):
        with playback_gate.speaking():
            raise RuntimeError("device lost")
    assert not playback_gate.is_speaking()


def test_log_goes_to_the_data_folder(mensetsu_home):
    native_log.write("ALSA lib test.c:1:(probe) hello")
    log = mensetsu_home / "logs" / "audio.log"
    assert log.is_file() and "hello" in log.read_text(encoding="utf-8")
    assert native_log.current_log_path() == log
    assert oct(log.stat().st_mode & 0o777) == "0o600"


def test_no_libasound_is_no_error(monkeypatch):
    monkeypatch.setattr(native_log, "_alsa_installed", False)
    monkeypatch.setattr(native_log, "_find_libasound", lambda: None)
    assert native_log.install() is False  # macOS / Windows: nothing installed, nothing raised


def _run(code: str, env: dict, tmp_path: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    script = tmp_path / "probe.py"
    script.write_text(textwrap.dedent(code), encoding="utf-8")
    return subprocess.run([sys.executable, str(script)], env={**env, "PYTHONPATH": str(REPO)}, capture_output=True, text=True, timeout=timeout, cwd=REPO)


def test_stderr_redirect_sends_native_output_to_the_log(tmp_path, mensetsu_home):
    """What C code writes to fd 2 during PortAudio's start goes to the log; fd 2 is the screen again after."""
    p = _run(
        """
        import os
        from simulator.audio import native_log
        with native_log.stderr_to_log():
            os.write(2, b"jack server is not running\\n")
        os.write(2, b"after\\n")
        """,
        {**os.environ, "MENSETSU_HOME": str(mensetsu_home)},
        tmp_path,
    )
    assert p.returncode == 0, p.stderr
    assert p.stderr == "after\n"
    assert "jack server is not running" in (mensetsu_home / "logs" / "audio.log").read_text(encoding="utf-8")


# --- the real Speaker on virtual devices -----------------------------------------------------------




PLAY = """
import ctypes, json, os
import numpy as np
from simulator.audio.clip import AudioClip
from simulator.audio.microphone import import_sounddevice
from simulator.audio.speaker import Speaker
from simulator.audio import native_log

import_sounddevice()  # PortAudio starts: ALSA probes its devices (and complains) here
t = np.arange(int(1.5 * 24000)) / 24000
clip = AudioClip((0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32), 24000)
speaker = Speaker()
speaker.play(clip)
# An underrun as ALSA reports one: through ALSA's own error hook, which now points at the log.
alsa = ctypes.CDLL("libasound.so.2") if native_log._alsa_installed else None
if alsa is not None:
    hook = native_log._HANDLER_TYPE.in_dll(alsa, "snd_lib_error")
    hook(b"pcm.c", 8570, b"snd_pcm_recover", 0, b"underrun occurred")
print("RESULT " + json.dumps({"log": str(native_log.current_log_path()), "alsa": alsa is not None,
      "underflows": speaker.last.underflows, "callbacks": speaker.last.callbacks, "wall_s": speaker.last.wall_s}))
"""


@pytest.mark.slow
def test_speaker_on_virtual_device_keeps_alsa_off_the_screen(pulse, tmp_path, mensetsu_home):
    from simulator.audio.decode import load_audio

    heard_wav = tmp_path / "speaker.wav"
    recorder = pulse.record_speaker(heard_wav)
    try:
        p = _run(PLAY, {**pulse.env, "MENSETSU_HOME": str(mensetsu_home)}, tmp_path)
    finally:
        recorder.terminate()
        recorder.wait(10)
    assert p.returncode == 0, p.stderr
    # the screen: nothing from ALSA or PortAudio
    assert "ALSA" not in p.stderr and "PortAudio" not in p.stderr and "underrun" not in p.stderr, p.stderr
    result = json.loads(next(line for line in p.stdout.splitlines() if line.startswith("RESULT "))[7:])
    log = Path(result["log"])
    assert log.is_relative_to(mensetsu_home), log  # inside the test's data folder, not the user's
    text = log.read_text(encoding="utf-8")
    if result["alsa"]:
        assert "underrun occurred" in text and "ALSA lib pcm.c:8570:(snd_pcm_recover)" in text
    assert result["callbacks"] > 0
    # and the clip was heard, all of it (audio time, not wall time)
    heard = load_audio(heard_wav).samples
    import numpy as np

    loud = np.flatnonzero(np.abs(heard) > 0.05)
    assert len(loud) and (loud[-1] - loud[0]) / 16000 >= 1.4, len(loud)
