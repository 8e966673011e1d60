"""The rate limiter on an injected clock: bursts, windows, Retry-After, buckets per
method and per key, and one platform limited while another flows."""

from __future__ import annotations

import pytest

from bot.ratelimit import MARGIN, Limit, RateLimiter, Use


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def clock() -> Clock:
    return Clock()


OPEN = Limit("conversations.open", 50, 60.0)
POST = Limit("chat.postMessage", 1, 1.0)


def spend(limiter: RateLimiter, uses: list[Use], clock: Clock) -> float:
    """Take as soon as allowed; returns when."""
    clock.t = max(clock.t, limiter.ready_at(uses))
    limiter.take(uses)
    return clock.t


def test_a_full_burst_goes_at_once_then_the_window_binds(clock: Clock) -> None:
    limiter = RateLimiter([OPEN], clock)
    use = [Use("conversations.open", "T1")]
    times = [spend(limiter, use, clock) for _ in range(120)]
    assert times[:50] == [1000.0] * 50
    assert times[50] == pytest.approx(1060.0 + MARGIN)
    # Never more than 50 in any 60 s window: the platform's own count.
    for i in range(len(times) - 50):
        assert times[i + 50] - times[i] >= 60.0
    assert times[119] == pytest.approx(1000 + 2 * (60 + MARGIN))


def test_tokens_come_back_one_window_after_each_was_spent(clock: Clock) -> None:
    limiter = RateLimiter([Limit("m", 3, 10.0)], clock)
    use = [Use("m")]
    for dt in (0.0, 2.0, 4.0):
        clock.t = 1000 + dt
        limiter.take(use)
    clock.t = 1005
    assert limiter.ready_at(use) == pytest.approx(1010 + MARGIN)
    clock.t = 1011
    assert limiter.ready_at(use) == 1011  # the first token is back
    limiter.take(use)
    assert limiter.ready_at(use) == pytest.approx(1012 + MARGIN)


def test_buckets_are_per_method_and_per_key(clock: Clock) -> None:
    limiter = RateLimiter([OPEN, POST], clock)
    limiter.take([Use("chat.postMessage", "C1")])
    assert limiter.ready_at([Use("chat.postMessage", "C1")]) == pytest.approx(1001 + MARGIN)
    assert limiter.ready_at([Use("chat.postMessage", "C2")]) == 1000  # another channel
    assert limiter.ready_at([Use("conversations.open", "T1")]) == 1000  # another method
    both = [Use("conversations.open", "T1"), Use("chat.postMessage", "C1")]
    assert limiter.ready_at(both) == pytest.approx(1001 + MARGIN)  # the slowest decides


def test_undeclared_methods_are_not_limited(clock: Clock) -> None:
    limiter = RateLimiter([], clock)
    for _ in range(1000):
        limiter.take([Use("anything")])
    assert limiter.ready_at([Use("anything")]) == 1000


def test_retry_after_overrides_the_buckets_for_that_method_only(clock: Clock) -> None:
    limiter = RateLimiter([OPEN, POST], clock)
    opened = [Use("conversations.open", "T1")]
    limiter.take(opened)  # 49 tokens left, but the platform says otherwise
    limiter.pause(2.0, opened)
    assert limiter.ready_at(opened) == 1002
    assert limiter.ready_at([Use("chat.postMessage", "C1")]) == 1000
    clock.t = 1002
    assert limiter.ready_at(opened) == 1002
    assert limiter.paused_until() is None


def test_a_pause_of_the_whole_platform(clock: Clock) -> None:
    limiter = RateLimiter([POST], clock)
    limiter.pause(5.0)
    assert limiter.paused_until() == 1005
    assert limiter.ready_at([Use("anything")]) == 1005
    assert limiter.ready_at([]) == 1005
    clock.t = 1006
    assert limiter.paused_until() is None and limiter.ready_at([]) == 1006


def test_one_platform_limited_while_another_flows(clock: Clock) -> None:
    slack = RateLimiter([OPEN], clock)
    discord = RateLimiter([Limit("request", 50, 1.0)], clock)
    slack.pause(30.0)
    sent = 0
    while clock.t < 1010:
        spend(discord, [Use("request")], clock)
        sent += 1
    assert sent >= 450  # ten seconds at 50 a second
    assert slack.ready_at([Use("conversations.open", "T1")]) == 1030


def test_idle_buckets_are_forgotten(clock: Clock) -> None:
    limiter = RateLimiter([POST], clock)
    for i in range(1500):
        limiter.take([Use("chat.postMessage", f"C{i}")])
        clock.t += 0.01
    assert len(limiter._buckets) <= 1001
