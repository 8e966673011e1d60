"""Words of ``/win``: sharing a win and celebrating it together."""

SUMMARY = "Share a win, big or small, and celebrate it with the community."

POST = "🎉 *{who} shared a win!*\n“{text}”\n{cheer}"
CHEERS = (
    "Congratulations! Every step like this one counts.",
    "That's what showing up looks like. Well done!",
    "Huge. Take a moment to enjoy it.",
    "This is how it happens: one conversation at a time. Congrats!",
    "Love to see it. Keep that momentum going!",
    "Well earned. The whole community is cheering for you.",
)
SHARED = "Shared in {channel}. Congratulations, and thank you for inspiring everyone else! 🎉"
LOOKS_LIKE_A_SWITCH = (
    "“{word}” doesn't sound like a win, so I didn't post it. To turn the wins channel off or "
    "on, an admin uses `/win channel off` or `/win channel #wins`."
)
EMPTY = "What's the win? Anything counts: a reply, a coffee chat, an interview, an offer."
TOO_LONG = (
    "That's a wonderful story! Please keep it under {limit} characters so it fits the "
    "channel (it has {n})."
)
TOO_MANY = (
    "You've shared {n} wins today, amazing! Save the next one for tomorrow so the channel "
    "stays a joy to read."
)
NO_CHANNEL_MEMBER = (
    "I'd love to celebrate this with everyone, but there's no wins channel yet. "
    "Ask an admin to pick one with `/win channel #wins`. In the meantime: congratulations!"
)
NO_CHANNEL_ADMIN = (
    "There's no wins channel yet. Pick one with `/win channel #wins` and share your win "
    "again. Congratulations in the meantime!"
)
CHANNEL_SET = "Wins will be celebrated in {channel}. Members share one with `/win <what happened>`."
CHANNEL_OFF = "Wins won't be posted any more. `/win channel #wins` turns them back on."
CHANNEL_WHICH = "Which channel? Name it with #, or say `off`."
