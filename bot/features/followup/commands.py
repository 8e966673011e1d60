"""``/followup``: reminders to get back in touch, and the buttons on every nudge.

``/followup @alice in 2 weeks ask about the new team`` · ``/followup @alice on Dec 15``
· ``/followup @alice every month`` · ``/followup list`` · ``/followup cancel <id>``.
Each reminder is a DM with **Done** / **Snooze a week** / **Stop reminding me about
this**. The rules for when a nudge may arrive live in ``bot/nudges.py``; the
follow-ups themselves in ``bot/followups.py``.
"""

from __future__ import annotations

import zlib
from dataclasses import replace
from datetime import datetime
from typing import Any

from bot.args import Args, Quoted
from bot.clock import iso, parse_iso
from bot.context import Context
from bot.errors import FieldErrors, UserError
from bot.features.followup import home, nudges, numbers, privacy
from bot.features.followup import records as fu
from bot.features.followup import text as t
from bot.features.followup.contacts import last_contact, log_contact
from bot.features.followup.dates import Due, read_due, show
from bot.io import Cancel, DirectMessage, Field, Form, MessageUpdate, Output, Queued, Reply
from bot.items import open_items
from bot.markup import Text, fmt, join, to_plain
from bot.messages import Message
from bot.registry import Family, Param, Variant
from bot.when import show_day, show_moment
from store.base import OUTBOX

family = Family("followup", t.SUMMARY, order=30, default_name="add")

# The member's own active follow-ups, for pickers that cancel one.
MY_OPEN = open_items(fu.FOLLOWUPS, owners=("owner",), open_states=("active",))
CADENCES = (
    ("every week", "every week"),
    ("every 2 weeks", "every 2 weeks"),
    ("every month", "every month"),
    ("every 3 months", "every 3 months"),
)
family.home_section(home.followups, position=30)
family.keeps(*privacy.KEPT)
family.counts(numbers.NUMBERS)
family.on_erase(privacy.keep_followups_about)
family.housekeeping(nudges.forget_old_nudges)
family.policy(nudges.NudgePolicy)  # quiet hours, nudges off, the daily cap
_NOTE = Param("note", "text", "A note for your future self", required=False)

SNOOZE = nudges.SNOOZE
MAX_NAME = 150  # a name typed for someone outside the community


def reply(body: Text) -> list[Output]:
    return [Reply(Message(body))]


def update(body: Text) -> list[Output]:
    return [MessageUpdate(Message(body))]


# -- commands ------------------------------------------------------------------------------


@family.sub(
    None,
    usage="/followup @person in 2 weeks | on <date> | every month [note]",
    example=t.EXAMPLE,
    variants=(
        Variant(
            ("add",),
            None,
            params=(
                Param("person", "user", "Who to follow up with"),
                Param("when", "time", "When: in 2 weeks, in a month, on 2027-01-15"),
                _NOTE,
            ),
            help="Remind yourself to follow up with someone.",
        ),
        Variant(
            ("repeat",),
            None,
            params=(
                Param("person", "user", "Who to keep in touch with"),
                Param("cadence", "choice", "How often", choices=CADENCES),
                _NOTE,
            ),
            help="Keep in touch with someone regularly.",
        ),
        Variant(("new",), None, help="Set a follow-up by filling in a form."),
    ),
)
def create(ctx: Context, args: Args) -> list[Output]:
    """Remind me to follow up with someone, once or on a cadence."""
    if args.empty():
        return [followup_form(ctx, "")]
    tok = args.user_or_phrase("the person to follow up with")
    person, name = (None, tok.text) if isinstance(tok, Quoted) else (tok.id, None)
    if not isinstance(tok, Quoted) and tok.is_bot:
        raise UserError(fmt(t.BOT, who=fmt("@{name}", name=tok.name or tok.id)), args.example)
    when = read_due(
        args.rest(), ctx.now(), ctx.zone(), args.example, date_order=ctx.settings().date_order
    )
    try:
        return _schedule(ctx, person, name, when)
    except UserError as err:
        err.example = err.example or args.example
        raise


def _schedule(ctx: Context, person: str | None, name: str | None, when: Due) -> list[Output]:
    """Store the follow-up (everything read) and say when it will come back.

    When quiet hours or a quiet weekend will hold the reminder, the reply says when it
    will really arrive and why; the reading is always shown back, with its zone.
    """
    f = fu.schedule_followup(
        ctx, ctx.user, person, when.due, when.note, when.every, person_name=name
    )
    zone, now = ctx.zone(), ctx.now()
    due = parse_iso(f["due"])
    note = fmt(t.NOTE_SHOWN, note=f["note"]) if f.get("note") else ""
    date = show(due, zone, now)
    moved = nudges.moved_by_quiet(ctx, ctx.user, due)
    cadence = fu.cadence_of(f)
    lines: list[Text] = []
    if cadence is None and moved is not None:
        arrives = show(moved[0], zone, now)
        lines.append(
            fmt(
                t.CREATED_ONCE_MOVED,
                who=fu.who(f),
                date=date,
                note=note,
                why=nudges.moved_words(ctx, ctx.user, moved[1]),
                arrives=arrives,
            )
        )
    elif cadence is None:
        lines.append(fmt(t.CREATED_ONCE, who=fu.who(f), date=date, note=note))
    else:
        lines.append(
            fmt(t.CREATED_EVERY, who=fu.who(f), cadence=cadence.words(), date=date, note=note)
        )
        if moved is not None:
            arrives = show(moved[0], zone, now)
            why = nudges.moved_words(ctx, ctx.user, moved[1])
            lines.append(fmt(t.CREATED_EVERY_MOVED, why=why, arrives=arrives))
    # Every reading is shown back; one that needed no rule is still shown with its zone.
    lines.append(fmt(t.READ_AS, reading=when.reading or show_moment(due, zone, now=now)))
    if not ctx.settings().nudges:
        lines.append(fmt(t.CREATED_PAUSED))
    lines.append(fmt(t.CREATED_HINT))
    return reply(join(*lines))


def followup_form(ctx: Context, arg: str) -> Form:
    """The form behind ``/followup`` alone (key ``followup.new:``): anyone may fill it in."""
    return Form(
        key="followup.new:",
        title=t.FORM_TITLE,
        submit=t.FORM_SUBMIT,
        fields=(
            Field("person", "member", t.FORM_PERSON, required=False),
            Field(
                "outside",
                "text",
                t.FORM_OUTSIDE,
                placeholder=t.FORM_OUTSIDE_HINT,
                required=False,
                limit=MAX_NAME,
            ),
            Field("when", "text", t.FORM_WHEN, placeholder=t.FORM_WHEN_HINT, limit=100),
            Field(
                "note",
                "long",
                t.FORM_NOTE,
                placeholder=t.FORM_NOTE_HINT,
                required=False,
                limit=int(ctx.setting("max_text")),
            ),
        ),
    )


@family.form("followup.new", build=followup_form)
def followup_submitted(ctx: Context, arg: str, values: dict[str, Any]) -> list[Output]:
    """The same checks as the typed command, each refusal on its own field."""
    errors: dict[str, str] = {}
    person = values.get("person")
    outside = " ".join(str(values.get("outside") or "").split())
    if person is not None and outside:
        errors["outside"] = t.FORM_BOTH
    elif person is None and not outside:
        errors["person"] = t.FORM_NEED_PERSON
    elif person is not None and (person.is_bot or person.id == ctx.user):
        errors["person"] = t.FORM_NOT_THEM
    text = " ".join(str(values.get("when") or "").split())
    note = " ".join(str(values.get("note") or "").split())
    when = None
    try:
        when = read_due(text, ctx.now(), ctx.zone(), date_order=ctx.settings().date_order)
    except UserError as err:
        said = err.message
        errors["when"] = said if isinstance(said, str) else to_plain(said, ctx.name)
    if when is not None and when.note:  # the note has its own field: words left are a misreading
        errors["when"] = t.FORM_WHEN_LEFTOVER.format(rest=when.note)
        when = None
    if errors or when is None:
        raise FieldErrors(errors)
    if note:
        when = replace(when, note=note)
    return _schedule(ctx, person.id if person else None, None if person else outside, when)


@family.sub("list", usage="/followup list", example="/followup list", params=())
def list_(ctx: Context, args: Args) -> list[Output]:
    """Show your follow-ups and when each will remind you (in your time zone)."""
    found = fu.upcoming(ctx, ctx.user)
    if not found:
        return reply(fmt(t.LIST_EMPTY))
    zone = ctx.zone()
    now = ctx.now()
    lines: list[Text] = [fmt(t.LIST_TITLE, zone=str(zone))]
    for f, due in found:
        cadence = fu.cadence_of(f)
        note = fmt(t.NOTE_SHOWN, note=f["note"]) if f.get("note") else ""
        if cadence is not None:
            line = fmt(
                t.LIST_EVERY, cadence=cadence.words(), date=show(due, zone, now), **_line(f, note)
            )
        elif f.get("open") is not None and f.get("last_nudged"):
            nudged = show_day(parse_iso(f["last_nudged"]), zone, now=now)
            lines.append(join("• ", fmt(t.LIST_WAITING, date=nudged, **_line(f, note)), sep=""))
            continue
        else:
            line = fmt(t.LIST_ONCE, date=show(due, zone, now), **_line(f, note))
        lines.append(join("• ", line, nudges.moved_note(ctx, ctx.user, due), sep=""))
    if not ctx.settings().nudges:
        lines.append(fmt(t.LIST_PAUSED))
    lines.append(fmt(t.LIST_FOOTER))
    return reply(join(*lines))


def _line(f: dict[str, Any], note: Text | str) -> dict[str, Any]:
    return {"id": f["id"], "who": fu.who(f), "note": note}


@family.sub(
    "cancel",
    usage="/followup cancel <id>",
    example="/followup cancel k3f9qz",
    params=(Param("id", "item", "Which of your follow-ups", items=MY_OPEN),),
)
def cancel_(ctx: Context, args: Args) -> list[Output]:
    """Cancel one of your follow-ups."""
    if args.empty():
        raise UserError(fmt(t.CANCEL_NEED_ID), args.example)
    fid = args.word("the follow-up's id")
    f = fu.get_own(ctx, fid)
    if f is None or fu.end(ctx, f, "cancelled", {}) is None:
        raise UserError(fmt(t.CANCEL_NOT_FOUND, id=fid), args.example)
    return reply(fmt(t.CANCELLED, who=fu.who(f)))


# -- the reminder --------------------------------------------------------------------------


@family.due(fu.EVENT)
def remind(ctx: Context, data: dict[str, Any]) -> list[Output]:
    """A follow-up came due: remind its owner, unless a contact since moved it on."""
    f = ctx.store.get(fu.FOLLOWUPS, str(data.get("id")))
    if f is None or f.get("state") != fu.ACTIVE or f.get("seq") != data.get("seq"):
        return []
    later = fu.effective_due(ctx, f)
    if later > ctx.now():
        fu.reschedule(ctx, f, later)  # in touch since: the clock started again
        return []
    updated = fu.reminded(ctx, f)
    if updated is None:
        return []
    n = updated["nudges"]
    message = Message(_nudge_text(ctx, f), nudges.standard_buttons("followup", f"{f['id']}:{n}"))
    return [
        Queued(
            DirectMessage(f["owner"], message),
            due=_in_line(ctx, f),
            key=f"followup-dm:{f['id']}:{n}",
            about=(f["person"],) if f.get("person") else (),
            # This event was let through by the nudge policy (counted): its DM is a nudge
            # that isn't counted again, but a retry still waits out quiet hours.
            nudge=True,
            released=ctx.now().date().isoformat(),
        )
    ]


def _in_line(ctx: Context, f: dict[str, Any]) -> datetime:
    """When the reminder's message is due: where its event stood in line when it was let
    through (at most now), so reminders held back together arrive in the order they were
    released (``nudges.set_nudges``); when the follow-up was due, if that isn't known."""
    event = ctx.store.find_one(OUTBOX, {"key": f"{ctx.community.key}|{fu.event_key(f)}"})
    if event is None:
        return parse_iso(f["due"])
    return min(parse_iso(event["due"]), ctx.now())


def _nudge_text(ctx: Context, f: dict[str, Any]) -> Text:
    zone = ctx.zone(f["owner"])
    now = ctx.now()
    cadence = fu.cadence_of(f)
    lines: list[Text] = []
    if cadence is None:
        lines.append(fmt(t.NUDGE_ONCE, who=fu.who(f)))
    else:
        seen = None
        if f.get("person"):
            seen = last_contact(ctx.store, ctx.community, f["owner"], f["person"])
        if seen is not None:
            lines.append(fmt(t.NUDGE_WHILE, who=fu.who(f), date=show_day(seen, zone, now=now)))
        else:
            lines.append(fmt(t.NUDGE_WHILE_NEVER, who=fu.who(f), cadence=cadence.words()))
    if f.get("note"):
        lines.append(fmt(t.NUDGE_NOTE, note=f["note"]))
    since = fu.contact_since(ctx, f) if cadence is None else None
    if since is not None:
        lines.append(fmt(t.NUDGE_TOUCHED, date=show_day(since, zone, now=now)))
    tip = t.NUDGE_TIPS[zlib.crc32(f"{f['id']}:{f.get('nudges', 0)}".encode()) % len(t.NUDGE_TIPS)]
    lines.append(fmt("_{tip}_", tip=tip))
    return join(*lines)


# -- its buttons ---------------------------------------------------------------------------


def _mine(ctx: Context, value: str) -> tuple[dict[str, Any], int] | list[Output]:
    """The follow-up a button is about, if the presser owns it; else the answer to give."""
    fid, _, n = value.partition(":")
    f = ctx.store.get(fu.FOLLOWUPS, fid)
    if f is None or f.get("community") != ctx.community.key:
        return reply(fmt(t.ALREADY))
    if f.get("owner") != ctx.user:
        return reply(fmt(t.NOT_YOURS))
    return f, int(n) if n.isdigit() else -1


@family.button("followup.done")
def done(ctx: Context, value: str) -> list[Output]:
    found = _mine(ctx, value)
    if isinstance(found, list):
        return found
    f, n = found
    updated = fu.mark_done(ctx, f, n)
    if updated is None:
        return reply(fmt(t.ALREADY))
    if fu.cadence_of(f) is None:
        return update(fmt(t.DONE_ONCE, who=fu.who(f)))
    date = show_day(parse_iso(updated["due"]), ctx.zone(), now=ctx.now())
    return update(fmt(t.DONE_EVERY, who=fu.who(f), date=date))


@family.button("followup.snooze")
def snooze(ctx: Context, value: str) -> list[Output]:
    found = _mine(ctx, value)
    if isinstance(found, list):
        return found
    f, n = found
    updated = fu.snooze(ctx, f, n, ctx.now() + SNOOZE)
    if updated is None:
        return reply(fmt(t.ALREADY))
    return update(
        fmt(t.SNOOZED, date=show_day(parse_iso(updated["due"]), ctx.zone(), now=ctx.now()))
    )


@family.button("followup.stop")
def stop(ctx: Context, value: str) -> list[Output]:
    found = _mine(ctx, value)
    if isinstance(found, list):
        return found
    f, _ = found
    if fu.end(ctx, f, "stopped", {}) is None:
        return reply(fmt(t.ALREADY))
    return update(fmt(t.STOPPED))


# -- the same buttons on other features' nudges --------------------------------------------


def _generic(ctx: Context, value: str) -> dict[str, Any] | list[Output]:
    doc = ctx.store.get(nudges.NUDGE_MSGS, value)
    if doc is None or doc.get("community") != ctx.community.key:
        return reply(fmt(t.ALREADY))
    if doc.get("user") != ctx.user:
        return reply(fmt(t.NOT_YOURS))
    return doc


@family.button("nudge.done")
def nudge_done(ctx: Context, value: str) -> list[Output]:
    doc = _generic(ctx, value)
    if isinstance(doc, list):
        return doc
    changed = ctx.store.update(
        nudges.NUDGE_MSGS,
        doc["id"],
        {"state": "done", "done_at": iso(ctx.now())},
        expect={"state": "open"},
    )
    if changed is None:
        return reply(fmt(t.ALREADY))
    if doc.get("person"):
        log_contact(ctx.store, ctx.community, ctx.user, doc["person"], ctx.now(), "nudge")
    return update(fmt(t.GENERIC_DONE))


@family.button("nudge.snooze")
def nudge_snooze(ctx: Context, value: str) -> list[Output]:
    doc = _generic(ctx, value)
    if isinstance(doc, list):
        return doc
    round_ = int(doc.get("round", 1))
    changed = ctx.store.update(
        nudges.NUDGE_MSGS,
        doc["id"],
        {"state": "snoozed", "round": round_ + 1},
        expect={"state": "open"},
    )
    if changed is None:
        return reply(fmt(t.ALREADY))
    at = ctx.now() + SNOOZE
    return [
        *update(fmt(t.GENERIC_SNOOZED, date=show_day(at, ctx.zone(), now=ctx.now()))),
        nudges.snooze_later(doc, at, round_),
    ]


@family.button("nudge.stop")
def nudge_stop(ctx: Context, value: str) -> list[Output]:
    doc = _generic(ctx, value)
    if isinstance(doc, list):
        return doc
    changed = ctx.store.update(
        nudges.NUDGE_MSGS,
        doc["id"],
        {"state": "stopped"},
        expect={"state": ["open", "snoozed"]},
    )
    if changed is None:
        return reply(fmt(t.ALREADY))
    nudges.stop_topic(ctx, ctx.user, doc["topic"])
    again = Cancel(f"nudge-again:{doc['id']}:{int(doc.get('round', 1)) - 1}")
    return [again, *update(fmt(t.STOPPED))]


@family.due(nudges.AGAIN)
def nudge_again(ctx: Context, data: dict[str, Any]) -> list[Output]:
    """A snoozed nudge comes back, unless it was stopped meanwhile."""
    doc = ctx.store.get(nudges.NUDGE_MSGS, str(data.get("id")))
    if doc is None or nudges.is_stopped(ctx, doc["user"], doc["topic"]):
        return []
    if (
        ctx.store.update(
            nudges.NUDGE_MSGS, doc["id"], {"state": "open"}, expect={"state": "snoozed"}
        )
        is None
    ):
        return []
    return [DirectMessage(doc["user"], nudges.generic_message(doc))]


# -- /rapport nudges off|on ----------------------------------------------------------------


def switch_nudges(ctx: Context, args: Args) -> list[Output]:
    """Pause or resume every reminder I send you (``/rapport nudges off|on``); alone, say
    whether they are on and how many wait."""
    choice = (args.peek_word() or "").strip().lower()
    mine = ctx.settings()
    if not choice:
        return reply(nudges_state(ctx))
    if choice not in ("on", "off"):
        raise UserError(fmt(t.NUDGES_BAD), t.NUDGES_EXAMPLE)
    args.take()
    if choice == "off":
        if not mine.nudges:
            return reply(fmt(t.NUDGES_ALREADY_OFF))
        nudges.set_nudges(ctx, False)
        return reply(fmt(t.NUDGES_OFF))
    released = nudges.set_nudges(ctx, True)
    if mine.nudges and not released:
        return reply(fmt(t.NUDGES_ALREADY_ON))
    lines: list[Text] = [fmt(t.NUDGES_ON)]
    if released:
        quiet = mine.quiet + (", weekends" if mine.quiet_weekends else "")
        cap = int(ctx.setting("daily_nudge_cap") or 0)  # 0: no cap
        if released == 1:
            template = t.NUDGES_ON_WAITING_ONE
        elif not cap:
            template = t.NUDGES_ON_WAITING
        elif released > cap:  # the cap spreads them over days: say so
            template = t.NUDGES_ON_WAITING_SPREAD
        else:
            template = t.NUDGES_ON_WAITING_CAP
        lines.append(fmt(template, count=released, cap=cap, quiet=quiet))
    return reply(join(*lines))


def nudges_state(ctx: Context) -> Text:
    """``/rapport nudges`` alone: on or paused, and how many reminders wait."""
    if ctx.settings().nudges:
        return fmt(t.NUDGES_STATE_ON)
    waiting = len(nudges.held_nudges(ctx, ctx.user))
    if waiting == 0:
        return fmt(t.NUDGES_STATE_OFF)
    if waiting == 1:
        return fmt(t.NUDGES_STATE_OFF_ONE)
    return fmt(t.NUDGES_STATE_OFF_MANY, count=waiting)
