"""Wiring: a ``discord.Client`` with a ``CommandTree``, and the adapter between it and the core.

- One ``AutoShardedClient``: all of the bot's shards by default (one shard), or the
  ``DISCORD_SHARD_IDS`` of ``DISCORD_SHARD_COUNT`` this process serves.
- Intents: non-privileged only (guilds). Interactions arrive without any intent;
  nothing rapport does needs the member list or message content.
- ``allowed_mentions`` is ``AllowedMentions.none()`` client-wide; each message then
  allows exactly the users our own ``Mention`` spans name (``render.py``).
- The core runs in a worker thread; if it has not answered within ``defer_after``
  seconds the interaction is deferred (Discord's deadline is 3 s) and answered
  with follow-ups when it has.
- The command tree is synced only when its definition changes: its hash is kept
  in ``discord_state`` (Discord allows 200 command creates a day per guild).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import discord
from discord import app_commands

from bot import inbox
from bot import text as core_text
from bot.adapters.discord import forms, resume, translate
from bot.adapters.discord import text as t
from bot.adapters.discord.buttons import BUTTONS, RapportButton, Target
from bot.adapters.discord.commands import build_commands
from bot.adapters.discord.deliver import (
    INTROS_SETTING,
    THREADS,
    DiscordDeliverer,
    intros_channel_from,
)
from bot.adapters.discord.directory import DiscordDirectory
from bot.adapters.discord.render import home_replies, long_replies, render_message
from bot.core import Rapport
from bot.inbox import Entry
from bot.io import (
    Community,
    Form,
    FormSubmission,
    HomeView,
    MessageUpdate,
    Output,
    Reply,
)
from bot.markup import ChannelLink, fmt, plain
from bot.messages import Message
from bot.registry import Family, Kept, Param, Variant
from store import Conflict
from store.base import new_id

log = logging.getLogger(__name__)

STATE = "discord_state"  # the synced command tree's hash, per scope
INTENTS = discord.Intents(guilds=True)  # nothing privileged: no members, presences, content


class DiscordConfigError(Exception):
    """A missing or wrong setting, explained in one line for whoever starts the bot."""


@dataclass(frozen=True)
class DiscordSettings:
    """Configuration of the Discord adapter (from the environment)."""

    token: str = ""
    intros_channel: str | None = None  # DISCORD_INTROS_CHANNEL: where group threads open
    guild: str | None = None  # DISCORD_GUILD: sync commands to one server (instant; development)
    api_url: str | None = None  # DISCORD_API_URL: a Discord-compatible REST API (a local fake)
    defer_after: float = 2.0  # DISCORD_DEFER_AFTER: seconds before an interaction is deferred
    inbox_lease: float = inbox.LEASE.total_seconds()  # RAPPORT_INBOX_LEASE (see bot.inbox)
    shard_count: int = 1  # DISCORD_SHARD_COUNT: the bot's shards, across every process
    shard_ids: tuple[int, ...] | None = None  # DISCORD_SHARD_IDS: this process's (None: all)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> DiscordSettings:
        env = dict(os.environ if env is None else env)
        count, ids = shards_from(env.get("DISCORD_SHARD_COUNT"), env.get("DISCORD_SHARD_IDS"))
        return cls(
            token=env.get("DISCORD_TOKEN", "").strip(),
            intros_channel=env.get("DISCORD_INTROS_CHANNEL") or None,
            guild=env.get("DISCORD_GUILD") or None,
            api_url=env.get("DISCORD_API_URL") or None,
            defer_after=_seconds(env, "DISCORD_DEFER_AFTER", 2.0, 0.0, 2.5),
            inbox_lease=_seconds(
                env, "RAPPORT_INBOX_LEASE", inbox.LEASE.total_seconds(), 0.1, 3600
            ),
            shard_count=count,
            shard_ids=ids,
        )

    @property
    def shards(self) -> tuple[int, ...]:
        """The shards this process serves."""
        return self.shard_ids if self.shard_ids is not None else tuple(range(self.shard_count))


def _seconds(env: dict[str, str], name: str, default: float, low: float, high: float) -> float:
    """A number of seconds from the environment, within ``[low, high]`` (one-line errors)."""
    given = env.get(name, "").strip()
    if not given:
        return default
    try:
        value = float(given)
    except ValueError:
        value = float("nan")
    if not low <= value <= high:
        raise DiscordConfigError(
            f"{name} must be a number of seconds from {low:g} to {high:g}, like {default:g} "
            f"(got {given!r})"
        )
    return value


def _option_needed(group: tuple[Param, ...]) -> str:
    """The options one of which must be given: "pick `target`, or fill `outside`"."""
    ways = [
        (t.OPTION_FILL if p.kind in ("text", "quoted", "time") else t.OPTION_PICK).format(
            name=p.name
        )
        for p in group
    ]
    return t.OPTION_NEEDED.format(choices=t.OPTION_OR.join(ways))


def shards_from(count: str | None, ids: str | None) -> tuple[int, tuple[int, ...] | None]:
    """``DISCORD_SHARD_COUNT`` and ``DISCORD_SHARD_IDS`` read and checked (one-line errors)."""
    total = 1
    if count is not None and count.strip():
        try:
            total = int(count)
        except ValueError:
            total = 0
        if total < 1:
            raise DiscordConfigError(
                f"DISCORD_SHARD_COUNT must be a whole number, 1 or more (got {count!r})"
            )
    if ids is None or not ids.strip():
        return total, None
    if count is None or not count.strip():
        raise DiscordConfigError(
            "DISCORD_SHARD_IDS needs DISCORD_SHARD_COUNT (the bot's shards across all processes)"
        )
    chosen: list[int] = []
    for word in ids.split(","):
        word = word.strip()
        if not word.isdigit() or int(word) >= total:
            raise DiscordConfigError(
                f"DISCORD_SHARD_IDS must be shard numbers from 0 to {total - 1}, separated by "
                f"commas, like 0,1 (got {ids!r})"
            )
        if int(word) not in chosen:
            chosen.append(int(word))
    return total, tuple(sorted(chosen))


class RapportClient(discord.AutoShardedClient):
    """The discord.py client; ``rapport`` is the adapter its buttons and commands call."""

    def __init__(self, adapter: DiscordAdapter) -> None:
        settings = adapter.settings
        super().__init__(
            intents=INTENTS,
            shard_count=settings.shard_count,
            shard_ids=list(settings.shards),
            allowed_mentions=discord.AllowedMentions.none(),
            # A rate limit longer than this raises RateLimited: the outbox retries later
            # instead of a delivery holding the tick for minutes.
            max_ratelimit_timeout=30.0,
        )
        self.rapport = adapter
        self.tree = app_commands.CommandTree(self)
        adapter.raw.install(self._connection)

    async def setup_hook(self) -> None:
        # Buttons are understood from their custom_id alone, whoever sent them.
        self.add_dynamic_items(RapportButton, forms.FormAgain)
        await self.rapport.sync_commands()

    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        """Our forms' submissions, read from the payload (no modal is kept in memory)."""
        if interaction.type != discord.InteractionType.modal_submit:
            return
        data: dict[str, Any] = dict(interaction.data or {})  # type: ignore[arg-type]
        match = forms.FORM_ID.fullmatch(str(data.get("custom_id", "")))
        if match is not None:
            await self.rapport.on_form(interaction, match, data)


class DiscordAdapter:
    """Turns interactions into core inputs and the core's answers into Discord responses."""

    def __init__(self, core: Rapport, settings: DiscordSettings) -> None:
        self.core = core
        self.store = core.store
        self.settings = settings
        self.directory = DiscordDirectory(core.store)
        core.directory.register("discord", self.directory)
        # Deferred interactions go through the durable inbox (``resume``).
        self.raw = resume.RawPayloads()
        self.worker = f"discord-{new_id(8)}"
        self.lease = timedelta(seconds=settings.inbox_lease)
        # Interactions taken over and handed to discord.py again, until our handler
        # picks them up (by when it must have, else nothing will: given up).
        self._resumed: dict[int, tuple[Entry, datetime]] = {}
        self._answering: set[asyncio.Task[Any]] = set()  # interactions being answered now
        core.keep(
            Kept(BUTTONS, shared=True, exported=False),  # long button values name people
            Kept(STATE, exported=False),
            Kept(THREADS, exported=False),
            Kept(forms.FORMS, exported=False),  # refused forms: their answers, by ``user``
        )
        self.client = RapportClient(self)
        for command in build_commands(core.families.values(), self):
            self.client.tree.add_command(command)
        self.client.tree.add_command(self._setup_group())
        self.client.tree.on_error = self._on_tree_error  # type: ignore[method-assign]
        self.deliverer = DiscordDeliverer(
            self.client,
            self.store,
            self.directory,
            intros_channel=intros_channel_from(self.store, settings.intros_channel),
        )
        # Called after each input, e.g. to run the outbox at once rather than at the next tick.
        self.after_input: Callable[[], None] | None = None

    # -- the command tree ------------------------------------------------------------

    def tree_hash(self) -> str:
        tree = self.client.tree
        payload = [c.to_dict(tree) for c in tree.get_commands()]
        blob = json.dumps(payload, sort_keys=True, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()

    async def sync_commands(self) -> bool:
        """Upload the command tree if its definition changed since the last upload."""
        guild = discord.Object(int(self.settings.guild)) if self.settings.guild else None
        scope = f"commands:{self.client.application_id}:{self.settings.guild or 'global'}"
        digest = self.tree_hash()
        known = self.store.get(STATE, scope)
        if known is not None and known.get("hash") == digest:
            log.info("discord: command tree unchanged, not syncing")
            return False
        if guild is not None:
            self.client.tree.copy_global_to(guild=guild)
        await self.client.tree.sync(guild=guild)
        try:
            self.store.insert(STATE, {"id": scope, "hash": digest})
        except Conflict:  # synced before (or by another process just now)
            self.store.update(STATE, scope, {"hash": digest})
        log.info("discord: command tree synced (%s)", scope)
        return True

    # -- slash commands -------------------------------------------------------------

    async def on_command(
        self,
        interaction: discord.Interaction[Any],
        family: Family,
        variant: Variant,
        values: dict[str, Any],
    ) -> None:
        if interaction.guild_id is None:
            await self._say(interaction, t.NOT_IN_SERVER)
            return
        empty = translate.skipped(variant, values)
        if empty:  # the core would read a later option in their place
            self.raw.pop(interaction.id)
            await self._say(interaction, _option_needed(empty))
            return
        clash = translate.both(variant, values)
        if clash:  # the core would read one and drop the other
            self.raw.pop(interaction.id)
            names = [f"`{p.name}`" for p in clash]
            await self._say(interaction, t.OPTION_ONE_OF.format(first=names[0], second=names[1]))
            return
        community = translate.community_of(interaction.guild_id)
        self.directory.learn(community, translate.resolved_users(interaction, values))
        inv = translate.invocation(interaction, family.name, variant, values)
        await self._answer(
            interaction, community, lambda: self.core.handle_command(inv), component=False
        )

    async def complete(
        self, interaction: discord.Interaction[Any], family: Family, param: Param, current: str
    ) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None and param.kind != "zone":
            return []
        community = translate.community_of(interaction.guild_id or 0)
        pairs = await asyncio.to_thread(
            self.core.suggest, community, str(interaction.user.id), param, current
        )
        return [app_commands.Choice(name=label, value=value) for label, value in pairs]

    # -- buttons ------------------------------------------------------------------------

    async def on_button(self, interaction: discord.Interaction[Any], target: Target | None) -> None:
        if target is None:
            await self._say(interaction, t.BUTTON_GONE)
            return
        self.directory.learn(target.community, [translate.user_arg(interaction.user)])
        press = translate.press(interaction, target)
        await self._answer(
            interaction, target.community, lambda: self.core.handle_button(press), component=True
        )

    # -- forms ------------------------------------------------------------------------

    async def on_form(
        self, interaction: discord.Interaction[Any], match: re.Match[str], data: dict[str, Any]
    ) -> None:
        community = translate.community_of(match["guild"])
        values = forms.submitted_values(data)
        picked = [u for v in values.values() if isinstance(v, tuple) for u in v]
        self.directory.learn(community, [translate.user_arg(interaction.user), *picked])
        submission = FormSubmission(
            community=community,
            user=str(interaction.user.id),
            key=match["key"],
            values=values,
            request_id=str(interaction.id),
            is_admin=translate.is_admin(interaction)
            and str(interaction.guild_id) == community.workspace,
        )
        await self._answer(
            interaction,
            community,
            lambda: self.core.handle_form(submission),
            component=False,
            submission=True,
        )

    async def reopen_form(self, interaction: discord.Interaction[Any], ref: str) -> None:
        """**Fix it** under a refused submission: the form again, filled in."""
        found = forms.kept(self.store, ref)
        cid = forms.form_id(found[0], found[1]) if found else None
        if found is None or cid is None or found[2] is None:
            await self._say(interaction, t.FORM_GONE)
            return
        if found[2] != str(interaction.user.id):  # its answers are theirs to see
            await self._say(interaction, t.FORM_NOT_YOURS)
            return
        if interaction.id in self._resumed:  # after a restart: too late for a modal
            await self._say(interaction, t.FORM_TOO_LATE)
            return
        await interaction.response.send_modal(forms.modal(found[1], cid))

    async def _show_form(
        self,
        interaction: discord.Interaction[Any],
        community: Community,
        form: Form,
        *,
        submission: bool,
    ) -> None:
        """A modal if it can still be the interaction's first answer; after a submission
        (Discord allows no modal in answer to a modal) what to fix, with **Fix it**."""
        cid = forms.form_id(community, form)
        if cid is None:
            log.error("form key too long for a Discord custom_id: %s", form.key)
            await self._say(interaction, t.OOPS)
        elif submission:
            view = discord.ui.View(timeout=None)
            kept = forms.keep(self.store, community, form, str(interaction.user.id))
            view.add_item(forms.FormAgain.make(kept))
            view.stop()  # understood from its custom_id alone, like our other buttons
            text = forms.errors_text(form) if form.errors else form.title
            if interaction.response.is_done():
                await interaction.followup.send(text, view=view, ephemeral=True)
            else:
                await interaction.response.send_message(text, view=view, ephemeral=True)
        elif interaction.response.is_done():
            await self._say(interaction, t.FORM_TOO_LATE)
        else:
            await interaction.response.send_modal(forms.modal(form, cid))

    # -- answering ------------------------------------------------------------------

    async def _answer(
        self,
        interaction: discord.Interaction[Any],
        community: Community,
        work: Callable[[], list[Output]],
        *,
        component: bool,
        submission: bool = False,
    ) -> None:
        me = asyncio.current_task()
        if me is not None:
            self._answering.add(me)
            me.add_done_callback(self._answering.discard)
        entry = self._begin(interaction)
        raw = self.raw.pop(interaction.id)
        task = asyncio.ensure_future(asyncio.to_thread(work))
        if entry is None:
            done, _ = await asyncio.wait({task}, timeout=self.settings.defer_after)
            if not done:  # recorded before the defer tells the member it is on its way
                entry = await self._record(community, raw, component=component)
                try:
                    if component:
                        await interaction.response.defer()  # the message stays as it is
                    else:
                        await interaction.response.defer(ephemeral=True, thinking=True)
                except discord.HTTPException:
                    log.warning("could not defer interaction %s", interaction.id, exc_info=True)
        try:
            outputs = await task
        except Exception:
            log.exception("the core raised while answering interaction %s", interaction.id)
            outputs = [Reply(Message(plain(t.OOPS)))]
        how = "reply"
        try:
            # What the core stored and queued stands even if Discord refuses the answer
            # (an interaction token expires, say): only the immediate reply is lost.
            if entry is not None and not entry.can_reply(self.core.clock.now()):
                how = "dm"
                await asyncio.to_thread(self._answer_late, entry, str(interaction.user.id), outputs)
            else:
                await self._respond(
                    interaction, community, outputs, component=component, submission=submission
                )
        except discord.HTTPException:
            log.warning("could not answer interaction %s", interaction.id, exc_info=True)
        finally:
            await self._finish(entry, how)
            if self.after_input is not None:
                self.after_input()

    async def settle(self, timeout: float) -> None:
        """Let the interactions being answered finish (a clean stop): an answer given but
        not yet marked done would otherwise be given again by the next process."""
        busy = {t for t in self._answering if t is not asyncio.current_task()}
        if busy:
            await asyncio.wait(busy, timeout=timeout)

    # -- the durable inbox of deferred interactions (see ``resume``) -------------------

    def _begin(self, interaction: discord.Interaction[Any]) -> Entry | None:
        """The inbox entry of an interaction taken over after a crash (once), marked as
        deferred already; None for a live one."""
        found = self._resumed.pop(interaction.id, None)
        entry = found[0] if found is not None else None
        if entry is not None and not interaction.response.is_done():
            resume.mark_deferred(interaction, entry)
        return entry

    async def _record(
        self, community: Community, raw: dict[str, Any] | None, *, component: bool
    ) -> Entry | None:
        if raw is None:  # not seen arriving (nothing to go through discord.py again)
            return None
        try:
            return await asyncio.to_thread(
                resume.record,
                self.store,
                community,
                raw,
                component=component,
                now=self.core.clock.now(),
                worker=self.worker,
                lease=self.lease,
            )
        except Exception as exc:  # the core is saving its work meanwhile, or failing too
            log.warning("could not record interaction %s: %r", raw.get("id"), exc)
            return None

    async def _finish(self, entry: Entry | None, how: str) -> None:
        if entry is None:
            return
        try:
            await asyncio.to_thread(
                inbox.done, self.store, entry.id, how, now=self.core.clock.now(), worker=self.worker
            )
        except Exception as exc:  # the lease runs out and the input is answered again
            log.warning("could not record interaction %s as answered: %r", entry.key, exc)

    def _answer_late(self, entry: Entry, user: str, outputs: list[Output]) -> None:
        """The interaction's token has expired: the answer goes by DM, through the outbox
        (keyed by the entry, so a second try queues nothing new), saying what it answers."""
        said = resume.command_name(entry)
        heading = (
            fmt(core_text.LATE_ANSWER, command=said)
            if entry.kind == "command"
            else fmt(core_text.LATE_PRESS)
        )
        messages = [Message(heading)]
        messages += [o.message for o in outputs if isinstance(o, (Reply, MessageUpdate))]
        inbox.answer_by_dm(self.store, entry, user, messages, now=self.core.clock.now())

    def take_over(self) -> list[Entry]:
        """Claim deferred interactions a stopped process left unanswered (worker thread).

        One that discord.py dropped when handed over again (its command or button is
        gone), or that was taken over too often without being answered, is given up
        with a line in the log."""
        now = self.core.clock.now()
        for interaction_id, (entry, by) in list(self._resumed.items()):
            if by < now and self._resumed.pop(interaction_id, None) is not None:
                log.error("gave up interaction %s: nothing handled it again", entry.key)
                inbox.drop(self.store, entry.id, worker=self.worker)
        taken = inbox.claim_stale(
            self.store, resume.PLATFORM, now=now, worker=self.worker, limit=20, lease=self.lease
        )
        kept = []
        for entry in taken:
            if entry.attempts > resume.MAX_RESUMES:
                log.error("gave up answering interaction %s after a restart", entry.key)
                inbox.drop(self.store, entry.id, worker=self.worker)
            else:
                kept.append(entry)
        return kept

    def resume(self, entry: Entry) -> None:
        """Run a taken-over interaction through discord.py again (on the event loop)."""
        raw = entry.payload["raw"]
        self._resumed[int(raw["id"])] = (entry, self.core.clock.now() + self.lease)
        log.info("answering interaction %s left by a stopped process", raw["id"])
        try:
            self.client._connection.parse_interaction_create(raw)
        except Exception:
            self._resumed.pop(int(raw["id"]), None)
            log.exception("could not take over interaction %s", raw["id"])

    async def _respond(
        self,
        interaction: discord.Interaction[Any],
        community: Community,
        outputs: list[Output],
        *,
        component: bool,
        submission: bool = False,
    ) -> None:
        form = next((o for o in outputs if isinstance(o, Form)), None)
        if form is not None:  # a form is the whole answer (a modal can't share it)
            await self._show_form(interaction, community, form, submission=submission)
            return
        # A home view is shown as a few private messages (Discord has no home tab).
        outputs = [
            r for o in outputs for r in (home_replies(o) if isinstance(o, HomeView) else [o])
        ]
        outputs = [r for o in outputs for r in (long_replies(o) if isinstance(o, Reply) else [o])]
        updates = [o for o in outputs if isinstance(o, MessageUpdate)] if component else []
        replies: list[Reply] = [
            o if isinstance(o, Reply) else Reply(o.message)
            for o in outputs
            if isinstance(o, Reply) or (isinstance(o, MessageUpdate) and not component)
        ]
        if not updates and not replies:
            if component:
                if not interaction.response.is_done():
                    await interaction.response.defer()
                return
            replies = [Reply(Message(plain(t.DONE)))]
        if updates:
            rendered = render_message(updates[-1].message, community, self.store)
            if interaction.response.is_done():
                await interaction.edit_original_response(**rendered.edit_kwargs())
            else:
                await interaction.response.edit_message(**rendered.edit_kwargs())
        thinking = (
            interaction.response.type == discord.InteractionResponseType.deferred_channel_message
        )
        for i, reply in enumerate(replies):
            rendered = render_message(reply.message, community, self.store)
            if thinking and i == 0:
                # Replaces "thinking…": given twice (after a crash), it still shows once.
                await interaction.edit_original_response(**rendered.edit_kwargs())
            elif interaction.response.is_done():
                await interaction.followup.send(ephemeral=reply.ephemeral, **rendered.send_kwargs())
            else:
                await interaction.response.send_message(
                    ephemeral=reply.ephemeral, **rendered.send_kwargs()
                )

    async def _say(self, interaction: discord.Interaction[Any], words: str) -> None:
        """A short ephemeral answer of the adapter's own."""
        entry = self._begin(interaction)
        try:
            if (
                interaction.response.type
                == discord.InteractionResponseType.deferred_channel_message
            ):
                await interaction.edit_original_response(content=words)
            elif interaction.response.is_done():
                await interaction.followup.send(words, ephemeral=True)
            else:
                await interaction.response.send_message(words, ephemeral=True)
        finally:
            await self._finish(entry, "reply")

    async def _on_tree_error(
        self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError
    ) -> None:
        log.error("discord command failed: %s", error, exc_info=error)
        try:
            await self._say(interaction, t.OOPS)
        except discord.HTTPException:
            pass

    # -- /setup: the adapter's own admin command -------------------------------------------

    def _setup_group(self) -> app_commands.Group:
        group = app_commands.Group(
            name="setup",
            description=t.SETUP_DESCRIPTION,
            guild_only=True,
            default_permissions=discord.Permissions(manage_guild=True),
        )

        @group.command(name="intros", description=t.SETUP_INTROS_DESCRIPTION)
        @app_commands.describe(channel=t.SETUP_CHANNEL_OPTION)
        async def intros(
            interaction: discord.Interaction[Any], channel: app_commands.AppCommandChannel
        ) -> None:
            await self.setup_intros(interaction, str(channel.id))

        return group

    async def setup_intros(self, interaction: discord.Interaction[Any], channel: str) -> None:
        if interaction.guild_id is None:
            await self._say(interaction, t.NOT_IN_SERVER)
            return
        community = translate.community_of(interaction.guild_id)
        ctx = self.core.context(
            community, str(interaction.user.id), is_admin=translate.is_admin(interaction)
        )
        if not ctx.is_admin:
            await self._say(interaction, t.SETUP_ADMIN_ONLY)
            return
        ctx.set_setting(INTROS_SETTING, channel)
        body = fmt(t.SETUP_INTROS_SAVED, channel=ChannelLink(channel))
        rendered = render_message(Message(body), community, self.store)
        await interaction.response.send_message(ephemeral=True, **rendered.send_kwargs())
