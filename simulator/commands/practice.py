"""`practice`: the live interview, with the microphone, the interviewer's voice and the terminal UI."""

from __future__ import annotations

import dataclasses
import sys
from dataclasses import dataclass
from pathlib import Path

from simulator.audio.endpoint import EndpointOptions
from simulator.commands.common import add_model_option, build_transcriber


def register(sub) -> None:
    p = sub.add_parser("practice", help="a live mock interview: speak your answers into the microphone")
    p.add_argument("--set", dest="qset", metavar="SET", help="question set name or TOML file (default: core)")
    p.add_argument("--company", metavar="FILE", help="company profile TOML: motivation answers naming none of it are generic")
    p.add_argument("--round-one", dest="round_one", metavar="FILE", help="TOML of the questions asked in round one (and those you stalled on)")
    p.add_argument("--target", metavar="NAME", help="your own interview saved by `prepare` (company research, posting, résumé, round one): docs/prepare.md")
    p.add_argument("--short", action="store_true", help="a short session (about 15 min; the same as `run --mode short`)")
    p.add_argument("--review", action="store_true", help="ask again the questions whose answers had the most serious findings, spaced over sessions")
    p.add_argument("--max-questions", type=int, metavar="N", help="stop after N main questions")
    p.add_argument("--max-probes", dest="max_probes", type=int, metavar="N",
                   help="at most N follow-ups per question (default: from the mode, as `run --max-probes`)")
    p.add_argument("--input-device", metavar="X", help="microphone: index or (part of the) name, see `devices`")
    p.add_argument("--output-device", metavar="X", help="speaker: index or (part of the) name, see `devices`")
    p.add_argument("--text-only", action="store_true", help="no interviewer voice: questions on screen only")
    p.add_argument("--end-silence", type=float, default=EndpointOptions.end_silence_s, metavar="S",
                   help=f"seconds of silence that end an answer when what you said does not settle it (default {EndpointOptions.end_silence_s}; grows with your own pauses)")
    p.add_argument("--silence-only", action="store_true", help="end answers by silence alone (the fixed rule), not also by how the last words ended")
    p.add_argument("--max-answer", type=float, default=EndpointOptions.max_answer_s, metavar="S",
                   help=f"the interviewer interrupts after this many seconds (default {EndpointOptions.max_answer_s:g})")
    p.add_argument("--no-answer", type=float, default=EndpointOptions.no_answer_s, metavar="S",
                   help=f"silence before the interviewer asks again (default {EndpointOptions.no_answer_s:g})")
    p.add_argument("--out", metavar="DIR", help="folder to save the session in (default: the user data folder)")
    p.add_argument("--seed", type=int, default=0, help="seed for the choice of follow-up phrasings")
    p.add_argument("--plain", action="store_true", help="plain line output instead of the full-screen view")
    p.add_argument("--no-mic-check", dest="mic_check", action="store_false", help="skip the microphone check at the start (「一言お願いします」); the gain then starts at 0 dB")
    p.add_argument("--whole-answer", action="store_true", help="transcribe each answer only after it ends (slower turns; default: transcribe while you speak)")
    add_model_option(p)
    p.set_defaults(handler=run)


def run(args) -> int:
    """Terminal practice: the composition below with the sound card, the keyboard and the screen."""
    from simulator.audio.microphone import Microphone
    from simulator.audio.speaker import NullSink, Speaker
    from simulator.ui.keys import TerminalKeys
    from simulator.ui.screen import make_view

    plan = prepare(args)
    if plan is None:
        return 0
    view = make_view(args.plain)
    keys = TerminalKeys()
    live = build_live(plan, Microphone(args.input_device), NullSink() if args.text_only else Speaker(args.output_device), keys, view)
    return conduct(plan, live, keys, view).code


# --- the composition root: terminal practice (above) and the web app (simulator/web) ----------
@dataclass
class LivePlan:
    """Everything a live interview needs except its devices, read and checked from practice's options."""

    args: object
    qset: object
    policy: object
    analysis: object
    total: int
    transcriber: object
    preloading: object
    loop_voice: object
    speech_voice: object
    new_stream: object
    options: object  # LiveOptions
    _streams: list = dataclasses.field(default_factory=list)

    def heard_text(self) -> str:
        """What has been transcribed so far of the answer under way ("" before any piece, or with --whole-answer)."""
        stream = self._streams[-1] if self._streams else None
        try:
            return stream.heard_text() if stream is not None else ""
        except Exception:
            return ""


@dataclass
class PracticeResult:
    code: int  # the exit code of `practice`
    outcome: str  # completed | stopped | interrupted | mic_check (stopped at the microphone check: no session)
    turns: int = 0
    folder: Path | None = None
    status: str | None = None
    message: str = ""


def prepare(args) -> LivePlan | None:
    """Check the options, load the question set and judgement files, start loading the model.

    None: --review and nothing is due (said on stdout). Everything that can be wrong with the
    options is reported here, before any device opens.
    """
    from simulator.audio.live import LiveOptions
    from simulator.commands.common import judgement_options, review_set
    from simulator.errors import MensetsuError
    from simulator.interview.question_sets import load_question_set
    from simulator.speech.voice import build_live_voices

    qset = load_question_set(args.qset)
    if args.review:
        qset = review_set(qset, quiet=False)
        if qset is None:
            return None
    for name, value, low in (("--end-silence", args.end_silence, 0.5), ("--max-answer", args.max_answer, 10), ("--no-answer", args.no_answer, 3)):
        if value < low:
            raise MensetsuError(f"{name} には {low} 秒以上を指定してください。")
    if args.max_questions is not None and args.max_questions < 1:
        raise MensetsuError("--max-questions には 1 以上を指定してください。")
    if getattr(args, "max_probes", None) is not None and args.max_probes < 0:
        raise MensetsuError("--max-probes には 0 以上を指定してください。")
    args.mode = "short" if args.short else "full"
    policy, analysis = judgement_options(args)  # company and round-one files are checked before any device opens
    policy = dataclasses.replace(policy, max_questions=args.max_questions)
    total = planned_questions(qset, policy)

    from simulator.speech.model import resolve_model
    from simulator.streaming.preload import PreloadingTranscriber
    from simulator.streaming.transcriber import StreamingTranscriber
    from simulator.turntaking.decision import TurnOptions

    resolve_model(args.model)  # a missing or damaged model is reported before any device opens
    # The model loads in the background while the devices open and the first question is spoken.
    transcriber = preloading = PreloadingTranscriber.start(build_transcriber(args))
    loop_voice, speech_voice = build_live_voices(text_only=args.text_only)
    defaults = EndpointOptions()
    endpoint = EndpointOptions(end_silence_s=args.end_silence, max_end_silence_s=max(defaults.max_end_silence_s, args.end_silence),
                               max_answer_s=args.max_answer, no_answer_s=args.no_answer)
    plan = LivePlan(args, qset, policy, analysis, total, transcriber, preloading, loop_voice, speech_voice, None,
                    LiveOptions(endpoint, turn=None if args.silence_only else TurnOptions()))
    if not args.whole_answer:
        # Transcribe while the candidate speaks: pieces cut at pauses, the last one at the end,
        # with the same timing and filler-recovery options as a whole-answer analysis.
        def new_stream():
            stream = StreamingTranscriber(transcriber, timing_options=analysis.timing,
                                          recovery=analysis.recovery if analysis.recover_fillers else None)
            plan._streams[:] = [stream]
            return stream

        plan.new_stream = new_stream
    return plan


def build_live(plan: LivePlan, mic, speaker, keys, view):
    """The answer source of live practice on these devices (sound card or browser, keys, view)."""
    from simulator.audio.live import LiveAnswers

    return LiveAnswers(mic, speaker, plan.speech_voice, keys, view, plan.options, recogniser=plan.transcriber, new_stream=plan.new_stream)


def _print(text: str, err: bool = False) -> None:
    print(text, file=sys.stderr if err else sys.stdout)


def conduct(plan: LivePlan, live, keys, view, say=_print) -> PracticeResult:
    """One live interview: open the devices, the microphone check, the session, the loop, the close.

    `say(text, err)` tells the candidate what happened (the terminal prints; the web app sends
    it to the page). Device and model errors are raised (after saving, once a session exists).
    """
    from simulator.audio.sources import InterviewStopped
    from simulator.speech.voice import warm_up
    from simulator.store.session_store import SessionStatus, SessionWriter
    from simulator.commands.common import target_meta

    args, qset, transcriber, speech_voice = plan.args, plan.qset, plan.transcriber, plan.speech_voice
    live.start()  # opens the devices: a bad device is one message, before any session exists
    warm_up(speech_voice)  # after the devices: a bad device exits at once, with no thread to wait for
    keys.start()
    try:
        # 「一言お願いします」: the gain is set from the candidate's voice, and a microphone that
        # cannot be heard is said plainly, before any session exists.
        view.start(qset.title, plan.total)
        level = live.ensure_heard() if args.mic_check else None
    except BaseException as exc:
        _close(view, keys, live, plan.preloading)
        if isinstance(exc, InterviewStopped):
            say(f"\n{exc}")
            return PracticeResult(7, "mic_check", message=str(exc))
        raise
    meta = dict(
        set=qset.id,
        set_title=qset.title,
        model=transcriber.name,
        voice=getattr(speech_voice, "name", "text"),
        mode="live",
        input_device=live.mic.name,
        output_device=live.speaker.name,
        end_silence_s=args.end_silence,
        turn_taking="silence" if args.silence_only else "words",
    )
    if level is not None:
        meta["level_check"] = dict(verdict=level.verdict.value, speech_db=level.speech_db, noise_db=round(level.noise_db, 1), gain_db=round(level.gain_db, 1))
    if args.company:
        meta["company_file"] = str(Path(args.company).expanduser().resolve())
    meta.update(target_meta(args))  # --target: the documents, for the report
    try:
        writer = SessionWriter.create(Path(args.out) if args.out else None, **meta)
    except BaseException:
        _close(view, keys, live, plan.preloading)
        raise
    try:
        outcome, turns = run_live(qset, live, transcriber, plan.loop_voice, writer, plan.policy, view, plan.total, plan.analysis)
    except BaseException:
        _close(view, keys, live, plan.preloading)
        say(f"mensetsu: ここまでのセッションは保存されています: {writer.folder}", True)
        raise
    _close(view, keys, live, plan.preloading)
    status = writer.meta.get("status")
    if outcome == "interrupted":
        message = f"中断しました。完了した {turns} 件の回答を保存しました: {writer.folder}"
    elif outcome == "stopped":
        message = f"完了した {turns} 件の回答を保存しました: {writer.folder}"
    else:
        message = f"セッションを保存しました（{turns} 件の回答）: {writer.folder}"
    say(f"\n{message}")
    if status == SessionStatus.NO_SPEECH:
        say("どの回答からも声が聞こえなかったため、このセッションは履歴と復習に含めません。mensetsu doctor でマイクを確認してください。")
    say(f"振り返り: python -m simulator replay {writer.folder}")
    code = {"interrupted": 130, "stopped": 7}.get(outcome, 0)
    return PracticeResult(code, outcome, turns, writer.folder, status, message)


def planned_questions(qset, policy) -> int:
    """How many main questions (and the closing reverse question) this interview plans to ask."""
    from simulator.interview.policy import plan

    planned = plan(qset, policy)
    mains = [q for q in planned if q.category != "reverse"]
    limit = policy.max_questions if policy.max_questions is not None else len(mains)
    return min(limit, len(mains)) + (len(planned) - len(mains))


def run_live(qset, live, transcriber, loop_voice, writer, policy, view, total: int, analysis=None) -> tuple[str, int]:
    """The live session around the interview loop: ("completed" | "stopped" | "interrupted", completed turns).

    The view is started by the caller (the microphone check comes first).

    Ctrl-C ends it cleanly; a device lost mid-answer is re-raised after saving. In both cases the
    completed turns are already on disk and the answer under way is kept as partial-answer.wav.
    """
    from simulator.analysis.answer import AnalysisOptions
    from simulator.errors import DeviceError
    from simulator.interview.session import run_interview

    counter = {"main": 0}

    def on_prompt(prompt):
        if prompt.kind == "question":
            counter["main"] += 1
        view.on_prompt(prompt, counter["main"], total)

    try:
        live.phrase("opening")
        result = run_interview(
            qset, live, transcriber, loop_voice, writer, policy, analysis or AnalysisOptions(), on_prompt=on_prompt, on_turn=lambda t: view.card(t.record)
        )
        if result.stopped_because is not None:  # status `stopped`, or `no_speech` when nothing was heard
            view.notice(result.stopped_because)
            return "stopped", len(result.turns)
        live.phrase("closing")
    except KeyboardInterrupt:
        _save_partial(writer, live)
        return "interrupted", writer.turns_written
    except DeviceError:
        _save_partial(writer, live)
        raise
    return "completed", len(result.turns)


def _save_partial(writer, live) -> None:
    """The answer under way when the session stopped is kept as audio (never transcribed)."""
    clip = live.partial_answer()
    extra = {}
    if clip is not None and clip.duration_s > 0.2:
        try:
            extra["partial_answer"] = writer.save_audio("partial-answer.wav", clip)
        except Exception:  # saving the extra must never hide the completed turns
            pass
    status = writer.meta.get("status")
    writer.finish("interrupted" if status in (None, "running") else status, **extra)


def _close(view, keys, live, preloading=None) -> None:
    from simulator.speech.voice import wait_for_background

    # A piece being transcribed may finish (30 s at most): the process never exits inside the model.
    closers = [view.close, keys.close, lambda: live.close(wait_s=30.0)]
    if preloading is not None:
        # The models may still be loading (Ctrl-C during the first question): exiting while a
        # thread is inside spaCy or CTranslate2 can crash the interpreter on its way out.
        closers.append(lambda: preloading.wait(timeout_s=60.0))
    for step in closers:
        try:
            step()
        except Exception:
            pass
    wait_for_background()
