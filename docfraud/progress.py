"""A progress line on stderr for long runs (items/s, ETA, counts), without a dependency.

Redraws in place on a terminal and prints a plain line every ``every_s`` seconds otherwise, so
logs of batch jobs stay readable.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from typing import TextIO


class Progress:
    def __init__(
        self, total: int, label: str, stream: TextIO | None = None, every_s: float = 5.0
    ) -> None:
        self.total = total
        self.label = label
        self.stream = stream or sys.stderr
        self.every_s = every_s
        self.done = 0
        self.counts: Counter[str] = Counter()
        self._start = time.perf_counter()
        self._last = 0.0
        self._tty = self.stream.isatty()

    def update(self, n: int = 1, key: str | None = None) -> None:
        self.done += n
        if key is not None:
            self.counts[key] += n
        now = time.perf_counter()
        if self.done >= self.total or now - self._last >= (0.2 if self._tty else self.every_s):
            self._last = now
            self._draw(now)

    def close(self) -> None:
        self._draw(time.perf_counter())
        if self._tty:
            self.stream.write("\n")
        self.stream.flush()

    @property
    def rate(self) -> float:
        elapsed = time.perf_counter() - self._start
        return self.done / elapsed if elapsed > 0 else 0.0

    def _draw(self, now: float) -> None:
        elapsed = now - self._start
        rate = self.done / elapsed if elapsed > 0 else 0.0
        eta = (self.total - self.done) / rate if rate > 0 else float("nan")
        counts = " ".join(f"{k}={v}" for k, v in sorted(self.counts.items()))
        line = (
            f"{self.label}: {self.done}/{self.total} {rate:.1f}/s "
            f"elapsed {elapsed:.0f}s eta {eta:.0f}s {counts}".rstrip()
        )
        self.stream.write(("\r" + line + "\x1b[K") if self._tty else line + "\n")
        self.stream.flush()
