"""Pure analysis of one answer: timing from audio (VAD), pace (morae), fillers, content findings."""
