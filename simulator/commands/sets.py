"""`sets list` and `sets validate FILE`: the question sets a user can practise with, and checking one."""

from __future__ import annotations

from simulator.commands.common import print_json


def register(sub) -> None:
    p = sub.add_parser("sets", help="list the question sets, or validate a set file")
    ssub = p.add_subparsers(dest="sets_command", metavar="ACTION")
    lp = ssub.add_parser("list", help="list the built-in and user question sets")
    lp.add_argument("--json", action="store_true", help="print JSON")
    vp = ssub.add_parser("validate", help="check a question set file (errors name the file and line)")
    vp.add_argument("file", help="a question set TOML file")
    vp.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=run, sets_command=None)


def run(args) -> int:
    from simulator.analysis.catalogue import family_matches
    from simulator.interview.policy import MODES, plan, PolicyOptions
    from simulator.interview.question_sets import available_sets, load_question_set, user_sets_dir, validate_file

    if args.sets_command == "validate":
        qset = validate_file(args.file)
        warnings = [
            f"{q.id}: probes.{key}: 「{text}」 does not read like a {key} probe"
            for q in qset.questions for key, texts in q.probes.items() for text in texts
            if not family_matches(key, text)
        ]
        if getattr(args, "json", False):
            print_json({"file": str(qset.path), "id": qset.id, "questions": len(qset.questions), "warnings": warnings, "ok": True})
        else:
            print(f"{qset.path}: OK — set {qset.id!r}, {len(qset.questions)} questions")
            for w in warnings:
                print(f"  warning: {w}")
        return 0
    if args.sets_command != "list":
        print("usage: python -m simulator sets {list,validate FILE}")
        return 2
    rows = []
    for path in available_sets():
        qset = load_question_set(str(path))
        rows.append({
            "id": qset.id,
            "title": qset.title,
            "file": str(path),
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
