"""Command-line entry point: parse, dispatch, and turn domain errors into one-line messages.

Each subcommand lives in simulator/commands/<name>.py with register(subparsers) and run(args).
"""

from __future__ import annotations

import argparse
import importlib
import sys

from simulator import __version__
from simulator.errors import MensetsuError

COMMANDS = ("analyze", "run", "replay", "eval", "sets", "report", "history", "practice", "devices", "doctor", "prompts", "bench")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
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
        return int(args.handler(args) or 0)
    except MensetsuError as exc:
        print(f"mensetsu: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("\nmensetsu: interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def default_command() -> list[str]:
    """`mensetsu` alone: a live interview when a microphone is there, else the demo on sample answers."""
    from simulator.audio.microphone import resolve_device

    try:
        resolve_device(None, "input")
    except MensetsuError as exc:
        print(f"マイクが使えないため、同梱のサンプル回答でデモ面接を行います（{exc}）。", file=sys.stderr)
        print("デモの最後に、マイクの確認（mensetsu doctor）、ライブ面接（mensetsu practice）、"
              "レポート（mensetsu report latest --html report.html）の使い方を表示します。", file=sys.stderr)
        return ["run", "--demo"]
    return ["practice"]


def _utf8_stdio() -> None:
    # Japanese output must not crash on a terminal or pipe with a narrow default encoding.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")
        except (AttributeError, ValueError):
            pass
