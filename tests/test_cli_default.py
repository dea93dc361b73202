"""`mensetsu` alone: live practice when a microphone exists, else the demo interview on sample answers."""

from __future__ import annotations

import simulator.audio.microphone as microphone
from simulator.cli import default_command
from simulator.errors import DeviceError


def test_no_microphone_runs_the_demo(monkeypatch, capsys):
    def no_mic(spec, kind):
        raise DeviceError("no default microphone is available")

    monkeypatch.setattr(microphone, "resolve_device", no_mic)
    assert default_command() == ["run", "--demo"]
    assert "マイクが使えないため" in capsys.readouterr().err


def test_microphone_starts_practice(monkeypatch):
    monkeypatch.setattr(microphone, "resolve_device", lambda spec, kind: (0, {"name": "mic"}))
    assert default_command() == ["practice"]
