"""Every command and every button, fuzzed through the real core with hostile input.

Properties, after every step of ``tests.fuzz.machine.CoreFuzz``: nothing escapes and
the core never has to apologise; every command gets a clear, non-empty answer; a
refusal (a ``UserError``) stores nothing; a press by someone who never saw the button,
or with a forged value, changes nothing; and no reply or delivery, rendered for Slack
and for Discord, carries a broadcast or a mention the user typed.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

from tests.fuzz.machine import CoreFuzz

CoreFuzz.TestCase.settings = settings(
    max_examples=30,
    stateful_step_count=25,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestCoreFuzz = CoreFuzz.TestCase
