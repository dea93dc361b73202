"""Command-line entry point: parse, dispatch, and turn domain errors into one-line messages.

Each subcommand lives in simulator/commands/<name>.py with register(subparsers) and run(args).
"""

from __future__ import annotations

import argparse
import importlib
import sys

from simulator import __version__
from simulator.errors import ERROR_PREFIX, MensetsuError

COMMANDS = ("analyze", "run", "replay", "eval", "sets", "report", "history", "practice", "devices", "doctor", "prompts", "bench", "prepare", "web")
# Commands that read every question set (a question's category is looked up in all of them):
# a broken file in the user's folder is noted on one line and left out, never fatal for them.
_READS_ALL_SETS = ("analyze", "run", "practice", "eval")


class _Parser(argparse.ArgumentParser):
    """argparse with its usage errors in the same one-line form as the program's own (exit 2)."""

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"{ERROR_PREFIX}コマンドの指定が正しくないため、`{self.prog} --help` で使い方を確認してください（{message}）。\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="mensetsu",
        description="Offline voice mock interviews for Japanese second-round job interviews (二次面接).",
    )
    parser.add_argument("--version", action="version", version=f"mensetsu-sim {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"simulator.commands.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    _utf8_stdio()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        return main(default_command())
    try:
        if args.command in _READS_ALL_SETS:
            _note_broken_user_sets(getattr(args, "qset", None))
        return int(args.handler(args) or 0)
    except MensetsuError as exc:
        print(f"{ERROR_PREFIX}{exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("\nmensetsu: 中断しました。", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def default_command() -> list[str]:
    """`mensetsu` alone: the web app on a graphical desktop; else a live interview when a microphone
    is there, else the demo on sample answers."""
    from simulator.audio.microphone import resolve_device
    from simulator.commands.web import graphical_desktop, web_available

    if graphical_desktop() and web_available():
        return ["web"]

    try:
        resolve_device(None, "input")
    except MensetsuError as exc:
        print(f"マイクが使えないため、デモ面接にします。（{exc}）", file=sys.stderr)
        return ["run", "--demo"]
    return ["practice"]


def _note_broken_user_sets(named: str | None) -> None:
    """One note per broken set in <data home>/question_sets/ (not the one named by --set: its error follows)."""
    from pathlib import Path

    from simulator.errors import NOTE_PREFIX
    from simulator.interview.question_sets import broken_user_sets, skipped_note, user_sets_dir

    if not user_sets_dir().is_dir():
        return
    named_path = (Path(named) if named.endswith(".toml") else user_sets_dir() / f"{named}.toml") if named else None
    for path, error in broken_user_sets():
        if named_path is None or path.resolve() != named_path.expanduser().resolve():
            print(f"{NOTE_PREFIX}{skipped_note(error)}", file=sys.stderr, flush=True)


def _utf8_stdio() -> None:
    # Japanese output must not crash on a terminal or pipe with a narrow default encoding.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")
        except (AttributeError, ValueError):
            pass
