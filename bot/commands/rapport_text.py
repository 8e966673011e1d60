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
SETTINGS_NUDGES = "Nudges: *{state}*"
SETTINGS_HINT = (
    "Change them with `/rapport settings tz <zone>`, `/rapport settings quiet 21:00-08:00` "
    "or `/rapport settings weekends on|off`."
)
TZ_SAVED = "Got it: your time zone is now *{tz}*. It's {local} there right now."
QUIET_SAVED = "Done. I'll keep quiet from *{start}* to *{end}* your time{weekends}."
WEEKENDS_SAVED_ON = "Done. I'll leave your weekends alone."
WEEKENDS_SAVED_OFF = "Done. Weekends count as normal days for nudges now."
WEEKENDS_BAD = "Say `on` to keep weekends quiet or `off` to allow nudges on weekends."
UNKNOWN_SETTING = "I can change `tz`, `quiet` and `weekends`. Which one did you mean?"
