"""How the voice ended before a pause: the final pitch movement and the last voiced stretch.

The issue asks for prosody as a third signal: a final fall in pitch and lengthening at the end of a
turn, against level or rising pitch when more is coming. This is the cheap measurement (numpy
autocorrelation pitch, 10 ms hops), pure, so a labelled set can be checked against it
(`python -m simulator.devtools.turn_prosody`). It is not used by the decision: on the kokoro sets
it does not tell a last sentence from a sentence that is not the last (docs/live.md, "Prosody").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

_HOP_S = 0.01
_WIN_S = 0.04
_F0_MIN_HZ, _F0_MAX_HZ = 70.0, 400.0
_VOICED = 0.5  # normalised autocorrelation at the pitch lag for a frame to count as voiced


@dataclass(frozen=True)
class Contour:
    slope_st: float  # pitch movement over the last `tail_s` of voiced frames (a line fit), semitones
    drop_st: float  # the last three voiced frames against the first three of that stretch
    last_voiced_s: float  # the last unbroken voiced run (final lengthening makes it longer)


def pitch_track(samples: np.ndarray, rate: int = 16000) -> np.ndarray:
    """F0 in Hz per 10 ms frame; NaN where the frame is unvoiced or silent."""
    x = np.asarray(samples, np.float64)
    hop, win = int(_HOP_S * rate), int(_WIN_S * rate)
    lo, hi = int(rate / _F0_MAX_HZ), int(rate / _F0_MIN_HZ)
    out = []
    for i in range(0, max(0, len(x) - win), hop):
        f = x[i : i + win] - x[i : i + win].mean()
        if np.sqrt((f * f).mean()) < 1e-3:
            out.append(np.nan)
            continue
        ac = np.correlate(f, f, "full")[win - 1 :]
        ac = ac / (ac[0] + 1e-12)
        lag = lo + int(np.argmax(ac[lo:hi]))
        out.append(rate / lag if ac[lag] > _VOICED else np.nan)
    return np.asarray(out)


def final_contour(samples: np.ndarray, rate: int = 16000, tail_s: float = 0.4) -> Contour | None:
    """The contour of the speech that ends `samples` (give it the last ~0.8 s before a pause);
    None when too little of it is voiced to say."""
    f0 = pitch_track(samples, rate)
    voiced = ~np.isnan(f0)
    if voiced.sum() < 5:
        return None
    idx = np.flatnonzero(voiced)
    last = idx[idx >= idx[-1] - int(round(tail_s / _HOP_S))]
    st = 12 * np.log2(f0[last] / np.median(f0[voiced]))
    slope = float(np.polyfit(last * _HOP_S, st, 1)[0] * tail_s) if len(last) > 3 else 0.0
    run = 0
    for v in voiced[::-1]:
        if v:
            run += 1
        elif run:
            break
    return Contour(slope, float(st[-3:].mean() - st[:3].mean()), run * _HOP_S)
