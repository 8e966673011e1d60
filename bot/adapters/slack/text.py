"""Words of the Slack adapter itself (the core's words live with the commands)."""

WORKING = "One moment…"  # a command's ack; its answer replaces it
BUSY = (
    "I'm handling a lot of requests right now and couldn't take this one. "
    "Please try again in a moment — nothing was changed."
)
ATTACHMENT_SENT_BY_DM = "I've sent you {filename} in a direct message."
ATTACHMENT_NOT_ATTACHED = (
    "I couldn't attach {filename} here: Slack refused the upload, so the file mentioned "
    "above is missing. Please try again in a little while; if it keeps happening, an admin "
    "can check that rapport may upload files (the files:write scope)."
)
HOME_TITLE = "rapport"
HOME_INTRO = (
    "Hi {name}! I help you grow your career through people: warm intros from friends, "
    "coffee chats, and thoughtful follow-ups."
)
HOME_TAB_HINT = "This is also on rapport's *Home* tab, kept up to date as things change."
UNREADABLE = (
    "I couldn't read that command — Slack sent it without something I need. "
    "Please try again; nothing was changed."
)
UNREADABLE_PRESS = (
    "I couldn't read that — Slack sent it in a shape I don't understand. "
    "Please try again; nothing was changed."
)
STORE_TROUBLE = (
    "I can't save anything just now, so I couldn't take this one. "
    "Please try again in a minute — nothing was changed."
)
FORM_CLOSE = "Cancel"
FORM_NOT_OPENED = (
    "I couldn't open the form in time — Slack gives it only a few seconds. "
    "Please press the button or run the command again; nothing was changed."
)
FORM_BUSY = "I'm handling a lot of requests right now. Please send this again in a moment."
# A submitted modal's input whose value Slack sent in a shape we can't read, by element.
FIELD_UNREADABLE = {
    "datetimepicker": "Please pick a date and time.",
    "users_select": "Please pick a member.",
    "multi_users_select": "Please pick members from the list.",
    "conversations_select": "Please pick a channel.",
    "channels_select": "Please pick a channel.",
    "static_select": "Please pick one of the options.",
}
FIELD_UNREADABLE_TEXT = "I couldn't read what's here. Please write it again."
