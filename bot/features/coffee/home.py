"""The coffee part of a member's home: chats to answer, check in on or look forward to,
and where they stand in coffee roulette."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import parse_iso
from bot.context import Context
from bot.features.coffee import text as t
from bot.features.coffee.records import (
    CHATS,
    ROULETTE_GROUPS,
    ROULETTE_MEMBERS,
    ROULETTE_ROUNDS,
    ROULETTES,
)
from bot.features.coffee.when import describe, fmt_day
from bot.io import HomeSection
from bot.markup import ChannelLink, Mention, fmt, join
from bot.messages import Button, Message
from bot.trim import HOME_SECTION_ITEMS, clip, home_section, take

CHECKIN_AFTER = timedelta(minutes=60)  # as coffee/chats.py: the chat is over by then
RECENT_CHECKINS = timedelta(days=14)  # older unanswered check-ins are left alone


def chats(ctx: Context, user: str) -> HomeSection:
    key = ctx.community.key
    chats = ctx.store.find(CHATS, {"community": key, "requester": user})
    chats += ctx.store.find(CHATS, {"community": key, "invitee": user})
    chats.sort(key=lambda c: (c["start"], c["id"]))
    now = ctx.now()
    zone = ctx.zone(user)
    answer: list[Message] = []
    upcoming: list[Message] = []
    waiting: list[Message] = []
    for chat in chats:
        other = chat["invitee"] if chat["requester"] == user else chat["requester"]
        start = parse_iso(chat["start"])
        when = describe(start, zone, now=now)
        value = f"{chat['id']}:{chat['rev']}"
        topic = fmt(t.HOME_CHAT_TOPIC, topic=clip(chat["topic"])) if chat.get("topic") else ""
        state = chat["state"]
        if state == "proposed" and start > now:
            if chat.get("responder") == user:
                answer.append(
                    Message(
                        fmt(t.HOME_CHAT_INVITED, who=Mention(other), when=when, topic=topic),
                        (
                            Button("coffee.accept", t.ACCEPT, value, "primary"),
                            Button("coffee.other_time", t.OTHER_TIME, value),
                            Button("coffee.decline", t.DECLINE, value, "danger"),
                        ),
                    )
                )
            else:
                waiting.append(
                    Message(fmt(t.HOME_CHAT_WAITING, who=Mention(other), when=when, id=chat["id"]))
                )
            continue
        if state == "accepted" and start + CHECKIN_AFTER > now:
            upcoming.append(
                Message(
                    fmt(
                        t.HOME_CHAT_UPCOMING,
                        who=Mention(other),
                        when=when,
                        topic=topic,
                        id=chat["id"],
                    )
                )
            )
            continue
        role = "requester" if chat["requester"] == user else "invitee"
        if (
            state in ("accepted", "done", "rescheduled", "missed")
            and chat.get(f"said_{role}") is None
            and now - RECENT_CHECKINS <= start <= now - CHECKIN_AFTER
        ):
            answer.append(
                Message(
                    fmt(
                        t.HOME_CHAT_CHECKIN,
                        who=Mention(other),
                        when=fmt_day(start.astimezone(zone)),
                    ),
                    (
                        Button("coffee.happened", t.CHECKIN_YES, value, "primary"),
                        Button("coffee.rescheduled", t.CHECKIN_RESCHEDULED, value),
                        Button("coffee.missed", t.CHECKIN_MISSED, value),
                    ),
                )
            )
        elif state == "rescheduled" and start >= now - RECENT_CHECKINS:
            again = Button("coffee.new_time", t.NEW_TIME, f"{chat['id']}:{chat['rev']}")
            text = fmt(t.HOME_CHAT_RESCHEDULE, who=Mention(other), id=chat["id"])
            waiting.append(Message(text, (again,)))
    return home_section(
        t.HOME_CHATS, answer + upcoming + waiting, t.HOME_CHATS_EMPTY, t.HOME_CHATS_FOOTER
    )


def roulette(ctx: Context, user: str) -> HomeSection | None:
    """Where the member stands in each running roulette; None when none runs or ever ran."""
    key = ctx.community.key
    running = ctx.store.find(ROULETTES, {"community": key, "state": "on"})
    if not running:
        return None
    zone = ctx.zone(user)
    now = ctx.now()
    items: list[Message] = []
    for roulette in sorted(running, key=lambda r: r["channel"]):
        channel = ChannelLink(roulette["channel"])
        mine = ctx.store.find_one(ROULETTE_MEMBERS, {"key": f"{key}|{roulette['channel']}|{user}"})
        if mine is None or mine["state"] == "left":
            items.append(Message(fmt(t.HOME_ROULETTE_OUT, channel=channel)))
            continue
        if mine["state"] == "paused":
            until = (
                fmt(
                    t.HOME_ROULETTE_PAUSED_UNTIL,
                    until=fmt_day(parse_iso(mine["until"]).astimezone(zone)),
                )
                if mine.get("until")
                else ""
            )
            items.append(
                Message(
                    fmt(t.HOME_ROULETTE_PAUSED, channel=channel, until=until),
                    (Button("coffee.roulette_rejoin", t.RR_REJOIN, mine["id"], "primary"),),
                )
            )
        else:
            nxt = (
                describe(parse_iso(roulette["next_at"]), zone, now=now)
                if roulette.get("next_at")
                else t.HOME_NEXT_UNKNOWN
            )
            items.append(Message(fmt(t.HOME_ROULETTE_IN, channel=channel, next=nxt)))
        for rnd in ctx.store.find(ROULETTE_ROUNDS, {"roulette": roulette["id"], "state": "open"}):
            group = ctx.store.find_one(ROULETTE_GROUPS, {"round": rnd["id"], "users": user})
            if group is None:
                continue
            others = [u for u in group["users"] if u != user]
            names = join(*(Mention(u) for u in others), sep=", ")
            if group.get("met"):
                items.append(Message(fmt(t.HOME_ROULETTE_MET, names=names)))
            else:
                items.append(
                    Message(
                        fmt(t.HOME_ROULETTE_GROUP, names=names),
                        (
                            Button("coffee.roulette_met", t.RR_MET, group["id"], "primary"),
                            Button("coffee.roulette_not_yet", t.RR_NOT_YET, group["id"]),
                            Button("coffee.roulette_cant", t.RR_CANT, group["id"]),
                        ),
                    )
                )
    shown, more = take(items, HOME_SECTION_ITEMS)
    return HomeSection(fmt(t.HOME_ROULETTE), tuple(shown), more)
