"""Analyse one spoken answer: the single entry point used by `analyze`, `run` and `replay --reanalyze`.

Order matters: VAD first, so silence and noise are never sent to Whisper (which invents
stock phrases such as ご視聴ありがとうございました on silence).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from simulator.analysis.content import ContentOptions, Finding, judge
from simulator.analysis.filler_recovery import RecoveryOptions, recover_with
from simulator.analysis.fillers import FillerHit, find_fillers
from simulator.analysis.morae import count_morae, morae_per_min
from simulator.analysis.timing import Timing, TimingOptions, measure_timing
from simulator.audio.clip import AudioClip
from simulator.speech.mishearings import fold_transcript
from simulator.speech.transcriber import EMPTY_TRANSCRIPT, Transcriber, Transcript


@dataclass(frozen=True)
class AnalysisOptions:
    timing: TimingOptions = field(default_factory=TimingOptions)
    content: ContentOptions = field(default_factory=ContentOptions)
    recovery: RecoveryOptions = field(default_factory=RecoveryOptions)
    # Listen again to stretches where Whisper may have dropped a filler (filler_recovery.py);
    # needs a transcriber with the `snippet` capability (the real one has it, the fake does not).
    recover_fillers: bool = True


@dataclass(frozen=True)
class AnswerAnalysis:
    file: str | None
    timing: Timing
    transcript: Transcript
    morae: int
    fillers: tuple[FillerHit, ...]
    findings: tuple[Finding, ...]
    long_pause_min_s: float = TimingOptions.long_pause_min_s
    claim: str | None = None  # the candidate's main claim, as a probe names it
    covered: tuple[str, ...] = ()  # ladder rungs the answer already gave (the interviewer skips them)

    @property
    def fillers_per_min(self) -> float:
        minutes = self.timing.answer_s / 60.0
        return round(len(self.fillers) / minutes, 2) if minutes > 0 else 0.0

    def to_dict(self) -> dict:
        """The public `analyze --json` contract (keys and meanings are stable)."""
        t = self.timing
        return {
            "file": self.file,
            "duration_s": round(t.duration_s, 3),
            "response_latency_s": None if t.response_latency_s is None else round(t.response_latency_s, 3),
            "answer_s": round(t.answer_s, 3),
            "speaking_s": round(t.speaking_s, 3),
            "pauses": [p.to_dict() for p in t.pauses],
            "long_pauses": [p.to_dict() for p in t.pauses if p.duration_s >= self.long_pause_min_s],
            "transcript": self.transcript.text,
            # Known mishearings folded in `transcript` (speech/mishearings.py): heard, written, offset.
            "transcript_corrections": [c.to_dict() for c in self.transcript.corrections],
            "morae_per_min": morae_per_min(self.morae, t.answer_s),
            "morae_per_voiced_min": morae_per_min(self.morae, t.speaking_s),
            "fillers": {
                "total": len(self.fillers),
                "per_min": self.fillers_per_min,
                "items": [f.to_dict() for f in self.fillers],
            },
            "findings": [f.to_dict() for f in self.findings],
            "claim": self.claim,
            "covered": list(self.covered),
        }


def analyze_answer(
    clip: AudioClip,
    transcriber: Transcriber,
    category: str | None = None,
    file: str | None = None,
    options: AnalysisOptions = AnalysisOptions(),
    transcript: Transcript | None = None,
) -> AnswerAnalysis:
    """Measure timing, transcribe (unless a transcript is given), and derive fillers and findings."""
    timing = measure_timing(clip, options.timing)
    if transcript is None:
        transcript = transcriber.transcribe(clip) if timing.has_speech else EMPTY_TRANSCRIPT
        if options.recover_fillers:
            transcript = recover_with(transcriber, clip, transcript, options.recovery)
    return analyze_transcript(clip, timing, transcript, category, file, options)


def analyze_transcript(
    clip: AudioClip,
    timing: Timing,
    transcript: Transcript,
    category: str | None,
    file: str | None,
    options: AnalysisOptions = AnalysisOptions(),
) -> AnswerAnalysis:
    if not timing.has_speech:
        transcript = EMPTY_TRANSCRIPT
    # Known mishearings (志望 heard as 死亡) are written as meant before anything is judged or
    # shown; the transcript keeps the raw text and the corrections.
    transcript = fold_transcript(transcript)
    fillers = tuple(find_fillers(transcript))
    morae = count_morae(transcript.text)
    minutes = timing.answer_s / 60.0
    per_min = len(fillers) / minutes if minutes > 0 else 0.0
    j = judge(transcript.text, category, timing.answer_s, timing.response_latency_s, per_min, options.content)
    return AnswerAnalysis(file, timing, transcript, morae, fillers, j.findings, options.timing.long_pause_min_s,
                          j.claim, tuple(sorted(j.covered)))


@dataclass(frozen=True)
class TextAnalysis:
    """A written answer (a draft): no audio, so its length is estimated from the morae."""

    text: str
    answer_s: float
    morae: int
    fillers: int
    findings: tuple[Finding, ...]
    claim: str | None
    covered: tuple[str, ...]

    def to_dict(self) -> dict:
        return {
            "file": None,
            "transcript": self.text,
            "answer_s": round(self.answer_s, 1),
            "answer_s_estimated": True,
            "timing_note": "書かれた回答のため、長さはモーラ数から標準的な速さ（330モーラ/分）で見積もっています",
            "morae": self.morae,
            "fillers": {"total": self.fillers},
            "findings": [f.to_dict() for f in self.findings],
            "claim": self.claim,
            "covered": list(self.covered),
        }


def analyze_text(text: str, category: str | None, options: AnalysisOptions = AnalysisOptions()) -> TextAnalysis:
    """Judge a written answer; timing findings use the length it would take at a normal pace."""
    from simulator.analysis.catalogue import THRESHOLDS
    from simulator.analysis.fillers import find_fillers_in_text

    morae = count_morae(text)
    answer_s = morae * 60.0 / THRESHOLDS.estimated_morae_per_min
    fillers = len(find_fillers_in_text(text))
    per_min = fillers * 60.0 / answer_s if answer_s > 0 else 0.0
    j = judge(text, category, answer_s, None, per_min, options.content)
    return TextAnalysis(text, answer_s, morae, fillers, j.findings, j.claim, tuple(sorted(j.covered)))
