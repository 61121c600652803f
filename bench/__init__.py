"""Benchmarks at the scales of product.md: ``python -m bench [--scale district|city] [--json FILE]``.

Timings are reported, never asserted; see docs/benchmark.md for a run and its machine.
"""
