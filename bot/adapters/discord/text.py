"""Words of the Discord adapter itself (the commands' words live with the commands)."""

CUT = "*…and more than fits in one Discord message.*"
DONE = "Done."
OOPS = (
    "Sorry, something went wrong on my side while answering. "
    "Nothing was lost; please try again in a moment."
)
BUTTON_GONE = "That button isn't active any more. Nothing changed."
THREAD_NAME = "{names} · via rapport"
GROUP_BY_DM = (
    "*(This community has no intros channel set up yet, so each of you got this by DM. "
    "Reply to each other directly — an admin can run /setup intros to give you a shared "
    "private thread next time.)*"
)
SETUP_DESCRIPTION = "Set up rapport on this server (admins)."
SETUP_INTROS_DESCRIPTION = "Where private threads for intros and group chats are opened."
SETUP_CHANNEL_OPTION = "A text channel members can see; rapport opens private threads in it."
SETUP_ADMIN_ONLY = "Only an admin (someone with Manage Server) can do that. Ask one of your admins."
SETUP_INTROS_SAVED = (
    "Done: group conversations (intros, coffee roulette) will open as private threads in "
    "{channel}. Make sure I can view it, send messages, and create private threads there."
)
# An optional option left empty while a later one is filled (see ``translate.skipped``).
OPTION_NEEDED = "One more option, please: {choices}. Nothing was done yet."
OPTION_PICK = "pick `{name}`"  # a picker, a choice list or autocomplete
OPTION_FILL = "fill `{name}`"  # free text
OPTION_OR = ", or "
OPTION_ONE_OF = "Please use {first} or {second}, not both. Nothing was done yet."
NOT_IN_SERVER = "Please use rapport's commands inside your server, not in a DM."
ZONE_HINT = "Start typing a city or zone, like Berlin or America/New_York"
FORM_REFUSED = "Almost — a few answers need another look:"
FORM_REFUSED_LINE = "• {label}: {error}"
FORM_FIX = "Fix it"
FORM_GONE = "That form isn't active any more. Nothing changed."
FORM_NOT_YOURS = "That's someone else's form, so I left it alone."
FORM_TOO_LATE = (
    "I took too long to open the form. Please press the button or run the command again; "
    "nothing was changed."
)
