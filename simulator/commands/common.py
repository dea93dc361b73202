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
    parser.add_argument(
        "--no-vocabulary",
        dest="vocabulary",
        action="store_false",
        help="do not tell the model the interview vocabulary (御社, 志望, the company's names, ...): "
        "by default it is, per question (docs/metrics.md, \"Interview vocabulary\")",
    )


def build_transcriber(args):
    from simulator.speech.transcriber import TranscribeOptions, WhisperTranscriber

    options = TranscribeOptions.with_compute_type(getattr(args, "compute_type", None))
    transcriber = WhisperTranscriber(model=args.model, options=options, vocabulary=build_vocabulary(args))
    # The interview loop sets each question's category (for_question); `analyze` has one category.
    transcriber.for_question(getattr(args, "category", None))
    return transcriber


def build_vocabulary(args):
    """The per-question interview vocabulary from --company/--round-one (None with --no-vocabulary).

    The files were read and checked before (run's _judgement_options); reading them again here
    keeps every command's transcriber built in this one place.
    """
    if not getattr(args, "vocabulary", True):
        return None
    from simulator.interview.company import load_company
    from simulator.interview.round_one import load_round_one
    from simulator.speech.vocabulary import QuestionVocabulary

    company = load_company(args.company) if getattr(args, "company", None) else None
    round_one = load_round_one(args.round_one) if getattr(args, "round_one", None) else None
    if getattr(args, "target", None):  # --target: its company and round one where no file was given
        from simulator.targets.options import target_company_and_round_one

        target_company, target_round_one = target_company_and_round_one(args)
        company, round_one = company or target_company, round_one or target_round_one
    return QuestionVocabulary(company=company, round_one=round_one)


def print_json(obj) -> None:
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
