"""Developer tools: building sample answers and labelled audio from synthesized speech."""
