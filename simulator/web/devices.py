"""The browser as the interview's devices: the page's microphone, its speaker, its buttons, its screen.

The interview itself runs in a process of its own (app.ChildInterview), or a thread of the server,
with the same LiveAnswers, loop and session writer as terminal practice; these classes are its devices, each behind the narrow interface that
LiveAnswers uses (simulator/audio/live.py). Everything they say to the page goes through
`BrowserLink.send(event)` (thread-safe, JSON-able dicts); everything the page says comes in
through `BrowserLink.receive(message)` and `BrowserLink.receive_audio(bytes)`.

- BrowserMicrophone: 16 kHz float32 PCM from the page (getUserMedia with echo cancellation, noise
  suppression and automatic gain, resampled in an AudioWorklet), re-cut into 20 ms blocks and
  queued; muted blocks are dropped as the sound card's are.
- BrowserSpeaker: sends the clip to the page as WAV and blocks until the page says it was played
  (or stop() is called: a barge-in, the end of the session).
- BrowserKeys: the page's buttons and keys (Enter, もう一度, 終了).
- BrowserView: the screen's events (question, listening state with the transcript so far,
  notices, the card after each answer) as JSON.

A stop from the page (the 中断 button, the page closed) is Ctrl-C for the interview thread:
KeyboardInterrupt is raised there at the next poll, read or playback, so the session ends the way
an interrupted terminal session does (completed turns saved, the answer under way kept as audio).
"""

from __future__ import annotations

import base64
import io
import queue
import threading
import time
import wave
from dataclasses import dataclass

import numpy as np

from simulator.errors import DeviceError

RATE_HZ = 16000
BLOCK = 320  # 20 ms at 16 kHz, as the sound card's blocks (microphone.BLOCK_S)
MAX_QUEUED_S = 60.0  # the interview thread is this far behind: the oldest audio is dropped
PLAY_MARGIN_S = 20.0  # a clip not reported played this long after its length: carry on
ECHO_GUARD_S = 0.15
LOST = "ブラウザとの接続が切れたため、面接を続けられません。途中の回答は保存されています。 (the page disconnected)"


class BrowserLink:
    """One page's connection as the interview thread sees it."""

    def __init__(self, send, *, plan=None):
        self._send = send  # thread-safe: schedules the event on the server's loop
        self.closed = threading.Event()
        self.stop_requested = threading.Event()
        self.owner: threading.Thread | None = None  # the interview thread (KeyboardInterrupt goes there only)
        self.mic = BrowserMicrophone(self)
        self.speaker = BrowserSpeaker(self)
        self.keys = BrowserKeys(self)
        self.view = BrowserView(self, heard=(plan.heard_text if plan is not None else None))

    # --- to the page --------------------------------------------------------------------------
    def send(self, event: dict) -> None:
        if not self.closed.is_set():
            try:
                self._send(event)
            except Exception:  # the loop is gone: the page is
                self.disconnect()

    # --- from the page ------------------------------------------------------------------------
    def receive(self, message: dict) -> None:
        kind = message.get("type")
        if kind == "played":
            self.speaker.played(message.get("id"))
        elif kind == "key":
            self.keys.push(message.get("key"))
        elif kind == "stop":
            self.request_stop()

    def receive_audio(self, data: bytes) -> None:
        self.mic.feed(data)

    def request_stop(self) -> None:
        self.stop_requested.set()
        self.speaker.wake()

    def disconnect(self) -> None:
        """The page went away: the interview stops as if interrupted."""
        self.closed.set()
        self.request_stop()

    def check_stop(self) -> None:
        """Ctrl-C for the interview thread when the page asked to stop (never raised in other threads)."""
        if self.stop_requested.is_set() and threading.current_thread() is self.owner:
            raise KeyboardInterrupt


class BrowserMicrophone:
    """The page's microphone: float32 16 kHz mono little-endian frames over the WebSocket."""

    def __init__(self, link: BrowserLink):
        self.link = link
        self.name = "browser microphone"
        self.overflows = 0
        self.started = False
        self._queue: queue.Queue = queue.Queue()
        self._muted = threading.Event()
        self._muted.set()
        self._rest = np.zeros(0, np.float32)
        self._lock = threading.Lock()
        self.received_s = 0.0

    # page side --------------------------------------------------------------------------------
    def feed(self, data: bytes) -> None:
        if len(data) % 4:
            data = data[: len(data) - len(data) % 4]
        samples = np.frombuffer(data, dtype="<f4").astype(np.float32)
        samples = np.nan_to_num(np.clip(samples, -1.0, 1.0), nan=0.0, posinf=1.0, neginf=-1.0)
        self.received_s += len(samples) / RATE_HZ
        with self._lock:
            if self._muted.is_set():
                self._rest = np.zeros(0, np.float32)
                return
            buf = np.concatenate([self._rest, samples]) if len(self._rest) else samples
            n = len(buf) // BLOCK
            for i in range(n):
                self._queue.put(buf[i * BLOCK : (i + 1) * BLOCK].copy())
            self._rest = buf[n * BLOCK :].copy()
            while self._queue.qsize() * BLOCK / RATE_HZ > MAX_QUEUED_S:
                try:
                    self._queue.get_nowait()
                    self.overflows += 1
                except queue.Empty:
                    break

    @property
    def listening(self) -> bool:
        """The interview is listening (not muted): what the page sends now is heard."""
        return not self._muted.is_set()

    # the interview's side (Microphone's interface) --------------------------------------------
    def start(self) -> None:
        if self.link.closed.is_set():
            raise DeviceError(LOST)
        self.started = True

    def stop(self) -> None:
        self.started = False
        self.mute()

    def mute(self) -> None:
        with self._lock:
            self._muted.set()

    def unmute(self) -> None:
        """Start listening afresh: whatever was queued before is dropped."""
        with self._lock:
            self.drain()
            self._rest = np.zeros(0, np.float32)
            self._muted.clear()

    def drain(self) -> None:
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                return

    def after_playback(self, played_s: float, echo_guard_s: float = ECHO_GUARD_S) -> None:
        """The page reports a clip played when its last sample was handed to the output: a margin."""
        self.link.check_stop()
        time.sleep(echo_guard_s)

    def read(self, timeout_s: float = 0.1) -> np.ndarray | None:
        self.link.check_stop()
        try:
            return self._queue.get(timeout=timeout_s)
        except queue.Empty:
            if self.link.closed.is_set():
                raise DeviceError(LOST) from None
            self.link.check_stop()
            return None


def wav_bytes(clip) -> bytes:
    """A clip as a 16-bit mono WAV file at its own rate (what the page decodes and plays)."""
    samples = np.clip(np.nan_to_num(np.asarray(clip.samples, np.float32)), -1.0, 1.0)
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(int(clip.rate_hz))
        w.writeframes((samples * 32767.0).astype("<i2").tobytes())
    return out.getvalue()


class BrowserSpeaker:
    """The page plays each clip and says when it has; play() blocks until then, as Speaker.play does."""

    def __init__(self, link: BrowserLink):
        self.link = link
        self.name = "browser speaker"
        self._next_id = 0
        self._done: dict[int, threading.Event] = {}
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self.played_s = 0.0

    def start(self) -> None:
        pass

    def play(self, clip) -> None:
        if self.link.closed.is_set():
            raise DeviceError(LOST)
        self.link.check_stop()
        with self._lock:
            self._next_id += 1
            clip_id = self._next_id
            done = self._done[clip_id] = threading.Event()
            self._stop.clear()
        self.link.send({"type": "play", "id": clip_id, "duration_s": round(clip.duration_s, 3),
                        "wav": base64.b64encode(wav_bytes(clip)).decode("ascii")})
        deadline = time.monotonic() + clip.duration_s + PLAY_MARGIN_S
        try:
            while not done.is_set() and not self._stop.is_set() and not self.link.stop_requested.is_set():
                if time.monotonic() > deadline:
                    break  # the page never said: carry on rather than hang the interview
                done.wait(0.05)
        finally:
            with self._lock:
                self._done.pop(clip_id, None)
        if not done.is_set() and (self._stop.is_set() or self.link.stop_requested.is_set()):
            self.link.send({"type": "stop_audio", "id": clip_id})
        self.played_s += clip.duration_s
        if self.link.closed.is_set():
            raise DeviceError(LOST)
        self.link.check_stop()

    def played(self, clip_id) -> None:
        with self._lock:
            done = self._done.get(clip_id) if isinstance(clip_id, int) else None
        if done is not None:
            done.set()

    def wake(self) -> None:
        with self._lock:
            events = list(self._done.values())
        for e in events:
            e.set()

    def stop(self) -> None:
        """Stop the clip playing now (a barge-in, the end of the session)."""
        self._stop.set()


KEYS = ("enter", "repeat", "quit")


class BrowserKeys:
    """The page's buttons and keys: "enter" (回答を終える / Enter), "repeat" (もう一度), "quit" (終了 at a check)."""

    def __init__(self, link: BrowserLink):
        self.link = link
        self._queue: queue.Queue = queue.Queue()

    def start(self) -> "BrowserKeys":
        return self

    def push(self, key) -> None:
        if key in KEYS:
            self._queue.put(key)

    def poll(self) -> str | None:
        self.link.check_stop()
        try:
            return self._queue.get_nowait()
        except queue.Empty:
            return None

    def close(self) -> None:
        pass


@dataclass
class _Listen:
    at: float = 0.0
    heard: str = ""


class BrowserView:
    """The screen's events, for the page to draw (the View protocol of live.py and the loop's callbacks)."""

    def __init__(self, link: BrowserLink, heard=None, every_s: float = 0.1):
        self.link = link
        self.heard = heard  # () -> the answer under way's transcript so far
        self.every_s = every_s
        self._listen = _Listen()

    def start(self, title: str, total_questions: int) -> None:
        self.link.send({"type": "start", "title": title, "total": total_questions})

    def on_prompt(self, prompt, number: int, total: int) -> None:
        label = "質問" if prompt.kind == "question" else "深掘り"
        self.link.send({"type": "turn", "label": label, "number": number, "total": total, "kind": prompt.kind})

    def prompt(self, text: str, spoken: bool) -> None:
        self._listen = _Listen()
        self.link.send({"type": "prompt", "text": text, "spoken": spoken})

    def listening(self, state) -> None:
        now = time.monotonic()
        if now - self._listen.at < self.every_s:
            return
        self._listen.at = now
        event = {
            "type": "listening",
            "elapsed_s": round(state.elapsed_s, 2),
            "answer_s": round(state.answer_s, 2),
            "started": bool(state.started),
            "speaking": bool(state.speaking),
            "level_db": round(float(state.level_db), 1) if np.isfinite(state.level_db) else -100.0,
            "silence_s": round(state.silence_s, 2),
            "end_silence_s": round(state.end_silence_s, 2),
        }
        if self.heard is not None:
            text = self.heard() or ""
            if text != self._listen.heard:
                self._listen.heard = text
                event["heard"] = text
        self.link.send(event)

    def notice(self, text: str) -> None:
        self.link.send({"type": "notice", "text": text})

    def analysing(self) -> None:
        self.link.send({"type": "analysing"})

    def card(self, record: dict) -> None:
        from simulator.analysis.catalogue import label as finding_label
        from simulator.ui.screen import card_lines

        analysis = record.get("analysis") or {}
        self.link.send({
            "type": "card",
            "turn": record.get("turn"),
            "lines": card_lines(record),
            "transcript": analysis.get("transcript") or "",
            "findings": [finding_label(f["id"]) for f in analysis.get("findings", [])],
        })

    def close(self) -> None:
        pass
