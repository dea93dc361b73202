"""`analyze ANSWER.wav`: measure one spoken answer and print its metrics."""

from __future__ import annotations

from simulator.commands.common import add_model_option, build_transcriber, print_json


def register(sub) -> None:
    p = sub.add_parser("analyze", help="analyse one recorded answer (timing, pace, fillers, findings)")
    p.add_argument("answer", help="audio file (WAV at any rate, mp3, m4a, ogg, flac, ...)")
    p.add_argument("--question", metavar="TEXT", help="the question it answers (helps the content findings)")
    p.add_argument("--category", help="question category (experience, motivation, reverse, ...)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    add_model_option(p)
    p.set_defaults(handler=run)


def run(args) -> int:
    from simulator.analysis.answer import analyze_answer
    from simulator.audio.decode import load_audio
    from simulator.report.text import format_analysis

    clip = load_audio(args.answer)
    analysis = analyze_answer(clip, build_transcriber(args), category=args.category, file=args.answer)
    data = analysis.to_dict()
    if args.question:
        data["question"] = args.question
    if args.json:
        print_json(data)
    else:
        print(format_analysis(data))
    return 0
