"""Timing from the audio: windows Whisper hears, pause lists, and the measured truth on real audio."""

from __future__ import annotations

import json

import numpy as np
import pytest

from simulator.analysis.timing import TimingOptions, measure_timing
from simulator.audio.clip import AudioClip
from simulator.evaluation.delivery import BENCH, match_pauses
from simulator.speech.transcriber import plan_windows, to_clip_time


def test_measure_timing_from_given_spans():
    clip = AudioClip(np.zeros(16000 * 10, np.float32))
    t = measure_timing(clip, TimingOptions(), spans=[(1.5, 3.0), (3.1, 5.0), (6.2, 8.0)])
    assert t.response_latency_s == 1.5
    assert t.answer_s == pytest.approx(6.5)
    assert t.speaking_s == pytest.approx(1.5 + 1.9 + 1.8)
    assert [(p.start_s, p.end_s) for p in t.pauses] == [(5.0, 6.2)]  # 0.1 s is below pause_min_s
    assert [(p.start_s, p.end_s) for p in t.long_pauses(TimingOptions())] == [(5.0, 6.2)]


def test_no_speech_means_no_latency_and_no_answer():
    t = measure_timing(AudioClip(np.zeros(16000, np.float32)))
    assert (t.response_latency_s, t.answer_s, t.pauses, t.has_speech) == (None, 0.0, (), False)


def test_windows_hold_only_padded_speech_and_map_back():
    w = plan_windows([(1.0, 3.0), (5.0, 20.0), (22.0, 40.0), (41.0, 42.0)], 45.0, pad_s=0.2, gap_s=0.3, window_max_s=28.0)
    assert [[(p.start_s, p.end_s) for p in win] for win in w] == [[(0.8, 3.2), (4.8, 20.2)], [(21.8, 40.2), (40.8, 42.2)]]
    first = w[0]
    assert to_clip_time(first, 1.0) == pytest.approx(1.8)
    assert to_clip_time(first, 2.7 + 1.0) == pytest.approx(5.8)  # second piece starts at 2.7 in the window
    assert sum(p.end_s - p.start_s for win in w for p in win) < 45.0


def test_a_monologue_longer_than_a_window_is_cut():
    w = plan_windows([(0.0, 70.0)], 70.0, pad_s=0.0, gap_s=0.3, window_max_s=28.0)
    assert [len(win) for win in w] == [1, 1, 1]
    assert [win[0].end_s - win[0].start_s for win in w] == pytest.approx([28.0, 28.0, 14.0])


def test_long_pause_matching():
    truth = [(1.0, 2.5), (3.0, 3.4), (5.0, 7.0)]
    pred = [(1.05, 2.45), (5.1, 6.9), (8.0, 9.2)]
    r = match_pauses(truth, pred)
    assert (r.tp, r.fp, r.fn) == (2, 1, 0)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["ans01.ogg", "ans15.ogg", "ans33.ogg"])
def test_timing_matches_the_exact_truth_of_synthesized_answers(name):
    from simulator.audio.decode import load_audio

    truth = {t["file"]: t for t in json.loads((BENCH / "audio_truth.json").read_text(encoding="utf-8"))["items"]}[name]
    t = measure_timing(load_audio(BENCH / "audio" / name))
    assert abs(t.response_latency_s - truth["response_latency_s"]) <= 0.3
    assert abs(t.answer_s - truth["answer_s"]) <= 0.3
    r = match_pauses([(p["start_s"], p["end_s"]) for p in truth["pauses"]], [(p.start_s, p.end_s) for p in t.pauses])
    assert r.fp == 0 and r.fn == 0
