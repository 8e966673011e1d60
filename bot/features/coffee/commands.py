"""``/coffee``: book coffee chats across time zones, prepare, check in; and coffee roulette.

This module reads the arguments and wires handlers; the chat's life is in
``chats.py`` and the roulette's in ``roulette.py``.
"""

from __future__ import annotations

import re

from bot.args import Args, Quoted
from bot.context import Context
from bot.errors import UserError
from bot.features.coffee import chats, home, numbers, privacy, roulette
from bot.features.coffee import text as t
from bot.features.coffee.records import CHATS
from bot.io import ChannelArg, Output, UserArg
from bot.items import open_items
from bot.markup import fmt
from bot.registry import Family, Param, Variant

family = Family(
    "coffee",
    "Coffee chats: invite someone across time zones, prepare, check in — and coffee roulette.",
    order=20,
    default_name="invite",
)
family.home_section(home.chats, position=20)
family.keeps(*privacy.KEPT)
family.counts(numbers.NUMBERS)
family.on_erase(privacy.withdraw_chats)
family.on_erase(privacy.leave_roulette)
family.home_section(home.roulette, position=40)

ROULETTE_USAGE = "/coffee roulette [join | leave | pause [until <date>] | avoid @person]"


def _text(tok: object) -> str:
    if isinstance(tok, Quoted):
        return tok.text
    if isinstance(tok, UserArg):
        return "@" + (tok.name or tok.id)
    if isinstance(tok, ChannelArg):
        return "#" + (tok.name or tok.id)
    return str(tok)


def _words(args: Args) -> tuple[list[str], str]:
    """The words the time is read from, and what follows them for the topic, in the
    order typed: the plain words up to the first quote or mention (``tomorrow 3pm career
    @carol`` → ``tomorrow 3pm career`` and ``@carol``); when a quote or mention comes
    first (``"career switch" tomorrow 3pm``), every plain word is the time's."""
    tokens: list[object] = []
    while not args.empty():
        tokens.append(args.take())
    lead = 0
    while lead < len(tokens) and isinstance(tokens[lead], str):
        lead += 1
    if lead:
        return [str(t) for t in tokens[:lead]], " ".join(_text(t) for t in tokens[lead:])
    words = [str(t) for t in tokens if isinstance(t, str)]
    return words, " ".join(_text(t) for t in tokens if not isinstance(t, str))


# The member's own chats still open, for pickers that cancel or move one.
MY_OPEN = open_items(
    CHATS,
    owners=("requester", "invitee"),
    open_states=("proposed", "accepted", "rescheduled", "missed"),
)
CHAT_CADENCES = (
    ("every week", "every week"),
    ("every 2 weeks", "every 2 weeks"),
    ("every month", "every month"),
)
GROUP_SIZES = (("pairs", "2"), ("trios", "3"), ("groups of 4", "4"))
_WHICH = Param(
    "channel", "channel", "Which roulette channel (when there is more than one)", required=False
)


@family.sub(
    None,
    usage="/coffee @person <when> [topic]",
    example=t.EXAMPLE_INVITE,
    variants=(
        Variant(
            ("invite",),
            None,
            help="Invite someone to a coffee chat.",
            params=(
                Param("person", "user", "Who you'd like to have coffee with"),
                Param("when", "time", "When, in your time zone: tomorrow 3pm, tue 10:30, …"),
                Param("topic", "quoted", "What you'd like to talk about", required=False),
            ),
        ),
        Variant(("new",), None, help="Invite someone to a coffee chat with a form."),
    ),
)
def invite(ctx: Context, args: Args) -> list[Output]:
    """Invite someone to a coffee chat; they see the time in their own time zone."""
    if args.empty():
        return [chats.invite_form(ctx, "")]
    who = args.user("the person you'd like to meet")
    words, quoted = _words(args)
    return chats.propose(ctx, who, words, quoted)


@family.sub("list", usage="/coffee list", example="/coffee list", params=())
def list_(ctx: Context, args: Args) -> list[Output]:
    """Your coming and pending coffee chats, with their ids."""
    return chats.list_chats(ctx)


@family.sub(
    "suggest",
    usage="/coffee suggest <id> <when>",
    example="/coffee suggest k3f9qz thu 4pm",
    params=(
        Param("id", "item", "Which chat", items=MY_OPEN),
        Param("when", "time", "The time you'd suggest instead, like thu 4pm"),
    ),
)
def suggest(ctx: Context, args: Args) -> list[Output]:
    """Suggest another time for a chat; the other person confirms it."""
    chat_id = args.word("the chat id (see /coffee list)") if not args.empty() else ""
    if not chat_id:
        raise UserError(fmt(t.SUGGEST_WHICH), "/coffee suggest k3f9qz thu 4pm")
    words, _ = _words(args)
    return chats.suggest(ctx, chat_id, words)


@family.sub(
    "cancel",
    usage="/coffee cancel <id>",
    example="/coffee cancel k3f9qz",
    params=(Param("id", "item", "Which of your chats", items=MY_OPEN),),
)
def cancel(ctx: Context, args: Args) -> list[Output]:
    """Cancel a chat; the other person is told kindly."""
    return chats.cancel(ctx, args.rest())


def _roulette(word: str, help: str, *params: Param) -> Variant:
    return Variant(("roulette", word), "roulette", (word,), params, help)


@family.sub(
    "roulette",
    usage=ROULETTE_USAGE,
    example="/coffee roulette join",
    variants=(
        _roulette("status", "Where the roulette stands."),
        _roulette(
            "enable",
            "Start coffee roulette in a channel (admins).",
            Param("channel", "channel", "The channel whose members can join"),
            Param("cadence", "choice", "How often a new round starts", choices=CHAT_CADENCES),
            Param(
                "size",
                "choice",
                "How many people meet together",
                required=False,
                choices=GROUP_SIZES,
                prefix="size",
            ),
            Param(
                "match",
                "choice",
                "Pair open-to-work members with people who do what they look for",
                required=False,
                choices=(("by goals", "goals"), ("anyone", "anyone")),
                prefix="match",
            ),
            Param(
                "starting",
                "time",
                "When the first round starts, like mon 10am",
                required=False,
                prefix="starting",
            ),
        ),
        _roulette("disable", "Stop coffee roulette (admins).", _WHICH),
        _roulette("now", "Start a round right away (admins).", _WHICH),
        _roulette("join", "Join the coffee roulette.", _WHICH),
        _roulette("leave", "Leave the coffee roulette.", _WHICH),
        _roulette(
            "pause",
            "Take a break from the roulette.",
            _WHICH,
            Param(
                "until",
                "time",
                "Until when, like 2027-01-15 or next month",
                required=False,
                prefix="until",
            ),
        ),
        _roulette(
            "avoid",
            "Never be matched with someone (private).",
            Param("person", "user", "Someone you'd rather not be matched with"),
        ),
        _roulette(
            "unavoid",
            "Allow matches with someone again.",
            Param("person", "user", "Someone you had asked not to be matched with"),
        ),
    ),
)
def roulette_(ctx: Context, args: Args) -> list[Output]:
    """Coffee roulette: regular random matches with people who opted in."""
    word = args.peek_word()
    if word is None or word == "status":
        return roulette.status(ctx)
    args.take()
    if word in ("enable", "on", "start"):
        ctx.require_admin()
        channel = args.channel("the channel for coffee roulette")
        every, size, goals, starting = _enable_options(args.rest())
        return roulette.enable(ctx, channel, every, size, starting, goals=goals)
    if word in ("disable", "off", "stop"):
        return roulette.disable(ctx, _maybe_channel(args))
    if word == "now":
        return roulette.run_now(ctx, _maybe_channel(args))
    if word in ("join", "resume"):
        return roulette.join_(ctx, _maybe_channel(args))
    if word == "leave":
        return roulette.leave(ctx, _maybe_channel(args))
    if word == "pause":
        channel = _maybe_channel(args)
        return roulette.pause(ctx, channel, args.rest())
    if word in ("avoid", "unavoid"):
        args.example = f"/coffee roulette {word} @dana"
        who = args.user("the person")
        if word == "avoid":
            return roulette.avoid(ctx, who)
        return roulette.unavoid(ctx, who)
    raise UserError(fmt(t.RR_UNKNOWN, word=word), "/coffee roulette join")


def _maybe_channel(args: Args) -> ChannelArg | None:
    tok = args.peek()
    if isinstance(tok, ChannelArg):
        args.take()
        return tok
    return None


_SIZE = re.compile(r"\bsize\s+(\S+)", re.I)
_MATCH = re.compile(r"\bmatch(?:ed)?\s+(?:by\s+)?(\S+)", re.I)
_MATCH_WORDS = {"goals": True, "goal": True, "anyone": False, "everyone": False, "random": False}
_STARTING = re.compile(r"\bstarting\s+(.*)$", re.I)


def _enable_options(text: str) -> tuple[str | None, int | None, bool | None, str | None]:
    """``every 2 weeks size 2 match goals starting mon 10am`` →
    ("every 2 weeks", 2, True, "mon 10am")."""
    starting = None
    m = _STARTING.search(text)
    if m:
        starting = m.group(1).strip()
        text = text[: m.start()]
    size = None
    m = _SIZE.search(text)
    if m:
        if not m.group(1).isdigit():
            raise UserError(fmt(t.RR_SIZE_BAD), roulette.EXAMPLE_ENABLE)
        size = int(m.group(1))
        text = text[: m.start()] + text[m.end() :]
    goals = None
    m = _MATCH.search(text)
    if m:
        word = m.group(1).lower().strip(".,")
        if word not in _MATCH_WORDS:
            raise UserError(fmt(t.RR_MATCH_BAD), f"{roulette.EXAMPLE_ENABLE} match goals")
        goals = _MATCH_WORDS[word]
        text = text[: m.start()] + text[m.end() :]
    every = " ".join(text.split()) or None
    return every, size, goals, starting


# -- buttons and scheduled events ------------------------------------------------------------

family.button("coffee.accept")(chats.accept)
family.button("coffee.other_time")(chats.other_time)
family.button("coffee.decline")(chats.decline)
family.form("coffee.suggest", build=chats.suggest_form)(chats.suggest_submitted)
family.form("coffee.move", build=chats.move_form)(chats.suggest_submitted)
family.button(chats.NEW_TIME)(chats.new_time)
family.form("coffee.invite", build=chats.invite_form)(chats.invite_submitted)
family.button("coffee.happened")(chats.happened)
family.button("coffee.rescheduled")(chats.rescheduled)
family.button("coffee.missed")(chats.missed)
family.button("coffee.keep_2w")(lambda ctx, value: chats.keep(ctx, value, "2w"))
family.button("coffee.keep_1m")(lambda ctx, value: chats.keep(ctx, value, "1m"))
family.button("coffee.keep_no")(lambda ctx, value: chats.keep(ctx, value, "no"))
family.button("coffee.schedule_from_intro")(chats.schedule_from_intro)
family.button("coffee.roulette_met")(roulette.met)
family.button("coffee.roulette_not_yet")(roulette.not_yet)
family.button("coffee.roulette_cant")(roulette.cant)
family.button("coffee.roulette_rejoin")(roulette.rejoin)

family.due("coffee.remind")(chats.remind)
family.due("coffee.checkin")(chats.checkin)
family.due(chats.UNANSWERED)(chats.unanswered)
family.due(chats.UNDELIVERED)(chats.undelivered)
family.due(chats.THANK_EVENT)(chats.thank_due)
# No longer scheduled (keep-in-touch is a follow-up now); kept for items already queued.
family.due("coffee.keep_in_touch")(chats.keep_due)
family.due("coffee.roulette_round")(roulette.start_round)
family.due("coffee.roulette_open")(roulette.open_groups)
family.due("coffee.roulette_checkin")(roulette.checkin_groups)
family.due("coffee.roulette_close")(roulette.close_round)
