"""A seeded community living weeks at compressed time through the real core and outbox.

Every five simulated minutes the members act (intros, coffee chats, follow-ups, wins,
roulette, settings, lists, cancellations, leaving, deleting their data where that
exists, now and then a hostile line), press the buttons they received some hours
earlier, and the outbox worker ticks. The platform closes DMs, loses people and
stumbles; the process dies at random ticks — between ticks, inside a delivery before
or after the platform took the message, inside a scheduled event — and, now and then,
for real: the store is handed to a child process that is SIGKILLed. After each death
the store is opened again and a new core and worker carry on.

Nothing is asserted here: ``Report`` collects what ``tests/soak/checks.py`` judges.
"""

from __future__ import annotations

import asyncio
import gc
import hashlib
import heapq
import json
import os
import random
import subprocess
import sys
import time
import tracemalloc
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.adapters.console.community import COMMUNITY, build_directory, parse_parts
from bot.clock import ManualClock, iso, parse_iso
from bot.config import Config
from bot.core import Rapport
from bot.features.coffee.records import CHATS, INTROS
from bot.features.followup import nudges
from bot.features.followup.records import FOLLOWUPS
from bot.io import ButtonPress, CommandInvocation, MessageUpdate, Output
from bot.messages import Button, Message
from bot.outbox import KEEP_FINISHED, OutboxWorker, Parcel, forget_finished
from bot.registry import discover
from store.tinydb_store import TinyDBStore
from tests.fuzz import hostile
from tests.fuzz.checks import APOLOGY, Watch, render_problems, shown
from tests.soak.instrument import instrument, nudged_user
from tests.soak.platform import Accepted, Fate, Killed, SoakPlatform, read_accepted

ROOT = Path(__file__).resolve().parents[2]
TICK = timedelta(minutes=5)
HOUSEKEEPING = timedelta(hours=6)
ZONES = (
    "America/New_York",
    "Europe/Berlin",
    "Asia/Kolkata",
    "America/Los_Angeles",
    "Australia/Sydney",
    "Asia/Tokyo",
    "America/Sao_Paulo",
    "UTC",
)
REASONS = (
    "I'm moving into data engineering and would love to hear how it's done",
    "I'd like advice on interviewing at a small startup",
    "we both care about accessibility and I'd love to learn from her work",
    "I'm curious how their team runs on-call",
    "career switch from teaching <!channel> @everyone <@U123> — advice welcome",
)
WHENS = ("tomorrow 3pm", "tomorrow 10:30", "thu 4pm", "fri 9:30", "mon 11am")
FOLLOWUPS_WHEN = ("in 2 days", "in a week", "in 2 weeks", "every month", "every 2 weeks")
WINS = (
    "Got a reply from the hiring manager at Acme!",
    "Finished my first open-source PR",
    "Booked three coffee chats this week @here",
)
KILLS = ("between", "before", "after", "event")
# What members do, and how often (per member per day, before ``Plan.activity``).
ACTIVITY = {
    "intro": 0.025,
    "intro_outside": 0.008,
    "coffee": 0.025,
    "followup": 0.02,
    "win": 0.006,
    "settings": 0.01,
    "nudges": 0.004,
    "roulette": 0.004,
    "look": 0.02,
    "cancel": 0.006,
    "hostile": 0.004,
    "leave": 0.0015,
    "privacy": 0.001,
    "dms": 0.001,
}


@dataclass
class Plan:
    members: int = 100
    days: float = 14
    seed: int = 1
    kills: int = 8  # deaths in the process, at random ticks, of every kind
    process_kills: int = 1  # real SIGKILLs of a child process holding the store
    activity: float = 1.0
    transient: float = 0.03
    closed: float = 0.03
    trace_memory: bool = False
    start: datetime = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # a Tuesday
    keep: timedelta = KEEP_FINISHED  # finished outbox items older than this are forgotten


@dataclass
class Report:
    commands: int = 0
    presses: int = 0
    ticks: int = 0
    boots: int = 1
    kills: Counter[str] = field(default_factory=Counter)
    child_runs: int = 0
    child_finished_first: int = 0
    crashes: list[str] = field(default_factory=list)  # apologies: a handler raised
    render: list[str] = field(default_factory=list)  # typed pings that survived rendering
    nudge_problems: list[str] = field(default_factory=list)
    retry_crossings: list[str] = field(default_factory=list)  # nudges a retry pushed late
    nudges: int = 0
    nudge_dms_to_others: int = 0
    memory: list[Sample] = field(default_factory=list)
    tables: list[dict[str, int]] = field(default_factory=list)
    deletions: list[tuple[str, str]] = field(default_factory=list)  # (user, when)
    privacy_problems: list[str] = field(default_factory=list)
    seconds: float = 0.0


@dataclass(frozen=True)
class Sample:
    """One day's memory: the process (RSS), Python's live blocks, and the bot's records."""

    day: int
    rss: float  # MB
    heap: float  # MB traced by tracemalloc (0 unless Plan.trace_memory)
    blocks: int  # sys.getallocatedblocks(): live Python objects, cheap and exact
    records: int
    outbox: int


@dataclass(order=True)
class Reaction:
    at: datetime
    seq: int
    user: str = field(compare=False)
    button: Button = field(compare=False)


class World:
    def __init__(self, plan: Plan, data_dir: Path) -> None:
        self.plan = plan
        self.data = data_dir
        self.rng = random.Random(plan.seed)
        self.clock = ManualClock(plan.start)
        self.directory = build_directory(plan.members)
        self.config = Config(data_dir=str(data_dir))
        self.people = [m.id for m in self.directory.all() if not m.is_bot and m.id != "you"]
        closed = {p for p in self.people if self.rng.random() < plan.closed}
        self.fate = Fate(closed=closed, transient=plan.transient)
        self.platform = SoakPlatform(
            self.clock, self.fate, random.Random(plan.seed + 1), on_accept=self._accepted
        )
        self.report = Report()
        self.reactions: list[Reaction] = []
        self.seq = 0
        self.nudges_off: set[str] = set()
        self.per_day: Counter[tuple[str, date]] = Counter()
        self.kill_event = False
        self.privacy = discover()["rapport"].find_sub("privacy") is not None
        self._open()

    # -- the bot process ---------------------------------------------------------------------

    def _open(self) -> None:
        """Start the bot: open the store (this is what must work after every kill)."""
        self.store = TinyDBStore(self.data)
        self.core = Rapport(self.store, self.clock, self.config, self.directory)
        instrument(self.core)
        self.watch = Watch(self.core)
        self.watch.crashes = self.report.crashes
        self._kill_events()
        self.worker = OutboxWorker(
            self.core, {"console": self.platform}, worker_id=f"soak-{self.report.boots}"
        )
        self.loop = asyncio.new_event_loop()

    def _kill_events(self) -> None:
        def wrap(name: str, handler: Any) -> Any:
            def run(ctx: Any, data: dict[str, Any]) -> list[Output]:
                if self.kill_event:
                    self.kill_event = False
                    raise Killed(f"inside {name}")
                return handler(ctx, data)

            return run

        self.core.events = {n: wrap(n, h) for n, h in self.core.events.items()}

    def _die(self, how: str) -> None:
        """The process is gone: nothing is closed or flushed; a new one starts on the same data."""
        self.report.kills[how] += 1
        self.loop.close()
        del self.worker, self.core, self.store  # never used again, like a dead process's memory
        self.report.boots += 1
        self._open()

    # -- running -----------------------------------------------------------------------------

    def run(self) -> Report:
        began = time.perf_counter()
        if self.plan.trace_memory:
            tracemalloc.start()
        start = self.plan.start
        end = start + timedelta(days=self.plan.days)
        total = int((end - start) / TICK)
        plan = [
            (t, KILLS[i % len(KILLS)]) for i, t in enumerate(self._ticks(total, self.plan.kills))
        ]
        plan += [(t, "process") for t in self._ticks(total * 4 // 5, self.plan.process_kills)]
        pending = sorted(plan)
        self._setup()
        next_housekeeping = start + HOUSEKEEPING
        day = -1
        while self.clock.now() < end:
            now = self.clock.now()
            if (now - start).days != day:
                day = (now - start).days
                self._sample(day)
            how = None
            if pending and pending[0][0] <= (now - start) / TICK:
                how = pending.pop(0)[1]
            if how == "process":
                self._child(until=min(end, now + timedelta(hours=self.rng.choice((12, 18, 24)))))
                continue
            if how == "between":
                self._die("between ticks")
            elif how in ("before", "after"):
                self.platform.kill = how
            elif how == "event":
                self.kill_event = True
            self._act(now)
            self._tick()
            if now >= next_housekeeping:  # what the scheduler's housekeeping jobs do
                self.core.forget_old_requests()
                forget_finished(self.store, now, self.plan.keep)
                next_housekeeping += HOUSEKEEPING
            self.clock.advance(TICK)
        self._drain()
        self._sample(day + 1)
        if self.plan.trace_memory:
            tracemalloc.stop()
        self.report.seconds = time.perf_counter() - began
        return self.report

    def _ticks(self, total: int, count: int) -> list[int]:
        return sorted(self.rng.sample(range(12, max(13, total - 12)), min(count, total // 2)))

    def _tick(self) -> None:
        self.report.ticks += 1
        try:
            for _ in range(20):
                self.loop.run_until_complete(self.worker.tick())
                if not self.worker.backlog:
                    break
        except Killed as death:
            how = str(death)
        else:
            return
        self._die(how)  # outside the except block: its traceback would keep the dead bot alive

    def _drain(self) -> None:
        """No one acts any more; the bot runs until every lease and retry has played out."""
        self.platform.kill = None
        self.kill_event = False
        self.platform.fate.transient = 0.0
        for _ in range(int(timedelta(hours=3) / TICK)):
            self._tick()
            self.clock.advance(TICK)
        self._tick()

    def close(self) -> None:
        self.loop.close()
        self.store.close()

    # -- a real kill: a child process holds the store and is SIGKILLed --------------------------

    def _child(self, until: datetime) -> None:
        self.store.close()
        self.loop.close()
        del self.worker, self.core, self.store, self.watch
        run = self.report.child_runs = self.report.child_runs + 1
        work = self.data.parent / f"child-{run}"
        work.mkdir(exist_ok=True)
        state = {
            "now": iso(self.clock.now()),
            "until": iso(until),
            "members": self.plan.members,
            "fate": self.fate.to_data(),
            "accepted": sorted(self.platform.accepted),
            "seed": self.plan.seed * 1000 + run,
        }
        (work / "state.json").write_text(json.dumps(state), encoding="utf-8")
        cmd = [sys.executable, "-m", "tests.soak.proc", str(self.data), str(work)]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        child = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        assert child.stdout is not None
        ready = child.stdout.readline()
        if ready.strip() == "ready":
            time.sleep(self.rng.uniform(0.01, 0.4))
        child.kill()
        _, err = child.communicate(timeout=60)
        if child.returncode == 0:
            self.report.child_finished_first += 1
        elif child.returncode != -9:
            raise AssertionError(f"the child bot failed ({child.returncode}):\n{err[-3000:]}")
        else:
            self.report.kills["SIGKILL"] += 1
        clock = work / "clock"
        if clock.exists() and clock.read_text(encoding="utf-8").strip():
            self.clock.set(max(self.clock.now(), parse_iso(clock.read_text().strip())))
        self.report.boots += 1
        self._open()  # the store must open after the SIGKILL, whatever instant it hit
        for record in read_accepted(work / "accepted.jsonl"):
            if record.key in self.platform.accepted and not record.maybe_sent:
                self.platform.duplicates.append(record.key)
            self.platform.accepted.setdefault(record.key, record)
            self.platform.answers["sent"] += 1
            self._accepted(None, record)

    # -- what members do -----------------------------------------------------------------------

    def _setup(self) -> None:
        admin = "you"
        for line in (
            "/win channel #wins",
            "/tips channel #jobs every monday 9:00",
            "/tips digest every friday 16:00",
            "/coffee roulette enable #coffee every week size 2",
        ):
            self.command(admin, line)
        for person in self.people:
            if self.rng.random() < 0.6:
                self.command(person, f"/rapport settings tz {self.rng.choice(ZONES)}")
            if self.rng.random() < 0.1:
                self.command(person, "/rapport settings quiet 22:00-07:00")
            if self.rng.random() < 0.1:
                self.command(person, "/rapport settings weekends off")
            if self.rng.random() < 0.35:
                self.command(person, "/coffee roulette join")

    def _act(self, now: datetime) -> None:
        per_tick = TICK / timedelta(days=1) * self.plan.activity * len(self.people)
        for what, rate in ACTIVITY.items():
            for _ in range(_poisson(self.rng, rate * per_tick)):
                getattr(self, f"_do_{what}")()
        while self.reactions and self.reactions[0].at <= now:
            r = heapq.heappop(self.reactions)
            if r.user not in self.fate.gone:
                self.press(r.user, r.button)

    def active(self, k: int = 1) -> list[str]:
        found: list[str] = []
        while len(found) < k:
            p = self.rng.choice(self.people)
            if p not in self.fate.gone and p not in found:
                found.append(p)
        return found

    def _do_intro(self) -> None:
        r, c, t = self.active(3)
        self.command(r, f"/intro @{c} @{t} {self.rng.choice(REASONS)}")

    def _do_intro_outside(self) -> None:
        r, c = self.active(2)
        self.command(
            r, f'/intro @{c} "someone on the data team at Acme" {self.rng.choice(REASONS)}'
        )

    def _do_coffee(self) -> None:
        a, b = self.active(2)
        self.command(a, f"/coffee @{b} {self.rng.choice(WHENS)} career chat")

    def _do_followup(self) -> None:
        a, b = self.active(2)
        self.command(a, f"/followup @{b} {self.rng.choice(FOLLOWUPS_WHEN)} ask about the team")

    def _do_win(self) -> None:
        (a,) = self.active()
        self.command(a, f"/win {self.rng.choice(WINS)}")

    def _do_settings(self) -> None:
        (a,) = self.active()
        line = self.rng.choice(
            (
                "/rapport settings quiet 20:00-09:00",
                "/rapport settings weekends on",
                "/rapport settings",
            )
        )
        self.command(a, line)

    def _do_nudges(self) -> None:
        (a,) = self.active()
        on = a in self.nudges_off
        self.command(a, f"/rapport nudges {'on' if on else 'off'}")
        (self.nudges_off.discard if on else self.nudges_off.add)(a)

    def _do_roulette(self) -> None:
        (a,) = self.active()
        self.command(
            a,
            self.rng.choice(
                (
                    "/coffee roulette join",
                    "/coffee roulette leave",
                    "/coffee roulette pause until next month",
                    "/coffee roulette",
                )
            ),
        )

    def _do_look(self) -> None:
        (a,) = self.active()
        lines = [
            "/intro list",
            "/coffee list",
            "/followup list",
            "/questions",
            "/tips",
            "/rapport help",
            f"/outreach @{self.active()[0]} her talk on search",
        ]
        if discover()["rapport"].find_sub("home") is not None:
            lines.append("/rapport home")
        self.command(a, self.rng.choice(lines))

    def _do_cancel(self) -> None:
        (a,) = self.active()
        kind = self.rng.choice(("intro", "coffee", "followup"))
        table, field_ = {
            "intro": (INTROS, "requester"),
            "coffee": (CHATS, "requester"),
            "followup": (FOLLOWUPS, "owner"),
        }[kind]
        mine = self.store.find(table, {field_: a})
        if mine:
            self.command(a, f"/{kind} cancel {self.rng.choice(mine)['id']}")

    def _do_hostile(self) -> None:
        (a,) = self.active()
        family, sub = self.rng.choice(hostile.subcommands())
        words = " ".join(self.rng.choice(hostile.ALL_PIECES) for _ in range(self.rng.randint(0, 4)))
        self.command(a, f"/{family} {sub or ''} @{self.active()[0]} {words}")

    def _do_leave(self) -> None:
        (a,) = self.active()
        self.fate.gone.add(a)
        self.directory.remove(a)

    def _do_privacy(self) -> None:
        if not self.privacy:
            return
        (a,) = self.active()
        if self.rng.random() < 0.5:
            self.command(a, "/rapport privacy export")
            return
        out = self.command(a, "/rapport privacy delete")
        for message in shown(out):
            for button in message.buttons:
                if button.style == "danger":  # "Yes, erase everything"
                    self.press(a, button)
                    self.report.deletions.append((a, iso(self.clock.now())))
                    left = self.store.find("outbox", {"about": a}) + self.store.find(
                        "outbox", {"user": a}
                    )
                    self.report.privacy_problems += [
                        f"{i['key']} ({i.get('state')}) is still about {a} after the erase"
                        for i in left
                    ]
                    return

    def _do_dms(self) -> None:
        (a,) = self.active()
        (self.fate.closed.discard if a in self.fate.closed else self.fate.closed.add)(a)

    # -- inputs and what came back --------------------------------------------------------------

    def command(self, user: str, line: str) -> list[Output]:
        self.report.commands += 1
        self.seq += 1
        command, _, rest = line.lstrip("/").partition(" ")
        out = self.watch.command(
            CommandInvocation(
                community=COMMUNITY,
                user=user,
                command=command,
                parts=parse_parts(rest, self.directory),
                channel="general",
                request_id=f"soak-{self.report.boots}-{self.seq}",
                is_admin=user == "you",
            )
        )
        self._shown(user, out, line)
        return out

    def press(self, user: str, button: Button) -> list[Output]:
        self.report.presses += 1
        self.seq += 1
        out = self.watch.press(
            ButtonPress(
                community=COMMUNITY,
                user=user,
                action=button.action,
                value=button.value,
                request_id=f"soak-{self.report.boots}-{self.seq}",
            )
        )
        self._shown(user, out, f"press {button.action}")
        for update in out:
            if isinstance(update, MessageUpdate):
                self._react((user,), update.message, solo=True)
        return out

    def _shown(self, user: str, out: list[Output], what: str) -> None:
        for message in shown(out):
            if APOLOGY in message.plain():
                self.report.crashes.append(f"{user}: {what}")
            for problem in render_problems(message):
                self.report.render.append(f"{what}: {problem}")

    def _accepted(self, parcel: Parcel | None, record: Accepted) -> None:
        """The platform took a message: check it, and let its readers react later."""
        message = Message.from_data(record.message)
        for problem in render_problems(message):
            self.report.render.append(f"{record.key}: {problem}")
        self._check_nudge(record)
        if record.kind != "ChannelPost":
            self._react(record.to, message)
        # Keep only a digest: the soak's own memory must not grow with every message.
        body = json.dumps([record.to, record.message], sort_keys=True).encode()
        record.sig = hashlib.sha1(body).hexdigest()[:16]
        record.message = {}

    def _react(self, to: tuple[str, ...], message: Message, *, solo: bool = False) -> None:
        if not message.buttons:
            return
        for user in to:
            if self.rng.random() < (0.8 if solo or len(to) == 1 else 0.5):
                weights = [
                    0.1 if "stop" in b.action else 3 if b.style == "primary" else 1
                    for b in message.buttons
                ]
                button = self.rng.choices(message.buttons, weights)[0]
                delay = timedelta(hours=min(self.rng.expovariate(1 / 6), 96))
                self.seq += 1
                heapq.heappush(
                    self.reactions, Reaction(self.clock.now() + delay, self.seq, user, button)
                )

    # -- the nudge rules, checked on every delivered nudge ----------------------------------

    def _check_nudge(self, record: Accepted) -> None:
        item = self.store.get("outbox", record.id)
        user = nudged_user(item)
        if user is None:
            return
        if user not in record.to:
            self.report.nudge_dms_to_others += 1
            return
        self.report.nudges += 1
        at = parse_iso(record.at)
        ctx = self.core.context(COMMUNITY, user)
        mine = ctx.settings(user)
        zone = ctx.zone(user)
        where = f"{record.key} to {user} at {at.astimezone(zone):%a %H:%M} {zone}"
        # A platform retry re-sends a nudge DM without asking the policy again, so it can
        # cross into quiet hours (reported; see tests/test_regressions.py). Counted apart.
        found = self.report.nudge_problems if record.attempt == 1 else self.report.retry_crossings
        if not mine.nudges:
            found.append(f"nudges off: {where}")
        if nudges.next_allowed(at, zone, mine.quiet, mine.quiet_weekends) > at:
            found.append(f"quiet hours {mine.quiet}: {where}")
        day = at.astimezone(zone).date()
        self.per_day[(user, day)] += 1
        cap = int(ctx.setting("daily_nudge_cap") or 0)
        if cap and self.per_day[(user, day)] > cap:
            self.report.nudge_problems.append(f"over the cap of {cap}: {where}")

    # -- memory ------------------------------------------------------------------------------------

    def _sample(self, day: int) -> None:
        gc.collect()
        heap = tracemalloc.get_traced_memory()[0] / 2**20 if tracemalloc.is_tracing() else 0.0
        tables = {t: self.store.count(t) for t in self.store.tables()}
        self.report.memory.append(
            Sample(
                day,
                _rss_mb(),
                heap,
                sys.getallocatedblocks(),
                sum(tables.values()),
                tables.get("outbox", 0),
            )
        )
        self.report.tables.append(tables)


def _poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method: fine for the small means of one tick."""
    if mean <= 0:
        return 0
    limit, k, p = pow(2.718281828459045, -mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def _rss_mb() -> float:
    try:
        import psutil

        return psutil.Process().memory_info().rss / 2**20
    except ImportError:  # pragma: no cover - psutil is a test dependency
        return 0.0
