"""Process pools for the CPU-heavy loops: generation, feature extraction, training data.

Workers are spawned, not forked. train.py runs every step in one process, and once OpenCV's
thread pool has run in the parent, a forked child that touches it (``cv2.setNumThreads`` is
enough) waits forever on a lock that a parent thread held at the fork: ``train.py --quick`` hung
that way when the portrait-substitution step generated its data after TamperNet had trained.
Spawning costs each worker one import of docfraud, about a second, small against its work.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any


def process_pool(
    workers: int, initializer: Callable[..., None] | None = None, initargs: tuple[Any, ...] = ()
) -> ProcessPoolExecutor:
    """A pool of ``workers`` spawned processes; ``initializer(*initargs)`` runs in each."""
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=initializer,
        initargs=initargs,
    )
