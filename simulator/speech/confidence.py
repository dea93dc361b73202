"""Words Whisper was unsure of: shown with a marker, never quoted as fact.

A word whose probability is below UNSURE_BELOW is marked in the live card and in the report
transcript. The threshold comes from `bench vocabulary` (docs/metrics.md, "Interview vocabulary").
"""

from __future__ import annotations

UNSURE_BELOW = 0.3
# The marker after an unsure word in plain text (the terminal card, Markdown); HTML draws a dotted underline.
UNSURE_MARK = "(?)"
UNSURE_LEGEND = "(?) = 聞き取りに自信のない語"


def is_unsure(probability: float | None, below: float = UNSURE_BELOW) -> bool:
    return probability is not None and probability < below


def unsure_spans(words, below: float = UNSURE_BELOW) -> list[tuple[int, int]]:
    """(start, end) character offsets, in the words' joined text, of the unsure words.

    `words`: transcriber.Word objects or their saved dicts ({"text", "probability"}).
    """
    spans, pos = [], 0
    for w in words:
        text = w["text"] if isinstance(w, dict) else w.text
        p = w.get("probability", 1.0) if isinstance(w, dict) else w.probability
        if text.strip("、。,. ") and is_unsure(p, below):
            spans.append((pos, pos + len(text)))
        pos += len(text)
    return spans


def marked_text(words, below: float = UNSURE_BELOW, mark: str = UNSURE_MARK) -> str:
    """The words' joined text with `mark` after each unsure word: 御社の社風(?)に惹かれて."""
    text = "".join(w["text"] if isinstance(w, dict) else w.text for w in words)
    out, pos = [], 0
    for s, e in unsure_spans(words, below):
        out += [text[pos:e], mark]
        pos = e
    out.append(text[pos:])
    return "".join(out)
