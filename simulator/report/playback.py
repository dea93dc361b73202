"""Playing saved audio aloud, behind a tiny interface, with a fake twin for tests.

sounddevice (PortAudio) is imported only when something is really played, so reports and
replays without --play never need an audio stack.
"""

from __future__ import annotations

import time
from typing import Callable, Protocol

from simulator.audio.clip import AudioClip
from simulator.errors import DeviceError

NO_DEVICE = "音声の出力デバイス（スピーカー）が見つからないため再生できません（--play を付けずに replay すると文字で読めます）。"
LONG_PAUSE_MIN_S = 1.0


class Player(Protocol):
    name: str

    def start(self, clip: AudioClip) -> None: ...  # returns at once; the clip plays on
    def position_s(self) -> float: ...  # seconds since start()
    def sleep(self, seconds: float) -> None: ...
    def wait(self) -> None: ...  # until the clip has finished
    def stop(self) -> None: ...


class SoundDevicePlayer:
    name = "sounddevice"

    def __init__(self, device=None):
        from simulator.audio.microphone import import_sounddevice

        try:
            sd = import_sounddevice()  # the one import: ALSA/PortAudio messages go to the audio log, not the screen
        except DeviceError:
            raise DeviceError(NO_DEVICE) from None
        try:
            sd.query_devices(device, kind="output")
        except (sd.PortAudioError, ValueError):
            raise DeviceError(NO_DEVICE) from None
        self._sd = sd
        self.device = device
        self._t0 = 0.0

    def start(self, clip: AudioClip) -> None:
        try:
            self._sd.play(clip.samples, clip.rate_hz, device=self.device)
        except self._sd.PortAudioError as exc:
            raise DeviceError(f"音声の出力デバイス {self.device if self.device is not None else '（既定）'} で再生できませんでした（{exc}）。") from None
        self._t0 = time.monotonic()

    def position_s(self) -> float:
        return time.monotonic() - self._t0

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)

    def wait(self) -> None:
        self._sd.wait()

    def stop(self) -> None:
        self._sd.stop()


def open_player(device=None) -> Player:
    return SoundDevicePlayer(device)


def play_along(clip: AudioClip, words: list[dict], player: Player, write: Callable[[str], None]) -> None:
    """Play the clip and write each word when it is spoken; a long silence shows as ⏸."""
    player.start(clip)
    try:
        prev_end = None
        for w in words:
            delay = w["start_s"] - player.position_s()
            if delay > 0:
                player.sleep(delay)
            if prev_end is not None and w["start_s"] - prev_end >= LONG_PAUSE_MIN_S:
                write(" ⏸ ")
            write(w["text"])
            prev_end = w["end_s"]
        player.wait()
    except BaseException:
        player.stop()
        raise
