"""`analyze ANSWER.wav | --text "…" | --text-file F`: judge one answer and say what the interviewer would ask next."""

from __future__ import annotations

import sys

from simulator.commands.common import add_model_option, build_transcriber, print_json
from simulator.errors import ERROR_PREFIX, MensetsuError


def register(sub) -> None:
    p = sub.add_parser("analyze", help="analyse one answer, spoken or written (timing, pace, fillers, findings, next move)")
    p.add_argument("answer", nargs="?", help="audio file (WAV at any rate, mp3, m4a, ogg, flac, ...)")
    p.add_argument("--text", metavar="TEXT", help="a written answer (a draft) instead of audio")
    p.add_argument("--text-file", dest="text_file", metavar="FILE", help="a written answer read from a UTF-8 text file")
    p.add_argument("--question", metavar="TEXT", help="the question it answers: drives the analysis (its category is inferred)")
    p.add_argument("--category", help="question category (experience, motivation, reverse, ...); overrides the inferred one")
    p.add_argument("--company", metavar="FILE", help="company profile TOML, as in `run`")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    add_model_option(p)
    p.set_defaults(handler=run)


def _text(args) -> str | None:
    if args.text is not None:
        return args.text
    if args.text_file is None:
        return None
    from pathlib import Path

    try:
        return Path(args.text_file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        # not a question set (exit 6) nor audio (exit 3): a plain input error
        raise MensetsuError(f"回答のテキストファイル {args.text_file} を読み込めません（{e}）。") from None


def run(args) -> int:
    from simulator.analysis.answer import AnalysisOptions, analyze_answer, analyze_text
    from simulator.analysis.catalogue import CATEGORIES
    from simulator.analysis.content import ContentOptions
    from simulator.analysis.topic import question_category
    from simulator.interview.company import load_company
    from simulator.interview.policy import move_family, next_after_answer
    from simulator.report.text import format_analysis

    text = _text(args)
    if (text is None) == (args.answer is None):
        print(f"{ERROR_PREFIX}音声ファイルか --text / --text-file のどちらか一つを指定してください。", file=sys.stderr)
        return 2
    if args.category and args.category not in CATEGORIES:
        print(f"{ERROR_PREFIX}カテゴリ「{args.category}」はありません（使えるのは {', '.join(CATEGORIES)} です）。", file=sys.stderr)
        return 2
    question = args.question or ""
    category = args.category or question_category(question)
    company = load_company(args.company) if args.company else None
    options = AnalysisOptions(content=ContentOptions(company=company, question=question))
    if text is not None:
        result = analyze_text(text, category, options)
    else:
        from simulator.audio.decode import load_audio

        result = analyze_answer(load_audio(args.answer), build_transcriber(args), category=category, file=args.answer, options=options)
    data = result.to_dict()
    nxt = next_after_answer(question, category, data["transcript"], result.findings, company, result.claim, frozenset(result.covered))
    data["question"] = question or None
    data["category"] = category
    data["next"] = {"family": move_family(nxt), "text": nxt.text if nxt else None, "reason": nxt.reason if nxt else {"why": "the interview ends"}}
    if args.json:
        print_json(data)
    else:
        print(format_analysis(data))
    return 0
