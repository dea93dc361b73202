"""pyttsx3 system voices, used only where a Japanese system voice exists (macOS, Windows).

On Linux pyttsx3 drives espeak-ng, which reads kanji as "Chinese letter": never used there.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass

from simulator.audio.clip import AudioClip


@dataclass
class SystemVoice:
    name: str = "system"

    def render(self, text: str) -> AudioClip | None:
        import pyttsx3

        engine = pyttsx3.init()
        japanese = [v for v in engine.getProperty("voices") if "ja" in str(getattr(v, "languages", "")).lower() or "japan" in v.name.lower()]
        if not japanese:
            return None
        engine.setProperty("voice", japanese[0].id)
        fd, path = tempfile.mkstemp(suffix=".wav")
        os.close(fd)
        try:
            engine.save_to_file(text, path)
            engine.runAndWait()
            from simulator.audio.decode import load_audio

            return load_audio(path, rate_hz=22050)
        finally:
            os.unlink(path)
