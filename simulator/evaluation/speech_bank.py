"""Japanese speech clips with their reference text, and long answers built from them.

Sources, in order: the real recordings in shared/corpus/real (found next to the repository or a
parent folder, or at $MENSETSU_CORPUS), the real clips in tests/data, and the bundled sample
answers (synthesized with kokoro; they hold fillers). Each clip is trimmed to its speech (VAD) so
that an answer built from them ends exactly where its last word ends. Attribution stays in each
source's manifest.json; nothing here copies the audio anywhere.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from simulator.audio.clip import TARGET_RATE_HZ, AudioClip
from simulator.paths import PROJECT_ROOT, samples_dir

# Pauses put between clips, cycled: short breaths, ordinary pauses, a few thinking pauses.
DEFAULT_PAUSES_S = (0.5, 0.9, 0.4, 1.4, 0.7, 0.3, 1.0, 2.0, 0.6)


@dataclass(frozen=True)
class SpeechClip:
    name: str
    clip: AudioClip  # trimmed to its speech
    text: str  # reference transcript
    source: str  # "corpus" | "tests" | "samples" | "delivery"


def real_corpus_dir() -> Path | None:
    env = os.environ.get("MENSETSU_CORPUS")
    if env and (Path(env) / "manifest.json").is_file():
        return Path(env)
    for base in [PROJECT_ROOT, *PROJECT_ROOT.parents]:
        cand = base / "shared" / "corpus" / "real"
        if (cand / "manifest.json").is_file():
            return cand
    return None


def _manifest_items(folder: Path) -> list[dict]:
    try:
        return json.loads((folder / "manifest.json").read_text(encoding="utf-8")).get("items", [])
    except (OSError, ValueError):
        return []


def _trim(clip: AudioClip) -> AudioClip:
    from simulator.analysis.timing import speech_spans

    spans = speech_spans(clip)
    if not spans:
        return clip
    return clip.slice_s(spans[0][0], spans[-1][1])


def load_bank(sources: tuple[str, ...] = ("corpus", "tests", "samples"), max_clips: int | None = None) -> list[SpeechClip]:
    """Japanese clips with text. Clips shorter than 3 s of speech are left out (too little to cut)."""
    from simulator.audio.decode import load_audio

    found: list[tuple[str, Path, str]] = []
    seen: set[str] = set()
    folders = {
        "corpus": real_corpus_dir(),
        "tests": PROJECT_ROOT / "tests" / "data",
        "samples": samples_dir(),
    }
    for source in sources:
        folder = folders.get(source)
        if folder is None or not folder.is_dir():
            continue
        for item in _manifest_items(folder):
            if item.get("lang", "ja") != "ja" or item["file"] in seen:
                continue
            text = item.get("transcript") or item.get("text") or ""
            if text and (folder / item["file"]).is_file():
                seen.add(item["file"])
                found.append((source, folder / item["file"], text))
    bank = []
    for source, path, text in found:
        clip = _trim(load_audio(path))
        if clip.duration_s >= 3.0:
            bank.append(SpeechClip(path.name, clip, text, source))
        if max_clips and len(bank) >= max_clips:
            break
    return bank


@dataclass(frozen=True)
class BuiltAnswer:
    clip: AudioClip  # lead silence + speech + end silence
    text: str  # reference text of the speech
    speech_start_s: float
    speech_end_s: float
    parts: tuple[str, ...]


def build_answer(
    bank: list[SpeechClip],
    speech_s: float,
    offset: int = 0,
    lead_s: float = 1.0,
    end_silence_s: float = 0.0,
    pauses_s: tuple[float, ...] = DEFAULT_PAUSES_S,
) -> BuiltAnswer:
    """Clips from the bank, in turn from `offset`, with pauses between, until `speech_s` is reached."""
    if not bank:
        raise ValueError("no speech clips available")
    pieces = [np.zeros(int(lead_s * TARGET_RATE_HZ), np.float32)]
    texts, names = [], []
    total = 0.0
    i = 0
    while total < speech_s:
        sc = bank[(offset + i) % len(bank)]
        if i:
            pause = pauses_s[(offset + i) % len(pauses_s)]
            pieces.append(np.zeros(int(pause * TARGET_RATE_HZ), np.float32))
            total += pause
        pieces.append(sc.clip.resampled().samples)
        total += sc.clip.duration_s
        texts.append(sc.text)
        names.append(sc.name)
        i += 1
    speech_end = lead_s + total
    pieces.append(np.zeros(int(end_silence_s * TARGET_RATE_HZ), np.float32))
    clip = AudioClip(np.concatenate(pieces).astype(np.float32), TARGET_RATE_HZ)
    return BuiltAnswer(clip, "".join(texts), lead_s, speech_end, tuple(names))
