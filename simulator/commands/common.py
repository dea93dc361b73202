"""Options and builders shared by several subcommands."""

from __future__ import annotations

import json
import sys


def add_model_option(parser) -> None:
    parser.add_argument(
        "--model",
        metavar="NAME_OR_PATH",
        default=None,
        help="faster-whisper model: a folder, or a name such as 'small' (downloaded only when named). Default: the bundled Whisper base.",
    )


def build_transcriber(args):
    from simulator.speech.transcriber import WhisperTranscriber

    return WhisperTranscriber(model=args.model)


def print_json(obj) -> None:
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
