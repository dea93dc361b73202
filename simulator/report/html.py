"""The self-contained HTML report: Jinja2 template, inline CSS and inline SVG charts.

Nothing in the page is fetched from anywhere: styles and charts are inline, and a
Content-Security-Policy forbids scripts and remote loads. Answer audio is linked relative to
the report file (so the report keeps working when the session folder and report move
together), or embedded as data: URIs with embed_audio=True (bigger file, fully portable).
"""

from __future__ import annotations

import base64
import os
from pathlib import Path

from markupsafe import Markup

from simulator.report import charts
from simulator.report.view import LIMIT_ANSWER_S, MANY_FILLERS_PER_MIN, TARGET_ANSWER_S, ReportView, pace_band


def environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=PackageLoader("simulator.report", "templates"),
        autoescape=select_autoescape(["html", "j2", "htm"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["fmt"] = fmt
    from simulator.targets.coverage import SKILL_LABELS

    env.globals["skill_labels"] = SKILL_LABELS
    return env


def fmt(value, unit: str) -> str:
    if value is None:
        return "—"
    return f"{value:.1f}{unit}" if isinstance(value, float) else f"{value}{unit}"


def report_charts(r: ReportView) -> dict[str, Markup]:
    labels = [t.short_label for t in r.turns]
    return {
        "length": Markup(charts.answer_length_chart([charts.Bar(l, t.answer_s) for l, t in zip(labels, r.turns)], TARGET_ANSWER_S, LIMIT_ANSWER_S)),
        "fillers": Markup(charts.fillers_chart([charts.Bar(l, t.fillers_per_min) for l, t in zip(labels, r.turns)], MANY_FILLERS_PER_MIN)),
        "pace": Markup(charts.pace_chart([charts.Bar(l, t.morae_per_min) for l, t in zip(labels, r.turns)], pace_band())),
    }


def audio_ref(path: Path | None, html_dir: Path, embed: bool) -> str | None:
    """A URL for an audio file: a data: URI, or a path relative to the report; None if missing."""
    if path is None or not path.is_file():
        return None
    if embed:
        return "data:audio/wav;base64," + base64.b64encode(path.read_bytes()).decode("ascii")
    rel = os.path.relpath(path.resolve(), html_dir.resolve())
    return Path(rel).as_posix().replace("%", "%25").replace("#", "%23").replace("?", "%3F")


def render_html(r: ReportView, html_path: Path, embed_audio: bool = False) -> str:
    html_dir = Path(html_path).parent
    audio = {
        t.number: {"prompt": audio_ref(t.prompt_audio, html_dir, embed_audio), "answer": audio_ref(t.answer_audio, html_dir, embed_audio)}
        for t in r.turns
    }
    return environment().get_template("report.html.j2").render(r=r, charts=report_charts(r), audio=audio, band=pace_band())
