"""Recover fillers Whisper left out of its text, by listening to the suspicious stretches again.

Whisper writes clean text: a quiet あー may get no word at all, and a うーん may come out as 運 or
うん. Two kinds of stretch are heard again, alone, with the filler prompt (a "probe"):
  uncovered  a voiced stretch (a more sensitive VAD than the timing one) that no word covers;
  stretched  a short word set off at a phrase start (after a pause or punctuation, before
             punctuation) that is not itself a filler or a usual answer word (はい, ええ, ...),
             and that Whisper was not sure of.
A probe counts only when its text starts with a filler; the filler then goes into the transcript
as a word (probability 0.0 marks recovered words), so replay and the report see it too.
Measured in docs/metrics.md (eval delivery, with and without recovery).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

from simulator.analysis.fillers import canonical_form, find_fillers_in_text
from simulator.analysis.timing import TimingOptions, speech_spans
from simulator.audio.clip import AudioClip
from simulator.speech.transcriber import Transcript, Word

_PUNCT = "、。，．,.！？!?・… "
# Set-off answer words and short words that are never fillers: not worth a probe.
_NOT_PROBED = {"はい", "ええ", "いえ", "いいえ", "うん", "ううん", "そう", "また", "では", "でも", "まず", "次に", "結果"}


@dataclass(frozen=True)
class RecoveryOptions:
    vad_threshold: float = 0.3  # lower than the timing VAD's 0.5: quiet, breathy fillers
    voiced_min_s: float = 0.2
    voiced_max_s: float = 1.5
    covered_max: float = 0.3  # share of the stretch that words may cover and it still counts as uncovered
    pad_s: float = 0.15
    short_word_max_chars: int = 2
    # A short word Whisper is this sure of is not heard again. Misheard fillers came out at
    # 0.01-0.69, real words such as 現在 at 0.92-0.97 (docs/metrics.md); at the start of a
    # streamed piece the probe of a sure word could land on the breath before it.
    word_probability_max: float = 0.9
    phrase_gap_s: float = 0.2
    near_filler_s: float = 0.6  # a filler already this close means the stretch is counted


Probe = Callable[[AudioClip], str]


def _overlap(a: float, b: float, c: float, d: float) -> float:
    return max(0.0, min(b, d) - max(a, c))


def _probe_form(probe: Probe, clip: AudioClip, start_s: float, end_s: float, pad_s: float) -> str | None:
    text = probe(clip.slice_s(max(0.0, start_s - pad_s), end_s + pad_s)).strip()
    hits = find_fillers_in_text(text)
    return hits[0][0] if hits and hits[0][1] == 0 else None


def recover_fillers(clip: AudioClip, transcript: Transcript, probe: Probe,
                    opts: RecoveryOptions = RecoveryOptions()) -> Transcript:
    """The transcript with recovered fillers added (uncovered) or put in place of a misheard word."""
    if transcript.language != "ja" or not transcript.words:
        return transcript
    words = list(transcript.words)
    known = _filler_times(transcript)

    def near_known(t: float) -> bool:
        return any(abs(t - k) < opts.near_filler_s for k in known)

    # Stretched or misheard short words at a phrase start.
    for i, w in enumerate(words):
        surface = w.text.rstrip(_PUNCT)
        if not surface or len(surface) > opts.short_word_max_chars or surface in _NOT_PROBED:
            continue
        prev = words[i - 1] if i else None
        phrase_start = prev is None or prev.text[-1] in _PUNCT or w.start_s - prev.end_s >= opts.phrase_gap_s
        nxt = words[i + 1] if i + 1 < len(words) else None
        set_off = w.text[-1] in _PUNCT or (nxt is not None and nxt.text[0] in _PUNCT)
        if not (phrase_start and set_off) or canonical_form(surface) or near_known(w.start_s):
            continue
        if w.probability is not None and w.probability >= opts.word_probability_max:
            continue
        form = _probe_form(probe, clip, w.start_s, w.end_s, opts.pad_s)
        if form:
            words[i] = Word(form + "、", w.start_s, w.end_s, 0.0)
            known.append(w.start_s)

    # Voiced stretches no word covers.
    sensitive = TimingOptions(vad_threshold=opts.vad_threshold, vad_min_silence_ms=150, vad_min_speech_ms=100)
    for s, e in speech_spans(clip, sensitive):
        if not (opts.voiced_min_s <= e - s <= opts.voiced_max_s) or near_known(s):
            continue
        covered = sum(_overlap(s, e, w.start_s, w.end_s) for w in words)
        if covered > opts.covered_max * (e - s):
            continue
        form = _probe_form(probe, clip, s, e, opts.pad_s)
        if form:
            words.append(Word(form + "、", round(s, 3), round(e, 3), 0.0))
            known.append(s)

    if words == list(transcript.words):
        return transcript
    words.sort(key=lambda w: w.start_s)
    return replace(transcript, text="".join(w.text for w in words), words=tuple(words))


def recover_with(transcriber, clip: AudioClip, transcript: Transcript,
                 opts: RecoveryOptions = RecoveryOptions()) -> Transcript:
    """recover_fillers() with the transcriber's own probe (transcribe_snippet); a transcriber
    without the `snippet` capability (the fake) gets the transcript back as it is."""
    if not transcriber.capabilities.snippet:
        return transcript
    return recover_fillers(clip, transcript, transcriber.transcribe_snippet, opts)


def _filler_times(transcript: Transcript) -> list[float]:
    from simulator.analysis.fillers import find_fillers

    return [h.start_s for h in find_fillers(transcript) if h.start_s is not None]
