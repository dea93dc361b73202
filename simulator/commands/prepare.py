"""`prepare`: save the candidate's own interview (company, posting, résumé, round one) as a named target.

Interactive in a terminal (Japanese questions, each skippable with Enter); from files with flags
for scripts and tests, never prompting when stdin is not a terminal. Every document is read and
checked before anything is written, and the target is written whole or not at all
(targets/store.py). `--list`, `--show NAME`, `--edit NAME` manage targets; docs/prepare.md.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

_FILE_FLAGS = ("company_notes", "posting", "resume", "round_one")
_DOC_SUFFIXES = (".txt", ".text", ".md", ".markdown", ".pdf", ".docx", ".doc", ".toml")
_COMPANY_IN_TEXT = re.compile(r"(株式会社[^\s、。，,（()）「」『』：:／/・]{1,20}|[^\s、。，,（()）「」『』：:／/・]{1,20}株式会社)")


def register(sub) -> None:
    p = sub.add_parser("prepare", help="save your own interview: company research, job posting, résumé, round-one notes (a target)")
    p.add_argument("name", nargs="?", metavar="NAME", help="the target's name (letters, digits, kana, kanji, - and _)")
    manage = p.add_mutually_exclusive_group()
    manage.add_argument("--list", action="store_true", help="list the saved targets")
    manage.add_argument("--show", metavar="NAME", help="show a target: its files, what was read from them, the questions it gives")
    manage.add_argument("--edit", metavar="NAME", help="change a target: the parts given as options (or, in a terminal, asked again)")
    p.add_argument("--company-name", dest="company_name", metavar="X", help="the company's name")
    p.add_argument("--competitors", metavar="A,B", help="the competitors, separated by commas")
    p.add_argument("--company-notes", dest="company_notes", metavar="FILE", help="what you found about the company (HP, IR, interviews): txt, md, pdf or docx")
    p.add_argument("--posting", metavar="FILE", help="the job posting (必須・歓迎スキル, 業務内容): txt, md, pdf or docx")
    p.add_argument("--resume", metavar="FILE", help="your 職務経歴書: txt, md, pdf or docx")
    p.add_argument("--round-one", dest="round_one", metavar="FILE", help="round-one notes (Markdown, docs/prepare.md) or a round-one TOML file")
    p.set_defaults(handler=run)


def run(args) -> int:
    from simulator.errors import TargetError
    from simulator.targets.store import load_target

    if args.list:
        return _list()
    if args.show:
        print(describe(load_target(args.show)))
        return 0
    if args.edit and args.name and args.name != args.edit:
        raise TargetError(f"--edit {args.edit} と名前 {args.name} が違います。どちらか一つにしてください。")
    name = args.edit or args.name
    given = any(getattr(args, f) for f in ("company_name", "competitors", *_FILE_FLAGS))
    if not given and _is_terminal():
        from simulator.targets.interactive import interactive_prepare

        return interactive_prepare(name, edit=bool(args.edit))
    if not name:
        raise TargetError("ターゲットの名前を指定してください（例: mensetsu prepare mirai --resume 職務経歴書.pdf --posting 求人票.txt）。"
                          "端末からの実行でないため、質問はしません。")
    return _from_files(args, name)


def _is_terminal() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def _from_files(args, name: str) -> int:
    from simulator.errors import TargetError
    from simulator.targets.store import PARTS, check_name, load_target, save_target, target_exists

    check_name(name)
    existing = None
    if args.edit:
        existing = load_target(name)
        if existing.builtin:
            raise TargetError(f"同梱の例 {name!r} は変更できません。別の名前で mensetsu prepare NAME --resume ... のように作ってください。")
    elif target_exists(name):
        raise TargetError(f"ターゲット {name!r} はすでにあります。変えるときは mensetsu prepare --edit {name} を使ってください。")
    given = any(getattr(args, f) for f in ("company_name", "competitors", *_FILE_FLAGS))
    if existing is not None and not given:
        print(f"ターゲット {name} のファイルは次のフォルダにあり、直接編集できます（次の面接から反映されます）: {existing.folder}")
        for part, (filename, label) in PARTS.items():
            mark = "あり" if part in existing.texts else "なし"
            print(f"  {filename:<18} {label}（{mark}）")
        return 0
    if not given:
        raise TargetError("登録する内容がありません。--company-name, --competitors, --company-notes, --posting, --resume, --round-one のどれかを指定してください。")
    # Every document is read and checked first: a bad one stops here, before anything is written.
    texts = dict(existing.texts) if existing else {}
    sources = dict(existing.sources) if existing else {}
    for part in _FILE_FLAGS:
        path = getattr(args, part)
        if path:
            texts[part] = read_part(part, path)
            sources[part] = str(Path(path).expanduser().resolve())
    competitors = split_names(args.competitors) if args.competitors is not None else (existing.competitors if existing else ())
    company_name = (args.company_name or "").strip() or (existing.company_name if existing else "") or guess_company(texts)
    folder = save_target(name, company_name, competitors, texts, sources, replace=existing is not None)
    print(f"ターゲット {name} を保存しました: {folder}")
    target = load_target(name)
    for note in notes_on(target):
        print(f"注意: {note}")
    print(describe(target, brief=True))
    print(f"\n面接で使う: mensetsu practice --target {name}   （録音で: mensetsu run --target {name} --answers ...）")
    return 0


def read_part(part: str, path: str) -> str:
    """The text to save for one part, read from a file (a round-one TOML file becomes notes)."""
    from simulator.errors import TargetError
    from simulator.targets.documents import read_document
    from simulator.targets.round_one_notes import parse_notes
    from simulator.targets.store import PARTS

    label = PARTS[part][1]
    if part == "round_one" and Path(path).suffix.lower() == ".toml":
        return round_one_toml_as_notes(path)
    text = read_document(path, label)
    if part == "round_one" and not parse_notes(text):
        raise TargetError(f"{label}のファイル {Path(path).expanduser()} に質問が見つかりません。"
                          "「## 質問: …」の行で質問を書いてください（docs/prepare.md）。")
    return text


def round_one_toml_as_notes(path: str) -> str:
    from simulator.interview.toml_file import read_toml
    from simulator.interview.round_one import parse_round_one
    from simulator.targets.round_one_notes import NoteQuestion, render_notes

    data, raw = read_toml(Path(path).expanduser(), "一次面接の質問ファイル")
    parsed = parse_round_one(data, Path(path).expanduser(), raw)
    notes = {i: str(item.get("note", "")) for i, item in enumerate(data.get("questions", []))}
    return render_notes([NoteQuestion(q.text, 2 if q.stalled else 0, "" , notes.get(i, "").strip()) for i, q in enumerate(parsed.questions)])


def split_names(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(dict.fromkeys(n.strip() for n in re.split(r"[,、，/／]", value) if n.strip()))


def guess_company(texts: dict[str, str]) -> str:
    """The company's name as the notes or the posting write it (「株式会社ミライ会計」), else ""."""
    for part in ("company_notes", "posting"):
        if m := _COMPANY_IN_TEXT.search(texts.get(part, "")):
            return m.group(1)
    return ""


def notes_on(target) -> list[str]:
    """What the user should know about a saved target: parts that gave the interviewer nothing."""
    out = []
    if "resume" in target.texts and not target.achievements:
        out.append("職務経歴書から実績・役割の行が見つかりませんでした。数字の入った成果（「売上を前年比120%に」など）を箇条書きにすると、深掘りの質問になります。")
    if "posting" in target.texts and not target.posting.required:
        out.append("求人票から必須スキルが見つかりませんでした。「必須スキル」などの見出しの下に箇条書きで書くと、即戦力の確認に使われます。")
    if "company_notes" in target.texts and not target.research.facts:
        out.append("会社について調べたメモから、会社ならではの事実が見つかりませんでした。")
    if (target.texts.get("company_notes") or target.competitors) and not target.company_name:
        out.append("会社名がないため、志望動機の判定には使えません。--edit NAME --company-name X で会社名を入れてください。")
    return out


def _list() -> int:
    from simulator.targets.store import PARTS, list_targets, targets_dir

    targets = list_targets()
    print(f"ターゲット（{targets_dir(create=False)}）:")
    for t in targets:
        parts = "・".join(PARTS[p][1] for p in PARTS if p in t.texts) or "（ファイルなし）"
        where = "同梱の例" if t.builtin else (t.updated_at[:16].replace("T", " ") or "")
        print(f"  {t.name:<16} {t.company_name or '（会社名なし）'}  {parts}  {where}")
    print("中身を見る: mensetsu prepare --show NAME   作る: mensetsu prepare NAME")
    return 0


def describe(target, brief: bool = False, with_folder: bool = True) -> str:
    """What a target holds and what the interviewer will do with it (Japanese, for --show)."""
    from simulator.targets.questions import grounded_questions
    from simulator.targets.round_one_notes import MARKS, weakest_first
    from simulator.targets.store import PARTS

    kind_labels = {"result": "成果", "initiative": "取り組み", "role": "役割"}
    out = [f"ターゲット {target.name}{'（同梱の例）' if target.builtin else ''}" + (f": {target.folder}" if with_folder else "")]
    out.append(f"  会社名: {target.company_name or '（なし）'}   競合: {'、'.join(target.research.competitors) or '（なし）'}")
    files = [f"{PARTS[p][0]}" for p in PARTS if p in target.texts]
    out.append(f"  ファイル: {', '.join(files) or '（なし）'}")
    if target.achievements:
        out.append(f"職務経歴書の実績・役割（{len(target.achievements)}件。深掘りの質問になります）:")
        out += [f"  - 『{a.quote}』（{kind_labels[a.kind]}）" for a in target.achievements]
    if target.posting.required:
        out.append(f"求人票の必須スキル（{len(target.posting.required)}件。即戦力の確認になります）:")
        out += [f"  - 『{i.quote}』" for i in target.posting.required]
    if target.posting.duties and not brief:
        out.append("業務内容（入社後の場面の質問になります）:")
        out += [f"  - 『{i.quote}』" for i in target.posting.duties]
    research = target.research
    if research.facts:
        out.append(f"会社について調べたこと（{len(research.facts)}件。志望動機がこれに触れないと「どの会社にも言える」と判定します）:")
        if not brief:
            out += [f"  - {f.text}" for f in research.facts]
    if research.shared:
        out.append("競合にもある点（志望動機でこれだけを挙げると「それは競合にもありますが」と聞かれます）:")
        out += [f"  - {s.competitor}: {s.text}" for s in research.shared]
    if target.round_one_notes:
        out.append("一次面接の質問（うまくいかなかった順に、より深く聞き直します）:")
        for q in weakest_first(target.round_one_notes):
            doubt = f"（気にされた点: {q.doubt}）" if q.doubt else ""
            out.append(f"  {MARKS[q.weakness]} {q.text}{doubt}")
    if not brief:
        questions = grounded_questions(target, "full")
        if questions:
            out.append(f"書類に基づく質問（通常の面接で {len(questions)} 問）:")
            out += [f"  - {g.question.text}" for g in questions]
    return "\n".join(out)
