"""The interactive `prepare`: Japanese questions in the terminal, one part at a time.

Each answer is checked as it is given (a file that cannot be read is said at once and asked
again); nothing is written until the candidate confirms at the end, and Ctrl-C or end of input
leaves nothing behind. The same reading, checking and saving as the file flags (commands/prepare.py).
"""

from __future__ import annotations

from pathlib import Path

END_OF_PASTE = "."
INTRO = """面接の準備（mensetsu prepare）
会社について調べたこと・求人票・職務経歴書・一次面接のメモを登録すると、二次面接でそれに沿った質問をします。
どの項目も Enter だけで飛ばせます。ファイルは .txt・.md・.pdf・.docx を指定できます（Ctrl-C でいつでも中止、何も保存しません）。
"""
HOW_LABELS = {"1": 0, "2": 1, "3": 2}


class _Abort(Exception):
    pass


def _ask(prompt: str) -> str:
    try:
        return input(prompt)
    except EOFError:
        raise _Abort() from None


def interactive_prepare(name: str | None, edit: bool = False) -> int:
    from simulator.commands.prepare import describe, guess_company, notes_on, split_names
    from simulator.errors import TargetError
    from simulator.targets.store import check_name, load_target, save_target, target_exists

    try:
        print(INTRO)
        existing = None
        while True:
            if not name:
                name = _ask("ターゲットの名前（例: mirai）: ").strip()
                if not name:
                    continue
            try:
                check_name(name)
                if edit:
                    existing = load_target(name)
                    if existing.builtin:
                        raise TargetError(f"同梱の例 {name!r} は変更できません。別の名前を付けてください。")
                elif target_exists(name):
                    raise TargetError(f"ターゲット {name!r} はすでにあります。別の名前にするか、mensetsu prepare --edit {name} で変えてください。")
                break
            except TargetError as exc:
                print(f"  {exc}")
                name = None
                edit = False
        keep = "（Enter でそのまま）" if existing else ""
        company = _ask(f"1/6 会社名{_now(existing.company_name if existing else '')}{keep}: ").strip()
        company = company or (existing.company_name if existing else "")
        competitors_line = _ask(f"2/6 競合他社（「、」か「,」で区切って）{_now('、'.join(existing.competitors) if existing else '')}: ").strip()
        competitors = split_names(competitors_line) if competitors_line else (existing.competitors if existing else ())
        texts = dict(existing.texts) if existing else {}
        sources = dict(existing.sources) if existing else {}
        for n, (part, title) in enumerate((
            ("company_notes", "会社について調べたこと（ホームページ・IR・社長インタビューなど）"),
            ("posting", "求人票（必須・歓迎スキル、業務内容）"),
            ("resume", "職務経歴書"),
        ), 3):
            got = _ask_document(f"{n}/6 {title}", part, has=part in texts)
            if got is not None:
                text, source = got
                if text is None:
                    texts.pop(part, None)
                    sources.pop(part, None)
                else:
                    texts[part] = text
                    if source:
                        sources[part] = source
        got = _ask_round_one(has="round_one" in texts)
        if got is not None:
            text, source = got
            if text is None:
                texts.pop("round_one", None)
            else:
                texts["round_one"] = text
                if source:
                    sources["round_one"] = source
        company = company or guess_company(texts)
        if not (company or competitors or texts):
            print("何も入力されなかったため、保存しませんでした。")
            return 0
        preview = _preview(name, company, competitors, texts)  # what will be saved, as --show will show it
        print()
        print(describe(preview, brief=True, with_folder=False))
        for note in notes_on(preview):
            print(f"注意: {note}")
        answer = _ask("\nこの内容で保存しますか？ [Y/n]: ").strip().lower()
        if answer not in ("", "y", "yes", "はい"):
            print("保存しませんでした。")
            return 0
        folder = save_target(name, company, competitors, texts, sources, replace=existing is not None)
        print(f"ターゲット {name} を保存しました: {folder}")
        print(f"面接で使う: mensetsu practice --target {name}")
        return 0
    except (_Abort, KeyboardInterrupt):
        print("\n中止しました。何も保存していません。")
        return 130


def _now(value: str) -> str:
    return f"［今: {value}］" if value else ""


def _preview(name, company, competitors, texts):
    from simulator.targets.store import Target

    return Target(name=name, folder=Path("."), company_name=company, competitors=tuple(competitors), texts=dict(texts))


def _looks_like_path(line: str) -> bool:
    from simulator.commands.prepare import _DOC_SUFFIXES

    return ("/" in line or "\\" in line or line.lower().endswith(_DOC_SUFFIXES)) and "\n" not in line and len(line) < 1024


def _clean_path(line: str) -> str:
    line = line.strip()
    if len(line) >= 2 and line[0] == line[-1] and line[0] in "'\"":
        line = line[1:-1]  # a path dragged into the terminal comes quoted
    return line.replace("\\ ", " ")


def _ask_document(title: str, part: str, has: bool):
    """(text, source) from a file path or pasted text; (None, None) to remove; None to keep as it is."""
    from simulator.commands.prepare import read_part
    from simulator.errors import TargetError
    from simulator.targets.documents import clean_text
    from simulator.targets.store import PARTS

    label = PARTS[part][1]
    print(f"{title}")
    print(f"    ファイルのパスを入力するか、文章を貼り付けて最後に「{END_OF_PASTE}」だけの行を入力してください。"
          + ("（Enter で今のまま、「-」で削除）" if has else "（Enter で飛ばす）"))
    while True:
        first = _ask("> ")
        if not first.strip():
            return None
        if has and first.strip() == "-":
            return None, None
        path = _clean_path(first)
        if Path(path).expanduser().is_file() or _looks_like_path(path):
            try:
                return read_part(part, path), str(Path(path).expanduser().resolve())
            except TargetError as exc:
                print(f"  {exc} もう一度入力してください（Enter で飛ばす）。")
                continue
        lines = [first]
        while True:
            line = _ask("")
            if line.strip() == END_OF_PASTE:
                break
            lines.append(line)
        try:
            return clean_text("\n".join(lines), f"貼り付けた{label}"), ""
        except TargetError as exc:
            print(f"  {exc} もう一度入力してください（Enter で飛ばす）。")


def _ask_round_one(has: bool):
    """The round-one notes: a file, pasted notes, or the questions one by one."""
    from simulator.commands.prepare import read_part
    from simulator.errors import TargetError
    from simulator.targets.documents import clean_text
    from simulator.targets.round_one_notes import NoteQuestion, parse_notes, render_notes

    print("6/6 一次面接のメモ（聞かれた質問、手応え、面接官が気にしていたこと）")
    print("    「1」で質問を1つずつ入力します。メモのファイルのパスや、貼り付け（最後に「.」だけの行）でも構いません。"
          + ("（Enter で今のまま、「-」で削除）" if has else "（Enter で飛ばす）"))
    while True:
        first = _ask("> ").strip()
        if not first:
            return None
        if has and first == "-":
            return None, None
        if first in ("1", "１"):
            break
        path = _clean_path(first)
        if Path(path).expanduser().is_file() or _looks_like_path(path):
            try:
                return read_part("round_one", path), str(Path(path).expanduser().resolve())
            except TargetError as exc:
                print(f"  {exc} もう一度入力してください（Enter で飛ばす）。")
                continue
        lines = [first]
        while (line := _ask("")).strip() != END_OF_PASTE:
            lines.append(line)
        try:
            text = clean_text("\n".join(lines), "貼り付けた一次面接のメモ")
        except TargetError as exc:
            print(f"  {exc}")
            continue
        if parse_notes(text):
            return text, ""
        print("  質問が見つかりませんでした。「1」で1つずつ入力するか、「## 質問: …」の形で書いてください。")
    questions = []
    while True:
        text = _ask(f"  質問{len(questions) + 1}（Enter で終わり）: ").strip()
        if not text:
            break
        how = _ask("    手応えは？ 1: うまく答えられた  2: まあまあ  3: うまく答えられなかった [2]: ").strip()
        weakness = HOW_LABELS.get(how.translate(str.maketrans("１２３", "123")), 1)
        doubt = _ask("    面接官が気にしていたように見えたこと（なければ Enter）: ").strip()
        questions.append(NoteQuestion(text, weakness, "", doubt))
    if not questions:
        return None
    return render_notes(questions), ""
