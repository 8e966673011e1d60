"""The outbox's Discord deliverer: DMs, private threads for groups, channel posts.

Every platform error becomes an outcome the outbox understands:

- DMs closed (403, code 50007) → ``Failed("dms_closed")``: permanent, never retried
  (10,000 invalid requests in 10 minutes earn a temporary ban from Discord);
- unknown user (10013) / member gone → ``Failed("user_gone")``; unknown channel, missing
  access or permissions → ``Failed("channel_gone")``: retrying cannot help;
- 429: discord.py waits out short limits itself; a longer one (over
  ``max_ratelimit_timeout``) raises ``RateLimited`` → ``Retry(after=retry_after)``;
- 5xx, timeouts, network errors → ``Retry``.

A group conversation is a private thread in the community's intros channel (a bot
cannot open a group DM on Discord) with the people added; the thread is recorded
before anything is posted in it, so a retry reuses it instead of opening another.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import aiohttp
import discord

from bot.adapters.discord import text as t
from bot.adapters.discord.limits import RATES, REQUESTS
from bot.adapters.discord.render import Rendered, render_message
from bot.context import COMMUNITIES
from bot.directory import Directory
from bot.io import ChannelPost, Community, DirectMessage, GroupMessage
from bot.markup import fmt, join
from bot.messages import Message
from bot.outbox import DeliveryResult, Failed, Parcel, Retry, Sent
from bot.ratelimit import Use
from store import Conflict, Store

log = logging.getLogger(__name__)

THREADS = "discord_threads"  # the private thread opened for a group delivery, by outbox key
INTROS_SETTING = "discord_intros_channel"
THREAD_ARCHIVE_MINUTES = 10080  # a week of quiet before Discord hides the thread
PRIVATE_THREAD = 12

# Discord JSON error codes (https://discord.com/developers/docs/topics/opcodes-and-status-codes)
CANNOT_DM = 50007
UNKNOWN_USER = 10013
UNKNOWN_MEMBER = 10007
UNKNOWN_CHANNEL = 10003
MISSING_ACCESS = 50001
MISSING_PERMISSIONS = 50013


class DiscordDeliverer:
    limits = RATES

    def cost(self, parcel: Parcel) -> list[Use]:
        """The REST requests a parcel may make, at most: a DM opens its channel and posts;
        a group opens a thread, adds each person and posts (or a DM to each)."""
        out = parcel.output
        if isinstance(out, DirectMessage):
            n = 2
        elif isinstance(out, GroupMessage):
            n = 2 + 2 * len(out.users)
        else:
            n = 1
        return [Use(REQUESTS)] * n

    def __init__(
        self,
        client: discord.Client,
        store: Store,
        directory: Directory,
        *,
        intros_channel: Callable[[Community], str | None],
    ) -> None:
        self.client = client
        self.store = store
        self.directory = directory
        self.intros_channel = intros_channel

    async def deliver(self, parcel: Parcel) -> DeliveryResult:
        out = parcel.output
        try:
            if isinstance(out, DirectMessage):
                return await self._dm(parcel, out.user, out.message)
            if isinstance(out, GroupMessage):
                return await self._group(parcel, out)
            assert isinstance(out, ChannelPost)
            channel = self.client.get_partial_messageable(
                int(out.channel), guild_id=_int(parcel.community.workspace)
            )
            sent = await channel.send(**self._render(out.message, parcel.community).send_kwargs())
            return Sent(str(sent.id))
        except (ValueError, TypeError):
            log.warning("delivery %s names something that isn't a Discord id", parcel.id)
            return Failed("user_gone" if isinstance(out, DirectMessage) else "channel_gone")
        except discord.RateLimited as err:
            return Retry("rate_limited", after=err.retry_after)
        except discord.Forbidden as err:
            return Failed(_forbidden(err, out))
        except discord.NotFound as err:
            return Failed(_not_found(err, out))
        except discord.DiscordServerError as err:
            return Retry(f"discord_error: {err.status}")
        except discord.HTTPException as err:
            if err.status == 429:
                return Retry("rate_limited", after=_retry_after(err))
            if 400 <= err.status < 500:
                return Failed(f"rejected: {err.code} {err.text}"[:200])
            return Retry(f"http {err.status}")
        except (TimeoutError, aiohttp.ClientError, OSError) as err:
            return Retry(f"network: {type(err).__name__}")

    # -- kinds -------------------------------------------------------------------

    async def _dm(self, parcel: Parcel, user: str, message: Message) -> DeliveryResult:
        channel = await self.client.create_dm(discord.Object(int(user)))
        rendered = self._render(message, parcel.community)
        if parcel.maybe_sent:
            # A crash may have come between Discord taking the message and the outbox
            # noting it: if our last message there says exactly this, don't say it twice.
            async for last in channel.history(limit=3):
                if last.author.id == self.client.user.id and last.content == rendered.content:  # type: ignore[union-attr]
                    return Sent(str(last.id))
        sent = await channel.send(**rendered.send_kwargs())
        return Sent(str(sent.id))

    async def _group(self, parcel: Parcel, out: GroupMessage) -> DeliveryResult:
        parent = self.intros_channel(parcel.community)
        if parent is None:
            return await self._group_by_dm(parcel, out)
        thread_id = await self._thread(parcel, out, int(parent))
        for user in out.users:
            try:
                await self.client.http.add_user_to_thread(thread_id, int(user))
            except discord.NotFound:
                log.info("user %s left before being added to thread %s", user, thread_id)
        thread = self.client.get_partial_messageable(
            thread_id, guild_id=_int(parcel.community.workspace)
        )
        rendered = self._render(out.message, parcel.community, ping=out.users)
        sent = await thread.send(**rendered.send_kwargs())
        return Sent(str(sent.id))

    async def _thread(self, parcel: Parcel, out: GroupMessage, parent: int) -> int:
        known = self.store.find_one(THREADS, {"key": parcel.key})
        if known is not None:
            return int(known["thread"])
        names = [self._name(parcel.community, u) for u in out.users]
        title = t.THREAD_NAME.format(names=", ".join(names))
        data = await self.client.http.start_thread_without_message(
            parent,
            name=title[:100],
            auto_archive_duration=THREAD_ARCHIVE_MINUTES,
            type=PRIVATE_THREAD,
            invitable=False,
        )
        try:
            self.store.insert(
                THREADS,
                {
                    "key": parcel.key,
                    "community": parcel.community.key,
                    "thread": str(data["id"]),
                    "users": list(out.users),
                },
            )
        except Conflict as err:  # a second process raced us: use its thread
            return int(err.existing["thread"])
        return int(data["id"])

    async def _group_by_dm(self, parcel: Parcel, out: GroupMessage) -> DeliveryResult:
        """No intros channel: the nearest private equivalent is a copy to each of them."""
        log.warning(
            "no intros channel for %s: sending a group message as DMs (set DISCORD_INTROS_CHANNEL"
            " or /setup intros)",
            parcel.community.key,
        )
        message = Message(
            join(out.message.text, fmt(t.GROUP_BY_DM), sep="\n\n"),
            out.message.buttons,
            out.message.attachments,
        )
        reached = 0
        first: DeliveryResult = Failed("dms_closed")
        for user in out.users:
            try:
                result = await self._dm(parcel, user, message)
            except discord.Forbidden as err:
                result = Failed(_forbidden(err, DirectMessage(user, message)))
            except discord.NotFound as err:
                result = Failed(_not_found(err, DirectMessage(user, message)))
            if isinstance(result, Sent):
                reached += 1
                first = result if reached == 1 else first
            elif reached == 0:
                first = result
        return first

    # -- helpers -----------------------------------------------------------------

    def _render(
        self, message: Message, community: Community, ping: tuple[str, ...] = ()
    ) -> Rendered:
        return render_message(message, community, self.store, ping=ping)

    def _name(self, community: Community, user: str) -> str:
        member = self.directory.member(community, user)
        return member.name if member else "a member"


def intros_channel_from(store: Store, env_default: str | None) -> Callable[[Community], str | None]:
    """The intros channel: the community's own setting (``/setup intros``), else the env's."""

    def lookup(community: Community) -> str | None:
        doc = store.find_one(COMMUNITIES, {"key": community.key}) or {}
        chosen = (doc.get("settings") or {}).get(INTROS_SETTING)
        return str(chosen) if chosen else env_default

    return lookup


def _forbidden(err: discord.Forbidden, out: Any) -> str:
    if err.code == CANNOT_DM:
        return "dms_closed"
    if isinstance(out, DirectMessage):
        return (
            "dms_closed"  # Discord refuses a DM for other reasons too (blocked, no shared server)
        )
    return "channel_gone"


def _not_found(err: discord.NotFound, out: Any) -> str:
    if err.code in (UNKNOWN_USER, UNKNOWN_MEMBER) or isinstance(out, DirectMessage):
        return "user_gone"
    return "channel_gone"


def _retry_after(err: discord.HTTPException) -> float | None:
    header = err.response.headers.get("Retry-After") if err.response is not None else None
    try:
        return float(header) if header else None
    except ValueError:
        return None


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() else None
