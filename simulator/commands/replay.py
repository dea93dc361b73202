"""`replay SESSION`: show a saved interview as a transcript, optionally re-analysed with current code."""

from __future__ import annotations

from simulator.commands.common import add_model_option, build_transcriber, print_json


def register(sub) -> None:
    p = sub.add_parser("replay", help="show a saved session as a transcript with timings and metrics")
    p.add_argument("session", help="session folder, session id, or 'latest'")
    p.add_argument("--json", action="store_true", help="print the session as JSON")
    p.add_argument("--reanalyze", action="store_true", help="recompute metrics from the saved audio with the current code")
    add_model_option(p)
    p.set_defaults(handler=run)


def run(args) -> int:
    from simulator.report.text import format_session
    from simulator.store.session_store import load_session

    session = load_session(args.session)
    if args.reanalyze:
        reanalyze(session, build_transcriber(args))
    if args.json:
        print_json({"session": str(session.folder), "meta": session.meta, "warnings": session.warnings, "turns": session.turns})
    else:
        print(format_session(session))
    return 0


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
            session.warnings.append(f"turn {turn.get('turn')}: answer audio missing or unreadable, kept the saved analysis")
            continue
        analysis = analyze_answer(clip, transcriber, category=turn["prompt"].get("category"), file=turn["answer"].get("source"))
        turn["analysis"] = analysis.to_dict()
        turn["answer"]["transcript"] = analysis.transcript.to_dict()
        turn["reanalyzed"] = True
