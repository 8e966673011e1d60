"""Words of ``/followup``, of every nudge's buttons, and of ``/rapport nudges``."""

# -- the command ---------------------------------------------------------------

SUMMARY = "Reminders to follow up and keep in touch, at a pace that suits you."
EXAMPLE = "/followup @alice in 2 weeks ask how the new team is going"
EXAMPLE_ON = "/followup @alice on Dec 15 send her my portfolio"
EXAMPLE_EVERY = "/followup @alice every month"

NEED_PERSON = "Who would you like to follow up with? Mention them with @."
SELF = "That's you! Pick someone you'd like to stay in touch with."
BOT = "{who} is a bot, so it won't mind if you never write. Pick a person instead."
NOTE_TOO_LONG = "That note is a bit long ({length} characters). Keep it under {limit}."
DUPLICATE_EVERY = (
    "You already keep in touch with {who} {cadence} (follow-up *{id}*). "
    "Cancel it first with `/followup cancel {id}` if you'd like a different pace."
)
DUPLICATE_ONCE = (
    "You already have this one: {who} on *{date}*, note “{note}” (*{id}*). "
    "I'll remind you then — a different time or note makes a new one."
)
DUPLICATE_ONCE_NO_NOTE = (
    "You already have this one: {who} on *{date}*, no note (*{id}*). "
    "I'll remind you then — a different time or note makes a new one."
)

CREATED_ONCE = "Got it. I'll remind you to follow up with {who} on *{date}*{note}."
CREATED_EVERY = (
    "Got it. I'll help you keep in touch with {who} {cadence}, starting *{date}*{note}. "
    "Whenever you're in touch in between, the clock starts again."
)
NOTE_SHOWN = " — “{note}”"
# When quiet hours (or a quiet weekend) will move the reminder: said, never silently kept.
CREATED_ONCE_MOVED = (
    "Got it: follow up with {who} on *{date}*{note}. That's {why}, so I'll remind you *{arrives}*."
)
CREATED_EVERY_MOVED = "The first one falls {why}, so it comes *{arrives}*."
# Why, by what moves it (``nudges.moved_by_quiet``): in a reply, and in a list's line.
MOVED_WHY = {
    "quiet": "in your quiet hours ({quiet})",
    "weekend": "on a weekend, which you keep free of reminders",
    "both": "in your quiet hours ({quiet}), and a weekend you keep free follows",
}
MOVED_SHORT = {
    "quiet": "quiet hours",
    "weekend": "weekend",
    "both": "quiet hours, then the weekend",
}
CREATED_PAUSED = (
    "Your reminders are paused right now, so this one will wait for you: "
    "`/rapport nudges on` brings them back."
)
CREATED_HINT = "`/followup list` shows what's coming up."

LIST_TITLE = "*Your follow-ups* (times in {zone})"
LIST_EMPTY = (
    "You have no follow-ups yet. Staying in touch is where opportunities come from — "
    "try `/followup @alice in 2 weeks`."
)
LIST_ONCE = "*{id}* — {who} on {date}{note}"
LIST_EVERY = "*{id}* — {who} {cadence}, next on {date}{note}"
LIST_WAITING = (
    "*{id}* — {who}: I reminded you on {date}; press Done there once you've written{note}"
)
LIST_MOVED = " ({why}: I'll remind you {arrives})"
LIST_PAUSED = "Your reminders are paused: `/rapport nudges on` brings them back."
LIST_FOOTER = "Cancel one with `/followup cancel <id>`."

CANCEL_NEED_ID = "Which follow-up? Give its id from `/followup list`."
CANCEL_NOT_FOUND = "I couldn't find a follow-up *{id}* of yours. `/followup list` shows their ids."
CANCELLED = "Cancelled your follow-up with {who}. No more reminders about it."

# -- reading dates ---------------------------------------------------------------

WHEN_HELP = (
    "When should I remind you? Say “in 2 weeks”, “on Dec 15” or “every month”, "
    "then add a note if you like."
)
BAD_DATE = "I couldn't read “{text}” as a date. Try “on Dec 15”, “on 2026-12-15” or “in 2 weeks”."
BAD_AMOUNT = "I couldn't tell {what} you meant. Try “in 2 weeks”, “in 3 days” or “every month”."
WHAT_IN = "how long from now"
WHAT_EVERY = "how often"
ZERO_AMOUNT = "I need a number above zero for {what}."
HOURLY = (
    "Recurring follow-ups go by days, weeks or months — hourly would be a lot! "
    "Try “every 2 weeks” or “every month”."
)
TOO_FAR = "That's too far ahead for me. Pick something within five years."
PAST = "That moment has already passed. Pick a later one, like “in 2 weeks” or “on Friday”."
BAD_EVERY = "I couldn't read “{text}” as how often. Try “every month” or “every 2 weeks”."

# -- the nudge ---------------------------------------------------------------------

NUDGE_ONCE = "Time to follow up with {who}."
NUDGE_WHILE = "It's been a while since you and {who} were in touch — the last time was {date}."
NUDGE_WHILE_NEVER = "You wanted to keep in touch with {who} {cadence}. This is a good moment."
NUDGE_NOTE = "Your note: “{note}”"
NUDGE_TOUCHED = (
    "You've been in touch since you set this up ({date}). If that covered it, press Done."
)
NUDGE_TIPS = (
    "A short, specific message works best: mention something from your last conversation.",
    "Share something useful — an article, a congrats on their news, a thank-you for their advice.",
    "No need for a big ask. A friendly “how's the new project going?” keeps the door open.",
    "Tell them how their advice helped you. People love hearing that.",
)

DONE = "Done"
SNOOZE = "Snooze a week"
STOP = "Stop reminding me about this"

DONE_ONCE = "Nice work following up with {who}! That's how relationships grow."
DONE_EVERY = "Nice work staying in touch with {who}! I'll check in again around *{date}*."
SNOOZED = "Snoozed. I'll remind you again around *{date}*."
STOPPED = "Okay, no more reminders about this. You can set a new one any time with `/followup`."
NOT_YOURS = "This reminder belongs to someone else, so I left it alone."
ALREADY = "You've already answered this reminder — nothing more to do."

GENERIC_DONE = "Done — nice work!"
GENERIC_SNOOZED = "Snoozed. I'll bring this back around *{date}*."

# -- /rapport nudges -----------------------------------------------------------------

NUDGES_USAGE = "/rapport nudges [off|on]"
NUDGES_EXAMPLE = "/rapport nudges off"
NUDGES_SUMMARY = "Pause or resume every reminder I send you."
NUDGES_BAD = "Say `off` to pause my reminders or `on` to get them again."
NUDGES_OFF = (
    "Reminders paused. Take the time you need — nothing is thrown away: reminders that come "
    "due now wait for you, and `/rapport nudges on` brings them back."
)
NUDGES_ALREADY_OFF = "Your reminders are already paused. `/rapport nudges on` brings them back."
NUDGES_ON = "Welcome back! Reminders are on again."
NUDGES_ON_WAITING_ONE = (
    "One reminder waited for you. It comes next, outside your quiet hours ({quiet})."
)
NUDGES_ON_WAITING = (
    "{count} reminders waited for you. They'll come oldest first, outside your quiet "
    "hours ({quiet})."
)
NUDGES_ON_WAITING_CAP = (
    "{count} reminders waited for you. They'll come oldest first, at most {cap} a day "
    "and outside your quiet hours ({quiet})."
)
NUDGES_ON_WAITING_SPREAD = (
    "{count} reminders waited for you. They'll come oldest first, outside your quiet "
    "hours ({quiet}) and at most {cap} a day, so the rest come over the following days."
)
NUDGES_STATE_ON = "Your reminders are on. `/rapport nudges off` pauses them whenever you need."
NUDGES_STATE_OFF = "Your reminders are paused. `/rapport nudges on` brings them back."
NUDGES_STATE_OFF_ONE = (
    "Your reminders are paused, and 1 reminder is waiting for you. "
    "`/rapport nudges on` brings it back."
)
NUDGES_STATE_OFF_MANY = (
    "Your reminders are paused, and {count} reminders are waiting for you. "
    "`/rapport nudges on` brings them back, oldest first."
)
NUDGES_ALREADY_ON = "Your reminders are already on."

EVERY_PLAIN = (
    "For keeping in touch, say how often: every week, every 2 weeks, every month or every 3 months."
)
READ_AS = "_I read that as {reading}._"

# -- in the member's home ------------------------------------------------------
HOME_FOLLOWUPS = "Follow-ups"
HOME_FOLLOWUPS_EMPTY = (
    "No follow-ups yet. Relationships grow when you come back: `/followup @person in 2 weeks`"
)
HOME_FOLLOWUPS_FOOTER = "`/followup list` shows them all."
HOME_FOLLOWUP_DUE = "Time to get back in touch with {who}{note}"
HOME_FOLLOWUP_EVERY = " ({cadence})"
HOME_FOLLOWUP_NEXT = "{who}: next reminder *{date}*{every}{note}"
HOME_FOLLOWUP_NOTE = " — “{note}”"

# -- when a member is erased -----------------------------------------------------
FORMER_MEMBER = "a former member"

# -- the form behind /followup alone ---------------------------------------------------
FORM_TITLE = "Follow up with someone"
FORM_SUBMIT = "Remind me"
FORM_PERSON = "Who (a member)"
FORM_OUTSIDE = "Or someone outside the community"
FORM_OUTSIDE_HINT = "Dana Lee from the meetup"
FORM_WHEN = "When"
FORM_WHEN_HINT = "in 2 weeks, on 15 Jan, next friday, every month"
FORM_NOTE = "A note for your future self"
FORM_NOTE_HINT = "ask how the new team is going"
FORM_WHEN_LEFTOVER = (
    "I couldn't place “{rest}” in the time. Write only when here, like “in 2 weeks” or "
    "“every month 10am”; the note has its own field."
)
FORM_BOTH = "Pick a member or write a name outside the community, not both."
FORM_NEED_PERSON = "Who would you like to follow up with? Pick a member or write a name."
FORM_NOT_THEM = "Pick someone other than yourself or a bot."
