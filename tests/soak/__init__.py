"""The soak simulation: a seeded community living weeks at compressed time through the real
core, outbox worker and nudge policy, with platform failures and process kills.

``world.World`` runs it; ``platform.SoakPlatform`` is the delivery fake; ``checks``
holds the invariants; ``proc`` is the bot process that gets SIGKILLed; ``run`` is the
long form (``python -m tests.soak.run``). ``tests/test_soak.py`` runs the short form.
"""
