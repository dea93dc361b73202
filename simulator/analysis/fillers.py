"""Japanese filler detection over the transcript text, timed from the word timings.

Rules over SudachiPy tokens plus a lexicon: the analyser alone makes mistakes both ways
(「あの会社」 tagged as a filler, 「あの、」 as a determiner), so the rule layer decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from simulator.analysis.japanese import tokenize
from simulator.speech.transcriber import Transcript

# Variant spellings folded to one canonical form. Longest patterns first.
_FORMS: list[tuple[str, str]] = [
    (r"え[ー〜~]*っと|ええ[ー〜~]*と|え[ー〜~]+と|エ[ー〜~]*ット|エ[ー〜~]+ト", "えーと"),
    (r"あの[ー〜~]+|アノ[ー〜~]+", "あのー"),
    (r"その[ー〜~]+|ソノ[ー〜~]+", "そのー"),
    (r"う[ー〜~]+ん|ウ[ー〜~]+ン", "うーん"),
    (r"ん[ー〜~]+|ン[ー〜~]+", "んー"),
    (r"あ[ー〜~]+|ア[ー〜~]+", "あー"),
    (r"え[ー〜~]+|エ[ー〜~]+", "えー"),
    (r"まあ|まぁ|マア|マァ", "まあ"),
    (r"なんか|ナンカ", "なんか"),
    (r"あの|アノ", "あの"),
    (r"その|ソノ", "その"),
    (r"え|エ", "え"),
    (r"ま|マ", "ま"),
]
_COMPILED = [(re.compile(rf"^(?:{p})$"), form) for p, form in _FORMS]
# Forms that are only fillers when set off (followed by a comma/pause, or the answer's end),
# because they are also determiners or adverbs: あの会社, その成果, なんかが.
_AMBIGUOUS = {"あの", "その", "なんか", "え", "ま", "まあ"}
_PUNCT = set("、，,。．.！？!?…")


@dataclass(frozen=True)
class FillerHit:
    form: str
    start_s: float | None
    char_index: int

    def to_dict(self) -> dict:
        return {"form": self.form, "start_s": None if self.start_s is None else round(self.start_s, 3)}


def canonical_form(surface: str) -> str | None:
    for pattern, form in _COMPILED:
        if pattern.match(surface):
            return form
    return None


def find_fillers_in_text(text: str) -> list[tuple[str, int]]:
    """(canonical form, character index) for each filler in the text."""
    tokens = tokenize(text)
    hits: list[tuple[str, int]] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        # Sudachi splits えーと as えー + と and ええと variously: join a following と/っと.
        surface = tok.surface
        j = i + 1
        if j < len(tokens) and surface in ("えー", "ええ", "え", "エー") and tokens[j].surface in ("と", "っと", "ト"):
            surface += tokens[j].surface
            j += 1
        form = canonical_form(surface)
        if form is None:
            i += 1
            continue
        nxt = tokens[j] if j < len(tokens) else None
        set_off = nxt is None or nxt.surface[0] in _PUNCT or canonical_form(nxt.surface) is not None
        if form in _AMBIGUOUS and not set_off:
            i = j
            continue
        if form == "まあ" and nxt is not None and nxt.surface.startswith("まあ"):
            i = j + 1  # まあまあ: "so-so", not a filler
            continue
        hits.append((form, tok.begin))
        i = j
    return hits


def _char_times(transcript: Transcript) -> tuple[str, list[float | None]]:
    """The text rebuilt from the timed words, with a start time per character."""
    if not transcript.words:
        return transcript.text, [None] * len(transcript.text)
    chars: list[str] = []
    times: list[float | None] = []
    for w in transcript.words:
        chars.append(w.text)
        times.extend([w.start_s] * len(w.text))
    return "".join(chars), times


def find_fillers(transcript: Transcript) -> list[FillerHit]:
    text, times = _char_times(transcript)
    return [FillerHit(form, times[idx] if idx < len(times) else None, idx) for form, idx in find_fillers_in_text(text)]
