"""The work done after the ack: translate, run the core, answer on Slack.

``process`` runs a recorded input (``bot.inbox``) on a worker thread, never on the
request Slack waits on. A command's answer goes back through its ``response_url``
(ephemeral, works in any channel or DM) while that is valid, *replacing* the "One
moment…" its ack showed, so an answer given again after a crash still shows once. A
``MessageUpdate`` replaces the message whose button was pressed. An input answered
later than its ``response_url`` lives (taken over after a crash), or a press without
one (App Home), is answered by DM through the outbox, keyed by the input. DMs, group
conversations and posts were queued in the outbox by the core; ``kick`` asks the
outbox to deliver them now rather than at its next tick.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from slack_sdk import WebClient

from bot import inbox, metrics
from bot import text as core_text
from bot.adapters.slack import render, translate
from bot.adapters.slack import text as t
from bot.adapters.slack.client import webhook
from bot.adapters.slack.deliver import SlackSender
from bot.adapters.slack.directory import SlackDirectory
from bot.adapters.slack.home import home_message, home_view
from bot.core import Rapport
from bot.inbox import Entry
from bot.io import Community, Form, HomeView, MessageUpdate, Output, Reply, UserArg
from bot.markup import fmt
from bot.messages import Message
from store.base import new_id

log = logging.getLogger(__name__)

_Home = tuple[Community, str, bool]  # whose Home tab to refresh after, and whether to insist
HOME_MEMORY = 50_000  # members whose Home tab we keep fresh after what they do


class SlackHandlers:
    def __init__(
        self,
        core: Rapport,
        directory: SlackDirectory,
        sender: SlackSender,
        *,
        worker: str,
        kick: Callable[[], None] | None = None,
    ) -> None:
        self.core = core
        self.directory = directory
        self.sender = sender
        self.client: WebClient = sender.client
        self.worker = worker
        self.kick = kick
        # Members who opened their Home tab since this process started: their home is
        # republished after each command or press of theirs (others' tabs load fresh
        # on ``app_home_opened`` anyway), so views.publish is spent only where seen.
        self._home_seen: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    # -- inputs ------------------------------------------------------------------

    def process(self, entry: Entry) -> None:
        """Run a recorded command or button press and answer it, once.

        ``done`` is recorded the moment the answer is out, before anything else (the
        Home tab, the outbox), so the window in which a crash answers it again is only
        the answer's own round trip."""
        answered, home = "apology", None
        with self._apology(entry):
            answered, home = (
                self._command(entry) if entry.kind == "command" else self._action(entry)
            )
        try:
            if inbox.done(
                self.core.store, entry.id, answered, now=self.core.clock.now(), worker=self.worker
            ):
                waited = time.time() - entry.received.timestamp()
                metrics.ANSWER_SECONDS.labels(translate.PLATFORM).observe(max(0.0, waited))
        except Exception as exc:  # the lease runs out and the input is answered again
            log.warning("could not record input %s as answered: %r", entry.id, exc)
        if home is not None:
            self.refresh_home(*home[:2], force=home[2])
        self._kick()

    def _command(self, entry: Entry) -> tuple[str, _Home | None]:
        body = entry.payload
        community = translate.community_of(body)
        parts = translate.parse_text(str(body.get("text") or ""))
        user = str(body["user_id"])
        mentioned = [p.id for p in parts if isinstance(p, UserArg)]
        self.directory.warm(community.workspace, [user, *mentioned])
        parts = translate.with_members(parts, lambda u: self.directory.member(community, u))
        member = self.directory.member(community, user)
        inv = translate.command(body, parts, is_admin=bool(member and member.is_admin))
        outputs = self._open_forms(entry, self.core.handle_command(inv))
        url, late = self._reply_to(entry)
        asked = any(isinstance(o, HomeView) for o in outputs)
        if url:
            self._reply_in_place(url, outputs, user)
            return "reply", (community, user, asked)
        said = f"/{inv.command} {body.get('text') or ''}".strip()
        heading = fmt(core_text.LATE_ANSWER, command=said) if late else None
        self._answer_by_dm(entry, user, outputs, heading)
        return "dm", (community, user, asked)

    def _action(self, entry: Entry) -> tuple[str, _Home | None]:
        body = entry.payload
        community = translate.community_of(body)
        user = str((body.get("user") or {}).get("id"))
        self.directory.warm(community.workspace, [user])
        member = self.directory.member(community, user)
        press = translate.button(body, is_admin=bool(member and member.is_admin))
        if press is None:
            return "nothing", None
        outputs = self._open_forms(entry, self.core.handle_button(press))
        in_view = (press.message_ref or "").startswith("view:")
        url, late = (None, False) if in_view else self._reply_to(entry)
        if url:
            self._reply_to_press(url, outputs, user)
            return "reply", (community, user, in_view)
        self._answer_by_dm(entry, user, outputs, fmt(core_text.LATE_PRESS) if late else None)
        return "dm", (community, user, in_view)

    def _open_forms(self, entry: Entry, outputs: list[Output]) -> list[Output]:
        """Open the core's forms as modals first thing: the ``trigger_id`` of a click dies
        3 s after it, so nothing else (answers, the Home tab) may come before. A form that
        can't open any more (an input taken over after a restart, or Slack refusing it)
        becomes a reply asking to try again."""
        rest: list[Output] = []
        for out in outputs:
            if not isinstance(out, Form):
                rest.append(out)
                continue
            trigger = entry.payload.get("trigger_id")
            try:
                if not trigger or entry.attempts > 0:
                    raise TimeoutError("the trigger_id has expired")
                self.client.views_open(trigger_id=str(trigger), view=render.modal(out))
            except Exception as exc:
                log.warning("could not open a form (%s): %r", out.key, exc)
                rest.append(Reply(Message(fmt(t.FORM_NOT_OPENED))))
        return rest

    def submitted(self, body: dict[str, Any]) -> tuple[dict[str, Any] | None, list[Output]]:
        """Run a ``view_submission`` before its ack: what to ack with (None closes the
        modal; field errors keep it open, another form replaces it) and what to answer
        once the modal is closed."""
        community = translate.community_of(body)
        user = str((body.get("user") or {}).get("id"))
        self.directory.warm(community.workspace, [user, *translate.form_users(body)])
        member = self.directory.member(community, user)
        try:
            submission = translate.submission(
                body,
                is_admin=bool(member and member.is_admin),
                member=lambda u: self.directory.member(community, u),
            )
        except translate.UnreadableFields as unread:
            log.info("a Slack form came with values we can't read: %s", unread)
            errors = {
                name: t.FIELD_UNREADABLE.get(kind, t.FIELD_UNREADABLE_TEXT)
                for name, kind in unread.fields.items()
            }
            return {"response_action": "errors", "errors": errors}, []
        outputs = self.core.handle_form(submission)
        form = next((o for o in outputs if isinstance(o, Form)), None)
        if form is not None and form.errors:
            return render.field_errors(form), []
        if form is not None:
            rest = [o for o in outputs if o is not form]
            return {"response_action": "update", "view": render.modal(form)}, rest
        return None, outputs

    def answer_submission(self, body: dict[str, Any], outputs: list[Output]) -> None:
        """What a submitted form answers, after the modal closed: by DM (a modal has no
        response_url), then the Home tab and the outbox."""
        community = translate.community_of(body)
        user = str((body.get("user") or {}).get("id"))
        try:
            channel = self.sender.open((user,))
            for message in _for_dm(outputs):
                self.client.chat_postMessage(channel=channel, **render.payload(message))
        except Exception:  # what the form did is stored; only this note is lost
            log.exception("could not answer a form submission of %s", user)
        self.refresh_home(community, user)
        self._kick()

    def _reply_to(self, entry: Entry) -> tuple[str | None, bool]:
        """The response_url while it is valid; otherwise None and whether that is why."""
        url = entry.payload.get("response_url")
        if not url:
            return None, False
        if entry.can_reply(self.core.clock.now()):
            return str(url), False
        return None, True

    def unreadable(self, body: Mapping[str, Any]) -> None:
        """A signed request we could not read: say so where Slack lets us."""
        url = body.get("response_url")
        said = t.UNREADABLE if "command" in body else t.UNREADABLE_PRESS
        if isinstance(url, str) and url:
            self._post_response(
                url,
                {
                    **render.payload(Message(fmt(said))),
                    "response_type": "ephemeral",
                    "replace_original": False,
                },
            )

    def home_opened(self, body: Mapping[str, Any]) -> None:
        event = body.get("event") or {}
        if event.get("tab", "home") != "home":
            return
        community = translate.community_of(body)
        user = str(event.get("user"))
        self._remember_home(community, user)
        self.publish_home(community, user)

    def publish_home(self, community: Community, user: str) -> None:
        self.directory.warm(community.workspace, [user])
        self.client.views_publish(user_id=user, view=home_view(self.core, community, user))

    def refresh_home(self, community: Community, user: str, *, force: bool = False) -> None:
        """Republish a member's Home tab after something they did (if they use it)."""
        if not self._remember_home(community, user, only_known=not force):
            return
        try:
            self.publish_home(community, user)
        except Exception as exc:  # the answer was given; a stale tab is refreshed next time
            log.warning("could not refresh the Home tab of %s: %r", user, exc)

    def _remember_home(self, community: Community, user: str, *, only_known: bool = False) -> bool:
        key = f"{community.key}|{user}"
        with self._lock:
            if key in self._home_seen:
                self._home_seen.move_to_end(key)
                return True
            if only_known:
                return False
            self._home_seen[key] = None
            while len(self._home_seen) > HOME_MEMORY:
                self._home_seen.popitem(last=False)
            return True

    # -- answering ---------------------------------------------------------------

    def _reply_in_place(self, url: str, outputs: list[Output], user: str) -> None:
        """A command's answer replaces the "one moment…" its ack showed, as one message
        where it fits: answered again after a crash, it still shows once. Nothing to
        say (a form opened instead) takes the "one moment…" away."""
        private: list[dict[str, Any]] = []
        public: list[dict[str, Any]] = []
        for out in outputs:
            if isinstance(out, HomeView):
                private.append(home_message(out))
            elif isinstance(out, (Reply, MessageUpdate)):
                said = self._payload(out.message, user)
                shared = isinstance(out, Reply) and not out.ephemeral
                (public if shared else private).append(said)
        packed = render.pack(private)
        if not packed:
            self._post_response(url, {"delete_original": True})
        for i, message in enumerate(packed):
            self._post_response(
                url, {**message, "response_type": "ephemeral", "replace_original": i == 0}
            )
        for message in public:  # a private message can't become public: posted anew
            self._post_response(
                url, {**message, "response_type": "in_channel", "replace_original": False}
            )

    def _reply_to_press(self, url: str, outputs: list[Output], user: str) -> None:
        """A press updates the message pressed (in place, so again is harmless) and
        replies to the presser privately, beside it."""
        for out in outputs:
            if isinstance(out, MessageUpdate):
                self._post_response(
                    url, {**self._payload(out.message, user), "replace_original": True}
                )
            elif isinstance(out, Reply):
                public = not out.ephemeral
                self._post_response(
                    url,
                    {
                        **self._payload(out.message, user),
                        "response_type": "in_channel" if public else "ephemeral",
                        "replace_original": False,
                    },
                )

    def _answer_by_dm(
        self, entry: Entry, user: str, outputs: list[Output], heading: Any = None
    ) -> None:
        """Where no reply can go (its response_url has expired, or a button in App Home
        has none): by DM through the outbox, keyed by the input, so once however often
        it is answered; ``heading`` says what a late answer answers."""
        messages = [Message(heading)] if heading is not None else []
        messages += _for_dm(outputs)
        if messages:
            inbox.answer_by_dm(self.core.store, entry, user, messages, now=self.core.clock.now())

    def _payload(self, message: Message, user: str) -> dict[str, Any]:
        notes = self._send_files(message, user) if message.attachments else ()
        return render.payload(message, notes=notes)

    def _post_response(self, url: str, body: dict[str, Any]) -> None:
        try:
            response = webhook(url, self.client).send_dict(body)
            if response.status_code != 200:
                log.warning("response_url answered %s: %s", response.status_code, response.body)
        except Exception as exc:
            log.warning("could not answer through response_url: %r", exc)

    def _send_files(self, message: Message, user: str) -> tuple[str, ...]:
        """A private reply can't carry files: send them by DM and say so."""
        notes = []
        try:
            self.sender.attach(self.sender.open((user,)), message.attachments)
            template = t.ATTACHMENT_SENT_BY_DM
        except Exception as exc:
            log.warning("could not open a DM for files: %r", exc)
            template = t.ATTACHMENT_NOT_ATTACHED
        for attachment in message.attachments:
            notes.append(template.format(filename=attachment.filename))
        return tuple(notes)

    @contextmanager
    def _apology(self, entry: Entry) -> Iterator[None]:
        """If the adapter itself fails, say sorry with an error id (the core does the same)."""
        try:
            yield
        except Exception:
            error_id = new_id(8)
            log.exception(
                "error %s handling a Slack request",
                error_id,
                extra={"error_id": error_id, "platform": translate.PLATFORM},
            )
            url, _late = self._reply_to(entry)
            if url:  # a command's replaces its "one moment…"; a press's goes beside
                message = Message(fmt(core_text.OOPS, error_id=error_id))
                in_place = entry.kind == "command"
                self._post_response(url, {**render.payload(message), "replace_original": in_place})

    # -- bookkeeping -------------------------------------------------------------

    def _kick(self) -> None:
        if self.kick is not None:
            try:
                self.kick()
            except Exception:
                log.exception("could not wake the outbox")


def _for_dm(outputs: list[Output]) -> list[Message]:
    """What a DM says of an answer: its replies. A DM has no message to update, so an
    update is what they are told instead, unless a reply says it already."""
    replied = any(isinstance(o, Reply) for o in outputs)
    return [
        o.message
        for o in outputs
        if isinstance(o, Reply) or (isinstance(o, MessageUpdate) and not replied)
    ]
