"""`replay SESSION`: show a saved interview as a transcript, optionally re-analysed with current code."""

from __future__ import annotations

from simulator.commands.common import add_model_option, build_transcriber, print_json


def register(sub) -> None:
    p = sub.add_parser("replay", help="show a saved session as a transcript with timings and metrics")
    p.add_argument("session", help="session folder, session id, or 'latest'")
    p.add_argument("--json", action="store_true", help="print the session as JSON")
    p.add_argument("--reanalyze", action="store_true", help="recompute metrics from the saved audio with the current code")
    p.add_argument("--play", action="store_true", help="play the prompt and answer audio, the transcript following along")
    add_model_option(p)
    p.set_defaults(handler=run)


def run(args) -> int:
    from simulator.report.text import format_session
    from simulator.store.session_store import load_session

    session = load_session(args.session)
    if args.reanalyze:
        reanalyze(session, build_transcriber(args))
    if args.play:
        from simulator.report.playback import open_player

        return play_session(session, open_player())
    if args.json:
        print_json(session_json(session))
    else:
        print(format_session(session))
    return 0


def session_json(session) -> dict:
    """A saved session as JSON (`replay --json`, `run --json`): the folder, id, status, meta and every turn record.

    Each turn is the saved record: the prompt (text, kind, category, reason), the answer (audio,
    transcript with word timings) and the analysis (findings with evidence, timing, pace, fillers).
    """
    return {
        "session": str(session.folder),
        "id": session.id,
        "folder": str(session.folder),
        "status": session.meta.get("status"),
        "meta": session.meta,
        "warnings": session.warnings,
        "turns": session.turns,
    }


def reanalyze(session, transcriber) -> None:
    """Replace each turn's analysis by one computed now from its saved answer audio (not written back)."""
    from simulator.analysis.answer import analyze_answer
    from simulator.audio.decode import load_audio
    from simulator.errors import AudioError

    for turn in session.turns:
        rel = turn.get("answer", {}).get("audio")
        try:
            clip = load_audio(session.folder / rel)
        except (AudioError, TypeError):
            session.warnings.append(f"{turn.get('turn')}問目の回答の音声がないか読めないため、保存済みの分析をそのまま使います。")
            continue
        transcriber.for_question(turn["prompt"].get("category"))  # heard as the session heard it (vocabulary per question)
        analysis = analyze_answer(clip, transcriber, category=turn["prompt"].get("category"), file=turn["answer"].get("source"))
        turn["analysis"] = analysis.to_dict()
        turn["answer"]["transcript"] = analysis.transcript.to_dict()
        turn["reanalyzed"] = True


def play_session(session, player, out=None) -> int:
    """Play each turn aloud: the prompt (its audio when saved), then the answer word by word."""
    import sys

    from simulator.audio.decode import load_audio
    from simulator.errors import AudioError
    from simulator.report.playback import play_along

    out = out or sys.stdout

    def write(text: str) -> None:
        out.write(text)
        out.flush()

    def play(rel: str | None, words: list[dict]) -> None:
        if rel is None:
            return
        try:
            clip = load_audio(session.folder / rel)
        except AudioError:
            write(f"（{rel} が読めないため、この音声は飛ばします）")
            return
        play_along(clip, words, player, write)

    write(f"セッション {session.id} を再生します（Ctrl-C で停止）。\n")
    for turn in session.turns:
        p, ans = turn["prompt"], turn.get("answer", {})
        label = "質問" if p["kind"] == "question" else "深掘り"
        write(f"\n[{turn['turn']}] 面接官（{label}）: {p['text']}\n")
        play(p.get("audio"), [])
        words = (ans.get("transcript") or {}).get("words") or []
        write("  回答: ")
        if not words:  # no timed words (no speech, or an old record): show the text at once
            write(turn.get("analysis", {}).get("transcript") or "（発話なし）")
        play(ans.get("audio"), words)
        write("\n")
    return 0
