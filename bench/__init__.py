"""Benchmarks: each module prints one JSON object per line, a figure and its same-run baseline as a ratio."""
