"""Analyse one spoken answer: the single entry point used by `analyze`, `run` and `replay --reanalyze`.

Order matters: VAD first, so silence and noise are never sent to Whisper (which invents
stock phrases such as ご視聴ありがとうございました on silence).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from simulator.analysis.content import ContentOptions, Finding, content_findings
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
    # needs a transcriber with transcribe_snippet (the real one has it, the fake does not).
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
    findings = content_findings(transcript.text, category, timing.answer_s, timing.response_latency_s, per_min, options.content)
    return AnswerAnalysis(file, timing, transcript, morae, fillers, tuple(findings), options.timing.long_pause_min_s)
