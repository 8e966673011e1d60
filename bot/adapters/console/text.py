"""Words of the console adapter itself (the core's words live with the commands)."""

REPLY = "  (only @{user} can see this)"
REPLY_PUBLIC = "  (in #general)"
UPDATED = "  (the message with the button now says)"
DM = "  [DM to @{user}]"
GROUP = "  [group conversation: {users}]"
CHANNEL = "  [#{channel}]"
ATTACHED = "(attached: {filename})"
SAVED = "(saved to {path})"
HOME = "  (your home — only @{user} can see this)"
NOT_A_COMMAND = (
    "  Commands start with / (try /rapport help); console controls start with : (try :help)."
)
UNKNOWN_META = "  I don't know :{verb}. Type :help for the console controls."
NO_SUCH_MEMBER = "  There's no member called {name} here. Members: {names}."
NOW_YOU_ARE = "  You are now @{user}."
ADVANCE_USAGE = (
    "  {why} Say how far to move the clock, like :advance 3d, :advance 2h or :advance 1w."
)
ADVANCED = "  The clock moved forward. It is now {now}."
NO_SUCH_BUTTON = (
    "  There's no button “{which}”. Press one by its number, like :press 2, or by its label."
)
FORM_OPEN = "  ── {title} ── (answer each question on its own line; :cancel leaves the form)"
FORM_FIELD = "  {label}{hint}{optional}"
FORM_HINT = " — e.g. {hint}"
FORM_OPTIONAL = " (optional: :skip leaves it empty)"
FORM_NOW = " (now: {now} — :skip keeps it{clear})"
FORM_CLEAR = ", :clear empties it"
FORM_NEEDED = "This one is needed: type your answer, or :cancel to leave the form."
FORM_NO_MEMBER = "There's no member called “{what}” here. Members: {names}."
FORM_BUSY = (
    "  You're in the middle of a form: answer the question below, :skip it, "
    "or :cancel to leave the form first."
)
FORM_ERROR = "  ✗ {error}"
FORM_CANCELLED = "  Form closed; nothing was sent."
TIME = "  It is {now}."
WHO = "  You are @{user}. Members: {names}."
DMS_CLOSED = "  @{user} now has DMs closed: messages to them will fail."
WELCOME = (
    "Welcome to rapport's console community. You are @you (an admin); "
    "alice, bob, carol and dan are here too.\n"
    "Type /rapport help for commands, :help for console controls, :quit to leave."
)
META_HELP = """  Console controls:
    :as bob            act as another member
    :press 2           press button number 2 (or :press Make the intro)
    :cancel            leave a form without sending it (:skip keeps a field as it
                       is, :clear empties it)
    :advance 3d        move the clock forward (w, d, h, m, s) and deliver what comes due
    :time              show the time
    :who               who you are, and who is here
    :close_dms carol   make DMs to carol fail, as if she closed them
    :quit              leave (everything is saved in the data directory)"""
STORE_UNAVAILABLE = (
    "  I couldn't reach my store just now (a full disk, or the database is down), so "
    "nothing changed. Try again in a moment."
)
