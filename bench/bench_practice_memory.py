"""Peak memory of live practice, through PulseAudio virtual devices, against a baseline commit in the same run.

Runs `python -m simulator practice --max-questions 2` under `/usr/bin/time -v` twice: on this
checkout, and on a baseline commit checked out in a temporary git worktree (same venv, same
machine, same answers played into the virtual microphone). Prints both peaks and their ratio.
Target (issue 14): practice stays at or below 1.5 GB with the NLP model loaded.

Usage:
    python bench/bench_practice_memory.py [--baseline 8e5c9e0]
Needs: apt-get install pulseaudio pulseaudio-utils libasound2-plugins libportaudio2 time
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

ANSWERS = ("01_self_intro.wav", "03_achievement_specific.wav")
LISTENING = "考えがまとまったら"  # shown when the microphone is open
SAVED = "セッションを保存しました"


def peak_rss_mb(repo: Path, pulse, work: Path) -> float:
    import pexpect

    env = {**os.environ, **pulse.env, "PYTHONPATH": str(repo), "MENSETSU_HOME": str(work / "home"), "TERM": "xterm-256color"}
    child = pexpect.spawn("/usr/bin/time", ["-v", sys.executable, "-m", "simulator", "practice", "--out", str(work / "sessions"),
                                            "--max-questions", "2", "--end-silence", "1.5"],
                          env=env, cwd=str(repo), encoding="utf-8", timeout=300, dimensions=(50, 140))
    log = work / "pty.log"
    child.logfile_read = open(log, "w", encoding="utf-8")
    played = 0
    while child.expect([LISTENING, SAVED, pexpect.EOF]) == 0:
        if played < len(ANSWERS):
            player = pulse.play_into_mic(REPO / "simulator" / "data" / "samples" / ANSWERS[played])
            played += 1
            while player.poll() is None:  # keep reading the screen while the answer plays
                child.expect([pexpect.TIMEOUT, "振り返り"], timeout=0.3)
        else:
            time.sleep(1.0)
            child.send("\r")  # Enter ends the follow-ups and the reverse question at once
    child.expect(pexpect.EOF, timeout=120)
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", log.read_text(encoding="utf-8"))
    if m is None:
        raise SystemExit(f"no memory figure in {log}")
    return int(m.group(1)) / 1024


def main() -> int:
    from simulator.devtools import virtual_audio

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline", default="8e5c9e0", help="commit to compare with (default: before GiNZA)")
    args = ap.parse_args()
    missing = virtual_audio.available()
    if missing:
        raise SystemExit(f"virtual audio: {missing}")
    with tempfile.TemporaryDirectory(prefix="mensetsu-mem-") as tmp:
        tmp = Path(tmp)
        pulse = virtual_audio.VirtualAudio(tmp / "pulse")
        pulse.start()
        base = tmp / "baseline"
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "-f", "--detach", str(base), args.baseline],
                       check=True, capture_output=True)
        try:
            (tmp / "b").mkdir()
            (tmp / "c").mkdir()
            baseline_mb = peak_rss_mb(base, pulse, tmp / "b")
            current_mb = peak_rss_mb(REPO, pulse, tmp / "c")
        finally:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(base)], capture_output=True)
            pulse.stop()
    print(f"practice peak RSS: {current_mb:.0f} MB now, {baseline_mb:.0f} MB at {args.baseline} "
          f"({current_mb / baseline_mb:.2f}x); target <= 1536 MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
