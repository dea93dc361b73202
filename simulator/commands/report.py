"""`report SESSION [--html FILE] [--md FILE]`: a terminal summary, and HTML / Markdown reports."""

from __future__ import annotations

from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser("report", help="summarise a saved session; write an HTML and/or Markdown report")
    p.add_argument("session", help="session folder, session id, or 'latest'")
    p.add_argument("--html", metavar="FILE", help="write a self-contained HTML report (charts inline, audio linked)")
    p.add_argument("--md", metavar="FILE", help="write a Markdown report")
    p.add_argument("--embed-audio", action="store_true", help="embed the audio in the HTML file instead of linking it")
    p.set_defaults(handler=run)


def run(args) -> int:
    from simulator.errors import SessionError
    from simulator.report.summary import format_summary
    from simulator.report.view import build_report
    from simulator.store.session_store import load_session

    session = load_session(args.session)
    try:
        report = build_report(session)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        # A record that is valid JSON but lacks fields the report needs (hand-edited, or foreign).
        raise SessionError(f"セッション {session.folder} の回答の記録に欠けている項目があります（{exc.__class__.__name__}: {exc}）。") from None
    print(format_summary(report))
    if args.html:
        from simulator.report.html import render_html

        path = Path(args.html).expanduser()
        write_text(path, render_html(report, path, embed_audio=args.embed_audio))
        print(f"\nHTMLレポートを書き出しました: {path}")
    if args.md:
        from simulator.report.markdown import chart_files, render_markdown

        path = Path(args.md).expanduser()
        for svg_path, svg in chart_files(report, path).items():  # first: the .md links to them
            write_text(svg_path, svg)
        write_text(path, render_markdown(report, path))
        print(f"Markdownレポートを書き出しました: {path}")
    return 0


def write_text(path: Path, text: str) -> None:
    """Write atomically: an existing report is replaced whole or left as it was."""
    from simulator.errors import MensetsuError
    from simulator.fsutil import atomic_write_bytes

    if path.is_dir():
        raise MensetsuError(f"{path} はフォルダなので、レポートのファイル名を指定してください。")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, text.encode("utf-8"))
    except OSError as exc:
        raise MensetsuError(f"{path} に書き込めません（{exc.strerror}）。") from None
