"""Channel posts a community's admins set up: tips on a cadence, wins, the weekly digest.

``config`` keeps each community's choices (channels, cadences, hidden tips) in one
record; ``rotation`` decides which tip comes next in a channel without repeats.
"""
