"""Where to cut a growing answer into pieces for background transcription. Pure functions.

The input is one speech flag per VAD frame (32 ms) of the open piece, from its start to now.
Rules, in order:
- never cut inside speech: a cut is always the middle of a silence, so a word is never split;
- cut only at a silence of at least `cut_pause_min_s`, once the piece holds `min_piece_s`
  (short pieces cost the same fixed encoder pass as long ones and give Whisper less context);
- a silence of `flush_pause_s` or more cuts a piece of `flush_min_piece_s` or more: it is a
  thinking pause or the end of the answer, and the sooner that piece is transcribed the less is
  left at the end;
- when the worker has nothing else to do, a silence of `idle_cut_pause_s` cuts a piece of
  `idle_min_piece_s`, and a silence of `flush_pause_s` a piece of any length: if the answer has
  ended there, the last piece is done before the end-of-turn silence is over; if the candidate
  goes on, the work was still useful (an earlier design transcribed
  such pieces speculatively and threw the result away when the candidate went on; a running
  CTranslate2 call cannot be stopped, so a stale speculation delayed the real last piece by up
  to 1.5 s: docs/performance.md). Busy, the worker gets pieces of `min_piece_s` or more, which
  cost less per second of audio and give Whisper more context;
- past `max_piece_s` with no such silence, any silence of `fallback_pause_min_s` will do;
  with an idle worker, past `idle_max_piece_s` any silence of `idle_fallback_pause_min_s` will
  (an 8 s stretch with no 0.35 s pause that reached 8 s just as the answer ended left two
  pieces for the end-of-turn silence);
  with no silence at all there is no cut (Whisper copes with a long piece; a split word it does not).
A piece that has held no speech yet sheds its silent start (keeping `lead_pad_s`), so long
thinking silences are never sent to Whisper, which invents stock phrases on silence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from simulator.audio.speech_activity import FRAME_S


@dataclass(frozen=True)
class CutPolicy:
    # Whisper's encoder always runs on a 30 s window (~0.9 s wall for base on these 2 cores), so a
    # piece has a fixed cost whatever its length (~1.2 s + 0.2 s per second of audio, measured).
    # The last piece is what is left to do when the answer ends; it must fit in the end-of-turn
    # silence after the cut, hence pieces of 4-8 s: with 6-12 s pieces a 9-12 s last piece
    # overran the 2.5 s silence (p95 1.7 s vs 0.96 s, docs/performance.md).
    min_piece_s: float = 4.0
    max_piece_s: float = 8.0
    cut_pause_min_s: float = 0.35
    flush_pause_s: float = 0.8
    flush_min_piece_s: float = 3.0
    idle_cut_pause_s: float | None = 0.35  # None: no idle cuts (cuts then depend on the audio only)
    # An idle worker still waits for 3 s before a short pause: pieces cut at every 、 (0.3-0.5 s in
    # careful speech) came out wrong without what follows them (現在、 -> 元祭; streamed CER 0.34
    # against 0.21 whole in bench_turn_latency). Past a long pause (flush_pause_s) any piece goes.
    idle_min_piece_s: float = 3.0
    idle_max_piece_s: float = 4.0  # idle worker: past this, a silence of idle_fallback_pause_min_s will do
    idle_fallback_pause_min_s: float = 0.2  # not 0.1: a geminate (っ) can hold ~0.1 s of silence inside a word
    fallback_pause_min_s: float = 0.1
    min_speech_s: float = 0.25  # a piece with less speech than this is not worth a cut of its own
    lead_pad_s: float = 0.2


@dataclass(frozen=True)
class Silence:
    start: int  # first silent frame
    end: int  # one past the last silent frame (== len(flags) when still going on)

    @property
    def frames(self) -> int:
        return self.end - self.start

    @property
    def middle(self) -> int:
        return self.start + self.frames // 2


def silences_after_speech(flags: Sequence[bool]) -> list[Silence]:
    """Runs of silence that follow some speech (leading silence is not a pause)."""
    out: list[Silence] = []
    seen_speech = False
    start = None
    for i, speech in enumerate(flags):
        if speech:
            if start is not None and seen_speech:
                out.append(Silence(start, i))
            seen_speech = True
            start = None
        elif start is None:
            start = i
    if start is not None and seen_speech:
        out.append(Silence(start, len(flags)))
    return out


def choose_cut(flags: Sequence[bool], policy: CutPolicy = CutPolicy(), frame_s: float = FRAME_S, idle: bool = False) -> int | None:
    """The frame at which to end the open piece (exclusive), or None to keep listening.

    idle: the worker has nothing to do (the idle-cut rule applies). The returned frame is
    always the middle of a silence, so frames before it and after it both keep at least half
    that silence around any speech.
    """
    speech_frames = sum(1 for f in flags if f)
    if speech_frames * frame_s < policy.min_speech_s:
        return None
    silences = silences_after_speech(flags)
    if not silences:
        return None

    def long_enough(s: Silence, min_s: float) -> bool:
        return s.frames * frame_s >= min_s - 1e-9

    # The first long silence at which the piece is long enough, or any very long silence.
    idle_pause_s = policy.idle_cut_pause_s if idle else None
    for s in silences:
        piece_s = s.middle * frame_s
        if idle_pause_s is not None and long_enough(s, idle_pause_s) and piece_s >= policy.idle_min_piece_s:
            return s.middle
        if long_enough(s, policy.flush_pause_s) and (piece_s >= policy.flush_min_piece_s or idle_pause_s is not None):
            return s.middle
        if long_enough(s, policy.cut_pause_min_s) and piece_s >= policy.min_piece_s:
            return s.middle
    # Too long with no proper pause: the longest short silence will do, never speech.
    if len(flags) * frame_s >= policy.max_piece_s:
        min_pause_s, min_piece_s = policy.fallback_pause_min_s, 0.0
    elif idle_pause_s is not None and len(flags) * frame_s >= policy.idle_max_piece_s:
        # Not a tiny piece: the longest pause was once the 0.23 s after a lone 現在、
        min_pause_s, min_piece_s = policy.idle_fallback_pause_min_s, policy.idle_min_piece_s
    else:
        return None
    short = [s for s in silences if long_enough(s, min_pause_s) and s.middle * frame_s >= min_piece_s]
    if short:
        return max(short, key=lambda s: (s.frames, -s.start)).middle
    return None


def final_piece_end(flags: Sequence[bool], policy: CutPolicy = CutPolicy(), frame_s: float = FRAME_S) -> int | None:
    """Where the last piece of an answer ends (exclusive frame): its last speech plus the pad,
    trailing silence trimmed (Whisper invents text on silence). None: no speech worth sending."""
    speech = [i for i, f in enumerate(flags) if f]
    if not speech or len(speech) * frame_s < policy.min_speech_s:
        return None
    pad = int(round(policy.lead_pad_s / frame_s))
    return min(len(flags), speech[-1] + 1 + pad)


def silent_lead_to_drop(flags: Sequence[bool], policy: CutPolicy = CutPolicy(), frame_s: float = FRAME_S) -> int:
    """Frames to drop from the start of an open piece that has held no speech yet (0: none)."""
    keep = int(round(policy.lead_pad_s / frame_s))
    for i, speech in enumerate(flags):
        if speech:
            return max(0, i - keep)
    return max(0, len(flags) - keep)
