"""Scoring scripts for the labelled sets in bench/: each module has main(args) -> exit code."""
