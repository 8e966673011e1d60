"""Scripted flows that make the bot post every kind of button, remembering who saw each.

A ``Tour`` wraps a ``Harness``: commands and presses go through the real core, and
every button that appears — in a reply, a replaced message, a home view, or a
delivered DM, group conversation or channel post — is recorded with the people who
can see it. ``on_new`` is called with each button the first time it appears, before
the flow goes on, so a check (the authorization sweep) can press it in every wrong
way while it is still fresh. Features that may not exist yet (privacy, home) are
used only when their subcommand is registered.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from bot.features.coffee.records import CHATS
from bot.io import ChannelPost, MessageUpdate, Output, Reply, recipients
from bot.messages import Button
from bot.registry import discover
from tests.fuzz.checks import Watch, shown
from tests.harness import Harness

Key = tuple[str, str]  # (action, value): what a press sends, wherever the button is shown
Audience = frozenset[str] | None  # None: a channel post, everyone can see it

ADMIN = "you"  # the console admin: never part of any flow, so an admin press is tested everywhere
ROULETTE = ("alice", "bob", "carol", "dan", "member1", "member2", "member3", "member4")
STRANGER = "member9"  # a member no flow touches


class Tour:
    def __init__(self, h: Harness, on_new: Callable[[Tour, Key], None] | None = None) -> None:
        self.h = h
        self.watch = Watch(h.core)
        self.on_new = on_new
        self.buttons: dict[Key, Button] = {}
        self.audience: dict[Key, Audience] = {}
        self.order: list[Key] = []
        self.participants: set[str] = set()
        self.seen = 0

    # -- acting ------------------------------------------------------------------------------

    def run(self, user: str, line: str) -> list[Output]:
        self.participants.add(user)
        out = self.h.cmd(user, line)
        self.watch.assert_no_crash(f"{user}: {line}")
        self._note(out, frozenset({user}))
        return out

    def press(self, user: str, button: Button, *, seen_by: Audience = None) -> list[Output]:
        out = self.h.press(user, button)
        self.watch.assert_no_crash(f"{user} pressed {button}")
        key = (button.action, button.value)
        audience = seen_by or self.audience.get(key) or frozenset({user})
        self._note([o for o in out if isinstance(o, Reply)], frozenset({user}))
        self._note([o for o in out if not isinstance(o, Reply)], audience)
        return out

    def home(self, user: str) -> None:
        """Open ``user``'s home tab (Slack's ``app_home_opened``, through the core)."""
        from bot.adapters.console.community import COMMUNITY
        from bot.io import HomeOpened

        self.participants.add(user)
        view = self.h.core.handle_home(HomeOpened(COMMUNITY, user))
        self.watch.assert_no_crash(f"{user} opened their home")
        self._note([view] if view is not None else [], frozenset({user}))

    def advance(self, **delta: float) -> None:
        self.h.advance(timedelta(**delta))
        self._note([], None)

    # -- finding what was posted -----------------------------------------------------------------

    def find(self, action: str, to: str | None = None) -> Button:
        """The newest button with this action that ``to`` can see."""
        for key in reversed(self.order):
            audience = self.audience[key]
            if key[0] == action and (to is None or audience is None or to in audience):
                return self.buttons[key]
        raise AssertionError(f"no {action} button was posted to {to}")

    def wait_for(self, action: str, to: str, days: int = 10) -> Button:
        """Let days pass (quiet hours, weekends and caps may hold a nudge) until it comes."""
        for _ in range(days):
            if any(k[0] == action and to in (self.audience[k] or {to}) for k in self.order):
                break
            self.advance(days=1)
        return self.find(action, to)

    def has(self, action: str) -> bool:
        return any(k[0] == action for k in self.order)

    # -- recording ---------------------------------------------------------------------------------

    def _note(self, outputs: list[Any], audience: Audience) -> None:
        new: list[Key] = []
        for message in shown(outputs):
            new += self._add(message.buttons, audience)
        for parcel in self.h.recorder.sent[self.seen :]:
            out = parcel.output
            seen = None if isinstance(out, ChannelPost) else frozenset(recipients(out))
            new += self._add(out.message.buttons, seen)
        self.seen = len(self.h.recorder.sent)
        if self.on_new is not None:
            for key in new:
                self.on_new(self, key)

    def _add(self, buttons: tuple[Button, ...], audience: Audience) -> list[Key]:
        new = []
        for button in buttons:
            key = (button.action, button.value)
            if audience:
                self.participants |= audience
            if key not in self.buttons:
                self.buttons[key] = button
                self.audience[key] = audience
                self.order.append(key)
                new.append(key)
            elif self.audience[key] is not None:
                known = self.audience[key]
                self.audience[key] = None if audience is None else known | audience
        return new


def subcommand(family: str, name: str) -> bool:
    fam = discover().get(family)
    return fam is not None and fam.find_sub(name) is not None


# -- the flows ----------------------------------------------------------------------------------


def intros(t: Tour) -> None:
    """Member target with double opt-in; someone outside; a target who can't be reached;
    a pending one reminded and expiring."""
    t.run("alice", "/intro @bob @carol I'd love to hear how she moved into data work")
    t.press("bob", t.find("intro.make", "bob"))
    t.press("carol", t.find("intro.accept", "carol"))
    t.press("alice", t.find("coffee.schedule_from_intro", "alice"))
    t.run("dan", '/intro @carol "someone at Acme" I am curious about their platform team')
    t.press("carol", t.find("intro.not_now", "carol"))
    t.run("dan", "/intro @alice @bob I'd like advice on interviews at his company")
    t.run("carol", "/intro @dan @alice I'd like to learn about her bootcamp")
    t.press("dan", t.find("intro.make", "dan"))
    t.press("alice", t.find("intro.decline", "alice"))
    t.h.recorder.closed.add("member7")  # their DMs are closed: the ask can't reach them
    t.run("bob", "/intro @carol @member7 I'd like to hear how his team works")
    t.press("carol", t.find("intro.make", "carol"))
    t.press("bob", t.find("intro.note", "bob"))
    t.h.recorder.closed.discard("member7")
    t.advance(days=7)  # reminders to alice (pending), thank-you nudge to alice (made)
    if subcommand("intro", "find"):  # a path through a real tie, and its Ask button
        for user in ("alice", "bob", "carol", "dan"):  # they met in the intros above
            t.run(user, "/rapport profile company Acme findable on connector on")
        t.run("member8", "/intro find Acme")


def coffee(t: Tour) -> None:
    """Invite, accept, another time, suggest, decline; the chat's check-in and keep-in-touch."""
    t.run("alice", "/coffee @bob tomorrow 3pm career switch")
    t.press("bob", t.find("coffee.accept", "bob"))
    t.run("carol", "/coffee @dan tomorrow 4pm")
    t.press("dan", t.find("coffee.other_time", "dan"))
    chat = next(c for c in t.h.store.find(CHATS) if c["requester"] == "carol")
    t.run("dan", f"/coffee suggest {chat['id']} thu 4pm")
    t.press("carol", t.find("coffee.decline", "carol"))
    t.advance(days=2)  # alice and bob's chat happens; both get the check-in
    t.press("alice", t.find("coffee.happened", "alice"))
    t.press("alice", t.find("coffee.keep_2w", "alice"))
    t.press("bob", t.find("coffee.missed", "bob"))
    t.advance(days=16)  # alice's keep-in-touch reminder


def roulette(t: Tour) -> None:
    """A round: group DMs, the mid-round check-in; three ignored rounds pause a member."""
    t.run(ADMIN, "/coffee roulette enable #coffee every week size 2")
    for user in ROULETTE:
        t.run(user, "/coffee roulette join")
    t.advance(days=5)
    t.press("alice", t.find("coffee.roulette_met", "alice"))
    t.advance(days=21)  # ghosts are paused after three silent rounds and offered a rejoin


def followups(t: Tour) -> None:
    t.run("carol", "/followup @dan in 2 days ask about the referral")
    t.run("bob", "/followup @alice every month")
    t.press("carol", t.wait_for("followup.snooze", "carol"))
    t.advance(days=8)


def privacy_and_home(t: Tour) -> None:
    """Only where registered: a privacy delete asks for a confirmation; home views list things."""
    if subcommand("rapport", "privacy"):
        t.run("member5", "/coffee roulette join")
        t.run("member5", "/followup @member6 in 3 days")
        t.run("member5", "/rapport privacy delete")
        t.run("member6", "/rapport privacy export")
    if subcommand("rapport", "home"):
        for user in ("alice", "bob", "carol", "dan"):
            t.run(user, "/rapport home")
        t.home("alice")


FLOWS = (intros, coffee, roulette, followups, privacy_and_home)


def tour(h: Harness, on_new: Callable[[Tour, Key], None] | None = None) -> Tour:
    t = Tour(h, on_new)
    for flow in FLOWS:
        flow(t)
    return t


def replies(outputs: list[Output]) -> list[Reply | MessageUpdate]:
    return [o for o in outputs if isinstance(o, (Reply, MessageUpdate))]
