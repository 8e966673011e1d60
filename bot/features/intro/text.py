"""Words of ``/intro``: asking a friend for a warm introduction, with a yes from everyone.

Placeholders holding people become mentions; ``{reason}`` and ``{target}`` for someone
outside the community are the requester's own words and always stay plain text.
"""

SUMMARY = "Ask a friend to introduce you to someone they know — everyone says yes first."

USAGE = "/intro @friend @person <why you'd like to meet>"
EXAMPLE = "/intro @alice @bob I'm moving into data engineering and would love to hear how it's done"
USAGE_OUTSIDE = '/intro @friend "someone at Acme" <why>'
EXAMPLE_OUTSIDE = (
    '/intro @alice "someone on the data team at Acme" I\'d love to learn how they hire juniors'
)
USAGE_LIST = "/intro list"
USAGE_CANCEL = "/intro cancel <id>"
EXAMPLE_CANCEL = "/intro cancel k3f9qz"

HELP = (
    "*Warm intros through a friend.* A friend who vouches for you opens doors a cold "
    "message can't.\n"
    "`{usage}` — I ask your friend privately. If they agree, I ask the person too, and "
    "only when both say yes do I bring the three of you together.\n"
    "`{usage_outside}` — for someone outside the community: your friend gets a short "
    "note to forward.\n"
    "`/intro list` shows your requests; `/intro cancel <id>` withdraws one."
)

# -- the form behind /intro alone ----------------------------------------------
FORM_TITLE = "Ask for a warm intro"
FORM_SUBMIT = "Ask them"
FORM_CONNECTOR = "Who could introduce you"
FORM_CONNECTOR_HINT = "A friend in the community"
FORM_TARGET = "Whom you'd like to meet (a member)"
FORM_TARGET_HINT = "Leave empty for someone outside"
FORM_OUTSIDE = "Or someone outside the community"
FORM_OUTSIDE_HINT = "someone on the data team at Acme"
FORM_WHY = "Why you'd like to meet them (your friend reads this)"
FORM_WHY_HINT = "I'm moving into data work and would love to hear how their team hires."
FORM_NEED_TARGET = "Pick a member, or describe someone outside the community below."
FORM_BOTH_TARGETS = "Pick a member or describe someone outside — not both."

# -- refusals (nothing is stored) ---------------------------------------------

NEED_CONNECTOR = (
    "Who could introduce you? Mention a friend with @, then the person you'd like to meet, "
    "then a line about why."
)
CONNECTOR_NOT_MEMBER = (
    "The friend making the intro needs to be a member here: mention them with @. "
    "The person you'd like to meet comes next, and may be outside the community."
)
UNKNOWN_CONNECTOR = (
    "I couldn't find a member called “{name}”. Mention your friend with @ so I know "
    "exactly who you mean."
)
NEED_TARGET = (
    "Whom would you like to meet? Mention a member with @, or describe someone outside the "
    'community in quotes, like "someone on the data team at Acme".'
)
UNKNOWN_TARGET = (
    "I couldn't find a member called “{name}”. Mention a member with @, or put someone "
    'outside the community in quotes, like "someone at Acme".'
)
TARGET_TOO_LONG = (
    "Please describe the person you'd like to meet in under {limit} characters, "
    'like "someone on the data team at Acme".'
)
YOUR_FRIEND = "your friend"
NEED_REASON = (
    "Add a line about why you'd like to meet them: it's the first thing {connector} will "
    "read. Say what you're working towards and what you'd love to learn — a clear reason "
    "makes a yes easy."
)
REASON_TOO_LONG = (
    "That's a little long ({length} characters). Please keep your reason under {limit} — "
    "a few clear sentences are the easiest to say yes to."
)
SELF_CONNECTOR = (
    "You can't introduce yourself through yourself. Pick a friend who knows the person "
    "you'd like to meet."
)
SELF_TARGET = "That's you! Mention the person you'd like to meet."
SAME_PERSON = (
    "{person} can't introduce you to themselves. If you'd like to meet them, just say hello "
    "directly — or ask a friend to introduce you."
)
BOT_CONNECTOR = "{who} is a bot, so it can't make intros. Ask a person who knows them."
BOT_TARGET = "{who} is a bot — intros are for meeting people. Mention a person you'd like to meet."
DUPLICATE = (
    "You've already asked {connector} about {target}, and that request (`{id}`) is still "
    "open. Give them a little time — I'll tell you as soon as there's news."
)
TOO_MANY = (
    "You have {count} intro requests waiting already. Let's give those people time to "
    "answer before asking more — nobody likes to feel rushed. See them with `/intro list`, "
    "or withdraw one with `/intro cancel <id>`."
)

# -- asking ---------------------------------------------------------------------

ASKED = (
    "Sent! I've asked {connector} privately whether they'd introduce you to {target}. "
    "I'll let you know how it goes.\n"
    "Your request is `{id}` — `/intro cancel {id}` withdraws it."
)
OUTSIDE = "“{text}”"  # how a person outside the community is shown

# Each ask is a heading, the requester's reason, and a note; once answered, the note
# and the buttons give way to what was chosen.
CONNECTOR_ASK = (
    "*{requester} would love an intro to {target}*, and thinks you're the right person to make it."
)
CONNECTOR_ASK_OUTSIDE = (
    "*{requester} would love an intro to someone outside the community: {target}*, and "
    "thinks you might know them."
)
REMIND = (  # also after a snooze, so no "3 days ago"
    "*A gentle nudge:* a little while ago {requester} asked whether you'd introduce them to "
    "{target}."
)
WHY = "Why they'd like to meet: “{reason}”"
CONNECTOR_NOTE = (
    "A few words from someone they trust beat any cold message. No pressure, though: if "
    "it's not a fit, choose _Not now_ and I'll let them know kindly, without any detail."
)
CONNECTOR_NOTE_OUTSIDE = (
    "If you choose _Make the intro_, I'll give you a short note you can forward. If it's "
    "not a fit, choose _Not now_ and I'll let them know kindly, without any detail."
)
REMIND_NOTE = "Whenever you have a moment — either answer is fine."

# The reminder's Snooze a week: it keeps Make the intro / Not now.
REMINDER_SNOOZED = (
    "Snoozed. I'll remind you again around *{date}* if it's still open. "
    "You can answer here any time before then."
)
REMINDER_SNOOZE_CLOSES = (
    "This request closes on *{date}*, before a week is up, so that was my last reminder. "
    "You can still answer here until then."
)

BUTTON_MAKE = "Make the intro"
BUTTON_NOT_NOW = "Not now"
BUTTON_ACCEPT = "Happy to connect"
BUTTON_DECLINE = "No thanks"
BUTTON_COFFEE = "Schedule a coffee chat"

# -- the connector answers --------------------------------------------------------

CHOSE = "You chose *{choice}*."
CONNECTOR_MADE = (
    "Thank you! I've asked {target} whether they're happy to connect, and I'll bring the "
    "three of you together if they are."
)
CONNECTOR_MADE_OUTSIDE = "Thank you! I've sent you a note you can forward to {target}."
CONNECTOR_NOT_NOW = "No problem at all. I'll let {requester} know kindly, without any detail."

REQUESTER_CONNECTOR_YES = (
    "Good news: {connector} is happy to introduce you to {target}. I've asked {target} "
    "whether they'd like to connect — you'll hear from me either way."
)
TARGET_ASK = "*{connector} would like to introduce you to {requester}.*"
TARGET_WHY = "Why {requester} would like to meet: “{reason}”"
TARGET_NOTE = (
    "If you're happy to connect, I'll start a small conversation with the three of you. "
    "If not, that's completely fine: I'll let them know kindly, without any detail."
)

BLURB_HEAD = (
    "Here's a note for {target}. Copy it, change anything you like, and send it on "
    "(by email, LinkedIn, wherever you know them from):"
)
BLURB = (
    "Hi! I'd like to introduce you to {name}, someone I know from our community. "
    "In their words: “{reason}”\n"
    "Would you be open to a short chat with them? If so, reply and I'll put you two in "
    "touch. Thank you!"
)
REQUESTER_MADE_OUTSIDE = (
    "Good news: {connector} is making your intro to {target}, outside the community. "
    "When you hear back, reply quickly and warmly — and say thanks to {connector}."
)

# -- the target answers -------------------------------------------------------------

TARGET_ACCEPTED = "Lovely — I've started a conversation with the three of you."
TARGET_DECLINED = "That's completely fine. I'll let them know kindly, without any detail."
GROUP_INTRO = (
    "*Meet each other!* {connector} is introducing {requester} and {target}.\n"
    "{requester} would like to meet because: “{reason}”\n"
    "{requester}, over to you: say hello, share a line about yourself, and suggest a short "
    "chat at a time that suits {target}. {connector}, thank you for bringing people together."
)
CONNECTOR_TARGET_DECLINED = (
    "{target} isn't able to connect with {requester} right now. Thank you for offering to "
    "make the intro — that kind of help is what makes a community."
)

# -- telling the requester it won't happen -------------------------------------------

REQUESTER_DECLINED = (
    "Your intro to {target} isn't going to happen this time. People pass for all sorts of "
    "reasons — a busy month, a full plate — and it's never a verdict on you.\n"
    "{encouragement}"
)
ENCOURAGEMENTS = (
    "You probably know someone else who knows someone on that team — who else could you ask?",
    "Keep going: relationships grow one conversation at a time, and asking is the hard part.",
    "Ignore the noise and keep reaching out. You belong here, and the right people will say yes.",
    "Each person you reach out to widens your network a little. A coffee chat with a friend "
    "this week could lead somewhere new.",
)
EXPIRED = (
    "Your request for an intro to {target} through {connector} has been open for {days} "
    "days, so I've closed it. Silence usually means a busy season, not a no. You could ask "
    "someone else who knows them, or try again later."
)

# -- the target can't be reached (their DMs are closed, or they've left) ------------------

REQUESTER_UNREACHABLE = (
    "An update on your intro to {target}: {connector} said yes, but I couldn't reach "
    "{target} — my messages to them aren't getting through. That's about their settings, "
    "not about you, so I've closed the request.\n"
    "If {connector} knows another way to reach them (email, LinkedIn…), I can write you a "
    "short note to send {connector} to pass on."
)
CONNECTOR_UNREACHABLE = (
    "Thank you for saying yes to {requester}'s intro. I couldn't reach {target}, though — "
    "my messages to them aren't getting through — so I've closed the request and let "
    "{requester} know. If you know another way to reach {target}, {requester} may send "
    "you a short note to pass on."
)
# -- the connector can't be reached: the ask itself never arrived ---------------------------
REQUESTER_CONNECTOR_UNREACHABLE = (
    "An update on your intro request `{id}` to {target}: I couldn't reach {connector} to "
    "ask them — my messages to them aren't getting through. That's about their settings, "
    "not about you, so I've closed the request. You might ask {connector} another way, or "
    "ask someone else who knows {target}."
)
BUTTON_NOTE = "Get a note to forward"
NOTE_SENT = "Here it comes — look for my next message."
NOTE_ALREADY = "I've already sent you that note — it's a little further up. Nothing changed."
BLURB_HEAD_REQUESTER = (
    "Here's a note {connector} could forward to {target}. Send it to {connector} with a "
    "thank-you; they can change anything they like and pass it on:"
)

# -- after the intro -------------------------------------------------------------------

THANK = (
    "{connector} introduced you to {target} recently. Have you thanked them yet? A short "
    "note about how it went makes people glad they helped — and happy to help again."
)

# -- cancelling ------------------------------------------------------------------------

CANCELLED = "Done: I've withdrawn your request `{id}` for an intro to {target}."
CANCELLED_NOTE = (
    "{requester} has withdrawn their request for an intro to {target}. Nothing more to do — "
    "thanks for being someone people can ask."
)
CANCELLED_NOTE_TARGET = (
    "{requester} has withdrawn their intro request, so there's nothing for you to answer. "
    "Thanks for being open to meeting people!"
)
CANCEL_WHICH = "Which request? Give its id, like `/intro cancel {id}`. Your open requests: {ids}."
CANCEL_NONE_OPEN = "You have no open intro requests right now, so there's nothing to withdraw."
CANCEL_UNKNOWN = (
    "I couldn't find an intro request of yours with the id “{id}”. `/intro list` shows them."
)
CANCEL_CLOSED = "Request `{id}` isn't open any more ({status}), so there's nothing to withdraw."

# -- buttons pressed by the wrong person, or too late -----------------------------------

NOT_YOURS = "Only {who} can answer this one. Nothing changed."
ALREADY_ANSWERED = "You've already answered this one — thank you! Nothing changed."
NOW_CLOSED = "This request is {status} now, so there's nothing more to do. Thanks for looking!"
GONE = "I can't find that request any more. Nothing changed."

# -- /intro list ----------------------------------------------------------------------

LIST_TITLE = "*Your intro requests*"
LIST_LINE = "`{id}` {target} through {connector} — {status}"
LIST_EMPTY = (
    "You haven't asked for any intros yet. Try `/intro @friend @person why` — a friend's "
    "intro opens doors a cold message can't."
)
LIST_WAITING_TITLE = "*Waiting for your answer*"
LIST_WAITING_LINE = "`{id}` {requester} would like to meet {target} — look for my message"
LIST_MORE = "…and {count} older ones."

STATUS = {
    "requested": "just sent",
    "asked_connector": "waiting for {connector}",
    "asked_target": "{connector} said yes; waiting for {target}",
    "introduced": "introduced",
    "made_outside": "{connector} is making the intro",
    "declined": "not this time",
    "expired": "expired",
    "cancelled": "withdrawn",
    "unreachable": "closed: I couldn't reach {target}",
}
STATUS_CONNECTOR_UNREACHABLE = "closed: I couldn't reach {connector}"

# -- in the member's home ------------------------------------------------------
HOME_ASK_CONNECTOR = "{requester} asks you to introduce them to {target}: “{reason}”"
HOME_ASK_TARGET = "{connector} would like to introduce you to {requester}: “{reason}”"
HOME_INTROS = "Intros"
HOME_INTROS_EMPTY = (
    "Nothing open. Who could introduce you to someone you'd love to meet? "
    "`/intro @friend @person why`"
)
HOME_INTROS_FOOTER = "`/intro list` shows every request."
HOME_MY_INTRO_CONNECTOR = (
    "You asked {connector} to introduce you to {target} — waiting for their answer "
    "(since {since}) · `{id}`"
)
HOME_MY_INTRO_UNREACHABLE = (
    "{connector} said yes to your intro to {target}, but I couldn't reach {target}, so "
    "it's closed · `{id}`"
)
HOME_MY_INTRO_CONNECTOR_UNREACHABLE = (
    "I couldn't reach {connector} to ask for your intro to {target}, so it's closed · `{id}`"
)
HOME_MY_INTRO_TARGET = (
    "{connector} said yes to your intro to {target} — waiting for {target} now · `{id}`"
)

# -- when a member is erased -----------------------------------------------------
WITHDRAWN_INTRO = (
    "An intro request you were part of (`{id}`) has been withdrawn, so there's nothing "
    "more to do for it."
)
