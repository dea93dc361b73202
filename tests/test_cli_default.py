"""`mensetsu` alone: the web app on a graphical desktop; else live practice when a microphone exists,
else the demo interview on sample answers."""

from __future__ import annotations

import sys

import pytest

import simulator.audio.microphone as microphone
from simulator.cli import default_command
from simulator.commands import web
from simulator.errors import DeviceError


@pytest.fixture()
def no_desktop(monkeypatch):
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "SSH_CONNECTION", "SSH_TTY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(web, "graphical_desktop", lambda: False)


def test_no_microphone_runs_the_demo(monkeypatch, capsys, no_desktop):
    def no_mic(spec, kind):
        raise DeviceError("no default microphone is available")

    monkeypatch.setattr(microphone, "resolve_device", no_mic)
    assert default_command() == ["run", "--demo"]
    assert "マイクが使えないため" in capsys.readouterr().err


def test_microphone_starts_practice(monkeypatch, no_desktop):
    monkeypatch.setattr(microphone, "resolve_device", lambda spec, kind: (0, {"name": "mic"}))
    assert default_command() == ["practice"]


def test_a_graphical_desktop_opens_the_web_app(monkeypatch):
    monkeypatch.setattr(web, "graphical_desktop", lambda: True)
    monkeypatch.setattr(microphone, "resolve_device", lambda spec, kind: pytest.fail("the web app picks its microphone in the page"))
    assert default_command() == ["web"]


def test_without_the_web_stack_it_behaves_as_before(monkeypatch):
    monkeypatch.setattr(web, "graphical_desktop", lambda: True)
    monkeypatch.setattr(web, "web_available", lambda: False)
    monkeypatch.setattr(microphone, "resolve_device", lambda spec, kind: (0, {"name": "mic"}))
    assert default_command() == ["practice"]


@pytest.mark.skipif(sys.platform in ("darwin", "win32"), reason="Linux: the desktop is told by DISPLAY / WAYLAND_DISPLAY")
@pytest.mark.parametrize("env, desktop", [
    ({}, False),
    ({"DISPLAY": ":0"}, True),
    ({"WAYLAND_DISPLAY": "wayland-0"}, True),
    ({"DISPLAY": ":0", "SSH_CONNECTION": "10.0.0.2 50000 10.0.0.1 22"}, False),
])
def test_graphical_desktop_on_linux(monkeypatch, env, desktop):
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "SSH_CONNECTION", "SSH_TTY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert web.graphical_desktop() is desktop
