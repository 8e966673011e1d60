"""Slack's limits in one place: sizes (Block Kit) for the renderer, Web API rates for the outbox."""

from bot.ratelimit import Limit

MESSAGE_BLOCKS = 50  # blocks in one message (and in an ephemeral reply)
HOME_BLOCKS = 100  # blocks in one App Home view
SECTION_CHARS = 3000  # characters of text in one section block
HEADER_CHARS = 150  # characters in a header block
BUTTONS_PER_BLOCK = 25  # elements in one actions block
CONTEXT_ELEMENTS = 10  # elements in one context block
BUTTON_LABEL = 75
BUTTON_VALUE = 2000
MODAL_TITLE = 24  # characters of a modal's title, submit and close labels
MODAL_INPUTS = 100  # blocks in a modal
INPUT_LABEL = 2000
PLACEHOLDER = 150
TEXT_INPUT = 3000  # characters a plain_text_input may take
PRIVATE_METADATA = 3000

# -- Web API rates (per workspace, per app), as Slack documents them ----------------------
# Tier 3 ≈ 50 a minute, Tier 4 ≈ 100 a minute; ``chat.postMessage`` about one message a
# second per channel (short bursts are tolerated; we never count on them). The outbox paces
# every delivery by these (``bot.ratelimit``); a 429's Retry-After still overrides them.
RATES = (
    Limit("conversations.open", 50, 60.0),  # Tier 3: the bottleneck of a roulette round
    Limit("chat.postMessage", 1, 1.0),  # per channel
    Limit("files.getUploadURLExternal", 100, 60.0),  # Tier 4
    Limit("files.completeUploadExternal", 100, 60.0),  # Tier 4
    Limit("views.publish", 100, 60.0),  # Tier 4
    Limit("users.info", 100, 60.0),  # Tier 4
)
