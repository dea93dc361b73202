"""Audio in and out: clips, decoding any common format to 16 kHz mono, WAV writing, sources and sinks."""

from simulator.audio.clip import TARGET_RATE_HZ, AudioClip

__all__ = ["AudioClip", "TARGET_RATE_HZ"]
