"""Nudges from other features with the standard buttons (``nudges.nudge_message``):
Done logs the contact, Snooze brings it back in a week, Stop silences that topic for
good; and a nudge re-offered after a crash is not held back a second time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.adapters.console.community import COMMUNITY
from bot.context import Context
from bot.features.followup import nudges
from bot.features.followup.contacts import CONTACTS
from bot.io import DirectMessage, Later, MessageUpdate, Output, Reply
from bot.markup import Mention, fmt
from bot.messages import Button, Message
from bot.outbox import enqueue_delivery, enqueue_event
from store.base import OUTBOX
from tests.harness import START, CrashInSend, Harness, plain

DAY = timedelta(days=1)
EVENT = "test.thank_connector"


def thank_connector(ctx: Context, data: dict[str, Any]) -> list[Output]:
    """What the intro feature's thank-you nudge would look like with the standard buttons."""
    text = fmt("Your intro with {who} happened. Have you thanked them?", who=Mention("bob"))
    extra = (Button("test.draft", "Draft a thank-you", data["intro"]),)
    return nudges.nudge_message(
        ctx, ctx.user, text, topic=f"intro:{data['intro']}", person="bob", buttons=extra
    )


def schedule(h: Harness, intro: str, at: datetime, key: str | None = None) -> None:
    h.core.events[EVENT] = thank_connector
    with h.store.atomic():
        enqueue_event(
            h.store,
            COMMUNITY,
            Later(at, EVENT, {"intro": intro}, key=key or f"thanks:{intro}", user="alice"),
        )


def nudges_to(h: Harness, user: str = "alice") -> list[Message]:
    return [m for m in h.recorder.to(user) if any(b.action == "nudge.done" for b in m.buttons)]


def answer(out: list[Output]) -> str:
    return "\n".join(plain(o.message) for o in out if isinstance(o, (Reply, MessageUpdate)))


def test_a_feature_nudge_carries_its_own_buttons_then_the_standard_three(h: Harness) -> None:
    schedule(h, "i1", START + timedelta(hours=1))
    h.advance(DAY)
    (dm,) = nudges_to(h)
    assert [b.label for b in dm.buttons] == [
        "Draft a thank-you",
        "Done",
        "Snooze a week",
        "Stop reminding me about this",
    ]


def test_done_logs_a_contact_with_the_person_once(h: Harness) -> None:
    schedule(h, "i1", START + timedelta(hours=1))
    h.advance(timedelta(hours=2))
    (dm,) = nudges_to(h)
    assert "nice work" in answer(h.press("alice", h.button(dm, "Done")))
    assert "already answered" in answer(h.press("alice", h.button(dm, "Done")))
    (row,) = h.store.find(CONTACTS)
    assert (row["user"], row["other"], row["source"]) == ("alice", "bob", "nudge")


def test_snooze_brings_it_back_in_a_week_with_the_same_buttons(h: Harness) -> None:
    schedule(h, "i1", START + timedelta(hours=1))
    h.advance(timedelta(hours=2))
    (dm,) = nudges_to(h)
    out = answer(h.press("alice", h.button(dm, "Snooze a week")))
    assert "Snoozed" in out and "Tue 8 Dec" in out
    h.advance(6 * DAY)
    assert len(nudges_to(h)) == 1
    h.advance(DAY)
    again = nudges_to(h)[-1]
    assert len(nudges_to(h)) == 2 and again.text == dm.text
    assert "nice work" in answer(h.press("alice", h.button(again, "Done")))


def test_stop_silences_that_topic_for_good(h: Harness) -> None:
    schedule(h, "i1", START + timedelta(hours=1))
    h.advance(timedelta(hours=2))
    (dm,) = nudges_to(h)
    h.press("alice", h.button(dm, "Snooze a week"))
    assert "no more reminders" in answer(
        h.press("alice", h.button(dm, "Stop reminding me about this"))
    )
    schedule(h, "i1", START + 2 * DAY, key="again")  # another nudge about the same intro …
    h.advance(14 * DAY)
    assert len(nudges_to(h)) == 1  # … stays silent, and so does the snoozed one
    schedule(h, "i2", h.clock.now() + DAY)  # a different intro still nudges
    h.advance(2 * DAY)
    assert len(nudges_to(h)) == 2


def test_someone_else_cannot_press_them(h: Harness) -> None:
    schedule(h, "i1", START + timedelta(hours=1))
    h.advance(timedelta(hours=2))
    (dm,) = nudges_to(h)
    before = h.store.find(nudges.NUDGE_MSGS)
    for label in ("Done", "Snooze a week", "Stop reminding me about this"):
        assert "belongs to someone else" in answer(h.press("bob", h.button(dm, label)))
    assert h.store.find(nudges.NUDGE_MSGS) == before and h.store.find(CONTACTS) == []


def test_a_nudge_re_offered_after_a_crash_is_not_held_again(tmp_path: Path) -> None:
    data = tmp_path / "data"
    evening = datetime(2026, 12, 1, 20, 59, tzinfo=UTC)
    h = Harness(data, start=evening)
    with h.store.atomic():
        item = enqueue_delivery(
            h.store,
            COMMUNITY,
            DirectMessage("alice", Message(fmt("hello"))),
            due=evening,
            nudge=True,
        )

    h.worker.deliverers["console"] = CrashInSend()
    try:
        h.tick()
    except SystemExit:
        pass
    assert h.store.get(OUTBOX, item["id"])["state"] == "sending"
    h.close()

    h2 = Harness(data, start=evening + timedelta(minutes=5))  # quiet hours, past the lease
    h2.tick()
    (parcel,) = h2.recorder.sent  # counted once already: not held, and still maybe_sent
    assert parcel.maybe_sent
    h2.close()


def test_housekeeping_forgets_nudges_over_three_months_old(h: Harness) -> None:
    from bot.features.followup.nudges import NUDGE_MSGS

    h.store.insert(NUDGE_MSGS, {"user": "alice", "state": "done", "at": "2026-01-01T09:00:00Z"})
    h.store.insert(NUDGE_MSGS, {"user": "alice", "state": "snoozed", "at": "2026-01-01T09:00:00Z"})
    h.store.insert(NUDGE_MSGS, {"user": "alice", "state": "open", "at": "2026-11-30T09:00:00Z"})
    assert h.core.housekeep() >= 1
    left = sorted(d["state"] for d in h.store.find(NUDGE_MSGS))
    assert left == ["open", "snoozed"]  # recent ones and a snoozed one coming back stay
