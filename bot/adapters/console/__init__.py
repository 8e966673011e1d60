"""The console adapter: a local community in the terminal, and the tests' best fake."""
