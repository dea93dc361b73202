"""`bench latency|accuracy|vocabulary|turns`: speed and accuracy of zero-wait turns (see docs/performance.md),
the interview vocabulary's effect on the words that matter (docs/metrics.md), and when the
interviewer takes the turn (turns: labelled answers, the words rule against the fixed silence; docs/live.md).

latency:  end of turn -> next prompt, streaming vs whole-answer, at real-time pace; startup time.
accuracy: streamed vs whole-answer transcripts (CER, filler counts) on the labelled sets.
first-sound is the child process that latency starts to time command -> first interviewer sound.
"""

from __future__ import annotations



from simulator.audio.endpoint import EndpointOptions
from simulator.commands.common import add_model_option
from simulator.evaluation.output import emit, progress_log


def register(sub) -> None:
    p = sub.add_parser("bench", help="benchmarks: turn latency and startup (latency), streaming accuracy (accuracy), "
                       "the interview vocabulary (vocabulary)")
    p.add_argument("what", choices=("latency", "accuracy", "vocabulary", "turns", "first-sound"),
                   help="latency | accuracy | vocabulary | turns (first-sound: internal, timed by latency)")
    p.add_argument("--set", dest="turn_set", metavar="DIR", help="turns: a labelled set (WAVs + labels.json; default bench/turns)")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.add_argument("--quick", action="store_true", help="a short smoke run (one short answer, one run)")
    p.add_argument("--lengths", metavar="S,S,...", default="20,60,180", help="latency: answer lengths in seconds (default: 20,60,180)")
    p.add_argument("--runs", type=int, default=3, metavar="N", help="latency: answers per length (default: 3)")
    p.add_argument("--end-silence", type=float, default=EndpointOptions.end_silence_s, metavar="S",
                   help=f"latency: end-of-turn silence in seconds (default: {EndpointOptions.end_silence_s})")
    p.add_argument("--batch-realtime", action="store_true", help="latency: feed the whole-answer baseline at real-time pace too")
    p.add_argument("--save-json", metavar="FILE", help="also write the full results (every turn) as JSON to FILE")
    p.add_argument("--prompts", metavar="DIR", help=argparse_suppress())
    p.add_argument("--streamed", action="store_true", help="vocabulary: also transcribe in streamed pieces, as practice does")
    p.add_argument("--placement", choices=("hotwords", "prompt"), default="hotwords",
                   help="vocabulary: as faster-whisper hotwords (default, before the filler prompt) or after the filler prompt")
    p.add_argument("--verbose", action="store_true", help="vocabulary: print each transcript to stderr")
    add_model_option(p)
    p.set_defaults(handler=run)


def argparse_suppress():
    import argparse

    return argparse.SUPPRESS


def run(args) -> int:
    if args.what == "first-sound":
        return first_sound(args)
    if args.what == "accuracy":
        from simulator.evaluation.streaming import main

        return main(args)
    if args.what == "vocabulary":
        from simulator.evaluation.vocabulary import main

        return main(args)
    if args.what == "turns":
        return turns(args)
    return latency(args)


def turns(args) -> int:
    from pathlib import Path

    from simulator.evaluation.turns import DEFAULT_SET, TurnsOptions, format_report, run_turns

    opts = TurnsOptions(set_dir=Path(args.turn_set) if args.turn_set else DEFAULT_SET, quick=args.quick)
    return emit(args, run_turns(opts, progress_log(args)), format_report)


def _lengths(text: str) -> tuple[float, ...]:
    from simulator.errors import MensetsuError

    try:
        values = tuple(float(x) for x in text.split(",") if x.strip())
    except ValueError:
        values = ()
    if not values or any(v <= 0 or v > 600 for v in values):
        raise MensetsuError(f"--lengths {text!r} が正しくないため、回答の長さを 1〜600 秒でカンマ区切りで指定してください（例: 20,60,180）。")
    return values


def latency(args) -> int:
    from simulator.errors import MensetsuError
    from simulator.evaluation.latency import LatencyOptions, format_report, run_latency

    if args.runs < 1:
        raise MensetsuError("--runs には 1 以上を指定してください。")
    opts = LatencyOptions(lengths_s=_lengths(args.lengths), runs=args.runs, end_silence_s=args.end_silence,
                          batch_realtime=args.batch_realtime, model=args.model, compute_type=args.compute_type)
    if args.quick:
        opts.lengths_s, opts.runs, opts.startup_runs, opts.headline_length_s = (8.0,), 1, 1, 8.0
    return emit(args, run_latency(opts, progress_log(args)), format_report)


def first_sound(args) -> int:
    """Start as a practice session starts: model loading in the background, first question spoken at once."""
    from pathlib import Path

    from simulator.interview.policy import next_prompt
    from simulator.interview.question_sets import load_question_set
    from simulator.commands.common import build_transcriber
    from simulator.speech.voice import PromptLibraryVoice
    from simulator.streaming.preload import PreloadingTranscriber, speak_first_while_loading

    transcriber = PreloadingTranscriber.start(build_transcriber(args))
    prompt = next_prompt(load_question_set(None), [])
    from simulator.paths import audio_prompts_dir

    # The repository's pre-rendered prompts when they hold the first question, else the benchmark's stand-in library.
    voice = PromptLibraryVoice(audio_prompts_dir())
    if not voice.has(prompt.text) and args.prompts:
        voice = PromptLibraryVoice(Path(args.prompts))

    def play(clip, text):
        print("FIRST_SOUND" if clip is not None else "FIRST_TEXT", flush=True)

    speak_first_while_loading(transcriber, voice, prompt.text, play)
    transcriber.wait()
    print(f"MODEL_READY {transcriber.load_s:.3f}", flush=True)
    return 0
