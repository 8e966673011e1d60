"""``/rapport stats``: how far a member has come, and (for admins) how the community does.

Every family counts its own (``Numbers`` in ``bot/registry.py``: intros asked and made,
chats held, follow-ups done, wins); this module adds them up and says them.

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

from bot import numbers
from bot.context import Context
from bot.features.rapport import text as t
from bot.markup import Text, fmt, join
from bot.plural import noun, plural

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
    paths_found: int = 0  # paths /intro find showed me
    path_asks: int = 0  # intros I asked for from one of them
    path_intros: int = 0  # … that were made


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


def my_stats(ctx: Context, user: str | None = None) -> MyStats:
    user = user or ctx.user
    mine = numbers.member(ctx, user)
    return MyStats(
        asked=mine["asked"],
        made=mine["made"],
        asked_of_me=mine["asked_of_me"],
        made_for_others=mine["made_for_others"],
        chats_held=mine["chats_held"],
        followups_done=mine["followups_done"],
        streak=streak(ctx, user),
        paths_found=mine["paths_found"],
        path_asks=mine["path_asks"],
        path_intros=mine["path_intros"],
    )


def week_of(moment: datetime, zone: Any) -> date:
    """The Monday of the week ``moment`` falls in, in ``zone``."""
    day = moment.astimezone(zone).date()
    return day - timedelta(days=day.weekday())


def streak(ctx: Context, user: str) -> int:
    """Weeks in a row, up to this one, with at least one step toward someone."""
    zone = ctx.zone(user)
    weeks = {week_of(m, zone) for m in numbers.steps(ctx, user) if m <= ctx.now()}
    week = week_of(ctx.now(), zone)
    if week not in weeks:
        week -= timedelta(days=7)  # this week has only begun: last week still counts
    n = 0
    while week in weeks:
        n += 1
        week -= timedelta(days=7)
    return n


# -- the community ------------------------------------------------------------------------------


def funnel(ctx: Context, start: datetime, end: datetime) -> Funnel:
    """The community's funnel for the moments in (start, end]."""
    found = numbers.window(ctx, start, end)
    return Funnel(
        start, end, found["requests"], found["intros"], found["chats"], found["followups"]
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
    found = numbers.window(ctx, start, end)
    return Checkins(found["checkins_due"], found["checkins_answered"], found["checkins_held"])


def totals(ctx: Context) -> dict[str, int]:
    found = numbers.window(ctx, EPOCH, ctx.now())
    keys = ("requests", "intros", "chats", "followups", "wins", "paths_found", "path_asks")
    return {key: found[key] for key in (*keys, "path_intros", "openings", "openings_told")}


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
    if mine.paths_found:
        lines.append(
            fmt(
                t.STATS_PATHS,
                found=plural(mine.paths_found, "path"),
                asked=mine.path_asks,
                made=mine.path_intros,
            )
        )
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
    yield fmt(
        t.STATS_ADMIN_NETWORK,
        found=plural(counts["paths_found"], "path"),
        asked=plural(counts["path_asks"], "intro"),
        made=counts["path_intros"],
        openings=plural(counts["openings"], "opening"),
        told=plural(counts["openings_told"], "member"),
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
