"""Discord's size limits, in one place for the Discord renderer."""

CONTENT_CHARS = 2000  # message content
EMBED_CHARS = 4096  # one embed's description
BUTTONS = 25  # 5 rows of 5
BUTTON_ROWS = 5
BUTTONS_PER_ROW = 5
BUTTON_LABEL = 80
