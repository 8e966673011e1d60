"""The slash commands: one per command family, with typed options.

Each family becomes ``/family`` with a subcommand per form of use. A ``Form`` says
which of the family's subcommands it runs, which words it types first, and which
typed options it has — user pickers for people, channel pickers, choices for
cadences, autocomplete for time zones and for the user's own open items. The
adapter turns the chosen options back into the same ``parts`` the Slack text form
would give (``translate.parts_for``), so the core cannot tell the platforms apart.

Families and subcommands with no form below still get one, derived from their
usage line (a user picker for ``@person``, a channel picker for ``#channel``, and a
free-text ``text`` option), so a family added tomorrow is on Discord at once.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal, Protocol

import discord
from discord import app_commands

from bot.registry import Family, Sub

Kind = Literal["user", "channel", "text", "quoted", "choice", "zone", "item", "family"]


@dataclass(frozen=True)
class Opt:
    """One typed option and how it reads back as text."""

    name: str
    kind: Kind
    help: str
    required: bool = True
    choices: tuple[tuple[str, str], ...] = ()  # (what people see, what the core reads)
    table: str = ""  # for ``item``: the table of the user's open items
    prefix: str = ""  # words typed before the value, e.g. "size" → "size 3"
    unless: str = ""  # leave this option out when that one was given


@dataclass(frozen=True)
class Form:
    """One Discord subcommand and the family subcommand it runs."""

    path: tuple[str, ...]  # names under /family: ("ask",) or ("roulette", "enable")
    sub: str | None  # the family's subcommand (None: its default form)
    words: tuple[str, ...] = ()  # typed right after the subcommand's name
    opts: tuple[Opt, ...] = ()  # in the order the core reads them
    help: str = ""  # description; by default the handler's docstring


ON_OFF = (("on", "on"), ("off", "off"))
CHAT_CADENCES = (
    ("every week", "every week"),
    ("every 2 weeks", "every 2 weeks"),
    ("every month", "every month"),
)
FOLLOWUP_CADENCES = (
    *CHAT_CADENCES,
    ("every 3 months", "every 3 months"),
)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
POST_CADENCES = (
    ("daily", "daily"),
    ("weekdays", "weekdays"),
    *((f"every {day}", f"every {day}") for day in WEEKDAYS),
    ("every 2 days", "every 2 days"),
    ("every 3 days", "every 3 days"),
)
GROUP_SIZES = (("pairs", "2"), ("trios", "3"), ("groups of 4", "4"))
_ROULETTE_CHANNEL = Opt(
    "channel", "channel", "Which roulette channel (when there is more than one)", required=False
)

# What the default form of a family is called on Discord (a command with
# subcommands cannot also be run on its own).
DEFAULT_NAMES = {
    "intro": "ask",
    "coffee": "invite",
    "followup": "add",
    "outreach": "draft",
    "win": "share",
    "questions": "get",
    "tips": "get",
}

KNOWN: dict[str, list[Form]] = {
    "intro": [
        Form(
            ("ask",),
            None,
            opts=(
                Opt("connector", "user", "The friend who could introduce you"),
                Opt("target", "user", "The member you'd like to meet", required=False),
                Opt(
                    "outside",
                    "quoted",
                    "Or someone outside the community, like: someone on the data team at Acme",
                    required=False,
                    unless="target",
                ),
                Opt("why", "text", "Why you'd like to meet them (your friend will read this)"),
            ),
            help="Ask a friend for a warm intro to someone they know.",
        ),
        Form(("list",), "list"),
        Form(
            ("cancel",),
            "cancel",
            opts=(Opt("id", "item", "Which of your requests", table="intros"),),
        ),
    ],
    "coffee": [
        Form(
            ("invite",),
            None,
            opts=(
                Opt("person", "user", "Who you'd like to have coffee with"),
                Opt("when", "text", "When, in your time zone: tomorrow 3pm, tue 10:30, …"),
                Opt("topic", "quoted", "What you'd like to talk about", required=False),
            ),
            help="Invite someone to a coffee chat.",
        ),
        Form(("list",), "list"),
        Form(
            ("suggest",),
            "suggest",
            opts=(
                Opt("id", "item", "Which chat", table="coffee_chats"),
                Opt("when", "text", "The time you'd suggest instead, like thu 4pm"),
            ),
        ),
        Form(
            ("cancel",),
            "cancel",
            opts=(Opt("id", "item", "Which of your chats", table="coffee_chats"),),
        ),
        Form(("roulette", "status"), "roulette", ("status",), help="Where the roulette stands."),
        Form(
            ("roulette", "enable"),
            "roulette",
            ("enable",),
            (
                Opt("channel", "channel", "The channel whose members can join"),
                Opt("cadence", "choice", "How often a new round starts", choices=CHAT_CADENCES),
                Opt(
                    "size",
                    "choice",
                    "How many people meet together",
                    required=False,
                    choices=GROUP_SIZES,
                    prefix="size",
                ),
                Opt(
                    "starting",
                    "text",
                    "When the first round starts, like mon 10am",
                    required=False,
                    prefix="starting",
                ),
            ),
            help="Start coffee roulette in a channel (admins).",
        ),
        Form(
            ("roulette", "disable"),
            "roulette",
            ("disable",),
            (_ROULETTE_CHANNEL,),
            help="Stop coffee roulette (admins).",
        ),
        Form(
            ("roulette", "now"),
            "roulette",
            ("now",),
            (_ROULETTE_CHANNEL,),
            help="Start a round right away (admins).",
        ),
        Form(
            ("roulette", "join"),
            "roulette",
            ("join",),
            (_ROULETTE_CHANNEL,),
            help="Join the coffee roulette.",
        ),
        Form(
            ("roulette", "leave"),
            "roulette",
            ("leave",),
            (_ROULETTE_CHANNEL,),
            help="Leave the coffee roulette.",
        ),
        Form(
            ("roulette", "pause"),
            "roulette",
            ("pause",),
            (
                _ROULETTE_CHANNEL,
                Opt(
                    "until",
                    "text",
                    "Until when, like 2027-01-15 or next month",
                    required=False,
                    prefix="until",
                ),
            ),
            help="Take a break from the roulette.",
        ),
        Form(
            ("roulette", "avoid"),
            "roulette",
            ("avoid",),
            (Opt("person", "user", "Someone you'd rather not be matched with"),),
            help="Never be matched with someone (private).",
        ),
        Form(
            ("roulette", "unavoid"),
            "roulette",
            ("unavoid",),
            (Opt("person", "user", "Someone you had asked not to be matched with"),),
            help="Allow matches with someone again.",
        ),
    ],
    "followup": [
        Form(
            ("add",),
            None,
            opts=(
                Opt("person", "user", "Who to follow up with"),
                Opt("when", "text", "When: in 2 weeks, in a month, on 2027-01-15"),
                Opt("note", "text", "A note for your future self", required=False),
            ),
            help="Remind yourself to follow up with someone.",
        ),
        Form(
            ("repeat",),
            None,
            opts=(
                Opt("person", "user", "Who to keep in touch with"),
                Opt("cadence", "choice", "How often", choices=FOLLOWUP_CADENCES),
                Opt("note", "text", "A note for your future self", required=False),
            ),
            help="Keep in touch with someone regularly.",
        ),
        Form(("list",), "list"),
        Form(
            ("cancel",),
            "cancel",
            opts=(Opt("id", "item", "Which of your follow-ups", table="followups"),),
        ),
    ],
    "tips": [
        Form(
            ("get",),
            None,
            opts=(Opt("topic", "text", "A topic, like coffee, questions or outreach", False),),
            help="Get a tip for yourself right now.",
        ),
        Form(
            ("channel",),
            "channel",
            opts=(
                Opt("channel", "channel", "Where tips are posted"),
                Opt("cadence", "choice", "How often", choices=POST_CADENCES),
                Opt("at", "text", "At what time, in the community's zone, like 9:00", False),
            ),
        ),
        Form(("add",), "add", opts=(Opt("tip", "text", "The tip, in your own words"),)),
        Form(("remove",), "remove", opts=(Opt("id", "text", "The tip's id (see /tips list)"),)),
        Form(("restore",), "restore", opts=(Opt("id", "text", "The tip's id (see /tips list)"),)),
        Form(
            ("list",),
            "list",
            opts=(Opt("topic", "text", "Only one topic, like coffee", required=False),),
        ),
        Form(
            ("digest",),
            "digest",
            opts=(
                Opt("when", "text", "on, off, now — or when to post it, like every friday 16:00"),
            ),
        ),
    ],
    "win": [
        Form(
            ("share",),
            None,
            opts=(Opt("what", "text", "Your win, big or small"),),
            help="Share a win with the community.",
        ),
        Form(
            ("channel",),
            "channel",
            opts=(
                Opt("channel", "channel", "Where wins are celebrated", required=False),
                Opt(
                    "off",
                    "choice",
                    "Or stop celebrating wins in a channel",
                    required=False,
                    choices=(("stop posting wins", "off"),),
                    unless="channel",
                ),
            ),
        ),
    ],
    "outreach": [
        Form(
            ("draft",),
            None,
            opts=(
                Opt("person", "user", "Who you'd like to connect with"),
                Opt(
                    "admire",
                    "text",
                    "Something you admire about their work",
                    required=False,
                ),
            ),
            help="Draft a first message to someone you'd like to connect with.",
        ),
        Form(
            ("review",),
            "review",
            opts=(Opt("draft", "text", "Paste your draft message"),),
        ),
    ],
    "questions": [
        Form(
            ("get",),
            None,
            opts=(Opt("topic", "text", "A topic, like career path or tech stack", required=False),),
            help="Good open-ended questions for your next coffee chat.",
        ),
    ],
    "rapport": [
        Form(
            ("help",),
            "help",
            opts=(Opt("command", "family", "One command to explain", required=False),),
        ),
        Form(("settings", "show"), "settings", help="See your settings."),
        Form(
            ("settings", "timezone"),
            "settings",
            ("tz",),
            (Opt("zone", "zone", "Your time zone, like Europe/Berlin"),),
            help="Set your time zone.",
        ),
        Form(
            ("settings", "quiet"),
            "settings",
            ("quiet",),
            (Opt("hours", "text", "When not to nudge you, like 21:00-08:00"),),
            help="Set your quiet hours.",
        ),
        Form(
            ("settings", "weekends"),
            "settings",
            ("weekends",),
            (Opt("quiet", "choice", "Keep weekends free of nudges?", choices=ON_OFF),),
            help="Keep weekends quiet, or not.",
        ),
        Form(
            ("nudges",),
            "nudges",
            opts=(Opt("state", "choice", "Nudges on or off", choices=ON_OFF),),
        ),
        Form(("privacy", "export"), "privacy", ("export",), help="Get your data as a file."),
        Form(("privacy", "delete"), "privacy", ("delete",), help="Erase everything about you."),
    ],
}


# -- forms of a family ---------------------------------------------------------


def forms_for(family: Family) -> list[Form]:
    """The Discord forms of a family: the known ones it implements, then generic ones."""
    forms = [f for f in KNOWN.get(family.name, []) if _implements(family, f.sub)]
    covered = {f.sub for f in forms}
    names_taken = {f.path[0] for f in forms}
    named = any(s.name for s in family.subs) or any(f.path for f in forms)
    for sub in family.subs:
        if sub.name in covered:
            continue
        forms.append(generic_form(family, sub, named=named, taken=names_taken))
        names_taken.add(forms[-1].path[0] if forms[-1].path else "")
    if len(forms) == 1 and forms[0].sub is None and not any(s.name for s in family.subs):
        forms[0] = Form((), None, forms[0].words, forms[0].opts, forms[0].help)
    return forms


def _implements(family: Family, sub: str | None) -> bool:
    return family.default_sub() is not None if sub is None else family.find_sub(sub) is not None


_USAGE_TOKEN = re.compile(r"[@#][\w-]+")
_PLACEHOLDER = re.compile(r"([<\[])([\w ]+)[>\]]")


def generic_form(family: Family, sub: Sub, *, named: bool, taken: set[str]) -> Form:
    """A form read off the usage line: pickers for ``@person`` / ``#channel``, then free text."""
    if sub.name is not None:
        path: tuple[str, ...] = (safe_name(sub.name),)
    elif named:
        default = DEFAULT_NAMES.get(family.name, "new")
        path = (default if default not in taken else "new",)
    else:
        path = ()
    words = sub.usage.split()[1:]  # without "/family"
    if sub.name and words and words[0].lower() == sub.name:
        words = words[1:]
    usage = " ".join(words)
    opts: list[Opt] = []
    seen: set[str] = set()
    for token in _USAGE_TOKEN.findall(usage):
        name = safe_name(token[1:]) or ("person" if token[0] == "@" else "channel")
        if name in seen or name == "text":
            continue
        seen.add(name)
        optional = f"[{token}" in usage
        if token[0] == "@":
            opts.append(Opt(name, "user", f"The member ({token})", required=not optional))
        else:
            opts.append(Opt(name, "channel", f"The channel ({token})", required=not optional))
    rest = _USAGE_TOKEN.sub("", usage).strip(" []|")
    if rest:
        holders = _PLACEHOLDER.findall(rest)
        single = len(holders) == 1 and _PLACEHOLDER.fullmatch(rest.strip())
        name = safe_name(holders[0][1].replace(" ", "_")) if single else "text"
        if name in seen or not name:
            name = "text"
        required = bool(single) and rest.strip().startswith("<")
        opts.append(Opt(name, "text", _cut(f"As in: {usage}"), required))
    return Form(path, sub.name, (), tuple(opts))


def safe_name(word: str) -> str:
    """A valid Discord command or option name (lower case, letters, digits, - and _)."""
    name = re.sub(r"[^\w-]", "", word.lower())[:32]
    return name


def description(family: Family, form: Form) -> str:
    sub = family.find_sub(form.sub) if form.sub else family.default_sub()
    text = form.help or (sub.summary if sub else "") or (sub.usage if sub else "") or family.summary
    return _cut(text)


def _group_description(family: Family, form: Form) -> str:
    sub = family.find_sub(form.sub) if form.sub else None
    return _cut((sub.summary if sub else "") or f"{family.name} {form.path[0]}")


def _cut(text: str, limit: int = 100) -> str:
    text = " ".join(text.split()) or "…"
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- building discord.py commands ------------------------------------------------


class Handler(Protocol):
    async def on_command(
        self,
        interaction: discord.Interaction[Any],
        family: Family,
        form: Form,
        values: dict[str, Any],
    ) -> None: ...

    async def complete(
        self, interaction: discord.Interaction[Any], family: Family, opt: Opt, current: str
    ) -> list[app_commands.Choice[str]]: ...


ANNOTATIONS: dict[str, Any] = {
    "user": discord.User,
    "channel": app_commands.AppCommandChannel,
}


def build_commands(
    families: Iterable[Family], handler: Handler
) -> list[app_commands.Command[Any, ..., Any] | app_commands.Group]:
    """One guild-only command per family; subcommands and subgroups as its forms say."""
    families = list(families)
    names = tuple((f.name, f.name) for f in families)
    built: list[app_commands.Command[Any, ..., Any] | app_commands.Group] = []
    for family in families:
        forms = forms_for(family)
        summary = _cut(family.summary or family.name)
        if len(forms) == 1 and not forms[0].path:
            cmd = _command(family.name, summary, family, forms[0], handler, names)
            cmd.guild_only = True
            built.append(cmd)
            continue
        group = app_commands.Group(
            name=safe_name(family.name), description=summary, guild_only=True
        )
        subgroups: dict[str, app_commands.Group] = {}
        for form in forms[:25]:
            parent = group
            if len(form.path) == 2:
                parent = subgroups.get(form.path[0]) or subgroups.setdefault(
                    form.path[0],
                    app_commands.Group(
                        name=form.path[0],
                        description=_group_description(family, form),
                        parent=group,
                    ),
                )
            name = form.path[-1]
            if parent.get_command(name) is not None:
                continue
            parent.add_command(
                _command(name, description(family, form), family, form, handler, names)
            )
        built.append(group)
    return built


def _command(
    name: str,
    desc: str,
    family: Family,
    form: Form,
    handler: Handler,
    family_names: tuple[tuple[str, str], ...],
) -> app_commands.Command[Any, ..., Any]:
    async def callback(interaction: discord.Interaction[Any], **values: Any) -> None:
        await handler.on_command(interaction, family, form, values)

    params = [
        inspect.Parameter(
            "interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=discord.Interaction
        )
    ]
    descriptions: dict[str, str] = {}
    choices: dict[str, list[app_commands.Choice[str]]] = {}
    completers: dict[str, Callable[..., Awaitable[list[app_commands.Choice[str]]]]] = {}
    # Discord wants required options first; the core still reads them in ``form.opts`` order.
    for opt in sorted(form.opts, key=lambda o: not o.required):
        params.append(
            inspect.Parameter(
                opt.name,
                inspect.Parameter.KEYWORD_ONLY,
                annotation=ANNOTATIONS.get(opt.kind, str),
                default=inspect.Parameter.empty if opt.required else None,
            )
        )
        descriptions[opt.name] = _cut(opt.help)
        pairs = family_names if opt.kind == "family" else opt.choices
        if pairs:
            choices[opt.name] = [app_commands.Choice(name=k, value=v) for k, v in pairs[:25]]
        if opt.kind in ("zone", "item"):
            completers[opt.name] = _completer(handler, family, opt)
    callback.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    callback.__discord_app_commands_param_description__ = descriptions  # type: ignore[attr-defined]
    if choices:
        callback.__discord_app_commands_param_choices__ = choices  # type: ignore[attr-defined]
    if completers:
        callback.__discord_app_commands_param_autocomplete__ = completers  # type: ignore[attr-defined]
    return app_commands.Command(name=safe_name(name), description=desc, callback=callback)


def _completer(
    handler: Handler, family: Family, opt: Opt
) -> Callable[[discord.Interaction[Any], str], Awaitable[list[app_commands.Choice[str]]]]:
    async def complete(
        interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        return await handler.complete(interaction, family, opt, current)

    return complete
