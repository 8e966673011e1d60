"""``/rapport nudges``: reminders held while nudges were off come back oldest first (by
when they fell due, then in the order they were made), the reply says how the daily cap
spreads them, and ``/rapport nudges`` alone shows where things stand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.adapters.console.community import COMMUNITY
from bot.features.followup import records as fu
from bot.markup import to_plain
from tests.harness import Harness

DAY = timedelta(days=1)


def notes(h: Harness, user: str = "alice") -> list[str]:
    """The notes of the follow-up reminders ``user`` got, in the order they came."""
    out = []
    for m in h.recorder.to(user):
        if any(b.action == "followup.done" for b in m.buttons):
            line = next(x for x in to_plain(m.text).splitlines() if x.startswith("Your note"))
            out.append(line.split("“")[1].rstrip("”"))
    return out


def test_held_reminders_due_together_come_in_the_order_they_were_made(h: Harness) -> None:
    for i in range(1, 6):
        h.cmd("alice", f"/followup @dan tomorrow 10am note{i}")
    h.cmd("alice", "/rapport nudges off")
    h.advance(DAY + timedelta(hours=2))  # Wed 11:00, all five came due and were held
    assert notes(h) == []
    out = h.reply("alice", "/rapport nudges on")
    assert "5 reminders waited" in out and "oldest first" in out
    h.advance(timedelta(minutes=1))
    assert notes(h) == ["note1", "note2", "note3"]  # three a day: the community's cap
    h.advance(DAY)
    assert notes(h) == ["note1", "note2", "note3", "note4", "note5"]


def test_held_reminders_come_by_when_they_fell_due_first(h: Harness) -> None:
    # Made in the opposite order to when they fall due.
    h.cmd("alice", "/followup @dan tomorrow 3pm late")
    h.cmd("alice", "/followup @dan tomorrow 1pm middle")
    h.cmd("alice", "/followup @dan tomorrow 11am early")
    h.cmd("alice", "/rapport nudges off")
    h.advance(DAY + timedelta(hours=8))
    h.cmd("alice", "/rapport nudges on")
    h.advance(timedelta(minutes=1))
    assert notes(h) == ["early", "middle", "late"]


def test_the_reply_says_the_cap_spreads_them_over_the_next_days(h: Harness) -> None:
    for i in range(1, 6):
        h.cmd("alice", f"/followup @dan tomorrow 10am note{i}")
    h.cmd("alice", "/rapport nudges off")
    h.advance(DAY + timedelta(hours=2))
    out = h.reply("alice", "/rapport nudges on")
    assert "at most 3 a day" in out and "following days" in out


def test_no_word_about_spreading_when_they_fit_in_a_day(h: Harness) -> None:
    h.cmd("alice", "/followup @dan tomorrow 10am one")
    h.cmd("alice", "/followup @dan tomorrow 10am two")
    h.cmd("alice", "/rapport nudges off")
    h.advance(DAY + timedelta(hours=2))
    out = h.reply("alice", "/rapport nudges on")
    assert "2 reminders waited" in out and "following days" not in out
    ctx = h.core.context(COMMUNITY, "you", is_admin=True)
    ctx.set_setting("daily_nudge_cap", 0)  # no cap: nothing to spread either
    for i in range(5):
        h.cmd("bob", f"/followup @dan tomorrow 10am n{i}")
    h.cmd("bob", "/rapport nudges off")
    h.advance(DAY)
    out = h.reply("bob", "/rapport nudges on")
    assert "5 reminders waited" in out and "a day" not in out


# -- /rapport nudges alone -----------------------------------------------------------------


def test_nudges_alone_says_they_are_on(h: Harness) -> None:
    out = h.reply("alice", "/rapport nudges")
    assert "on" in out and "Say `off`" not in out and "Example" not in out
    assert "/rapport nudges off" in out


def test_nudges_alone_says_they_are_paused_and_how_many_wait(h: Harness) -> None:
    h.cmd("alice", "/rapport nudges off")
    out = h.reply("alice", "/rapport nudges")
    assert "paused" in out and "/rapport nudges on" in out and "waiting" not in out
    h.cmd("alice", "/followup @dan tomorrow 10am one")
    h.cmd("alice", "/followup @dan tomorrow 11am two")
    h.cmd("alice", "/followup @dan in 2 weeks later")
    h.advance(DAY + timedelta(hours=3))
    out = h.reply("alice", "/rapport nudges")
    assert "paused" in out and "2 reminders are waiting" in out
    assert len(h.store.find(fu.FOLLOWUPS)) == 3  # looking changes nothing
    h.advance(timedelta(hours=1))
    assert h.recorder.to("alice") == []


def test_nudges_alone_with_one_waiting(h: Harness) -> None:
    h.cmd("alice", "/followup @dan tomorrow 10am one")
    h.cmd("alice", "/rapport nudges off")
    h.advance(datetime(2026, 12, 2, 12, 0, tzinfo=UTC) - h.clock.now())
    assert "1 reminder is waiting" in h.reply("alice", "/rapport nudges")
