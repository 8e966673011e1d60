"""Words of the network map: profiles and "who can introduce me to…"."""

# -- profiles ----------------------------------------------------------------------------
PROFILE_TITLE = "*Your profile*"
PROFILE_HOME_TITLE = "Your profile"
PROFILE_EDIT = "Edit profile"
PROFILE_EMPTY = (
    "You have no profile yet. A few words help friends think of you when an opening comes up: "
    '`/rapport profile role "data engineer" company Acme open on findable on`'
)
PROFILE_DOES = "What I do: {does}"
PROFILE_SEEKS = "Looking for: {seeks}"
PROFILE_OPEN = "Open to work: *{state}*"
PROFILE_HELPS = "I can help with: {helps}"
PROFILE_FINDABLE = "Findable in searches: *{state}* · Happy to be asked for intros: *{connector}*"
PROFILE_HINT = (
    "Change it with `/rapport profile edit`, or in one line: "
    "`/rapport profile company Acme connector on`. Everything is off until you switch it on."
)
PROFILE_SAVED = "Saved. Here's your profile now:"
PROFILE_CLEARED = "Your profile is gone; nobody will find you in searches until you make a new one."
PROFILE_BAD_KEY = (
    "I can set role, company, field, seeking, fields, companies, helps, open, findable and "
    "connector. “{word}” isn't one of them."
)
PROFILE_NEED_VALUE = 'What should {key} be? Put several words in quotes, like role "data engineer".'
PROFILE_ON_OFF = "{key} is on or off."
PROFILE_TOO_LONG = "Please keep {key} under {limit} characters."

FORM_TITLE = "Your profile"
FORM_SUBMIT = "Save"
FORM_ROLE = "What you do (your role)"
FORM_COMPANY = "Where (company or organisation)"
FORM_FIELD = "Your field"
FORM_SEEKING = "What you're looking for (roles, fields)"
FORM_OPEN = "Open to work?"
FORM_SHARING = "Who may use your profile?"
YES_NO = (("Yes", "on"), ("No", "off"))
SHARING = (
    ("Nobody: keep it private", "private"),
    ("Others may find me in searches", "findable"),
    ("Findable, and happy to be asked for intros", "both"),
    ("Not findable, but happy to be asked for intros", "connector"),
)

# -- finding paths -------------------------------------------------------------------------
FIND_NEED = (
    "Who would you like to reach? Name a company, a role or a field, or mention someone: "
    "`/intro find Acme`."
)
FIND_SELF = (
    "That's you! Search for the people you'd like to reach: a company, a role, a field, "
    "or someone else by @mention."
)
FIND_BOT = "That's a bot, and bots don't take coffee. Mention a person, or search a company."
FIND_NO_MEMBER = (
    "I couldn't find a member called “{name}”. Check the name (members show up as you "
    "type @); for someone outside the community, search their company or role instead."
)
FIND_NONE_PERSON = (
    "I couldn't find a path to {what} through people who've opted in to make intros. "
    "You can always reach out yourself: `/coffee` asks {what} for a chat."
)
FIND_TITLE = "*Ways to reach {what}* (only you can see this)"
FIND_KNOW = "{n}. You already know {target} ({does}): say hello directly!"
FIND_PATH = "{n}. {connector} knows {target} ({does}) — {tie}."
FIND_ASK = "Ask {connector}"
FIND_NONE = (
    "I couldn't find a path to {what} yet: nobody who opted in matches, or nobody they've met "
    "is happy to make intros. Try a broader word (a field rather than a company), or join "
    "coffee roulette to meet more people: `/coffee roulette join`."
)
TIE_MET = "met {when}"
TIE_MANY = "in touch {n} times, last {when}"

# -- openings --------------------------------------------------------------------------------
OPENINGS_SUMMARY = (
    "Share a job opening: the people it fits hear first, those who met you before others."
)
OPENING_USAGE = "/opening <role> at <company> [link] [details]"
OPENING_EXAMPLE = "/opening data engineer at Acme https://acme.test/jobs/42 remote, junior-friendly"
OPENING_NEED = "What's the opening? Say the role and the company: `{example}`."
OPENING_NEED_AT = "Which company? Write it after “at”, like `/opening {role} at Acme`."
OPENING_NEED_ROLE = (
    "What's the role? Write it before “at”, like `/opening data engineer at {company}`."
)
OPENING_TOO_LONG = "That's a lot for one opening: please keep it under {limit} characters."
OPENING_NO_CHANNEL = (
    "Openings don't have a channel yet. An admin can choose one with `/opening channel #jobs`."
)
OPENING_POST = "📣 *New opening:* {role} at {company}{link}{details}\nShared by {poster} · `{id}`"
OPENING_LINK = " — {link}"
OPENING_DETAILS = "\n{details}"
OPENING_POSTED = (
    "Thanks for passing it on! It's in {channel}, and I'm letting {told} whose goals match "
    "know privately, people who have met you first. (`{id}`)"
)
OPENING_POSTED_NOBODY = (
    "Thanks for passing it on! It's in {channel} for everyone to see. Nobody's goals match "
    "it yet, so I haven't told anyone privately. (`{id}`)"
)
OPENING_POSTED_CAPPED = (
    "Thanks for passing it on! It's in {channel} for everyone to see. The people it fits "
    "have heard about enough openings this week, so I haven't told anyone privately. (`{id}`)"
)
OPENING_DM = (
    "An opening that fits what you're looking for: *{role}* at *{company}*{link}, shared by "
    "{poster}{because}. If it interests you, say thanks and ask them about it."
)
OPENING_BECAUSE_MET = " (you've met)"
OPENING_CHANNEL_SET = "Done: openings will be posted in {channel}."
OPENING_CHANNEL_NEED = "Which channel should openings go to? `/opening channel #jobs`"
OPENING_LIST_TITLE = "*Open openings*"
OPENING_LIST_LINE = "`{id}` · {role} at {company} · shared by {poster}"
OPENING_LIST_EMPTY = (
    "No openings right now. When you hear of one, `/opening role at company` shares it."
)
OPENING_CLOSED = "Closed `{id}`. Thanks for keeping the list fresh!"
OPENING_NOT_YOURS = "Only whoever shared `{id}` (or an admin) can close it."
OPENING_CLOSE_NEED = (
    "Which opening? Add its id, like `/opening close k3f9qz`; `/opening list` shows them."
)
OPENING_UNKNOWN = "I don't know an open opening `{id}`. `/opening list` shows them."
