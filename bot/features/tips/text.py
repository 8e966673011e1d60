"""Words of ``/tips``: channel tips, the content library, and the weekly digest."""

SUMMARY = "Tips and encouragement for everyone, posted to a channel on a schedule."

# -- posts -------------------------------------------------------------------
TIP_POST = "💡 *{category}*\n{text}"
ENCOURAGEMENT_POST = "🌱 *A word of encouragement*\n{text}"
CUSTOM_POST = "💡 *A tip from your community*\n{text}"
CUSTOM_LABEL = "From your community"

# -- a tip for me ------------------------------------------------------------
FOR_YOU = "Here's one for you — _{category}_:\n{text}"
UNKNOWN_TOPIC = (
    "I don't have tips about “{word}”. Try one of these topics: {topics}. "
    "`/rapport help tips` shows every /tips command."
)
NOTHING_LEFT = "There are no tips to show right now: an admin has hidden them all."

# -- admin: where and when ---------------------------------------------------
WHEN_MISSING = "When should I post? Add a schedule after the channel."
CHANNEL_SET = "Done! I'll post a tip or a word of encouragement in {channel} {cadence}."
NEXT_POST = "The first one arrives *{next}*."
DIGEST_TOO = (
    "There I'll also share a weekly digest {digest}: chats held, intros made, "
    "follow-ups done and wins shared, numbers only. `/tips digest off` skips it."
)
TIPS_OFF = (
    "Tips are paused. Nothing more goes to {channel} until an admin runs `/tips channel` again."
)
TIPS_ALREADY_OFF = "Tips aren't being posted right now, so there's nothing to pause."
NEEDS_CHANNEL = (
    "There's no tips channel yet. Pick one first, like `/tips channel #jobs every monday 9:00`."
)
NOW_WHERE = "Name the channel with #, or leave it out to use the tips channel."
POSTED_NOW = "Posted in {channel}. The schedule carries on as before."
LIBRARY_EMPTY = (
    "Every tip is hidden, so there's nothing to post. `/tips restore <id>` brings one back."
)

# -- admin: the library ------------------------------------------------------
ADD_EMPTY = "What's the tip? Write it after `/tips add`."
ADD_TOO_SHORT = "That's a little short for a tip. Give people one concrete thing to try."
ADD_TOO_LONG = "Tips work best short: please keep it under {limit} characters (that one has {n})."
ADD_ALREADY = "That tip is in the rotation already (`{id}`): great minds think alike!"
ADDED = "Added as *{id}*. It joins the rotation and will turn up before anything repeats."
WHICH_TIP = "Which tip? Give its id; `/tips list` shows them."
UNKNOWN_TIP = "I don't have a tip called “{id}”. `/tips list coffee` shows the ids of one topic."
REMOVED_CUSTOM = "Removed *{id}*. It won't be posted again."
HIDDEN = "Done: *{id}* won't be posted in this community. `/tips restore {id}` brings it back."
ALREADY_HIDDEN = "*{id}* is already hidden. `/tips restore {id}` brings it back."
RESTORED = "*{id}* is back in the rotation."
NOT_HIDDEN = "*{id}* isn't hidden, so there's nothing to restore."

# -- list --------------------------------------------------------------------
LIST_TITLE = "*Tips in this community*"
LIST_POSTING = "Posting in {channel} {cadence}. Next: {next}."
LIST_PAUSED = "Tips are paused (last channel: {channel})."
LIST_NOT_SET = (
    "Tips aren't posted anywhere yet. An admin can start them with "
    "`/tips channel #jobs every monday 9:00`."
)
LIST_DIGEST = "Weekly digest: {digest}."
LIST_DIGEST_OFF = "Weekly digest: off."
LIST_CYCLE = "This round: {used} of {total} posted before anything repeats."
LIST_TOPIC = "*{label}* ({n}) — `/tips list {word}`"
LIST_TOPIC_ONE = "*{label}* ({n}):"
LIST_CUSTOM_TITLE = "*From your community* ({n})"
LIST_ITEM = "`{id}` {text}"
LIST_ITEM_HIDDEN = "`{id}` _(hidden)_ {text}"
LIST_MORE = "…and {n} more."
LIST_HIDDEN = "Hidden here: {ids}."
LIST_HINT = "`/tips` gives you one tip right now; `/tips coffee` one about a topic."

# -- digest ------------------------------------------------------------------
DIGEST_SET = "The weekly digest goes to {channel} {digest}."
DIGEST_SET_LATER = "The weekly digest will run {digest} once a tips channel is set."
DIGEST_WEEKLY = "The digest is weekly: pick one day and a time, like “every friday 16:00”."
DIGEST_OFF = "The weekly digest is off. `/tips digest on` brings it back."
DIGEST_ON_NEEDS_CHANNEL = "The digest is on and will start once a tips channel is set."
DIGEST_POSTED = "Posted this week's digest in {channel}."
DIGEST_NOW_TIPS_OFF = (
    "Tips are paused right now, and the digest rests with them, so I haven't posted it. "
    "When you're ready, `/tips channel` with {channel} and a schedule, like "
    "`every monday 9:00`, turns tips back on — and the digest with them."
)
DIGEST_TITLE = "📬 *The week in our community* ({span})"
DIGEST_CHATS = "☕ {n} coffee chats held"
DIGEST_CHATS_ONE = "☕ {n} coffee chat held"
DIGEST_INTROS = "🤝 {n} warm intros made"
DIGEST_INTROS_ONE = "🤝 {n} warm intro made"
DIGEST_FOLLOWUPS = "🔁 {n} follow-ups done"
DIGEST_FOLLOWUPS_ONE = "🔁 {n} follow-up done"
DIGEST_WINS = "🎉 {n} wins shared"
DIGEST_WINS_ONE = "🎉 {n} win shared"
DIGEST_CLOSING = "Every one of these started with one message. Who will you reach out to this week?"
DIGEST_QUIET = (
    "A quiet week, and that's okay. One short note to one person is a great start: "
    "try `/outreach` for a draft, or `/intro` to ask a friend for a warm intro."
)
