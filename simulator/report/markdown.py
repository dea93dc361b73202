"""The Markdown report (same content as the HTML one), from a Jinja2 template.

Markdown cannot hold a chart, so the HTML report's three SVG charts are written next to the
.md file (<name>-length.svg, <name>-fillers.svg, <name>-pace.svg) and linked as images: every
Markdown viewer that shows local images (GitHub, VS Code, Obsidian) shows them.
"""

from __future__ import annotations

import re
from pathlib import Path

from simulator.report.html import audio_ref, fmt
from simulator.report.view import MANY_FILLERS_PER_MIN, ReportView, pace_band

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|<>#])")


def mdescape(text: str) -> str:
    """Escape characters that Markdown would read as markup in transcript text."""
    return _MD_SPECIAL.sub(r"\\\1", text)


CHART_TITLES = {"length": "回答の長さ", "fillers": "フィラー（回/分）", "pace": "話す速さ（モーラ/分）"}


def chart_path(md_path: Path, name: str) -> Path:
    md_path = Path(md_path)
    return md_path.with_name(f"{md_path.stem}-{name}.svg")


def chart_files(r: ReportView, md_path: Path) -> dict[Path, str]:
    """The SVG files the Markdown report links to: path next to the .md -> SVG text."""
    from simulator.report.html import report_charts

    return {chart_path(md_path, name): str(svg) for name, svg in report_charts(r).items()}


def render_markdown(r: ReportView, md_path: Path) -> str:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(loader=PackageLoader("simulator.report", "templates"), autoescape=False, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals["fmt"] = fmt
    from simulator.targets.coverage import SKILL_LABELS

    env.globals["skill_labels"] = SKILL_LABELS
    env.filters["mdescape"] = mdescape
    md_dir = Path(md_path).parent
    audio = {t.number: {"answer": audio_ref(t.answer_audio, md_dir, embed=False)} for t in r.turns}
    charts = [(title, chart_path(md_path, name).name) for name, title in CHART_TITLES.items()]  # drawn by chart_files()
    text = env.get_template("report.md.j2").render(r=r, audio=audio, band=pace_band(), charts=charts, many_fillers=MANY_FILLERS_PER_MIN)
    return re.sub(r"\n{3,}", "\n\n", text)
