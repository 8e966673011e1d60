"""A member's home: what is open with their people, with buttons to act on it.

``build_home`` reads the records of every feature and returns a neutral ``HomeView``:
asks waiting for the member and their own open intro requests, coffee chats to
answer, check in on or look forward to, follow-ups, and coffee roulette. Its buttons
are the features' own (the intro's **Make the intro**, the chat's **Accept**…), so a
press here does exactly what the same press in a DM does.

Each section shows at most ``HOME_SECTION_ITEMS`` items and counts the rest in
``more``; each platform's renderer cuts further to fit its own limits.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.clock import iso, parse_iso
from bot.context import Context
from bot.features.coffee import text as ct
from bot.features.coffee.records import (
    CHATS,
    ROULETTE_GROUPS,
    ROULETTE_MEMBERS,
    ROULETTE_ROUNDS,
    ROULETTES,
)
from bot.features.coffee.when import describe, fmt_day
from bot.features.followup import nudges
from bot.features.followup import records as fu
from bot.features.followup.dates import show, show_day
from bot.features.intro import flow
from bot.features.intro import text as it
from bot.features.rapport import text as t
from bot.io import HomeSection, HomeView
from bot.markup import ChannelLink, Mention, Span, Text, fmt, join
from bot.messages import Button, Message
from bot.trim import HOME_SECTION_ITEMS, clip, take

# Button actions of the features (registered by their families).
INTRO_MAKE, INTRO_NOT_NOW = "intro.make", "intro.not_now"
INTRO_ACCEPT, INTRO_DECLINE = "intro.accept", "intro.decline"
INTRO_NOTE = "intro.note"
RECENT_UNREACHABLE = timedelta(days=14)  # a request closed as "couldn't reach" shows this long
CHECKIN_AFTER = timedelta(minutes=60)  # as coffee/chats.py: the chat is over by then
RECENT_CHECKINS = timedelta(days=14)  # older unanswered check-ins are left alone
RECENT_NUDGES = timedelta(days=30)


def build_home(ctx: Context, user: str | None = None) -> HomeView:
    """The home of ``user`` (the acting member by default) as it stands now."""
    user = user or ctx.user
    sections = [
        _intros(ctx, user),
        _chats(ctx, user),
        _followups(ctx, user),
    ]
    roulette = _roulette(ctx, user)
    if roulette is not None:
        sections.append(roulette)
    return HomeView(
        user=user,
        sections=tuple(sections),
        intro=join(fmt(t.HOME_HELLO, name=ctx.name(user)), fmt(t.HOME_HINT)),
    )


def _section(title: str, items: list[Message], empty: str, footer: str) -> HomeSection:
    shown, more = take(items, HOME_SECTION_ITEMS)
    if not shown:
        return HomeSection(fmt(title), (Message(fmt(empty)),))
    return HomeSection(fmt(title), tuple(shown), more, fmt(footer) if more else ())


# -- intros -------------------------------------------------------------------------------


def _target_of(intro: dict[str, Any]) -> Span | Text:
    if intro.get("target"):
        return Mention(intro["target"])
    return fmt(it.OUTSIDE, text=clip(intro.get("target_text") or ""))


def _intros(ctx: Context, user: str) -> HomeSection:
    items: list[Message] = []
    for intro in flow.waiting_on(ctx.store, ctx.community, user):
        reason = clip(intro.get("reason") or "")
        if intro["state"] == flow.ASKED_CONNECTOR:
            text = fmt(
                t.HOME_ASK_CONNECTOR,
                requester=Mention(intro["requester"]),
                target=_target_of(intro),
                reason=reason,
            )
            buttons = (
                Button(INTRO_MAKE, it.BUTTON_MAKE, intro["id"], "primary"),
                Button(INTRO_NOT_NOW, it.BUTTON_NOT_NOW, intro["id"]),
            )
        else:
            text = fmt(
                t.HOME_ASK_TARGET,
                connector=Mention(intro["connector"]),
                requester=Mention(intro["requester"]),
                reason=reason,
            )
            buttons = (
                Button(INTRO_ACCEPT, it.BUTTON_ACCEPT, intro["id"], "primary"),
                Button(INTRO_DECLINE, it.BUTTON_DECLINE, intro["id"]),
            )
        items.append(Message(text, buttons))
    zone = ctx.zone(user)
    for intro in flow.pending_of(ctx.store, ctx.community, user):
        template = (
            t.HOME_MY_INTRO_TARGET
            if intro["state"] == flow.ASKED_TARGET
            else t.HOME_MY_INTRO_CONNECTOR
        )
        since = show_day(parse_iso(intro["created"]), zone, ctx.now())
        items.append(
            Message(
                fmt(
                    template,
                    connector=Mention(intro["connector"]),
                    target=_target_of(intro),
                    since=since,
                    id=intro["id"],
                )
            )
        )
    since = iso(ctx.now() - RECENT_UNREACHABLE)
    for intro in flow.recently_unreachable(ctx.store, ctx.community, user, since):
        offer = (
            ()
            if intro.get("note_sent")
            else (Button(INTRO_NOTE, it.BUTTON_NOTE, intro["id"], "primary"),)
        )
        text = fmt(
            t.HOME_MY_INTRO_UNREACHABLE,
            connector=Mention(intro["connector"]),
            target=_target_of(intro),
            id=intro["id"],
        )
        items.append(Message(text, offer))
    return _section(t.HOME_INTROS, items, t.HOME_INTROS_EMPTY, t.HOME_INTROS_FOOTER)


# -- coffee chats ------------------------------------------------------------------------


def _chats(ctx: Context, user: str) -> HomeSection:
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
                            Button("coffee.accept", ct.ACCEPT, value, "primary"),
                            Button("coffee.other_time", ct.OTHER_TIME, value),
                            Button("coffee.decline", ct.DECLINE, value, "danger"),
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
                        Button("coffee.happened", ct.CHECKIN_YES, value, "primary"),
                        Button("coffee.rescheduled", ct.CHECKIN_RESCHEDULED, value),
                        Button("coffee.missed", ct.CHECKIN_MISSED, value),
                    ),
                )
            )
        elif state == "rescheduled" and start >= now - RECENT_CHECKINS:
            waiting.append(Message(fmt(t.HOME_CHAT_RESCHEDULE, who=Mention(other), id=chat["id"])))
    return _section(
        t.HOME_CHATS, answer + upcoming + waiting, t.HOME_CHATS_EMPTY, t.HOME_CHATS_FOOTER
    )


# -- follow-ups ----------------------------------------------------------------------------


def _followups(ctx: Context, user: str) -> HomeSection:
    zone = ctx.zone(user)
    now = ctx.now()
    due: list[Message] = []
    later: list[Message] = []
    for f, when in fu.upcoming(ctx, user):
        note = fmt(t.HOME_FOLLOWUP_NOTE, note=clip(f["note"])) if f.get("note") else ""
        if f.get("open") is not None:
            due.append(
                Message(
                    fmt(t.HOME_FOLLOWUP_DUE, who=fu.who(f), note=note),
                    nudges.standard_buttons("followup", f"{f['id']}:{f['open']}"),
                )
            )
            continue
        cadence = fu.cadence_of(f)
        every = fmt(t.HOME_FOLLOWUP_EVERY, cadence=cadence.words()) if cadence else ""
        later.append(
            Message(
                fmt(
                    t.HOME_FOLLOWUP_NEXT,
                    who=fu.who(f),
                    date=show(when, zone, now),
                    every=every,
                    note=note,
                )
            )
        )
    # Other features' reminders still waiting for an answer. Those with buttons of their
    # own (a connector's reminder: Make the intro / Not now) are shown in their section.
    since = iso(now - RECENT_NUDGES)
    open_nudges = [
        d
        for d in ctx.store.find(nudges.NUDGE_MSGS, {"user": user, "state": "open"})
        if d.get("community") == ctx.community.key and str(d.get("at", "")) >= since
    ]
    for doc in sorted(open_nudges, key=lambda d: str(d.get("at", "")), reverse=True):
        message = nudges.generic_message(doc)
        if nudges.feature_message(doc).buttons:
            continue
        due.append(message)
    return _section(t.HOME_FOLLOWUPS, due + later, t.HOME_FOLLOWUPS_EMPTY, t.HOME_FOLLOWUPS_FOOTER)


# -- coffee roulette -------------------------------------------------------------------------


def _roulette(ctx: Context, user: str) -> HomeSection | None:
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
                    (Button("coffee.roulette_rejoin", ct.RR_REJOIN, mine["id"], "primary"),),
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
                            Button("coffee.roulette_met", ct.RR_MET, group["id"], "primary"),
                            Button("coffee.roulette_not_yet", ct.RR_NOT_YET, group["id"]),
                            Button("coffee.roulette_cant", ct.RR_CANT, group["id"]),
                        ),
                    )
                )
    shown, more = take(items, HOME_SECTION_ITEMS)
    return HomeSection(fmt(t.HOME_ROULETTE), tuple(shown), more)
