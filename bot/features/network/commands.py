"""``/opening``: share a job opening with the people it fits, those who met you first."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.args import Args
from bot.context import Context
from bot.errors import UserError
from bot.features.followup import nudges
from bot.features.network import numbers, openings, paths
from bot.features.network import text as t
from bot.io import ChannelArg, ChannelPost, Later, Output, Reply
from bot.items import open_items
from bot.markup import ChannelLink, Mention, fmt, join
from bot.messages import Message
from bot.plural import plural
from bot.registry import Family, Kept, Param
from store.base import new_id

family = Family("opening", t.OPENINGS_SUMMARY, order=40, default_name="share")
family.keeps(
    Kept(
        openings.OPENINGS,
        mine=lambda doc, uid: doc.get("poster") == uid,
        shared=True,
        owner="poster",
    ),
    Kept(openings.TOLD, mine=lambda doc, uid: uid in (doc.get("users") or ()), shared=True),
    Kept(paths.SEARCHES),
)
family.counts(numbers.NUMBERS)

TELL = "opening.tell"  # the private word to one member (a nudge: quiet hours, caps)
MY_OPEN = open_items(openings.OPENINGS, owners=("poster",), open_states=("open",))


@family.sub(
    None,
    usage=t.OPENING_USAGE,
    example=t.OPENING_EXAMPLE,
    help="Share a job opening.",
    params=(Param("opening", "text", "The role at the company, a link, details"),),
)
def share(ctx: Context, args: Args) -> list[Output]:
    """Share an opening: posted in the openings channel, told privately to those it fits."""
    text = args.rest()
    if not text.strip():
        raise UserError(fmt(t.OPENING_NEED, example=t.OPENING_EXAMPLE), t.OPENING_EXAMPLE)
    if len(text) > openings.LIMIT:
        raise UserError(fmt(t.OPENING_TOO_LONG, limit=openings.LIMIT), t.OPENING_EXAMPLE)
    opening = openings.read(text)
    if opening is None:
        words = text.split()
        if words[0].lower() == "at":  # the company, but no role before it
            company = " ".join(words[1:3]) or "Acme"
            raise UserError(fmt(t.OPENING_NEED_ROLE, company=company), t.OPENING_EXAMPLE)
        role = " ".join(words[:4])
        raise UserError(fmt(t.OPENING_NEED_AT, role=role), t.OPENING_EXAMPLE)
    channel = str(ctx.setting("openings_channel") or "")
    if not channel:
        raise UserError(fmt(t.OPENING_NO_CHANNEL))
    doc = openings.record(ctx, ctx.user, opening, new_id())
    link = fmt(t.OPENING_LINK, link=opening.link) if opening.link else ""
    details = fmt(t.OPENING_DETAILS, details=opening.details) if opening.details else ""
    post = fmt(
        t.OPENING_POST,
        role=opening.role,
        company=opening.company,
        link=link,
        details=details,
        poster=Mention(ctx.user),
        id=doc["id"],
    )
    now = ctx.now()
    tells: list[Output] = []
    audience, capped = openings.audience(ctx, ctx.user, opening)
    openings.told(ctx, [user for user, _ in audience], doc["id"])
    for i, (user, degree) in enumerate(audience):
        tells.append(
            Later(
                now + timedelta(microseconds=i),  # in order: people who met the poster first
                TELL,
                {"opening": doc["id"], "met": degree == 1},
                key=f"opening:{doc['id']}:{user}",
                user=user,
                nudge=True,
                about=(ctx.user,),
            )
        )
    answer = fmt(
        t.OPENING_POSTED
        if tells
        else t.OPENING_POSTED_CAPPED
        if capped
        else t.OPENING_POSTED_NOBODY,
        channel=ChannelLink(channel),
        told=plural(len(tells), "member"),
        id=doc["id"],
    )
    return [Reply(Message(answer)), ChannelPost(channel, Message(post)), *tells]


@family.due(TELL)
def tell(ctx: Context, data: dict[str, Any]) -> list[Output]:
    """One member hears of an opening that fits them (unless it closed meanwhile)."""
    doc = ctx.store.get(openings.OPENINGS, str(data.get("opening")))
    if doc is None or doc.get("state") != "open":
        return []
    link = fmt(t.OPENING_LINK, link=doc["link"]) if doc.get("link") else ""
    because = fmt(t.OPENING_BECAUSE_MET) if data.get("met") else ""
    text = fmt(
        t.OPENING_DM,
        role=doc["role"],
        company=doc["company"],
        link=link,
        poster=Mention(doc["poster"]),
        because=because,
    )
    return nudges.nudge_message(ctx, ctx.user, text, topic=f"opening:{doc['id']}", standard=())


@family.sub(
    "channel",
    usage="/opening channel #channel",
    example="/opening channel #jobs",
    admin=True,
    params=(Param("channel", "channel", "Where openings are posted"),),
)
def set_channel(ctx: Context, args: Args) -> list[Output]:
    """Choose the channel where openings are posted (admins)."""
    tok = args.take()
    if not isinstance(tok, ChannelArg):
        raise UserError(fmt(t.OPENING_CHANNEL_NEED), "/opening channel #jobs")
    ctx.set_setting("openings_channel", tok.id)
    return [Reply(Message(fmt(t.OPENING_CHANNEL_SET, channel=ChannelLink(tok.id))))]


@family.sub("list", usage="/opening list", example="/opening list", params=())
def list_(ctx: Context, args: Args) -> list[Output]:
    """The openings still open in this community."""
    docs = ctx.store.find(openings.OPENINGS, {"community": ctx.community.key, "state": "open"})
    if not docs:
        return [Reply(Message(fmt(t.OPENING_LIST_EMPTY)))]
    lines = [fmt(t.OPENING_LIST_TITLE)]
    for doc in sorted(docs, key=lambda d: d["created"], reverse=True):
        lines.append(
            fmt(
                t.OPENING_LIST_LINE,
                id=doc["id"],
                role=doc["role"],
                company=doc["company"],
                poster=Mention(doc["poster"]),
            )
        )
    return [Reply(Message(join(*lines)))]


@family.sub(
    "close",
    usage="/opening close <id>",
    example="/opening close k3f9qz",
    params=(Param("id", "item", "Which of your openings", items=MY_OPEN),),
)
def close(ctx: Context, args: Args) -> list[Output]:
    """Close an opening you shared (it's filled, or gone)."""
    wanted = args.rest().strip().strip("`").lower()
    if not wanted:
        raise UserError(fmt(t.OPENING_CLOSE_NEED), "/opening close k3f9qz")
    doc = ctx.store.get(openings.OPENINGS, wanted)
    if doc is None or doc.get("community") != ctx.community.key or doc.get("state") != "open":
        raise UserError(fmt(t.OPENING_UNKNOWN, id=wanted[:20]), "/opening list")
    if doc["poster"] != ctx.user and not ctx.is_admin:
        raise UserError(fmt(t.OPENING_NOT_YOURS, id=doc["id"]))
    ctx.store.update(openings.OPENINGS, doc["id"], {"state": "closed"})
    return [Reply(Message(fmt(t.OPENING_CLOSED, id=doc["id"])))]
