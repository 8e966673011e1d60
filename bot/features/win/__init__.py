"""``/win``: share a win with the community."""
