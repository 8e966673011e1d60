"""``/intro``: warm introductions with double opt-in."""
