"""Test-only entry point: the real CLI, with a scripted transcriber and numbered kill points.

    python -m tests.fault_cli run --answers a.wav b.wav --voice none --out DIR

runs simulator.cli.main unchanged, in a real process, writing real files through the real
store, with two test hooks switched on by environment variables:

- the transcriber is FakeTranscriber (scripted Japanese texts), so a kill test does not spend
  seconds of CPU in Whisper per process; decoding and VAD stay real;
- every file-system step of interest is an *event*: opening a file for writing, half of its
  bytes written (flushed, so a kill leaves a torn file), fsync, rename, decoding an answer,
  transcribing it. Events are numbered in order; MENSETSU_TEST_KILL_AT=N makes the process
  SIGKILL itself at event N, with no chance to clean up, exactly as `kill -9` or a power cut.
  MENSETSU_TEST_EVENTS=FILE logs every event and every completed turn (after the store's
  append_turn returned), which is what the test holds the saved session to.
  MENSETSU_TEST_HOOK="turn saved#2=SHELL COMMAND" runs the command when the named event happens
  for the 2nd time (e.g. fill the disk, or remount the output folder read-only, mid-session).
"""

from __future__ import annotations

import os
import signal
import sys
import time

_KILL_AT = int(os.environ.get("MENSETSU_TEST_KILL_AT", "0") or 0)
_HOOK = os.environ.get("MENSETSU_TEST_HOOK", "")
_LOG_FD = None
_count = 0
_seen: dict[str, int] = {}


def event(name: str) -> None:
    global _count
    _count += 1
    _seen[name] = _seen.get(name, 0) + 1
    if _LOG_FD is not None:
        os.write(_LOG_FD, f"{_count} {name}\n".encode())
    if _HOOK:
        target, command = _HOOK.split("=", 1)
        hook_name, hook_n = target.rsplit("#", 1)
        if name == hook_name and _seen[name] == int(hook_n):
            import subprocess

            subprocess.run(command, shell=True, check=False)
    if _count == _KILL_AT:
        os.kill(os.getpid(), signal.SIGKILL)


def _log(line: str) -> None:
    if _LOG_FD is not None:
        os.write(_LOG_FD, f"{line}\n".encode())


class _TornWriter:
    """Wraps a file from fsutil.open_private: each write lands in two halves, an event between."""

    def __init__(self, f, name: str):
        self._f = f
        self._name = name

    def write(self, data):
        half = len(data) // 2
        self._f.write(data[:half])
        self._f.flush()
        event(f"mid-write {self._name}")
        return half + self._f.write(data[half:])

    def __getattr__(self, attr):
        return getattr(self._f, attr)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return self._f.__exit__(*exc)


def install() -> None:
    global _LOG_FD
    log_path = os.environ.get("MENSETSU_TEST_EVENTS")
    if log_path:
        _LOG_FD = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)

    import simulator.audio.sources as sources
    import simulator.commands.common as common
    import simulator.fsutil as fsutil
    import simulator.store.session_store as store
    from simulator.testing import FakeTranscriber

    real_open_private = fsutil.open_private

    def open_private(path, mode="ab"):
        event(f"open {os.path.basename(path)}")
        return _TornWriter(real_open_private(path, mode), os.path.basename(path))

    fsutil.open_private = open_private
    store.open_private = open_private

    real_fsync, real_replace, real_rename = os.fsync, os.replace, os.rename

    def fsync(fd):
        real_fsync(fd)
        event("fsync")

    def replace(src, dst, **kw):
        event(f"before-rename {os.path.basename(str(dst))}")
        real_replace(src, dst, **kw)
        event(f"after-rename {os.path.basename(str(dst))}")

    def rename(src, dst, **kw):
        event(f"before-rename {os.path.basename(str(dst))}")
        real_rename(src, dst, **kw)
        event(f"after-rename {os.path.basename(str(dst))}")

    os.fsync, os.replace, os.rename = fsync, replace, rename

    real_load = sources.load_audio

    def load_audio(path, *a, **kw):
        event(f"decode {os.path.basename(str(path))}")
        return real_load(path, *a, **kw)

    sources.load_audio = load_audio

    class ScriptedTranscriber(FakeTranscriber):
        def load(self):
            return self

        def transcribe(self, clip):
            event("transcribe start")  # mid-answer: the answer is recorded, not yet analysed
            time.sleep(0.02)
            out = super().transcribe(clip)
            event("transcribe end")
            return out

    texts = [
        "えーと、山田太郎と申します。営業を七年担当しております。",
        "はい、売上を前年比百二十パーセントに伸ばしました。",
        "御社の製品が業界で一番使われているからです。",
        "特にありません。",
    ]
    common.build_transcriber = lambda args: ScriptedTranscriber(list(texts))

    real_append = store.SessionWriter.append_turn

    def append_turn(self, record):
        real_append(self, record)
        _log(f"completed turn {self.turns_written}")
        event("turn saved")

    store.SessionWriter.append_turn = append_turn


def main() -> int:
    install()
    from simulator.cli import main as cli_main

    return cli_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
