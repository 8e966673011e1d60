"""Words of ``/outreach``: drafting a connection note and reviewing one."""

SUMMARY = "Draft a warm connection note, or get a second opinion on yours."

# -- the draft itself (the member's voice, sent by them, not by us) --------------
DRAFT_HELLO = "Hi {name},"
DRAFT_HELLO_ANYONE = "Hi there,"
DRAFT_ADMIRE = "I really enjoyed {admire}."
DRAFT_ADMIRE_CLAUSE = "I saw that {admire}. Congratulations!"
DRAFT_ADMIRE_BLANK = "[One specific thing you admire about their work: a launch, a talk, a post.]"
DRAFT_ME = "I'm {me}, [one line about you: what you do, or what you're learning]."
DRAFT_CONNECT = "I'd love to connect!"
DRAFT_SIGN = "{me}"

# -- around the draft ------------------------------------------------------------
DRAFT_INTRO = (
    "*Here's a draft in your voice.* Make it yours, then send it with your connection request:"
)
DRAFT_RULE = "────────"
DRAFT_LENGTH = "{n} characters. Connection notes get cut off around 300, so shorter is safer."
DRAFT_FILL = "Fill in the [brackets] with something true: that's what makes it personal."
DRAFT_ADD_ADMIRE = (
    "Tip: tell me what you admire and I'll weave it in, like "
    "`/outreach @dana your talk on testing at PyCon`."
)
DRAFT_AFTER = (
    "Save the coffee invite for after they accept. Check any draft with "
    "`/outreach review <your draft>`."
)
WHO = (
    "Who would you like to reach out to? Mention them with @, or put a name in quotes "
    'like "Dana Lee".'
)
EMPTY_NAME = 'Please put a name in the quotes, like "Dana Lee".'
SELF = "That's you! Pick the person you'd like to connect with."

# -- review ----------------------------------------------------------------------
REVIEW_EMPTY = "Paste your draft after `/outreach review` and I'll take a look."
REVIEW_HUGE = "That's very long for a connection note ({n} characters). Paste just the note itself."
REVIEW_TITLE = "*Here's what I noticed* ({n} characters):"
REVIEW_FLAG = "• *{title}* — {why}"
REVIEW_FIX = "Fix these and it'll be ready. You've got this!"
REVIEW_CLEAN = (
    "✅ *This one's ready.* It's personal, short ({n} characters) and doesn't ask for "
    "anything yet. Send it, and good luck!"
)

FLAGS = {
    "coffee_ask": (
        "A coffee ask in a first request",
        "connect first and invite later; asking for time before they know you reads as spam.",
    ),
    "not_personal": (
        "Nothing personal about them",
        "open with one true detail about their work so they know this isn't a mass message.",
    ),
    "too_long": (
        "Over about 300 characters",
        "connection notes get cut off around there, and short notes are the ones people read.",
    ),
    "brackets": (
        "Placeholders still in [brackets]",
        "swap them for your own words before you send it.",
    ),
    "no_intro": (
        "It doesn't say who you are",
        "a short hello and one line about you helps them place you and say yes.",
    ),
}
