"""Is the candidate speaking? Silero VAD on gain-normalised audio, and the level check behind it.

An energy gate hangs on absolute levels: speech at -58 dBFS never crossed it, and after a quiet
stretch its floor cut a -32 dBFS answer short. Silero judges the shape of speech, not its level,
as long as the level is within its range; below about -55 dBFS peak it stops hearing speech (on
the bundled samples: 243 of 265 frames found at -50 dBFS peak, 12 at -58), so the audio is lifted
by a gain first. The gain comes from the level check at the start of practice (measure_level:
what the room and the candidate's voice measure on this microphone) and then follows the
candidate's voice slowly, within limits that keep the room's noise from being lifted into "speech".

`doctor` judges the microphone with measure_level too, so doctor and practice cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

import numpy as np

from simulator.audio.clip import TARGET_RATE_HZ
from simulator.audio.speech_activity import FRAME_SAMPLES, SpeechFlags

SPEECH_TARGET_DB = -30.0  # speech frames are lifted to about this RMS level
MAX_GAIN_DB = 45.0
NOISE_CEILING_DB = -40.0  # never lift the room's noise above this
DIGITAL_SILENCE_DB = -90.0  # a muted or disconnected input delivers (near) zeros
QUIET_GAIN_DB = 30.0  # needing more gain than this (a voice under about -40 dBFS peak): set too quietly
CLIPPING_PEAK_DB = -1.0
MIN_CHECK_SPEECH_S = 0.3


def block_level_db(samples: np.ndarray) -> float:
    """RMS level of a block in dBFS (-100 for an empty block)."""
    if len(samples) == 0:
        return -100.0
    rms = float(np.sqrt(np.mean(np.square(samples.astype(np.float64)))))
    return max(-100.0, 20.0 * np.log10(rms + 1e-10))


def default_vad():
    """Silero, streamed frame by frame (the model bundled with faster-whisper)."""
    from simulator.audio.speech_activity import StreamingVad

    return StreamingVad()


def _gain_for(speech_db: float, noise_db: float) -> float:
    wanted = SPEECH_TARGET_DB - speech_db
    return float(max(0.0, min(wanted, MAX_GAIN_DB, NOISE_CEILING_DB - noise_db)))


@dataclass
class VoiceGate:
    """Per block of 16 kHz audio: is the candidate speaking? (Silero with hysteresis, on lifted audio.)

    vad: frames (n, 512) -> probabilities (StreamingVad; EnergyVad in unit tests).
    The caller lifts each block (lift()) and keeps the lifted audio: the answer is recorded and
    transcribed as heard (Whisper, like Silero, does worse on a -50 dBFS voice). level_db is the
    last block's level after the gain: what the meter shows, so a quiet voice that is heard moves
    the bar.
    """

    vad: object = None
    gain_db: float = 0.0
    noise_db: float = -100.0  # the room, from the level check: bounds the gain
    threshold: float = 0.5
    adapt_per_s: float = 0.1  # how fast the gain follows the voice (fraction per second of speech)
    level_db: float = field(default=-100.0, init=False)
    _flags: SpeechFlags = field(default=None, init=False)  # Silero's hysteresis: on at 0.5, off below 0.35
    _rest: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32), init=False)
    _voice_db: float | None = field(default=None, init=False)

    def __post_init__(self):
        self._flags = SpeechFlags(self.threshold)

    @property
    def speaking(self) -> bool:
        return self._flags.on

    def calibrate(self, check: "LevelCheck") -> None:
        """Start from what the level check measured on this microphone."""
        self.noise_db = check.noise_db
        if check.speech_db is not None:
            self._voice_db = check.speech_db
            self.gain_db = check.gain_db

    def lift(self, block: np.ndarray) -> np.ndarray:
        """The block with the gain applied: what is heard, recorded and transcribed."""
        gain = 10.0 ** (self.gain_db / 20.0)
        return np.clip(np.asarray(block, np.float32) * gain, -1.0, 1.0)

    def begin(self) -> None:
        """A new answer: frames are counted from its first sample (as the answer's stream counts them)."""
        self._rest = np.zeros(0, np.float32)

    def update(self, lifted: np.ndarray, probs: np.ndarray | None = None, follow: bool = True) -> bool:
        """Is this (lifted) block speech? The gain then follows the voice.

        probs: the speech probabilities of the frames this block completed in the answer's stream,
        which has computed them already (one Silero pass per frame); None: computed here.
        follow=False while the interviewer speaks: its echo must not move the gain."""
        self.level_db = block_level_db(lifted)
        if probs is not None:
            # The stream's frames need not line up with this block: decide per probability, and
            # let the gain follow the block's level once (weighted by the frames it completed).
            self._flags(probs)
            if follow and self.speaking and len(probs):
                self._follow(self.level_db - self.gain_db, frames=len(probs))
            return self.speaking
        audio = np.concatenate([self._rest, lifted])
        n = len(audio) // FRAME_SAMPLES
        self._rest = audio[n * FRAME_SAMPLES :]
        if n == 0:
            return self.speaking
        frames = audio[: n * FRAME_SAMPLES].reshape(n, FRAME_SAMPLES)
        if self.vad is None:
            self.vad = default_vad()
        for frame, on in zip(frames, self._flags(self.vad(frames))):
            if follow and on:
                self._follow(block_level_db(frame) - self.gain_db)
        return self.speaking

    def _follow(self, raw_db: float, frames: int = 1) -> None:
        """The voice's level moves (closer to the microphone, louder when sure): the gain follows slowly."""
        if raw_db <= -95.0 or self.adapt_per_s <= 0:
            return
        step = min(1.0, self.adapt_per_s * frames * FRAME_SAMPLES / TARGET_RATE_HZ)
        self._voice_db = raw_db if self._voice_db is None else self._voice_db + step * (raw_db - self._voice_db)
        self.gain_db = _gain_for(self._voice_db, self.noise_db)


class LevelVerdict(str, Enum):
    OK = "ok"
    QUIET = "quiet"  # heard, but only with a large gain: works, and the input volume should go up
    LOUD = "loud"  # clipping: works, and the input volume should go down
    TOO_QUIET = "too_quiet"  # a voice, but too faint to lift to a level that can be transcribed
    NO_SPEECH = "no_speech"  # sound arrives, but no voice in it
    SILENT = "silent"  # (near) digital silence: muted, disconnected or not allowed


@dataclass(frozen=True)
class LevelCheck:
    verdict: LevelVerdict
    noise_db: float  # the room: the quieter frames' level
    peak_db: float
    speech_db: float | None  # the voice's level (RMS of its frames), None when no voice was found
    speech_s: float
    gain_db: float

    @property
    def heard(self) -> bool:
        return self.verdict in (LevelVerdict.OK, LevelVerdict.QUIET, LevelVerdict.LOUD)

    def message(self) -> str:
        """One or two Japanese sentences: what was measured and, when needed, how to fix it."""
        measured = f"（声 {self.speech_db:.0f} dBFS、周囲の音 {self.noise_db:.0f} dBFS）" if self.speech_db is not None else f"（最大 {self.peak_db:.0f} dBFS）"
        return {
            LevelVerdict.OK: f"マイクの音量は良好です{measured}。",
            LevelVerdict.QUIET: f"マイクの音が小さめです{measured}。自動で音量を上げて続けますが、"
            "システムの入力音量を上げるか、マイクに近づくと確実です。",
            LevelVerdict.LOUD: f"マイクの音が大きすぎて割れています（最大 {self.peak_db:.0f} dBFS）。システムの入力音量を下げてください。",
            LevelVerdict.TOO_QUIET: f"声が小さすぎて聞き取れません{measured}。"
            "システムの入力音量を上げるか、マイクに近づいてから、もう一度お試しください。",
            LevelVerdict.NO_SPEECH: f"音は届いていますが、声が聞き取れませんでした{measured}。"
            "マイクに向かって話してください。聞こえない場合は、システムの入力音量を上げるか、別のマイクを --input-device で選んでください。",
            LevelVerdict.SILENT: f"マイクから音が届いていません{measured}。マイクのミュートを解除し、"
            "このターミナルにマイクの使用を許可するか、別のマイクを --input-device で選んでください。",
        }[self.verdict]


def measure_level(samples: np.ndarray, vad_factory=default_vad, rate_hz: int = TARGET_RATE_HZ) -> LevelCheck:
    """Judge a recording made while the candidate said a few words (16 kHz mono float32)."""
    samples = np.asarray(samples, np.float32)
    n = len(samples) // FRAME_SAMPLES
    frames = samples[: n * FRAME_SAMPLES].reshape(n, FRAME_SAMPLES) if n else np.zeros((0, FRAME_SAMPLES), np.float32)
    levels = np.array([block_level_db(f) for f in frames]) if n else np.array([-100.0])
    peak_db = max(-100.0, float(20 * np.log10(np.abs(samples).max() + 1e-10))) if len(samples) else -100.0
    noise_db = float(np.percentile(levels, 10))
    if peak_db < DIGITAL_SILENCE_DB or n == 0:
        return LevelCheck(LevelVerdict.SILENT, noise_db, peak_db, None, 0.0, 0.0)
    frame_s = FRAME_SAMPLES / rate_hz
    # The least gain that lets Silero hear the voice: a loud voice is not lifted, a quiet one is.
    for gain_db in (0.0, 20.0, MAX_GAIN_DB):
        gain_db = min(gain_db, max(0.0, NOISE_CEILING_DB - noise_db))
        gate = VoiceGate(vad=vad_factory(), gain_db=gain_db, adapt_per_s=0.0)
        voiced = np.array([gate.update(gate.lift(f)) for f in frames])
        if voiced.sum() * frame_s >= MIN_CHECK_SPEECH_S:
            speech_db = float(np.median(levels[voiced]))
            gain = _gain_for(speech_db, noise_db)
            if SPEECH_TARGET_DB - speech_db > MAX_GAIN_DB + 10.0:
                verdict = LevelVerdict.TOO_QUIET
            elif peak_db >= CLIPPING_PEAK_DB:
                verdict = LevelVerdict.LOUD
            elif gain > QUIET_GAIN_DB:
                verdict = LevelVerdict.QUIET
            else:
                verdict = LevelVerdict.OK
            return LevelCheck(verdict, noise_db, peak_db, speech_db, float(voiced.sum() * frame_s), gain)
        if gain_db >= max(0.0, NOISE_CEILING_DB - noise_db):
            break  # more gain would lift the noise: the voice is not there (or drowned)
    return LevelCheck(LevelVerdict.NO_SPEECH, noise_db, peak_db, None, 0.0, 0.0)
