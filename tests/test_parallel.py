"""process_pool: workers must not inherit the parent's OpenCV thread pool (a forked child hangs)."""

from __future__ import annotations

import cv2
import numpy as np

from docfraud.parallel import process_pool


def _blur_single_threaded(size: int) -> int:
    cv2.setNumThreads(1)  # what every docfraud worker does first; hung after a fork
    return int(cv2.GaussianBlur(np.full((size, size), 7, np.uint8), (5, 5), 0).sum())


def test_workers_start_after_the_parent_used_opencv_threads() -> None:
    threads = cv2.getNumThreads()
    cv2.setNumThreads(2)
    try:
        for _ in range(5):  # the parent's thread pool runs, as TamperNet's training makes it
            cv2.GaussianBlur(np.ones((1500, 1500), np.float32), (15, 15), 0)
        pool = process_pool(2)
        try:
            sums = list(pool.map(_blur_single_threaded, [50, 60, 70, 80], timeout=60))
        finally:
            for worker in list(pool._processes.values()):  # a hung worker must not hang the suite
                worker.kill()
            pool.shutdown(wait=False, cancel_futures=True)
        assert sums == [7 * 50 * 50, 7 * 60 * 60, 7 * 70 * 70, 7 * 80 * 80]
    finally:
        cv2.setNumThreads(threads)
