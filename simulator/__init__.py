"""mensetsu-sim: an offline voice mock-interview simulator for Japanese second-round interviews."""

__version__ = "0.1.0"
