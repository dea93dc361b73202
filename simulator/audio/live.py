"""LiveAnswers: the AnswerSource of live practice (microphone, speaker, keys, screen).

For each prompt: speak it (microphone muted: no self-echo), then listen until the end of the turn
(endpoint.py), handling the keys (Enter ends the answer, r repeats the question) and the cases a
real interviewer handles: no answer (re-ask once, then move on), a very long answer (interrupt
politely). Whether the candidate speaks is Silero's call on gain-normalised audio (voice_gate.py):
a level check at the start sets the gain, and two answers in a row with no voice pause the
interview until the microphone is checked again. Hardware sits behind small interfaces, so the same code runs with fakes on virtual
time in unit tests and with PulseAudio virtual devices in the real-audio tests.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from simulator.audio.clip import TARGET_RATE_HZ, AudioClip, concat
from simulator.audio.endpoint import EndpointOptions, EndReason
from simulator.audio.echo import EchoCheck
from simulator.audio.sources import Answer, InterviewStopped
from simulator.audio.voice_gate import LevelCheck, VoiceGate, block_level_db, measure_level
from simulator.errors import DeviceError
from simulator.speech.voice import ACKNOWLEDGEMENTS, INTERVIEWER_PHRASES, stream_render
from simulator.turntaking.decision import TurnOptions, sentences_needed
from simulator.turntaking.turn import TurnTaker


@dataclass(frozen=True)
class ListenState:
    elapsed_s: float  # audio since the prompt ended
    answer_s: float  # audio since the candidate started
    started: bool
    speaking: bool
    level_db: float
    silence_s: float
    end_silence_s: float


class View(Protocol):
    def prompt(self, text: str, spoken: bool) -> None: ...
    def listening(self, state: ListenState) -> None: ...
    def notice(self, text: str) -> None: ...
    def analysing(self) -> None: ...


class NullView:
    def __init__(self):
        self.notices: list[str] = []
        self.prompts: list[tuple[str, bool]] = []

    def prompt(self, text: str, spoken: bool) -> None:
        self.prompts.append((text, spoken))

    def listening(self, state: ListenState) -> None:
        pass

    def notice(self, text: str) -> None:
        self.notices.append(text)

    def analysing(self) -> None:
        pass


class NoKeys:
    def poll(self) -> str | None:
        return None


@dataclass(frozen=True)
class BargeIn:
    """The candidate spoke over the interviewer: what was heard while it spoke."""

    silent_s: float  # heard before the voice (silence, or the interviewer's own echo: kept as silence)
    blocks: tuple  # the candidate's first audio (lifted), from just before the voice was sure
    at_s: float  # when the voice stopped, since the clip started


@dataclass
class LiveOptions:
    endpoint: EndpointOptions = field(default_factory=EndpointOptions)
    device_timeout_s: float = 3.0  # no audio block for this long (wall clock): the device is lost
    view_every_s: float = 0.1
    level_check_s: float = 5.0  # the level check listens this long (Enter ends it sooner)
    silent_answers_pause: int = 2  # this many answers in a row with no voice pause the interview
    # The end of turn from the words before each pause (turntaking/); None: the fixed silence.
    turn: TurnOptions | None = field(default_factory=TurnOptions)
    # A short 「はい、ありがとうございます。」 as soon as the turn is taken: the candidate hears at
    # once that they were heard, while the last piece is transcribed and the next prompt chosen.
    acknowledge: bool = True
    # Barge-in: the microphone listens while the interviewer asks and acknowledges; the
    # candidate's voice over it (not the interviewer's own, heard back on loudspeakers: echo.py)
    # for this long stops the voice, and the answer starts, or goes on, from there.
    barge_in: bool = True
    barge_in_min_s: float = 0.1  # with Silero's own onset, the voice stops within 0.3 s of the first sound
    barge_in_preroll_s: float = 0.25  # kept from before the voice was sure: the answer's first sound


CHECK_KEYS_HINT = "Enter: もう一度確認する   q: 終了"
LEVEL_CHECK_NOTICE = "マイク確認中です。「よろしくお願いします」など、ふだんの声で話してください。"


@dataclass
class LiveAnswers:
    mic: object  # Microphone | FakeMicrophone
    speaker: object  # Speaker | FileSink
    voice: object | None = None  # for dynamic text and the interviewer's phrases (None: text only)
    keys: object = field(default_factory=NoKeys)
    view: object = field(default_factory=NullView)
    options: LiveOptions = field(default_factory=LiveOptions)
    recogniser: object | None = None  # hears the words before each pause (end of turn): a Transcriber
    # () -> StreamingTranscriber: one per answer, transcribing it while the candidate speaks
    # (simulator/streaming); the answer is returned with it. None: transcribed after it ends.
    new_stream: object | None = None
    log: list[dict] = field(default_factory=list)  # one entry per listen: reason, timings (tests, benchmark)
    _blocks: list[np.ndarray] = field(default_factory=list, init=False)
    _last_block_at: float = field(default=0.0, init=False)
    _phrases: dict = field(default_factory=dict, init=False)
    spoken_prompt: AudioClip | None = field(default=None, init=False)  # dynamic prompt audio, for the session record
    gate: VoiceGate = field(default_factory=VoiceGate)  # one per session: its gain follows the candidate's voice
    silent_answers: int = field(default=0, init=False)  # answers in a row in which no voice was heard
    _stream: object | None = field(default=None, init=False)  # the answer under way's stream
    _turn: TurnTaker | None = field(default=None, init=False)  # the answer under way's end of turn
    _acks: int = field(default=0, init=False)
    _sentences_needed: int = field(default=1, init=False)  # the fewest sentences the current prompt's answer has
    sentence_pause_s: float = field(default=0.0, init=False)  # this candidate's pauses between sentences (TurnTaker)

    def start(self) -> None:
        self.speaker.start()
        self.mic.start()
        self.mic.mute()

    def close(self, wait_s: float = 0.0) -> None:
        """Stop the devices; a piece being transcribed gets wait_s to finish (never exit inside the model)."""
        self.mic.stop()
        self.speaker.stop()
        self._drop_stream(wait_s)

    def _drop_stream(self, wait_s: float = 0.0) -> None:
        if self._stream is not None:
            self._stream.close(wait_s)
            self._stream = None

    def partial_answer(self) -> AudioClip | None:
        """What the candidate said in the answer under way (for Ctrl-C and a lost device)."""
        if not self._blocks:
            return None
        return AudioClip(np.concatenate(self._blocks).astype(np.float32), TARGET_RATE_HZ)

    # --- speaking -------------------------------------------------------------------------
    def say(self, clip: AudioClip | None, listen: bool = False) -> BargeIn | None:
        """Play a clip. listen: the candidate may speak over it (barge-in); returns what was heard then."""
        if clip is None:
            return None
        if listen and self.options.barge_in:
            return self._say_listening(clip)
        self.mic.mute()
        self.speaker.play(clip)
        self.mic.after_playback(clip.duration_s)
        return None

    def _say_listening(self, clip: AudioClip) -> BargeIn | None:
        """Play while listening: the candidate's voice over the interviewer's stops it within ~0.3 s."""
        gate, opts = self.gate, self.options
        played = threading.Event()

        def play():
            try:
                self.speaker.play(clip)
            finally:
                played.set()

        self.mic.unmute()
        player = threading.Thread(target=play, name="interviewer-voice", daemon=True)
        player.start()
        echo = EchoCheck(clip.resampled().samples)
        gate.begin()
        heard_s, voice_s, recent = 0.0, 0.0, []
        self._last_block_at = time.monotonic()
        while not (played.is_set() and heard_s >= clip.duration_s):
            block = self._read_block()
            if block is None:
                continue
            lifted = gate.lift(block)
            own = echo.explains(lifted, heard_s)  # every block: the check matches a stretch of them
            speaking = gate.update(lifted, follow=False) and not own
            voice_s = voice_s + len(block) / TARGET_RATE_HZ if speaking else 0.0
            recent.append(lifted)
            heard_s += len(block) / TARGET_RATE_HZ
            keep = int(round((voice_s + opts.barge_in_preroll_s) * TARGET_RATE_HZ))
            while recent and sum(len(b) for b in recent[1:]) >= keep:
                recent.pop(0)
            if voice_s >= opts.barge_in_min_s:
                self.speaker.stop()  # the voice stops; the microphone goes on listening
                player.join(1.0)
                kept_s = sum(len(b) for b in recent) / TARGET_RATE_HZ
                return BargeIn(max(0.0, heard_s - kept_s), tuple(recent), heard_s)
        player.join()
        self.mic.mute()
        return None

    def say_text(self, text: str, listen: bool = False) -> tuple[bool, BargeIn | None]:
        """Speak dynamic text sentence by sentence as it is synthesized: (spoken, barge-in).
        spoken is False when no voice can; a barge-in stops the sentences still to come."""
        if self.voice is None:
            return False, None
        spoke, barge = False, None
        clips = []
        try:
            for clip in stream_render(self.voice, text):
                barge = self.say(clip, listen)
                clips.append(clip)
                spoke = True
                if barge is not None:
                    break
        except Exception as exc:  # a broken voice engine must not end the interview
            self.view.notice(f"音声合成に失敗しました（{type(exc).__name__}）。文字で続けます。")
        if clips:
            self.spoken_prompt = concat(clips)
        return spoke, barge

    def phrase(self, key: str, show: bool = True, listen: bool = False) -> BargeIn | None:
        """One of the interviewer's fixed phrases; rendered once, then reused."""
        text = INTERVIEWER_PHRASES[key]
        if key not in self._phrases and self.voice is not None:
            try:
                self._phrases[key] = self.voice.render(text)
            except Exception:
                self._phrases[key] = None
        clip = self._phrases.get(key)
        if show:
            self.view.notice(f"面接官: {text}")
        return self.say(clip, listen) if clip is not None else None

    # --- the microphone check -------------------------------------------------------------
    def check_level(self) -> LevelCheck:
        """「一言お願いします」: listen a few seconds, judge speech and noise, set the gate's gain."""
        self.phrase("level_check")
        self.view.notice(LEVEL_CHECK_NOTICE)
        self.mic.unmute()
        blocks, heard_s = [], 0.0
        try:
            while heard_s < self.options.level_check_s:
                if self.keys.poll() == "enter" and heard_s >= 1.0:
                    break
                block = self._read_block()
                if block is None:
                    continue
                blocks.append(block)
                heard_s += len(block) / TARGET_RATE_HZ
                self.view.listening(ListenState(heard_s, 0.0, False, False, block_level_db(block) + self.gate.gain_db, 0.0, 0.0))
        finally:
            self.mic.mute()
        check = measure_level(np.concatenate(blocks) if blocks else np.zeros(0, np.float32))
        if check.heard:
            self.gate.calibrate(check)
        return check

    def ensure_heard(self) -> LevelCheck:
        """The level check until the voice is heard; q stops (InterviewStopped)."""
        while True:
            check = self.check_level()
            self.view.notice(check.message())
            if check.heard:
                self.silent_answers = 0
                return check
            self.view.notice(CHECK_KEYS_HINT)
            if self._wait_key() == "quit":
                raise InterviewStopped("マイクの音が確認できないため、面接を終了しました。mensetsu doctor でマイクを確認してください。")

    def _wait_key(self) -> str:
        """Paused: Enter or q (the microphone stays muted; its blocks are dropped)."""
        while True:
            key = self.keys.poll()
            if key in ("enter", "quit"):
                return key
            self.mic.read(0.05)

    def _pause_if_unheard(self) -> None:
        if self.silent_answers < self.options.silent_answers_pause:
            return
        self.phrase("mic_pause")
        self.view.notice(CHECK_KEYS_HINT)
        if self._wait_key() == "quit":
            raise InterviewStopped("マイクの確認のため、面接を終了しました。")
        self.ensure_heard()

    # --- the AnswerSource protocol ---------------------------------------------------------
    def exhausted(self) -> bool:
        return False  # a microphone always has an answer to give

    def next_answer(self, prompt, prompt_audio: AudioClip | None) -> Answer | None:
        prompt_text = prompt.text
        self._sentences_needed = sentences_needed(prompt)
        self._pause_if_unheard()
        self.spoken_prompt = None
        spoken = prompt_audio is not None
        self.view.prompt(prompt_text, spoken)
        if prompt_audio is not None:
            barge = self.say(prompt_audio, listen=True)
        else:
            spoken, barge = self.say_text(prompt_text, listen=True)
            if not spoken:
                self.view.notice("（音声なし：質問は画面の文字でお読みください）")
        reasked = resume = False
        while True:
            reason, voiced = self._listen(barge, resume)
            if barge is not None and not resume:
                self.log[-1]["barge_in_at_s"] = barge.at_s  # the question was cut short by the answer
            barge, resume = None, False
            clip = self.partial_answer() or AudioClip.silence(0.0)
            if reason == EndReason.REPEAT:
                self.phrase("repeat")
                self._replay(prompt_text, prompt_audio, spoken)
                continue
            if reason == EndReason.NO_ANSWER and not reasked:
                reasked = True
                self.phrase("reask")
                self._replay(prompt_text, prompt_audio, spoken)
                continue
            if reason == EndReason.NO_ANSWER:
                self.phrase("move_on")
            elif reason == EndReason.TIME_LIMIT:
                self.phrase("interrupt")
            elif voiced and self.options.acknowledge:
                # After a pause (not Enter) the candidate may not be done: speaking over it goes on.
                barge = self.phrase(ACKNOWLEDGEMENTS[self._acks % len(ACKNOWLEDGEMENTS)], show=False, listen=reason == EndReason.SILENCE)
                self._acks += 1
                if barge is not None:  # the candidate was not done: the same answer goes on
                    resume = True
                    self.log[-1]["resumed"] = True
                    self.log[-1]["barge_in_at_s"] = barge.at_s
                    continue
            self._blocks = []
            self.silent_answers = 0 if voiced else self.silent_answers + 1
            self.view.analysing()
            stream, self._stream = self._stream, None
            return Answer(clip, "microphone", reason, stream=stream)

    def _take(self, lifted: np.ndarray, stream, turn) -> EndReason | None:
        """One block of the answer: kept, streamed, judged (one Silero pass), fed to the turn."""
        self._blocks.append(lifted)
        probs = stream.push(lifted) if stream is not None else None  # the stream's probabilities feed the gate too
        return turn.feed(lifted, self.gate.update(lifted, probs))

    def _replay(self, text: str, audio: AudioClip | None, spoken: bool) -> None:
        self.view.prompt(text, spoken)
        if audio is not None:
            self.say(audio)
        elif spoken:
            self.say_text(text)  # (spoken, None): no barge-in on a repeat

    def _read_block(self) -> np.ndarray | None:
        block = self.mic.read(0.05)
        if block is None:
            if time.monotonic() - self._last_block_at > self.options.device_timeout_s:
                raise DeviceError("マイクから音声が届かなくなりました（接続が外れた可能性があります）。途中の回答は保存されています。"
                                  " (the microphone stopped delivering audio)")
            return None
        self._last_block_at = time.monotonic()
        return block

    def _listen(self, barge: BargeIn | None = None, resume: bool = False) -> tuple[EndReason, bool]:
        """Listen until the end of the turn: (the reason it ended, whether any voice was heard).

        barge: the candidate began over the interviewer; what was heard then starts the answer.
        resume: the turn just taken was not over (spoken over the acknowledgement): the same
        answer, its stream and its turn state go on."""
        gate = self.gate
        if resume and self._turn is not None:
            turn, stream = self._turn, self._stream
            turn.reopen()
        else:
            self._drop_stream()
            stream = self._stream = self.new_stream() if self.new_stream is not None else None
            turn = self._turn = TurnTaker(self.options.endpoint, self.options.turn, self.recogniser,
                                          context=stream.heard_text if stream is not None else (lambda: ""),
                                          sentences_needed=self._sentences_needed, sentence_pause_s=self.sentence_pause_s)
            self._blocks = []
        ep = turn.ep
        gate.begin()
        if barge is None:
            self.mic.unmute()  # drops what was queued (the interviewer's voice); after a barge-in the queue is the candidate
        self._last_block_at = time.monotonic()
        next_view = 0.0
        started_wall = time.monotonic()
        reason = None
        speech_end_wall = None
        if barge is not None:
            # What was heard while the interviewer spoke. Going on after the acknowledgement, the
            # silence before the voice (or the interviewer's echo, kept as silence) is part of the
            # pause; a new answer starts with the candidate's first sound.
            silence = np.zeros(int(round(barge.silent_s * TARGET_RATE_HZ)) if resume else 0, np.float32)
            for block in (silence, *barge.blocks):
                if len(block) and reason is None:
                    reason = self._take(block, stream, turn)
        while reason is None:
            key = self.keys.poll()
            if key == "repeat":
                reason = EndReason.REPEAT
                break
            if key == "enter":
                reason = turn.press_enter()
                break
            block = self._read_block()
            if block is None:
                continue
            was_speaking = ep.state == "speaking"
            reason = self._take(gate.lift(block), stream, turn)  # recorded, streamed and judged as heard, with the gain
            if was_speaking and ep.state != "speaking":
                speech_end_wall = time.monotonic()
            if ep.elapsed_s >= next_view or reason:
                next_view = ep.elapsed_s + self.options.view_every_s
                self.view.listening(
                    ListenState(ep.elapsed_s, ep.answer_s, ep.started, ep.state == "speaking", gate.level_db, ep.silence_s,
                                ep.required_silence_s if ep.required_silence_s is not None else ep.end_silence_s)
                )
        self.mic.mute()
        self.sentence_pause_s = max(self.sentence_pause_s, turn.longest_continued_s)
        if reason in (EndReason.REPEAT, EndReason.NO_ANSWER):
            self._turn = None  # listened again from the start
        self.log.append(
            {
                "reason": str(reason),
                "audio_s": ep.elapsed_s,
                "speech_start_s": ep.speech_start_s,
                "speech_end_s": ep.last_speech_end_s,
                "end_silence_s": ep.end_silence_s,
                "required_silence_s": ep.required_silence_s,
                "pauses_s": list(ep.pauses_s),
                "heard": [h.to_dict() for h in turn.heard],
                "listen_wall_s": time.monotonic() - started_wall,
                "ended_wall": time.monotonic(),
                "speech_end_wall": speech_end_wall,
            }
        )
        return reason, ep.started
