"""The follow-up part of a member's home: who to get back to, and when."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import iso
from bot.context import Context
from bot.features.followup import nudges
from bot.features.followup import records as fu
from bot.features.followup import text as t
from bot.features.followup.dates import show
from bot.io import HomeSection
from bot.markup import fmt, join
from bot.messages import Message
from bot.trim import clip, home_section

RECENT_NUDGES = timedelta(days=30)


def followups(ctx: Context, user: str) -> HomeSection:
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
        line = fmt(
            t.HOME_FOLLOWUP_NEXT, who=fu.who(f), date=show(when, zone, now), every=every, note=note
        )
        # Quiet hours (or a quiet weekend) will hold it: say when it really comes.
        later.append(Message(join(line, nudges.moved_note(ctx, user, when), sep="")))
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
    return home_section(
        t.HOME_FOLLOWUPS, due + later, t.HOME_FOLLOWUPS_EMPTY, t.HOME_FOLLOWUPS_FOOTER
    )
