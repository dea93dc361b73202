"""Is what the microphone hears the interviewer's own voice? (Barge-in on loudspeakers.)

While the interviewer speaks, the microphone listens for the candidate (live.py, barge-in). With
headphones it hears only the candidate. With loudspeakers it also hears the interviewer, played
back through the room: a delayed, scaled and somewhat filtered copy of the clip being played. A
block is the interviewer's own voice when it matches a stretch of that clip closely: the best
normalised correlation between the block and the clip, over the delays a sound card and a room
give (0-0.6 s), is high. The candidate's voice over it is not in the clip, so the match drops.
Pure numpy, per 50 ms block; no adaptive filter, no state beyond the clip.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.audio.clip import TARGET_RATE_HZ


@dataclass
class EchoCheck:
    reference: np.ndarray  # the clip being played, 16 kHz float32
    max_delay_s: float = 0.6  # output latency + lead silence + the room
    # A normalised correlation at least this high: the interviewer's voice. Over 0.4 s, a delayed copy
    # with a reflection matches at 0.88-1.0, one through a reverberant room (RT60 ~0.3 s) at
    # 0.36-0.82 (median 0.52), another voice at 0.00-0.73 (median 0.19, p90 0.35), measured.
    match_min: float = 0.4
    quiet_db: float = -55.0  # blocks quieter than this are nobody's voice
    # The match is made on the last this-many seconds heard, not on one 50 ms block: over so
    # short a stretch one voiced sound matches some stretch of any voice by chance.
    span_s: float = 0.4

    def __post_init__(self):
        self.reference = np.asarray(self.reference, np.float32).reshape(-1)
        self._heard = np.zeros(0, np.float64)

    def explains(self, block: np.ndarray, at_s: float) -> bool:
        """Does the clip played up to `at_s` (seconds since it started, at the block's start)
        account for what the microphone heard, this block included?"""
        b = np.asarray(block, np.float64).reshape(-1)
        span = int(self.span_s * TARGET_RATE_HZ)
        self._heard = np.concatenate([self._heard, b])[-span:]
        n = len(b)
        if n == 0 or 10 * np.log10(float(np.dot(b, b)) / n + 1e-12) < self.quiet_db:
            return True  # nothing to tell apart: not the candidate's voice either
        m = self._heard
        end = int(at_s * TARGET_RATE_HZ) + n
        start = max(0, end - len(m) - int(self.max_delay_s * TARGET_RATE_HZ))
        ref = self.reference[start:end].astype(np.float64)
        if len(ref) < len(m):
            return False  # the clip has not yet reached what was heard: it cannot be its echo
        return best_match(m, ref) >= self.match_min


def best_match(block: np.ndarray, window: np.ndarray) -> float:
    """max over lags of <block, window[lag:lag+n]> / (|block| |window[lag:lag+n]|), by FFT."""
    n, w = len(block), len(window)
    size = 1 << int(np.ceil(np.log2(n + w)))
    corr = np.fft.irfft(np.fft.rfft(window, size) * np.conj(np.fft.rfft(block, size)), size)[: w - n + 1]
    sq = np.concatenate([[0.0], np.cumsum(window * window)])
    norms = np.sqrt(np.maximum(sq[n:] - sq[:-n], 1e-12)) * np.sqrt(float(np.dot(block, block)) + 1e-12)
    return float(np.max(np.abs(corr) / norms))
