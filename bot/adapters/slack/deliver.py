"""Sending on Slack: the outbox's ``Deliverer`` and the posting it shares with replies.

DMs and group conversations go through ``conversations.open`` (Tier 3, about 50 a
minute: the real bottleneck when many group DMs open at once), so the channel ids
it returns are remembered. Files (an .ics invite) are uploaded with
``files_upload_v2`` after the message; if that is refused the message says so.

The deliverer states Slack's rates (``limits.RATES``) and what each parcel will call, so
the outbox paces deliveries itself. Its client therefore does not wait out a 429 in place
(the SDK handler would hold the outbox for seconds): the 429 comes back as
``Retry(after=…, method=…)`` and pauses only that method.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import threading
from collections import OrderedDict
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.adapters.slack import render
from bot.adapters.slack import text as t
from bot.adapters.slack.client import classify, error_code
from bot.adapters.slack.limits import RATES
from bot.io import ChannelPost, DirectMessage, GroupMessage
from bot.messages import Attachment, Message
from bot.outbox import DeliveryResult, Failed, Parcel, Retry, Sent
from bot.ratelimit import Use

log = logging.getLogger(__name__)

CONVERSATION_CACHE = 50_000


class SlackSender:
    """Opens conversations and posts messages through the one Web API client."""

    def __init__(self, client: WebClient) -> None:
        self.client = client
        self._conversations: OrderedDict[tuple[str, ...], str] = OrderedDict()
        self._lock = threading.Lock()

    def open(self, users: tuple[str, ...]) -> str:
        """The DM (one user) or group DM (several) with these users, opened once."""
        key = tuple(sorted(set(users)))
        with self._lock:
            known = self._conversations.get(key)
            if known is not None:
                self._conversations.move_to_end(key)
                return known
        response = self.client.conversations_open(users=",".join(key))
        channel = str(response["channel"]["id"])
        with self._lock:
            self._conversations[key] = channel
            while len(self._conversations) > CONVERSATION_CACHE:
                self._conversations.popitem(last=False)
        return channel

    def known(self, users: tuple[str, ...]) -> bool:
        """Whether the conversation with these users is open already (no call needed)."""
        with self._lock:
            return tuple(sorted(set(users))) in self._conversations

    def post(self, channel: str, message: Message, *, notes: tuple[str, ...] = ()) -> str:
        """Post a message (and then its files); returns the message's ts."""
        response = self.client.chat_postMessage(
            channel=channel,
            unfurl_links=False,
            unfurl_media=False,
            **render.payload(message, notes=notes),
        )
        ts = str(response.get("ts") or "")
        if message.attachments:
            self.attach(channel, message.attachments)
        return ts

    def attach(self, channel: str, attachments: tuple[Attachment, ...]) -> None:
        """Upload files into a conversation; when refused, say so there instead.

        The message is already out, so nothing here may fail the delivery (a retry
        would post the message twice).
        """
        for attachment in attachments:
            try:
                self.client.files_upload_v2(
                    channel=channel,
                    content=attachment.content,
                    filename=attachment.filename,
                    title=attachment.filename,
                )
            except Exception as exc:
                log.warning("could not upload %s: %s", attachment.filename, _describe(exc))
                note = t.ATTACHMENT_NOT_ATTACHED.format(filename=attachment.filename)
                try:
                    self.client.chat_postMessage(channel=channel, text=render.escape(note))
                except Exception as again:
                    log.warning("could not say so either: %s", _describe(again))

    def forget(self, users: tuple[str, ...]) -> None:
        with self._lock:
            self._conversations.pop(tuple(sorted(set(users))), None)


class SlackDeliverer:
    """Delivers outbox parcels for Slack communities.

    A parcel offered again after a crash (``maybe_sent``) is sent again: checking
    the conversation's history first would need history scopes we don't ask for, and
    the window between Slack's answer and our record is a few milliseconds.
    """

    limits = RATES

    def __init__(self, sender: SlackSender) -> None:
        self.sender = SlackSender(_without_waiting(sender.client))

    def cost(self, parcel: Parcel) -> list[Use]:
        """The Web API calls this parcel will make, counted as Slack counts them: Tier
        methods per workspace, ``chat.postMessage`` per conversation."""
        out = parcel.output
        workspace = parcel.community.workspace
        uses = []
        if isinstance(out, ChannelPost):
            conversation = out.channel
        else:
            users = (out.user,) if isinstance(out, DirectMessage) else out.users
            conversation = ",".join(sorted(set(users)))
            if not self.sender.known(users):
                uses.append(Use("conversations.open", workspace))
        uses.append(Use("chat.postMessage", f"{workspace}/{conversation}"))
        for _ in out.message.attachments:
            uses.append(Use("files.getUploadURLExternal", workspace))
            uses.append(Use("files.completeUploadExternal", workspace))
        return uses

    async def deliver(self, parcel: Parcel) -> DeliveryResult:
        # The SDK client blocks; keep the event loop (and any other platform) free.
        return await asyncio.to_thread(self.deliver_now, parcel)

    def deliver_now(self, parcel: Parcel) -> DeliveryResult:
        out = parcel.output
        dm = isinstance(out, DirectMessage)
        try:
            if isinstance(out, DirectMessage):
                channel = self.sender.open((out.user,))
            elif isinstance(out, GroupMessage):
                channel = self.sender.open(out.users)
            elif isinstance(out, ChannelPost):
                channel = out.channel
            else:  # pragma: no cover - the outbox holds only these three
                raise TypeError(f"cannot deliver {type(out).__name__}")
            ts = self.sender.post(channel, out.message)
            return Sent(f"{channel}:{ts}")
        except Exception as exc:
            result = classify(exc, dm=dm)
            if isinstance(result, Retry) and isinstance(exc, SlackApiError):
                method = str(getattr(exc.response, "api_url", "")).rsplit("/", 1)[-1]
                result = dataclasses.replace(result, method=method or None)
            if not isinstance(out, ChannelPost) and isinstance(result, Failed):
                self.sender.forget((out.user,) if dm else out.users)
                if result.reason == "channel_gone":  # their DM went away with them
                    result = Failed("user_gone")
            log.info("delivery %s: %s (%s)", parcel.id, result, _describe(exc))
            return result


def _without_waiting(client: WebClient) -> WebClient:
    """The same client minus the SDK's in-place wait on a 429 (the outbox paces instead)."""
    return WebClient(
        token=client.token,
        base_url=client.base_url,
        timeout=client.timeout,
        retry_handlers=[
            h for h in client.retry_handlers if not isinstance(h, RateLimitErrorRetryHandler)
        ],
    )


def _describe(exc: BaseException) -> Any:
    return error_code(exc) if isinstance(exc, SlackApiError) else repr(exc)
