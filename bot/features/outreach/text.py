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
BOT = "That's a bot, so a note to it wouldn't go far. Pick the person you'd like to connect with."

# -- review ----------------------------------------------------------------------
REVIEW_EMPTY = "Paste your draft after `/outreach review` and I'll take a look."
REVIEW_HUGE = "That's very long for a connection note ({n} characters). Paste just the note itself."
REVIEW_TITLE = "*Here's what I noticed* ({n} characters):"
REVIEW_FIX = "Fix these and it'll be ready. You've got this!"
REVIEW_FIX_ONE = "Fix this and it'll be ready. You've got this!"
REVIEW_CLEAN = (
    "✅ *This one's ready.* It's personal, short ({n} characters) and doesn't ask for "
    "anything yet. Send it, and good luck!"
)

# kind → (title, what to do instead)
FINDINGS: dict[str, tuple[str, str]] = {
    "job_ask": (
        "Asking about a job",
        "That's a lot to ask someone who doesn't know you yet. Leave jobs out for now: "
        "say hello, mention their work, and openings can come up once you've talked.",
    ),
    "referral_ask": (
        "Asking for a referral",
        "People refer someone they know. Connect first and get to know each other; "
        "a referral often comes without asking once they do.",
    ),
    "interview_ask": (
        "Asking for an interview",
        "An interview is a big favour from a stranger. Start with a hello and real "
        "interest in their work; the conversations come first.",
    ),
    "resume_ask": (
        "Asking for a résumé review",
        "A review takes time they haven't offered yet. Save it until you've talked, "
        "then ask if they'd be up for a quick look.",
    ),
    "mentor_ask": (
        "Asking them to mentor you",
        "Mentoring grows out of a few good conversations. Say hello now, and ask for "
        "advice on one small thing later.",
    ),
    "too_personal": (
        "Too personal",
        "Curious, not creepy: leave their family, photos, home and looks out of it. "
        "Mention something from their work instead, like a talk, a post or a launch.",
    ),
    "coffee_ask": (
        "A coffee ask in a first request",
        "Connect first and invite later; asking for their time before they know you "
        "reads as spam. Once they accept, a chat invite is very welcome.",
    ),
    "flattery": (
        "Praise without a detail",
        "Kind words land better with something specific. Swap them for one true detail, "
        "like the post you read or the launch you saw.",
    ),
    "not_personal": (
        "Nothing specific about them",
        "Open with one true detail about their work, like a talk, a post or a launch, "
        "so they know this note was written for them.",
    ),
    "too_long": (
        "A little long",
        "It's {n} characters and connection notes get cut off around {limit}. Keep the "
        "hello, the one detail and the wish to connect; trim the rest.",
    ),
    "brackets": (
        "Placeholders still in [brackets]",
        "Swap them for your own words before you send it.",
    ),
    "no_intro": (
        "It doesn't say who you are",
        "Add a short hello and one line about you, so they can place you and say yes.",
    ),
}

# How a finding is shown (``fmt`` templates; every value is plain text).
FINDING_LINE = "• *{title}* — {message}"
FINDING_QUOTE = "   you wrote: “{phrase}”"
