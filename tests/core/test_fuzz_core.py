"""Every command and every button, fuzzed through the real core with hostile input.

Properties, after every step of ``tests.fuzz.machine.CoreFuzz``: nothing escapes and
the core never has to apologise (nor does a scheduled event fail); every command gets
a clear, non-empty answer; a refusal (a ``UserError``) stores nothing and is short; a
press by someone who never saw the button and isn't named by its record, or with a
forged value, changes nothing; and no reply, home view or delivery, rendered for Slack
and for Discord, carries a broadcast or a mention the user typed. Deterministic
(``derandomize``) and about 8 seconds; raise ``max_examples`` to hunt.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

from tests.fuzz.machine import CoreFuzz

CoreFuzz.TestCase.settings = settings(
    max_examples=60,
    stateful_step_count=30,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestCoreFuzz = CoreFuzz.TestCase
