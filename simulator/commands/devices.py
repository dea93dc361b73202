"""`devices`: list microphones and speakers (for --input-device / --output-device)."""

from __future__ import annotations

from simulator.commands.common import print_json


def register(sub) -> None:
    p = sub.add_parser("devices", help="list audio input and output devices")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=run)


def list_devices() -> list[dict]:
    from simulator.audio.microphone import import_sounddevice

    from simulator.errors import DeviceError

    sd = import_sounddevice()
    try:
        default_in, default_out = (sd.default.device if sd.default.device is not None else (-1, -1))
        found = list(sd.query_devices())
    except getattr(sd, "PortAudioError", OSError) as exc:
        raise DeviceError(f"音声デバイスの一覧を PortAudio から取得できません（{exc}）。") from None
    out = []
    for d in found:
        out.append(
            {
                "index": d["index"],
                "name": d["name"],
                "inputs": d["max_input_channels"],
                "outputs": d["max_output_channels"],
                "default_rate_hz": int(d["default_samplerate"]),
                "default_input": d["index"] == default_in,
                "default_output": d["index"] == default_out,
            }
        )
    return out


NO_DEVICES = "音声デバイス（マイク・スピーカー）が1つも見つからないため、`mensetsu doctor` で確認してください。"


def run(args) -> int:
    from simulator.errors import DeviceError

    devices = list_devices()
    if args.json:
        print_json(devices)
    if not devices:
        raise DeviceError(NO_DEVICES)  # exit 7, as every audio device problem (README)
    if args.json:
        return 0
    for d in devices:
        kinds = "・".join(k for k, n in (("入力", d["inputs"]), ("出力", d["outputs"])) if n)
        marks = "".join(m for m, on in ((" [既定の入力]", d["default_input"]), (" [既定の出力]", d["default_output"])) if on)
        print(f"{d['index']:>3}  {d['name']}  ({kinds}, {d['default_rate_hz']} Hz){marks}")
    print("使うデバイスは --input-device / --output-device に番号か名前の一部で指定できます。")
    return 0
