"""The benchmarks' shared harness: query set, timing, builds, the server, and the engines timed.

bench/ is on sys.path when its scripts run, so they import `speedlib.<module>`.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
