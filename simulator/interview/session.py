"""The interview loop, the same for live, headless and test runs.

prompt -> (voice) -> answer from the source -> transcribe -> analyse -> save turn -> next prompt.
A turn is on disk (audio first, then its record) before the next prompt is chosen, so nothing
completed is ever lost, whatever happens afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable

from simulator.analysis.answer import AnalysisOptions, AnswerAnalysis, analyze_answer
from simulator.audio.sources import AnswerSource, InterviewStopped
from simulator.interview.policy import Exchange, PolicyOptions, Prompt, next_prompt
from simulator.interview.question_sets import QuestionSet
from simulator.speech.transcriber import Transcriber
from simulator.speech.voice import Voice
from simulator.store.session_store import SessionStatus, SessionWriter


@dataclass
class TurnResult:
    prompt: Prompt
    analysis: AnswerAnalysis
    record: dict


@dataclass
class InterviewResult:
    folder: str
    turns: list[TurnResult] = field(default_factory=list)
    status: SessionStatus = SessionStatus.COMPLETED
    stopped_because: str | None = None  # the candidate stopped: why (Japanese, for the screen)


def _heard(turn: TurnResult) -> bool:
    return turn.analysis.timing.speaking_s > 0 or bool(turn.analysis.transcript.text.strip())


def run_interview(
    qset: QuestionSet,
    source: AnswerSource,
    transcriber: Transcriber,
    voice: Voice,
    writer: SessionWriter,
    policy: PolicyOptions = PolicyOptions(),
    analysis: AnalysisOptions = AnalysisOptions(),
    on_prompt: Callable[[Prompt], None] | None = None,
    on_turn: Callable[[TurnResult], None] | None = None,
) -> InterviewResult:
    result = InterviewResult(str(writer.folder))
    history: list[Exchange] = []
    status = SessionStatus.COMPLETED
    try:
        while (prompt := next_prompt(qset, history, policy)) is not None:
            if source.exhausted():
                status = SessionStatus.ANSWERS_EXHAUSTED  # known before speaking a prompt nobody will answer
                break
            n = writer.turns_written + 1
            prompt_audio = voice.render(prompt.text)
            if on_prompt:
                on_prompt(prompt)
            # The answer is heard with this question's vocabulary (speech/vocabulary.py), its
            # streamed pieces included: set before the source starts listening.
            transcriber.for_question(prompt.category)
            answer = source.next_answer(prompt, prompt_audio)
            if answer is None:
                status = SessionStatus.ANSWERS_EXHAUSTED
                break
            if prompt_audio is None:  # a live source may have synthesized the prompt itself: keep what was heard
                prompt_audio = source.spoken_prompt
            # The question asked drives the judgement (off-question answers, setback stories); a
            # probe's answer is judged on its category alone.
            asked = replace(analysis, content=replace(analysis.content, question=prompt.text if prompt.kind == "question" else ""))
            turn = _complete_turn(n, prompt, prompt_audio, answer, transcriber, writer, asked)
            result.turns.append(turn)
            # The policy's time budget counts the answer and the silence before it (issue 4).
            t = turn.analysis.timing
            spent_s = t.answer_s + (t.response_latency_s or 0.0)
            # No answer at all (live: re-asked once already): the interviewer moves on, no probing of silence.
            findings = () if answer.ended_by == "no_answer" else tuple((f.id, f.evidence) for f in turn.analysis.findings)
            a = turn.analysis
            history.append(Exchange(prompt, findings, spent_s, a.transcript.text, a.claim, frozenset(a.covered),
                                    answered=answer.ended_by != "no_answer"))
            if on_turn:
                on_turn(turn)
    except InterviewStopped as exc:
        status = SessionStatus.STOPPED
        result.stopped_because = str(exc)
    except KeyboardInterrupt:
        status = SessionStatus.INTERRUPTED
        raise
    except BaseException:
        status = SessionStatus.FAILED
        raise
    finally:
        if status != SessionStatus.FAILED and result.turns and not any(_heard(t) for t in result.turns):
            # Questions were asked and nothing was heard (a silent microphone, silent files):
            # never a `completed` practice session in history and review.
            status = SessionStatus.NO_SPEECH
        result.status = status
        writer.finish(status)
    return result


def analyse(answer, clip, transcriber: Transcriber, category: str | None, options: AnalysisOptions) -> AnswerAnalysis:
    """Any answer's analysis, one call: an answer that came with its stream (live practice) has
    its transcript and VAD timing nearly done, so only the rest runs; any other is analysed whole."""
    if answer.stream is not None:
        return answer.stream.finish_analysis(category, answer.source, options)
    return analyze_answer(clip, transcriber, category=category, file=answer.source, options=options)


def _complete_turn(n, prompt, prompt_audio, answer, transcriber, writer, options) -> TurnResult:
    prompt_rel = writer.save_audio(f"turn-{n:03d}-prompt.wav", prompt_audio) if prompt_audio is not None else None
    # The answer audio goes to disk before transcription: a crash in the model loses no recording.
    clip = answer.clip.resampled()
    answer_rel = writer.save_audio(f"turn-{n:03d}-answer.wav", clip)
    analysis = analyse(answer, clip, transcriber, prompt.category, options)
    record = {
        "prompt": {**prompt.to_dict(), "audio": prompt_rel},
        "answer": {
            "audio": answer_rel,
            "source": answer.source,
            "ended_by": answer.ended_by,
            "transcript": analysis.transcript.to_dict(),
        },
        "analysis": analysis.to_dict(),
    }
    writer.append_turn(record)
    return TurnResult(prompt, analysis, record)
