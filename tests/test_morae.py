"""Pace in morae: kana readings, numbers read as spoken, Latin letters by their Japanese names."""

from __future__ import annotations

import pytest

from simulator.analysis.morae import count_morae, morae_per_min, spell_numbers


@pytest.mark.parametrize("text, morae", [
    ("きょう", 2),  # small ょ joins the previous kana
    ("がっこう", 4),  # っ and う are morae of their own
    ("三十社", 5),  # サンジュウシャ
    ("30社", 5),  # the same when Whisper writes digits
    ("2021年", 10),  # ニセンニジュウイチネン, not ニレイニイチ
    ("えーと、", 3),
    ("", 0),
])
def test_count_morae(text, morae):
    assert count_morae(text) == morae


def test_numbers_are_spelled_for_reading():
    assert spell_numbers("売上1,200万円、3.5倍") == "売上千二百万円、三点五倍"
    assert spell_numbers("１０人") == "十人"


def test_latin_letters_count():
    assert count_morae("IT企業") == count_morae("アイティー企業")


def test_pace():
    assert morae_per_min(300, 60.0) == 300.0
    assert morae_per_min(10, 0.0) is None
