"""The "interviewer is speaking" flag: background work waits on it between pieces.

While a prompt plays, the speaker's PortAudio callback needs the CPU (and Python's GIL) every few
tens of milliseconds; background work that can wait (the next piece's transcription, loading
the judgement's parser) waits at its next step until the voice has finished, so the voice does
not break up on a busy machine (issue 15). Work that must overlap the voice (synthesizing the
next sentence of a dynamic prompt) does not wait.

    with playback_gate.speaking():        # the speaker, around one clip
        ...
    playback_gate.wait_until_quiet()      # a worker, between pieces of work

The wait is bounded (MAX_WAIT_S) so that a speaker that hangs can never hold work back for good.
"""

from __future__ import annotations

import contextlib
import threading
import time

MAX_WAIT_S = 60.0

_cond = threading.Condition()
_speakers = 0  # clips playing now (nested or from several speakers)


@contextlib.contextmanager
def speaking():
    """Mark the interviewer as speaking for the duration of the block."""
    global _speakers
    with _cond:
        _speakers += 1
    try:
        yield
    finally:
        with _cond:
            _speakers -= 1
            if _speakers == 0:
                _cond.notify_all()


def is_speaking() -> bool:
    with _cond:
        return _speakers > 0


def wait_until_quiet(timeout_s: float = MAX_WAIT_S) -> float:
    """Block while the interviewer speaks (at most timeout_s); returns the seconds waited."""
    t0 = time.monotonic()
    deadline = t0 + timeout_s
    with _cond:
        while _speakers > 0:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            _cond.wait(left)
    return time.monotonic() - t0
