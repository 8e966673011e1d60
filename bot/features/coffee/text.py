"""Words of ``/coffee``: booking chats across time zones, preparing, checking in, roulette.

Templates use our markup (``*bold*``, ``_italic_``, ```code```, ``{value}``); values are
never parsed, so a topic someone typed stays plain text.
"""

EXAMPLE_INVITE = '/coffee @alice tomorrow 3pm "career switch"'
WHEN_EXAMPLES = "“tomorrow 3pm”, “tue 10:30”, “2026-12-03 15:00” or “in 2 days at noon”"


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
READ_AS = "_I read that as {reading}._"

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
    "to have ready. Plans change? Pick a new time below, or `/coffee cancel {id}`."
)
ICS_SUMMARY = "Coffee chat: {a} & {b}"
ICS_DESCRIPTION = "Topic: {topic}\nBooked with rapport. Bring curiosity and a couple of questions."
ICS_NO_TOPIC = "getting to know each other"

SUGGEST_FORM_TITLE = "Suggest another time"
SUGGEST_FORM_SUBMIT = "Suggest it"
SUGGEST_FORM_WHEN = "When, in your time ({zone})"
SUGGEST_FORM_WHEN_HINT = "thu 4pm, tomorrow 10:30, dec 14 9am"
INVITE_FORM_TITLE = "Invite to a coffee chat"
INVITE_FORM_SUBMIT = "Send the invite"
INVITE_FORM_PERSON = "Who you'd like to have coffee with"
INVITE_FORM_PERSON_HINT = "A member"
INVITE_FORM_TOPIC = "What you'd like to talk about (optional)"
INVITE_FORM_TOPIC_HINT = "How you moved into data work, say"
PICKED_PAST = "That time has already passed. Pick one in the future."
PICKED_TOO_FAR = "That is more than a year ahead. Pick a time within the year."
DECLINED_UPDATE = "You declined. I've let {who} know kindly — no reason needed."
DECLINED_NOTE = (
    "{who} can't make the coffee chat on {when}. Don't read too much into it: "
    "calendars fill up and timing is everything. You could try another week, or reach "
    "out to someone else in the meantime — every conversation counts."
)
BUTTON_STALE = (
    "That coffee chat has moved on since this message (answered, changed or cancelled), "
    "so the button does nothing now."
)
ACCEPT_TOO_LATE = (
    "That time has already passed, so I can't confirm it. Pick a new one below and I'll "
    "send it to {who}."
)
NOT_YOURS = "That button belongs to someone else's coffee chat, so I left it alone."
THEIR_TURN = "That one is for {who} to answer. I'll let you know as soon as they do."
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
SAME_TIME = "The chat is already set for {when}. Pick a different time to move it."
SAME_TIME_ACCEPT = (
    "That's the time already proposed ({when}). If it works for you, press Accept on the "
    "invite; otherwise pick a different time."
)
STATUS_UNANSWERED = "the time passed before {who} answered: suggest a new one, or cancel it"
STATUS_PASSED = "the time passed before you answered: suggest a new one if you'd still like to meet"
UNANSWERED = (
    "{who} didn't get to your coffee invite before {when} — life gets busy, it's nothing "
    "personal. If you'd still like to meet, pick a new time below or with "
    "`/coffee suggest {id} <when>`; `/coffee cancel {id}` lets it go."
)
STATUS = {
    "accepted": "confirmed",
    "rescheduled": "being rescheduled",
    "missed": "didn't happen yet — suggest a new time",
}
UNDELIVERED = (
    "I couldn't get your coffee invite `{id}` for {when} to {who}: {why} I've closed it, "
    "so it isn't left waiting for an answer that can't come. You might reach out to them "
    "another way."
)
UNDELIVERED_WHY = {
    "dms_closed": "their DMs are closed to me.",
    "user_gone": "they don't seem to be in the community any more.",
}
UNDELIVERED_WHY_OTHER = "my message to them didn't get through."
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
# -- before the chat: preparation per role (coffee/prep.py) ----------------------
# -- the person who asked for the chat: they lead -----------------------------------
INVITER_LEAD = (
    "You asked for this chat, so *you lead it*: say why you reached out, bring your "
    "questions, and keep an eye on the time you asked for."
)
INVITER_LOOK = (
    "Before you go, spend ten minutes on {who}'s public work (a project, a post, a talk) "
    "and pick one thing you'd genuinely like to hear more about."
)
INVITER_TOPIC = "You wanted to talk about _{topic}_, so these questions are picked for that:"
INVITER_QUESTIONS = "Three open-ended questions to have ready:"
INVITER_CLOSE = (
    "Near the end, thank them for their time and ask if there's anyone else they'd "
    "suggest you talk to."
)
INVITER_MORE_TOPIC = "More on this any time: `/questions {key}`. Enjoy it!"
INVITER_MORE = "Want more? `/questions` any time. Enjoy it!"

# -- the person who was invited: little to prepare -----------------------------------
INVITEE_TOPIC = "{who} would love to learn about _{topic}_ from you, and they'll lead the chat."
INVITEE_NO_TOPIC = (
    "{who} asked for this chat to hear about your work and your path, and they'll lead it."
)
INVITEE_EASY = (
    "No need to prepare much: your own experience is exactly what they came for. "
    "A story or two about how you got where you are goes a long way."
)
INVITEE_GIVE = (
    "If someone you know would be good for them to meet, offering an intro is a lovely thing to do."
)
QUESTION_LINE = "{n}. {text}"

CHECKIN_ASK = "*Did your chat with {who} happen?* It was planned for {when}."
CHECKIN_YES = "Yes"
CHECKIN_RESCHEDULED = "Rescheduled"
CHECKIN_MISSED = "Didn't happen"
HAPPENED = "*Wonderful — well done for making it happen!*"
KEEP_EXISTING = (
    "You already keep in touch with {who} {cadence} (follow-up `{id}`), so I'll leave "
    "that as it is."
)
KEEP_ASK = "Shall I remind you to keep in touch with {who}?"
KEEP_2W = "In 2 weeks"
KEEP_1M = "In a month"
KEEP_NO = "No"
KEEP_SET = (
    "Done: I'll remind you to check in with {who} around {when}. "
    "Relationships grow with small, regular hellos. "
    "It's follow-up `{id}` — `/followup list` shows it."
)
KEEP_NOTE = "after our coffee chat on {day}"  # the follow-up's note (plain text)
KEEP_NONE = "No problem — no reminder about {who}. You can always set one later."
THANK_NUDGE = (
    "*Send {who} a short thank-you.* Name one thing you learned or plan to try. "
    "It's the step most people skip, and the one people remember."
)
KEEP_ALREADY = "You've already told me about keeping in touch after this chat. Nothing changed."
KEEP_NUDGE = (
    "It's been {since} since your coffee chat with {who}. A quick hello keeps the door open: "
    "share something you tried from their advice, or a link they'd enjoy."
)
KEEP_SINCE = {"2w": "two weeks", "1m": "a month"}
RESCHEDULED = (
    "Good to hear it's still on. When you've agreed the new time, pick it below and I'll "
    "confirm it with {who}."
)
MISSED = (
    "That happens — calendars are hard. If you'd still like to meet {who}, pick a new "
    "time below. No pressure either way."
)
NEW_TIME = "Pick a new time"

# -- from an intro -----------------------------------------------------------------------
INTRO_NOT_YOURS = "That button is for the two people who were introduced. Nothing changed."
INTRO_OUTSIDE = (
    "This person isn't in the community, so I can't send them an invite. "
    "Ask {connector} for the best way to reach them, then suggest a time yourself."
)

# -- coffee roulette ---------------------------------------------------------------------
RR_EVERY_BAD = (
    "I couldn't read “{text}” as a cadence. Try “every week”, “every 2 weeks” or “monthly”."
)
RR_EVERY_RANGE = "Rounds can run from every day to every 12 weeks."
RR_EVERY_DAY = "every day"
RR_EVERY_DAYS = "every {n} days"
RR_EVERY_WEEK = "every week"
RR_EVERY_WEEKS = "every {n} weeks"
RR_SIZE_BAD = "Groups can have 2 to 6 people. Pairs are the classic."
RR_NEXT_UNKNOWN = "not scheduled yet"
RR_MATCH_BAD = (
    "After `match`, say `goals` (open-to-work members meet people who do what they're after) "
    "or `anyone`."
)
RR_BY_GOALS = (
    "Matching by goals: members open to work meet someone who does what they're looking for, "
    "where possible (both set it with `/rapport profile`)."
)
RR_GROUP_WHY = "Why you two: {seeker} is exploring _{what}_, and that's what {helper} does."

RR_ENABLED = (
    "Coffee roulette is on in {channel}: {every}, groups of {size}. The first round starts "
    "*{next}*. Nobody is signed up automatically — members join with `/coffee roulette join`."
)
RR_UPDATED = (
    "Coffee roulette in {channel} now runs {every}, groups of {size}. Next round: *{next}*."
)
RR_ANNOUNCE = (
    "*Coffee roulette is here!* ☕ Here's how it works: {every}, I match the people who "
    "joined into groups of {size} for a relaxed chat — a great way to meet people you'd "
    "never cold-message. "
    "Want in? `/coffee roulette join`. Need a break later? `/coffee roulette pause`."
)
RR_DISABLED = (
    "Coffee roulette is off in {channel}. A round already under way finishes as planned; "
    "no new ones will start."
)
RR_NOW = "Starting a round in {channel} right now. The next one comes as planned: *{next}*."
RR_NOT_HERE = (
    "Coffee roulette isn't running in {channel}. "
    "An admin can start it with `/coffee roulette enable`."
)
RR_NONE_RUNNING = (
    "Coffee roulette isn't running in this community yet. An admin can start it with "
    "`/coffee roulette enable #channel every 2 weeks size 2`."
)
RR_WHICH = "Coffee roulette runs in {channels}. Which one do you mean? Name it with #."

RR_JOINED = (
    "You're in! Coffee roulette in {channel} will match you next round (*{next}*). "
    "Only people who joined are matched, so everyone you meet chose to be there."
)
RR_REJOINED = "Welcome back! You're in again for the next round in {channel} (*{next}*)."
RR_ALREADY_IN = "You're already in coffee roulette in {channel}. Next round: *{next}*."
RR_NOT_IN = (
    "You're not in coffee roulette in {channel}. Join any time with `/coffee roulette join`."
)
RR_LEFT = (
    "You've left coffee roulette in {channel}. Thanks for every chat — come back whenever you like."
)
RR_PAUSED = (
    "Paused. I won't match you in {channel} until you say `/coffee roulette join` again. Rest well!"
)
RR_PAUSED_UNTIL = "Paused until *{until}*. I'll include you again in {channel} from then on."
RR_AVOID_SELF = "You can't avoid yourself — though we all try sometimes."
RR_AVOIDED = (
    "Noted, privately: you won't be matched with {who} in coffee roulette. "
    "They won't be told, and nobody else can see this."
)
RR_UNAVOIDED = "Done: {who} can be matched with you again."

RR_STATUS_HEAD = "*Coffee roulette*"
RR_STATUS_NONE = "Not running in this community yet."
RR_STATUS_LINE = "{channel}: {every}, groups of {size}. Next round: {next}. {me}"
RR_STATUS_IN = "You're in."
RR_STATUS_OUT = "You haven't joined: `/coffee roulette join`."
RR_STATUS_PAUSED = "You're paused (`/coffee roulette join` to come back)."
RR_STATUS_PAUSED_UNTIL = "You're paused until {until}."
RR_STATUS_AVOID = "You've asked me not to match you with {n}. Only you can see this."
RR_ONE_PERSON = "one person"
RR_PEOPLE = "{n} people"
RR_STATUS_HELP = (
    "`/coffee roulette join|leave`, `pause [until <date>]`, `avoid @person` (private), "
    "`unavoid @person`."
)
RR_STATUS_ADMIN = (
    "Admins: `/coffee roulette enable #channel every 2 weeks size 2 [match goals] "
    "[starting <when>]`, "
    "`disable [#channel]`, `now [#channel]`."
)

RR_TOO_FEW = (
    "Not enough people for a coffee roulette round this time. "
    "It takes two: `/coffee roulette join` and I'll match you next round."
)
RR_ROUND_POST = (
    "*Coffee roulette, round {no}:* {people} in {groups}. Look out for a "
    "group message from me with an ice-breaker. Not in yet? `/coffee roulette join`."
)
RR_NO_MATCH = (
    "I couldn't find a match for you in {channel} this round — sorry! "
    "You're still in, and I'll try again next round."
)
RR_GROUP_HEAD = "*You've been matched for coffee roulette!* ☕ (round {no} in {channel})"
RR_GROUP_HELLO = "{names} — say hi and find half an hour to meet before {until}."
RR_GROUP_CLOCKS = "Your clocks right now: {clocks}"
RR_GROUP_CLOCK = "{who} {time} ({zone})"
RR_GROUP_ICEBREAKER = "Ice-breaker: _{question}_"
RR_GROUP_BOOK = (
    "To pick a time, `/coffee @name <when>` sends an invite that shows everyone "
    "their own time zone."
)
RR_CHECKIN = "*Halfway check-in:* did you get to meet? The round ends {until}."
RR_MET = "We met"
RR_NOT_YET = "Not yet"
RR_CANT = "Can't this round"
RR_MET_THANKS = (
    "*{who} says you met — lovely!* Thanks for taking part. A short thank-you note goes a long way."
)
RR_MET_ALREADY = "Already noted that you met. Thank you!"
RR_NOT_YET_REPLY = (
    "There's still time — the round runs until {until}. A quick "
    "`/coffee @name tomorrow 3pm` gets something in the calendar."
)
RR_CANT_REPLY = (
    "Thanks for letting me know — life happens. Need a break? "
    "`/coffee roulette pause until <date>`."
)
RR_BUTTON_GONE = "That button isn't active any more. Nothing changed."
RR_NOT_YOUR_GROUP = "That check-in belongs to another group, so I left it alone."
RR_ROUND_OVER = "That round has wrapped up already — thanks all the same!"
RR_RESULT = "*Coffee roulette round {no} wrapped up:* {met} of {total} met. Thank you all! ☕"
RR_GHOST_PAUSED = (
    "Hi! It looks like the last {n} coffee roulette rounds in {channel} didn't quite work "
    "out, so I've paused your matches — no harm done, everyone gets busy. "
    "Whenever you're ready for another chat, press the button and you're back in."
)
RR_REJOIN = "Rejoin roulette"
RR_NOT_YOURS = "That button belongs to someone else, so I left it alone."
RR_WELCOME_BACK = "Welcome back! You're in for the next coffee roulette round in {channel}."

# -- the command itself --------------------------------------------------------------------
SUGGEST_WHICH = "Which chat, and when? `/coffee list` shows your chats and their ids."
RR_UNKNOWN = (
    "I don't know `/coffee roulette {word}`. Try `join`, `leave`, `pause`, `avoid` or `status`."
)

# -- in the member's home ------------------------------------------------------
HOME_CHATS = "Coffee chats"
HOME_CHATS_EMPTY = (
    "No chats booked. A 20-minute conversation can open doors: `/coffee @person tomorrow 3pm`"
)
HOME_CHATS_FOOTER = "`/coffee list` shows them all."
HOME_CHAT_CHECKIN = "Did your chat with {who} on {when} happen?"
HOME_CHAT_INVITED = "{who} invited you for coffee on *{when}*{topic}"
HOME_CHAT_RESCHEDULE = "Pick a new time with {who} · `{id}`"
HOME_CHAT_TOPIC = " — {topic}"
HOME_CHAT_UPCOMING = "Coffee with {who} on *{when}*{topic} · `{id}`"
HOME_CHAT_WAITING = "Waiting for {who} to answer your invite for {when} · `{id}`"
HOME_NEXT_UNKNOWN = "not planned yet"
HOME_ROULETTE = "Coffee roulette"
HOME_ROULETTE_GROUP = "This round you're matched with {names}. Did you meet?"
HOME_ROULETTE_IN = "{channel}: you're in. Next round: {next}."
HOME_ROULETTE_MET = "This round you met {names}. Lovely!"
HOME_ROULETTE_OUT = "{channel}: you haven't joined — `/coffee roulette join {channel}`"
HOME_ROULETTE_PAUSED = "{channel}: you're paused{until}."
HOME_ROULETTE_PAUSED_UNTIL = " until {until}"

# -- when a member is erased -----------------------------------------------------
WITHDRAWN_CHAT = (
    "A coffee chat you had planned (`{id}`, {when}) has been withdrawn, so it's off. "
    "Nothing more to do for it."
)
WITHDRAWN_ROULETTE = (
    "Your coffee roulette match this round has been withdrawn, so there's nobody to meet "
    "this time. You'll be in the next round as usual."
)
