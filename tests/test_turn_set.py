"""The "bench turns" set (bench/turns/): labelled answers for benchmarking an end-of-turn detector.

Fast checks of labels.json against the WAVs; one slow check that Silero VAD agrees with the labels
(each hold is silence, speech starts and ends where the labels say).
"""

from __future__ import annotations

import json
import os
import wave
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

SET = Path(os.environ.get("TURN_SET_DIR") or Path(__file__).resolve().parent.parent / "bench" / "turns")
LABELS = SET / "labels.json"
KINDS = {"clause", "filler", "list", "topic", "after_sentence"}
MIN_ANSWERS, MIN_HOLDS, MIN_PER_KIND, MIN_HESITANT = 40, 80, 12, 6
TAIL_S = 4.0

pytestmark = pytest.mark.skipif(not LABELS.exists(), reason="bench/turns/labels.json missing (python -m simulator.devtools.make_turn_set)")


@pytest.fixture(scope="module")
def labels() -> dict:
    return json.loads(LABELS.read_text(encoding="utf-8"))


def _read(path: Path):
    from simulator.audio.clip import AudioClip

    with wave.open(str(path), "rb") as w:
        pcm = np.frombuffer(w.readframes(w.getnframes()), "<i2")
        return AudioClip(pcm.astype(np.float32) / 32768.0, w.getframerate())


def _num(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and np.isfinite(x)


def test_schema(labels):
    assert set(labels) == {"rate", "items"}
    assert labels["rate"] == 16000
    assert isinstance(labels["items"], dict) and labels["items"]
    for name, item in labels["items"].items():
        assert name.endswith(".wav") and "/" not in name, name
        assert _num(item["speech_start_s"]) and _num(item["answer_end_s"]), name
        assert 0 < item["speech_start_s"] < item["answer_end_s"], name
        assert isinstance(item["holds"], list), name
        for hold in item["holds"]:
            assert set(hold) == {"start_s", "end_s", "kind"}, (name, hold)
            assert _num(hold["start_s"]) and _num(hold["end_s"]), (name, hold)
            assert hold["kind"] in KINDS, (name, hold)
        assert isinstance(item.get("hesitant_start", False), bool), name


def test_every_file_exists_with_the_length_it_claims(labels):
    for name, item in labels["items"].items():
        path = SET / name
        assert path.is_file(), name
        with wave.open(str(path), "rb") as w:
            assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, 16000), name
            duration = w.getnframes() / w.getframerate()
        assert abs(duration - item["duration_s"]) < 0.002, (name, duration, item["duration_s"])
        # room after the answer for a detector to decide
        assert duration - item["answer_end_s"] >= TAIL_S - 0.01, (name, duration, item["answer_end_s"])
    on_disk = {p.name for p in SET.glob("*.wav")}
    assert on_disk == set(labels["items"]), on_disk ^ set(labels["items"])


def test_holds_lie_inside_the_answer_and_do_not_overlap(labels):
    for name, item in labels["items"].items():
        prev_end = item["speech_start_s"]
        for hold in item["holds"]:
            assert hold["start_s"] < hold["end_s"], (name, hold)
            assert hold["start_s"] >= prev_end, (name, hold, "overlaps the previous hold or starts before the speech")
            prev_end = hold["end_s"]
        assert prev_end <= item["answer_end_s"], (name, "a hold runs past the end of the answer")
        for hold in item["holds"]:  # a hold is a pause inside the answer: speech on both sides
            assert hold["start_s"] > item["speech_start_s"] and hold["end_s"] < item["answer_end_s"], (name, hold)


def test_hold_lengths(labels):
    for name, item in labels["items"].items():
        for hold in item["holds"]:
            d = hold["end_s"] - hold["start_s"]
            longest = 6.01 if item.get("hesitant_start") and hold["kind"] == "filler" else 3.01
            assert 0.79 <= d <= longest, (name, hold, d)


def test_counts_meet_the_minimums(labels):
    items = labels["items"]
    kinds = Counter(h["kind"] for it in items.values() for h in it["holds"])
    assert len(items) >= MIN_ANSWERS
    assert sum(kinds.values()) >= MIN_HOLDS
    for kind in KINDS:
        assert kinds[kind] >= MIN_PER_KIND, (kind, kinds)
    assert sum(1 for it in items.values() if it.get("hesitant_start")) >= MIN_HESITANT
    voices = {it.get("voice") for it in items.values()}
    assert len(voices) >= 3, voices


def test_answers_and_the_set_are_the_right_size(labels):
    total = 0.0
    for name, item in labels["items"].items():
        answer = item["answer_end_s"] - item["speech_start_s"]
        assert 5.0 <= answer <= 20.0, (name, answer)
        lead = item["speech_start_s"]
        assert (3.0 <= lead <= 6.1) if item.get("start") == "silent" else (0.45 <= lead <= 1.05), (name, lead)
        total += item["duration_s"]
    assert total <= 13 * 60, total


def test_every_answer_ends_complete(labels):
    for name, item in labels["items"].items():
        if "text" in item:
            assert item["text"].endswith(("す。", "た。", "ません。")), (name, item["text"][-12:])


def test_hesitant_starts_pause_long_before_the_real_answer(labels):
    for name, item in labels["items"].items():
        if not item.get("hesitant_start"):
            continue
        first = item["holds"][0] if item["holds"] else None
        filler_start = first is not None and first["kind"] == "filler" and first["end_s"] - first["start_s"] >= 3.0 \
            and first["start_s"] - item["speech_start_s"] < 1.5
        silent_start = item["speech_start_s"] >= 3.0
        assert filler_start or silent_start, name


@pytest.mark.slow
def test_silero_agrees_with_the_labels(labels):
    """Each hold is silence to Silero, and speech starts near speech_start_s and ends near
    answer_end_s, with none in the lead or the tail; and every pause Silero finds inside an answer
    that is long enough to matter (0.6 s) is a labelled hold.

    Silero's span of speech ends 0.03-0.1 s after the last voiced sample (its 30 ms pad and the
    hysteresis of its 32 ms frames), so speech may reach 0.12 s into a hold from its start side."""
    from simulator.analysis.timing import speech_spans

    problems = []
    for name, item in labels["items"].items():
        spans = speech_spans(_read(SET / name))
        if not spans:
            problems.append((name, "no speech"))
            continue
        if abs(spans[0][0] - item["speech_start_s"]) > 0.15:
            problems.append((name, "start", round(spans[0][0], 3), item["speech_start_s"]))
        if abs(spans[-1][1] - item["answer_end_s"]) > 0.2:
            problems.append((name, "end", round(spans[-1][1], 3), item["answer_end_s"]))
        for hold in item["holds"]:
            inner = (hold["start_s"] + 0.12, hold["end_s"] - 0.1)
            for a, b in spans:
                if a < inner[1] and b > inner[0]:
                    problems.append((name, "speech in hold", hold, (round(a, 3), round(b, 3))))
        for (_, gap_start), (gap_end, _) in zip(spans, spans[1:]):
            if gap_end - gap_start >= 0.6 and not any(
                h["start_s"] - 0.15 <= gap_start and gap_end <= h["end_s"] + 0.15 for h in item["holds"]
            ):
                problems.append((name, "unlabelled pause", (round(gap_start, 3), round(gap_end, 3))))
    assert not problems, problems
