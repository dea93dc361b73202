"""The interviewer's own voice heard back on loudspeakers, told apart from the candidate's (barge-in)."""

from __future__ import annotations

import numpy as np

from simulator.audio.decode import load_audio
from simulator.audio.echo import EchoCheck

from conftest import SAMPLES

RATE = 16000


def _loud_blocks(check: EchoCheck, mic: np.ndarray, n: int = 800) -> list[bool]:
    """explains() per block, for the blocks loud enough to be anyone's voice."""
    out = []
    for i in range(0, len(mic) - n, n):
        block = mic[i : i + n]
        explained = check.explains(block, i / RATE)
        if 10 * np.log10(np.mean(block.astype(np.float64) ** 2) + 1e-12) > -45:
            out.append(explained)
    return out


def _question() -> np.ndarray:
    return load_audio(SAMPLES / "05_motivation_specific.wav").samples


def test_a_delayed_copy_with_a_reflection_is_the_interviewer():
    q = _question()
    d, r = int(0.25 * RATE), int(0.03 * RATE)
    echo = np.zeros(len(q) + d + r, np.float32)
    echo[d : d + len(q)] += 0.3 * q
    echo[d + r : d + r + len(q)] += 0.12 * q
    assert all(_loud_blocks(EchoCheck(q), echo[: len(q)]))


def test_echo_through_a_reverberant_room_is_mostly_the_interviewer():
    q = _question()
    rng = np.random.default_rng(0)
    t = np.arange(int(0.3 * RATE))
    ir = rng.standard_normal(len(t)) * np.exp(-t / (0.05 * RATE))
    ir[0] = 3.0
    ir /= np.abs(ir).sum() / 2
    d = int(0.2 * RATE)
    room = np.zeros(len(q) + d + len(ir), np.float32)
    room[d : d + len(q) + len(ir) - 1] += 0.5 * np.convolve(q, ir).astype(np.float32)
    explained = _loud_blocks(EchoCheck(q), room[: len(q)])
    assert np.mean(explained) >= 0.85


def test_another_voice_is_not_the_interviewer():
    q = _question()
    candidate = load_audio(SAMPLES / "02_achievement_vague.wav").samples
    explained = _loud_blocks(EchoCheck(q), candidate[: len(q)])
    assert np.mean(explained) <= 0.15
    # and the candidate over the echo is not explained either
    d = int(0.25 * RATE)
    both = candidate[: len(q)].copy()
    both[d:] += 0.3 * q[: len(both) - d]
    assert np.mean(_loud_blocks(EchoCheck(q), both)) <= 0.3
