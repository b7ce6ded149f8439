"""The sign-in throttle with a fake clock: blocks after the limit, forgets after the window."""

from __future__ import annotations

from stockguard.entrypoints.web.auth import LoginThrottle, SignInGuard


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_key_is_blocked_after_the_limit_until_its_oldest_failure_leaves_the_window() -> None:
    clock = FakeClock()
    throttle = LoginThrottle(limit=3, window=60.0, clock=clock)
    for _ in range(3):
        assert throttle.retry_after("a@example.com") == 0
        throttle.failed("a@example.com")
        clock.now += 10
    assert throttle.retry_after("a@example.com") == 30.0
    assert throttle.retry_after("b@example.com") == 0
    clock.now += 30
    assert throttle.retry_after("a@example.com") == 0


def test_success_clears_the_address_but_not_the_client() -> None:
    clock = FakeClock()
    guard = SignInGuard(LoginThrottle(limit=2, clock=clock), LoginThrottle(limit=3, clock=clock))
    guard.failed("a@example.com", "10.0.0.1")
    guard.failed("a@example.com", "10.0.0.1")
    assert guard.retry_after("a@example.com", "10.0.0.2") > 0
    guard.succeeded("a@example.com")
    assert guard.retry_after("a@example.com", "10.0.0.1") == 0
    guard.failed("b@example.com", "10.0.0.1")
    assert guard.retry_after("c@example.com", "10.0.0.1") > 0


def test_memory_stays_bounded_by_forgetting_the_oldest_addresses() -> None:
    # One failure blocks (limit=1), so an address still remembered is blocked and one
    # forgotten is not: only the 10 newest of 100 addresses may stay blocked.
    throttle = LoginThrottle(limit=1, max_keys=10, clock=FakeClock())
    for n in range(100):
        throttle.failed(f"user{n}@example.com")
    blocked = [n for n in range(100) if throttle.retry_after(f"user{n}@example.com") > 0]
    assert blocked == list(range(90, 100))
