"""Session folders for report, history and review tests.

real_session(): the real interview loop on the bundled sample answers with the real model.
write_session(): a hand-written session folder in format version 1, for edge cases (exact
findings, long pauses, fillers, dates) that the bundled samples do not contain.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

SAMPLES = Path(__file__).resolve().parent.parent / "simulator" / "data" / "samples"


def real_session(root: Path, whisper, answers: list[Path] | None = None, name: str = "real"):
    from simulator.audio.sources import WavFileAnswers
    from simulator.interview.question_sets import load_question_set
    from simulator.interview.session import run_interview
    from simulator.speech.voice import build_voice
    from simulator.store.session_store import SessionWriter

    qset = load_question_set("core")
    answers = answers or sorted(SAMPLES.glob("*.wav"))
    # A data folder of its own: a session created outside the default folder is noted in the data
    # folder (for history), and this shared fixture must not appear in the calling test's history.
    home, os.environ["MENSETSU_HOME"] = os.environ.get("MENSETSU_HOME"), str(Path(root).parent / f"{Path(root).name}-home")
    try:
        writer = SessionWriter.create(root, name=name, set=qset.id, set_title=qset.title, model=whisper.name, voice="text", mode="headless")
    finally:
        if home is None:
            os.environ.pop("MENSETSU_HOME", None)
        else:
            os.environ["MENSETSU_HOME"] = home
    run_interview(qset, WavFileAnswers(answers), whisper, build_voice("none"), writer)
    return writer.folder


def turn(
    n: int,
    question_id: str,
    text: str,
    findings: list[tuple[str, str]] = (),
    kind: str = "question",
    answer_s: float = 40.0,
    words: list[tuple[str, float, float]] = (),
    fillers: list[tuple[str, float]] = (),
    pauses: list[tuple[float, float]] = (),
    morae_per_min: float | None = 340.0,
    probe_finding: tuple[str, str] | None = None,
    category: str = "experience",
    answer_audio: str | None = None,
    prompt_audio: str | None = None,
) -> dict:
    transcript = "".join(w for w, _, _ in words) or "回答です。"
    reason = {"why": "next question of the set"} if kind == "question" else {"why": f"answer showed {probe_finding[0]}", "finding": probe_finding[0], "evidence": probe_finding[1]}
    minutes = answer_s / 60.0
    return {
        "turn": n,
        "completed_at": "2026-01-01T10:00:00+09:00",
        "prompt": {"kind": kind, "question_id": question_id, "category": category, "text": text, "reason": reason, "audio": prompt_audio},
        "answer": {
            "audio": answer_audio,
            "source": None,
            "ended_by": "end_of_file",
            "transcript": {"text": transcript, "language": "ja", "words": [{"text": w, "start_s": a, "end_s": b, "probability": 0.9} for w, a, b in words]},
        },
        "analysis": {
            "file": None,
            "duration_s": answer_s + 1.0,
            "response_latency_s": 1.0,
            "answer_s": answer_s,
            "speaking_s": answer_s * 0.85,
            "pauses": [{"start_s": a, "end_s": b} for a, b in pauses],
            "transcript": transcript,
            "morae_per_min": morae_per_min,
            "morae_per_voiced_min": morae_per_min,
            "fillers": {"total": len(fillers), "per_min": round(len(fillers) / minutes, 2) if minutes else 0.0, "items": [{"form": f, "start_s": s} for f, s in fillers]},
            "findings": [{"id": i, "evidence": e} for i, e in findings],
        },
    }


def write_session(root: Path, name: str, started_at: str, turns: list[dict], status: str = "completed", audio: dict[str, np.ndarray] | None = None) -> Path:
    from simulator.audio.clip import AudioClip
    from simulator.audio.wavfile import write_wav

    folder = Path(root) / name
    (folder / "audio").mkdir(parents=True)
    meta = {
        "format": "mensetsu-session",
        "format_version": 1,
        "id": name,
        "program_version": "0.1.0",
        "started_at": started_at,
        "status": status,
        "set": "core",
        "set_title": "二次面接（基本）",
        "model": "test",
        "voice": "text",
        "mode": "headless",
        "turns": len(turns),
    }
    (folder / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    (folder / "turns.jsonl").write_text("".join(json.dumps(t, ensure_ascii=False) + "\n" for t in turns), encoding="utf-8")
    for rel, samples in (audio or {}).items():
        write_wav(folder / rel, AudioClip(samples.astype(np.float32), 16000))
    return folder


_SHARED: dict[str, Path] = {}


def shared_real_session(tmp_path_factory, whisper) -> Path:
    """One real session per test run, shared by the report, history and review tests (read-only:
    copy it before changing anything)."""
    if "real" not in _SHARED:
        _SHARED["real"] = real_session(tmp_path_factory.mktemp("real-sessions"), whisper)
    return _SHARED["real"]
