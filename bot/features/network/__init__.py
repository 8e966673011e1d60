"""The network map: opt-in profiles, and paths to people through the ties members really have."""
