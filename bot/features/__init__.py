"""Features: one package per command family (its commands, words, logic and events)."""
