"""The platform-neutral core: commands and button presses in, neutral outputs out.

Each input runs in one atomic store block: the handler's records and the outbox
items for everything it wants sent are kept together or not at all. Replies come
back to the adapter at once; DMs, group conversations and posts go through the
outbox, so a crash or a platform error never loses them.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from bot import items, metrics, text
from bot.args import Args
from bot.clock import Clock, iso
from bot.config import Config
from bot.context import COMMUNITIES, Context
from bot.directory import Directories, Directory
from bot.errors import FieldErrors, UserError
from bot.io import (
    ButtonPress,
    Cancel,
    ChannelPost,
    CommandInvocation,
    Community,
    DirectMessage,
    Form,
    FormSubmission,
    GroupMessage,
    HomeOpened,
    HomeView,
    Later,
    MessageUpdate,
    Output,
    Queued,
    Reply,
    UserArg,
    delivery_from_data,
)
from bot.markup import Mention, fmt, join
from bot.messages import Message
from bot.outbox import cancel, delivery_doc, enqueue_delivery, event_doc
from bot.registry import (
    ButtonHandler,
    DueHandler,
    Family,
    FormBuilder,
    FormHandler,
    Kept,
    Param,
    discover,
)
from store import Conflict, Store, StoreUnavailable
from store.base import OUTBOX, new_id

log = logging.getLogger(__name__)

REQUESTS = "requests"  # platform request ids already answered (retries, double clicks)
REQUEST_MEMORY = timedelta(days=1)
HOUR = timedelta(hours=1)  # failure notes about the same thing: one an hour


class Rapport:
    """One bot: a store, a clock, the command families, and a directory of members."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        config: Config | None = None,
        directory: Directory | None = None,
        families: dict[str, Family] | None = None,
    ) -> None:
        self.store = store
        self.clock = clock
        self.config = config or Config()
        self.directory = Directories(directory)
        self.families = families if families is not None else discover()
        self.buttons: dict[str, ButtonHandler] = {}
        self.events: dict[str, DueHandler] = {}
        self.forms: dict[str, tuple[FormBuilder, FormHandler]] = {}
        for family in self.families.values():
            self.buttons.update(family.buttons)
            self.events.update(family.events)
            self.forms.update(family.forms)
        # What is kept where, for export and erasure: the families', the core's own and
        # (registered by them) the adapters' tables.
        self.kept: dict[str, Kept] = {
            REQUESTS: Kept(REQUESTS, exported=False),
            COMMUNITIES: Kept(COMMUNITIES, exported=False),
        }
        for family in self.families.values():
            self.kept.update((rule.table, rule) for rule in family.kept)
        # The families' hold policies (quiet hours, caps); see ``hold_until``.
        self.hold_policies: list[
            Callable[[Rapport, dict[str, Any], datetime], datetime | None]
        ] = []
        for family in self.families.values():
            for make in family.policies:
                policy = make(self)
                self.hold_policies.append(policy)
                wrap = getattr(policy, "wrap_event", None)
                if wrap is not None:
                    self.events = {name: wrap(name, fn) for name, fn in self.events.items()}
        self.sent_listeners: list[Callable[[Rapport, dict[str, Any]], None]] = []

    # -- contexts --------------------------------------------------------------

    def context(
        self,
        community: Community,
        user: str,
        *,
        is_admin: bool = False,
        channel: str | None = None,
        request_id: str | None = None,
    ) -> Context:
        admin = (
            is_admin
            or user in self.config.admins
            or f"{community.platform}:{user}" in self.config.admins
        )
        return Context(
            store=self.store,
            clock=self.clock,
            config=self.config,
            directory=self.directory,
            community=community,
            user=user,
            is_admin=admin,
            channel=channel,
            request_id=request_id,
            families=self.families,
            kept=self.kept,
        )

    # -- inputs ----------------------------------------------------------------

    def handle_command(self, inv: CommandInvocation) -> list[Output]:
        """Run a slash command; returns what to show the user now (replies)."""
        ctx = self.context(
            inv.community,
            inv.user,
            is_admin=inv.is_admin,
            channel=inv.channel,
            request_id=inv.request_id,
        )
        name = inv.command.lstrip("/").lower()
        family = self.families.get(name)
        if family is None:
            return [_reply(fmt(text.UNKNOWN_COMMAND, command=name))]
        args = Args(inv.parts, named=self._named(inv.community))
        word = args.peek_word()
        sub = family.find_sub(word)
        near = None  # the subcommand a mistyped word likely meant
        if sub is not None:
            args.take()
        else:
            sub, near = family.default_sub(), family.near_sub(word)
        if sub is None:
            if near is not None:
                intro = fmt(text.DID_YOU_MEAN_SUB, command=name, word=word, sub=near.name)
            elif word:
                intro = fmt(text.UNKNOWN_SUB, command=name, word=word)
            else:
                intro = fmt(text.FAMILY_USAGE, command=name)
            return [_reply(self.usage(family, intro))]
        args.example = sub.example

        def run() -> list[Output]:
            if sub.admin:
                ctx.require_admin()
            try:
                return sub.func(ctx, args)
            except UserError:
                if near is None:
                    raise
                # The words didn't work as the default (``/intro lsit``): the likelier
                # meaning is a mistyped subcommand.
                said = fmt(text.DID_YOU_MEAN_SUB, command=name, word=word, sub=near.name)
                raise UserError(said, near.example) from None

        return self._run(ctx, run, kind="command", family=name)

    def handle_button(self, press: ButtonPress) -> list[Output]:
        """Run a button press; the handler checks who may press it."""
        ctx = self.context(
            press.community,
            press.user,
            is_admin=press.is_admin,
            channel=press.channel,
            request_id=press.request_id,
        )
        handler = self.buttons.get(press.action)
        if handler is None:
            return [_reply(fmt(text.BUTTON_GONE))]
        family = press.action.split(".", 1)[0]
        return self._run(ctx, lambda: handler(ctx, press.value), kind="press", family=family)

    def handle_form(self, sub: FormSubmission) -> list[Output]:
        """Run a submitted form. The key is all that links it to the form that was shown,
        so the form is built again (its builder refuses whoever may not act on what the
        key names, like a button's handler) and the values are checked against it before
        the family's handler sees them. A refused submission answers with the form again,
        filled in and marked (``Form.errors``)."""
        ctx = self.context(
            sub.community, sub.user, is_admin=sub.is_admin, request_id=sub.request_id
        )
        name, _, arg = sub.key.partition(":")
        found = self.forms.get(name)
        if found is None:
            return [_reply(fmt(text.FORM_GONE))]
        build, handler = found

        def run() -> list[Output]:
            form = build(ctx, arg)
            values = {f.name: sub.values[f.name] for f in form.fields if f.name in sub.values}
            try:
                problems = _field_problems(form, values)
                if problems:
                    raise FieldErrors(problems)
                return handler(ctx, arg, values)
            except FieldErrors as err:
                err.form = refilled(form, values, err.errors)
                raise

        return self._run(ctx, run, kind="form", family=name.split(".", 1)[0])

    def handle_home(self, opened: HomeOpened) -> HomeView | None:
        """A member opened their home: the view as it stands now (None if no family has one)."""
        builder = next((f.home for f in self.families.values() if f.home), None)
        if builder is None:
            return None
        ctx = self.context(opened.community, opened.user)
        shown = self._run(ctx, lambda: [builder(ctx)], kind="home", family="home")
        return next((o for o in shown if isinstance(o, HomeView)), None)

    def keep(self, *rules: Kept) -> None:
        """An adapter declares the tables it keeps (buttons, caches) for export and erasure."""
        self.kept.update((rule.table, rule) for rule in rules)

    def _named(self, community: Community) -> Callable[[str], UserArg | None] | None:
        """Members named without @, where the directory can tell who (the console)."""

        def find(word: str) -> UserArg | None:
            member = self.directory.named(community, word)
            return UserArg(member.id, member.name, member.is_bot) if member else None

        return find

    def run_event(self, item: dict[str, Any]) -> None:
        """Run a scheduled event's handler; its outputs are queued in the same atomic block."""
        community = Community.from_key(item["community"])
        ctx = self.context(community, item.get("user") or "")
        handler = self.events.get(item["event"])
        try:
            with self.store.atomic():
                outputs = handler(ctx, dict(item.get("data") or {})) if handler else []
                self._persist(
                    ctx, [*ctx.emitted, *outputs], parent=item["key"], released=item.get("released")
                )
                self.store.update(OUTBOX, item["id"], {"state": "done", "done_at": iso(ctx.now())})
            self._committed(ctx)
        except Exception as exc:
            log.exception("event %s (%s) failed", item["event"], item["id"])
            self.store.update(
                OUTBOX,
                item["id"],
                {"state": "failed", "last_error": f"{type(exc).__name__}: {exc}"},
            )

    def suggest(
        self, community: Community, user: str, param: Param, typed: str
    ) -> list[tuple[str, str]]:
        """Suggestions for a parameter as the member types it: (label, value) pairs."""
        if param.kind == "zone":
            return items.zones(typed)
        if param.kind != "item" or param.items is None:
            return []
        try:
            return param.items(self.context(community, user), typed)
        except Exception:  # typing must never break because a suggestion failed
            log.exception("suggestions for %s failed", param.name)
            return []

    # -- the outbox's questions ----------------------------------------------

    def hold_until(self, item: dict[str, Any], now: datetime) -> datetime | None:
        """When an item must wait (quiet hours, caps…): the moment to try again, else None."""
        for policy in self.hold_policies:
            later = policy(self, item, now)
            if later is not None:
                return later
        return None

    def after_sent(self, item: dict[str, Any]) -> None:
        for listener in self.sent_listeners:
            listener(self, item)

    def after_failed(self, item: dict[str, Any], reason: str) -> None:
        """Tell whoever caused a message that it could not be delivered (never the recipient).

        A message sent with ``on_failed`` lets its family react first (runs inside the
        outbox's atomic block that marks the item failed); if the family had something
        to say, the generic note is left out.
        """
        if item.get("on_failed") and self._failed_hook(item, reason):
            return
        origin = item.get("origin")
        if not origin or item.get("kind") != "deliver" or item.get("nudge"):
            return
        out = delivery_from_data(item["out"])
        if isinstance(out, DirectMessage) and out.user == origin:
            return
        who: Any = Mention(out.user) if isinstance(out, DirectMessage) else "everyone"
        template = text.DELIVERY_FAILED.get(reason.split(":")[0], text.DELIVERY_FAILED_OTHER)
        note = fmt(template, who=who, reason=reason)
        community = Community.from_key(item["community"])
        # One note per person, recipient and reason an hour: two messages that failed
        # for the same reason need one word, not two identical ones.
        recipient = out.user if isinstance(out, DirectMessage) else "everyone"
        now = self.clock.now()
        stem = f"failed-note:{origin}:{recipient}:{reason}"
        before = self.store.find_one(
            OUTBOX, {"key": f"{community.key}|{stem}:{(now - HOUR):%Y%m%d%H}"}
        )
        if before is not None and before.get("created", "") > iso(now - HOUR):
            return
        enqueue_delivery(
            self.store,
            community,
            DirectMessage(origin, Message(note)),
            due=now,
            key=f"{stem}:{now:%Y%m%d%H}",
        )

    def _failed_hook(self, item: dict[str, Any], reason: str) -> bool:
        """Run a failed delivery's ``on_failed`` due-handler; True if it said anything."""
        hook = item["on_failed"]
        handler = self.events.get(str(hook.get("event")))
        if handler is None:
            return False
        ctx = self.context(Community.from_key(item["community"]), item.get("origin") or "")
        data = {**(hook.get("data") or {}), "reason": reason}
        try:
            with self.store.atomic():  # nested: a failing handler undoes only its own writes
                outputs = handler(ctx, data)
                self._persist(ctx, [*ctx.emitted, *outputs], parent=f"failed:{item['id']}")
        except Exception:
            log.exception("on_failed %s for %s failed", hook.get("event"), item["id"])
            return False
        return bool(outputs)

    # -- help ------------------------------------------------------------------

    def usage(self, family: Family, intro: Any = None) -> Any:
        lines: list[Any] = [intro] if intro else []
        for sub in family.subs:
            lines.append(fmt("`{usage}` — {summary}", usage=sub.usage, summary=sub.summary))
        return join(*lines)

    # -- running a handler -----------------------------------------------------

    def _run(
        self, ctx: Context, handler: Callable[[], list[Output]], *, kind: str, family: str
    ) -> list[Output]:
        outcome = "error"
        try:
            outputs, outcome = self._run_once(ctx, handler)
            return outputs
        except StoreUnavailable as err:  # disk full, database down: nothing was kept
            log.warning("could not save a request from %s: %s", ctx.user, err)
            outcome = "unavailable"
            return [_reply(fmt(text.NOT_SAVED))]
        finally:
            metrics.input_done(ctx.community.platform, kind, family, outcome)

    def _run_once(
        self, ctx: Context, handler: Callable[[], list[Output]]
    ) -> tuple[list[Output], str]:
        seen_key = f"{ctx.community.key}|{ctx.request_id}" if ctx.request_id else None
        try:
            with metrics.store_timer("input"), self.store.atomic():
                ctx.warm()
                outputs = handler()
                immediate = self._persist(ctx, [*ctx.emitted, *outputs])
                if seen_key:
                    # The request id and its replies, kept in the same atomic group as
                    # the handler's writes. A repeat (a retry, a re-run after a crash, a
                    # copy racing in from another process) conflicts here: its own
                    # writes are undone and it answers with the stored replies. One
                    # write, and no read before: the usual request costs no round trip
                    # more than its handler's.
                    replies = [_reply_to_data(o) for o in immediate]
                    self.store.insert(
                        REQUESTS,
                        {
                            "key": seen_key,
                            # Whose, so it is erased with them (privacy); an erase's own
                            # record names nobody.
                            "user": None if ctx.erased else ctx.user,
                            "at": iso(ctx.now()),
                            "replies": replies,
                        },
                    )
            self._committed(ctx)
            return immediate, "ok"
        except FieldErrors as err:
            return ([err.form] if err.form else [_reply(fmt(text.FORM_GONE))]), "refused"
        except StoreUnavailable:
            raise
        except Conflict as err:
            if err.table == REQUESTS:  # the same request again: answer as the first time
                return [_reply_from_data(r) for r in err.existing["replies"]], "repeat"
            return self._answered(seen_key) or (self._oops(ctx), "error")
        except UserError as err:
            # A repeat may be refused now for what the first run did ("already asked"):
            # it still answers as the first time.
            refused = text.error_reply(err.message, _not_me(ctx, err.example))
            return self._answered(seen_key) or ([_reply(refused)], "refused")
        except Exception:
            return self._answered(seen_key) or (self._oops(ctx), "error")

    def _answered(self, seen_key: str | None) -> tuple[list[Output], str] | None:
        """The stored replies when this request was answered before (a repeat), else None."""
        if not seen_key:
            return None
        try:
            seen = self.store.find_one(REQUESTS, {"key": seen_key})
        except Exception:
            return None
        if seen is None:
            return None
        return [_reply_from_data(r) for r in seen.get("replies") or ()], "repeat"

    def _committed(self, ctx: Context) -> None:
        """What a handler asked to run once its writes are committed (``ctx.after_commit``)."""
        actions, ctx.committed = ctx.committed, []
        for action in actions:
            try:
                action()
            except Exception:  # the input is done and answered; this is housekeeping
                log.exception("after-commit action failed in %s", ctx.community.key)

    def _oops(self, ctx: Context) -> list[Output]:
        error_id = new_id(8)
        log.exception(
            "error %s handling a request from %s in %s",
            error_id,
            ctx.user,
            ctx.community.key,
            extra={"error_id": error_id, "platform": ctx.community.platform},
        )
        return [_reply(fmt(text.OOPS, error_id=error_id))]

    def _persist(
        self,
        ctx: Context,
        outputs: list[Output],
        parent: str | None = None,
        released: str | None = None,
    ) -> list[Output]:
        """Queue deliveries and scheduled events; return what is shown at once.

        ``released``: the outputs come from a nudge event the nudge policy let through;
        the DM to that nudge's person stays a (counted) nudge, so a retry the platform
        asks for still waits out quiet hours.
        """
        immediate: list[Output] = []
        now = ctx.now()
        prefix = parent or ctx.request_id or new_id(10)
        # New outbox records go in together (on SQL a page of rows per round trip: a
        # fan-out to thousands of members is not thousands of round trips); a cancel in
        # between first lets those before it in, so cancel-then-reschedule keeps order.
        waiting: list[dict[str, Any]] = []
        for i, out in enumerate(outputs):
            if isinstance(out, (Reply, MessageUpdate, HomeView, Form)):
                immediate.append(out)
            elif isinstance(out, Cancel):
                self._enqueue(waiting)
                cancel(self.store, ctx.community, out.key)
            elif isinstance(out, Queued):
                waiting.append(
                    delivery_doc(
                        ctx.community,
                        out.delivery,
                        due=out.due,
                        key=out.key,
                        origin=None if out.anonymous else ctx.user or None,
                        nudge=out.nudge,
                        about=out.about,
                        released=out.released,
                    )
                )
            elif isinstance(out, Later):
                waiting.append(event_doc(ctx.community, out, origin=ctx.user or None))
            elif isinstance(out, (DirectMessage, GroupMessage, ChannelPost)):
                # Outputs of one batch are due a microsecond apart (ending now), so they
                # are delivered in the order the handler gave them.
                hook = out.on_failed
                waiting.append(
                    delivery_doc(
                        ctx.community,
                        out,
                        due=now - timedelta(microseconds=len(outputs) - i),
                        key=f"{prefix}:{i}",
                        origin=ctx.user or None,
                        on_failed={"event": hook.event, "data": hook.data} if hook else None,
                        **(
                            {"nudge": True, "released": released}
                            if released and isinstance(out, DirectMessage) and out.user == ctx.user
                            else {}
                        ),
                    )
                )
        self._enqueue(waiting)
        return immediate

    def _enqueue(self, docs: list[dict[str, Any]]) -> None:
        """Add outbox records (a key already taken is kept as it was) and empty ``docs``."""
        if docs:
            self.store.insert_new(OUTBOX, docs)
        docs.clear()

    def housekeep(self) -> int:
        """Forget old request ids and run every family's clean-up; how many records went."""
        gone = self.forget_old_requests()
        for family in self.families.values():
            for clean in family.housekeepers:
                try:
                    gone += clean(self.store, self.clock.now())
                except Exception:
                    log.exception("housekeeping of %s failed", family.name)
        return gone

    def forget_old_requests(self) -> int:
        """Drop request ids older than a day (Slack retries within minutes)."""
        cutoff = iso(self.clock.now() - REQUEST_MEMORY)
        old = [r["id"] for r in self.store.find(REQUESTS) if r.get("at", "") < cutoff]
        with self.store.atomic():
            for id in old:
                self.store.delete(REQUESTS, id)
        return len(old)


def _not_me(ctx: Context, example: str | None) -> str | None:
    """An example never shows the person the very act they were refused (``@alice`` to alice)."""
    if not example:
        return example
    mine = {ctx.user.casefold(), ctx.name(ctx.user).casefold()}
    other = next(n for n in text.EXAMPLE_NAMES if n not in mine)
    return re.sub(
        r"@([\w.-]+)",
        lambda m: f"@{other}" if m.group(1).casefold() in mine else m.group(0),
        example,
    )


def _reply(body: Any) -> Reply:
    return Reply(Message(body))


def _field_problems(form: Form, values: dict[str, Any]) -> dict[str, str]:
    """What every form needs, whoever sent it: required fields given, texts within their
    limits, a choice among the choices (a forged submission is refused like a typo)."""
    problems: dict[str, str] = {}
    for f in form.fields:
        value = values.get(f.name)
        if f.kind == "member" and isinstance(value, tuple):  # a picker that gives a list
            if len(value) > 1:
                problems[f.name] = text.FIELD_ONE_MEMBER
                continue
            value = values[f.name] = value[0] if value else None
        if value in (None, "", ()):
            if f.required:
                problems[f.name] = text.FIELD_REQUIRED
            values.pop(f.name, None)
        elif f.kind in ("text", "long") and f.limit and len(str(value)) > f.limit:
            problems[f.name] = text.FIELD_TOO_LONG.format(n=f.limit)
        elif f.kind == "choice" and value not in {v for _, v in f.choices}:
            problems[f.name] = text.FIELD_NOT_A_CHOICE
    return problems


def refilled(form: Form, values: dict[str, Any], errors: dict[str, str]) -> Form:
    """The form again, with what the member entered as defaults and the errors marked."""
    fields = tuple(
        replace(f, default=values[f.name]) if f.name in values else f for f in form.fields
    )
    known = {f.name for f in fields}
    first = fields[0].name if fields else ""
    marked = {(k if k in known else first): v for k, v in errors.items()}
    return replace(form, fields=fields, errors=marked)


def _reply_to_data(out: Output) -> dict[str, Any]:
    if isinstance(out, HomeView):
        return {"type": "home", "view": out.to_data()}
    if isinstance(out, Form):
        return {"type": "form", "form": out.to_data()}
    assert isinstance(out, (Reply, MessageUpdate))
    return {
        "type": "update" if isinstance(out, MessageUpdate) else "reply",
        "message": out.message.to_data(),
        "ephemeral": getattr(out, "ephemeral", True),
    }


def _reply_from_data(data: dict[str, Any]) -> Output:
    if data["type"] == "home":
        return HomeView.from_data(data["view"])
    if data["type"] == "form":
        return Form.from_data(data["form"])
    message = Message.from_data(data["message"])
    if data["type"] == "update":
        return MessageUpdate(message)
    return Reply(message, data.get("ephemeral", True))
