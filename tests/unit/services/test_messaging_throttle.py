"""Per-channel throughput limits: the token bucket and the sender holding a channel."""

from __future__ import annotations

import pytest

from stockguard.services.messaging.throttle import TokenBucket


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_bucket_lets_a_burst_through_then_paces_at_the_rate() -> None:
    time = FakeTime()
    bucket = TokenBucket(rate=5.0, burst=3, clock=time.clock, sleep=time.sleep)
    waits = [bucket.acquire() for _ in range(13)]
    assert waits[:3] == [0.0, 0.0, 0.0]
    assert waits[3:] == pytest.approx([0.2] * 10)
    assert time.now == pytest.approx(2.0)  # 13 messages: 3 at once, then 10 at 5/s


def test_bucket_refills_while_idle_but_not_beyond_the_burst() -> None:
    time = FakeTime()
    bucket = TokenBucket(rate=2.0, burst=2, clock=time.clock, sleep=time.sleep)
    bucket.acquire()
    bucket.acquire()
    time.now += 100.0
    assert [bucket.acquire() for _ in range(3)] == pytest.approx([0.0, 0.0, 0.5])


def test_bucket_refuses_meaningless_limits() -> None:
    with pytest.raises(ValueError, match="rate > 0"):
        TokenBucket(rate=0)
