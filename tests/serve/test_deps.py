"""Rate limiting and the verdict of a multi-page scan, without a server."""

from __future__ import annotations

from docfraud.serve.deps import RateLimiter
from docfraud.serve.schemas import overall_verdict


def test_a_key_gets_its_burst_then_its_rate() -> None:
    limiter = RateLimiter(per_minute=60)  # one a second, bursts of ten
    assert all(limiter.take("k", now=100.0) == 0.0 for _ in range(10))
    wait = limiter.take("k", now=100.0)
    assert 0.9 < wait <= 1.0
    assert limiter.take("k", now=101.0) == 0.0
    assert limiter.take("k", now=101.0) > 0


def test_keys_have_their_own_buckets() -> None:
    limiter = RateLimiter(per_minute=6)
    assert limiter.take("a", now=0.0) == 0.0
    assert limiter.take("a", now=0.0) > 0
    assert limiter.take("b", now=0.0) == 0.0


def test_a_bucket_never_fills_past_its_burst() -> None:
    limiter = RateLimiter(per_minute=60)
    limiter.take("k", now=0.0)
    granted = sum(limiter.take("k", now=10_000.0) == 0.0 for _ in range(50))
    assert granted == 10


def test_the_worst_page_decides_and_unreadable_only_when_all_are() -> None:
    pages = [
        {"verdict": "genuine", "fraud_score": 0.1},
        {"verdict": "forged", "fraud_score": 0.9},
        {"verdict": "unreadable", "fraud_score": 0.0},
    ]
    assert overall_verdict(pages) == ("forged", 0.9)
    assert overall_verdict(pages[:1] + pages[2:]) == ("genuine", 0.1)
    assert overall_verdict(pages[2:]) == ("unreadable", 0.0)
    assert overall_verdict([]) == (None, None)
