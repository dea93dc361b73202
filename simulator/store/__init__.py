"""Saved sessions: one folder per session, append-only turns, audio per turn, loading for replay."""
