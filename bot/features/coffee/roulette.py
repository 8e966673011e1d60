"""Coffee roulette: regular random groups in a channel, for the people who opted in.

Records::

    roulettes         {id, key, community, channel, every_days, size, goals, state: on|off,
                       round_no, next_at, next_key, enabled_by}
    roulette_members  {id, key, community, roulette, channel, user,
                       state: active|paused|left, until, ignored, joined}
    roulette_avoid    {key, community, user, other, at}       (private to ``user``)
    roulette_rounds   {id, community, roulette, channel, no, start, mid, end,
                       state: open|closed, groups, met}
    roulette_groups   {id, community, roulette, round, no, index, users, icebreaker, why,
                       met: None|True, responded: [user…]}

A round is a few ``Later`` events: ``coffee.roulette_round`` plans the groups, queues
every group's introduction at once (in match order) and schedules the rest — the
mid-round check-in, the close that posts "8 of 12 groups met" and counts who went quiet,
and the next round. Pacing is not the feature's business: the outbox delivers at each
platform's own pace (Slack opens about 50 group DMs a minute). Each handler looks at the
records when it runs, so a disabled roulette or a changed schedule simply makes the old
events do nothing.
"""

from __future__ import annotations

import random
import re
import zlib
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot import settings as user_settings
from bot import when
from bot.clock import iso, parse_iso
from bot.context import Context
from bot.errors import UserError
from bot.features.coffee import matching
from bot.features.coffee import text as t
from bot.features.coffee.records import (
    ROULETTE_AVOID,
    ROULETTE_GROUPS,
    ROULETTE_MEMBERS,
    ROULETTE_ROUNDS,
    ROULETTES,
    record_contact,
)
from bot.features.coffee.when import clock_in, describe, fmt_day, localize, read_when
from bot.features.network.goals import GoalMatch, goal_matches
from bot.features.network.profiles import by_user
from bot.features.questions import bank as questions
from bot.io import (
    Cancel,
    ChannelArg,
    ChannelPost,
    DirectMessage,
    GroupMessage,
    Later,
    MessageUpdate,
    Output,
    Reply,
    UserArg,
)
from bot.markup import ChannelLink, Mention, Moment, Text, fmt, join
from bot.messages import Button, Message
from bot.plural import plural
from store.base import new_id

GHOST_ROUNDS = 3  # rounds ignored in a row before we pause someone, kindly
KEEP_ROUNDS = 12  # older rounds' groups are deleted to keep the tables small
DEFAULT_EVERY = 14
SIZES = range(2, 7)
EXAMPLE_ENABLE = "/coffee roulette enable #coffee every 2 weeks size 2"


def _reply(body: Text) -> list[Output]:
    return [Reply(Message(body))]


def round_days(text: str) -> int:
    """``every 2 weeks`` → 14 days, read by rapport's one time reader; a month is 4 weeks,
    so rounds keep their weekday."""
    try:
        cadence = when.read_cadence(" ".join(text.split()), example=EXAMPLE_ENABLE)
    except UserError:
        raise UserError(fmt(t.RR_EVERY_BAD, text=text), EXAMPLE_ENABLE) from None
    per = {"day": 1, "week": 7, "month": 28, "year": 364}[cadence.unit]
    days = cadence.every * per
    if cadence.weekdays and cadence.unit == "week" and len(cadence.weekdays) > 1:
        raise UserError(fmt(t.RR_EVERY_BAD, text=text), EXAMPLE_ENABLE)
    if not 1 <= days <= 84:
        raise UserError(fmt(t.RR_EVERY_RANGE), EXAMPLE_ENABLE)
    return days


def describe_every(days: int) -> str:
    if days % 7 == 0:
        n = days // 7
        return t.RR_EVERY_WEEKS.format(n=n) if n > 1 else t.RR_EVERY_WEEK
    return t.RR_EVERY_DAYS.format(n=days) if days > 1 else t.RR_EVERY_DAY


# -- finding things ---------------------------------------------------------------------


def _by_channel(ctx: Context, channel: str) -> dict[str, Any] | None:
    return ctx.store.find_one(ROULETTES, {"key": f"{ctx.community.key}|{channel}"})


def _resolve(ctx: Context, channel: ChannelArg | None, example: str) -> dict[str, Any]:
    """The roulette meant: the channel named, else the one here, else the only one running."""
    if channel is not None:
        found = _by_channel(ctx, channel.id)
        if found is None or found["state"] != "on":
            raise UserError(fmt(t.RR_NOT_HERE, channel=ChannelLink(channel.id)), example)
        return found
    if ctx.channel:
        here = _by_channel(ctx, ctx.channel)
        if here is not None and here["state"] == "on":
            return here
    running = ctx.store.find(ROULETTES, {"community": ctx.community.key, "state": "on"})
    if len(running) == 1:
        return running[0]
    if not running:
        raise UserError(fmt(t.RR_NONE_RUNNING))
    names = join(*(ChannelLink(r["channel"]) for r in running), sep=", ")
    raise UserError(fmt(t.RR_WHICH, channels=names), example)


def _membership(ctx: Context, roulette: dict[str, Any], user: str) -> dict[str, Any] | None:
    return ctx.store.find_one(
        ROULETTE_MEMBERS, {"key": f"{ctx.community.key}|{roulette['channel']}|{user}"}
    )


def _next_round_at(ctx: Context, roulette: dict[str, Any], user: str) -> str:
    if not roulette.get("next_at"):
        return t.RR_NEXT_UNKNOWN
    return describe(parse_iso(roulette["next_at"]), ctx.zone(user), now=ctx.now())


# -- admin ------------------------------------------------------------------------------


def enable(
    ctx: Context,
    channel: ChannelArg,
    every: str | None,
    size: int | None,
    starting: str | None,
    *,
    goals: bool | None = None,
) -> list[Output]:
    ctx.require_admin()
    days = round_days(every) if every else DEFAULT_EVERY
    if size is not None and size not in SIZES:
        raise UserError(fmt(t.RR_SIZE_BAD), EXAMPLE_ENABLE)
    now = ctx.now()
    if starting:
        first = read_when(starting, ctx.zone(), now, example=EXAMPLE_ENABLE).at
    else:
        tomorrow = (now.astimezone(ctx.zone()) + timedelta(days=1)).date()
        first = localize(datetime.combine(tomorrow, time(10, 0)), ctx.zone())
    existing = _by_channel(ctx, channel.id)
    fields = {
        "every_days": days,
        "size": size or (existing or {}).get("size", 2),
        "goals": bool((existing or {}).get("goals")) if goals is None else goals,
        "state": "on",
        "enabled_by": ctx.user,
        "updated": iso(now),
    }
    out: list[Output] = []
    if existing is None:
        roulette = ctx.store.insert(
            ROULETTES,
            {
                "key": f"{ctx.community.key}|{channel.id}",
                "community": ctx.community.key,
                "channel": channel.id,
                "round_no": 0,
                "next_at": None,
                "next_key": None,
                **fields,
            },
        )
        out.append(ChannelPost(channel.id, _announce(ctx, roulette, days, fields["size"])))
    else:
        was_on = existing["state"] == "on"
        roulette = ctx.store.update(ROULETTES, existing["id"], fields)
        assert roulette is not None
        if was_on and not starting and roulette.get("next_at"):
            return [*out, *_enabled_reply(ctx, roulette, updated=True)]
        if not was_on:
            out.append(ChannelPost(channel.id, _announce(ctx, roulette, days, fields["size"])))
    roulette, later = _schedule_next(ctx, roulette, first)
    return [*_enabled_reply(ctx, roulette, updated=existing is not None), *out, later]


def _announce(ctx: Context, roulette: dict[str, Any], days: int, size: int) -> Message:
    return Message(
        fmt(
            t.RR_ANNOUNCE,
            every=describe_every(days),
            size=size,
            channel=ChannelLink(roulette["channel"]),
        )
    )


def _enabled_reply(ctx: Context, roulette: dict[str, Any], *, updated: bool) -> list[Output]:
    said = fmt(
        t.RR_UPDATED if updated else t.RR_ENABLED,
        channel=ChannelLink(roulette["channel"]),
        every=describe_every(roulette["every_days"]),
        size=roulette["size"],
        next=_next_round_at(ctx, roulette, ctx.user),
    )
    return _reply(join(said, fmt(t.RR_BY_GOALS)) if roulette.get("goals") else said)


def _schedule_next(
    ctx: Context, roulette: dict[str, Any], at: datetime, *, then: datetime | None = None
) -> tuple[dict[str, Any], Later]:
    """Point the roulette's next round at ``at``, replacing any round already scheduled.

    The key gets a fresh suffix: a cancelled item keeps its key, and scheduling the
    same round again must not collide with it. Running a round twice is prevented by
    the compare-and-set on ``round_no`` instead.
    """
    if roulette.get("next_key"):
        ctx.emit(Cancel(roulette["next_key"]))
    no = int(roulette["round_no"]) + 1
    key = f"roulette-round:{roulette['id']}:{no}:{new_id(4)}"
    data = {"roulette": roulette["id"], "no": no, "at": iso(at)}
    if then is not None:  # an extra round: the one after keeps the planned time
        data["then"] = iso(then)
    later = Later(at, "coffee.roulette_round", data, key, nudge=False)
    changed = ctx.store.update(ROULETTES, roulette["id"], {"next_at": iso(at), "next_key": key})
    assert changed is not None
    return changed, later


def disable(ctx: Context, channel: ChannelArg | None) -> list[Output]:
    ctx.require_admin()
    roulette = _resolve(ctx, channel, "/coffee roulette disable #coffee")
    ctx.store.update(ROULETTES, roulette["id"], {"state": "off", "next_at": None, "next_key": None})
    stop = [Cancel(roulette["next_key"])] if roulette.get("next_key") else []
    return [*stop, *_reply(fmt(t.RR_DISABLED, channel=ChannelLink(roulette["channel"])))]


def run_now(ctx: Context, channel: ChannelArg | None) -> list[Output]:
    """Start the next round at once (the one after follows the usual cadence)."""
    ctx.require_admin()
    roulette = _resolve(ctx, channel, "/coffee roulette now #coffee")
    now = ctx.now()
    planned = parse_iso(roulette["next_at"]) if roulette.get("next_at") else None
    then = _after_extra(now, planned, timedelta(days=int(roulette["every_days"])))
    _, later = _schedule_next(ctx, roulette, now, then=then)
    said = fmt(
        t.RR_NOW,
        channel=ChannelLink(roulette["channel"]),
        next=describe(then, ctx.zone(), now=now),
    )
    return [*_reply(said), later]


def _after_extra(now: datetime, planned: datetime | None, every: timedelta) -> datetime:
    """When the round after an extra one starts: the planned round's time, unless that
    leaves the extra round less than half the usual time (then the one after it)."""
    if planned is None or planned <= now:
        return now + every
    while planned - now < every / 2:
        planned += every
    return planned


# -- members ----------------------------------------------------------------------------


def join_(ctx: Context, channel: ChannelArg | None) -> list[Output]:
    roulette = _resolve(ctx, channel, "/coffee roulette join #coffee")
    mine = _membership(ctx, roulette, ctx.user)
    fields = {"state": "active", "until": None, "ignored": 0, "joined": iso(ctx.now())}
    if mine is None:
        ctx.store.insert(
            ROULETTE_MEMBERS,
            {
                "key": f"{ctx.community.key}|{roulette['channel']}|{ctx.user}",
                "community": ctx.community.key,
                "roulette": roulette["id"],
                "channel": roulette["channel"],
                "user": ctx.user,
                **fields,
            },
        )
        template = t.RR_JOINED
    elif mine["state"] == "active":
        template = t.RR_ALREADY_IN
    else:
        ctx.store.update(ROULETTE_MEMBERS, mine["id"], fields)
        template = t.RR_REJOINED
    return _reply(
        fmt(
            template,
            channel=ChannelLink(roulette["channel"]),
            next=_next_round_at(ctx, roulette, ctx.user),
        )
    )


def leave(ctx: Context, channel: ChannelArg | None) -> list[Output]:
    roulette = _resolve(ctx, channel, "/coffee roulette leave #coffee")
    mine = _membership(ctx, roulette, ctx.user)
    if mine is None or mine["state"] == "left":
        return _reply(fmt(t.RR_NOT_IN, channel=ChannelLink(roulette["channel"])))
    ctx.store.update(ROULETTE_MEMBERS, mine["id"], {"state": "left", "until": None})
    return _reply(fmt(t.RR_LEFT, channel=ChannelLink(roulette["channel"])))


def pause(ctx: Context, channel: ChannelArg | None, until: str) -> list[Output]:
    example = "/coffee roulette pause until jan 10"
    roulette = _resolve(ctx, channel, example)
    mine = _membership(ctx, roulette, ctx.user)
    if mine is None or mine["state"] == "left":
        return _reply(fmt(t.RR_NOT_IN, channel=ChannelLink(roulette["channel"])))
    until = re.sub(r"^until\s+", "", until.strip(), flags=re.I)
    moment = (
        read_when(until, ctx.zone(), ctx.now(), need_time=False, example=example).at
        if until
        else None
    )
    ctx.store.update(
        ROULETTE_MEMBERS,
        mine["id"],
        {"state": "paused", "until": iso(moment) if moment else None, "ignored": 0},
    )
    if moment is None:
        return _reply(fmt(t.RR_PAUSED, channel=ChannelLink(roulette["channel"])))
    return _reply(
        fmt(
            t.RR_PAUSED_UNTIL,
            channel=ChannelLink(roulette["channel"]),
            until=fmt_day(moment.astimezone(ctx.zone())),
        )
    )


def avoid(ctx: Context, who: UserArg) -> list[Output]:
    """Private: never matched with ``who``, in any roulette. They are never told."""
    if who.id == ctx.user:
        raise UserError(fmt(t.RR_AVOID_SELF), "/coffee roulette avoid @someone")
    key = f"{ctx.community.key}|{ctx.user}|{who.id}"
    if ctx.store.find_one(ROULETTE_AVOID, {"key": key}) is None:
        ctx.store.insert(
            ROULETTE_AVOID,
            {
                "key": key,
                "community": ctx.community.key,
                "user": ctx.user,
                "other": who.id,
                "at": iso(ctx.now()),
            },
        )
    return _reply(fmt(t.RR_AVOIDED, who=Mention(who.id)))


def unavoid(ctx: Context, who: UserArg) -> list[Output]:
    found = ctx.store.find_one(ROULETTE_AVOID, {"key": f"{ctx.community.key}|{ctx.user}|{who.id}"})
    if found is not None:
        ctx.store.delete(ROULETTE_AVOID, found["id"])
    return _reply(fmt(t.RR_UNAVOIDED, who=Mention(who.id)))


def status(ctx: Context) -> list[Output]:
    running = ctx.store.find(ROULETTES, {"community": ctx.community.key, "state": "on"})
    lines: list[Text] = [fmt(t.RR_STATUS_HEAD)]
    if not running:
        lines.append(fmt(t.RR_STATUS_NONE))
    for roulette in sorted(running, key=lambda r: r["channel"]):
        mine = _membership(ctx, roulette, ctx.user)
        if mine is None or mine["state"] == "left":
            me = fmt(t.RR_STATUS_OUT, channel=ChannelLink(roulette["channel"]))
        elif mine["state"] == "paused":
            me = (
                fmt(
                    t.RR_STATUS_PAUSED_UNTIL,
                    until=fmt_day(parse_iso(mine["until"]).astimezone(ctx.zone())),
                )
                if mine.get("until")
                else fmt(t.RR_STATUS_PAUSED)
            )
        else:
            me = fmt(t.RR_STATUS_IN)
        lines.append(
            fmt(
                t.RR_STATUS_LINE,
                channel=ChannelLink(roulette["channel"]),
                every=describe_every(roulette["every_days"]),
                size=roulette["size"],
                next=_next_round_at(ctx, roulette, ctx.user),
                me=me,
            )
        )
        if roulette.get("goals"):
            lines.append(fmt(t.RR_BY_GOALS))
    avoided = ctx.store.count(ROULETTE_AVOID, {"community": ctx.community.key, "user": ctx.user})
    if avoided:
        who = t.RR_ONE_PERSON if avoided == 1 else t.RR_PEOPLE.format(n=avoided)
        lines.append(fmt(t.RR_STATUS_AVOID, n=who))
    lines.append(fmt(t.RR_STATUS_HELP))
    if ctx.is_admin:
        lines.append(fmt(t.RR_STATUS_ADMIN))
    return _reply(join(*lines))


# -- a round ----------------------------------------------------------------------------


def _goal_matches(ctx: Context, users: list[str]) -> dict[str, list[GoalMatch]]:
    """Who each open-to-work member would most like to meet, from the profiles of this
    round's members that others may see (findable): a profile kept private is never
    told to a match, so it has no goals here and is nobody's goal."""
    profiles = by_user(ctx, users)
    return goal_matches({u: profiles[u] for u in users if u in profiles and profiles[u].findable})


def _zones(ctx: Context, users: list[str]) -> dict[str, ZoneInfo]:
    """Everyone's zone with one read of the settings table (not one per person)."""
    chosen = {
        doc["user"]: doc["tz"]
        for doc in ctx.store.find(user_settings.SETTINGS, {"community": ctx.community.key})
        if doc.get("tz")
    }
    default = str(ctx.setting("default_tz"))
    out: dict[str, ZoneInfo] = {}
    for user in users:
        name = chosen.get(user)
        if not name:
            member = ctx.member(user)
            name = member.tz if member and member.tz else default
        try:
            out[user] = ZoneInfo(name)
        except (ValueError, KeyError):
            out[user] = ZoneInfo("UTC")
    return out


def _recent_pairs(ctx: Context, roulette: dict[str, Any], no: int) -> dict[tuple[str, str], int]:
    """Who met whom in every round still kept, with the last round they met in: the
    planner prefers new faces, then those who met longest ago."""
    nos = list(range(max(1, no - KEEP_ROUNDS), no))
    if not nos:
        return {}
    groups = ctx.store.find(ROULETTE_GROUPS, {"roulette": roulette["id"], "no": nos})
    last: dict[tuple[str, str], int] = {}
    for g in sorted(groups, key=lambda g: g["no"]):
        last.update(dict.fromkeys(matching.pairs_of(g["users"]), int(g["no"])))
    return last


def _avoid_pairs(ctx: Context, users: set[str]) -> set[tuple[str, str]]:
    return {
        matching.pair(a["user"], a["other"])
        for a in ctx.store.find(ROULETTE_AVOID, {"community": ctx.community.key})
        if a["user"] in users and a["other"] in users
    }


def start_round(ctx: Context, data: dict[str, Any]) -> list[Output]:
    """Plan round ``no``: groups and their introductions, then the check-in and the close."""
    roulette = ctx.store.get(ROULETTES, str(data.get("roulette")))
    no = int(data.get("no", 0))
    if roulette is None or roulette["state"] != "on" or roulette["round_no"] != no - 1:
        return []
    now = ctx.now()
    out: list[Output] = []
    for open_round in ctx.store.find(
        ROULETTE_ROUNDS, {"roulette": roulette["id"], "state": "open"}
    ):
        out.extend(close_round(ctx, {"round": open_round["id"]}))
    every = timedelta(days=int(roulette["every_days"]))
    members = _active_members(ctx, roulette, now)
    users = [m["user"] for m in members]
    zones = _zones(ctx, users)
    people = [
        matching.Person(u, (zones[u].utcoffset(now) or timedelta()).total_seconds() / 3600)
        for u in users
    ]
    seed = zlib.crc32(f"{roulette['id']}:{no}".encode())
    wanted = _goal_matches(ctx, users) if roulette.get("goals") else {}
    plan = matching.plan_round(
        people,
        size=int(roulette["size"]),
        recent=_recent_pairs(ctx, roulette, no),
        avoid=_avoid_pairs(ctx, set(users)),
        seed=seed,
        prefer={u: [m.helper for m in ms] for u, ms in wanted.items()},
    )
    why: dict[str, list[list[str]]] = {}
    for seeker, helper in plan.goals:
        what = next(m.what for m in wanted[seeker] if m.helper == helper)
        why.setdefault(seeker, []).append([seeker, helper, what])
    # The rhythm follows the plan, not the moment the worker got round to it.
    planned = parse_iso(data["at"]) if data.get("at") else now
    end = planned + every if planned + every > now else now + every
    if data.get("then") and parse_iso(data["then"]) > now:  # an extra round (``now``)
        end = parse_iso(data["then"])
    mid = now + (end - now) / 2
    # The wrap-up comes a little before the next round; members are asked to meet by then.
    close_at = end - min(timedelta(hours=1), (end - now) / 4)
    rnd = ctx.store.insert(
        ROULETTE_ROUNDS,
        {
            "community": ctx.community.key,
            "roulette": roulette["id"],
            "channel": roulette["channel"],
            "no": no,
            "start": iso(now),
            "mid": iso(mid),
            "end": iso(end),
            "close": iso(close_at),
            "state": "open",
            "groups": len(plan.groups),
            "met": 0,
        },
    )
    icebreakers = questions.bank().icebreakers
    rng = random.Random(seed)
    for i, users_in in enumerate(plan.groups):
        ctx.store.insert(
            ROULETTE_GROUPS,
            {
                "community": ctx.community.key,
                "roulette": roulette["id"],
                "round": rnd["id"],
                "no": no,
                "index": i,
                "users": list(users_in),
                "icebreaker": rng.choice(icebreakers),
                "why": [w for u in users_in for w in why.get(u, [])],
                "met": None,
                "responded": [],
            },
        )
    _forget_old_rounds(ctx, roulette, no)
    channel = roulette["channel"]
    if not plan.groups:
        out.append(ChannelPost(channel, Message(fmt(t.RR_TOO_FEW, channel=ChannelLink(channel)))))
    else:
        out.append(
            ChannelPost(
                channel,
                Message(
                    fmt(
                        t.RR_ROUND_POST,
                        no=no,
                        people=plural(sum(len(g) for g in plan.groups), "person"),
                        groups=plural(len(plan.groups), "group"),
                        channel=ChannelLink(channel),
                    )
                ),
            )
        )
        rid = rnd["id"]
        out.extend(_group_intro(ctx, rnd, g, close_at) for g in _groups_from(ctx, rid, 0))
        out.append(
            Later(
                mid,
                "coffee.roulette_checkin",
                {"round": rid},
                f"roulette-checkin:{rid}",
                nudge=False,
            )
        )
        out.append(
            Later(
                close_at,
                "coffee.roulette_close",
                {"round": rid},
                f"roulette-close:{rid}",
                nudge=False,
            )
        )
    for user in plan.unmatched:
        out.append(DirectMessage(user, Message(fmt(t.RR_NO_MATCH, channel=ChannelLink(channel)))))
    changed = ctx.store.update(
        ROULETTES, roulette["id"], {"round_no": no, "next_key": None}, expect={"round_no": no - 1}
    )
    assert changed is not None
    _, later = _schedule_next(ctx, changed, end)
    return [*out, later]


def _active_members(ctx: Context, roulette: dict[str, Any], now: datetime) -> list[dict[str, Any]]:
    """Opted-in members for this round; pauses that have run out end here."""
    out = []
    stamp = iso(now)
    for m in ctx.store.find(
        ROULETTE_MEMBERS, {"roulette": roulette["id"], "state": ["active", "paused"]}
    ):
        if m["state"] == "paused":
            if not m.get("until") or m["until"] > stamp:
                continue
            ctx.store.update(
                ROULETTE_MEMBERS, m["id"], {"state": "active", "until": None, "ignored": 0}
            )
        member = ctx.member(m["user"])
        if member is None or member.is_bot:
            continue
        out.append(m)
    return sorted(out, key=lambda m: m["user"])


def _forget_old_rounds(ctx: Context, roulette: dict[str, Any], no: int) -> None:
    old = [n for n in range(1, no - KEEP_ROUNDS + 1)]
    if not old:
        return
    for g in ctx.store.find(ROULETTE_GROUPS, {"roulette": roulette["id"], "no": old}):
        ctx.store.delete(ROULETTE_GROUPS, g["id"])


def _groups_from(ctx: Context, rid: str, offset: int) -> list[dict[str, Any]]:
    """The round's groups from index ``offset`` on, in match order."""
    found = ctx.store.find(ROULETTE_GROUPS, {"round": rid}, order_by="index")
    return [g for g in found if g["index"] >= offset]


def open_groups(ctx: Context, data: dict[str, Any]) -> list[Output]:
    """An opening event queued before rounds opened every group at once (it came in
    batches of 40 a minute, each event scheduling the next): open the groups from its
    offset on, all of them, and schedule nothing (the outbox paces)."""
    rnd = ctx.store.get(ROULETTE_ROUNDS, str(data.get("round")))
    if rnd is None or rnd["state"] != "open":
        return []
    meet_by = _meet_by(rnd)
    groups = _groups_from(ctx, rnd["id"], int(data.get("offset", 0)))
    return [_group_intro(ctx, rnd, g, meet_by) for g in groups]


def _meet_by(rnd: dict[str, Any]) -> datetime:
    """When a round's groups are asked to have met: its wrap-up (rounds planned before
    the wrap-up was kept: their end)."""
    return parse_iso(rnd.get("close") or rnd["end"])


def _group_intro(
    ctx: Context, rnd: dict[str, Any], group: dict[str, Any], end: datetime
) -> GroupMessage:
    users = group["users"]
    names = join(*(Mention(u) for u in users), sep=", ")
    lines: list[Text] = [
        fmt(t.RR_GROUP_HEAD, no=rnd["no"], channel=ChannelLink(rnd["channel"])),
        fmt(t.RR_GROUP_HELLO, names=names, until=Moment(end)),  # each reads their own zone
    ]
    zones = _zones(ctx, users)
    if len({str(z) for z in zones.values()}) > 1:
        now = ctx.now()
        clocks = join(
            *(
                fmt(
                    t.RR_GROUP_CLOCK,
                    who=Mention(u),
                    time=clock_in(now, zones[u]),
                    zone=str(zones[u]),
                )
                for u in users
            ),
            sep=" · ",
        )
        lines.append(fmt(t.RR_GROUP_CLOCKS, clocks=clocks))
    for seeker, helper, what in group.get("why", []):
        lines.append(fmt(t.RR_GROUP_WHY, seeker=Mention(seeker), helper=Mention(helper), what=what))
    lines.append(fmt(t.RR_GROUP_ICEBREAKER, question=group["icebreaker"]))
    lines.append(fmt(t.RR_GROUP_BOOK))
    return GroupMessage(tuple(users), Message(join(*lines)))


def checkin_groups(ctx: Context, data: dict[str, Any]) -> list[Output]:
    """Mid-round: ask each group that hasn't said so yet whether they met, all at once.

    An ``offset`` comes from a check-in queued when they went 40 a minute: the groups
    before it were asked already.
    """
    rnd = ctx.store.get(ROULETTE_ROUNDS, str(data.get("round")))
    if rnd is None or rnd["state"] != "open":
        return []
    groups = _groups_from(ctx, rnd["id"], int(data.get("offset", 0)))
    out: list[Output] = []
    for g in groups:
        if g.get("met"):
            continue
        out.append(
            GroupMessage(
                tuple(g["users"]),
                Message(
                    fmt(t.RR_CHECKIN, until=Moment(_meet_by(rnd))),
                    (
                        Button("coffee.roulette_met", t.RR_MET, g["id"], "primary"),
                        Button("coffee.roulette_not_yet", t.RR_NOT_YET, g["id"]),
                        Button("coffee.roulette_cant", t.RR_CANT, g["id"]),
                    ),
                ),
            )
        )
    return out


def _group_for_press(ctx: Context, value: str) -> tuple[dict[str, Any] | None, list[Output]]:
    group = ctx.store.get(ROULETTE_GROUPS, value)
    if group is None or group.get("community") != ctx.community.key:
        return None, _reply(fmt(t.RR_BUTTON_GONE))
    if ctx.user not in group["users"]:
        return None, _reply(fmt(t.RR_NOT_YOUR_GROUP))
    rnd = ctx.store.get(ROULETTE_ROUNDS, group["round"])
    if rnd is None or rnd["state"] != "open":
        return None, _reply(fmt(t.RR_ROUND_OVER))
    return group, []


def _responded(ctx: Context, group: dict[str, Any], **changes: Any) -> dict[str, Any] | None:
    said = sorted(set(group.get("responded") or []) | {ctx.user})
    return ctx.store.update(
        ROULETTE_GROUPS,
        group["id"],
        {"responded": said, **changes},
        expect={"met": group.get("met")},
    )


def met(ctx: Context, value: str) -> list[Output]:
    group, refusal = _group_for_press(ctx, value)
    if group is None:
        return refusal
    if group.get("met"):
        return _reply(fmt(t.RR_MET_ALREADY))
    if _responded(ctx, group, met=True) is None:
        return _reply(fmt(t.RR_MET_ALREADY))
    now = ctx.now()
    for a in group["users"]:
        for b in group["users"]:
            if a != b:
                record_contact(
                    ctx.store, ctx.community, a, b, now, source="roulette", ref=group["id"]
                )
    return [MessageUpdate(Message(fmt(t.RR_MET_THANKS, who=Mention(ctx.user))))]


def not_yet(ctx: Context, value: str) -> list[Output]:
    group, refusal = _group_for_press(ctx, value)
    if group is None:
        return refusal
    _responded(ctx, group)
    rnd = ctx.store.get(ROULETTE_ROUNDS, group["round"])
    end = fmt_day(_meet_by(rnd).astimezone(ctx.zone())) if rnd else ""
    return _reply(fmt(t.RR_NOT_YET_REPLY, until=end))


def cant(ctx: Context, value: str) -> list[Output]:
    group, refusal = _group_for_press(ctx, value)
    if group is None:
        return refusal
    _responded(ctx, group)
    return _reply(fmt(t.RR_CANT_REPLY))


def close_round(ctx: Context, data: dict[str, Any]) -> list[Output]:
    """Post the round's result and pause, kindly, anyone who has gone quiet 3 rounds running."""
    rnd = ctx.store.get(ROULETTE_ROUNDS, str(data.get("round")))
    if rnd is None:
        return []
    groups = ctx.store.find(ROULETTE_GROUPS, {"round": rnd["id"]})
    met_count = sum(1 for g in groups if g.get("met"))
    if (
        ctx.store.update(
            ROULETTE_ROUNDS,
            rnd["id"],
            {"state": "closed", "met": met_count},
            expect={"state": "open"},
        )
        is None
    ):
        return []
    out: list[Output] = []
    if groups:
        out.append(
            ChannelPost(
                rnd["channel"],
                Message(
                    fmt(
                        t.RR_RESULT, no=rnd["no"], met=met_count, total=plural(len(groups), "group")
                    )
                ),
            )
        )
    out.extend(_ghosts(ctx, rnd, groups))
    return out


def _ghosts(ctx: Context, rnd: dict[str, Any], groups: list[dict[str, Any]]) -> list[Output]:
    out: list[Output] = []
    for g in groups:
        for user in g["users"]:
            m = ctx.store.find_one(
                ROULETTE_MEMBERS, {"key": f"{ctx.community.key}|{rnd['channel']}|{user}"}
            )
            if m is None or m["state"] != "active":
                continue
            if g.get("met") or user in (g.get("responded") or []):
                if m.get("ignored"):
                    ctx.store.update(ROULETTE_MEMBERS, m["id"], {"ignored": 0})
                continue
            ignored = int(m.get("ignored") or 0) + 1
            if ignored < GHOST_ROUNDS:
                ctx.store.update(ROULETTE_MEMBERS, m["id"], {"ignored": ignored})
                continue
            ctx.store.update(
                ROULETTE_MEMBERS,
                m["id"],
                {"state": "paused", "until": None, "ignored": ignored, "reason": "quiet"},
            )
            out.append(
                DirectMessage(
                    user,
                    Message(
                        fmt(t.RR_GHOST_PAUSED, channel=ChannelLink(rnd["channel"]), n=ignored),
                        (Button("coffee.roulette_rejoin", t.RR_REJOIN, m["id"], "primary"),),
                    ),
                )
            )
    return out


def rejoin(ctx: Context, value: str) -> list[Output]:
    m = ctx.store.get(ROULETTE_MEMBERS, value)
    if m is None or m.get("community") != ctx.community.key:
        return _reply(fmt(t.RR_BUTTON_GONE))
    if m["user"] != ctx.user:
        return _reply(fmt(t.RR_NOT_YOURS))
    changed = ctx.store.update(
        ROULETTE_MEMBERS,
        m["id"],
        {"state": "active", "ignored": 0, "until": None, "reason": None},
        expect={"state": "paused"},
    )
    if changed is None:
        return _reply(fmt(t.RR_BUTTON_GONE))
    return [MessageUpdate(Message(fmt(t.RR_WELCOME_BACK, channel=ChannelLink(m["channel"]))))]
