"""How a benchmark or evaluation result leaves the process: progress to stderr, the result as text or JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def progress_log(args):
    """Progress lines go to stderr, and nowhere with --json (stdout then holds only the JSON)."""
    return (lambda s: print(s, file=sys.stderr, flush=True)) if not args.json else (lambda s: None)


def emit(args, result: dict, format_report) -> int:
    """Save (--save-json) and print a result: JSON with --json, else the text report."""
    from simulator.commands.common import print_json

    if getattr(args, "save_json", None):
        Path(args.save_json).write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if args.json:
        print_json(result)
    else:
        print(format_report(result))
    return 0
