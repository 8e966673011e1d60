"""Coffee chats and coffee roulette: the domain logic behind ``/coffee`` and ``/questions``.

- ``when``: natural-language times in a person's own zone (dateparser + zoneinfo).
- ``ics``: calendar files for confirmed and cancelled chats (icalendar).
- ``questions``: the open-ended question bank (``questions.yaml``), served without repeats.
- ``chats``: a chat's life: invite, accept / suggest / decline, reminder, check-in.
- ``matching``: the pure roulette planner (no store, no clock): groups for one round.
- ``roulette``: roulette channels, members, rounds, check-ins and results.
- ``records``: table names and the shared records other features read (contacts).
"""
