"""Benchmarks: a generated community at scale, page timings in-process and under load."""
