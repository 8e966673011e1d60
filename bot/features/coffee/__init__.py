"""``/coffee``: coffee chats (invite, accept, suggest, reminders, check-ins) and roulette."""
