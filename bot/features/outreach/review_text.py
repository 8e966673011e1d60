"""Words of the outreach review: one short title and one kind suggestion per finding.

Each message says what to do instead, in a sentence or two, without blame. Messages
are plain text (no markup, no placeholders except ``{n}``/``{limit}`` in ``too_long``),
so they can be passed to ``fmt`` as values. To be merged into the outreach feature's
text module.
"""

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
