"""`run`: the interviewer loop, headless, with WAV files as the candidate's answers."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

from simulator.commands.common import add_model_option, build_transcriber, judgement_options, print_json, review_set, target_meta


def register(sub) -> None:
    p = sub.add_parser("run", help="run a mock interview headless, answering with audio files")
    p.add_argument("--set", dest="qset", metavar="SET", help="question set name or TOML file (default: core)")
    given = p.add_mutually_exclusive_group()
    given.add_argument("--answers", nargs="+", metavar="AUDIO", help="one audio file per turn, in order (default: the demo)")
    given.add_argument("--script", metavar="FILE",
                       help="TOML answer script: question id -> answer file and its probe answers; only those questions "
                       "and probes are asked (docs/question-sets.md, \"Answer script\")")
    given.add_argument("--demo", action="store_true",
                       help="the demo interview on the bundled sample answers (the default without --answers/--script)")
    p.add_argument("--no-probes", dest="no_probes", action="store_true",
                   help="main questions only (and the closing reverse question), no follow-ups")
    p.add_argument("--out", metavar="DIR", help="folder to save the session in (default: the user data folder)")
    p.add_argument("--voice", choices=("auto", "prompts", "kokoro", "none"), default="auto", help="interviewer voice (default: auto)")
    p.add_argument("--seed", type=int, default=0, help="seed for the choice of probe phrasings")
    p.add_argument("--json", action="store_true",
                   help="print the whole saved session as JSON (the same view as `replay --json`, plus status and set)")
    # Interview judgement options (issue 4): docs/question-sets.md.
    p.add_argument("--mode", choices=("full", "short"), default="full", help="full: a 45-60 min second round; short: about 15 min")
    p.add_argument("--max-probes", dest="max_probes", type=int, metavar="N",
                   help="at most N follow-ups per question (default: from the mode, up to 4 on experience questions)")
    p.add_argument("--company", metavar="FILE", help="company profile TOML: motivation answers naming none of it are generic")
    p.add_argument("--round-one", dest="round_one", metavar="FILE", help="TOML of the questions asked in round one (and those you stalled on)")
    p.add_argument("--target", metavar="NAME", help="your own interview saved by `prepare` (company research, posting, résumé, round one): docs/prepare.md")
    # --- review practice (issue 6): see simulator/report/review.py for the rule ---
    p.add_argument("--review", action="store_true", help="ask again the questions whose answers had the most serious findings")
    add_model_option(p)
    p.set_defaults(handler=run)


def run(args) -> int:
    from simulator.audio.sources import WavFileAnswers
    from simulator.commands.replay import session_json
    from simulator.interview.policy import plan
    from simulator.interview.question_sets import load_question_set
    from simulator.interview.script import ScriptAnswers, load_script, script_question_set
    from simulator.interview.session import run_interview
    from simulator.report.text import format_turn
    from simulator.speech.voice import build_voice
    from simulator.store.session_store import SessionWriter, load_session

    demo = args.demo or not (args.answers or args.script)
    script = load_script(demo_script() if demo else args.script) if (demo or args.script) else None
    qset = load_question_set(args.qset or (script.set_name if script else None))
    if args.review:
        qset = review_set(qset, quiet=args.json)
        if qset is None:
            return 0
        if demo and not args.demo:
            from simulator.errors import MensetsuError

            raise MensetsuError("復習には自分の回答が必要です。--answers か --script で回答を指定するか、"
                                "mensetsu practice --review でライブ練習してください。")
    policy, analysis = judgement_options(args)
    if script is not None:
        qset, policy = script_question_set(script, qset, policy)
        policy = replace(policy, probes_by_question=script.probe_caps())
        source = ScriptAnswers(script)
        if demo and not args.json:
            print("同梱のサンプル回答でデモ面接を行います（サンプルが答える質問だけを聞きます）。")
    else:
        source = WavFileAnswers([Path(a) for a in args.answers])
    if args.no_probes:
        policy = replace(policy, probes_by_question={q.id: 0 for q in plan(qset, policy)})
    source.preload()  # a bad answer file is reported before any session folder exists
    transcriber = build_transcriber(args)
    transcriber.load()  # a missing model is reported before the session folder is created
    voice = build_voice(args.voice)
    extra = {"demo": True} if demo else {}
    if script is not None and not demo:
        extra["script"] = str(script.path)
    extra.update(target_meta(args))
    writer = SessionWriter.create(Path(args.out) if args.out else None, set=qset.id, set_title=qset.title, model=transcriber.name,
                                  voice=voice.name, mode="headless", **extra)
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
        print(f"mensetsu: ここまでのセッションは保存されています: {writer.folder}", file=sys.stderr)
        raise
    unused = [str(f) for f in source.unused()] if script is not None else []
    if args.json:
        view = session_json(load_session(result.folder))
        print_json({**view, "set": qset.id, "demo": demo, "unused_answers": unused})
        return 0
    if unused:
        print(f"\n台本の回答ファイルのうち {len(unused)} 件は使われませんでした（その深掘り・質問が聞かれなかったため）: "
              + "、".join(Path(u).name for u in unused))
    print(f"\nセッションを保存しました: {result.folder}")
    print(f"再生: mensetsu replay {result.folder}")
    if demo:
        print(DEMO_NEXT_STEPS)
    return 0


DEMO_NEXT_STEPS = """
これはデモです（履歴と復習には入りません）。次に試すこと:
  mensetsu doctor                          マイクとスピーカーを確認する
  mensetsu practice                        自分の声でライブ面接をする（短縮版は --short）
  mensetsu report latest --html report.html   今のデモの振り返りレポートを作る"""


def demo_script() -> Path:
    """The bundled demo: which sample answers which core question (simulator/data/samples/demo.toml)."""
    from simulator.paths import samples_dir

    return samples_dir() / "demo.toml"
