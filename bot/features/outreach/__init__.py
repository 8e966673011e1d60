"""``/outreach``: draft or review a first message to someone."""
