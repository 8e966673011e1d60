"""Words of the pre-chat preparation message, per role. To be merged into the coffee
feature's text module.

Templates use our markup; ``{who}`` is the other person (a mention) and ``{topic}`` the
chat's topic as typed (plain text, never parsed). ``{key}`` is filled in by
``prep.plan`` with a question-bank topic key before the line is handed out.
"""

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
