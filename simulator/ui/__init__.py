"""Terminal UI of live practice: the screen (rich) and the keys."""
