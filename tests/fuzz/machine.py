"""A hypothesis state machine that drives the real core with hostile commands and presses.

Each run starts, at an ordinary moment or on the eve of a clock change, from a small
living community (roulette on, a wins and a tips channel, an intro and a coffee invite
waiting), then takes random steps: any subcommand of any family with hostile
arguments; every example line with hostile text appended, or with one word replaced
(near-valid input goes deepest); presses of buttons the bot really posted, by anyone,
with their values as posted or tampered; presses of every registered action with
forged values; and the clock moving on. After every step the checks of
``tests.fuzz.checks`` hold, and a refusal stays short enough to read.
"""

from __future__ import annotations

import random
import secrets
import shutil
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import assume
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from bot.adapters.console.community import COMMUNITY, parse_parts
from bot.io import (
    ButtonPress,
    ChannelPost,
    CommandInvocation,
    MessageUpdate,
    Output,
    Part,
    Reply,
    recipients,
)
from bot.markup import to_plain
from bot.messages import Button
from bot.registry import discover
from tests.fuzz import hostile as hx
from tests.fuzz.checks import (
    Watch,
    check_outputs,
    diff,
    failed_events,
    render_problems,
    short,
    shown,
    state,
)
from tests.harness import Harness

SETUP = (
    ("you", "/win channel #wins"),
    ("you", "/tips channel #jobs every monday 9:00"),
    ("you", "/coffee roulette enable #coffee every week size 2"),
    ("alice", "/coffee roulette join"),
    ("bob", "/coffee roulette join"),
    ("carol", "/coffee roulette join"),
    ("alice", "/intro @bob @carol I'd love to hear how she moved into data work"),
    ("dan", '/intro @carol "someone at Acme" I am curious about their platform team'),
    ("bob", "/coffee @dan tomorrow 3pm career switch"),
    ("carol", "/followup @dan in 2 days ask about the referral"),
    ("dan", "/rapport settings tz Asia/Kolkata"),
)
STARTS = (
    datetime(2026, 12, 1, 9, 0, tzinfo=UTC),  # a Tuesday in December
    datetime(2027, 3, 13, 20, 0, tzinfo=UTC),  # the eve of the US clocks going forward
    datetime(2027, 3, 27, 22, 30, tzinfo=UTC),  # Europe's clocks go forward tonight
    datetime(2027, 10, 30, 23, 0, tzinfo=UTC),  # Europe's clocks go back
    datetime(2027, 12, 31, 22, 0, tzinfo=UTC),  # new year's eve
    datetime(2028, 2, 28, 12, 0, tzinfo=UTC),  # a leap day tomorrow
)
STEPS = (
    timedelta(minutes=1),
    timedelta(hours=1),
    timedelta(hours=13),
    timedelta(days=1),
    timedelta(days=3),
    timedelta(days=8),
)
REFUSAL_CHARS = 1500  # a refusal longer than this buries its point
Audience = frozenset[str] | None  # who can see a button; None: a channel, everyone


def actions() -> list[str]:
    return sorted({a for f in discover().values() for a in f.buttons})


class CoreFuzz(RuleBasedStateMachine):
    """Random steps through the core; the invariants are checked after each one."""

    def __init__(self) -> None:
        super().__init__()
        # Record ids come from ``secrets``: seed them, so a replayed run is the same run.
        self._choice = secrets.choice
        secrets.choice = random.Random(11).choice  # type: ignore[assignment]
        self.tmp = Path(tempfile.mkdtemp(prefix="rapport-fuzz-"))
        self.h = Harness(self.tmp / "data")
        hx.directory_with_extras(self.h.directory)
        self.h.recorder.closed.add("dan")  # some deliveries fail for good, and are told
        self.watch = Watch(self.h.core)
        # Every button posted, in order, and who has seen each (action, value) anywhere:
        # the same button may sit on a group message, a DM and someone's home view.
        self.posted: list[Button] = []
        self.seen_by: dict[tuple[str, str], Audience] = {}
        self.seen = 0
        self.n = 0

    def teardown(self) -> None:
        secrets.choice = self._choice  # type: ignore[assignment]
        self.h.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    # -- steps ---------------------------------------------------------------------------

    @initialize(start=st.sampled_from(STARTS))
    def community(self, start: datetime) -> None:
        self.h.clock.set(start)
        for actor, line in SETUP:
            command, _, rest = line.lstrip("/").partition(" ")
            self._command(actor, command, parse_parts(rest, self.h.directory))

    @rule(
        actor=st.sampled_from(hx.ACTORS),
        sub=st.sampled_from(hx.subcommands()),
        args=hx.arguments,
    )
    def command(self, actor: str, sub: tuple[str, str | None], args: tuple[Part, ...]) -> None:
        family, name = sub
        parts = hx.with_spaces([name, *args]) if name else args
        self._command(actor, family, parts)

    @rule(
        actor=st.sampled_from(hx.ACTORS),
        line=st.sampled_from(hx.examples()),
        tail=st.one_of(st.just(""), hx.text),
    )
    def example(self, actor: str, line: str, tail: str) -> None:
        command, _, rest = line.lstrip("/").partition(" ")
        self._command(actor, command, parse_parts(f"{rest} {tail}", self.h.directory))

    @rule(
        actor=st.sampled_from(hx.ACTORS),
        line=st.sampled_from(hx.examples()),
        at=st.integers(0, 12),
        piece=hx.piece,
        replace=st.booleans(),
    )
    def mutated_example(self, actor: str, line: str, at: int, piece: str, replace: bool) -> None:
        """An example with one word replaced or one inserted: near-valid input goes deep."""
        words = line.lstrip("/").split(" ")
        i = 1 + at % max(1, len(words) - 1) if len(words) > 1 else 1
        words[i : i + int(replace)] = [piece]
        command, rest = words[0], " ".join(words[1:])
        self._command(actor, command, parse_parts(rest, self.h.directory))

    @rule(actor=st.sampled_from(hx.ACTORS), command=hx.text, args=hx.arguments)
    def unknown_command(self, actor: str, command: str, args: tuple[Part, ...]) -> None:
        self._command(actor, command, args)

    @rule(data=st.data(), actor=st.sampled_from(hx.ACTORS))
    def press_posted(self, data: st.DataObject, actor: str) -> None:
        assume(self.posted)
        button = data.draw(st.sampled_from(self.posted))
        audience = self.seen_by[(button.action, button.value)]
        # Refused for sure: someone who never saw the button and whom the record it
        # names doesn't mention (a group member may press before their copy arrives).
        outsider = (
            audience is not None
            and actor not in audience
            and actor not in self._involved(button.value)
        )
        self._press(actor, button.action, button.value, must_refuse=outsider, seen_by=audience)

    @rule(data=st.data(), actor=st.sampled_from(hx.ACTORS), how=st.integers(0, 4))
    def press_tampered(self, data: st.DataObject, actor: str, how: int) -> None:
        assume(self.posted)
        button = data.draw(st.sampled_from(self.posted))
        audience = self.seen_by[(button.action, button.value)]
        value = button.value
        value = [
            value + ":9",
            value.split(":")[0],
            value.upper(),
            value + "x",
            value + "\u202e",
        ][how]
        self._press(actor, button.action, value, must_refuse=False, seen_by=audience)

    @rule(
        actor=st.sampled_from(hx.ACTORS),
        action=st.sampled_from(actions()),
        value=st.one_of(st.sampled_from(hx.FORGED_IDS + hx.MARKUP), st.text(max_size=30)),
    )
    def press_forged(self, actor: str, action: str, value: str) -> None:
        ids = {d["id"] for t in self.h.store.tables() for d in self.h.store.find(t)}
        forged = not any(id and id in value for id in ids)
        self._press(actor, action, value, must_refuse=forged, seen_by=frozenset())

    @rule(actor=st.sampled_from(hx.ACTORS), action=hx.text, value=hx.text)
    def press_unknown(self, actor: str, action: str, value: str) -> None:
        assume(action not in self.h.core.buttons)
        self._press(actor, action, value, must_refuse=True, seen_by=frozenset())

    @rule(step=st.sampled_from(STEPS))
    def advance(self, step: timedelta) -> None:
        self.h.advance(step)
        self._delivered()

    @invariant()
    def no_handler_crashed(self) -> None:
        self.watch.assert_no_crash("a step")
        broken = failed_events(self.h.store)
        assert not broken, f"a scheduled event crashed: {broken[0].get('last_error')}"

    # -- running one input -----------------------------------------------------------------

    def _command(self, actor: str, command: str, parts: tuple[Part, ...]) -> None:
        before = state(self.h.store)
        self.n += 1
        out = self.watch.command(
            CommandInvocation(
                community=COMMUNITY,
                user=actor,
                command=command,
                parts=parts,
                channel="general",
                request_id=f"fuzz-{self.n}",
                is_admin=actor == "you",
            )
        )
        what = f"/{command} {short(parts)} by {actor}"
        self.watch.assert_no_crash(what)
        check_outputs(out, what)
        if self.watch.refused is not None:
            after = state(self.h.store)
            assert after == before, f"{what} was refused but stored:\n{diff(before, after)}"
            said = sum(len(to_plain(m.text)) for m in shown(out))
            assert said <= REFUSAL_CHARS, f"{what}: a refusal of {said} characters isn't clear"
        self._remember(out, frozenset({actor}))
        self.h.tick()
        self._delivered()

    def _press(
        self, actor: str, action: str, value: str, *, must_refuse: bool, seen_by: Audience
    ) -> None:
        before = state(self.h.store)
        self.n += 1
        out = self.watch.press(
            ButtonPress(
                community=COMMUNITY,
                user=actor,
                action=action,
                value=value,
                channel="general",
                request_id=f"fuzz-{self.n}",
                is_admin=actor == "you",
            )
        )
        what = f"press {action}={short(value, 80)} by {actor}"
        self.watch.assert_no_crash(what)
        check_outputs(out, what)
        if must_refuse or self.watch.refused is not None:
            after = state(self.h.store)
            assert after == before, f"{what} should change nothing:\n{diff(before, after)}"
            assert not any(isinstance(o, MessageUpdate) for o in out), what
        # A replaced message is seen by whoever saw the one pressed.
        updated = [o for o in out if isinstance(o, MessageUpdate)]
        self._remember([o for o in out if isinstance(o, Reply)], frozenset({actor}))
        self._remember(updated, seen_by if seen_by else frozenset({actor}))
        self.h.tick()
        self._delivered()

    def _remember(self, outputs: list[Output], audience: Audience) -> None:
        for message in shown(outputs):
            for button in message.buttons:
                self._post(button, audience)

    def _involved(self, value: str) -> set[str]:
        """Everyone named in the records a button value points at (by id)."""
        ids = set(value.split(":"))
        people: set[str] = set()
        for table in self.h.store.tables():
            for doc in self.h.store.find(table, {"id": sorted(ids)}):
                for field in doc.values():
                    for v in field if isinstance(field, list) else [field]:
                        if isinstance(v, str) and v in hx.ACTORS:
                            people.add(v)
        return people

    def _post(self, button: Button, audience: Audience) -> None:
        key = (button.action, button.value)
        if key not in self.seen_by:
            self.posted.append(button)
            self.seen_by[key] = audience
        elif self.seen_by[key] is not None:
            self.seen_by[key] = None if audience is None else self.seen_by[key] | audience

    def _delivered(self) -> None:
        """Check and remember what the outbox delivered since last time."""
        for parcel in self.h.recorder.sent[self.seen :]:
            out = parcel.output
            problems = render_problems(out.message)
            assert not problems, f"delivery {parcel.key}: {problems[:3]}"
            audience = None if isinstance(out, ChannelPost) else frozenset(recipients(out))
            for button in out.message.buttons:
                self._post(button, audience)
        self.seen = len(self.h.recorder.sent)
