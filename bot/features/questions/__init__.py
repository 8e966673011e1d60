"""``/questions``: the open-ended question bank for coffee chats."""
