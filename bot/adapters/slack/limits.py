"""Slack's size limits (Block Kit), in one place for the Slack renderer."""

MESSAGE_BLOCKS = 50  # blocks in one message (and in an ephemeral reply)
HOME_BLOCKS = 100  # blocks in one App Home view
SECTION_CHARS = 3000  # characters of text in one section block
HEADER_CHARS = 150  # characters in a header block
BUTTONS_PER_BLOCK = 25  # elements in one actions block
CONTEXT_ELEMENTS = 10  # elements in one context block
BUTTON_LABEL = 75
BUTTON_VALUE = 2000
