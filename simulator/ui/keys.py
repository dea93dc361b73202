"""Keys during live practice: Enter ends the answer, r repeats the question, q stops at a microphone
check. Ctrl-C stays Ctrl-C.

On a terminal, stdin is put in cbreak mode (keys arrive without Enter; ISIG stays on, so Ctrl-C
still raises KeyboardInterrupt) and restored on close. When stdin is not a terminal (a pipe, a
script) lines are read instead: an empty line is Enter, "r" repeats.
"""

from __future__ import annotations

import os
import queue
import sys
import threading

KEYMAP = {"\r": "enter", "\n": "enter", "r": "repeat", "R": "repeat", "q": "quit", "Q": "quit"}


class TerminalKeys:
    def __init__(self, stream=None):
        self.stream = stream or sys.stdin
        self._saved = None
        self._lines: queue.Queue | None = None
        self._pending: list[str] = []
        self._fd = None

    def start(self) -> "TerminalKeys":
        try:
            fd = self.stream.fileno()
            tty_in = os.isatty(fd)
        except (AttributeError, ValueError, OSError):
            fd, tty_in = None, False
        if tty_in and sys.platform != "win32":
            import termios
            import tty

            self._fd = fd
            self._saved = termios.tcgetattr(fd)
            tty.setcbreak(fd)
        elif not tty_in:
            self._lines = queue.Queue()
            threading.Thread(target=self._read_lines, name="keys", daemon=True).start()
        return self

    def _read_lines(self) -> None:
        for line in self.stream:
            self._lines.put(line.strip())

    def poll(self) -> str | None:
        if self._pending:
            return self._pending.pop(0)
        if self._lines is not None:
            try:
                line = self._lines.get_nowait()
            except queue.Empty:
                return None
            return "enter" if line == "" else KEYMAP.get(line[:1])
        if sys.platform == "win32":
            import msvcrt

            while msvcrt.kbhit():
                key = KEYMAP.get(msvcrt.getwch())
                if key:
                    return key
            return None
        if self._fd is None:
            return None
        import select

        if not select.select([self._fd], [], [], 0)[0]:
            return None
        data = os.read(self._fd, 64).decode("utf-8", "ignore")
        self._pending = [KEYMAP[c] for c in data if c in KEYMAP]
        return self._pending.pop(0) if self._pending else None

    def close(self) -> None:
        if self._saved is not None:
            import termios

            termios.tcsetattr(self._fd, termios.TCSADRAIN, self._saved)
            self._saved = None
