"""Discord's limits in one place: sizes for the renderer, the REST rate for the outbox."""

from bot.ratelimit import Limit

CONTENT_CHARS = 2000  # message content
EMBED_CHARS = 4096  # one embed's description
BUTTONS = 25  # 5 rows of 5
BUTTON_ROWS = 5
BUTTONS_PER_ROW = 5
BUTTON_LABEL = 80

# -- REST rates ---------------------------------------------------------------------------
# 50 requests a second per bot, across every route. discord.py keeps the per-route buckets
# itself (and waits out their short 429s); the outbox keeps the global one (``bot.ratelimit``).
REQUESTS = "request"
RATES = (Limit(REQUESTS, 50, 1.0),)
