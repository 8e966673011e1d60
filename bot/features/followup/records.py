"""Follow-ups: "remind me to get back in touch with this person", once or on a cadence.

A follow-up is a record in ``followups``; its next reminder is one outbox event
(``followup.due``, keyed by the follow-up's ``seq``), so moving a reminder means
cancelling one event and scheduling the next. The event's handler decides at that
moment what to say: a recurring follow-up whose person you were in touch with since
(any row of the contact log, whoever wrote it) is pushed to that contact + cadence,
and says nothing — the "it's been a while" clock starts again from the contact.

Recurring follow-ups keep going when a reminder is ignored (the next one is set when
a reminder goes out); **Done** sets the next one from now. A one-off follow-up is
reminded once and then waits in ``/followup list`` for Done.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.clock import iso, parse_iso
from bot.context import Context
from bot.errors import UserError
from bot.features.followup import text as t
from bot.features.followup.contacts import last_contact, log_contact
from bot.features.followup.dates import Every, add_cadence, check_due, read_every, show
from bot.io import Cancel, Later
from bot.markup import Mention, Text, fmt
from store import Conflict

FOLLOWUPS = "followups"
EVENT = "followup.due"
ACTIVE = "active"


# -- creating ------------------------------------------------------------------------


def schedule_followup(
    ctx: Context,
    owner: str,
    person: str | None,
    due: datetime,
    note: str | None = None,
    every: str | Every | None = None,
    source: str = "manual",
    *,
    key: str | None = None,
    person_name: str | None = None,
) -> dict[str, Any]:
    """Create a follow-up for ``owner`` about ``person`` and schedule its first reminder.

    ``person`` is a member's user id (or None with ``person_name`` for someone outside
    the community); ``due`` an aware datetime; ``every`` a cadence such as ``"month"``
    or ``"2 weeks"`` for a recurring one; ``source`` says which feature asked
    (``manual``, ``keep_in_touch``, …). With ``key``, calling twice creates one follow-up
    (the first is returned); from a feature (``source`` not ``manual``), an active
    follow-up that would do the same is returned instead of a second one. Runs inside
    the caller's atomic block; refuses bad input with ``UserError``. Returns the record.
    """
    store = ctx.store
    if key is not None:
        existing = store.find_one(FOLLOWUPS, {"key": f"{ctx.community.key}|{key}"})
        if existing is not None:
            return existing
    if person is None and not (person_name or "").strip():
        raise UserError(t.NEED_PERSON)
    if person is not None and person == owner:
        raise UserError(t.SELF)
    member = ctx.member(person) if person else None
    if member is not None and member.is_bot:
        raise UserError(fmt(t.BOT, who=Mention(person or "")))
    cadence = read_every(every) if isinstance(every, str) else every
    now = ctx.now()
    check_due(due, now)
    note = (note or "").strip() or None
    limit = int(ctx.setting("max_text"))
    if note and len(note) > limit:
        raise UserError(fmt(t.NOTE_TOO_LONG, length=len(note), limit=limit))
    same = _duplicate(ctx, owner, person, person_name, due, note, cadence)
    if same is not None:
        if source != "manual":
            return same  # another feature asking again: the one we have does the job
        _refuse(ctx, same)
    doc: dict[str, Any] = {
        "community": ctx.community.key,
        "owner": owner,
        "person": person,
        "person_name": (person_name or "").strip() or None,
        "note": note,
        "every": cadence.to_data() if cadence else None,
        "due": iso(due),
        "state": ACTIVE,
        "source": source,
        "created": iso(now),
        "seq": 1,
        "made": _next_made(ctx, owner),
        "open": None,  # the number of the reminder waiting for an answer
        "nudges": 0,
        "done": 0,
    }
    if key is not None:
        doc["key"] = f"{ctx.community.key}|{key}"
    try:
        doc = store.insert(FOLLOWUPS, doc)
    except Conflict as err:  # the same key raced in twice
        return err.existing
    ctx.emit(_later(doc))
    return doc


def _duplicate(
    ctx: Context,
    owner: str,
    person: str | None,
    person_name: str | None,
    due: datetime,
    note: str | None,
    cadence: Every | None,
) -> dict[str, Any] | None:
    """An active follow-up that would do the same: a second cadence with the same person,
    or a one-off with the same person at the same moment with the same note (or none).

    Another time of day, or another note, is another follow-up.
    """
    name = (person_name or "").strip() or None
    for f in active(ctx, owner):
        if f.get("person") != person or f.get("person_name") != name:
            continue
        if cadence is not None and f.get("every"):
            return f
        if (
            cadence is None
            and not f.get("every")
            and f.get("note") == note
            and _minute(parse_iso(f["due"])) == _minute(due)
        ):
            return f
    return None


def _minute(moment: datetime) -> datetime:
    """A moment as it is shown: to the minute (two "in 3 hours" a few seconds apart match)."""
    return moment.replace(second=0, microsecond=0)


def _refuse(ctx: Context, same: dict[str, Any]) -> None:
    cadence = cadence_of(same)
    if cadence is not None:
        raise UserError(
            fmt(t.DUPLICATE_EVERY, who=who(same), cadence=cadence.words(), id=same["id"])
        )
    date = show(parse_iso(same["due"]), ctx.zone(same["owner"]), ctx.now())
    if same.get("note"):
        said = fmt(t.DUPLICATE_ONCE, who=who(same), date=date, id=same["id"], note=same["note"])
    else:
        said = fmt(t.DUPLICATE_ONCE_NO_NOTE, who=who(same), date=date, id=same["id"])
    raise UserError(said)


def _next_made(ctx: Context, owner: str) -> int:
    """The owner's follow-ups are numbered as they are made (one clock moment can see
    several): reminders that fall due together are released in this order."""
    mine = ctx.store.find(FOLLOWUPS, {"owner": owner})
    return 1 + max(
        (int(f.get("made") or 0) for f in mine if f.get("community") == ctx.community.key),
        default=0,
    )


def _later(f: dict[str, Any]) -> Later:
    data: dict[str, Any] = {"id": f["id"], "seq": f["seq"]}
    if f.get("made"):
        data["made"] = f["made"]  # the nudge policy's tie-break (``nudges.set_nudges``)
    return Later(
        parse_iso(f["due"]),
        EVENT,
        data,
        key=event_key(f),
        user=f["owner"],
        nudge=True,
        about=(f["person"],) if f.get("person") else (),
    )


def event_key(f: dict[str, Any]) -> str:
    return f"followup:{f['id']}:{f['seq']}"


# -- reading ---------------------------------------------------------------------------


def active(ctx: Context, owner: str) -> list[dict[str, Any]]:
    """The owner's active follow-ups in this community."""
    return [
        f
        for f in ctx.store.find(FOLLOWUPS, {"owner": owner})
        if f.get("community") == ctx.community.key and f.get("state") == ACTIVE
    ]


def recurring_with(ctx: Context, owner: str, person: str) -> dict[str, Any] | None:
    """``owner``'s active recurring follow-up with ``person``, if they keep in touch already."""
    return next(
        (f for f in active(ctx, owner) if f.get("person") == person and f.get("every")), None
    )


def upcoming(ctx: Context, owner: str) -> list[tuple[dict[str, Any], datetime]]:
    """Active follow-ups with when each will next remind, soonest first."""
    found = [(f, effective_due(ctx, f)) for f in active(ctx, owner)]
    return sorted(found, key=lambda pair: (pair[1], int(pair[0].get("made") or 0), pair[0]["id"]))


def get_own(ctx: Context, fid: str) -> dict[str, Any] | None:
    """A follow-up of the acting user in this community (None for anyone else's)."""
    f = ctx.store.get(FOLLOWUPS, fid.strip().lower())
    if f is None or f.get("community") != ctx.community.key or f.get("owner") != ctx.user:
        return None
    return f


def cadence_of(f: dict[str, Any]) -> Every | None:
    return Every.from_data(f.get("every"))


def effective_due(ctx: Context, f: dict[str, Any]) -> datetime:
    """When a follow-up will next remind: a recurring one waits for contact + cadence."""
    due = parse_iso(f["due"])
    cadence = cadence_of(f)
    if cadence is None or not f.get("person"):
        return due
    seen = last_contact(ctx.store, ctx.community, f["owner"], f["person"])
    if seen is None:
        return due
    pushed = add_cadence(seen, cadence, ctx.zone(f["owner"]))
    return max(due, pushed)


def contact_since(ctx: Context, f: dict[str, Any]) -> datetime | None:
    """The last contact with the person after the follow-up was set up, if any."""
    if not f.get("person"):
        return None
    seen = last_contact(ctx.store, ctx.community, f["owner"], f["person"])
    if seen is not None and seen > parse_iso(f["created"]):
        return seen
    return None


def who(f: dict[str, Any]) -> Text:
    """The person of a follow-up as message text: a mention, or the name as typed."""
    if f.get("person"):
        return (Mention(f["person"]),)
    return fmt("{name}", name=f.get("person_name") or "")


# -- changing ------------------------------------------------------------------------------


def reschedule(
    ctx: Context,
    f: dict[str, Any],
    due: datetime,
    expect: dict[str, Any] | None = None,
    **changes: Any,
) -> dict[str, Any] | None:
    """Move the next reminder to ``due`` (compare-and-set on ``seq``); None if it changed."""
    updated = ctx.store.update(
        FOLLOWUPS,
        f["id"],
        {"due": iso(due), "seq": f["seq"] + 1, **changes},
        expect={"state": ACTIVE, "seq": f["seq"], **(expect or {})},
    )
    if updated is not None:
        ctx.emit(Cancel(event_key(f)), _later(updated))
    return updated


def end(
    ctx: Context, f: dict[str, Any], state: str, expect: dict[str, Any]
) -> dict[str, Any] | None:
    """Finish a follow-up (done, stopped, cancelled); its pending reminder goes too."""
    updated = ctx.store.update(
        FOLLOWUPS,
        f["id"],
        {"state": state, "open": None, f"{state}_at": iso(ctx.now())},
        expect={"state": ACTIVE, **expect},
    )
    if updated is not None:
        ctx.emit(Cancel(event_key(f)))
    return updated


def mark_done(ctx: Context, f: dict[str, Any], n: int) -> dict[str, Any] | None:
    """Done on reminder ``n``: log the contact; a recurring one starts again from now."""
    now = ctx.now()
    cadence = cadence_of(f)
    if cadence is None:
        updated = end(ctx, f, "done", {"open": n})
    else:
        updated = reschedule(
            ctx,
            f,
            add_cadence(now, cadence, ctx.zone(f["owner"])),
            {"open": n},
            open=None,
            done=f.get("done", 0) + 1,
        )
    if updated is not None and f.get("person"):
        log_contact(ctx.store, ctx.community, f["owner"], f["person"], now, "followup")
    return updated


def snooze(ctx: Context, f: dict[str, Any], n: int, until: datetime) -> dict[str, Any] | None:
    """Snooze on reminder ``n``: the next reminder comes at ``until`` instead."""
    return reschedule(ctx, f, until, {"open": n}, open=None)


def reminded(ctx: Context, f: dict[str, Any]) -> dict[str, Any] | None:
    """Note that reminder number ``nudges + 1`` went out; a recurring one sets its next."""
    n = f.get("nudges", 0) + 1
    changes = {"nudges": n, "open": n, "last_nudged": iso(ctx.now())}
    cadence = cadence_of(f)
    if cadence is None:
        return ctx.store.update(
            FOLLOWUPS, f["id"], changes, expect={"state": ACTIVE, "seq": f["seq"]}
        )
    return reschedule(ctx, f, add_cadence(ctx.now(), cadence, ctx.zone(f["owner"])), **changes)
