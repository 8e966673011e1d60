"""The real Slack adapter in HTTP mode on 127.0.0.1, the fake Web API behind it.

``SlackRig`` speaks Slack's protocol to rapport — signed slash commands, signed
``block_actions`` built from the buttons the bot actually posted, signed events —
and runs the outbox with the Slack deliverer, over a real TinyDB store and a
manual clock. Console-style lines (``/intro @alice @bob why``) are turned into the
text Slack would send (``<@UALICE|alice>``, ``&lt;`` …).
"""

from __future__ import annotations

import asyncio
import itertools
import re
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.adapters.slack.main import SlackService, SlackSettings
from bot.clock import ManualClock, parse_iso
from bot.config import Config
from bot.core import Rapport
from bot.directory import StaticDirectory
from bot.ops import Ops
from bot.outbox import OutboxWorker, TickReport
from bot.registry import Family
from store.base import OUTBOX
from store.tinydb_store import TinyDBStore
from tests.adapters.slack.fake_slack import BOT_USER, TEAM, Call, FakeSlack
from tests.adapters.slack.signing import SECRET, Answer, action_body, command_body, event_body, post
from tests.harness import START

MEMBERS = {"you": "UYOU", "alice": "UALICE", "bob": "UBOB", "carol": "UCAROL", "dan": "UDAN"}
IDS = {v: k for k, v in MEMBERS.items()}
CHANNELS = {"general": "CGENERAL", "jobs": "CJOBS", "wins": "CWINS", "intros": "CINTROS"}
OOPS = "something went wrong on my side"

_MENTION = re.compile(r"(?<![\w@])([@#])([A-Za-z0-9_.-]+)")


def slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_text(line: str) -> str:
    """What Slack sends for a typed line: known @members and #channels as references,
    everything else escaped."""
    out = []
    pos = 0
    for m in _MENTION.finditer(line):
        sigil, name = m.groups()
        if sigil == "@" and name in MEMBERS:
            ref = f"<@{MEMBERS[name]}|{name}>"
        elif sigil == "#" and name in CHANNELS:
            ref = f"<#{CHANNELS[name]}|{name}>"
        else:
            continue
        out.append(slack_escape(line[pos : m.start()]))
        out.append(ref)
        pos = m.end()
    out.append(slack_escape(line[pos:]))
    return "".join(out)


@dataclass
class Sent:
    """The HTTP answer to a request and what the bot said through its response_url."""

    answer: Answer
    responses: list[Call]

    @property
    def text(self) -> str:
        return "\n".join(c.text for c in self.responses)


def view_action(view: dict[str, Any], block_id: str) -> str:
    """The action id of the input element in block ``block_id`` of a view."""
    for block in view.get("blocks", []):
        if block.get("block_id") == block_id:
            return str(block["element"]["action_id"])
    return block_id


class SlackRig:
    def __init__(
        self,
        tmp_path: Path,
        *,
        families: dict[str, Family] | None = None,
        fake: FakeSlack | None = None,
        workers: int = 2,
        queue_limit: int = 1000,
        **settings: Any,
    ) -> None:
        self.fake = fake or FakeSlack()
        for name, uid in MEMBERS.items():
            self.fake.add_user(uid, name, admin=name == "you", tz="Europe/Berlin")
        self.fake.add_user(BOT_USER, "rapport", bot=True)
        self.clock = ManualClock(START)
        self.store = TinyDBStore(tmp_path / "data")
        self.core = Rapport(
            self.store,
            self.clock,
            Config(data_dir=str(tmp_path / "data")),
            StaticDirectory(),
            families,
        )
        self.sleeps: list[float] = []
        options = SlackSettings(
            bot_token="xoxb-test",
            signing_secret=SECRET,
            api_url=self.fake.api_url,
            host="127.0.0.1",
            port=0,
            workers=workers,
            queue_limit=queue_limit,
            **settings,
        )
        self.service = SlackService(self.core, options, sleep=self.sleeps.append)
        self.ops = Ops(self.store, self.clock, lambda: True, [self.service])
        self.service.routes = self.ops.add_routes
        # The service runs on its own event loop in a thread, as in ``rapport slack``.
        self.serving = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.serving.run_forever, daemon=True)
        self._thread.start()
        self.on_loop(self.service.start())
        self.url = self.service.url
        self.worker = OutboxWorker(self.core, {"slack": self.service.deliverer}, worker_id="t")
        self.loop = asyncio.new_event_loop()
        self._n = itertools.count(1)

    def on_loop(self, coro: Any, timeout: float = 30) -> Any:
        """Run a coroutine on the service's loop and wait for its result."""
        return asyncio.run_coroutine_threadsafe(coro, self.serving).result(timeout)

    def close(self) -> None:
        self.on_loop(self.service.stop())
        self.serving.call_soon_threadsafe(self.serving.stop)
        self._thread.join(5)
        self.serving.close()
        self.loop.close()
        self.store.close()
        self.fake.close()

    # -- requests ------------------------------------------------------------

    def command(
        self,
        who: str,
        line: str,
        *,
        text: str | None = None,
        settle: bool = True,
        trigger_id: str | None = None,
        headers: dict[str, str] | None = None,
        **sign: Any,
    ) -> Sent:
        """Run ``/command rest`` as member ``who``; ``text`` overrides the Slack text."""
        command, _, rest = line.partition(" ")
        n = next(self._n)
        key = f"cmd{n}"
        body = command_body(
            command,
            slack_text(rest) if text is None else text,
            user=MEMBERS.get(who, who),
            team=TEAM,
            response_url=self.fake.response_url(key),
            trigger_id=trigger_id or f"trigger-{n}",
            user_name=who,
        )
        answer = post(self.url, body, headers=headers, **sign)
        if settle:
            self.settle()
        return Sent(answer, self.fake.responses(key))

    def press(
        self,
        who: str,
        call: Call,
        label: str,
        *,
        settle: bool = True,
        key: str | None = None,
    ) -> Sent:
        """Press the button labelled ``label`` on a message the bot sent (``call``)."""
        buttons = [b for b in call.buttons() if b["text"]["text"] == label]
        assert buttons, f"no {label!r} in {[b['text']['text'] for b in call.buttons()]}"
        button = buttons[0]
        key = key or f"press{next(self._n)}"
        uid = MEMBERS.get(who, who)
        if call.method == "chat.postMessage":
            channel, ts, ephemeral = call.params["channel"], call.answer["ts"], False
        else:  # a reply through response_url: an ephemeral message
            channel, ts, ephemeral = "CGENERAL", f"1700000001.{id(call) % 999999:06d}", True
        payload = {
            "type": "block_actions",
            "team": {"id": TEAM, "domain": "rapport-test"},
            "user": {"id": uid, "username": who, "team_id": TEAM},
            "api_app_id": "A0APP",
            "token": "legacy-unused",
            "container": {
                "type": "message",
                "message_ts": ts,
                "channel_id": channel,
                "is_ephemeral": ephemeral,
            },
            "trigger_id": f"trigger-{key}",
            "channel": {"id": channel, "name": "x"},
            "message": {"ts": ts, "text": call.params.get("text", "")},
            "response_url": self.fake.response_url(key),
            "actions": [
                {
                    "type": "button",
                    "action_id": button["action_id"],
                    "block_id": "b1",
                    "text": button["text"],
                    "value": button.get("value", ""),
                    "action_ts": f"{time.time():.6f}",
                }
            ],
        }
        answer = post(self.url, action_body(payload))
        if settle:
            self.settle()
        return Sent(answer, self.fake.responses(key))

    def submit(
        self, who: str, opened: Call, values: dict[str, dict[str, Any]], *, settle: bool = True
    ) -> Answer:
        """Submit a modal the bot opened (a ``views.open`` call) as member ``who``, with
        ``values`` by block id as Slack's ``view.state.values`` holds them (the action's
        fields, e.g. ``{"type": "datetimepicker", "selected_date_time": 1764838800}``)."""
        view = opened.answer["view"]
        state = {block: {view_action(view, block): value} for block, value in values.items()}
        uid = MEMBERS.get(who, who)
        payload = {
            "type": "view_submission",
            "team": {"id": TEAM, "domain": "rapport-test"},
            "user": {"id": uid, "username": who, "team_id": TEAM},
            "api_app_id": "A0APP",
            "token": "legacy-unused",
            "trigger_id": f"trigger-submit{next(self._n)}",
            "view": {**view, "state": {"values": state}},
        }
        answer = post(self.url, action_body(payload))
        if settle:
            self.settle()
        return answer

    def event(self, event: dict[str, Any], *, event_id: str = "Ev1", **sign: Any) -> Answer:
        answer = post(
            self.url,
            event_body(event, team=TEAM, event_id=event_id),
            content_type="application/json",
            **sign,
        )
        self.settle()
        return answer

    def settle(self) -> None:
        assert self.service.wait_idle(10), "Slack jobs did not finish"

    # -- the outbox ------------------------------------------------------------

    def tick(self) -> TickReport:
        report = self.loop.run_until_complete(self.worker.tick())
        self.settle()
        return report

    def advance(self, delta: timedelta) -> TickReport:
        """Move the clock, ticking at each due item on the way."""
        report = TickReport()
        target = self.clock.now() + delta
        while True:
            nxt = self.store.find(OUTBOX, {"state": "pending"}, order_by="due", limit=1)
            if not nxt or parse_iso(nxt[0]["due"]) > target:
                break
            self.clock.set(max(parse_iso(nxt[0]["due"]), self.clock.now()) + timedelta(seconds=1))
            report.add(self.tick())
        self.clock.set(target)
        report.add(self.tick())
        return report

    # -- reading ---------------------------------------------------------------

    def dms(self, who: str) -> list[Call]:
        return self.fake.posts_to(FakeSlack.dm_channel(MEMBERS.get(who, who)))

    def last_dm(self, who: str) -> Call:
        found = self.dms(who)
        assert found, f"no DM to {who}"
        return found[-1]
