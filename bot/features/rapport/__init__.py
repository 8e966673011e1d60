"""``/rapport``: help, settings, home, stats and privacy."""
