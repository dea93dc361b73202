"""Presenting results: terminal text now; HTML reports and history build on the same saved data."""
