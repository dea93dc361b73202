"""An AudioClip delivered in blocks at wall-clock pace, the way a microphone delivers them.

For the latency benchmark and tests of the capture path without hardware: block i is handed
over when it would have finished arriving from a device ((i + 1) x block_s after the start).
The clock and the sleep are injectable, so tests run it on virtual time.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable, Iterator

import numpy as np

from simulator.audio.clip import TARGET_RATE_HZ, AudioClip


@dataclass
class RealtimeArraySource:
    clip: AudioClip
    block_s: float = 0.02
    realtime: bool = True  # False: hand blocks over as fast as they are asked for
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    started_at: float | None = field(default=None, init=False)
    delivered_at: float | None = field(default=None, init=False)  # when the latest block was handed over
    late_s: float = field(default=0.0, init=False)  # the worst lag behind the device's schedule

    def blocks(self) -> Iterator[np.ndarray]:
        clip = self.clip.resampled(TARGET_RATE_HZ)
        step = max(1, int(round(self.block_s * TARGET_RATE_HZ)))
        self.started_at = self.clock()
        for i, a in enumerate(range(0, len(clip.samples), step)):
            block = clip.samples[a : a + step]
            if self.realtime:
                due = self.started_at + (a + len(block)) / TARGET_RATE_HZ
                wait = due - self.clock()
                if wait > 0:
                    self.sleep(wait)
                else:
                    self.late_s = max(self.late_s, -wait)
            self.delivered_at = self.clock()
            yield block

    def __iter__(self) -> Iterator[np.ndarray]:
        return self.blocks()
