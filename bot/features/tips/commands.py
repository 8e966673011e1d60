"""``/tips``: tips and encouragement posted to a channel on a schedule, and the weekly digest.

Every scheduled post is an outbox event keyed by channel and slot
(``tips:{channel}:{slot}``), so a restart or a second process can never post a slot
twice. When a slot's event runs it checks the community's current choices — a slot
left over from an old schedule, a paused channel or a moved one posts nothing — then
posts the channel's next item and schedules the following slot (again by key). Each
post is also recorded per slot (``channel_posts``), so an event replayed after a crash
posts nothing more.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.args import Args
from bot.clock import iso, read_moment
from bot.context import Context
from bot.errors import UserError
from bot.features.tips import content, posts, rotation
from bot.features.tips import text as t
from bot.features.tips.content import Item
from bot.features.tips.digest import WEEK, count_week, digest_message
from bot.features.tips.schedule import PostSchedule, local_label, parse_cadence
from bot.io import ChannelArg, ChannelPost, Later, Output, Reply
from bot.markup import ChannelLink, Text, fmt, join
from bot.messages import Message
from bot.registry import Family, Kept, Param

family = Family("tips", t.SUMMARY, order=60, default_name="get")
family.keeps(
    Kept(rotation.CUSTOM, mine=lambda doc, uid: doc.get("by") == uid, shared=True),
    Kept(rotation.ROTATION, exported=False),
    Kept(posts.TABLE, exported=False),
    Kept(posts.POSTED, exported=False),
)

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
POST_CADENCES = (
    ("daily", "daily"),
    ("weekdays", "weekdays"),
    *((f"every {day}", f"every {day}") for day in WEEKDAYS),
    ("every 2 days", "every 2 days"),
    ("every 3 days", "every 3 days"),
)
_TIP_ID = Param("id", "text", "The tip's id (see /tips list)")

TIP_EVENT = "tips.post"
DIGEST_EVENT = "tips.digest"
# A slot more than this late (the bot was down) is skipped rather than posted out of
# time; a slot missed by less is posted once, late.
STALE_AFTER = timedelta(hours=12)
DIGEST_DEFAULT = "every friday 16:00"
MIN_TIP, MAX_TIP = 15, 300
LIST_LIMIT = 12
EXAMPLE = "/tips channel #jobs every monday 9:00"


def reply(*lines: Text) -> list[Output]:
    return [Reply(Message(join(*lines)))]


def community_zone(ctx: Context) -> str:
    """The community's zone (its ``default_tz`` setting); UTC if that isn't a zone."""
    name = str(ctx.setting("default_tz") or "UTC")
    try:
        ZoneInfo(name)
    except (ValueError, KeyError):
        return "UTC"
    return name


# -- scheduling ----------------------------------------------------------------


def schedule_tip(channel: str, cadence: PostSchedule, after: datetime) -> Later:
    slot = cadence.next_after(after)
    return Later(
        at=slot,
        event=TIP_EVENT,
        data={"channel": channel, "slot": iso(slot)},
        key=f"tips:{channel}:{iso(slot)}",
        nudge=False,
    )


def schedule_digest(cadence: PostSchedule, after: datetime) -> Later:
    slot = cadence.next_after(after)
    return Later(
        at=slot,
        event=DIGEST_EVENT,
        data={"slot": iso(slot)},
        key=f"digest:{iso(slot)}",
        nudge=False,
    )


def default_digest(ctx: Context, tz: str) -> PostSchedule:
    return parse_cadence(DIGEST_DEFAULT, now=ctx.now(), default_tz=tz)


# -- what a post says ----------------------------------------------------------


def item_text(item: Item) -> Text:
    """Library text may use our markup; tips admins add are always plain text."""
    if item.category == rotation.CUSTOM_CATEGORY:
        return fmt("{text}", text=item.text)
    return fmt(item.text)


def post_message(item: Item) -> Message:
    if item.category == rotation.CUSTOM_CATEGORY:
        return Message(fmt(t.CUSTOM_POST, text=item_text(item)))
    if item.is_encouragement:
        return Message(fmt(t.ENCOURAGEMENT_POST, text=item_text(item)))
    return Message(
        fmt(t.TIP_POST, category=content.CATEGORIES[item.category], text=item_text(item))
    )


def next_post(ctx: Context, channel: str, cfg: posts.PostsConfig) -> ChannelPost | None:
    item = rotation.next_item(ctx.store, ctx.community, channel, cfg.hidden)
    return ChannelPost(channel, post_message(item)) if item else None


# -- anyone: a tip for me --------------------------------------------------------


@family.sub(
    None,
    usage="/tips [topic]",
    example="/tips coffee",
    help="Get a tip for yourself right now.",
    params=(Param("topic", "text", "A topic, like coffee, questions or outreach", False),),
)
def tip_for_me(ctx: Context, args: Args) -> list[Output]:
    """Get a tip for yourself right now, on any topic or the one you name."""
    word = args.rest()
    category = content.category_named(word) if word else None
    if word and category is None:
        topics = ", ".join(content.TOPIC_WORDS.values())
        raise UserError(fmt(t.UNKNOWN_TOPIC, word=word, topics=topics), "/tips questions")
    cfg = posts.load(ctx.store, ctx.community)
    items = [
        i
        for i in rotation.pool(ctx.store, ctx.community, cfg.hidden)
        if category is None or i.category == category
    ]
    if not items:
        return reply(fmt(t.NOTHING_LEFT))
    item = random.Random(f"{ctx.user}|{iso(ctx.now())}|{ctx.request_id}").choice(items)
    label = content.CATEGORIES.get(item.category, t.CUSTOM_LABEL)
    return reply(fmt(t.FOR_YOU, category=label, text=item_text(item)))


# -- admins: where and when ------------------------------------------------------


@family.sub(
    "channel",
    usage="/tips channel #channel <when>",
    example=EXAMPLE,
    admin=True,
    params=(
        Param("channel", "channel", "Where tips are posted"),
        Param("cadence", "choice", "How often", choices=POST_CADENCES),
        Param("at", "time", "At what time, in the community's zone, like 9:00", False),
    ),
)
def set_channel(ctx: Context, args: Args) -> list[Output]:
    """Post tips in a channel: daily, weekdays, a weekday, or every N days, at a time."""
    channel = args.channel("the channel for tips")
    when_text = args.rest()
    if not when_text:
        raise UserError(fmt(t.WHEN_MISSING), EXAMPLE)
    cadence = parse_cadence(
        when_text, now=ctx.now(), default_tz=community_zone(ctx), example=EXAMPLE
    )
    before = posts.load(ctx.store, ctx.community)
    cfg = posts.save(
        ctx.store,
        ctx.community,
        tips_channel=channel.id,
        tips_on=True,
        cadence=cadence,
        digest_cadence=before.digest_cadence or default_digest(ctx, cadence.tz),
        by=ctx.user,
        updated=iso(ctx.now()),
    )
    first = schedule_tip(channel.id, cadence, ctx.now())
    outputs: list[Output] = [first]
    lines = [
        fmt(t.CHANNEL_SET, channel=ChannelLink(channel.id), cadence=cadence.describe()),
        fmt(t.NEXT_POST, next=local_label(first.at, cadence.tz)),
    ]
    if cfg.digest_on and cfg.digest_cadence:
        outputs.append(schedule_digest(cfg.digest_cadence, ctx.now()))
        lines.append(fmt(t.DIGEST_TOO, digest=cfg.digest_cadence.describe()))
    return [*reply(*lines), *outputs]


@family.sub("off", usage="/tips off", example="/tips off", admin=True)
def tips_off(ctx: Context, args: Args) -> list[Output]:
    """Pause the tips (and the digest) in the tips channel."""
    cfg = posts.load(ctx.store, ctx.community)
    if not cfg.posting or not cfg.tips_channel:
        return reply(fmt(t.TIPS_ALREADY_OFF))
    posts.save(ctx.store, ctx.community, tips_on=False, by=ctx.user, updated=iso(ctx.now()))
    return reply(fmt(t.TIPS_OFF, channel=ChannelLink(cfg.tips_channel)))


@family.sub("now", usage="/tips now [#channel]", example="/tips now", admin=True)
def tips_now(ctx: Context, args: Args) -> list[Output]:
    """Post the next tip right away (in the tips channel, or the one you name)."""
    cfg = posts.load(ctx.store, ctx.community)
    token = args.take()
    channel = token.id if isinstance(token, ChannelArg) else cfg.tips_channel
    if token is not None and not isinstance(token, ChannelArg):
        raise UserError(fmt(t.NOW_WHERE), "/tips now #jobs")
    if not channel:
        raise UserError(fmt(t.NEEDS_CHANNEL), EXAMPLE)
    post = next_post(ctx, channel, cfg)
    if post is None:
        raise UserError(fmt(t.LIBRARY_EMPTY), "/tips restore coffee-01")
    return [*reply(fmt(t.POSTED_NOW, channel=ChannelLink(channel))), post]


@family.due(TIP_EVENT)
def post_due(ctx: Context, data: dict[str, Any]) -> list[Output]:
    """A slot came due: post if it still belongs to the current schedule, then plan the next."""
    cfg = posts.load(ctx.store, ctx.community)
    slot = read_moment(data.get("slot"))
    channel = data.get("channel")
    if (
        slot is None
        or not cfg.posting
        or cfg.cadence is None
        or cfg.tips_channel != channel
        or not cfg.cadence.is_slot(slot)
    ):
        return []  # an old schedule's slot: the current one has its own
    outputs: list[Output] = []
    fresh = ctx.now() - slot <= STALE_AFTER
    if fresh and posts.claim_slot(
        ctx.store, ctx.community, "tips", channel, iso(slot), iso(ctx.now())
    ):
        post = next_post(ctx, channel, cfg)
        if post is not None:
            outputs.append(post)
    outputs.append(schedule_tip(channel, cfg.cadence, max(ctx.now(), slot)))
    return outputs


# -- admins: the library ---------------------------------------------------------


@family.sub(
    "add",
    usage="/tips add <text>",
    example="/tips add Bring one question you can't Google.",
    admin=True,
    params=(Param("tip", "text", "The tip, in your own words"),),
)
def add(ctx: Context, args: Args) -> list[Output]:
    """Add your own tip to this community's rotation."""
    text = " ".join(args.rest().split())
    if not text:
        raise UserError(fmt(t.ADD_EMPTY), "/tips add Bring one question you can't Google.")
    if len(text) < MIN_TIP:
        raise UserError(fmt(t.ADD_TOO_SHORT), "/tips add Bring one question you can't Google.")
    if len(text) > MAX_TIP:
        raise UserError(fmt(t.ADD_TOO_LONG, limit=MAX_TIP, n=len(text)))
    same = " ".join(text.lower().split())
    for tip in rotation.custom_tips(ctx.store, ctx.community):
        if " ".join(tip.text.lower().split()) == same:
            raise UserError(fmt(t.ADD_ALREADY, id=tip.id), "/tips list")
    item = rotation.add_custom(ctx.store, ctx.community, text, ctx.user, ctx.now())
    return reply(fmt(t.ADDED, id=item.id))


@family.sub(
    "remove",
    usage="/tips remove <id>",
    example="/tips remove coffee-03",
    admin=True,
    params=(_TIP_ID,),
)
def remove(ctx: Context, args: Args) -> list[Output]:
    """Stop posting a tip here (yours are deleted; built-in ones are hidden)."""
    tip_id = _tip_id(args, "/tips remove coffee-03")
    if tip_id.startswith(rotation.CUSTOM_PREFIX):
        if not rotation.remove_custom(ctx.store, ctx.community, tip_id):
            raise UserError(fmt(t.UNKNOWN_TIP, id=tip_id), "/tips list")
        return reply(fmt(t.REMOVED_CUSTOM, id=tip_id))
    if content.by_id(tip_id) is None:
        raise UserError(fmt(t.UNKNOWN_TIP, id=tip_id), "/tips list coffee")
    cfg = posts.load(ctx.store, ctx.community)
    if tip_id in cfg.hidden:
        return reply(fmt(t.ALREADY_HIDDEN, id=tip_id))
    posts.save(ctx.store, ctx.community, hidden=[*cfg.hidden, tip_id])
    return reply(fmt(t.HIDDEN, id=tip_id))


@family.sub(
    "restore",
    usage="/tips restore <id>",
    example="/tips restore coffee-03",
    admin=True,
    params=(_TIP_ID,),
)
def restore(ctx: Context, args: Args) -> list[Output]:
    """Bring back a built-in tip you hid."""
    tip_id = _tip_id(args, "/tips restore coffee-03")
    if content.by_id(tip_id) is None:
        raise UserError(fmt(t.UNKNOWN_TIP, id=tip_id), "/tips list coffee")
    cfg = posts.load(ctx.store, ctx.community)
    if tip_id not in cfg.hidden:
        return reply(fmt(t.NOT_HIDDEN, id=tip_id))
    posts.save(ctx.store, ctx.community, hidden=[h for h in cfg.hidden if h != tip_id])
    return reply(fmt(t.RESTORED, id=tip_id))


def _tip_id(args: Args, example: str) -> str:
    if args.empty():
        raise UserError(fmt(t.WHICH_TIP), example)
    return args.word("a tip id").strip("`'\"“”").lower()


@family.sub(
    "list",
    usage="/tips list [topic]",
    example="/tips list coffee",
    params=(Param("topic", "text", "Only one topic, like coffee", required=False),),
)
def list_(ctx: Context, args: Args) -> list[Output]:
    """See the schedule and the library, or every tip of one topic with its id."""
    cfg = posts.load(ctx.store, ctx.community)
    word = args.rest()
    if word:
        return _list_topic(ctx, cfg, word)
    lines: list[Text] = [fmt(t.LIST_TITLE)]
    if cfg.posting and cfg.cadence and cfg.tips_channel:
        nxt = cfg.cadence.next_after(ctx.now())
        lines.append(
            fmt(
                t.LIST_POSTING,
                channel=ChannelLink(cfg.tips_channel),
                cadence=cfg.cadence.describe(),
                next=local_label(nxt, cfg.cadence.tz),
            )
        )
        if cfg.digest_on and cfg.digest_cadence:
            lines.append(fmt(t.LIST_DIGEST, digest=cfg.digest_cadence.describe()))
        else:
            lines.append(fmt(t.LIST_DIGEST_OFF))
        used = rotation.used_in_cycle(ctx.store, ctx.community, cfg.tips_channel)
        total = len(rotation.pool(ctx.store, ctx.community, cfg.hidden))
        lines.append(fmt(t.LIST_CYCLE, used=min(used, total), total=total))
    elif cfg.tips_channel:
        lines.append(fmt(t.LIST_PAUSED, channel=ChannelLink(cfg.tips_channel)))
    else:
        lines.append(fmt(t.LIST_NOT_SET))
    for cat, label in content.CATEGORIES.items():
        n = sum(1 for i in content.library() if i.category == cat and i.id not in cfg.hidden)
        lines.append(fmt(t.LIST_TOPIC, label=label, n=n, word=content.TOPIC_WORDS[cat]))
    custom = rotation.custom_tips(ctx.store, ctx.community)
    if custom:
        lines.append(fmt(t.LIST_CUSTOM_TITLE, n=len(custom)))
        lines += [fmt(t.LIST_ITEM, id=i.id, text=_short(i.text)) for i in custom[:LIST_LIMIT]]
        if len(custom) > LIST_LIMIT:
            lines.append(fmt(t.LIST_MORE, n=len(custom) - LIST_LIMIT))
    if cfg.hidden:
        lines.append(fmt(t.LIST_HIDDEN, ids=", ".join(cfg.hidden)))
    lines.append(fmt(t.LIST_HINT))
    return reply(*lines)


def _list_topic(ctx: Context, cfg: posts.PostsConfig, word: str) -> list[Output]:
    category = content.category_named(word)
    if category is None:
        topics = ", ".join(content.TOPIC_WORDS.values())
        raise UserError(fmt(t.UNKNOWN_TOPIC, word=word, topics=topics), "/tips list coffee")
    items = [i for i in content.library() if i.category == category]
    lines: list[Text] = [fmt(t.LIST_TOPIC_ONE, label=content.CATEGORIES[category], n=len(items))]
    for item in items:
        template = t.LIST_ITEM_HIDDEN if item.id in cfg.hidden else t.LIST_ITEM
        lines.append(fmt(template, id=item.id, text=_short(item.text)))
    return reply(*lines)


def _short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# -- admins: the weekly digest ---------------------------------------------------


@family.sub(
    "digest",
    usage="/tips digest on|off|now|<when>",
    example="/tips digest every friday 16:00",
    admin=True,
    params=(Param("when", "text", "on, off, now — or when to post it, like every friday 16:00"),),
)
def digest(ctx: Context, args: Args) -> list[Output]:
    """Turn the weekly digest on or off, move it, or post this week's now."""
    example = "/tips digest every friday 16:00"
    word = args.peek_word()
    cfg = posts.load(ctx.store, ctx.community)
    if word == "off":
        posts.save(ctx.store, ctx.community, digest_on=False)
        return reply(fmt(t.DIGEST_OFF))
    if word == "now":
        if not cfg.tips_channel:
            raise UserError(fmt(t.NEEDS_CHANNEL), EXAMPLE)
        if not cfg.posting:  # paused with /tips off: the digest rests with the tips
            raise UserError(fmt(t.DIGEST_NOW_TIPS_OFF, channel=ChannelLink(cfg.tips_channel)))
        tz = (cfg.digest_cadence or cfg.cadence or default_digest(ctx, community_zone(ctx))).tz
        return [
            *reply(fmt(t.DIGEST_POSTED, channel=ChannelLink(cfg.tips_channel))),
            _digest_post(ctx, cfg.tips_channel, ctx.now(), tz),
        ]
    if word in (None, "on"):
        cadence = cfg.digest_cadence or default_digest(ctx, _zone_of(ctx, cfg))
    else:
        zone = _zone_of(ctx, cfg)
        cadence = parse_cadence(args.rest(), now=ctx.now(), default_tz=zone, example=example)
        if cadence.every and cadence.every != 7:
            raise UserError(fmt(t.DIGEST_WEEKLY), example)
    cfg = posts.save(ctx.store, ctx.community, digest_on=True, digest_cadence=cadence)
    if not cfg.posting or not cfg.tips_channel:
        return reply(fmt(t.DIGEST_SET_LATER, digest=cadence.describe()))
    return [
        *reply(fmt(t.DIGEST_SET, channel=ChannelLink(cfg.tips_channel), digest=cadence.describe())),
        schedule_digest(cadence, ctx.now()),
    ]


def _zone_of(ctx: Context, cfg: posts.PostsConfig) -> str:
    return cfg.cadence.tz if cfg.cadence else community_zone(ctx)


def _digest_post(ctx: Context, channel: str, end: datetime, tz: str) -> ChannelPost:
    start = end - WEEK
    numbers = count_week(ctx, start, end)
    return ChannelPost(channel, digest_message(numbers, start, end, tz))


@family.due(DIGEST_EVENT)
def digest_due(ctx: Context, data: dict[str, Any]) -> list[Output]:
    """The weekly digest came due: post the week's numbers, then plan next week's."""
    cfg = posts.load(ctx.store, ctx.community)
    slot = read_moment(data.get("slot"))
    cadence = cfg.digest_cadence
    if (
        slot is None
        or not cfg.posting
        or not cfg.digest_on
        or cadence is None
        or not cfg.tips_channel
        or not cadence.is_slot(slot)
    ):
        return []
    outputs: list[Output] = []
    fresh = ctx.now() - slot <= STALE_AFTER
    if fresh and posts.claim_slot(
        ctx.store, ctx.community, "digest", cfg.tips_channel, iso(slot), iso(ctx.now())
    ):
        outputs.append(_digest_post(ctx, cfg.tips_channel, slot, cadence.tz))
    outputs.append(schedule_digest(cadence, max(ctx.now(), slot)))
    return outputs
