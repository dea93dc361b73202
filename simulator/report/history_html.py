"""The history page: trends table and chart over sessions, the worst questions, the review list."""

from __future__ import annotations

from markupsafe import Markup

from simulator.analysis.catalogue import label as finding_label
from simulator.report import charts
from simulator.report.view import MANY_FILLERS_PER_MIN, TARGET_ANSWER_S, pace_band


def session_label(started_at: str, sid: str) -> str:
    return started_at[5:16].replace("T", " ") if len(started_at) >= 16 else sid


def render_history_html(sessions, worst, due, texts) -> str:
    from simulator.report.html import environment

    labels = [session_label(s.started_at, s.id) for s in sessions]
    chart = (
        Markup(
            charts.trend_chart(
                labels,
                {
                    "回答の長さ平均（秒）": [s.mean_answer_s for s in sessions],
                    "フィラー（回/分）": [s.fillers_per_min for s in sessions],
                    "話す速さ（モーラ/分）": [s.morae_per_min for s in sessions],
                    "指摘の数": [float(s.findings) for s in sessions],
                },
                refs={
                    "回答の長さ平均（秒）": (TARGET_ANSWER_S, TARGET_ANSWER_S, "band"),
                    "フィラー（回/分）": (MANY_FILLERS_PER_MIN, MANY_FILLERS_PER_MIN, "bad"),
                    "話す速さ（モーラ/分）": (*pace_band(), "band"),
                },
            )
        )
        if sessions
        else Markup("")
    )
    return environment().get_template("history.html.j2").render(
        sessions=sessions, many_fillers=MANY_FILLERS_PER_MIN, labels=labels, worst=worst, due=due, texts=texts, chart=chart, label=finding_label
    )
