"""`history [--html FILE] [--json]`: trends over all saved sessions, and the questions that went worst."""

from __future__ import annotations

from pathlib import Path

from simulator.commands.common import print_json


def register(sub) -> None:
    p = sub.add_parser("history", help="trends over saved sessions (answer length, fillers, pace, findings)")
    p.add_argument("--html", metavar="FILE", help="also write the trends as an HTML page with a chart")
    p.add_argument("--json", action="store_true", help="print the trends as JSON")
    p.add_argument("--worst", type=int, default=5, metavar="N", help="how many of the worst questions to list (default: 5)")
    p.set_defaults(handler=run)


def run(args) -> int:
    from dataclasses import asdict

    from simulator.analysis.catalogue import label as finding_label
    from simulator.report.history import open_history

    index, sync = open_history()
    with index:
        sessions = index.sessions()
        worst = index.worst_questions(args.worst)
        due = index.review()
        texts = index.question_texts()
    if args.json:
        print_json(
            {
                "sessions": [asdict(s) for s in sessions],
                "worst_questions": [asdict(w) for w in worst],
                "review_due": [asdict(d) for d in due],
                "skipped": sync.skipped,
            }
        )
    else:
        print(format_history(sessions, worst, due, texts, finding_label))
        for problem in sync.skipped:
            print(f"注意: 読めないセッションを飛ばしました: {problem}")
    if args.html:
        from simulator.commands.report import write_text
        from simulator.report.history_html import render_history_html

        path = Path(args.html).expanduser()
        write_text(path, render_history_html(sessions, worst, due, texts))
        if not args.json:
            print(f"\nHTMLを書き出しました: {path}")
    return 0


def _n(value, spec: str) -> str:
    return "—" if value is None else format(value, spec)


def format_history(sessions, worst, due, texts, label) -> str:
    if not sessions:
        return "保存されたセッションはまだありません。`python -m simulator run` で練習するとここに記録されます。"
    out = ["セッションごとの推移（古い順）", " 日時                 ターン  回答長さ平均  フィラー/分  速さ(モーラ/分)  指摘"]
    for s in sessions:
        out.append(
            f" {s.started_at[:16].replace('T', ' '):<20} {s.turns:>5}  {_n(s.mean_answer_s, '>10.1f')}秒  {_n(s.fillers_per_min, '>10.1f')}  "
            f"{_n(s.morae_per_min, '>14.0f')}  {s.findings:>4}"
        )
    if worst:
        out += ["", "うまくいかなかった質問"]
        for i, w in enumerate(worst, 1):
            labels = "、".join(label(f) for f in w.latest_findings) or "（最新の回答では指摘なし）"
            out.append(f" {i}. {w.text}（{w.attempts}回中、最新: {labels}）")
    if due:
        out += ["", f"次の復習で聞く質問: {len(due)} 問（python -m simulator run --review）"]
        for d in due:
            out.append(f" - {texts.get(d.question_id, d.question_id)}")
    return "\n".join(out)
