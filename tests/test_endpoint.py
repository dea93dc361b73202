"""The end-of-turn state machine, on virtual audio time (a 3-minute answer runs in milliseconds)."""

from __future__ import annotations

import pytest

from simulator.audio.endpoint import ENDED, PAUSING, SPEAKING, WAITING, EndpointOptions, TurnEndpointer

BLOCK_S = 0.02


def play(ep: TurnEndpointer, script: list[tuple[bool, float]]) -> tuple[str | None, float]:
    """Feed (is_speech, seconds) spans in 20 ms blocks; returns (reason, audio time it ended at)."""
    for speech, seconds in script:
        for _ in range(int(round(seconds / BLOCK_S))):
            reason = ep.feed(speech, BLOCK_S)
            if reason:
                return reason, ep.elapsed_s
    return None, ep.elapsed_s


def test_ends_after_patient_silence_not_before():
    ep = TurnEndpointer()
    reason, t = play(ep, [(False, 1.0), (True, 5.0), (False, 2.4)])
    assert reason is None and ep.state == PAUSING  # 2.4 s of thinking is not the end
    reason, t = play(ep, [(False, 1.0)])
    assert reason == "silence"
    assert t == pytest.approx(1.0 + 5.0 + 2.5, abs=BLOCK_S)
    assert ep.speech_start_s == pytest.approx(1.0, abs=BLOCK_S)


def test_thinking_pause_then_more_speech_continues_the_answer():
    ep = TurnEndpointer()
    reason, _ = play(ep, [(True, 3.0), (False, 2.0), (True, 3.0)])
    assert reason is None and ep.state == SPEAKING
    assert ep.pauses_s == [pytest.approx(2.0, abs=BLOCK_S)]


def test_end_silence_adapts_to_the_speakers_own_long_pauses():
    ep = TurnEndpointer(EndpointOptions(end_silence_s=2.5, pause_factor=1.3, max_end_silence_s=4.0))
    play(ep, [(True, 2.0), (False, 2.4), (True, 2.0)])  # a deliberate speaker: 2.4 s pauses
    assert ep.end_silence_s == pytest.approx(2.4 * 1.3, abs=0.05)
    reason, _ = play(ep, [(False, 2.8)])
    assert reason is None  # would have ended at 2.5 s without adaptation
    reason, _ = play(ep, [(False, 0.5)])
    assert reason == "silence"


def test_adaptation_is_capped():
    ep = TurnEndpointer(EndpointOptions(end_silence_s=2.5, max_end_silence_s=3.0))
    play(ep, [(True, 1.0), (False, 2.45), (True, 1.0)])
    assert ep.end_silence_s == 3.0


def test_configurable_base_silence():
    ep = TurnEndpointer(EndpointOptions(end_silence_s=1.0))
    reason, t = play(ep, [(True, 2.0), (False, 5.0)])
    assert reason == "silence" and t == pytest.approx(3.0, abs=BLOCK_S)


def test_short_noise_neither_starts_nor_breaks_a_pause():
    ep = TurnEndpointer(EndpointOptions(no_answer_s=5.0))
    play(ep, [(True, 0.1), (False, 1.0)])  # a click before answering
    assert ep.state == WAITING and not ep.started
    ep = TurnEndpointer()
    reason, t = play(ep, [(True, 2.0), (False, 1.5), (True, 0.1), (False, 2.0)])
    assert reason == "silence"  # the click inside the pause did not restart the count
    assert t == pytest.approx(2.0 + 2.5, abs=2 * BLOCK_S)


def test_enter_ends_at_once_even_mid_speech():
    ep = TurnEndpointer()
    play(ep, [(True, 1.0)])
    assert ep.press_enter() == "enter"
    assert ep.state == ENDED and ep.feed(True, BLOCK_S) is None
    assert ep.press_enter() is None


def test_time_limit_after_three_minutes_of_answering():
    ep = TurnEndpointer()
    reason, t = play(ep, [(False, 2.0), (True, 200.0)])
    assert reason == "time_limit"
    assert t == pytest.approx(2.0 + 180.0, abs=BLOCK_S)


def test_time_limit_counts_pauses_too():
    ep = TurnEndpointer(EndpointOptions(max_answer_s=10.0))
    reason, t = play(ep, [(True, 2.0), (False, 2.0)] * 5)
    assert reason == "time_limit" and t == pytest.approx(10.0, abs=BLOCK_S)


def test_no_answer_after_a_long_silence():
    ep = TurnEndpointer(EndpointOptions(no_answer_s=8.0))
    reason, t = play(ep, [(False, 30.0)])
    assert reason == "no_answer" and t == pytest.approx(8.0, abs=BLOCK_S)


def test_late_start_is_not_no_answer():
    ep = TurnEndpointer(EndpointOptions(no_answer_s=8.0))
    reason, _ = play(ep, [(False, 7.0), (True, 3.0)])
    assert reason is None and ep.started
