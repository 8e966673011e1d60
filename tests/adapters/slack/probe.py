"""A test-only command family that returns every kind of output the core has,
so the Slack adapter's rendering of each is tested whatever the real families do."""

from __future__ import annotations

from bot.args import Args
from bot.context import Context
from bot.io import ChannelPost, DirectMessage, GroupMessage, MessageUpdate, Output, Reply
from bot.markup import Mention, fmt
from bot.messages import Attachment, Button, Message
from bot.registry import Family

family = Family("probe", "Every kind of output, for the Slack adapter's tests.")
PRESSES = "probe_presses"
ICS = Attachment("chat.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")


@family.sub(None, usage="/probe <text>", example="/probe hello there")
def everything(ctx: Context, args: Args) -> list[Output]:
    """Reply, DM with buttons and a file, group conversation and channel post."""
    said = args.rest()
    return [
        Reply(Message(fmt("You said: {said}", said=said), attachments=(ICS,))),
        DirectMessage(
            ctx.user,
            Message(
                fmt("*For you:* {said}", said=said),
                buttons=(
                    Button("probe.ok", "OK", "v1", "primary"),
                    Button("probe.ok", "Also OK", "v2"),
                    Button("probe.no", "No", "v3", "danger"),
                ),
                attachments=(ICS,),
            ),
        ),
        GroupMessage(
            ("UBOB", ctx.user), Message(fmt("{who} says {said}", who=Mention(ctx.user), said=said))
        ),
        ChannelPost("CWINS", Message(fmt("_Posted:_ {said}", said=said))),
    ]


@family.sub("dm", usage="/probe dm @person <text>", example="/probe dm @bob hello")
def dm(ctx: Context, args: Args) -> list[Output]:
    """A DM to someone else (for delivery failures)."""
    who = args.user()
    said = args.rest()
    return [
        Reply(Message(fmt("Sending it to {who}.", who=Mention(who.id)))),
        DirectMessage(who.id, Message(fmt("{me} says: {said}", me=Mention(ctx.user), said=said))),
    ]


@family.sub("post", usage="/probe post #channel <text>", example="/probe post #jobs hello")
def post(ctx: Context, args: Args) -> list[Output]:
    """A post in a channel (for delivery failures)."""
    channel = args.channel()
    return [
        Reply(Message(fmt("Posting."))),
        ChannelPost(channel.id, Message(fmt("{said}", said=args.rest()))),
    ]


@family.sub("who", usage="/probe who @person", example="/probe who @bob")
def who(ctx: Context, args: Args) -> list[Output]:
    """What the core was told about a mentioned member and the actor."""
    user = args.user()
    me = ctx.member(ctx.user)
    text = f"id={user.id} name={user.name} bot={user.is_bot} admin={ctx.is_admin} "
    text += f"zone={ctx.zone()} me={me.name if me else None}"
    return [Reply(Message(fmt("{text}", text=text)))]


@family.button("probe.ok")
def ok(ctx: Context, value: str) -> list[Output]:
    ctx.store.insert(PRESSES, {"user": ctx.user, "value": value})
    return [
        MessageUpdate(Message(fmt("Done: {value} by {who}", value=value, who=Mention(ctx.user)))),
        Reply(Message(fmt("Thanks!"))),
    ]


@family.button("probe.no")
def no(ctx: Context, value: str) -> list[Output]:
    return [Reply(Message(fmt("Maybe later.")), ephemeral=False)]
