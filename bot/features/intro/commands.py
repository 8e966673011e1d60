"""``/intro``: ask a friend for a warm introduction, with double opt-in.

The connector is asked first and privately; the target hears about it only after
the connector agrees, and the three meet only after both said yes. The lifecycle
itself is ``bot/intro_flow.py``; this module checks input, speaks, and schedules.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from bot.args import Args, Quoted
from bot.clock import parse_iso
from bot.context import Context
from bot.errors import FieldErrors, UserError
from bot.features.followup import nudges
from bot.features.intro import flow, home, numbers, privacy
from bot.features.intro import text as t
from bot.features.network import paths
from bot.features.network import text as nt
from bot.io import (
    Cancel,
    DirectMessage,
    Field,
    Form,
    GroupMessage,
    Later,
    MessageUpdate,
    OnFailed,
    Output,
    Reply,
    UserArg,
)
from bot.items import open_items
from bot.markup import Mention, Span, Text, fmt, join, to_plain
from bot.messages import Button, Message
from bot.registry import Family, Param, Variant
from bot.when import show_day

family = Family("intro", t.SUMMARY, order=10, default_name="ask")
family.home_section(home.intros, position=10)
family.keeps(*privacy.KEPT)
family.counts(numbers.NUMBERS)
family.on_erase(privacy.withdraw)

MAKE = "intro.make"
FIND_ASK = "intro.find_ask"  # start an ask from a path /intro find showed
NOT_NOW = "intro.not_now"
ACCEPT = "intro.accept"
DECLINE = "intro.decline"
# Registered by the coffee family (issue: coffee chats); until then the core answers
# "That button isn't active any more".
SCHEDULE_COFFEE = "coffee.schedule_from_intro"
REMINDER = "intro.reminder"  # the standard nudge buttons on the connector's reminder
NOTE = "intro.note"  # the requester asks for the forwardable note (target unreachable)

# Scheduled events. The reminder and the thank-you are nudges (``nudge=True``: quiet
# hours, the daily cap and nudges off apply); expiry is news about the request itself.
REMIND = "intro.remind"
THANK = "intro.thank"
EXPIRE = "intro.expire"
UNREACHABLE = "intro.unreachable"  # an ask (connector's or target's) failed for good

MAX_TARGET_TEXT = 150
LIST_LIMIT = 15


# -- asking ---------------------------------------------------------------------

T = TypeVar("T")


# The member's own open requests, for pickers that cancel one.
MY_OPEN = open_items(flow.INTROS, owners=("requester",), open_states=flow.PENDING)


@family.sub(
    None,
    usage=t.USAGE,
    example=t.EXAMPLE,
    variants=(
        Variant(
            ("ask",),
            None,
            help="Ask a friend for a warm intro to someone they know.",
            params=(
                Param("connector", "user", "The friend who could introduce you"),
                Param("target", "user", "The member you'd like to meet", required=False),
                Param(
                    "outside",
                    "quoted",
                    "Or someone outside the community, like: someone on the data team at Acme",
                    required=False,
                    unless="target",
                ),
                Param("why", "text", "Why you'd like to meet them (your friend will read this)"),
            ),
        ),
        Variant(("new",), None, help="Ask for a warm intro by filling in a form."),
    ),
)
def request(ctx: Context, args: Args) -> list[Output]:
    """Ask a friend to introduce you to a member, or to someone outside (in quotes)."""
    if args.empty():
        return [ask_form(ctx, "")]
    if args.peek_word() == "help":
        return [Reply(Message(fmt(t.HELP, usage=t.USAGE, usage_outside=t.USAGE_OUTSIDE)))]
    connector = _connector(ctx, args)
    target, target_text = _target(ctx, args, connector)
    reason = _reason(ctx, args.rest(), connector)
    return _ask(ctx, connector, target, target_text, reason)


def ask_form(ctx: Context, arg: str) -> Form:
    """The form behind ``/intro`` alone (key ``intro.ask:``), or after **Ask …** on a path
    ``/intro find`` showed (``intro.ask:<connector>:<target>``, both filled in): anyone may
    ask, and every answer is checked as the typed command is."""
    connector, _, target = arg.partition(":")
    return Form(
        key=f"intro.ask:{arg}" if arg else "intro.ask:",
        title=t.FORM_TITLE,
        submit=t.FORM_SUBMIT,
        fields=(
            Field(
                "connector",
                "member",
                t.FORM_CONNECTOR,
                placeholder=t.FORM_CONNECTOR_HINT,
                default=_picked(ctx, connector),
            ),
            Field(
                "target",
                "member",
                t.FORM_TARGET,
                placeholder=t.FORM_TARGET_HINT,
                required=False,
                default=_picked(ctx, target),
            ),
            Field(
                "outside",
                "text",
                t.FORM_OUTSIDE,
                placeholder=t.FORM_OUTSIDE_HINT,
                required=False,
                limit=MAX_TARGET_TEXT,
            ),
            Field(
                "why",
                "long",
                t.FORM_WHY,
                placeholder=t.FORM_WHY_HINT,
                limit=int(ctx.setting("max_text")),
            ),
        ),
    )


def _picked(ctx: Context, user: str) -> UserArg | None:
    member = ctx.member(user) if user else None
    return UserArg(member.id, member.name, member.is_bot) if member else None


@family.form("intro.ask", build=ask_form)
def ask_submitted(ctx: Context, arg: str, values: dict[str, Any]) -> list[Output]:
    """The same checks as the typed command, each refusal on its own field."""
    errors: dict[str, str] = {}

    def field(name: str, check: Callable[[], T]) -> T | None:
        try:
            return check()
        except UserError as err:
            said = err.message
            errors[name] = said if isinstance(said, str) else to_plain(said, ctx.name)
            return None

    connector = field("connector", lambda: _connector_member(ctx, values["connector"]))
    target: str | None = None
    target_text: str | None = None
    if "target" in values and "outside" in values:
        errors["outside"] = t.FORM_BOTH_TARGETS
    elif "target" in values:
        target = field("target", lambda: _member_target(ctx, values["target"], connector or ""))
    elif "outside" in values:
        target_text = field("outside", lambda: _outside(values["outside"]))
    else:
        errors["target"] = t.FORM_NEED_TARGET
    reason = field("why", lambda: _reason(ctx, values["why"], connector or ""))
    if errors or connector is None or reason is None:
        raise FieldErrors(errors)
    # Started from a path /intro find showed, and still asking that connector for that person.
    via = "path" if arg and arg == f"{connector}:{target}" else None
    return _ask(ctx, connector, target, target_text, reason, via)


def _ask(
    ctx: Context,
    connector: str,
    target: str | None,
    target_text: str | None,
    reason: str,
    via: str | None = None,
) -> list[Output]:
    """Record the request and ask the connector (everything checked)."""
    _check_limits(ctx, connector, target, target_text)
    now = ctx.now()
    intro = flow.create(
        ctx.store,
        ctx.community,
        requester=ctx.user,
        connector=connector,
        target=target,
        target_text=target_text,
        reason=reason,
        at=now,
        via=via,
    )
    moved = flow.transition(ctx.store, intro, flow.ASKED_CONNECTOR, by=ctx.user, at=now)
    assert moved is not None  # created in this very block: nobody else can have moved it
    people = _people(moved)
    return [
        Reply(
            Message(
                fmt(t.ASKED, connector=Mention(connector), target=_target_of(moved), id=moved["id"])
            )
        ),
        DirectMessage(
            connector,
            _connector_ask(moved),
            on_failed=OnFailed(UNREACHABLE, {"intro": moved["id"]}),
        ),
        Later(
            now + timedelta(days=float(ctx.setting("intro_remind_days"))),
            REMIND,
            {"intro": moved["id"]},
            key=_key(moved, "remind"),
            user=connector,
            nudge=True,
            about=people,
        ),
        Later(
            now + timedelta(days=float(ctx.setting("intro_expire_days"))),
            EXPIRE,
            {"intro": moved["id"]},
            key=_key(moved, "expire"),
            user=ctx.user,
            nudge=False,  # the outcome of their request, like a decline: never held back
            about=people,
        ),
    ]


def _connector(ctx: Context, args: Args) -> str:
    tok = args.take_person()
    if tok is None:
        raise UserError(t.NEED_CONNECTOR, t.EXAMPLE)
    if isinstance(tok, Quoted):
        raise UserError(t.CONNECTOR_NOT_MEMBER, t.EXAMPLE)
    if not isinstance(tok, UserArg):
        raise UserError(fmt(t.UNKNOWN_CONNECTOR, name=_shown(tok)), t.EXAMPLE)
    return _connector_member(ctx, tok)


def _connector_member(ctx: Context, tok: UserArg) -> str:
    if tok.id == ctx.user:
        raise UserError(t.SELF_CONNECTOR, t.EXAMPLE)
    if _is_bot(ctx, tok):
        raise UserError(fmt(t.BOT_CONNECTOR, who=_shown(tok)), t.EXAMPLE)
    return tok.id


def _target(ctx: Context, args: Args, connector: str) -> tuple[str | None, str | None]:
    """A member's id, or the words describing someone outside the community."""
    tok = args.take_person()
    if tok is None:
        raise UserError(t.NEED_TARGET, t.EXAMPLE)
    if isinstance(tok, Quoted):
        return None, _outside(tok.text)
    if not isinstance(tok, UserArg):
        raise UserError(fmt(t.UNKNOWN_TARGET, name=_shown(tok)), t.EXAMPLE_OUTSIDE)
    return _member_target(ctx, tok, connector), None


def _outside(words: str) -> str:
    """Someone outside the community, as the requester describes them."""
    text = " ".join(words.split())
    if not text:
        raise UserError(t.NEED_TARGET, t.EXAMPLE_OUTSIDE)
    if len(text) > MAX_TARGET_TEXT:
        raise UserError(fmt(t.TARGET_TOO_LONG, limit=MAX_TARGET_TEXT), t.EXAMPLE_OUTSIDE)
    return text


def _member_target(ctx: Context, tok: UserArg, connector: str) -> str:
    if tok.id == ctx.user:
        raise UserError(t.SELF_TARGET, t.EXAMPLE)
    if tok.id == connector:
        raise UserError(fmt(t.SAME_PERSON, person=Mention(connector)), t.EXAMPLE)
    if _is_bot(ctx, tok):
        raise UserError(fmt(t.BOT_TARGET, who=_shown(tok)), t.EXAMPLE)
    return tok.id


def _reason(ctx: Context, said: str, connector: str) -> str:
    reason = "\n".join(" ".join(line.split()) for line in said.strip().splitlines())
    if not reason.strip(" .,;:!?-–—…\"'“”"):
        friend = Mention(connector) if connector else t.YOUR_FRIEND
        raise UserError(fmt(t.NEED_REASON, connector=friend), t.EXAMPLE)
    limit = int(ctx.setting("max_text"))
    if len(reason) > limit:
        raise UserError(fmt(t.REASON_TOO_LONG, length=len(reason), limit=limit), t.EXAMPLE)
    return reason


def _check_limits(
    ctx: Context, connector: str, target: str | None, target_text: str | None
) -> None:
    same = flow.find_same_pending(
        ctx.store,
        ctx.community,
        requester=ctx.user,
        connector=connector,
        target=target,
        target_text=target_text,
    )
    if same is not None:
        raise UserError(
            fmt(t.DUPLICATE, connector=Mention(connector), target=_target_of(same), id=same["id"])
        )
    pending = flow.pending_of(ctx.store, ctx.community, ctx.user)
    if len(pending) >= int(ctx.setting("max_pending_intros")):
        raise UserError(fmt(t.TOO_MANY, count=len(pending)))


def _is_bot(ctx: Context, user: UserArg) -> bool:
    member = ctx.member(user.id)
    return bool(user.is_bot) or bool(member and member.is_bot)


def _shown(tok: Any) -> str:
    if isinstance(tok, UserArg):
        return "@" + (tok.name or tok.id)
    return str(tok)


# -- the connector's buttons ------------------------------------------------------


@family.button(MAKE)
def make(ctx: Context, value: str) -> list[Output]:
    """The connector agrees: ask the target (double opt-in), or hand over a blurb."""
    intro = _for_press(ctx, value, role="connector", expected=flow.ASKED_CONNECTOR)
    choice = fmt(t.CHOSE, choice=t.BUTTON_MAKE)
    if intro["target"] is None:
        done = _move(ctx, intro, flow.MADE_OUTSIDE)
        target = _target_of(done)
        return [
            MessageUpdate(
                _answered(
                    _connector_ask_text(done), choice, fmt(t.CONNECTOR_MADE_OUTSIDE, target=target)
                )
            ),
            DirectMessage(done["connector"], Message(_blurb(ctx, done))),
            DirectMessage(
                done["requester"],
                Message(
                    fmt(
                        t.REQUESTER_MADE_OUTSIDE,
                        connector=Mention(done["connector"]),
                        target=target,
                    )
                ),
            ),
            *_after_made(ctx, done),
        ]
    moved = _move(ctx, intro, flow.ASKED_TARGET)
    target = Mention(moved["target"])
    return [
        Cancel(_key(moved, "remind")),
        MessageUpdate(
            _answered(_connector_ask_text(moved), choice, fmt(t.CONNECTOR_MADE, target=target))
        ),
        DirectMessage(
            moved["target"],
            _target_ask(moved),
            on_failed=OnFailed(UNREACHABLE, {"intro": moved["id"]}),
        ),
        DirectMessage(
            moved["requester"],
            Message(
                fmt(t.REQUESTER_CONNECTOR_YES, connector=Mention(moved["connector"]), target=target)
            ),
        ),
    ]


@family.button(NOT_NOW)
def not_now(ctx: Context, value: str) -> list[Output]:
    """The connector passes; the requester hears it kindly, without a reason."""
    intro = _for_press(ctx, value, role="connector", expected=flow.ASKED_CONNECTOR)
    done = _move(ctx, intro, flow.DECLINED, changes={"declined_by": "connector"})
    choice = fmt(t.CHOSE, choice=t.BUTTON_NOT_NOW)
    return [
        MessageUpdate(
            _answered(
                _connector_ask_text(done),
                choice,
                fmt(t.CONNECTOR_NOT_NOW, requester=Mention(done["requester"])),
            )
        ),
        *_stop_timers(done),
        _tell_declined(ctx, done),
    ]


# -- the target's buttons ------------------------------------------------------------


@family.button(ACCEPT)
def accept(ctx: Context, value: str) -> list[Output]:
    """The target says yes too: bring the three together."""
    intro = _for_press(ctx, value, role="target", expected=flow.ASKED_TARGET)
    done = _move(ctx, intro, flow.INTRODUCED)
    requester, connector, target = done["requester"], done["connector"], done["target"]
    group = Message(
        fmt(
            t.GROUP_INTRO,
            connector=Mention(connector),
            requester=Mention(requester),
            target=Mention(target),
            reason=done["reason"],
        ),
        buttons=(Button(SCHEDULE_COFFEE, t.BUTTON_COFFEE, done["id"], "primary"),),
    )
    return [
        MessageUpdate(
            _answered(
                _target_ask_text(done), fmt(t.CHOSE, choice=t.BUTTON_ACCEPT), fmt(t.TARGET_ACCEPTED)
            )
        ),
        GroupMessage((requester, connector, target), group),
        *_after_made(ctx, done),
    ]


@family.button(DECLINE)
def decline(ctx: Context, value: str) -> list[Output]:
    """The target passes; the connector and the requester hear it kindly."""
    intro = _for_press(ctx, value, role="target", expected=flow.ASKED_TARGET)
    done = _move(ctx, intro, flow.DECLINED, changes={"declined_by": "target"})
    return [
        MessageUpdate(
            _answered(
                _target_ask_text(done),
                fmt(t.CHOSE, choice=t.BUTTON_DECLINE),
                fmt(t.TARGET_DECLINED),
            )
        ),
        DirectMessage(
            done["connector"],
            Message(
                fmt(
                    t.CONNECTOR_TARGET_DECLINED,
                    target=Mention(done["target"]),
                    requester=Mention(done["requester"]),
                )
            ),
        ),
        *_stop_timers(done),
        _tell_declined(ctx, done),
    ]


def _for_press(ctx: Context, value: str, *, role: str, expected: str) -> dict[str, Any]:
    """The intro a button is about, if the presser may answer it now; else a refusal."""
    intro = flow.get(ctx.store, ctx.community, value)
    if intro is None:
        raise UserError(t.GONE)
    answerer = intro.get(role)
    if answerer is None:  # e.g. a target button on an intro to someone outside
        raise UserError(t.GONE)
    if answerer != ctx.user:
        raise UserError(fmt(t.NOT_YOURS, who=Mention(answerer)))
    if intro["state"] != expected:
        if intro["state"] in (flow.CANCELLED, flow.EXPIRED):
            raise UserError(fmt(t.NOW_CLOSED, status=_status(intro)))
        raise UserError(t.ALREADY_ANSWERED)
    return intro


def _move(
    ctx: Context, intro: dict[str, Any], to: str, changes: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A transition by the presser; if another press won the race, this one acts not at all."""
    moved = flow.transition(ctx.store, intro, to, by=ctx.user, at=ctx.now(), changes=changes)
    if moved is None:
        raise UserError(t.ALREADY_ANSWERED)
    return moved


def _after_made(ctx: Context, intro: dict[str, Any]) -> list[Output]:
    """An intro happened: stop the timers, log who is now in touch, plan the thank-you nudge."""
    flow.log_contacts(ctx.store, intro, ctx.now())
    return [
        *_stop_timers(intro),
        Later(
            ctx.now() + timedelta(days=float(ctx.setting("intro_thank_days"))),
            THANK,
            {"intro": intro["id"]},
            key=_key(intro, "thank"),
            user=intro["requester"],
            nudge=True,
            about=_people(intro),
        ),
    ]


def _stop_timers(intro: dict[str, Any]) -> list[Output]:
    """The request is settled: its reminder and expiry are called off."""
    return [Cancel(_key(intro, "remind")), Cancel(_key(intro, "expire"))]


def _tell_declined(ctx: Context, intro: dict[str, Any]) -> DirectMessage:
    """The requester hears no reason and no blame, and gets one encouraging line."""
    told = flow.count_declined(ctx.store, ctx.community, intro["requester"])
    encouragement = t.ENCOURAGEMENTS[(told - 1) % len(t.ENCOURAGEMENTS)]
    return DirectMessage(
        intro["requester"],
        Message(fmt(t.REQUESTER_DECLINED, target=_target_of(intro), encouragement=encouragement)),
    )


# -- scheduled events ----------------------------------------------------------------


@family.due(REMIND)
def remind(ctx: Context, data: dict[str, Any]) -> list[Output]:
    """A gentle reminder to a connector who hasn't answered yet (again if they snoozed it).

    It is a standard nudge (``followup/nudges.py``): **Make the intro** / **Not now**,
    then **Snooze a week** only (see below for why not Done and Stop).
    """
    intro = flow.get(ctx.store, ctx.community, str(data.get("intro", "")))
    if intro is None or intro["state"] != flow.ASKED_CONNECTOR:
        return []
    if ctx.now() >= _closes(ctx, intro):  # late (after downtime): its expiry comes instead
        return []
    ctx.store.update(flow.INTROS, intro["id"], {"reminded": True}, expect={"state": intro["state"]})
    ask = _connector_ask(intro, reminder=True)
    return nudges.nudge_message(
        ctx,
        intro["connector"],
        ask.text,
        topic=_key(intro, "remind"),
        buttons=ask.buttons,
        actions=REMINDER,
        again=(REMIND, {"intro": intro["id"]}),
        about=_people(intro),
        standard=("snooze",),
    )


def _closes(ctx: Context, intro: dict[str, Any]) -> datetime:
    """When a request that is still waiting expires."""
    return parse_iso(intro["created"]) + timedelta(days=float(ctx.setting("intro_expire_days")))


# The reminder's one standard button. The connector's real answer is Make the intro /
# Not now, so it keeps those two on the message, and logs no contact (no intro was made):
# * Snooze a week — the reminder again in 7 days (an ``intro.remind`` nudge event, so
#   quiet hours and the cap apply), if the request is still waiting for them then; if
#   it expires before that, they are told this was the last reminder.
# Done and Stop are left off: with one reminder per request they could only mean "not
# now, quietly", which ignoring it already does (and Not now says it out loud).


@family.button(f"{REMINDER}.snooze")
def reminder_snooze(ctx: Context, value: str) -> list[Output]:
    found = _reminder_for_press(ctx, value)
    if isinstance(found, list):
        return found
    doc, intro = found
    now = ctx.now()
    at = now + nudges.SNOOZE
    closes = _closes(ctx, intro)
    if at >= closes:  # it would come back to a closed request: say so instead
        if nudges.settle(ctx, doc, "done") is None:
            raise UserError(t.ALREADY_ANSWERED)
        day = show_day(closes, ctx.zone(), now=now)
        return [_reminder_update(intro, fmt(t.REMINDER_SNOOZE_CLOSES, date=day))]
    later = nudges.snooze_nudge(ctx, doc, at)
    if later is None:
        raise UserError(t.ALREADY_ANSWERED)
    day = show_day(at, ctx.zone(), now=now)
    return [_reminder_update(intro, fmt(t.REMINDER_SNOOZED, date=day)), later]


def _reminder_for_press(
    ctx: Context, value: str
) -> tuple[dict[str, Any], dict[str, Any]] | list[Output]:
    """The reminder and its intro, if the presser is the connector and it's still open."""
    doc = nudges.own_nudge(ctx, value)
    if isinstance(doc, list):
        return doc
    intro = flow.get(ctx.store, ctx.community, str(nudges.again_data(doc).get("intro", "")))
    if intro is None:
        raise UserError(t.GONE)
    if intro["state"] != flow.ASKED_CONNECTOR:
        if intro["state"] in (flow.CANCELLED, flow.EXPIRED):
            raise UserError(fmt(t.NOW_CLOSED, status=_status(intro)))
        raise UserError(t.ALREADY_ANSWERED)
    return doc, intro


def _reminder_update(intro: dict[str, Any], note: Text) -> MessageUpdate:
    """The reminder again with what was chosen, keeping Make the intro / Not now."""
    ask = _connector_ask(intro, reminder=True)
    return MessageUpdate(
        Message(join(_connector_ask_text(intro, reminder=True), note), buttons=ask.buttons)
    )


@family.due(EXPIRE)
def expire(ctx: Context, data: dict[str, Any]) -> list[Output]:
    """Close a request nobody answered, and tell the requester gently."""
    intro = flow.get(ctx.store, ctx.community, str(data.get("intro", "")))
    if intro is None or intro["state"] not in (flow.ASKED_CONNECTOR, flow.ASKED_TARGET):
        return []
    done = flow.transition(ctx.store, intro, flow.EXPIRED, by=flow.SYSTEM, at=ctx.now())
    if done is None:
        return []
    days = max(1, (ctx.now() - parse_iso(done["created"])).days)
    return [
        Cancel(_key(done, "remind")),
        DirectMessage(
            done["requester"],
            Message(
                fmt(
                    t.EXPIRED,
                    target=_target_of(done),
                    connector=Mention(done["connector"]),
                    days=days,
                )
            ),
        ),
    ]


@family.due(UNREACHABLE)
def unreachable(ctx: Context, data: dict[str, Any]) -> list[Output]:
    """An ask could not be delivered, for good (DMs closed, gone).

    To the target: the requester was promised news either way, so they and the
    connector hear it now, the request closes, its expiry is called off, and the
    requester is offered the note the connector could forward by other means (as for
    someone outside). To the connector: the request closes the same way and the
    requester hears it, naming the request (the core's generic note is said once an
    hour per person, so a second ask to the same connector would go unreported).
    """
    intro = flow.get(ctx.store, ctx.community, str(data.get("intro", "")))
    if intro is None:
        return []
    if intro["state"] == flow.ASKED_CONNECTOR:
        return _connector_unreachable(ctx, intro, str(data.get("reason") or ""))
    if intro["state"] != flow.ASKED_TARGET:
        return []  # settled meanwhile (cancelled, expired): nothing to add
    done = flow.transition(
        ctx.store,
        intro,
        flow.UNREACHABLE,
        by=flow.SYSTEM,
        at=ctx.now(),
        changes={"unreachable_reason": str(data.get("reason") or ""), "note_sent": False},
    )
    if done is None:
        return []
    people = {
        "requester": Mention(done["requester"]),
        "connector": Mention(done["connector"]),
        "target": _target_of(done),
    }
    return [
        *_stop_timers(done),
        DirectMessage(
            done["requester"],
            Message(
                fmt(t.REQUESTER_UNREACHABLE, **people),
                buttons=(Button(NOTE, t.BUTTON_NOTE, done["id"], "primary"),),
            ),
        ),
        DirectMessage(done["connector"], Message(fmt(t.CONNECTOR_UNREACHABLE, **people))),
    ]


def _connector_unreachable(ctx: Context, intro: dict[str, Any], reason: str) -> list[Output]:
    """The ask never reached the connector: close the request and tell the requester."""
    done = flow.transition(
        ctx.store,
        intro,
        flow.UNREACHABLE,
        by=flow.SYSTEM,
        at=ctx.now(),
        changes={"unreachable": "connector", "unreachable_reason": reason},
    )
    if done is None:
        return []
    told = fmt(
        t.REQUESTER_CONNECTOR_UNREACHABLE,
        id=done["id"],
        connector=Mention(done["connector"]),
        target=_target_of(done),
    )
    return [*_stop_timers(done), DirectMessage(done["requester"], Message(told))]


@family.button(NOTE)
def note(ctx: Context, value: str) -> list[Output]:
    """The requester takes the forwardable note for a target that couldn't be reached."""
    intro = _for_press(ctx, value, role="requester", expected=flow.UNREACHABLE)
    if intro.get("unreachable") == "connector":  # no note: the connector is who can't be reached
        raise UserError(t.GONE)
    taken = ctx.store.update(
        flow.INTROS,
        intro["id"],
        {"note_sent": True},
        expect={"state": flow.UNREACHABLE, "note_sent": False},
    )
    if taken is None:
        raise UserError(t.NOTE_ALREADY)
    offer = fmt(
        t.REQUESTER_UNREACHABLE,
        requester=Mention(intro["requester"]),
        connector=Mention(intro["connector"]),
        target=_target_of(intro),
    )
    head = fmt(
        t.BLURB_HEAD_REQUESTER, connector=Mention(intro["connector"]), target=_target_of(intro)
    )
    return [
        MessageUpdate(_answered(offer, fmt(t.CHOSE, choice=t.BUTTON_NOTE), fmt(t.NOTE_SENT))),
        DirectMessage(intro["requester"], Message(_blurb(ctx, intro, head=head))),
    ]


@family.due(THANK)
def thank(ctx: Context, data: dict[str, Any]) -> list[Output]:
    """A nudge to thank the connector, some days after the intro was made.

    Standard buttons with their usual meaning: Done ("I thanked them") logs a contact
    with the connector; Snooze runs this again in a week; Stop silences it for this intro.
    """
    intro = flow.get(ctx.store, ctx.community, str(data.get("intro", "")))
    if intro is None or intro["state"] not in flow.MADE:
        return []
    return nudges.nudge_message(
        ctx,
        intro["requester"],
        fmt(t.THANK, connector=Mention(intro["connector"]), target=_target_of(intro)),
        topic=_key(intro, "thank"),
        person=intro["connector"],
        again=(THANK, {"intro": intro["id"]}),
        about=_people(intro),
    )


# -- list and cancel ---------------------------------------------------------------------


@family.sub(
    "find",
    usage="/intro find <company | role | field | @person>",
    example="/intro find Acme",
    params=(
        Param(
            "who",
            "text",
            "A company, a role or a field, like Acme or data engineer",
            required=False,
            unless="person",
        ),
        Param("person", "user", "Or the member you'd like to reach", required=False),
    ),
)
def find(ctx: Context, args: Args) -> list[Output]:
    """Who could introduce you to someone at a company, in a role or a field."""
    tok = args.take_person() if not args.empty() else None
    if isinstance(tok, UserArg):
        if tok.id == ctx.user:
            raise UserError(nt.FIND_SELF, "/intro find Acme")
        if _is_bot(ctx, tok):
            raise UserError(nt.FIND_BOT, "/intro find Acme")
        found = paths.find(ctx, ctx.user, person=tok.id)
        what: Any = Mention(tok.id)
    else:
        words = " ".join([tok.text if isinstance(tok, Quoted) else str(tok or ""), args.rest()])
        query = " ".join(words.split())
        if not query:
            raise UserError(fmt(nt.FIND_NEED), "/intro find Acme")
        if query.startswith("@"):  # a mention the platform could not resolve to a member
            raise UserError(fmt(nt.FIND_NO_MEMBER, name=query), "/intro find Acme")
        found = paths.find(ctx, ctx.user, query=query)
        what = query
    if not found:
        none = nt.FIND_NONE_PERSON if isinstance(tok, UserArg) else nt.FIND_NONE
        return [Reply(Message(fmt(none, what=what)))]
    paths.searched(ctx, ctx.user, len(found))
    return [Reply(_paths_message(ctx, found, what))]


def _paths_message(ctx: Context, found: list[paths.Path], what: Any) -> Message:
    lines: list[Text] = [fmt(nt.FIND_TITLE, what=what)]
    buttons: list[Button] = []
    for n, path in enumerate(found, 1):
        target, does = Mention(path.target.user), path.target.does()
        if path.connector is None:
            lines.append(fmt(nt.FIND_KNOW, n=n, target=target, does=does))
            continue
        when = show_day(path.tie.last, ctx.zone(), now=ctx.now())
        tie = (
            fmt(nt.TIE_MET, when=when)
            if path.tie.times == 1
            else fmt(nt.TIE_MANY, n=path.tie.times, when=when)
        )
        connector = Mention(path.connector)
        lines.append(fmt(nt.FIND_PATH, n=n, connector=connector, target=target, does=does, tie=tie))
        label = f"{n} · " + nt.FIND_ASK.format(connector=ctx.name(path.connector))
        buttons.append(Button(FIND_ASK, label, f"{path.connector}:{path.target.user}"))
    return Message(join(*lines), tuple(buttons))


@family.button(FIND_ASK)
def ask_from_path(ctx: Context, value: str) -> list[Output]:
    """Start the normal double opt-in ask with the path's connector and target filled in."""
    return [ask_form(ctx, value)]


@family.sub("list", usage=t.USAGE_LIST, example=t.USAGE_LIST, params=())
def list_(ctx: Context, args: Args) -> list[Output]:
    """Your intro requests and where each one stands."""
    mine = flow.mine(ctx.store, ctx.community, ctx.user)
    waiting = flow.waiting_on(ctx.store, ctx.community, ctx.user)
    lines: list[Text] = []
    if waiting:
        lines.append(fmt(t.LIST_WAITING_TITLE))
        for intro in waiting:
            lines.append(
                fmt(
                    t.LIST_WAITING_LINE,
                    id=intro["id"],
                    requester=Mention(intro["requester"]),
                    target=_target_of(intro),
                )
            )
    if mine:
        lines.append(fmt(t.LIST_TITLE))
        for intro in mine[:LIST_LIMIT]:
            lines.append(
                fmt(
                    t.LIST_LINE,
                    id=intro["id"],
                    target=_target_of(intro),
                    connector=Mention(intro["connector"]),
                    status=_status(intro),
                )
            )
        if len(mine) > LIST_LIMIT:
            lines.append(fmt(t.LIST_MORE, count=len(mine) - LIST_LIMIT))
    elif not waiting:
        lines.append(fmt(t.LIST_EMPTY))
    return [Reply(Message(join(*lines)))]


@family.sub(
    "cancel",
    usage=t.USAGE_CANCEL,
    example=t.EXAMPLE_CANCEL,
    params=(Param("id", "item", "Which of your requests", items=MY_OPEN),),
)
def cancel(ctx: Context, args: Args) -> list[Output]:
    """Withdraw one of your open requests."""
    wanted = args.rest().strip().strip("`").lower()
    if not wanted:
        pending = flow.pending_of(ctx.store, ctx.community, ctx.user)
        if not pending:
            raise UserError(fmt(t.CANCEL_NONE_OPEN))
        ids = ", ".join(p["id"] for p in pending)
        raise UserError(fmt(t.CANCEL_WHICH, id=pending[0]["id"], ids=ids))
    intro = flow.get(ctx.store, ctx.community, wanted)
    if intro is None or intro["requester"] != ctx.user:
        raise UserError(fmt(t.CANCEL_UNKNOWN, id=wanted[:20]), t.EXAMPLE_CANCEL)
    if intro["state"] not in flow.PENDING:
        raise UserError(fmt(t.CANCEL_CLOSED, id=intro["id"], status=_status(intro)))
    done = flow.transition(ctx.store, intro, flow.CANCELLED, by=ctx.user, at=ctx.now())
    if done is None:  # answered a moment ago: let them look again
        raise UserError(
            fmt(
                t.CANCEL_CLOSED,
                id=intro["id"],
                status=_status(flow.get(ctx.store, ctx.community, wanted) or intro),
            )
        )
    note = fmt(t.CANCELLED_NOTE, requester=Mention(ctx.user), target=_target_of(done))
    told = [DirectMessage(done["connector"], Message(note))]
    if intro["state"] == flow.ASKED_TARGET and done["target"]:
        to_target = fmt(t.CANCELLED_NOTE_TARGET, requester=Mention(ctx.user))
        told.append(DirectMessage(done["target"], Message(to_target)))
    return [
        *_stop_timers(done),
        Reply(Message(fmt(t.CANCELLED, id=done["id"], target=_target_of(done)))),
        *told,
    ]


# -- messages ------------------------------------------------------------------------------


def _key(intro: dict[str, Any], what: str) -> str:
    return f"intro:{intro['id']}:{what}"


def _people(intro: dict[str, Any]) -> tuple[str, ...]:
    people = [intro["requester"], intro["connector"]]
    if intro.get("target"):
        people.append(intro["target"])
    return tuple(people)


def _target_of(intro: dict[str, Any]) -> Span | Text:
    """A member as a mention; someone outside as the requester's words, in quotes."""
    if intro.get("target"):
        return Mention(intro["target"])
    return fmt(t.OUTSIDE, text=intro.get("target_text") or "")


def _status(intro: dict[str, Any]) -> Text:
    connector_gone = intro.get("unreachable") == "connector"
    return fmt(
        t.STATUS_CONNECTOR_UNREACHABLE if connector_gone else t.STATUS[intro["state"]],
        connector=Mention(intro["connector"]),
        target=_target_of(intro),
    )


def _connector_ask_text(intro: dict[str, Any], *, reminder: bool = False) -> Text:
    """Who asks, whom, and why: what stays on the message once it is answered."""
    if reminder:
        head = t.REMIND
    else:
        head = t.CONNECTOR_ASK if intro.get("target") else t.CONNECTOR_ASK_OUTSIDE
    return join(
        fmt(head, requester=Mention(intro["requester"]), target=_target_of(intro)),
        fmt(t.WHY, reason=intro["reason"]),
    )


def _connector_ask(intro: dict[str, Any], *, reminder: bool = False) -> Message:
    if reminder:
        note = t.REMIND_NOTE
    else:
        note = t.CONNECTOR_NOTE if intro.get("target") else t.CONNECTOR_NOTE_OUTSIDE
    return Message(
        join(_connector_ask_text(intro, reminder=reminder), fmt(note)),
        buttons=(
            Button(MAKE, t.BUTTON_MAKE, intro["id"], "primary"),
            Button(NOT_NOW, t.BUTTON_NOT_NOW, intro["id"]),
        ),
    )


def _target_ask_text(intro: dict[str, Any]) -> Text:
    requester = Mention(intro["requester"])
    return join(
        fmt(t.TARGET_ASK, connector=Mention(intro["connector"]), requester=requester),
        fmt(t.TARGET_WHY, requester=requester, reason=intro["reason"]),
    )


def _target_ask(intro: dict[str, Any]) -> Message:
    return Message(
        join(_target_ask_text(intro), fmt(t.TARGET_NOTE)),
        buttons=(
            Button(ACCEPT, t.BUTTON_ACCEPT, intro["id"], "primary"),
            Button(DECLINE, t.BUTTON_DECLINE, intro["id"]),
        ),
    )


def _answered(original: Text, choice: Text, after: Text) -> Message:
    """The pressed message again, its buttons replaced by what was chosen."""
    return Message(join(original, join(choice, after, sep=" ")))


def _blurb(ctx: Context, intro: dict[str, Any], head: Text | None = None) -> Text:
    """A note the connector can forward outside: plain words, the requester's name as text."""
    target = _target_of(intro)
    name = ctx.name(intro["requester"])
    return join(
        head if head is not None else fmt(t.BLURB_HEAD, target=target),
        "",
        fmt(t.BLURB, name=name, reason=intro["reason"]),
    )
