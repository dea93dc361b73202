"""One module per CLI subcommand: register(subparsers) adds it, run(args) does it."""
