"""``/followup``: reminders to follow up, the nudge policy and the contact log it owns."""
