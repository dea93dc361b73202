"""`bench turns`: when does the interviewer take the turn? The words-and-silence rule against the fixed silence.

Each labelled answer (bench/turns/: WAVs + labels.json, format in bench/turns/README.md) is fed
block by block, on audio time, through the live path's end of turn: the voice gate (Silero), the
TurnTaker (turntaking/turn.py) with the real recogniser hearing each pause's ending, and the
endpointer. The time a decode takes counts as audio time passing, so a slow decode delays the
decision as it would live. The fixed rule (today's 2.5 s silence, growing with the candidate's
pauses) runs on the same audio in the same run: the baseline.

- felt gap: from `answer_end_s` to the interviewer's first sound. With the words rule the first
  sound is the acknowledgement (「はい、ありがとうございます。」, pre-rendered), so it is the
  endpoint delay plus the time to fetch that clip (measured here); the fixed rule's first sound is
  the next prompt, after analysis, which is not added (in its favour: `bench latency` measures it).
- false cut-in: the turn was taken inside a hold (a pause where a listener knows more is coming);
  the run then goes on from the next speech, so every hold is tried.
- missed answer: a hesitant start (3-6 s before the real answer) taken for the whole answer.
- repaired: a false cut-in where the candidate's voice is back while the acknowledgement still
  plays: live, barge-in stops it there and the same answer goes on (audio/live.py), so the
  candidate hears 「はい、」 and keeps talking. Counted apart; still a cut-in. As live, the same
  turn then goes on (reopened: the speech so far, the sentences heard, the pace that pause
  taught); until session 8 a new turn began there, which read the rest as a hesitant start and
  held its end 7 s.

The streamed transcript the rule reads (a list announced and not finished) is, here, the whole
answer's transcript up to `context_lag_s` before now: in practice a piece's text arrives about
2-2.5 s after its words (cut at a pause, then transcribed), so 3 s is on the safe side.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from simulator.audio.endpoint import EndpointOptions
from simulator.errors import MensetsuError
from simulator.interview.policy import Prompt, PromptKind
from simulator.paths import PROJECT_ROOT
from simulator.turntaking.decision import TurnOptions, sentences_needed
from simulator.turntaking.turn import TurnTaker

DEFAULT_SET = PROJECT_ROOT / "bench" / "turns"
BLOCK_S = 0.05


@dataclass
class TurnsOptions:
    set_dir: Path = DEFAULT_SET
    context_lag_s: float = 3.0
    quick: bool = False  # the first 6 answers only (a smoke run)
    items: list[str] | None = None  # only these files


@dataclass
class ModeResult:
    gaps_s: list[float] = field(default_factory=list)
    holds: int = 0
    cut_ins: list[dict] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    by_kind: dict = field(default_factory=dict)

    def summary(self) -> dict:
        gaps = np.asarray(self.gaps_s, float)
        return {
            "answers": len(self.gaps_s),
            "felt_gap_p50_s": round(float(np.percentile(gaps, 50)), 3) if len(gaps) else None,
            "felt_gap_p95_s": round(float(np.percentile(gaps, 95)), 3) if len(gaps) else None,
            "holds": self.holds,
            "false_cut_ins": len(self.cut_ins),
            "false_cut_in_rate": round(len(self.cut_ins) / self.holds, 4) if self.holds else 0.0,
            "by_kind": {k: dict(v) for k, v in sorted(self.by_kind.items())},
            "false_cut_ins_repaired": sum(1 for c in self.cut_ins if c.get("repaired")),
            "missed_answers": len(self.missed),
            "missed": self.missed,
            "cut_in_at": self.cut_ins,
        }


def load_labels(set_dir: Path) -> dict:
    path = Path(set_dir) / "labels.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        items = data["items"]
    except FileNotFoundError:
        raise MensetsuError(f"ラベル付きの回答セット {path} が見つかりません。") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise MensetsuError(f"{path} を読めません（labels.json の形式が違います）。 ({exc})") from None
    if data.get("rate", 16000) != 16000:
        raise MensetsuError(f"{path}: rate は 16000 にしてください。")
    return items


def _words_before(words, now_s: float, lag_s: float) -> str:
    return "".join(w.text for w in words if w.end_s <= now_s - lag_s)


# The labelled sets' short category names -> the question sets' categories.
_CATEGORIES = {"self_intro": "self_introduction", "why_leaving": "reason_for_leaving", "why_us": "motivation",
               "success": "experience", "failure": "experience"}


def _question(category: str) -> Prompt:
    """The main question an item answers (its category decides how much of an answer it calls for)."""
    return Prompt(PromptKind.QUESTION, "", _CATEGORIES.get(category, category), "")


def run_item(clip, label: dict, recogniser, words, options: TurnOptions | None, opts: TurnsOptions, ack_s: float,
             ack_clip_s: float = 0.0) -> dict:
    """One answer through one rule: where the turn was taken, and which holds it cut into."""
    from simulator.audio.voice_gate import VoiceGate

    holds = sorted(label.get("holds", []), key=lambda h: h["start_s"])
    gate = VoiceGate()
    gate.begin()
    n = int(BLOCK_S * 16000)
    offset_s = 0.0  # audio time where the current TurnTaker started
    needed = sentences_needed(_question(label.get("category", "")))

    def new_turn(start_s: float):
        return TurnTaker(EndpointOptions(), options, recogniser,
                         context=lambda: _words_before(words, start_s + turn_clock(), opts.context_lag_s), sentences_needed=needed)

    turn = None

    def turn_clock() -> float:
        return turn.ep.elapsed_s if turn is not None else 0.0

    turn = new_turn(0.0)
    cut_ins, end_at = [], None
    samples = clip.samples
    for i in range(0, len(samples), n):
        block = samples[i : i + n]
        reason = turn.feed(block, gate.update(block))
        if reason is None:
            continue
        at = offset_s + turn.ep.elapsed_s
        if reason == "silence" and at < label["answer_end_s"] - 0.05:
            hold = next((h for h in holds if h["start_s"] - 0.2 <= at <= h["end_s"] + 0.2), None)
            back_s = (hold["end_s"] - at) if hold else None  # the candidate's voice is back after this long
            repaired = back_s is not None and back_s <= ack_clip_s
            cut_ins.append({"at_s": round(at, 2), "kind": hold["kind"] if hold else "other",
                            "heard": turn.heard[-1].text if turn.heard else "", "repaired": repaired})
            if repaired and ack_clip_s > 0:
                turn.reopen()  # live, barge-in stops the acknowledgement and the same answer goes on (audio/live.py)
            else:
                offset_s = (i + len(block)) / 16000
                turn = new_turn(offset_s)  # the interviewer went on: the next speech starts a new turn
            continue
        end_at = at
        break
    if end_at is None:
        end_at = offset_s + turn.ep.elapsed_s
    last = turn.heard[-1] if turn.heard else None
    return {"end_at_s": end_at, "gap_s": end_at - label["answer_end_s"] + ack_s, "cut_ins": cut_ins,
            "last_heard": last.to_dict() if last is not None else None}


def run_turns(opts: TurnsOptions = TurnsOptions(), log=lambda s: None) -> dict:
    from simulator.audio.decode import load_audio
    from simulator.speech.transcriber import WhisperTranscriber
    from simulator.speech.voice import INTERVIEWER_PHRASES, build_live_voices

    items = load_labels(opts.set_dir)
    names = sorted(items)
    if opts.items:
        names = [n for n in names if n in set(opts.items)]
    if opts.quick:
        names = names[:6]
    recogniser = WhisperTranscriber()
    recogniser.load()
    _, voice = build_live_voices()
    t0 = time.perf_counter()
    ack = voice.render(INTERVIEWER_PHRASES["ack_thanks"])  # the acknowledgement comes from the prompt library
    ack_s = time.perf_counter() - t0
    ack_clip_s = ack.duration_s if ack is not None else 0.0
    modes = {"words": (TurnOptions(), ModeResult()), "baseline": (None, ModeResult())}
    rows = []
    for name in names:
        label = items[name]
        clip = load_audio(Path(opts.set_dir) / name)
        words = recogniser.transcribe(clip).words
        row = {"file": name}
        for mode, (turn_options, result) in modes.items():
            words_mode = mode == "words"
            out = run_item(clip, label, recogniser, words, turn_options, opts, ack_s if words_mode else 0.0,
                           ack_clip_s if words_mode else 0.0)
            holds = label.get("holds", [])
            result.holds += len(holds)
            for h in holds:
                result.by_kind.setdefault(h["kind"], {"holds": 0, "false_cut_ins": 0})["holds"] += 1
            for c in out["cut_ins"]:
                c["file"] = name
                result.cut_ins.append(c)
                if c["kind"] in result.by_kind:
                    result.by_kind[c["kind"]]["false_cut_ins"] += 1
            if label.get("hesitant_start") and out["cut_ins"] and out["cut_ins"][0]["at_s"] < label["holds"][0]["end_s"] + 0.2:
                result.missed.append(name)
            result.gaps_s.append(out["gap_s"])
            row[mode] = {"gap_s": round(out["gap_s"], 3), "cut_ins": len(out["cut_ins"])}
            if mode == "words":
                row["last_heard"] = out["last_heard"]
        log(f"{name}: words {row['words']} baseline {row['baseline']}")
        rows.append(row)
    words, baseline = modes["words"][1].summary(), modes["baseline"][1].summary()
    return {**words, "baseline": baseline, "acknowledgement_fetch_s": round(ack_s, 4),
            "ratio_p50": round(words["felt_gap_p50_s"] / baseline["felt_gap_p50_s"], 3) if names else None,
            "set": str(opts.set_dir), "rows": rows}


def format_report(r: dict) -> str:
    b = r["baseline"]

    def line(name, x):
        return (f"{name:<9} felt gap p50 {x['felt_gap_p50_s']:.2f} s  p95 {x['felt_gap_p95_s']:.2f} s   "
                f"false cut-ins {x['false_cut_ins']}/{x['holds']} ({100 * x['false_cut_in_rate']:.1f} %, "
                f"{x['false_cut_ins_repaired']} repaired by barge-in)   "
                f"missed answers {x['missed_answers']}")

    out = [f"bench turns: {r['answers']} answers, {r['holds']} holds ({r['set']})", line("words", r), line("baseline", b),
           f"felt gap p50: {r['ratio_p50']:.2f}x the baseline's", "", "false cut-ins by kind (words / baseline):"]
    for kind, v in r["by_kind"].items():
        bv = b["by_kind"].get(kind, {"false_cut_ins": 0})
        out.append(f"  {kind:<15} {v['false_cut_ins']}/{v['holds']}  /  {bv['false_cut_ins']}/{v['holds']}")
    for c in r["cut_in_at"]:
        repaired = "; repaired: the voice is back during the acknowledgement" if c.get("repaired") else ""
        out.append(f"  cut in: {c['file']} at {c['at_s']} s ({c['kind']}; heard 「{c['heard']}」{repaired})")
    return "\n".join(out)
