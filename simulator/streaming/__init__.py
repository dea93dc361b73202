"""Zero-wait turns: transcribe the answer while it is spoken (see docs/performance.md).

policy.py: where to cut pieces (pure); vad.py: streamed Silero VAD; transcriber.py: the
StreamingTranscriber and its workers; preload.py: load the model while the first prompt plays.
"""
