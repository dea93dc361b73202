"""Plain-text views of an analysis, a turn and a whole session (Japanese for the candidate)."""

from __future__ import annotations

from simulator.analysis.catalogue import label as finding_label


def _fmt_s(value) -> str:
    return "—" if value is None else f"{value:.1f}秒"


def format_analysis(a: dict) -> str:
    if a.get("answer_s_estimated"):
        lines = [f"  回答: {a['transcript']}", f"  長さの目安 {_fmt_s(a['answer_s'])}（{a['timing_note']}）"]
    else:
        lines = _delivery_lines(a)
    for f in a["findings"]:
        lines.append(f"  ▲ {finding_label(f['id'])}（{f['evidence']}）")
    if nxt := a.get("next"):
        lines.append(f"  次の質問: {nxt['text'] or '（面接終了）'}")
    return "\n".join(lines)


def _delivery_lines(a: dict) -> list[str]:
    return [
        f"  回答: {a['transcript'] or '（発話なし）'}",
        f"  回答までの沈黙 {_fmt_s(a['response_latency_s'])} / 回答の長さ {_fmt_s(a['answer_s'])} / 発話時間 {_fmt_s(a['speaking_s'])}",
        f"  話す速さ {a['morae_per_min'] or '—'} モーラ/分 / 間（ポーズ） {len(a['pauses'])} 回",
        f"  フィラー {a['fillers']['total']} 回（{a['fillers']['per_min']} 回/分）"
        + (f": {'、'.join(i['form'] for i in a['fillers']['items'])}" if a["fillers"]["items"] else ""),
    ]


def format_turn(record: dict) -> str:
    return format_analysis(record["analysis"])


def format_session(session) -> str:
    m = session.meta
    out = [
        f"セッション {session.id}  質問セット: {m.get('set_title', m.get('set'))}  開始: {m.get('started_at')}  状態: {m.get('status')}",
        f"モデル: {m.get('model')}  音声: {m.get('voice')}  ターン数: {len(session.turns)}",
    ]
    for w in session.warnings:
        out.append(f"注意: {w}")
    for turn in session.turns:
        p = turn["prompt"]
        label = "質問" if p["kind"] == "question" else "深掘り"
        out.append("")
        out.append(f"[{turn['turn']}] 面接官（{label}）: {p['text']}")
        if p.get("reason", {}).get("finding"):
            out.append(f"    理由: {finding_label(p['reason']['finding'])}（{p['reason'].get('evidence', '')}）")
        out.append(format_analysis(turn["analysis"]))
    return "\n".join(out)
