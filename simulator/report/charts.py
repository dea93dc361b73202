"""Charts as inline SVG, drawn with matplotlib (no JavaScript, no external requests).

Text stays text (svg.fonttype "none"), so the browser draws Japanese labels with the page's
fonts, the charts can be searched and read by screen readers, and tests can check the labels.
Each chart gets its own hash salt so the ids inside several inlined SVGs never collide.
"""

from __future__ import annotations

import io
import logging
import re
import warnings
from dataclasses import dataclass

# Fonts tried in order for measuring text; the browser chooses its own from the page's CSS.
JP_FONTS = ["Noto Sans CJK JP", "IPAexGothic", "IPAGothic", "Hiragino Sans", "Yu Gothic", "Meiryo", "DejaVu Sans"]
COLORS = {"bar": "#4a78b5", "warn": "#d08a2e", "bad": "#c0392b", "band": "#2e8b57", "grid": "#dddddd"}


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None


def _figure(height_in: float):
    from matplotlib.figure import Figure

    return Figure(figsize=(7.2, height_in), dpi=96)


def _svg(fig, chart_id: str, title: str) -> str:
    import matplotlib

    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": chart_id}):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Title": title}, bbox_inches="tight")
    svg = buf.getvalue()
    svg = svg[svg.index("<svg") :]  # drop the XML declaration and DOCTYPE: it is inlined in HTML
    svg = re.sub(r"<svg ", f'<svg id="{chart_id}" role="img" aria-label="{title}" class="chart" ', svg, count=1)
    return svg


def _quiet():
    """Missing-font and missing-glyph messages are expected on machines without CJK fonts."""
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    ctx = warnings.catch_warnings()
    ctx.__enter__()
    warnings.filterwarnings("ignore", message=".*Glyph.*missing.*")
    warnings.filterwarnings("ignore", message=".*findfont.*")
    return ctx


def _hbar(chart_id: str, title: str, xlabel: str, bars: list[Bar], colors: list[str], decorate, value_fmt: str) -> str:
    import matplotlib

    ctx = _quiet()
    try:
        with matplotlib.rc_context({"font.family": JP_FONTS, "font.size": 10, "axes.spines.top": False, "axes.spines.right": False}):
            fig = _figure(0.6 + 0.38 * max(len(bars), 1))
            ax = fig.add_subplot()
            labels = [b.label for b in bars]
            values = [b.value or 0.0 for b in bars]
            ys = list(range(len(bars)))
            ax.barh(ys, values, color=colors, height=0.6, zorder=2)
            ax.set_yticks(ys, labels)
            ax.invert_yaxis()
            ax.set_xlabel(xlabel)
            ax.set_title(title, loc="left", fontsize=11)
            ax.grid(axis="x", color=COLORS["grid"], zorder=0)
            decorate(ax, max(values, default=0.0))
            for y, b in zip(ys, bars):
                ax.annotate(
                    "—" if b.value is None else format(b.value, value_fmt),
                    (b.value or 0.0, y),
                    xytext=(3, 0),
                    textcoords="offset points",
                    va="center",
                    fontsize=9,
                )
            return _svg(fig, chart_id, title)
    finally:
        ctx.__exit__(None, None, None)


def answer_length_chart(bars: list[Bar], target_s: float, limit_s: float, chart_id: str = "chart-length") -> str:
    """Answer length per turn against the one-minute target and the three-minute limit."""

    def decorate(ax, top):
        ax.axvline(target_s, color=COLORS["band"], linestyle="--", linewidth=1.5, zorder=3, label=f"目安 {target_s / 60:.0f}分")
        ax.axvline(limit_s, color=COLORS["bad"], linestyle="-", linewidth=1.5, zorder=3, label=f"上限 {limit_s / 60:.0f}分")
        ax.set_xlim(0, max(limit_s * 1.08, top * 1.1))
        ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=2, fontsize=9, frameon=False)

    colors = [COLORS["bad"] if (b.value or 0) > limit_s else COLORS["warn"] if (b.value or 0) > target_s * 1.5 else COLORS["bar"] for b in bars]
    return _hbar(chart_id, "回答の長さ（秒）", "秒", bars, colors, decorate, ".0f")


def fillers_chart(bars: list[Bar], many_per_min: float, chart_id: str = "chart-fillers") -> str:
    """Fillers per minute of answer, per turn, against the 'many fillers' threshold."""

    def decorate(ax, top):
        ax.axvline(many_per_min, color=COLORS["bad"], linestyle="--", linewidth=1.5, zorder=3, label=f"多い（{many_per_min:g}回/分）")
        ax.set_xlim(0, max(many_per_min * 1.3, top * 1.15))
        ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=2, fontsize=9, frameon=False)

    colors = [COLORS["bad"] if (b.value or 0) >= many_per_min else COLORS["bar"] for b in bars]
    return _hbar(chart_id, "フィラー（回/分）", "回/分", bars, colors, decorate, ".1f")


def pace_chart(bars: list[Bar], band: tuple[float, float], chart_id: str = "chart-pace") -> str:
    """Speaking pace per turn (morae per minute of answer) against the comfortable band."""
    low, high = band

    def decorate(ax, top):
        ax.axvspan(low, high, color=COLORS["band"], alpha=0.18, zorder=1, label=f"目安 {low:.0f}〜{high:.0f}モーラ/分（約300〜400字/分）")
        ax.set_xlim(0, max(high * 1.3, top * 1.12))
        ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=2, fontsize=9, frameon=False)

    colors = [COLORS["bar"] if b.value is None or low <= b.value <= high else COLORS["warn"] for b in bars]
    return _hbar(chart_id, "話す速さ（モーラ/分）", "モーラ/分", bars, colors, decorate, ".0f")


def trend_chart(
    labels: list[str], series: dict[str, list[float | None]], refs: dict[str, tuple[float, float, str]] | None = None, chart_id: str = "chart-trends"
) -> str:
    """History: one small line chart per measure, sessions in time order on the x axis.

    refs maps a measure to its target (low, high, color name in COLORS): drawn as a band, or as
    a dashed line when low == high.
    """
    refs = refs or {}
    import matplotlib

    ctx = _quiet()
    try:
        with matplotlib.rc_context({"font.family": JP_FONTS, "font.size": 9, "axes.spines.top": False, "axes.spines.right": False}):
            fig = _figure(2.0 * len(series))
            axes = fig.subplots(len(series), 1, sharex=True, squeeze=False, gridspec_kw={"hspace": 0.5})[:, 0]
            xs = list(range(len(labels)))
            for ax, (name, values) in zip(axes, series.items()):
                pts = [(x, v) for x, v in zip(xs, values) if v is not None]
                if pts:
                    ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", color=COLORS["bar"], zorder=2)
                    for x, v in pts:
                        ax.annotate(f"{v:g}", (x, v), xytext=(0, 5), textcoords="offset points", ha="center", fontsize=8)
                if name in refs:
                    low, high, color = refs[name]
                    if low == high:
                        ax.axhline(low, color=COLORS[color], linestyle="--", linewidth=1, zorder=1)
                    else:
                        ax.axhspan(low, high, color=COLORS[color], alpha=0.18, zorder=1)
                ax.set_title(name, loc="left", fontsize=10)
                ax.grid(axis="y", color=COLORS["grid"], zorder=0)
                ax.margins(y=0.25)
            axes[-1].set_xticks(xs, labels, rotation=30, ha="right")
            fig.align_ylabels(axes)
            return _svg(fig, chart_id, "セッションごとの推移")
    finally:
        ctx.__exit__(None, None, None)
