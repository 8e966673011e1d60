"""Words of ``/rapport``: help and settings."""

HELP_TITLE = "*Here's what I can do.* Everything works with slash commands and buttons."
HELP_FAMILY = "*/{name}* — {summary}"
HELP_LINE = "`{usage}` — {summary}"
HELP_FOOTER = "Try `/rapport help intro` for one command with examples."
HELP_EXAMPLE = "_Example:_ `{example}`"
HELP_UNKNOWN = "I don't have a command called `/{name}`."

SETTINGS_TITLE = "*Your settings*"
SETTINGS_TZ = "Time zone: *{tz}*{source}"
SETTINGS_TZ_FROM_PROFILE = " (from your profile)"
SETTINGS_TZ_DEFAULT = (
    " (the community default — set yours with `/rapport settings tz Europe/Berlin`)"
)
SETTINGS_QUIET = "Quiet hours: *{quiet}*{weekends}"
SETTINGS_WEEKENDS_QUIET = ", and weekends"
SETTINGS_QUIET_OFF = "Quiet hours: *none*{weekends}"
SETTINGS_DATES = "Dates like 12/10: *{dates}*"
SETTINGS_DATE_ORDER = {
    "DMY": "day first (12 October)",
    "MDY": "month first (December 10)",
    "ask": "I ask when one could mean two days",
}
SETTINGS_NUDGES = "Nudges: *{state}*"
SETTINGS_HINT = (
    "Change them with `/rapport settings tz <zone>`, `/rapport settings quiet 21:00-08:00` "
    "(or `off`) or `/rapport settings weekends quiet|normal`."
)
TZ_SAVED = "Got it: your time zone is now *{tz}*. It's {local} there right now."
TZ_NOTE = "_{note}_"
QUIET_SAVED = "Done. I'll keep quiet from *{start}* to *{end}* your time{weekends}."
QUIET_OFF_SAVED = "Done: no quiet hours, so nudges may come at any hour of the day{weekends}."
QUIET_OFF_WEEKENDS = " (weekends stay quiet)"
WEEKENDS_SAVED_ON = "Done. I'll leave your weekends alone."
WEEKENDS_SAVED_OFF = "Done. Weekends count as normal days for nudges now."
WEEKENDS_BAD = "Say `quiet` to keep weekends free of nudges, or `normal` to allow them."
UNKNOWN_SETTING = "I can change `tz`, `quiet`, `weekends` and `dates`. Which one did you mean?"
DATES_BAD = "Say `dmy` if 12/10 means 12 October to you, or `mdy` if it means December 10."
DATES_SAVED = {
    "DMY": "Done: I'll read 12/10 as 12 October.",
    "MDY": "Done: I'll read 12/10 as December 10.",
    "off": "Done: I'll ask whenever a date like 12/10 could mean two days.",
}

# -- /rapport home -----------------------------------------------------------------------
HOME_HELLO = "*Hi {name}!* Here's where things stand with your people."
HOME_HINT = "Buttons work right here. `/rapport stats` shows how far you've come."


# -- /rapport stats ----------------------------------------------------------------------
STATS_TITLE = "*Your rapport so far*"
STATS_INTROS = "Intros you asked for: *{asked}* · made: *{made}*"
STATS_CONNECTOR = "Intros you made for others: *{made}* (of {asked} asked of you)"
STATS_CONNECTOR_NONE = "Nobody has asked you for an intro yet — your turn will come."
STATS_CHATS = "Coffee chats that happened: *{held}*"
STATS_CHATS_NOTE = "_(only chats someone confirmed at the check-in count)_"
STATS_FOLLOWUPS = "Follow-ups done: *{done}*"
STATS_STREAK_ON = "Streak: *{weeks}* in a row with at least one step toward someone. Keep it going!"
STATS_STREAK_OFF = "Streak: none running yet. One intro, chat or follow-up this week starts it."
STATS_PATHS = (
    "Paths found → intros asked through a path → intros made: *{found}* → *{asked}* → *{made}*"
)
STATS_ADMIN_TITLE = "*The community*"
STATS_ADMIN_NETWORK = (
    "The network: *{found}* found → *{asked}* asked through one → *{made}* made; "
    "*{openings}* shared, *{told}* told"
)
STATS_ADMIN_TOTALS = (
    "All time: *{requests}*, *{intros}* made, *{chats}* held, *{followups}* done, *{wins}* shared"
)
STATS_FUNNEL_TITLE = "*Last 4 weeks:* requests → intros made → chats held → follow-ups kept"
STATS_FUNNEL_TOTAL = "Together: *{requests}* → *{intros}* → *{chats}* → *{followups}*"
STATS_FUNNEL_WEEK = "Week of {week}: {requests} → {intros} → {chats} → {followups}"
STATS_CHECKINS = (
    "Check-ins: {due} came due; *{answered}* {was} answered and *{held}* said it happened."
)
STATS_CHECKINS_NONE = "Check-ins: no chat has come due for one in the last 4 weeks."

# -- /rapport privacy --------------------------------------------------------------------
PRIVACY_HELP = (
    "*Your data, your call.*\n"
    "`/rapport privacy export` — everything I keep about you, as a file in a DM.\n"
    "`/rapport privacy delete` — erase everything about you (I'll ask you to confirm)."
)
PRIVACY_UNKNOWN = "I can `export` your data or `delete` it. Which would you like?"
EXPORT_SENT = "I'm sending you everything I keep about you as *{filename}* in a direct message."
EXPORT_DM = (
    "Here's everything rapport keeps about you in this community, as of {when} UTC. "
    "It's yours — keep it or delete it whenever you like."
)
DELETE_ASK = (
    "*Erase everything about you?*\n"
    "Your intro requests, chats, follow-ups, roulette spot, wins and settings go, and "
    "anything I was about to send you or about you is cancelled. People in your open "
    "intros and chats only hear that the request was withdrawn. This can't be undone — "
    "`/rapport privacy export` first if you'd like a copy."
)
DELETE_YES = "Yes, erase everything"
DELETE_NO = "Keep my data"
DELETE_KEPT = "Nothing was erased. Your data stays as it was."
DELETE_DONE = (
    "Done: everything rapport kept about you here is erased ({count} records). "
    "If you come back one day, you'll start fresh. Take care!"
)
DELETE_NOT_YOURS = "That confirmation belongs to someone else, so I left everything alone."
DELETE_EXPIRED = (
    "That confirmation has expired, so nothing was erased. "
    "Run `/rapport privacy delete` again if you still want to."
)
DELETE_GONE = "That confirmation isn't active any more, so nothing changed."

# Under the home, where a home tab has room (Slack)
HOME_COMMANDS = "*What you can do*"
HOME_HELP = "Type `/rapport help` in any channel for every command with an example."

# How an erased member is shown in others' own records (their follow-ups).

# -- settings in the home, and their form -------------------------------------------
SETTINGS_HOME_TITLE = "Your settings"
SETTINGS_CHANGE = "Change settings"
SETTINGS_FORM_TITLE = "Your settings"
SETTINGS_FORM_SUBMIT = "Save"
SETTINGS_FORM_ZONE = "Your time zone (a city, a zone name, or UTC+1)"
SETTINGS_FORM_QUIET = "Quiet hours, when I won't nudge you"
SETTINGS_FORM_WEEKENDS = "Weekends"
SETTINGS_FORM_DATES = "Dates like 12/10"
SETTINGS_SAVED = "Saved. Here's how things stand now:"
