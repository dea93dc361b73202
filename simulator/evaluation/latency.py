"""`bench latency`: how long the candidate waits after an answer, streaming vs whole-answer.

For each answer length, answers built from real Japanese speech (speech_bank.py) are played at
real-time pace through the capture path (RealtimeArraySource: blocks handed over as a microphone
would hand them over), followed by the end-of-turn silence after which the endpointer closes the
turn. Two loops are measured in the same run, on the same answers and the same loaded model:

- streaming: blocks go to a StreamingTranscriber as they arrive; at the end of the turn,
  finish() + analysis + probe choice + prompt audio;
- batch (the baseline, as the spine does it): blocks are only collected; at the end of the turn,
  analyze_answer() on the whole clip (VAD + transcription) + probe choice + prompt audio.

Latency = first sample of the next prompt handed to the speaker - end of the turn, which is the
issue's "end of speech to next prompt minus the fixed end-of-turn silence". The baseline does no
work while it listens, so its figure does not depend on the pace it is fed at; by default it is fed
as fast as it reads (--batch-realtime plays it at real-time pace too, doubling the run time).
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from simulator.audio.clip import AudioClip
from simulator.audio.endpoint import EndpointOptions
from simulator.audio.realtime import RealtimeArraySource


@dataclass
class LatencyOptions:
    lengths_s: tuple[float, ...] = (20.0, 60.0, 180.0)
    runs: int = 3
    end_silence_s: float = EndpointOptions.end_silence_s  # the live endpointer's fixed end-of-turn silence
    lead_s: float = 1.0  # silence before the answer starts (response latency)
    block_s: float = 0.02
    batch_realtime: bool = False
    startup_runs: int = 3
    model: str | None = None
    compute_type: str | None = None  # None: TranscribeOptions' default
    headline_length_s: float = 60.0


class FirstSampleSink:
    """A speaker that notes when it is handed its first sample."""

    def __init__(self):
        self.first_sample_at: float | None = None

    def play(self, clip: AudioClip | None, text: str = "") -> None:
        self.first_sample_at = time.perf_counter()


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    return float(np.percentile(np.asarray(values, dtype=float), q))


def peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def standin_prompt_library(qset, folder: Path) -> Path:
    """A prompt library holding every prompt of the set, rendered as a stand-in clip.

    Only the time to fetch pre-rendered audio matters here, not what it says; the real library
    (audio_prompts/) is used first wherever it has the prompt.
    """
    from simulator.audio.wavfile import write_wav
    from simulator.speech.voice import DEFAULT_KOKORO_VOICE, prompt_key

    folder.mkdir(parents=True, exist_ok=True)
    t = np.arange(int(24000 * 2.0)) / 24000
    tone = (0.1 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)
    write_wav(folder / "standin.wav", AudioClip(tone, 24000))
    texts = []
    for q in qset.questions:
        texts.append(q.text)
        for phrasings in q.probes.values():
            texts.extend(phrasings)
    prompts = {prompt_key(x, DEFAULT_KOKORO_VOICE): {"file": "standin.wav", "text": x} for x in texts}
    (folder / "manifest.json").write_text(json.dumps({"prompts": prompts}, ensure_ascii=False), encoding="utf-8")
    return folder


def build_prompt_voice(qset, tmp: Path):
    from simulator.paths import audio_prompts_dir
    from simulator.speech.voice import ChainVoice, PromptLibraryVoice

    return ChainVoice([PromptLibraryVoice(audio_prompts_dir()), PromptLibraryVoice(standin_prompt_library(qset, tmp / "prompts"))])


def _next_prompt_audio(qset, prompt0, analysis, voice, sink) -> str:
    """Probe choice and the next prompt's audio, handed to the sink: the same in both loops."""
    from simulator.interview.policy import Exchange, next_prompt

    history = [Exchange(prompt0, tuple((f.id, f.evidence) for f in analysis.findings))]
    nxt = next_prompt(qset, history)
    text = nxt.text if nxt else ""
    sink.play(voice.render(text) if nxt else None, text)
    return text


def streaming_turn(answer, transcriber, qset, prompt0, voice, opts: LatencyOptions) -> dict:
    from simulator.streaming.transcriber import StreamingTranscriber

    sink = FirstSampleSink()
    c0 = time.process_time()
    st = StreamingTranscriber(transcriber)
    source = RealtimeArraySource(answer.clip, opts.block_s)
    for block in source:
        st.push(block)
    turn_end = source.delivered_at
    analysis = st.finish_analysis(prompt0.category)
    nxt = _next_prompt_audio(qset, prompt0, analysis, voice, sink)
    latency = sink.first_sample_at - turn_end
    judge_cold_s = _judgement_without_warm_cache(analysis, prompt0.category)
    return {
        "latency_s": latency,
        "cpu_s": time.process_time() - c0,
        "capture_late_s": source.late_s,
        "transcript": analysis.transcript.text,
        "next_prompt": nxt,
        "judgement_cold_s": judge_cold_s,
        **st.stats.to_dict(),
    }


def _judgement_without_warm_cache(analysis, category) -> float:
    """The same judgement with nothing parsed ahead: what parsing only at the end of the turn would cost."""
    from simulator.analysis import language
    from simulator.analysis.content import judge

    language._parse_chunk.cache_clear()
    t0 = time.perf_counter()
    judge(analysis.transcript.text, category, analysis.timing.answer_s, analysis.timing.response_latency_s, analysis.fillers_per_min)
    return time.perf_counter() - t0


def batch_turn(answer, transcriber, qset, prompt0, voice, opts: LatencyOptions) -> dict:
    from simulator.analysis.answer import analyze_answer

    sink = FirstSampleSink()
    c0 = time.process_time()
    blocks = []
    source = RealtimeArraySource(answer.clip, opts.block_s, realtime=opts.batch_realtime)
    for block in source:
        blocks.append(block)
    turn_end = source.delivered_at
    clip = AudioClip(np.concatenate(blocks).astype(np.float32))
    analysis = analyze_answer(clip, transcriber, category=prompt0.category)
    nxt = _next_prompt_audio(qset, prompt0, analysis, voice, sink)
    return {
        "latency_s": sink.first_sample_at - turn_end,
        "cpu_s": time.process_time() - c0,
        "transcript": analysis.transcript.text,
        "next_prompt": nxt,
    }


def measure_startup(prompts_dir: Path, model: str | None, runs: int, compute_type: str | None = None) -> dict:
    """Command start -> first interviewer sound, in a fresh process each time (imports included)."""
    from simulator.paths import PROJECT_ROOT

    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    firsts, readies = [], []
    for _ in range(runs):
        cmd = [sys.executable, "-m", "simulator", "bench", "first-sound", "--prompts", str(prompts_dir)]
        if model:
            cmd += ["--model", model]
        if compute_type:
            cmd += ["--compute-type", compute_type]
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=PROJECT_ROOT)
        first = ready = None
        for line in proc.stdout:
            if line.startswith("FIRST_SOUND") and first is None:
                first = time.perf_counter() - t0
            elif line.startswith("MODEL_READY"):
                ready = time.perf_counter() - t0
        err = proc.stderr.read()
        proc.wait()
        if proc.returncode != 0 or first is None:
            raise RuntimeError(f"first-sound run failed: {err.strip()[-300:]}")
        firsts.append(first)
        readies.append(ready)
    return {"startup_s": statistics.median(firsts), "startup_runs_s": firsts, "model_ready_s": statistics.median(readies)}


def run_latency(opts: LatencyOptions, log=lambda s: None) -> dict:
    from simulator.evaluation.speech_bank import build_answer, load_bank
    from simulator.interview.policy import next_prompt
    from simulator.interview.question_sets import load_question_set
    from simulator.speech.transcriber import TranscribeOptions, WhisperTranscriber

    qset = load_question_set("core")
    prompt0 = next_prompt(qset, [])
    with tempfile.TemporaryDirectory(prefix="mensetsu-bench-") as tmp:
        voice = build_prompt_voice(qset, Path(tmp))
        log("startup: command -> first interviewer sound ...")
        startup = measure_startup(Path(tmp) / "prompts", opts.model, opts.startup_runs, opts.compute_type)
        bank = load_bank()
        transcriber = WhisperTranscriber(model=opts.model, options=TranscribeOptions.with_compute_type(opts.compute_type))
        t0 = time.perf_counter()
        transcriber.load()
        load_s = time.perf_counter() - t0
        from simulator.analysis import language

        language.load()  # practice loads it behind the first prompt (streaming/preload.py)
        by_length: dict[str, dict] = {}
        turns = []
        for li, length in enumerate(opts.lengths_s):
            s_turns, b_turns = [], []
            for r in range(opts.runs):
                answer = build_answer(bank, length, offset=li * 7 + r * 3, lead_s=opts.lead_s, end_silence_s=opts.end_silence_s)
                log(f"{length:.0f} s answer, run {r + 1}/{opts.runs}: streaming ({answer.clip.duration_s:.0f} s at real-time pace) ...")
                s = streaming_turn(answer, transcriber, qset, prompt0, voice, opts)
                log(f"  streaming {s['latency_s']:.3f} s ({s['pieces']} pieces, {s['pieces_left_at_finish']} left at the end); batch ...")
                b = batch_turn(answer, transcriber, qset, prompt0, voice, opts)
                log(f"  batch {b['latency_s']:.3f} s")
                s_turns.append(s)
                b_turns.append(b)
                turns.append({"length_s": length, "run": r, "speech_s": round(answer.speech_end_s - answer.speech_start_s, 2),
                              "streaming": _round(s), "batch": _round(b)})
            by_length[f"{length:g}"] = _summary(s_turns, b_turns, length)
        peak = peak_rss_mb()
    head_key = f"{opts.headline_length_s:g}" if f"{opts.headline_length_s:g}" in by_length else next(iter(by_length))
    head = by_length[head_key]
    return {
        "streaming_p50_s": head["streaming_p50_s"],
        "streaming_p95_s": head["streaming_p95_s"],
        "batch_p50_s": head["batch_p50_s"],
        "batch_p95_s": head["batch_p95_s"],
        "peak_rss_mb": round(peak, 1),
        "startup_s": round(startup["startup_s"], 3),
        "headline_length_s": float(head_key),
        "model_ready_s": round(startup["model_ready_s"], 3),
        "startup_runs_s": [round(x, 3) for x in startup["startup_runs_s"]],
        "model_load_s": round(load_s, 3),
        "end_silence_s": opts.end_silence_s,
        "runs": opts.runs,
        "batch_pace": "realtime" if opts.batch_realtime else "fast",
        "cpu_count": os.cpu_count(),
        "load_avg_1m": round(os.getloadavg()[0], 2),
        "by_length": by_length,
        "turns": turns,
    }


def _round(d: dict) -> dict:
    return {k: (round(v, 3) if isinstance(v, float) else v) for k, v in d.items()}


def _summary(s_turns: list[dict], b_turns: list[dict], length: float) -> dict:
    s_lat = [t["latency_s"] for t in s_turns]
    b_lat = [t["latency_s"] for t in b_turns]
    s50, b50 = _pct(s_lat, 50), _pct(b_lat, 50)
    return {
        "length_s": length,
        "streaming_p50_s": round(s50, 3),
        "streaming_p95_s": round(_pct(s_lat, 95), 3),
        "batch_p50_s": round(b50, 3),
        "batch_p95_s": round(_pct(b_lat, 95), 3),
        "speedup_p50": round(b50 / max(s50, 1e-3), 1),
        "streaming_cpu_s": round(statistics.mean(t["cpu_s"] for t in s_turns), 2),
        "batch_cpu_s": round(statistics.mean(t["cpu_s"] for t in b_turns), 2),
        "pieces_left_at_finish_max": max(t["pieces_left_at_finish"] for t in s_turns),
        "capture_late_max_s": round(max(t["capture_late_s"] for t in s_turns), 3),
        # The analysis after the last piece (fillers, morae, the judgement with sentences parsed
        # while the candidate spoke), against the judgement parsing the whole answer at the end.
        "analysis_p50_s": round(_pct([t["analysis_s"] for t in s_turns], 50), 3),
        "analysis_max_s": round(max(t["analysis_s"] for t in s_turns), 3),
        "judgement_cold_p50_s": round(_pct([t["judgement_cold_s"] for t in s_turns], 50), 3),
    }


def format_report(r: dict) -> str:
    lines = [
        f"Latency: end of turn -> first sample of the next prompt (= end of speech -> next prompt - {r['end_silence_s']} s end-of-turn silence)",
        f"{r['runs']} run(s) per length; baseline fed {r['batch_pace']}; {r['cpu_count']} CPUs, load average {r['load_avg_1m']} at the end",
        "",
        f"{'answer':>8} {'stream p50':>11} {'stream p95':>11} {'batch p50':>10} {'batch p95':>10} {'speedup':>8} {'CPU s str/bat':>14} {'left':>5}",
    ]
    for key, s in r["by_length"].items():
        lines.append(
            f"{key + ' s':>8} {s['streaming_p50_s']:>11.3f} {s['streaming_p95_s']:>11.3f} {s['batch_p50_s']:>10.3f} {s['batch_p95_s']:>10.3f}"
            f" {str(s['speedup_p50']) + 'x':>8} {str(s['streaming_cpu_s']) + '/' + str(s['batch_cpu_s']):>14} {s['pieces_left_at_finish_max']:>5}"
        )
    lines += ["", "analysis at the end of the turn (judgement parsed ahead) against the judgement parsing everything then:"]
    for key, s in r["by_length"].items():
        ratio = s["judgement_cold_p50_s"] / max(s["analysis_p50_s"], 1e-3)
        lines.append(f"{key + ' s':>8} analysis p50 {s['analysis_p50_s']:.3f} s (max {s['analysis_max_s']:.3f}) vs cold judgement {s['judgement_cold_p50_s']:.3f} s ({ratio:.1f}x)")
    lines += [
        "",
        f"peak memory (RSS, whole benchmark process): {r['peak_rss_mb']:.0f} MB",
        f"startup: command -> first interviewer sound {r['startup_s']:.3f} s (median of {len(r['startup_runs_s'])}; model ready at {r['model_ready_s']:.3f} s, loading in the background)",
        "'left': most pieces still untranscribed when the turn ended (the last piece included).",
    ]
    return "\n".join(lines)
