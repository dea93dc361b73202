"""Pre-rendering the interviewer's fixed texts into audio_prompts/ (Ogg/Opus, a manifest keyed by text+voice).

Synthesis (kokoro, ~0.5x real time on 2 cores) is slower than playback, so every fixed question,
probe phrasing and interviewer phrase is rendered ahead of time. The manifest maps
prompt_key(text, voice) -> file; a changed text has a new key, so it is re-rendered, and texts no
longer used are pruned. Rendering is incremental: what is already there and intact is kept.

    audio_prompts/manifest.json  {"format": "mensetsu-audio-prompts", "voice": ..., "prompts": {key: entry}}
    audio_prompts/<key>.ogg      mono Opus, 24 kHz, 32 kbit/s (~4 kB per second of speech)
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from simulator.audio.clip import AudioClip
from simulator.fsutil import atomic_write_bytes
from simulator.speech.voice import DEFAULT_KOKORO_VOICE, INTERVIEWER_PHRASES, prompt_key

MANIFEST_FORMAT = "mensetsu-audio-prompts"
OPUS_RATE_HZ = 24000
OPUS_BITRATE = 32000


def fixed_texts(set_paths: list[Path], on_skip=None) -> list[tuple[str, str]]:
    """(text, where it comes from) for every question, probe phrasing and interviewer phrase, deduplicated.

    With on_skip, a set that fails to load is left out and on_skip(path, error) told (the other
    sets are still planned); without it the QuestionSetError is raised (a set the user named).
    """
    from simulator.errors import QuestionSetError
    from simulator.interview.question_sets import load_question_set

    seen: dict[str, str] = {}

    def add(text: str, origin: str) -> None:
        # A phrasing with a {placeholder} quotes the candidate or names a company: it is only
        # known during the interview and is synthesized then (LiveAnswers.say_text).
        if "{" not in text:
            seen.setdefault(text.strip(), origin)

    for key, text in INTERVIEWER_PHRASES.items():
        add(text, f"phrase:{key}")
    for path in set_paths:
        try:
            qset = load_question_set(str(path))
        except QuestionSetError as exc:
            if on_skip is None:
                raise
            on_skip(path, exc)
            continue
        for q in qset.questions:
            add(q.text, f"{qset.id}:{q.id}")
            for finding, phrasings in q.probes.items():
                for p in phrasings:
                    add(p, f"{qset.id}:{q.id}:{finding}")
        # the shared phrasings (question_sets/_probes.toml) every question of a category can use
        tables = {"probes": qset.default_probes, "deeper": qset.default_deeper, **qset.default_extra}
        for label, table in tables.items():
            for key, phrasings in table.items():
                for p in phrasings:
                    add(p, f"shared:{label}:{key}")
    return list(seen.items())


def encode_opus(clip: AudioClip, path: Path) -> None:
    import io

    import av

    clip = clip.resampled(OPUS_RATE_HZ)
    buf = io.BytesIO()
    with av.open(buf, "w", format="ogg") as container:
        stream = container.add_stream("libopus", rate=OPUS_RATE_HZ)
        stream.bit_rate = OPUS_BITRATE
        stream.layout = "mono"
        frame = av.AudioFrame.from_ndarray(np.clip(clip.samples, -1, 1).reshape(1, -1).astype(np.float32), format="flt", layout="mono")
        frame.sample_rate = OPUS_RATE_HZ
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    atomic_write_bytes(path, buf.getvalue())


def load_manifest(folder: Path) -> dict:
    try:
        data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        if isinstance(data, dict) and isinstance(data.get("prompts"), dict):
            return data
    except (OSError, ValueError):
        pass
    return {"format": MANIFEST_FORMAT, "prompts": {}}


@dataclass
class RenderPlan:
    keep: list[str] = field(default_factory=list)  # keys already rendered and intact
    render: list[tuple[str, str, str]] = field(default_factory=list)  # (key, text, origin)
    prune: list[str] = field(default_factory=list)  # keys no longer used by any text


def plan(folder: Path, texts: list[tuple[str, str]], voice: str) -> RenderPlan:
    prompts = load_manifest(folder)["prompts"]
    result = RenderPlan()
    wanted = set()
    for text, origin in texts:
        key = prompt_key(text, voice)
        wanted.add(key)
        entry = prompts.get(key)
        if entry and (folder / entry.get("file", "")).is_file() and entry.get("text") == text:
            result.keep.append(key)
        else:
            result.render.append((key, text, origin))
    result.prune = sorted(k for k in prompts if k not in wanted)
    return result


def render_prompts(folder: Path, texts: list[tuple[str, str]], voice_name: str, voice, prune: bool = True, progress=None) -> RenderPlan:
    """Render what is missing or changed; the manifest is rewritten after each file (safe to interrupt)."""
    folder.mkdir(parents=True, exist_ok=True)
    p = plan(folder, texts, voice_name)
    manifest = load_manifest(folder)
    manifest.update({"format": MANIFEST_FORMAT, "voice": voice_name, "engine": getattr(voice, "name", "?"), "codec": "opus", "rate_hz": OPUS_RATE_HZ})
    prompts = manifest["prompts"]

    def save():
        ordered = dict(sorted(prompts.items(), key=lambda kv: kv[1].get("origin", "")))
        manifest["prompts"] = ordered
        atomic_write_bytes(folder / "manifest.json", (json.dumps(manifest, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))

    if prune:
        for key in p.prune:
            entry = prompts.pop(key)
            (folder / entry.get("file", f"{key}.ogg")).unlink(missing_ok=True)
    for n, (key, text, origin) in enumerate(p.render, 1):
        if progress:
            progress(n, len(p.render), text)
        clip = voice.render(text)
        if clip is None:
            raise RuntimeError(f"the voice {getattr(voice, 'name', '?')} produced no audio for {text!r}")
        encode_opus(clip, folder / f"{key}.ogg")
        prompts[key] = {"file": f"{key}.ogg", "text": text, "voice": voice_name, "origin": origin, "duration_s": round(clip.duration_s, 3)}
        save()
    save()
    return p
