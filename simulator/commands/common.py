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
    parser.add_argument(
        "--compute-type",
        choices=("int8", "float32"),
        default=None,
        help="how the model computes: int8 (default, least memory) or float32 (about 220 MB more, "
        "more fillers kept: docs/metrics.md)",
    )


def build_transcriber(args):
    from simulator.speech.transcriber import TranscribeOptions, WhisperTranscriber

    options = TranscribeOptions.with_compute_type(getattr(args, "compute_type", None))
    return WhisperTranscriber(model=args.model, options=options)


def print_json(obj) -> None:
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
