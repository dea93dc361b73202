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

    The files were read and checked before (judgement_options); reading them again here
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


# --- shared by run and practice (and web, through practice) ---------------------------------
def judgement_options(args):
    """Policy and analysis options from --seed/--mode/--company/--round-one (read before any model loads)."""
    from simulator.analysis.answer import AnalysisOptions
    from simulator.analysis.content import ContentOptions
    from simulator.interview.company import load_company
    from simulator.interview.policy import PolicyOptions
    from simulator.interview.round_one import load_round_one

    company = load_company(args.company) if getattr(args, "company", None) else None
    round_one = load_round_one(args.round_one) if getattr(args, "round_one", None) else None
    policy = PolicyOptions(seed=args.seed, mode=getattr(args, "mode", "full"), company=company, round_one=round_one,
                           max_probes_per_question=getattr(args, "max_probes", None))
    from simulator.targets.options import with_target

    # --target: the documents' company profile, round one and questions (simulator/targets/).
    return with_target(args, policy, AnalysisOptions(content=ContentOptions(company=company)))


def target_meta(args) -> dict:
    """The target's snapshot for meta.json (the report's documents section), {} without --target."""
    from simulator.targets.options import session_meta

    return session_meta(args)


def review_set(qset, quiet: bool):
    """The question set narrowed to the questions due for review, most needed first (None: none due)."""
    from simulator.analysis.catalogue import label as finding_label
    from simulator.report.history import review_question_set

    review, items = review_question_set(qset)
    if review is None:
        if quiet:
            print_json({"session": None, "status": "nothing_to_review", "turns": 0, "set": qset.id})
        else:
            print("復習が必要な質問はまだありません。まず通常の練習（python -m simulator practice または run）をしてください。")
        return None
    if not quiet:
        print(f"復習: 指摘の重かった質問を {len(items)} 問、必要な順に聞きます。")
        for q, it in zip(review.questions, items):
            print(f"  - {q.text}（前回: {'、'.join(finding_label(f) for f in it.findings)}）")
    return review
