"""The intro part of a member's home: asks waiting for them, and their own requests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.clock import iso, parse_iso
from bot.context import Context
from bot.features.intro import flow
from bot.features.intro import text as t
from bot.io import HomeSection
from bot.markup import Mention, Span, Text, fmt
from bot.messages import Button, Message
from bot.trim import clip, home_section
from bot.when import show_day

# This family's button actions (registered in commands.py).
INTRO_MAKE, INTRO_NOT_NOW = "intro.make", "intro.not_now"
INTRO_ACCEPT, INTRO_DECLINE = "intro.accept", "intro.decline"
INTRO_NOTE = "intro.note"
RECENT_UNREACHABLE = timedelta(days=14)  # a request closed as "couldn't reach" shows this long


def _target_of(intro: dict[str, Any]) -> Span | Text:
    if intro.get("target"):
        return Mention(intro["target"])
    return fmt(t.OUTSIDE, text=clip(intro.get("target_text") or ""))


def intros(ctx: Context, user: str) -> HomeSection:
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
                Button(INTRO_MAKE, t.BUTTON_MAKE, intro["id"], "primary"),
                Button(INTRO_NOT_NOW, t.BUTTON_NOT_NOW, intro["id"]),
            )
        else:
            text = fmt(
                t.HOME_ASK_TARGET,
                connector=Mention(intro["connector"]),
                requester=Mention(intro["requester"]),
                reason=reason,
            )
            buttons = (
                Button(INTRO_ACCEPT, t.BUTTON_ACCEPT, intro["id"], "primary"),
                Button(INTRO_DECLINE, t.BUTTON_DECLINE, intro["id"]),
            )
        items.append(Message(text, buttons))
    zone = ctx.zone(user)
    for intro in flow.pending_of(ctx.store, ctx.community, user):
        template = (
            t.HOME_MY_INTRO_TARGET
            if intro["state"] == flow.ASKED_TARGET
            else t.HOME_MY_INTRO_CONNECTOR
        )
        since = show_day(parse_iso(intro["created"]), zone, now=ctx.now())
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
        connector_gone = intro.get("unreachable") == "connector"  # no note to forward then
        offer = (
            ()
            if intro.get("note_sent") or connector_gone
            else (Button(INTRO_NOTE, t.BUTTON_NOTE, intro["id"], "primary"),)
        )
        text = fmt(
            t.HOME_MY_INTRO_CONNECTOR_UNREACHABLE
            if connector_gone
            else t.HOME_MY_INTRO_UNREACHABLE,
            connector=Mention(intro["connector"]),
            target=_target_of(intro),
            id=intro["id"],
        )
        items.append(Message(text, offer))
    return home_section(t.HOME_INTROS, items, t.HOME_INTROS_EMPTY, t.HOME_INTROS_FOOTER)
