"""Japanese morphology (SudachiPy with its dictionary inside the pip package): one shared tokenizer."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Token:
    surface: str
    reading: str  # katakana
    pos: tuple[str, ...]
    begin: int  # character offsets in the analysed text
    end: int


@lru_cache(maxsize=1)
def _tokenizer():
    from sudachipy import dictionary

    d = dictionary.Dictionary(dict="core")
    # tokenizer() replaces create() in SudachiPy 0.7 (create() warns there); older releases lack it.
    return d.tokenizer() if hasattr(d, "tokenizer") else d.create()


def tokenize(text: str) -> list[Token]:
    if not text.strip():
        return []
    from sudachipy import SplitMode

    out = []
    for m in _tokenizer().tokenize(text, SplitMode.C):
        if m.begin() == m.end():
            continue  # Sudachi expands … into three dots: the extra tokens are empty
        out.append(Token(m.surface(), m.reading_form(), tuple(m.part_of_speech()), m.begin(), m.end()))
    return out
