"""A coffee chat's life: invite → accept / suggest another time / decline → reminder with
preparation → check-in → thank-you and keep-in-touch.

A chat record (table ``coffee_chats``)::

    {id, community, requester, invitee, topic, start (UTC iso), state, rev,
     proposer, responder, said_requester, said_invitee, created, updated}

``state``: proposed → accepted → done | rescheduled | missed; declined and cancelled
end it. ``proposer`` put the current time forward and ``responder`` answers it; a
counter-proposal swaps them, so the same three buttons work both ways. ``rev`` grows
with every new time: buttons carry ``id:rev`` and scheduled events carry ``rev``, so a
press on an old invite or a reminder for an old time does nothing. Every transition is
a compare-and-set on ``state`` and ``rev``, so pressing twice acts once.

What goes through the nudge policy (``bot/nudges.py``): the check-in, the thank-you
nudge (standard Done / Snooze a week / Stop buttons) and the keep-in-touch reminder (a
follow-up, ``bot/followups.py``) are ``nudge=True``. The reminder before the chat is
not: it is part of a meeting both people agreed to, so it must arrive on time, whatever
the hour, the cap or a paused ``/rapport nudges``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from bot.clock import iso, parse_iso
from bot.context import Context
from bot.errors import FieldErrors, UserError
from bot.features.coffee import ics, prep
from bot.features.coffee import text as t
from bot.features.coffee.records import CHATS, INTROS, KEEP_IN_TOUCH, record_contact
from bot.features.coffee.when import (
    clock_in,
    describe,
    fmt_day,
    picked,
    read_when,
    reading,
    split_when,
)
from bot.features.followup import nudges
from bot.features.followup import records as followups
from bot.features.questions import bank as questions
from bot.io import (
    Cancel,
    DirectMessage,
    Field,
    Form,
    Later,
    MessageUpdate,
    OnFailed,
    Output,
    Reply,
    UserArg,
)
from bot.markup import Mention, Text, fmt, join, to_plain
from bot.messages import Attachment, Button, Message
from bot.when import Moment
from store import Conflict
from store.base import new_id

CHAT_MINUTES = 30
CHECKIN_AFTER = timedelta(minutes=60)  # after the start: the chat is over by then
MAX_OPEN_INVITES = 5
LIVE = ("proposed", "accepted", "rescheduled", "missed")  # a chat that can still change
KEEP = {"2w": timedelta(days=14), "1m": timedelta(days=30), "no": None}
THANK_EVENT = "coffee.thank"


# -- small helpers ---------------------------------------------------------------


def _reply(body: Text) -> list[Output]:
    return [Reply(Message(body))]


def _other(chat: dict[str, Any], user: str) -> str:
    return chat["invitee"] if user == chat["requester"] else chat["requester"]


def _role(chat: dict[str, Any], user: str) -> str:
    return "requester" if user == chat["requester"] else "invitee"


def _start(chat: dict[str, Any]) -> datetime:
    return parse_iso(chat["start"])


def _when_for(ctx: Context, chat: dict[str, Any], user: str) -> str:
    return describe(_start(chat), ctx.zone(user), now=ctx.now())


def _topic_line(chat: dict[str, Any]) -> Text:
    return fmt(t.TOPIC_LINE, topic=chat["topic"]) if chat.get("topic") else ()


def _minutes(n: float) -> str:
    n = int(n)
    if n == 60:
        return t.AN_HOUR
    if n % 60 == 0:
        return t.HOURS.format(n=n // 60)
    return t.MINUTES.format(n=n)


def _keys(chat: dict[str, Any]) -> list[str]:
    """The scheduled events of the chat's current time (to cancel when it changes)."""
    keys = []
    for user in (chat["requester"], chat["invitee"]):
        keys.append(f"coffee-remind:{chat['id']}:{chat['rev']}:{user}")
        keys.append(f"coffee-checkin:{chat['id']}:{chat['rev']}:{user}")
    keys.append(_unanswered_key(chat))
    return keys


UNANSWERED = "coffee.unanswered"


def _unanswered_key(chat: dict[str, Any]) -> str:
    return f"coffee-unanswered:{chat['id']}:{chat['rev']}"


def _unanswered_later(chat: dict[str, Any]) -> Later:
    """At the proposed time, tell the proposer if it passed without an answer."""
    return Later(
        at=_start(chat),
        event=UNANSWERED,
        data={"chat": chat["id"], "rev": chat["rev"]},
        key=_unanswered_key(chat),
        user=chat["proposer"],
        nudge=False,  # news about their invite, at the time they chose (like intro.expire)
        about=(chat["requester"], chat["invitee"]),
    )


def unanswered(ctx: Context, data: dict[str, Any]) -> list[Output]:
    """The time put forward passed unanswered: the proposer hears so, with a way on."""
    chat = _current(ctx, data, ("proposed",))
    if chat is None:
        return []
    proposer, responder = chat["proposer"], chat["responder"]
    note = fmt(
        t.UNANSWERED,
        who=Mention(responder),
        when=_when_for(ctx, chat, proposer),
        id=chat["id"],
    )
    return [DirectMessage(proposer, Message(note, (_new_time_button(chat),)))]


UNDELIVERED = "coffee.undelivered"


def _invite_to(chat: dict[str, Any], message: Message) -> DirectMessage:
    """The invite (or a new time) to the responder; if it can't be delivered, for good,
    ``undelivered`` closes the chat instead of leaving it waiting for an answer."""
    return DirectMessage(
        chat["responder"],
        message,
        on_failed=OnFailed(UNDELIVERED, {"chat": chat["id"], "rev": chat["rev"]}),
    )


def undelivered(ctx: Context, data: dict[str, Any]) -> list[Output]:
    """The invite never reached the responder (DMs closed, gone): the chat closes and
    the proposer hears so, naming the chat (the core's one-an-hour note could be
    left out for a second invite to the same person)."""
    chat = _current(ctx, data, ("proposed",))
    if chat is None:
        return []  # answered, moved or cancelled meanwhile: nothing to add
    reason = str(data.get("reason") or "")
    changed = ctx.store.update(
        CHATS,
        chat["id"],
        {"state": "cancelled", "undelivered": reason, "updated": iso(ctx.now())},
        expect={"state": "proposed", "rev": chat["rev"]},
    )
    if changed is None:
        return []
    proposer = chat["proposer"]
    why = t.UNDELIVERED_WHY.get(reason.split(":")[0], t.UNDELIVERED_WHY_OTHER)
    note = fmt(
        t.UNDELIVERED,
        id=chat["id"],
        when=_when_for(ctx, chat, proposer),
        who=Mention(chat["responder"]),
        why=why,
    )
    return [*_unschedule(chat), DirectMessage(proposer, Message(note))]


def _unschedule(chat: dict[str, Any]) -> list[Output]:
    """Call off the reminders and check-ins planned for the chat's old time."""
    return [Cancel(key) for key in _keys(chat)]


def _mine(ctx: Context, chat_id: str, example: str) -> dict[str, Any]:
    """A chat the acting person is part of; strangers and typos get the same answer."""
    chat = ctx.store.get(CHATS, chat_id.strip().lower())
    if (
        chat is None
        or chat.get("community") != ctx.community.key
        or ctx.user not in (chat["requester"], chat["invitee"])
    ):
        raise UserError(fmt(t.NOT_FOUND, id=chat_id), example)
    return chat


def _pressed(ctx: Context, value: str) -> tuple[dict[str, Any] | None, int | None]:
    """The chat a button names (``id:rev``), if it is in this community."""
    chat_id, _, rev = value.partition(":")
    chat = ctx.store.get(CHATS, chat_id)
    if chat is None or chat.get("community") != ctx.community.key:
        return None, None
    return chat, int(rev) if rev.isdigit() else None


def _gone() -> list[Output]:
    return _reply(fmt(t.BUTTON_STALE))


def _not_yours(ctx: Context | None = None, chat: dict[str, Any] | None = None) -> list[Output]:
    return _reply(_not_yours_text(ctx, chat))


def _not_yours_text(ctx: Context | None, chat: dict[str, Any] | None) -> Text:
    """To someone who may not press it; the proposer of the invite is told whose turn it
    is rather than that the chat isn't theirs."""
    if ctx is not None and chat is not None and ctx.user == chat.get("proposer"):
        return fmt(t.THEIR_TURN, who=Mention(chat["responder"]))
    return fmt(t.NOT_YOURS)


# -- booking -----------------------------------------------------------------------


def propose(ctx: Context, invitee: UserArg, words: list[str], quoted: str) -> list[Output]:
    """``/coffee @person <when> [topic]``: check everything, store the invite, send it."""
    _check_invitee(ctx, invitee)
    order = ctx.settings().date_order
    moment, rest = split_when(
        " ".join(words), ctx.zone(), ctx.now(), date_order=order, example=t.EXAMPLE_INVITE
    )
    topic = " ".join(p for p in (rest, quoted) if p).strip()
    return _book(ctx, invitee, moment, topic)


def _check_invitee(ctx: Context, invitee: UserArg) -> None:
    if invitee.id == ctx.user:
        raise UserError(fmt(t.SELF), t.EXAMPLE_INVITE)
    member = ctx.member(invitee.id)
    if invitee.is_bot or (member is not None and member.is_bot):
        raise UserError(fmt(t.BOT), t.EXAMPLE_INVITE)
    if member is None:
        raise UserError(fmt(t.NOT_MEMBER), t.EXAMPLE_INVITE)


def _book(ctx: Context, invitee: UserArg, moment: Moment, topic: str) -> list[Output]:
    """Store the invite and send it (the invitee checked, the time read)."""
    start = moment.at
    if len(topic) > int(ctx.setting("max_text")):
        raise UserError(fmt(t.TOPIC_TOO_LONG, n=int(ctx.setting("max_text"))), t.EXAMPLE_INVITE)
    mine = ctx.store.find(
        CHATS, {"community": ctx.community.key, "proposer": ctx.user, "state": "proposed"}
    )
    # An invite whose time passed unanswered stands in the way of nothing: a new invite
    # to the same person replaces it, and it counts toward no limit.
    passed = [c for c in mine if _start(c) <= ctx.now()]
    mine = [c for c in mine if _start(c) > ctx.now()]
    for chat in mine:
        if chat["responder"] == invitee.id:
            raise UserError(
                fmt(t.ALREADY_PENDING, who=Mention(invitee.id), id=chat["id"]),
                f"/coffee cancel {chat['id']}",
            )
    if len(mine) >= MAX_OPEN_INVITES:
        raise UserError(fmt(t.TOO_MANY, n=MAX_OPEN_INVITES), "/coffee list")
    now = iso(ctx.now())
    chat = {
        "community": ctx.community.key,
        "requester": ctx.user,
        "invitee": invitee.id,
        "topic": topic,
        "start": iso(start),
        "state": "proposed",
        "rev": 1,
        "proposer": ctx.user,
        "responder": invitee.id,
        "said_requester": None,
        "said_invitee": None,
        "created": now,
        "updated": now,
    }
    chat = _insert(ctx, chat)
    replaced: list[Output] = []
    for old in passed:
        if old["responder"] == invitee.id:
            ctx.store.update(
                CHATS,
                old["id"],
                {"state": "cancelled", "updated": now, "replaced_by": chat["id"]},
                expect={"state": "proposed", "rev": old["rev"]},
            )
            replaced.extend(_unschedule(old))
    return [
        *replaced,
        Reply(Message(_sent_note(ctx, chat, reading(moment, ctx.now())))),
        _invite_to(chat, _invite(ctx, chat, counter=False)),
        _unanswered_later(chat),
    ]


def invite_form(ctx: Context, arg: str) -> Form:
    """The form behind ``/coffee`` alone and an intro's **Schedule a coffee chat**
    (key ``coffee.invite:<member to preset, if any>``); anyone may book, so it checks
    nothing but what it presets."""
    preset = ctx.member(arg) if arg else None
    return Form(
        key=f"coffee.invite:{preset.id if preset else ''}",
        title=t.INVITE_FORM_TITLE,
        submit=t.INVITE_FORM_SUBMIT,
        fields=(
            Field(
                "person",
                "member",
                t.INVITE_FORM_PERSON,
                placeholder=t.INVITE_FORM_PERSON_HINT,
                default=UserArg(preset.id, preset.name) if preset else None,
            ),
            Field(
                "when",
                "when",
                t.SUGGEST_FORM_WHEN.format(zone=str(ctx.zone())),
                placeholder=t.SUGGEST_FORM_WHEN_HINT,
            ),
            Field(
                "topic",
                "long",
                t.INVITE_FORM_TOPIC,
                placeholder=t.INVITE_FORM_TOPIC_HINT,
                required=False,
                limit=int(ctx.setting("max_text")),
            ),
        ),
    )


def invite_submitted(ctx: Context, arg: str, values: dict[str, Any]) -> list[Output]:
    """Book from the form: who and when are refused on their own fields."""
    invitee = values["person"]
    try:
        _check_invitee(ctx, invitee)
    except UserError as err:
        raise FieldErrors({"person": _said(ctx, err)}) from err
    moment = form_when(ctx, values["when"])
    return _book(ctx, invitee, moment, str(values.get("topic") or "").strip())


def _said(ctx: Context, err: UserError) -> str:
    """A refusal's words for a form field (plain text: forms show no markup)."""
    return err.message if isinstance(err.message, str) else to_plain(err.message, ctx.name)


def _insert(ctx: Context, chat: dict[str, Any]) -> dict[str, Any]:
    for _ in range(5):
        try:
            return ctx.store.insert(CHATS, {**chat, "id": new_id()})
        except Conflict:
            continue
    raise RuntimeError("could not find a free chat id")


def _sent_note(ctx: Context, chat: dict[str, Any], read_as: str = "") -> Text:
    other = chat["responder"]
    lines = [
        fmt(
            t.INVITE_SENT,
            who=Mention(other),
            when=_when_for(ctx, chat, ctx.user),
            id=chat["id"],
        )
    ]
    if read_as:
        lines.append(fmt(t.READ_AS, reading=read_as))
    lines.extend(_their_time(ctx, chat, other, ctx.user))
    return join(*lines)


def _their_time(ctx: Context, chat: dict[str, Any], who: str, reader: str) -> list[Text]:
    """The chat's start on ``who``'s clock, when ``reader`` lives in another zone."""
    if ctx.zone(who) == ctx.zone(reader):
        return []
    zone = ctx.zone(who)
    return [fmt(t.THEIR_TIME, who=Mention(who), time=clock_in(_start(chat), zone), zone=str(zone))]


def _invite(ctx: Context, chat: dict[str, Any], *, counter: bool) -> Message:
    """What the responder sees: the time in their own zone, and three buttons."""
    proposer, responder = chat["proposer"], chat["responder"]
    head = t.COUNTER_HEAD if counter else t.INVITE_HEAD
    lines: list[Text] = [
        fmt(head, who=Mention(proposer)),
        fmt(t.INVITE_WHEN, when=_when_for(ctx, chat, responder)),
    ]
    lines.extend(_their_time(ctx, chat, proposer, responder))
    if chat.get("topic"):
        lines.append(_topic_line(chat))
    lines.append(fmt(t.INVITE_ID, id=chat["id"]))
    value = f"{chat['id']}:{chat['rev']}"
    return Message(
        join(*lines),
        (
            Button("coffee.accept", t.ACCEPT, value, "primary"),
            Button("coffee.other_time", t.OTHER_TIME, value),
            Button("coffee.decline", t.DECLINE, value, "danger"),
        ),
    )


def suggest(ctx: Context, chat_id: str, words: list[str]) -> list[Output]:
    """``/coffee suggest <id> <when>``: a counter-proposal, or moving a confirmed chat."""
    example = f"/coffee suggest {chat_id or 'k3f9qz'} thu 4pm"
    chat = _mine(ctx, chat_id, example)
    if chat["state"] not in LIVE:
        raise UserError(fmt(t.CLOSED, id=chat["id"], who=Mention(_other(chat, ctx.user))))
    order = ctx.settings().date_order
    moment = read_when(" ".join(words), ctx.zone(), ctx.now(), date_order=order, example=example)
    if moment.at == _start(chat):
        raise UserError(_same_time(ctx, chat), example)
    return _move(ctx, chat, moment.at, reading(moment, ctx.now()))


def _same_time(ctx: Context, chat: dict[str, Any]) -> Text:
    """A "new" time that is the chat's time already: nothing to move."""
    when = _when_for(ctx, chat, ctx.user)
    if chat["state"] == "proposed" and chat["responder"] == ctx.user:
        return fmt(t.SAME_TIME_ACCEPT, when=when)
    return fmt(t.SAME_TIME, when=when)


def _move(ctx: Context, chat: dict[str, Any], start: datetime, read_as: str) -> list[Output]:
    """Put ``start`` forward as the chat's new time; the other person answers it."""
    other = _other(chat, ctx.user)
    changed = ctx.store.update(
        CHATS,
        chat["id"],
        {
            "start": iso(start),
            "state": "proposed",
            "rev": chat["rev"] + 1,
            "proposer": ctx.user,
            "responder": other,
            "said_requester": None,
            "said_invitee": None,
            "updated": iso(ctx.now()),
        },
        expect={"state": chat["state"], "rev": chat["rev"]},
    )
    if changed is None:
        return _gone()
    return [
        *_unschedule(chat),
        Reply(Message(_sent_note(ctx, changed, read_as))),
        _invite_to(changed, _invite(ctx, changed, counter=True)),
        _unanswered_later(changed),
    ]


def suggest_form(ctx: Context, arg: str) -> Form:
    """The form behind **Suggest another time** (key ``coffee.suggest:<id>:<rev>``).

    Built for the invite's responder only, and only while that invite still stands: the
    key is all a submission carries, so this is also the check that the submitter may
    move this chat."""
    chat_id, _, rev = arg.partition(":")
    chat = ctx.store.get(CHATS, chat_id)
    if chat is None or chat.get("community") != ctx.community.key:
        raise UserError(fmt(t.BUTTON_STALE))
    if chat["state"] != "proposed" or str(chat["rev"]) != rev:  # moved on (even by them)
        raise UserError(fmt(t.BUTTON_STALE))
    if ctx.user != chat["responder"]:
        raise UserError(_not_yours_text(ctx, chat))
    return replace(suggest_form_for(ctx), key=f"coffee.suggest:{chat['id']}:{chat['rev']}")


NEW_TIME = "coffee.new_time"  # either person picks a new time for a chat that still stands


def move_form(ctx: Context, arg: str) -> Form:
    """The form behind **Pick a new time** (key ``coffee.move:<id>:<rev>``): either person
    of a chat that can still change, while it is the chat they pressed it on."""
    chat_id, _, rev = arg.partition(":")
    chat = ctx.store.get(CHATS, chat_id)
    if chat is None or chat.get("community") != ctx.community.key:
        raise UserError(fmt(t.BUTTON_STALE))
    if ctx.user not in (chat["requester"], chat["invitee"]):
        raise UserError(fmt(t.NOT_YOURS))
    if chat["state"] not in LIVE or str(chat["rev"]) != rev:
        raise UserError(fmt(t.BUTTON_STALE))
    return replace(suggest_form_for(ctx), key=f"coffee.move:{chat['id']}:{chat['rev']}")


def suggest_form_for(ctx: Context) -> Form:
    zone = str(ctx.zone())
    return Form(
        key="",
        title=t.SUGGEST_FORM_TITLE,
        submit=t.SUGGEST_FORM_SUBMIT,
        fields=(
            Field(
                "when",
                "when",
                t.SUGGEST_FORM_WHEN.format(zone=zone),
                placeholder=t.SUGGEST_FORM_WHEN_HINT,
            ),
        ),
    )


def new_time(ctx: Context, value: str) -> list[Output]:
    """Open the form for a new time (the chat's rev travels in the value)."""
    return [move_form(ctx, value)]


def _new_time_button(chat: dict[str, Any]) -> Button:
    return Button(NEW_TIME, t.NEW_TIME, f"{chat['id']}:{chat['rev']}")


def suggest_submitted(ctx: Context, arg: str, values: dict[str, Any]) -> list[Output]:
    """The new time from the form; a time that can't be used is refused on its field."""
    chat = ctx.store.get(CHATS, arg.partition(":")[0])
    assert chat is not None  # suggest_form checked it, in the same atomic block
    moment = form_when(ctx, values["when"])
    if moment.at == _start(chat):
        raise FieldErrors({"when": to_plain(_same_time(ctx, chat), ctx.name)})
    return _move(ctx, chat, moment.at, reading(moment, ctx.now()))


def form_when(ctx: Context, value: str | datetime, name: str = "when") -> Moment:
    """A form's time: typed words read like any typed time, or a platform picker's moment
    (already absolute) held to the same rules; a refusal names the field."""
    now = ctx.now()
    try:
        if isinstance(value, datetime):
            return picked(value, ctx.zone(), now)
        return read_when(value, ctx.zone(), now, date_order=ctx.settings().date_order)
    except UserError as err:
        raise FieldErrors({name: _said(ctx, err)}) from err


# -- the invite's buttons ------------------------------------------------------------


def accept(ctx: Context, value: str) -> list[Output]:
    chat, rev = _pressed(ctx, value)
    if chat is None or chat["state"] != "proposed" or chat["rev"] != rev:
        return _gone()
    if ctx.user != chat["responder"]:
        return _not_yours(ctx, chat)
    if _start(chat) <= ctx.now():
        late = fmt(t.ACCEPT_TOO_LATE, who=Mention(chat["proposer"]))
        return [Reply(Message(late, (_new_time_button(chat),)))]
    changed = ctx.store.update(
        CHATS,
        chat["id"],
        {"state": "accepted", "updated": iso(ctx.now())},
        expect={"state": "proposed", "rev": rev},
    )
    if changed is None:
        return _gone()
    proposer, responder = chat["proposer"], chat["responder"]
    out: list[Output] = [
        MessageUpdate(
            Message(
                fmt(
                    t.ACCEPTED_UPDATE, who=Mention(proposer), when=_when_for(ctx, changed, ctx.user)
                )
            )
        ),
        DirectMessage(proposer, _confirmation(ctx, changed, proposer, accepted_by=responder)),
        DirectMessage(responder, _confirmation(ctx, changed, responder)),
    ]
    out.extend(_schedule(ctx, changed))
    return out


def _confirmation(
    ctx: Context, chat: dict[str, Any], user: str, *, accepted_by: str | None = None
) -> Message:
    other = _other(chat, user)
    head = (
        fmt(t.CONFIRMED_BY, who=Mention(accepted_by))
        if accepted_by
        else fmt(t.CONFIRMED, who=Mention(other))
    )
    lines = [head, fmt(t.INVITE_WHEN, when=_when_for(ctx, chat, user))]
    if chat.get("topic"):
        lines.append(_topic_line(chat))
    minutes = float(ctx.setting("chat_reminder_minutes"))
    lines.append(fmt(t.CONFIRMED_NEXT, before=_minutes(minutes), id=chat["id"]))
    return Message(join(*lines), (_new_time_button(chat),), attachments=(_ics(ctx, chat),))


def _ics(ctx: Context, chat: dict[str, Any], *, cancelled: bool = False) -> Attachment:
    a, b = ctx.name(chat["requester"]), ctx.name(chat["invitee"])
    return ics.chat_event(
        uid=f"coffee-{chat['id']}@rapport",
        start=_start(chat),
        minutes=CHAT_MINUTES,
        summary=t.ICS_SUMMARY.format(a=a, b=b),
        description=t.ICS_DESCRIPTION.format(topic=chat.get("topic") or t.ICS_NO_TOPIC),
        sequence=int(chat["rev"]),
        stamp=ctx.now(),
        cancelled=cancelled,
    )


def _schedule(ctx: Context, chat: dict[str, Any]) -> list[Output]:
    """Reminder before, check-in after, for both people (keys carry the rev)."""
    start = _start(chat)
    before = timedelta(minutes=float(ctx.setting("chat_reminder_minutes")))
    out: list[Output] = [Cancel(_unanswered_key(chat))]  # it was answered
    people = (chat["requester"], chat["invitee"])
    for user in people:
        data = {"chat": chat["id"], "rev": chat["rev"], "user": user}
        if start - ctx.now() > timedelta(minutes=5):
            out.append(
                Later(
                    at=max(start - before, ctx.now()),
                    event="coffee.remind",
                    data=data,
                    key=f"coffee-remind:{chat['id']}:{chat['rev']}:{user}",
                    user=user,
                    nudge=False,  # a meeting they agreed to: not held by quiet hours
                    about=people,
                )
            )
        out.append(
            Later(
                at=start + CHECKIN_AFTER,
                event="coffee.checkin",
                data=data,
                key=f"coffee-checkin:{chat['id']}:{chat['rev']}:{user}",
                user=user,
                nudge=True,
                about=people,
            )
        )
    return out


def other_time(ctx: Context, value: str) -> list[Output]:
    """Ask for the new time in a form (in the presser's zone)."""
    chat, rev = _pressed(ctx, value)
    if chat is None or chat["state"] != "proposed" or chat["rev"] != rev:
        return _gone()
    if ctx.user != chat["responder"]:
        return _not_yours(ctx, chat)
    return [suggest_form(ctx, f"{chat['id']}:{rev}")]


def decline(ctx: Context, value: str) -> list[Output]:
    chat, rev = _pressed(ctx, value)
    if chat is None or chat["state"] != "proposed" or chat["rev"] != rev:
        return _gone()
    if ctx.user != chat["responder"]:
        return _not_yours(ctx, chat)
    changed = ctx.store.update(
        CHATS,
        chat["id"],
        {"state": "declined", "updated": iso(ctx.now())},
        expect={"state": "proposed", "rev": rev},
    )
    if changed is None:
        return _gone()
    proposer = chat["proposer"]
    return [
        Cancel(_unanswered_key(chat)),
        MessageUpdate(Message(fmt(t.DECLINED_UPDATE, who=Mention(proposer)))),
        DirectMessage(
            proposer,
            Message(
                fmt(
                    t.DECLINED_NOTE,
                    who=Mention(ctx.user),
                    when=_when_for(ctx, chat, proposer),
                )
            ),
        ),
    ]


# -- list and cancel -------------------------------------------------------------------


def list_chats(ctx: Context) -> list[Output]:
    key = ctx.community.key
    chats = ctx.store.find(CHATS, {"community": key, "requester": ctx.user}) + ctx.store.find(
        CHATS, {"community": key, "invitee": ctx.user}
    )
    recent = iso(ctx.now() - timedelta(days=14))
    shown = sorted(
        (c for c in chats if c["state"] in LIVE and c["start"] >= recent),
        key=lambda c: c["start"],
    )
    if not shown:
        return _reply(fmt(t.LIST_EMPTY))
    lines: list[Text] = [fmt(t.LIST_HEAD)]
    for chat in shown:
        other = _other(chat, ctx.user)
        if chat["state"] == "proposed" and _start(chat) <= ctx.now():
            status = t.STATUS_PASSED if chat["responder"] == ctx.user else t.STATUS_UNANSWERED
        elif chat["state"] == "proposed":
            status = t.STATUS_YOUR_TURN if chat["responder"] == ctx.user else t.STATUS_WAITING
        else:
            status = t.STATUS[chat["state"]]
        lines.append(
            fmt(
                t.LIST_LINE,
                id=chat["id"],
                who=Mention(other),
                when=_when_for(ctx, chat, ctx.user),
                status=fmt(status, who=Mention(other)),
            )
        )
    lines.append(fmt(t.LIST_FOOT))
    return _reply(join(*lines))


def cancel(ctx: Context, chat_id: str) -> list[Output]:
    example = "/coffee cancel k3f9qz"
    if not chat_id:
        raise UserError(fmt(t.CANCEL_WHICH), example)
    chat = _mine(ctx, chat_id, example)
    if chat["state"] not in LIVE:
        raise UserError(fmt(t.CLOSED, id=chat["id"], who=Mention(_other(chat, ctx.user))))
    changed = ctx.store.update(
        CHATS,
        chat["id"],
        {"state": "cancelled", "updated": iso(ctx.now()), "cancelled_by": ctx.user},
        expect={"state": chat["state"], "rev": chat["rev"]},
    )
    if changed is None:  # pragma: no cover - only if the chat changed under our feet
        raise UserError(fmt(t.CLOSED, id=chat["id"], who=Mention(_other(chat, ctx.user))))
    other = _other(chat, ctx.user)
    was_confirmed = chat["state"] in ("accepted", "rescheduled")
    note = Message(
        fmt(t.CANCELLED_NOTE, who=Mention(ctx.user), when=_when_for(ctx, chat, other)),
        attachments=(_ics(ctx, changed, cancelled=True),) if was_confirmed else (),
    )
    return [
        *_unschedule(chat),
        Reply(Message(fmt(t.CANCELLED_DONE, who=Mention(other), id=chat["id"]))),
        DirectMessage(other, note),
    ]


# -- before and after the chat -----------------------------------------------------------


def _current(ctx: Context, data: dict[str, Any], states: tuple[str, ...]) -> dict[str, Any] | None:
    chat = ctx.store.get(CHATS, str(data.get("chat")))
    if chat is None or chat["state"] not in states or chat["rev"] != data.get("rev"):
        return None
    return chat


def remind(ctx: Context, data: dict[str, Any]) -> list[Output]:
    """An hour before: preparation and three open-ended questions from the bank."""
    chat = _current(ctx, data, ("accepted",))
    if chat is None:
        return []
    user = data["user"]
    other = _other(chat, user)
    role = "inviter" if user == chat["requester"] else "invitee"
    ready = prep.plan(chat.get("topic"), role, questions.bank())
    picked: list[questions.Question] = []
    if ready.questions:  # served, so the same person isn't shown the same ones next time
        picked, _ = questions.serve(ctx.store, ctx.community, user, category=ready.category)
    lines: list[Text] = [
        fmt(
            t.REMIND_HEAD,
            who=Mention(other),
            time=clock_in(_start(chat), ctx.zone(user)),
            zone=str(ctx.zone(user)),
        )
    ]
    if chat.get("topic"):
        lines.append(_topic_line(chat))
    for line in ready.lines:
        if line == prep.QUESTIONS:
            lines.extend(fmt(t.QUESTION_LINE, n=i, text=q.text) for i, q in enumerate(picked, 1))
        else:
            lines.append(fmt(line, who=Mention(other), topic=ready.topic))
    return [DirectMessage(user, Message(join(*lines)))]


def checkin(ctx: Context, data: dict[str, Any]) -> list[Output]:
    """After the chat: "Did your chat with X happen?" (unless they already told us).

    A nudge in delivery (its ``Later`` is ``nudge=True``: quiet hours, the daily cap and
    nudges off apply) but a question in form, so it has no Done / Snooze / Stop: its
    three answers are the whole choice — **Yes** already is "done" (it logs the contact
    and leads to the thank-you nudge and the keep-in-touch offer), it is asked once and
    never repeats (nothing to stop), and a week-late "did it happen?" helps nobody
    (nothing to snooze). Ignoring it costs nothing.
    """
    chat = _current(ctx, data, ("accepted", "done", "rescheduled", "missed"))
    user = data["user"]
    if chat is None or chat.get(f"said_{_role(chat, user)}") is not None:
        return []
    other = _other(chat, user)
    value = f"{chat['id']}:{chat['rev']}"
    return [
        DirectMessage(
            user,
            Message(
                fmt(t.CHECKIN_ASK, who=Mention(other), when=_when_for(ctx, chat, user)),
                (
                    Button("coffee.happened", t.CHECKIN_YES, value, "primary"),
                    Button("coffee.rescheduled", t.CHECKIN_RESCHEDULED, value),
                    Button("coffee.missed", t.CHECKIN_MISSED, value),
                ),
            ),
        )
    ]


def _answer(ctx: Context, value: str, said: str) -> tuple[dict[str, Any] | None, list[Output]]:
    """Record one person's check-in answer once; returns the chat or a refusal."""
    chat, rev = _pressed(ctx, value)
    if chat is None or chat["rev"] != rev or chat["state"] in ("cancelled", "declined", "proposed"):
        return None, _gone()
    if ctx.user not in (chat["requester"], chat["invitee"]):
        return None, _not_yours()
    field = f"said_{_role(chat, ctx.user)}"
    state = chat["state"]
    if said == "yes":
        state = "done"
    elif state == "accepted":
        state = "rescheduled" if said == "rescheduled" else "missed"
    changed = ctx.store.update(
        CHATS,
        chat["id"],
        {field: said, "state": state, "updated": iso(ctx.now())},
        expect={field: None, "rev": rev, "state": chat["state"]},
    )
    if changed is None:
        return None, _gone()
    return changed, []


def happened(ctx: Context, value: str) -> list[Output]:
    """Yes: log the contact, offer to keep in touch, and nudge a thank-you (right away)."""
    chat, refusal = _answer(ctx, value, "yes")
    if chat is None:
        return refusal
    other = _other(chat, ctx.user)
    now = ctx.now()
    met = min(_start(chat), now)  # they met when the chat was, not when they said so
    for a, b in ((ctx.user, other), (other, ctx.user)):
        record_contact(ctx.store, ctx.community, a, b, met, source="coffee", ref=chat["id"])
    already = followups.recurring_with(ctx, ctx.user, other)
    if already is not None:  # they keep in touch already: no second reminder to offer
        cadence = followups.cadence_of(already)
        update = Message(
            join(
                fmt(t.HAPPENED),
                fmt(
                    t.KEEP_EXISTING,
                    who=Mention(other),
                    cadence=cadence.words() if cadence else "",
                    id=already["id"],
                ),
            )
        )
    else:
        update = Message(
            join(fmt(t.HAPPENED), fmt(t.KEEP_ASK, who=Mention(other))),
            (
                Button("coffee.keep_2w", t.KEEP_2W, chat["id"], "primary"),
                Button("coffee.keep_1m", t.KEEP_1M, chat["id"]),
                Button("coffee.keep_no", t.KEEP_NO, chat["id"]),
            ),
        )
    return [
        MessageUpdate(update),
        Later(
            at=now,
            event=THANK_EVENT,
            data={"chat": chat["id"], "user": ctx.user},
            key=f"coffee-thank:{chat['id']}:{ctx.user}",
            user=ctx.user,
            nudge=True,  # a nudge: at 23:00 it waits for the morning
            about=(ctx.user, other),
        ),
    ]


def thank_due(ctx: Context, data: dict[str, Any]) -> list[Output]:
    """The thank-you nudge after a chat that happened, with the standard buttons.

    Done ("I sent it") logs a contact with the other person; Snooze brings this back in
    a week (through this handler again); Stop silences it for this chat.
    """
    chat = ctx.store.get(CHATS, str(data.get("chat")))
    user = str(data.get("user"))
    if (
        chat is None
        or chat.get("community") != ctx.community.key
        or user not in (chat["requester"], chat["invitee"])
        or chat.get(f"said_{_role(chat, user)}") != "yes"
    ):
        return []
    other = _other(chat, user)
    return nudges.nudge_message(
        ctx,
        user,
        fmt(t.THANK_NUDGE, who=Mention(other)),
        topic=f"coffee:{chat['id']}:thank",
        person=other,
        again=(THANK_EVENT, {"chat": chat["id"], "user": user}),
    )


def rescheduled(ctx: Context, value: str) -> list[Output]:
    chat, refusal = _answer(ctx, value, "rescheduled")
    if chat is None:
        return refusal
    other = _other(chat, ctx.user)
    text = fmt(t.RESCHEDULED, who=Mention(other))
    return [MessageUpdate(Message(text, (_new_time_button(chat),)))]


def missed(ctx: Context, value: str) -> list[Output]:
    chat, refusal = _answer(ctx, value, "missed")
    if chat is None:
        return refusal
    other = _other(chat, ctx.user)
    text = fmt(t.MISSED, who=Mention(other))
    return [MessageUpdate(Message(text, (_new_time_button(chat),)))]


def keep(ctx: Context, value: str, choice: str) -> list[Output]:
    """Keep in touch: **In 2 weeks** / **In a month** make a real follow-up (``/followup``).

    The follow-up is created in this same atomic block, and its id is stored on the
    ``keep_in_touch`` record; its reminder is the follow-up feature's, with Done /
    Snooze a week / Stop, quiet hours and the daily cap. **No** stores the choice only.
    """
    chat = ctx.store.get(CHATS, value)
    if chat is None or chat.get("community") != ctx.community.key:
        return _gone()
    if ctx.user not in (chat["requester"], chat["invitee"]):
        return _not_yours()
    if chat.get(f"said_{_role(chat, ctx.user)}") != "yes":
        return _gone()
    other = _other(chat, ctx.user)
    key = f"{ctx.community.key}|coffee:{chat['id']}|{ctx.user}"
    if ctx.store.find_one(KEEP_IN_TOUCH, {"key": key}) is not None:
        return _reply(fmt(t.KEEP_ALREADY))
    now = ctx.now()
    delta = KEEP[choice]
    due = now + delta if delta else None
    followup = None
    if due is not None:
        followup = followups.schedule_followup(
            ctx,
            ctx.user,
            other,
            due,
            note=t.KEEP_NOTE.format(day=fmt_day(_start(chat).astimezone(ctx.zone()))),
            source="keep_in_touch",
            key=f"keep:{chat['id']}:{ctx.user}",
        )
    ctx.store.insert(
        KEEP_IN_TOUCH,
        {
            "key": key,
            "community": ctx.community.key,
            "user": ctx.user,
            "other": other,
            "choice": choice,
            "at": iso(now),
            "followup_due": iso(due) if due else None,
            "chat": chat["id"],
            "source": "coffee",
            "followup": followup["id"] if followup else None,
        },
    )
    if due is None or followup is None:
        return [MessageUpdate(Message(fmt(t.KEEP_NONE, who=Mention(other))))]
    shown = parse_iso(followup["due"]).astimezone(ctx.zone())
    return [
        MessageUpdate(
            Message(fmt(t.KEEP_SET, who=Mention(other), when=fmt_day(shown), id=followup["id"]))
        )
    ]


def keep_due(ctx: Context, data: dict[str, Any]) -> list[Output]:
    """A keep-in-touch reminder queued before keep-in-touch became a follow-up.

    Nothing schedules this event any more; it stays for items already in the outbox.
    It is silent when a follow-up carries the reminder (``followup`` set) or the choice
    was No; otherwise it is a standard nudge: Done logs a contact with the other person.
    """
    record = ctx.store.find_one(KEEP_IN_TOUCH, {"key": str(data.get("key"))})
    if record is None or record.get("followup") or record.get("choice") not in t.KEEP_SINCE:
        return []
    return nudges.nudge_message(
        ctx,
        record["user"],
        fmt(t.KEEP_NUDGE, who=Mention(record["other"]), since=_since(record)),
        topic=f"keep:{record.get('chat')}",
        person=record["other"],
    )


def _since(record: dict[str, Any]) -> str:
    return t.KEEP_SINCE[record["choice"]]


# -- from an intro ----------------------------------------------------------------------


def schedule_from_intro(ctx: Context, value: str) -> list[Output]:
    """The intro's **Schedule a coffee chat** button: the booking form, the other one picked."""
    intro = ctx.store.get(INTROS, value)
    if intro is None or intro.get("community", ctx.community.key) != ctx.community.key:
        return _gone()
    requester, target = intro.get("requester"), intro.get("target")
    if ctx.user not in (requester, target):
        return _reply(fmt(t.INTRO_NOT_YOURS))
    other = target if ctx.user == requester else requester
    member = ctx.member(other) if isinstance(other, str) else None
    if member is None:
        return _reply(fmt(t.INTRO_OUTSIDE, connector=Mention(str(intro.get("connector")))))
    return [invite_form(ctx, member.id)]
