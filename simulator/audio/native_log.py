"""Keep the native audio libraries' messages off the screen: they go to <data home>/logs/audio.log.

ALSA lib prints through its error handler straight to file descriptor 2 ("ALSA lib pcm.c:8526:
(snd_pcm_recover) underrun occurred", "Unknown PCM cards.pcm.rear" while PortAudio probes the
devices), which tears the live screen apart. Two measures, both installed by install() before
PortAudio starts (simulator.audio.microphone.import_sounddevice calls it):

- an ALSA error handler (snd_lib_error_set_handler through ctypes) that writes each message to
  the log; it stays for the life of the process, so messages during playback (underruns) and
  stream opens go there too;
- file descriptor 2 pointed at the log while PortAudio initialises (`import sounddevice`), for
  what other back ends print at start (JACK, OSS probing).

Where libasound is absent (macOS, Windows) the handler is simply not installed; nothing here
ever raises: a log that cannot be opened means the messages are dropped, never shown.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import sys
import threading
import time
from pathlib import Path

LOG_NAME = "audio.log"
MAX_LOG_BYTES = 1_000_000  # rotated to audio.log.1 when larger at start

_lock = threading.Lock()
_log_file = None
_log_path: Path | None = None
_log_home: str | None = None  # MENSETSU_HOME the open log belongs to (tests change it per test)
_alsa_handler = None  # the ctypes callback: kept referenced for as long as ALSA may call it
_alsa_installed = False

# void (*snd_lib_error_handler_t)(const char *file, int line, const char *function, int err, const char *fmt, ...)
# The variadic arguments are not read: fmt is logged as it is (most ALSA messages have none).
_HANDLER_TYPE = ctypes.CFUNCTYPE(None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p)


def log_path() -> Path:
    """Where the messages go: <data home>/logs/audio.log (MENSETSU_HOME moves the data home)."""
    from simulator.paths import data_home
    from simulator.fsutil import private_dir

    return private_dir(data_home() / "logs") / LOG_NAME


def _open_log():
    """The log file (opened once, appending, 0600); None when it cannot be opened."""
    global _log_file, _log_path, _log_home
    home = os.environ.get("MENSETSU_HOME", "")
    if _log_file is not None and home == _log_home:
        return _log_file
    if _log_file is not None:
        with contextlib.suppress(OSError):
            _log_file.close()
        _log_file = None
    _log_home = home
    try:
        from simulator.fsutil import open_private

        path = log_path()
        with contextlib.suppress(OSError):
            if path.stat().st_size > MAX_LOG_BYTES:
                os.replace(path, path.with_name(LOG_NAME + ".1"))
        _log_file = open_private(path, "ab")
        _log_path = path
    except Exception:  # an unwritable data folder must not stop the audio, nor reach the screen
        _log_file = None
    return _log_file


def write(line: str) -> None:
    """Append one line, time-stamped, to the audio log (thread-safe; silent on failure)."""
    with _lock:
        f = _open_log()
        if f is None:
            return
        try:
            f.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} {line.rstrip()}\n".encode("utf-8", "replace"))
            f.flush()
        except (OSError, ValueError):
            pass


def format_alsa(file: bytes | None, line: int, function: bytes | None, err: int, fmt: bytes | None, strerror: str = "") -> str:
    """ALSA's own layout ("ALSA lib pcm.c:8526:(snd_pcm_recover) underrun occurred"), pure."""

    def text(b: bytes | None) -> str:
        return (b or b"").decode("utf-8", "replace")

    out = f"ALSA lib {text(file)}:{line}:({text(function)}) {text(fmt).rstrip()}"
    if err:
        out += f": {strerror or err}"
    return out


def _find_libasound():
    if not sys.platform.startswith("linux"):
        return None
    for name in ("libasound.so.2", ctypes.util.find_library("asound")):
        if not name:
            continue
        try:
            return ctypes.CDLL(name)
        except OSError:
            continue
    return None


def _install_alsa_handler() -> bool:
    global _alsa_handler, _alsa_installed
    if _alsa_installed:
        return True
    lib = _find_libasound()
    if lib is None:
        return False
    try:
        strerror = lib.snd_strerror
        strerror.restype = ctypes.c_char_p
        strerror.argtypes = [ctypes.c_int]
    except AttributeError:
        strerror = None

    def handler(file, line, function, err, fmt):
        try:
            why = strerror(err).decode("utf-8", "replace") if (err and strerror is not None) else ""
            write(format_alsa(file, line, function, err, fmt, why))
        except Exception:  # never raise into C
            pass

    try:
        _alsa_handler = _HANDLER_TYPE(handler)
        lib.snd_lib_error_set_handler.argtypes = [_HANDLER_TYPE]
        lib.snd_lib_error_set_handler(_alsa_handler)
    except (AttributeError, OSError, ctypes.ArgumentError):
        _alsa_handler = None
        return False
    _alsa_installed = True
    return True


def install() -> bool:
    """Route ALSA's messages to the audio log (idempotent). True when the ALSA handler is in place."""
    with _lock:
        return _install_alsa_handler()


@contextlib.contextmanager
def stderr_to_log():
    """Point file descriptor 2 at the audio log for the duration (PortAudio's start-up probing).

    Process-wide, so only for short, known moments. Python's own sys.stderr writes are flushed
    before and after, so nothing of ours is lost into the log by mistake.
    """
    with _lock:
        f = _open_log()
        target = f.fileno() if f is not None else None
    if target is None:
        devnull = os.open(os.devnull, os.O_WRONLY)
        target = devnull
    else:
        devnull = None
    saved = None
    try:
        with contextlib.suppress(Exception):
            sys.stderr.flush()
        try:
            saved = os.dup(2)
            os.dup2(target, 2)
        except OSError:
            saved = None
        yield
    finally:
        if saved is not None:
            with contextlib.suppress(Exception):
                sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
        if devnull is not None:
            os.close(devnull)


def current_log_path() -> Path | None:
    """The log file in use (None until something was written or redirected)."""
    return _log_path
