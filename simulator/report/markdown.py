"""The Markdown report (same content as the HTML one, without charts), from a Jinja2 template."""

from __future__ import annotations

import re
from pathlib import Path

from simulator.report.html import audio_ref, fmt
from simulator.report.view import ReportView, pace_band

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|<>#])")


def mdescape(text: str) -> str:
    """Escape characters that Markdown would read as markup in transcript text."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def render_markdown(r: ReportView, md_path: Path) -> str:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(loader=PackageLoader("simulator.report", "templates"), autoescape=False, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals["fmt"] = fmt
    env.filters["mdescape"] = mdescape
    md_dir = Path(md_path).parent
    audio = {t.number: {"answer": audio_ref(t.answer_audio, md_dir, embed=False)} for t in r.turns}
    text = env.get_template("report.md.j2").render(r=r, audio=audio, band=pace_band())
    return re.sub(r"\n{3,}", "\n\n", text)
