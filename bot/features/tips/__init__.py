"""``/tips``: tips and encouragement, channel posts on a cadence, the weekly digest."""
