"""`run`: the interviewer loop, headless, with WAV files as the candidate's answers."""

from __future__ import annotations

import sys
from pathlib import Path

from simulator.commands.common import add_model_option, build_transcriber, print_json


def register(sub) -> None:
    p = sub.add_parser("run", help="run a mock interview headless, answering with audio files")
    p.add_argument("--set", dest="qset", metavar="SET", help="question set name or TOML file (default: core)")
    p.add_argument("--answers", nargs="+", metavar="AUDIO", help="one audio file per turn, in order (default: bundled sample answers)")
    p.add_argument("--out", metavar="DIR", help="folder to save the session in (default: the user data folder)")
    p.add_argument("--voice", choices=("auto", "prompts", "kokoro", "none"), default="auto", help="interviewer voice (default: auto)")
    p.add_argument("--seed", type=int, default=0, help="seed for the choice of probe phrasings")
    p.add_argument("--json", action="store_true", help="print a JSON summary")
    # Interview judgement options (issue 4): docs/question-sets.md.
    p.add_argument("--mode", choices=("full", "short"), default="full", help="full: a 45-60 min second round; short: about 15 min")
    p.add_argument("--max-probes", dest="max_probes", type=int, metavar="N",
                   help="at most N follow-ups per question (default: from the mode, up to 4 on experience questions)")
    p.add_argument("--company", metavar="FILE", help="company profile TOML: motivation answers naming none of it are generic")
    p.add_argument("--round-one", dest="round_one", metavar="FILE", help="TOML of the questions asked in round one (and those you stalled on)")
    # --- review practice (issue 6): see simulator/report/review.py for the rule ---
    p.add_argument("--review", action="store_true", help="ask again the questions whose answers had the most serious findings")
    add_model_option(p)
    p.set_defaults(handler=run)


def run(args) -> int:
    from simulator.audio.sources import WavFileAnswers
    from simulator.interview.policy import PolicyOptions
    from simulator.interview.question_sets import load_question_set
    from simulator.interview.session import run_interview
    from simulator.paths import samples_dir
    from simulator.report.text import format_turn
    from simulator.speech.voice import build_voice
    from simulator.store.session_store import SessionWriter

    qset = load_question_set(args.qset)
    if args.review:
        qset = _review_set(qset, quiet=args.json)
        if qset is None:
            return 0
    policy, analysis = _judgement_options(args)
    if args.answers:
        answers = [Path(a) for a in args.answers]
    else:
        answers = sorted(samples_dir().glob("*.wav"))
        if not args.json:
            print(f"回答ファイルが指定されていないため、同梱のサンプル回答 {len(answers)} 件を使います。")
    source = WavFileAnswers(answers)
    source.preload()  # a bad answer file is reported before any session folder exists
    transcriber = build_transcriber(args)
    transcriber.load()  # a missing model is reported before the session folder is created
    voice = build_voice(args.voice)
    writer = SessionWriter.create(Path(args.out) if args.out else None, set=qset.id, set_title=qset.title, model=transcriber.name, voice=voice.name, mode="headless")
    quiet = args.json

    def on_prompt(prompt):
        if not quiet:
            label = "質問" if prompt.kind == "question" else "深掘り"
            print(f"\n面接官（{label}）: {prompt.text}", flush=True)

    def on_turn(turn):
        if not quiet:
            print(format_turn(turn.record), flush=True)

    try:
        result = run_interview(
            qset, source, transcriber, voice, writer, policy, analysis, on_prompt=on_prompt, on_turn=on_turn
        )
    except BaseException:
        print(f"mensetsu: the session so far is saved in {writer.folder}", file=sys.stderr)
        raise
    if args.json:
        print_json({"session": result.folder, "status": result.status, "turns": len(result.turns), "set": qset.id})
    else:
        print(f"\nセッションを保存しました: {result.folder}")
        print(f"再生: python -m simulator replay {result.folder}")
    return 0


def _judgement_options(args):
    """Policy and analysis options from --seed/--mode/--company/--round-one (read before any model loads)."""
    from simulator.analysis.answer import AnalysisOptions
    from simulator.analysis.content import ContentOptions
    from simulator.interview.company import load_company
    from simulator.interview.policy import PolicyOptions
    from simulator.interview.round_one import load_round_one

    company = load_company(args.company) if getattr(args, "company", None) else None
    round_one = load_round_one(args.round_one) if getattr(args, "round_one", None) else None
    policy = PolicyOptions(seed=args.seed, mode=getattr(args, "mode", "full"), company=company, round_one=round_one,
                           max_probes_per_question=getattr(args, "max_probes", None))
    return policy, AnalysisOptions(content=ContentOptions(company=company))


# --- review practice (issue 6) ---------------------------------------------------------------
def _review_set(qset, quiet: bool):
    """The question set narrowed to the questions due for review, most needed first (None: none due)."""
    from simulator.analysis.catalogue import label as finding_label
    from simulator.report.history import review_question_set

    review, items = review_question_set(qset)
    if review is None:
        if quiet:
            print_json({"session": None, "status": "nothing_to_review", "turns": 0, "set": qset.id})
        else:
            print("復習が必要な質問はまだありません。まず通常の練習（python -m simulator practice または run）をしてください。")
        return None
    if not quiet:
        print(f"復習: 指摘の重かった質問を {len(items)} 問、必要な順に聞きます。")
        for q, it in zip(review.questions, items):
            print(f"  - {q.text}（前回: {'、'.join(finding_label(f) for f in it.findings)}）")
    return review
