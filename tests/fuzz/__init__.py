"""Hardening helpers: hostile inputs, output checks, and scripted flows that post buttons.

Used by the fuzzers (``tests/test_fuzz_*.py``), the authorization sweep and the soak
simulation. Everything here discovers the commands and buttons at run time
(``bot.registry.discover()`` and the buttons messages actually carry), so a new
subcommand or button is covered as soon as it exists.
"""
