"""Speaking rate in morae: counted from kana readings, because kanji density varies between transcripts."""

from __future__ import annotations

import re

from simulator.analysis.japanese import tokenize

# Small kana that join the previous kana into one mora (キャ, ファ); ッ and ー are morae of their own.
_SMALL = set("ャュョァィゥェォヮゃゅょぁぃぅぇぉゎ")
_KANA = re.compile(r"[\u30A0-\u30FF\u3040-\u309F]")
# Rough mora counts for Latin letters read in Japanese (エー, ビー, ...): 2 on average.
_LATIN_MORAE_PER_LETTER = 2
_DIGIT_MORAE = 2  # いち, に(ー), さん, ... about two morae a digit


def kana_morae(kana: str) -> int:
    return sum(1 for ch in kana if _KANA.match(ch) and ch not in _SMALL)


def count_morae(text: str) -> int:
    total = 0
    for tok in tokenize(text):
        if any(ch in "、。，．,.!?！？「」『』（）()・…\u3000 " for ch in tok.surface) and not tok.reading.strip("、。，．,.!?！？「」『』（）()・… "):
            continue
        reading = tok.reading
        if kana_morae(reading) == 0:
            # Unknown words keep their surface as reading: estimate digits and Latin letters.
            digits = sum(ch.isdigit() for ch in tok.surface)
            latin = sum(ch.isascii() and ch.isalpha() for ch in tok.surface)
            total += digits * _DIGIT_MORAE + latin * _LATIN_MORAE_PER_LETTER + kana_morae(tok.surface)
        else:
            total += kana_morae(reading)
    return total


def morae_per_min(morae: int, seconds: float) -> float | None:
    return round(morae * 60.0 / seconds, 1) if seconds > 0 else None
