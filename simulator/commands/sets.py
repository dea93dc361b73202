"""`sets list` and `sets validate [FILE ...]`: the question sets a user can practise with, and checking them.

A broken set file in the user's folder is reported on one line (file and line) and skipped: the
other sets stay listed and usable.
"""

from __future__ import annotations

import sys

from simulator.commands.common import print_json


def register(sub) -> None:
    p = sub.add_parser("sets", help="list the question sets, or validate set files")
    ssub = p.add_subparsers(dest="sets_command", metavar="ACTION")
    lp = ssub.add_parser("list", help="list the built-in and user question sets")
    lp.add_argument("--json", action="store_true", help="print JSON")
    vp = ssub.add_parser("validate", help="check question set files (errors name the file and line); without FILE, every set")
    vp.add_argument("files", nargs="*", metavar="FILE", help="a question set TOML file (default: every built-in and user set)")
    vp.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=run, sets_command=None)


def run(args) -> int:
    if args.sets_command == "validate":
        return validate(args)
    if args.sets_command != "list":
        print("使い方: mensetsu sets list | mensetsu sets validate [FILE ...]", file=sys.stderr)
        return 2
    return list_sets(args)


def list_sets(args) -> int:
    from simulator.interview.policy import MODES, plan, PolicyOptions
    from simulator.interview.question_sets import load_available_sets, user_sets_dir

    rows = []
    for qset in load_available_sets(on_skip=note_skipped):
        rows.append({
            "id": qset.id,
            "title": qset.title,
            "file": str(qset.path),
            "questions": len(qset.questions),
            **{f"{mode}_mode_questions": len(plan(qset, PolicyOptions(mode=mode))) for mode in MODES},
        })
    if getattr(args, "json", False):
        print_json(rows)
        return 0
    for r in rows:
        print(f"{r['id']:18} {r['title']}  ({r['questions']} 問、短縮モード {r['short_mode_questions']} 問)  {r['file']}")
    print(f"\n自分のセットは {user_sets_dir()} に置くか、--set でファイルを指定してください。")
    return 0


def note_skipped(path, error) -> None:
    from simulator.errors import NOTE_PREFIX
    from simulator.interview.question_sets import skipped_note

    print(f"{NOTE_PREFIX}{skipped_note(error)}", file=sys.stderr, flush=True)


def validate(args) -> int:
    """One FILE: its result, or its error (exit 6). Several, or none (every set): each file's
    result, one error line per broken file, exit 6 when any is broken."""
    from simulator.errors import ERROR_PREFIX, QuestionSetError
    from simulator.interview.question_sets import available_sets, validate_file

    if len(args.files) == 1:
        results = [_check(validate_file(args.files[0]))]
    else:
        results = []
        for path in args.files or available_sets():
            try:
                results.append(_check(validate_file(path)))
            except QuestionSetError as exc:
                print(f"{ERROR_PREFIX}{exc}", file=sys.stderr, flush=True)
                results.append({"file": str(path), "ok": False, "error": str(exc)})
    if getattr(args, "json", False):
        print_json(results[0] if len(args.files) == 1 else results)
    else:
        for r in results:
            if not r["ok"]:
                continue
            print(f"OK  質問セット {r['file']} は使えます（セット '{r['id']}'、{r['questions']} 問）。")
            for w in r["warnings"]:
                print(f"  注意: {w}")
    return 0 if all(r["ok"] for r in results) else QuestionSetError.exit_code


def _check(qset) -> dict:
    from simulator.analysis.catalogue import family_matches

    warnings = [
        f"質問 {q.id} の probes.{key} の「{text}」は、{key} の深掘りの言い方に見えません。"
        for q in qset.questions for key, texts in q.probes.items() for text in texts
        if not family_matches(key, text)
    ]
    return {"file": str(qset.path), "id": qset.id, "questions": len(qset.questions), "warnings": warnings, "ok": True}
