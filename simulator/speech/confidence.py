"""Words Whisper was unsure of: shown with a marker, never quoted as fact.

A word whose probability is below UNSURE_BELOW is marked in the live card and in the report
transcript, unless it is part of a term of the vocabulary the answer was heard with: faster-whisper
aligns words without the prompt, so a vocabulary word the prompt made Whisper write right comes out
with a low probability (at 0.4, two flagged words in three were right until they were spared).
The threshold comes from `bench vocabulary` (docs/metrics.md, "Interview vocabulary"): below 0.4,
55% of the words flagged are wrong (13% of all words are) and a third of the wrong words are
flagged; at 0.5 a flagged word is wrong only half the time.
"""

from __future__ import annotations

UNSURE_BELOW = 0.4
# The marker after an unsure word in plain text (the terminal card, Markdown); HTML draws a dotted underline.
UNSURE_MARK = "(?)"
UNSURE_LEGEND = "(?) = 聞き取りに自信のない語"


def is_unsure(probability: float | None, below: float = UNSURE_BELOW) -> bool:
    return probability is not None and probability < below


def spared_terms(hotwords: str | None) -> list[str]:
    """The terms of a vocabulary text (TranscribeOptions.hotwords, '、'-separated)."""
    return [t for t in (hotwords or "").split("、") if t]


def unsure_spans(words, below: float = UNSURE_BELOW, spare=()) -> list[tuple[int, int]]:
    """(start, end) character offsets, in the words' joined text, of the unsure words.

    `words`: transcriber.Word objects or their saved dicts ({"text", "probability"}). Words inside
    an occurrence of one of the `spare` terms (the vocabulary heard with) are never unsure.
    """
    texts = [w["text"] if isinstance(w, dict) else w.text for w in words]
    joined = "".join(texts)
    covered = bytearray(len(joined))
    for term in spare:
        at = joined.find(term) if term else -1
        while at != -1:
            covered[at : at + len(term)] = b"\x01" * len(term)
            at = joined.find(term, at + 1)
    spans, pos = [], 0
    for w, text in zip(words, texts):
        p = w.get("probability", 1.0) if isinstance(w, dict) else w.probability
        if text.strip("、。,. ") and is_unsure(p, below) and not any(covered[pos : pos + len(text)]):
            spans.append((pos, pos + len(text)))
        pos += len(text)
    return spans


def marked_text(words, below: float = UNSURE_BELOW, mark: str = UNSURE_MARK, spare=()) -> str:
    """The words' joined text with `mark` after each unsure word: 御社の社風(?)に惹かれて."""
    text = "".join(w["text"] if isinstance(w, dict) else w.text for w in words)
    out, pos = [], 0
    for s, e in unsure_spans(words, below, spare):
        out += [text[pos:e], mark]
        pos = e
    out.append(text[pos:])
    return "".join(out)
