"""The Discord adapter: discord.py app commands, buttons, DMs and threads."""
