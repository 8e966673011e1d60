"""``/rapport stats``: how far a member has come, and (for admins) how the community does.

Numbers are read from the features' own records, the same way the weekly digest
reads them (``bot/digest.py``):

- an intro is *made* when it reached ``introduced`` or ``made_outside``;
- a chat is *held* only when someone answered its check-in with yes — the ``contacts``
  rows a check-in writes (source ``coffee`` or ``roulette``, one per person, the chat
  counted once). A booked chat nobody confirmed is not counted: the number is honest;
- a follow-up is *done* when its **Done** was pressed (``contacts`` rows with source
  ``followup``, or ``nudge`` for the other features' reminders).

The streak counts calendar weeks (Monday to Sunday, in the member's time zone) in a
row with at least one step toward someone: asking for or helping with an intro,
inviting someone for coffee, a chat held, a follow-up set or done. A week that has
only just begun doesn't break it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from bot.clock import read_moment
from bot.context import Context
from bot.features.coffee.records import CHATS
from bot.features.followup.contacts import CONTACTS
from bot.features.followup.records import FOLLOWUPS
from bot.features.intro import flow
from bot.features.rapport import text as t
from bot.features.tips import digest
from bot.markup import Text, fmt, join
from bot.plural import noun, plural

CHAT_SOURCES = ("coffee", "roulette")
FOLLOWUP_SOURCES = ("followup", "nudge")
HELPED = (flow.ASKED_TARGET, flow.MADE_OUTSIDE, flow.INTRODUCED)  # a "yes" on an intro
CHECKIN_AFTER = timedelta(minutes=60)
FUNNEL_WEEKS = 4
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class MyStats:
    asked: int = 0  # intros I asked for
    made: int = 0  # … of which were made
    asked_of_me: int = 0  # intros I was asked to make (as connector)
    made_for_others: int = 0  # … of which I made
    chats_held: int = 0
    followups_done: int = 0
    streak: int = 0  # weeks in a row


@dataclass(frozen=True)
class Funnel:
    """One window of the community funnel: requests → intros → chats → follow-ups."""

    start: datetime
    end: datetime
    requests: int = 0
    intros: int = 0
    chats: int = 0
    followups: int = 0


@dataclass(frozen=True)
class Checkins:
    due: int = 0  # chats whose check-in came due in the window
    answered: int = 0  # … that at least one person answered
    held: int = 0  # … that someone said happened


# -- one member ---------------------------------------------------------------------------


def _mine(ctx: Context, table: str, **where: Any) -> list[dict[str, Any]]:
    return [
        d
        for d in ctx.store.find(table, where)
        if isinstance(d, dict) and d.get("community") == ctx.community.key
    ]


def my_stats(ctx: Context, user: str | None = None) -> MyStats:
    user = user or ctx.user
    asked = _mine(ctx, flow.INTROS, requester=user)
    asked_of_me = _mine(ctx, flow.INTROS, connector=user)
    contacts = _mine(ctx, CONTACTS, user=user)
    held = {
        (str(c["source"]), str(c.get("ref") or c.get("chat") or c.get("at")))
        for c in contacts
        if c.get("source") in CHAT_SOURCES
    }
    return MyStats(
        asked=len(asked),
        made=sum(1 for d in asked if d.get("state") in flow.MADE),
        asked_of_me=len(asked_of_me),
        made_for_others=sum(1 for d in asked_of_me if d.get("state") in flow.MADE),
        chats_held=len(held),
        followups_done=sum(1 for c in contacts if c.get("source") in FOLLOWUP_SOURCES),
        streak=streak(ctx, user),
    )


def actions(ctx: Context, user: str) -> list[datetime]:
    """Every moment ``user`` took a step toward someone."""
    moments: list[Any] = []
    for intro in _mine(ctx, flow.INTROS, requester=user):
        moments.append(intro.get("created"))
    for intro in _mine(ctx, flow.INTROS, connector=user) + _mine(ctx, flow.INTROS, target=user):
        for entry in intro.get("history") or ():
            if isinstance(entry, dict) and entry.get("by") == user and entry.get("state") in HELPED:
                moments.append(entry.get("at"))
    moments += [c.get("created") for c in _mine(ctx, CHATS, requester=user)]
    moments += [c.get("at") for c in _mine(ctx, CONTACTS, user=user)]
    moments += [f.get("created") for f in _mine(ctx, FOLLOWUPS, owner=user)]
    found = (read_moment(m) for m in moments)
    return sorted(m for m in found if m is not None)


def week_of(moment: datetime, zone: Any) -> date:
    """The Monday of the week ``moment`` falls in, in ``zone``."""
    day = moment.astimezone(zone).date()
    return day - timedelta(days=day.weekday())


def streak(ctx: Context, user: str) -> int:
    """Weeks in a row, up to this one, with at least one step toward someone."""
    zone = ctx.zone(user)
    weeks = {week_of(m, zone) for m in actions(ctx, user) if m <= ctx.now()}
    week = week_of(ctx.now(), zone)
    if week not in weeks:
        week -= timedelta(days=7)  # this week has only begun: last week still counts
    n = 0
    while week in weeks:
        n += 1
        week -= timedelta(days=7)
    return n


# -- the community ------------------------------------------------------------------------------


def _records(ctx: Context, table: str) -> list[dict[str, Any]]:
    """The community's records of a table (none if nobody has written to it yet)."""
    return [
        d for d in ctx.store.find(table, {"community": ctx.community.key}) if isinstance(d, dict)
    ]


def _within(moment: datetime | None, start: datetime, end: datetime) -> bool:
    return moment is not None and start < moment <= end


def funnel(ctx: Context, start: datetime, end: datetime) -> Funnel:
    """The community's funnel for the moments in (start, end]."""
    store, community = ctx.store, ctx.community
    intros = _records(ctx, flow.INTROS)
    contacts = _records(ctx, CONTACTS)
    return Funnel(
        start,
        end,
        requests=sum(1 for d in intros if _within(read_moment(d.get("created")), start, end)),
        intros=sum(
            1
            for d in intros
            if d.get("state") in flow.MADE and _within(digest.intro_made_at(d), start, end)
        ),
        chats=digest.chats_held(store, community, start, end),
        followups=sum(
            1
            for c in contacts
            if c.get("source") in FOLLOWUP_SOURCES and _within(read_moment(c.get("at")), start, end)
        ),
    )


def weekly_funnel(ctx: Context, weeks: int = FUNNEL_WEEKS) -> list[Funnel]:
    """The last ``weeks`` calendar weeks (this one so far included), oldest first."""
    zone = ctx.zone()
    now = ctx.now()
    monday = week_of(now, zone)
    out = []
    for back in range(weeks - 1, -1, -1):
        first = monday - timedelta(days=7 * back)
        start = datetime.combine(first, time(0), tzinfo=zone)
        end = min(start + timedelta(days=7), now)
        out.append(funnel(ctx, start - timedelta(microseconds=1), end))
    return out


def checkins(ctx: Context, start: datetime, end: datetime) -> Checkins:
    """Coffee chats whose check-in came due in (start, end], and how they were answered."""
    due = answered = held = 0
    for chat in _records(ctx, CHATS):
        if chat.get("state") not in ("accepted", "done", "rescheduled", "missed"):
            continue
        moment = read_moment(chat.get("start"))
        if moment is None or not _within(moment + CHECKIN_AFTER, start, end):
            continue
        due += 1
        if chat.get("said_requester") is not None or chat.get("said_invitee") is not None:
            answered += 1
        if chat.get("state") == "done":
            held += 1
    return Checkins(due, answered, held)


def totals(ctx: Context) -> dict[str, int]:
    all_time = funnel(ctx, EPOCH, ctx.now())
    wins = _records(ctx, digest.WINS)
    return {
        "requests": all_time.requests,
        "intros": all_time.intros,
        "chats": all_time.chats,
        "followups": all_time.followups,
        "wins": len(wins),
    }


# -- words ----------------------------------------------------------------------------------


def render(ctx: Context) -> Text:
    """What ``/rapport stats`` says: mine, then the community's for admins."""
    mine = my_stats(ctx)
    lines: list[Text] = [
        fmt(t.STATS_TITLE),
        fmt(t.STATS_INTROS, asked=mine.asked, made=mine.made),
        fmt(t.STATS_CONNECTOR, made=mine.made_for_others, asked=mine.asked_of_me)
        if mine.asked_of_me
        else fmt(t.STATS_CONNECTOR_NONE),
        join(fmt(t.STATS_CHATS, held=mine.chats_held), fmt(t.STATS_CHATS_NOTE), sep=" "),
        fmt(t.STATS_FOLLOWUPS, done=mine.followups_done),
        fmt(t.STATS_STREAK_ON, weeks=plural(mine.streak, "week"))
        if mine.streak
        else fmt(t.STATS_STREAK_OFF),
    ]
    if ctx.is_admin:
        lines += ["", *_community(ctx)]
    return join(*lines)


def _community(ctx: Context) -> Iterable[Text]:
    yield fmt(t.STATS_ADMIN_TITLE)
    counts = totals(ctx)
    yield fmt(
        t.STATS_ADMIN_TOTALS,
        requests=plural(counts["requests"], "intro request"),
        intros=plural(counts["intros"], "intro"),
        chats=plural(counts["chats"], "chat"),
        followups=plural(counts["followups"], "follow-up"),
        wins=plural(counts["wins"], "win"),
    )
    weeks = weekly_funnel(ctx)
    yield fmt(t.STATS_FUNNEL_TITLE)
    yield fmt(
        t.STATS_FUNNEL_TOTAL,
        requests=sum(w.requests for w in weeks),
        intros=sum(w.intros for w in weeks),
        chats=sum(w.chats for w in weeks),
        followups=sum(w.followups for w in weeks),
    )
    zone = ctx.zone()
    for w in weeks:
        first = (w.start + timedelta(microseconds=1)).astimezone(zone)
        yield fmt(
            "  " + t.STATS_FUNNEL_WEEK,
            week=f"{first:%a} {first.day} {first:%b}",
            requests=w.requests,
            intros=w.intros,
            chats=w.chats,
            followups=w.followups,
        )
    c = checkins(ctx, weeks[0].start, ctx.now())
    if c.due:
        yield fmt(
            t.STATS_CHECKINS,
            due=plural(c.due, "chat"),
            answered=c.answered,
            was=noun(c.answered, "was", "were"),
            held=c.held,
        )
    else:
        yield fmt(t.STATS_CHECKINS_NONE)
