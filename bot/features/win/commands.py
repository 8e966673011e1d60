"""``/win``: a member shares a win and the bot celebrates it in the wins channel.

The member's words are carried as plain text (never parsed), so nothing they type can
ping a channel, a role or another member through the bot. Wins are counted in the
weekly digest, the one place members are named: they chose to share.
"""

from __future__ import annotations

from datetime import timedelta

from bot.args import Args
from bot.clock import iso
from bot.context import Context
from bot.errors import UserError
from bot.features.tips import posts
from bot.features.win import text as t
from bot.features.win.numbers import NUMBERS, WINS
from bot.io import ChannelArg, ChannelPost, Output, Reply
from bot.markup import ChannelLink, Mention, Text, fmt
from bot.messages import Message
from bot.registry import Family, Param

family = Family("win", t.SUMMARY, order=61, default_name="share")
family.counts(NUMBERS)

EXAMPLE = "/win Got a reply from the hiring manager at Acme!"
MAX_PER_DAY = 5


def reply(body: Text) -> list[Output]:
    return [Reply(Message(body))]


@family.sub(
    None,
    usage="/win <what happened>",
    example=EXAMPLE,
    help="Share a win with the community.",
    params=(Param("what", "text", "Your win, big or small"),),
)
def share(ctx: Context, args: Args) -> list[Output]:
    """Share a win, big or small: the community celebrates it with you."""
    text = args.rest().strip()
    if not text:
        raise UserError(fmt(t.EMPTY), EXAMPLE)
    if text.lower().strip(".!") in ("off", "on", "stop", "disable", "enable"):
        # A switch, not a win: "/win off" meant "/win channel off".
        raise UserError(fmt(t.LOOKS_LIKE_A_SWITCH, word=text), "/win channel off")
    limit = int(ctx.setting("max_text"))
    if len(text) > limit:
        raise UserError(fmt(t.TOO_LONG, limit=limit, n=len(text)))
    cfg = posts.load(ctx.store, ctx.community)
    if not cfg.wins_channel:
        return reply(fmt(t.NO_CHANNEL_ADMIN if ctx.is_admin else t.NO_CHANNEL_MEMBER))
    since = iso(ctx.now() - timedelta(days=1))
    today = [
        w
        for w in ctx.store.find(WINS, {"community": ctx.community.key, "user": ctx.user})
        if w.get("at", "") > since
    ]
    if len(today) >= MAX_PER_DAY:
        raise UserError(fmt(t.TOO_MANY, n=len(today)))
    ctx.store.insert(
        WINS,
        {
            "community": ctx.community.key,
            "user": ctx.user,
            "text": text,
            "at": iso(ctx.now()),
            "channel": cfg.wins_channel,
        },
    )
    cheer = t.CHEERS[ctx.store.count(WINS, {"community": ctx.community.key}) % len(t.CHEERS)]
    post = Message(fmt(t.POST, who=Mention(ctx.user), text=text, cheer=cheer))
    return [
        *reply(fmt(t.SHARED, channel=ChannelLink(cfg.wins_channel))),
        ChannelPost(cfg.wins_channel, post),
    ]


@family.sub(
    "channel",
    usage="/win channel #channel|off",
    example="/win channel #wins",
    admin=True,
    params=(
        Param("channel", "channel", "Where wins are celebrated", required=False),
        Param(
            "off",
            "choice",
            "Or stop celebrating wins in a channel",
            required=False,
            choices=(("stop posting wins", "off"),),
            unless="channel",
        ),
    ),
)
def set_channel(ctx: Context, args: Args) -> list[Output]:
    """Choose the channel where wins are celebrated (or turn it off)."""
    token = args.take()
    if isinstance(token, ChannelArg):
        posts.save(ctx.store, ctx.community, wins_channel=token.id)
        return reply(fmt(t.CHANNEL_SET, channel=ChannelLink(token.id)))
    if isinstance(token, str) and token.lower() == "off":
        posts.save(ctx.store, ctx.community, wins_channel=None)
        return reply(fmt(t.CHANNEL_OFF))
    raise UserError(fmt(t.CHANNEL_WHICH), "/win channel #wins")
