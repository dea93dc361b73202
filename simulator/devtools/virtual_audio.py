"""A private PulseAudio daemon with virtual devices, for tests and benchmarks of the real audio path.

Two null sinks: `virt_mic` (what is played into it is what the default microphone hears, through
its monitor) and `virt_speaker` (the default output; record its monitor to hear the interviewer).
The daemon lives in its own XDG_RUNTIME_DIR, so it never touches a desktop's sound server, and
stop() ends exactly the daemon this object started.

Needs: apt-get install pulseaudio pulseaudio-utils libasound2-plugins libportaudio2
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

MIC_SINK = "virt_mic"
SPEAKER_SINK = "virt_speaker"
BOTH_SINK = "virt_both"  # plays into the microphone AND the speaker at once: one timeline for benchmarks


def available() -> str | None:
    """None when everything needed is installed, else what is missing."""
    missing = [b for b in ("pulseaudio", "pactl", "paplay", "parecord") if shutil.which(b) is None]
    if missing:
        return f"missing {', '.join(missing)} (apt-get install pulseaudio pulseaudio-utils libasound2-plugins)"
    import ctypes.util

    # Not `import sounddevice`: that starts PortAudio, which must see XDG_RUNTIME_DIR of our daemon first.
    if ctypes.util.find_library("portaudio") is None:
        return "PortAudio missing (apt-get install libportaudio2)"
    return None


class VirtualAudio:
    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.runtime = self.folder / "xdg"
        self.env: dict[str, str] = {}
        self._procs: list[subprocess.Popen] = []

    def start(self) -> dict[str, str]:
        self.runtime.mkdir(parents=True, exist_ok=True, mode=0o700)
        # Own runtime folder and HOME (cookie, state): nothing shared with another daemon on the machine.
        self.env = {**os.environ, "XDG_RUNTIME_DIR": str(self.runtime), "PULSE_RUNTIME_PATH": str(self.runtime / "pulse"), "HOME": str(self.folder)}
        self.env.pop("PULSE_SERVER", None)
        cmd = [
            "pulseaudio",
            "--daemonize=yes",
            "--exit-idle-time=-1",
            "--disallow-exit",
            "-n",
            "--load=module-native-protocol-unix auth-anonymous=1",
            f"--load=module-null-sink sink_name={MIC_SINK}",
            f"--load=module-null-sink sink_name={SPEAKER_SINK}",
            f"--load=module-combine-sink sink_name={BOTH_SINK} slaves={MIC_SINK},{SPEAKER_SINK}",
            "--load=module-always-sink",
        ]
        subprocess.run(cmd, env=self.env, check=True, capture_output=True, timeout=30)
        for _ in range(100):
            if subprocess.run(["pactl", "info"], env=self.env, capture_output=True).returncode == 0:
                break
            time.sleep(0.1)
        self.pactl("set-default-source", f"{MIC_SINK}.monitor")
        self.pactl("set-default-sink", SPEAKER_SINK)
        return self.env

    def pactl(self, *args: str) -> str:
        return subprocess.run(["pactl", *args], env=self.env, check=True, capture_output=True, text=True, timeout=30).stdout

    def play_into_mic(self, wav: Path, also_speaker: bool = False) -> subprocess.Popen:
        """Speak a file into the microphone, in real time (paplay paces it like a person).

        also_speaker: the speaker's monitor hears it too, so one recording of the speaker holds
        the candidate and the interviewer on the same clock (turn latency benchmark).
        """
        p = subprocess.Popen(["paplay", f"--device={BOTH_SINK if also_speaker else MIC_SINK}", str(wav)], env=self.env)
        self._procs.append(p)
        return p

    def record_speaker(self, wav: Path) -> subprocess.Popen:
        """Record what the program plays (the interviewer) into a WAV, until stopped."""
        p = subprocess.Popen(
            ["parecord", f"--device={SPEAKER_SINK}.monitor", "--file-format=wav", "--rate=16000", "--channels=1", str(wav)], env=self.env
        )
        self._procs.append(p)
        return p

    def stop(self) -> None:
        for p in self._procs:
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(5)
                except subprocess.TimeoutExpired:
                    p.kill()
        self._procs.clear()
        if self.env:
            subprocess.run(["pulseaudio", "--kill"], env=self.env, capture_output=True, timeout=30)
            self.env = {}
