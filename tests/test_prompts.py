"""Pre-rendered prompts: incremental rendering, change detection, pruning, real Opus files that decode."""

from __future__ import annotations

import json

import numpy as np
import pytest

from simulator.audio.clip import AudioClip
from simulator.audio.decode import load_audio
from simulator.paths import PROJECT_ROOT
from simulator.speech.prompt_render import fixed_texts, plan, render_prompts
from simulator.speech.voice import INTERVIEWER_PHRASES, PromptLibraryVoice, build_live_voices, prompt_key, split_sentences

SET_TOML = """
id = "mini"
title = "ミニ"
[[questions]]
id = "q1"
category = "experience"
text = "{q1}"
[questions.probes]
abstract = ["具体的には？", "どのように？", "「{{quote}}」とは、具体的には？"]
"""


class SineVoice:
    name = "sine"

    def __init__(self):
        self.calls: list[str] = []

    def render(self, text: str) -> AudioClip:
        self.calls.append(text)
        t = np.arange(int(24000 * 0.5)) / 24000
        return AudioClip((0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32), 24000)


def write_set(tmp_path, q1: str):
    path = tmp_path / "mini.toml"
    path.write_text(SET_TOML.format(q1=q1), encoding="utf-8")
    return path


def test_render_is_incremental_detects_changes_and_prunes(tmp_path):
    folder = tmp_path / "prompts"
    set_path = write_set(tmp_path, "最初の質問です。")
    voice = SineVoice()
    texts = fixed_texts([set_path])
    plain = [t for t, _ in texts]
    assert "最初の質問です。" in plain and "具体的には？" in plain and "どのように？" in plain
    assert all(p in plain for p in INTERVIEWER_PHRASES.values())
    assert not any("{" in t for t in plain)  # quoting the candidate is synthesized live, never pre-rendered
    render_prompts(folder, texts, "jm_kumo", voice)
    assert len(voice.calls) == len(texts)

    # nothing changed: nothing rendered
    voice.calls.clear()
    again = render_prompts(folder, texts, "jm_kumo", voice)
    assert voice.calls == [] and len(again.keep) == len(texts)

    # a changed question is re-rendered, the old file removed
    old_key = prompt_key("最初の質問です。", "jm_kumo")
    texts2 = fixed_texts([write_set(tmp_path, "変更した質問です。")])
    result = render_prompts(folder, texts2, "jm_kumo", voice)
    assert voice.calls == ["変更した質問です。"] and result.prune == [old_key]
    assert not (folder / f"{old_key}.ogg").exists()

    # a different voice is a different key
    assert len(plan(folder, texts2, "jf_alpha").render) == len(texts2)

    # the library voice plays the rendered Opus file: real decoding, right length
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["codec"] == "opus"
    library = PromptLibraryVoice(folder, voice="jm_kumo")
    clip = library.render("変更した質問です。")
    assert clip is not None and clip.duration_s == pytest.approx(0.5, abs=0.03)
    assert np.abs(clip.samples).max() == pytest.approx(0.3, abs=0.05)
    assert library.render("未知の文です。") is None


def test_damaged_file_is_re_rendered(tmp_path):
    folder = tmp_path / "prompts"
    texts = fixed_texts([write_set(tmp_path, "質問です。")])
    render_prompts(folder, texts, "jm_kumo", SineVoice())
    key = prompt_key("質問です。", "jm_kumo")
    (folder / f"{key}.ogg").unlink()
    assert [k for k, _, _ in plan(folder, texts, "jm_kumo").render] == [key]


def test_committed_prompts_cover_the_committed_sets():
    """audio_prompts/ matches question_sets/ (run `python -m simulator prompts render` after editing a set)."""
    from simulator.interview.question_sets import available_sets
    from simulator.paths import question_sets_dir

    folder = PROJECT_ROOT / "audio_prompts"
    p = plan(folder, fixed_texts(available_sets(question_sets_dir())), "jm_kumo")
    missing = [text for _, text, _ in p.render]
    assert not missing, f"not pre-rendered: {missing[:3]}"
    some = load_audio(folder / (p.keep[0] + ".ogg"), 24000)
    assert some.duration_s > 0.5


def test_live_voices_text_only_and_library_first(tmp_path):
    loop_voice, speech = build_live_voices(text_only=True)
    assert loop_voice.render("質問です。") is None and speech is None
    loop_voice, speech = build_live_voices(prompts_dir=tmp_path)
    assert isinstance(loop_voice, PromptLibraryVoice)


def test_split_sentences():
    assert split_sentences("はい。それで？ 最後です") == ["はい。", "それで？", "最後です"]
    assert split_sentences("") == []
