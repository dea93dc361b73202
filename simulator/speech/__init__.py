"""Speech models behind narrow interfaces: the transcriber (faster-whisper) and the interviewer's voice."""
