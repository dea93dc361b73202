"""The short terminal summary printed by `report` (Japanese for the candidate)."""

from __future__ import annotations

import unicodedata

from simulator.report.view import ReportView


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    """Left-align in terminal columns: Japanese characters take two."""
    return text + " " * max(0, width - _width(text))


def _n(value, fmt: str = ".1f") -> str:
    return "—" if value is None else format(value, fmt)


def format_summary(r: ReportView) -> str:
    t = r.totals
    out = [
        f"面接練習レポート  {r.title}  {r.started_at}  {r.status}  ({r.session_id})",
        f"やりとり {t['turns']} 回（深掘り {len(r.probes)} 回） / 回答の長さ平均 {_n(t['mean_answer_s'])}秒 / "
        f"フィラー {_n(t['fillers_per_min'])}回/分 / 話す速さ {_n(t['morae_per_min'], '.0f')}モーラ/分 / 指摘 {t['findings']}件",
    ]
    out += [f"注意: {w}" for w in r.warnings]
    out.append("")
    out.append(f" #  {_pad('種類', 6)}  長さ  フィラー/分  速さ  指摘")
    for turn in r.turns:
        findings = "、".join(f.label for f in turn.findings) or "—"
        out.append(
            f"{turn.number:>2}  {_pad(turn.kind_label, 6)} {turn.answer_s:>4.0f}秒 {turn.fillers_per_min:>10.1f} {_n(turn.morae_per_min, '>5.0f')}  {findings}"
        )
    out.append("")
    if r.changes:
        out.append("いちばん効果の大きい改善点:")
        for i, c in enumerate(r.changes, 1):
            where = "、".join(str(n) for n in c.turns)
            out.append(f" {i}. {c.title}（{where}番目の回答）: {c.advice}")
    else:
        out.append("大きな指摘はありませんでした。")
    if r.documents is not None:
        from simulator.targets.coverage import coverage_lines

        out.append("")
        out += coverage_lines(r.documents)
    return "\n".join(out)
