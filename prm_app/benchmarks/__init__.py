"""Benchmarks that print figures: the engine's (``python -m prm_app.benchmarks.engine``, plain
Python) and the bench commands' (``prm-benchmark-conflict-check``, ``prm-benchmark-submit``).
The synthetic data of all of them comes from ``prm_app.benchmarks.generator``."""
