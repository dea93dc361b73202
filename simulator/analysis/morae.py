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


_DIGITS = "〇一二三四五六七八九"
_NUMBER = re.compile(r"[0-9０-９][0-9０-９,，]*(?:[.．][0-9０-９]+)?")


def _kanji_int(n: int) -> str:
    """1234 -> 千二百三十四: the analyser reads kanji numerals as spoken (ニセンニジュウイチ), but
    reads Arabic digits one by one (2021 -> ニレイニイチ), which would inflate the pace."""
    if n == 0:
        return "零"
    out = ""
    for unit_value, unit in ((10**8, "億"), (10**4, "万"), (1, "")):
        chunk = n // unit_value % 10**4
        if not chunk:
            continue
        part = ""
        for value, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d = chunk // value % 10
            if d:
                part += ("" if d == 1 and name else _DIGITS[d]) + name
        out += part + unit
    return out


def spell_numbers(text: str) -> str:
    """Arabic numerals (with thousands commas and decimals) as kanji numerals, for reading."""
    import unicodedata

    def one(m: re.Match) -> str:
        raw = unicodedata.normalize("NFKC", m.group(0)).replace(",", "")
        whole, _, frac = raw.partition(".")
        if len(whole) > 12:
            return m.group(0)
        return _kanji_int(int(whole)) + ("点" + "".join(_DIGITS[int(d)] for d in frac) if frac else "")

    return _NUMBER.sub(one, text)


def count_morae(text: str) -> int:
    total = 0
    for tok in tokenize(spell_numbers(text)):
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
