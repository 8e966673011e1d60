"""The nudge policy: reminders arrive when people can take them, and never as a flood.

Every outbox item marked ``nudge`` with one recipient (``item["user"]``) — a scheduled
event (``Later(..., nudge=True)``) or a delivery — passes here before it is run or
sent. Three rules, in the recipient's own zone and settings:

* **Nudges off** (``/rapport nudges off``): the item is held, not dropped. It is looked
  at again once a day; ``/rapport nudges on`` releases everything held, oldest first,
  into the two rules below. Each feature's due-handler still decides at that moment
  whether its nudge is relevant (it returns nothing when it isn't), so a reminder
  about something already settled never arrives late.
* **Quiet hours** (default 21:00–08:00 and weekends): the item waits for the next
  allowed moment.
* **Daily cap** (community setting ``daily_nudge_cap``, default 3; 0 means no cap):
  past the cap the item rolls to the next allowed day. An event whose handler turned
  out to have nothing to say to its person gives its place back.

Held items keep their order: each is put in line a microsecond after the ones already
waiting for the same moment. An item counted once (``released``) is not counted again
when it goes; one that may no longer go (a retry, or a crash kept it back until quiet
hours) waits and is counted on the day it goes instead; one re-offered after a crash in
the middle of sending goes at once (so the adapter sees ``maybe_sent``).

Other features can also build nudge DMs with the standard buttons: ``nudge_message``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.clock import iso, parse_iso
from bot.context import Context
from bot.features.followup import text as t
from bot.features.followup.dates import show
from bot.io import (
    Cancel,
    Community,
    DirectMessage,
    GroupMessage,
    Later,
    Output,
    Queued,
    Reply,
)
from bot.markup import Text, fmt
from bot.messages import Button, Message
from bot.settings import stored_quiet
from store import Store
from store.base import OUTBOX

if TYPE_CHECKING:
    from bot.core import Rapport

NUDGE_DAYS = "nudge_days"  # {key: community|user|day, items: [outbox ids counted that day]}
NUDGE_MSGS = "nudge_msgs"  # generic nudges sent with Done / Snooze / Stop
NUDGE_STOPS = "nudge_stops"  # {key: community|user|topic}: "stop reminding me about this"
RECHECK_OFF = timedelta(days=1)
SNOOZE = timedelta(days=7)
KEEP_DAYS = timedelta(days=2)  # zones span 26 hours: a local day can come back this far
_TICK = timedelta(microseconds=1)
_LINE = timedelta(seconds=1)  # items put in line for one moment take at most this much room
AGAIN = "nudge.again"


# -- when a nudge may arrive ---------------------------------------------------------


def in_quiet(moment: time, start: time, end: time) -> bool:
    """Quiet hours are [start, end); a range like 21:00-08:00 wraps past midnight, and an
    empty one (quiet hours off) is never quiet."""
    if start == end:
        return False
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end


def next_allowed(moment: datetime, zone: ZoneInfo, quiet: str, weekends: bool) -> datetime:
    """The first moment at or after ``moment`` outside quiet hours (and weekends, if quiet)."""
    try:
        start, end = stored_quiet(quiet)
    except ValueError:
        start, end = time(21, 0), time(8, 0)
    local = moment.astimezone(zone)
    for _ in range(20):
        if weekends and local.weekday() >= 5:
            local = datetime.combine(local.date() + timedelta(days=1), time(0), tzinfo=zone)
            continue
        now = local.time().replace(tzinfo=None)
        if in_quiet(now, start, end):
            day = local.date() if start < end or now < end else local.date() + timedelta(days=1)
            later = datetime.combine(day, end, tzinfo=zone)
            # A wall time that doesn't exist (a DST gap) still maps forward; never go back.
            local = later if later > local else local + timedelta(minutes=1)
            continue
        break
    return local.astimezone(UTC)


def moved_by_quiet(ctx: Context, user: str, due: datetime) -> tuple[datetime, str] | None:
    """When a nudge due at ``due`` really arrives, if ``user``'s quiet hours or quiet
    weekends move it: (that moment, why: ``quiet``, ``weekend`` or ``both``, a weeknight
    running into the weekend). None when it keeps ``due``.

    The same rule the policy holds nudges by (``next_allowed``), so what a reply promises
    is what happens (the daily cap, which depends on the day's other nudges, aside).
    """
    mine = ctx.settings(user)
    zone = ctx.zone(user)
    arrives = next_allowed(due, zone, mine.quiet, mine.quiet_weekends)
    if arrives <= due:
        return None
    try:
        start, end = stored_quiet(mine.quiet)
    except ValueError:
        start, end = time(21, 0), time(8, 0)
    local = due.astimezone(zone)
    quiet = in_quiet(local.time(), start, end)
    weekend = mine.quiet_weekends and (
        local.weekday() >= 5 or next_allowed(due, zone, mine.quiet, False) < arrives
    )
    if weekend and (not quiet or local.weekday() >= 5):
        return arrives, "weekend"
    return arrives, "both" if weekend else "quiet"


def moved_words(ctx: Context, user: str, why: str, *, short: bool = False) -> Text:
    """Why a reminder moves, in words: ``in your quiet hours (21:00-08:00)`` (or short)."""
    return fmt((t.MOVED_SHORT if short else t.MOVED_WHY)[why], quiet=ctx.settings(user).quiet)


def moved_note(ctx: Context, user: str, due: datetime) -> Text:
    """`` (quiet hours: I'll remind you Thu 3 Dec, 08:00)`` for a line of a list, or nothing."""
    moved = moved_by_quiet(ctx, user, due)
    if moved is None:
        return ()
    why = moved_words(ctx, user, moved[1], short=True)
    return fmt(t.LIST_MOVED, why=why, arrives=show(moved[0], ctx.zone(user), ctx.now()))


# -- the policy ------------------------------------------------------------------------


class NudgePolicy:
    """Installed on a core: holds nudge items (``hold``) and counts them per person per day."""

    def __init__(self, core: Rapport) -> None:
        self.core = core
        self.store = core.store
        self._granted: dict[str, Any] | None = None  # the event just let through, for refunds

    def __call__(self, core: Rapport, item: dict[str, Any], now: datetime) -> datetime | None:
        return self.hold(item, now)

    def hold(self, item: dict[str, Any], now: datetime) -> datetime | None:
        """When ``item`` may go (None: now). Called by the outbox for every claimed item."""
        self._granted = None
        user = item.get("user")
        if not item.get("nudge") or not user:
            return None
        if item.get("released"):
            return self._retry_hold(item, user, now)
        community = Community.from_key(item["community"])
        ctx = self.core.context(community, user)
        mine = ctx.settings(user)
        if not mine.nudges:
            self._mark(item, {"held_off": True})
            return now + RECHECK_OFF
        zone = ctx.zone(user)
        allowed = next_allowed(now, zone, mine.quiet, mine.quiet_weekends)
        if allowed > now:
            return self._in_line(item, allowed)
        cap = int(ctx.setting("daily_nudge_cap") or 0)
        day = now.astimezone(zone).date()
        if cap > 0 and self.used(community, user, day) >= cap:
            tomorrow = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
            return self._in_line(
                item, next_allowed(tomorrow, zone, mine.quiet, mine.quiet_weekends)
            )
        self._grant(item, community, user, day)
        return None

    def _retry_hold(self, item: dict[str, Any], user: str, now: datetime) -> datetime | None:
        """A nudge already counted comes back: a retry the platform asked for, or one a
        crash kept from going when it was let through.

        It goes now if it still may, without being counted again. If it may not (it is
        quiet hours by now), it waits like any nudge and is counted on the day it goes
        instead. One re-offered after a crash in the middle of sending (``was ==
        "sending"``) goes at once, so the adapter still sees ``maybe_sent``.
        """
        if item.get("was") == "sending":
            return None
        community = Community.from_key(item["community"])
        ctx = self.core.context(community, user)
        mine = ctx.settings(user)
        allowed = next_allowed(now, ctx.zone(user), mine.quiet, mine.quiet_weekends)
        if allowed <= now:
            return None
        with self.store.atomic():  # off the old day's count and unmarked, together
            self._uncount(community, user, item)
            self._mark(item, {"released": None})
        return self._in_line(item, allowed)

    # -- counting ------------------------------------------------------------------

    def used(self, community: Community, user: str, day: date) -> int:
        """How many nudges ``user`` has been given on their local ``day``."""
        return len(self._day(community, user, day).get("items", []))

    def _day(self, community: Community, user: str, day: date) -> dict[str, Any]:
        return self.store.find_one(NUDGE_DAYS, {"key": _day_key(community, user, day)}) or {}

    def _grant(self, item: dict[str, Any], community: Community, user: str, day: date) -> None:
        key = _day_key(community, user, day)
        with self.store.atomic():
            self._mark(item, {"released": day.isoformat(), "held_off": False})
            doc = self.store.find_one(NUDGE_DAYS, {"key": key})
            if doc is None:
                # A new day for this person: counts of days long gone are no longer
                # needed. Recent ones stay: a move to a zone further west makes it
                # yesterday again for a while, and back east today's count still holds.
                stale = (day - KEEP_DAYS).isoformat()
                for old in self.store.find(NUDGE_DAYS, {"who": f"{community.key}|{user}"}):
                    if str(old.get("day", "")) < stale:
                        self.store.delete(NUDGE_DAYS, old["id"])
                self.store.insert(
                    NUDGE_DAYS,
                    {
                        "key": key,
                        "who": f"{community.key}|{user}",
                        "day": day.isoformat(),
                        "items": [item["id"]],
                    },
                )
            else:
                self.store.update(NUDGE_DAYS, doc["id"], {"items": [*doc["items"], item["id"]]})
        if item.get("kind") == "event":
            self._granted = {"item": item["id"], "key": key, "user": user, "event": item["event"]}

    def _uncount(self, community: Community, user: str, item: dict[str, Any]) -> None:
        """Take ``item`` off the count of the day it was let through on."""
        try:
            day = date.fromisoformat(str(item.get("released")))
        except ValueError:
            return
        key = _day_key(community, user, day)
        self._refund({"key": key, "item": item["id"]})

    def _refund(self, granted: dict[str, Any]) -> None:
        doc = self.store.find_one(NUDGE_DAYS, {"key": granted["key"]})
        if doc is not None and granted["item"] in doc["items"]:
            items = [i for i in doc["items"] if i != granted["item"]]
            self.store.update(NUDGE_DAYS, doc["id"], {"items": items})

    # -- holding ---------------------------------------------------------------------

    def _mark(self, item: dict[str, Any], changes: dict[str, Any]) -> None:
        """Note on the claimed item why it waits (and when it first came due)."""
        changes = {**changes, "first_due": item.get("first_due") or item["due"]}
        if any(item.get(k) != v for k, v in changes.items()):  # no write when nothing changes
            self.store.update(OUTBOX, item["id"], changes, expect={"state": "claimed"})
            item.update(changes)  # the worker goes on with this copy (e.g. ``released``)

    def _in_line(self, item: dict[str, Any], moment: datetime) -> datetime:
        """``moment``, or just after the person's other nudges already waiting for it."""
        self._mark(item, {})
        start, end = iso(moment), iso(moment + _LINE)
        waiting = [
            d["due"]
            for d in self.store.find(OUTBOX, {"user": item["user"]})
            if d.get("state") == "pending"
            and d.get("nudge")
            and d.get("community") == item["community"]
            and start <= d["due"] < end
        ]
        return parse_iso(max(waiting)) + _TICK if waiting else moment

    # -- events that had nothing to say --------------------------------------------------

    def wrap_event(
        self, event: str, handler: Callable[[Context, dict[str, Any]], list[Output]]
    ) -> Callable[[Context, dict[str, Any]], list[Output]]:
        """Wrap a due-handler: a nudge event that says nothing to its person is not counted."""

        def run(ctx: Context, data: dict[str, Any]) -> list[Output]:
            granted, self._granted = self._granted, None
            if granted is None or granted["event"] != event or granted["user"] != ctx.user:
                return handler(ctx, data)
            before = self._queued_for(ctx)
            outputs = handler(ctx, data)
            if not _speaks_to(outputs, ctx.user) and self._queued_for(ctx) <= before:
                self._refund(granted)
            return outputs

        run.__wrapped__ = handler  # type: ignore[attr-defined]
        return run

    def _queued_for(self, ctx: Context) -> set[str]:
        return {
            d["id"]
            for d in self.store.find(OUTBOX, {"user": ctx.user})
            if d.get("kind") == "deliver" and d.get("community") == ctx.community.key
        }


def policy_of(core: Rapport) -> NudgePolicy:
    """The nudge policy of a core (the follow-up family brings it; see ``commands.py``)."""
    return next(p for p in core.hold_policies if isinstance(p, NudgePolicy))


def _day_key(community: Community, user: str, day: date) -> str:
    return f"{community.key}|{user}|{day.isoformat()}"


def _speaks_to(outputs: list[Output], user: str) -> bool:
    for out in outputs:
        if isinstance(out, Queued):  # a delivery on its own terms (a follow-up's DM)
            out = out.delivery
        if isinstance(out, DirectMessage) and out.user == user:
            return True
        if isinstance(out, GroupMessage) and user in out.users:
            return True
    return False


# -- nudges off and on -------------------------------------------------------------------


def set_nudges(ctx: Context, on: bool) -> int:
    """Switch a person's nudges; turning them on releases what waited, oldest first.

    Oldest first means by when each first came due, then in the order they were made
    (a follow-up's ``made`` number; otherwise the outbox's own order). Each is put back
    in line a microsecond after the one before it, so the outbox takes them (and the
    daily cap lets them through) in exactly that order. Returns how many held nudges
    were released (0 when turning off).
    """
    from bot import settings as user_settings

    user_settings.save(ctx.store, ctx.community, ctx.user, nudges=on)
    if not on:
        return 0
    last: datetime | None = None
    held = held_nudges(ctx, ctx.user)
    for item in sorted(held, key=_release_order):
        # Back to when it first came due: it queues by that, before anything newer.
        first = parse_iso(item.get("first_due") or item["due"])
        at = first if last is None or first > last else last + _TICK
        ctx.store.update(
            OUTBOX,
            item["id"],
            {"due": iso(at), "held_off": False},
            expect={"state": "pending"},
        )
        last = at
    return len(held)


def held_nudges(ctx: Context, user: str) -> list[dict[str, Any]]:
    """The nudges waiting for ``user`` to turn nudges back on."""
    return [
        item
        for item in ctx.store.find(OUTBOX, {"user": user})
        if item.get("community") == ctx.community.key
        and item.get("state") == "pending"
        and item.get("held_off")
    ]


def _release_order(item: dict[str, Any]) -> tuple[datetime, int, str, str]:
    data = item.get("data") or {}
    made = data.get("made") if isinstance(data, dict) else None
    return (
        parse_iso(item.get("first_due") or item["due"]),
        int(made) if isinstance(made, int) else 0,
        str(item.get("created") or ""),
        item["id"],
    )


# -- nudges from other features, with the standard buttons ---------------------------------
#
# What the three buttons mean on a nudge built by ``nudge_message``:
#
# * **Done** — "I did it": the nudge is closed and, when it names a ``person``, a contact
#   with them is logged (which resets "it's been a while" for that person).
# * **Snooze a week** — the same nudge again in seven days, as an outbox event with
#   ``nudge=True`` (so quiet hours, the daily cap and nudges off apply). With ``again``
#   the feature's own due-handler runs again and decides then whether it still matters;
#   without it the stored message is sent again as it was (``nudge.again``).
# * **Stop reminding me about this** — nothing more with that ``topic`` reaches that
#   person, including a snoozed copy already waiting.
#
# With the default ``actions="nudge"`` the buttons are answered by the generic handlers
# in ``commands.py``. A feature whose nudge needs other meanings (the intro
# reminder keeps its own answer buttons, and has no contact to log) passes its own
# ``actions`` prefix, registers ``<actions>.done|.snooze|.stop``, and builds them from
# ``own_nudge``, ``settle``, ``snooze_nudge`` and ``stop_nudge`` below.


STANDARD = ("done", "snooze", "stop")


def standard_buttons(
    action_prefix: str, value: str, which: tuple[str, ...] = STANDARD
) -> tuple[Button, ...]:
    """Done / Snooze a week / Stop reminding me about this, for ``<prefix>.done`` etc.

    ``which`` keeps only some of them (in this order), for a nudge whose own buttons
    already say what the others would.
    """
    every = {
        "done": Button(f"{action_prefix}.done", t.DONE, value, "primary"),
        "snooze": Button(f"{action_prefix}.snooze", t.SNOOZE, value),
        "stop": Button(f"{action_prefix}.stop", t.STOP, value, "danger"),
    }
    return tuple(every[w] for w in STANDARD if w in which)


def nudge_message(
    ctx: Context,
    user: str,
    text: Text,
    *,
    topic: str,
    person: str | None = None,
    buttons: tuple[Button, ...] = (),
    actions: str = "nudge",
    again: tuple[str, dict[str, Any]] | None = None,
    about: tuple[str, ...] = (),
    standard: tuple[str, ...] = STANDARD,
) -> list[Output]:
    """A nudge DM with the standard buttons (after ``buttons`` of the feature's own).

    ``topic`` names what it is about (``"intro:k3f9qz:thank"``): once the person presses
    **Stop reminding me about this**, nudges with that topic return ``[]``. **Done**
    logs a contact with ``person`` when given. ``again`` is ``(event, data)``: the
    due-handler a **Snooze** runs again a week later (``data`` gains ``snoozed``, the
    id of the snoozed nudge). ``actions`` prefixes the buttons' actions (see above).
    ``about`` names everyone else the nudge mentions (for privacy export and erasure).
    ``standard`` picks which of the three it carries (``("snooze",)``: the feature's own
    buttons already answer it, so Done and Stop would only repeat them).
    Call it from a due-handler (a ``Later`` with ``nudge=True``) and return the result.
    """
    if is_stopped(ctx, user, topic):
        return []
    doc = ctx.store.insert(
        NUDGE_MSGS,
        {
            "community": ctx.community.key,
            "user": user,
            "topic": topic,
            "person": person,
            "message": Message(text, buttons).to_data(),
            "actions": actions,
            "again": {"event": again[0], "data": again[1]} if again else None,
            **({"standard": list(standard)} if tuple(standard) != STANDARD else {}),
            "about": sorted({user, *([person] if person else []), *about}),
            "state": "open",
            "at": iso(ctx.now()),
        },
    )
    return [DirectMessage(user, generic_message(doc))]


def generic_message(doc: dict[str, Any]) -> Message:
    message = Message.from_data(doc["message"])
    actions = doc.get("actions") or "nudge"
    which = tuple(doc.get("standard") or STANDARD)
    return Message(message.text, message.buttons + standard_buttons(actions, doc["id"], which))


def feature_message(doc: dict[str, Any]) -> Message:
    """The nudge as the feature built it: its text and its own buttons, without the three."""
    return Message.from_data(doc["message"])


def again_data(doc: dict[str, Any]) -> dict[str, Any]:
    """The data the feature gave with ``again`` (its record ids), or ``{}``."""
    return dict((doc.get("again") or {}).get("data") or {})


KEEP_NUDGES = timedelta(days=90)  # a nudge's buttons stay live this long


def forget_old_nudges(store: Store, now: datetime) -> int:
    """Housekeeping: nudges sent over 90 days ago (a snoozed one stays until it is back)."""
    before = iso(now - KEEP_NUDGES)
    states = ["open", "done", "stopped"]
    return store.prune(NUDGE_MSGS, field="at", before=before, where={"state": states})


def is_stopped(ctx: Context, user: str, topic: str) -> bool:
    return (
        ctx.store.find_one(NUDGE_STOPS, {"key": _stop_key(ctx.community, user, topic)}) is not None
    )


def stop_topic(ctx: Context, user: str, topic: str) -> None:
    if not is_stopped(ctx, user, topic):
        ctx.store.insert(
            NUDGE_STOPS,
            {
                "key": _stop_key(ctx.community, user, topic),
                "community": ctx.community.key,
                "user": user,
                "topic": topic,
                "at": iso(ctx.now()),
            },
        )


def snooze_later(doc: dict[str, Any], at: datetime, round_: int) -> Later:
    """The event that brings a snoozed nudge back: the feature's own, else ``nudge.again``."""
    again = doc.get("again")
    if again:
        event, data = again["event"], {**(again.get("data") or {}), "snoozed": doc["id"]}
    else:
        event, data = AGAIN, {"id": doc["id"]}
    return Later(
        at,
        event,
        data,
        key=again_key(doc, round_),
        user=doc["user"],
        nudge=True,
        about=tuple(doc.get("about") or ([doc["person"]] if doc.get("person") else [])),
    )


def again_key(doc: dict[str, Any], round_: int) -> str:
    return f"nudge-again:{doc['id']}:{round_}"


# -- building a feature's own standard buttons -------------------------------------------


def own_nudge(ctx: Context, value: str) -> dict[str, Any] | list[Output]:
    """The nudge a standard button names, if the presser is its person; else the answer."""
    doc = ctx.store.get(NUDGE_MSGS, value)
    if doc is None or doc.get("community") != ctx.community.key:
        return [Reply(Message(fmt(t.ALREADY)))]
    if doc.get("user") != ctx.user:
        return [Reply(Message(fmt(t.NOT_YOURS)))]
    return doc


def settle(
    ctx: Context, doc: dict[str, Any], state: str, expect: tuple[str, ...] = ("open",)
) -> dict[str, Any] | None:
    """Move a nudge on once (compare-and-set); None if it was already answered."""
    return ctx.store.update(
        NUDGE_MSGS,
        doc["id"],
        {"state": state, f"{state}_at": iso(ctx.now())},
        expect={"state": list(expect)},
    )


def snooze_nudge(ctx: Context, doc: dict[str, Any], at: datetime) -> Later | None:
    """Snooze: the nudge comes back at ``at`` (see ``snooze_later``); None if answered."""
    round_ = int(doc.get("round", 1))
    changed = ctx.store.update(
        NUDGE_MSGS,
        doc["id"],
        {"state": "snoozed", "round": round_ + 1, "snoozed_at": iso(ctx.now())},
        expect={"state": "open"},
    )
    return None if changed is None else snooze_later(doc, at, round_)


def stop_nudge(ctx: Context, doc: dict[str, Any]) -> bool:
    """Stop: no more nudges of this topic for this person; False if already answered."""
    if settle(ctx, doc, "stopped", ("open", "snoozed")) is None:
        return False
    stop_topic(ctx, doc["user"], doc["topic"])
    round_ = int(doc.get("round", 1))
    if round_ > 1:
        ctx.emit(Cancel(again_key(doc, round_ - 1)))
    return True


def _stop_key(community: Community, user: str, topic: str) -> str:
    return f"{community.key}|{user}|{topic}"
