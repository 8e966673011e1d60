"""Words of ``/coffee``: booking chats across time zones, preparing, checking in, roulette.

Templates use our markup (``*bold*``, ``_italic_``, ```code```, ``{value}``); values are
never parsed, so a topic someone typed stays plain text.
"""

EXAMPLE_INVITE = '/coffee @alice tomorrow 3pm "career switch"'
WHEN_EXAMPLES = "“tomorrow 3pm”, “tue 10:30”, “2026-12-03 15:00” or “in 2 days at noon”"

# -- reading a time ------------------------------------------------------------------
WHEN_MISSING = "When would you like to meet? Add a day and a time, like " + WHEN_EXAMPLES + "."
WHEN_UNREADABLE = "I couldn't read “{text}” as a time. Try " + WHEN_EXAMPLES + "."
WHEN_NO_TIME = (
    "“{text}” needs a time of day too, so nobody turns up at the wrong hour — "
    "for example “tomorrow 3pm” or “fri 9:30”."
)
WHEN_AM_PM = "Is “at {hour}” in the morning or the afternoon? Add am or pm, or use 24-hour time."
WHEN_VAGUE = "“{text}” is a little vague for a meeting. Pick an exact time, like “tomorrow 9:30”."
WHEN_DAY_MONTH = (
    "“{text}” could mean two different days depending on where you're from. "
    "Write the month as a word (“4 Mar”) or use year-month-day (2027-03-04)."
)
WHEN_PAST = (
    "{when} has already passed where you are (it's {now} for you). "
    "Pick a time in the future, like “tomorrow 3pm”."
)
WHEN_TOO_FAR = "{when} is more than a year away. Let's pick something sooner."
WHEN_DST_GAP = (
    "{time} doesn't exist on {day} in {zone}: the clocks jump forward that night. "
    "How about {later}?"
)
WHEN_DST_TWICE = (
    "{time} happens twice on {day} in {zone}, because the clocks go back that night. "
    "Pick a time outside that hour, like {later}, so you both turn up at the same moment."
)

# -- booking ---------------------------------------------------------------------------
SELF = "You can't book a coffee chat with yourself — though a quiet coffee alone is underrated."
BOT = "Bots don't drink coffee. Mention a person you'd like to meet."
NOT_MEMBER = (
    "I can't find that person in this community. Mention them with @ so I know who you mean."
)
TOPIC_TOO_LONG = (
    "That topic is a bit long. Keep it under {n} characters; you'll cover the rest over coffee."
)
ALREADY_PENDING = (
    "You already have an invite out to {who} (`{id}`). Give them a moment to answer, "
    "or cancel it and send a new one."
)
TOO_MANY = (
    "You have {n} invites waiting for an answer already. Let a few land before sending more — "
    "nobody likes to feel like part of a batch."
)
INVITE_SENT = "Invite sent to {who} for *{when}*. I'll let you know when they answer. (id `{id}`)"
THEIR_TIME = "That's {time} for {who} ({zone})."

INVITE_HEAD = "*{who} would love to have a coffee chat with you.*"
COUNTER_HEAD = "*{who} suggests a new time for your coffee chat.*"
INVITE_WHEN = "When: *{when}* — your time"
TOPIC_LINE = "Topic: {topic}"
INVITE_ID = "_Chat id `{id}`_"
ACCEPT = "Accept"
OTHER_TIME = "Suggest another time"
DECLINE = "Decline"

ACCEPTED_UPDATE = "You accepted a coffee chat with {who} on *{when}*. Details are below."
CONFIRMED_BY = "*{who} accepted — your coffee chat is on!*"
CONFIRMED = "*Your coffee chat with {who} is confirmed.*"
CONFIRMED_NEXT = (
    "I've attached a calendar invite. About {before} before, I'll send you a few questions "
    "to have ready. Plans change? `/coffee suggest {id} <new time>` or `/coffee cancel {id}`."
)
ICS_SUMMARY = "Coffee chat: {a} & {b}"
ICS_DESCRIPTION = "Topic: {topic}\nBooked with rapport. Bring curiosity and a couple of questions."
ICS_NO_TOPIC = "getting to know each other"

OTHER_TIME_HOW = (
    "Happy to find a better time. Send it with `/coffee suggest {id} <when>`, "
    "for example `/coffee suggest {id} thu 4pm`. Write it in your own time ({zone}); "
    "I'll show {who} the time in theirs."
)
DECLINED_UPDATE = "You declined. I've let {who} know kindly — no reason needed."
DECLINED_NOTE = (
    "{who} can't make the coffee chat on {when}. Don't read too much into it: "
    "calendars fill up and timing is everything. You could try another week, or reach "
    "out to someone else in the meantime — every conversation counts."
)
BUTTON_STALE = "That invite has moved on (answered, changed or cancelled). Nothing changed."
NOT_YOURS = "That button belongs to someone else's coffee chat, so I left it alone."
NOT_FOUND = (
    "I couldn't find a coffee chat `{id}` of yours. `/coffee list` shows your chats and their ids."
)
CLOSED = (
    "Chat `{id}` is already closed. To meet {who} again, start a new one with "
    "`/coffee @person <when>`."
)

# -- list and cancel -------------------------------------------------------------------
LIST_EMPTY = (
    "No coffee chats planned right now. Who would you love to learn from? "
    "`/coffee @person tomorrow 3pm` sends them an invite."
)
LIST_HEAD = "*Your coffee chats* (times are yours)"
LIST_LINE = "`{id}` with {who} — {when} — {status}"
LIST_FOOT = "Change one with `/coffee suggest <id> <when>`, or `/coffee cancel <id>`."
STATUS_WAITING = "waiting for {who} to answer"
STATUS_YOUR_TURN = "waiting for your answer"
STATUS = {
    "accepted": "confirmed",
    "rescheduled": "being rescheduled",
    "missed": "didn't happen yet — suggest a new time",
}
CANCEL_WHICH = "Which chat should I cancel? `/coffee list` shows their ids."
CANCELLED_DONE = "Cancelled chat `{id}`. I've let {who} know, kindly."
CANCELLED_NOTE = (
    "{who} had to cancel your coffee chat on {when}. Plans change — it's nothing personal. "
    "If you'd still like to meet, send them a new time with `/coffee @person <when>`."
)

# -- reminder and check-in ---------------------------------------------------------------
AN_HOUR = "an hour"
HOURS = "{n} hours"
MINUTES = "{n} minutes"
REMIND_HEAD = "*Coffee with {who} soon: {time} your time ({zone}).*"
REMIND_PREP = (
    "A little preparation goes a long way: look at {who}'s projects, posts and profile, "
    "and pick one thing you'd genuinely like to hear more about. They're giving you their "
    "time, so come ready to lead the conversation."
)
REMIND_QUESTIONS = "Three open-ended questions to have ready:"
QUESTION_LINE = "{n}. {text}"
REMIND_FOOT = "Want more? `/questions` any time. Enjoy it!"

CHECKIN_ASK = "*Did your chat with {who} happen?* ({when})"
CHECKIN_YES = "Yes"
CHECKIN_RESCHEDULED = "Rescheduled"
CHECKIN_MISSED = "Didn't happen"
HAPPENED = (
    "*Wonderful — well done for making it happen!* Send {who} a short thank-you today: "
    "name one thing you learned or plan to try. It's the step most people skip, and the "
    "one people remember."
)
KEEP_ASK = "Shall I remind you to keep in touch with {who}?"
KEEP_2W = "In 2 weeks"
KEEP_1M = "In a month"
KEEP_NO = "No"
KEEP_SET = "Done: I'll remind you to check in with {who} around {when}. Relationships grow with small, regular hellos."
KEEP_NONE = "No problem — no reminder about {who}. You can always set one later."
KEEP_ALREADY = "You've already told me about keeping in touch after this chat. Nothing changed."
KEEP_NUDGE = (
    "It's been {since} since your coffee chat with {who}. A quick hello keeps the door open: "
    "share something you tried from their advice, or a link they'd enjoy."
)
KEEP_SINCE = {"2w": "two weeks", "1m": "a month"}
RESCHEDULED = (
    "Good to hear it's still on. When you've agreed the new time, send it with "
    "`/coffee suggest {id} <when>` and I'll confirm it with {who}."
)
MISSED = (
    "That happens — calendars are hard. If you'd still like to meet {who}, suggest a new "
    "time with `/coffee suggest {id} <when>`. No pressure either way."
)

# -- from an intro -----------------------------------------------------------------------
INTRO_NOT_YOURS = "That button is for the two people who were introduced. Nothing changed."
INTRO_OUTSIDE = (
    "This person isn't in the community, so I can't send them an invite. "
    "Ask {connector} for the best way to reach them, then suggest a time yourself."
)
INTRO_SCHEDULE = (
    "Let's get it booked. Send {who} an invite with a time that suits you, for example:\n"
    "`/coffee @{name} tomorrow 3pm`\n"
    "Write the time in your own zone ({zone}); I'll show {who} the time in theirs."
)
