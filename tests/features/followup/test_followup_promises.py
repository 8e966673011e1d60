"""What ``/followup`` promises is what happens: a follow-up at another time is a new one
(only a true duplicate is refused, saying what matches), a reminder that quiet hours or
a quiet weekend will move says so when it is set and in the list, and every reply shows
the reading with its zone, without empty lines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from bot.clock import parse_iso
from bot.features.followup import records as fu
from bot.io import MessageUpdate, Reply
from bot.markup import to_plain
from tests.harness import Harness, plain

DAY = timedelta(days=1)


def replies(outputs: list[Any]) -> str:
    return "\n".join(plain(o.message) for o in outputs if isinstance(o, (Reply, MessageUpdate)))


def create(h: Harness, line: str, user: str = "alice") -> tuple[dict[str, Any], str]:
    """Run a /followup line that must store one new follow-up: (the record, the reply)."""
    before = {f["id"] for f in h.store.find(fu.FOLLOWUPS)}
    out = replies(h.cmd(user, line))
    new = [f for f in h.store.find(fu.FOLLOWUPS) if f["id"] not in before]
    assert len(new) == 1, out
    return new[0], out


def durable(h: Harness) -> dict[str, list[dict[str, Any]]]:
    return {k: v for k, v in h.snapshot().items() if k != "requests"}


def reminders(h: Harness, user: str = "alice") -> list[str]:
    """The follow-up reminders ``user`` got so far."""
    return [
        plain(m) for m in h.recorder.to(user) if any(b.action == "followup.done" for b in m.buttons)
    ]


# -- 1. duplicates are about the moment, the note and the cadence -----------------------


def test_the_same_person_the_same_day_at_another_time_is_a_new_follow_up(h: Harness) -> None:
    first, _ = create(h, "/followup @dan tomorrow 3pm")
    second, out = create(h, "/followup @dan tomorrow 6pm")
    assert "18:00" in out and "already" not in out
    third, _ = create(h, "/followup @dan tomorrow")  # 09:00
    dues = sorted(parse_iso(f["due"]).hour for f in (first, second, third))
    assert dues == [9, 15, 18]


def test_a_different_note_at_the_same_moment_is_a_new_follow_up(h: Harness) -> None:
    create(h, "/followup @dan tomorrow 3pm ask about the team")
    create(h, "/followup @dan tomorrow 3pm send my portfolio")
    create(h, "/followup @dan tomorrow 3pm")  # no note is a note of its own


def test_a_true_duplicate_is_refused_saying_what_matches_and_stores_nothing(h: Harness) -> None:
    f, _ = create(h, "/followup @dan tomorrow 3pm ask about the team")
    before = durable(h)
    out = replies(h.cmd("alice", "/followup @dan tomorrow 3pm ask about the team"))
    assert "exact" not in out
    assert "@dan" in out and "Wed 2 Dec, 15:00" in out and "ask about the team" in out
    assert f["id"] in out
    assert durable(h) == before


def test_a_true_duplicate_without_a_note_says_so(h: Harness) -> None:
    f, _ = create(h, "/followup @dan in 2 weeks")
    out = replies(h.cmd("alice", "/followup @dan in 2 weeks"))
    assert f["id"] in out and "Tue 15 Dec, 09:00" in out and "no note" in out


def test_another_member_or_someone_outside_is_never_a_duplicate(h: Harness) -> None:
    create(h, "/followup @dan tomorrow 3pm")
    create(h, "/followup @carol tomorrow 3pm")
    create(h, '/followup "Dana at Acme" tomorrow 3pm')


# -- 2. quiet hours and quiet weekends are said, not silently kept ------------------------


def test_a_follow_up_in_quiet_hours_says_when_it_really_comes(h: Harness) -> None:
    h.cmd("alice", "/rapport settings tz Europe/Paris")
    f, out = create(h, "/followup @dan tomorrow 11pm")
    assert "Wed 2 Dec, 23:00" in out
    assert "quiet hours" in out and "Thu 3 Dec, 08:00" in out
    listed = h.reply("alice", "/followup list")
    line = next(x for x in listed.splitlines() if f["id"] in x)
    assert "Wed 2 Dec, 23:00" in line and "quiet hours" in line and "Thu 3 Dec, 08:00" in line
    # …and that is when it comes.
    h.advance(datetime(2026, 12, 3, 6, 59, tzinfo=UTC) - h.clock.now())
    assert reminders(h) == []
    h.advance(timedelta(minutes=2))  # 08:00 in Paris is 07:00 UTC
    assert len(reminders(h)) == 1


def test_a_follow_up_on_a_quiet_weekend_says_it_comes_on_monday(h: Harness) -> None:
    h.cmd("alice", "/rapport settings tz Europe/Paris")
    f, out = create(h, "/followup @dan saturday 10am")
    assert "Sat 5 Dec, 10:00" in out and "weekend" in out and "Mon 7 Dec, 08:00" in out
    listed = h.reply("alice", "/followup list")
    line = next(x for x in listed.splitlines() if f["id"] in x)
    assert "weekend" in line and "Mon 7 Dec, 08:00" in line


def test_weekends_allowed_or_daytime_says_nothing_more(h: Harness) -> None:
    h.cmd("alice", "/rapport settings weekends off")
    _, out = create(h, "/followup @dan saturday 10am")
    assert "weekend" not in out and "quiet" not in out
    _, out = create(h, "/followup @dan tomorrow 3pm")
    assert "quiet" not in out and "so I'll remind you" not in out
    listed = h.reply("alice", "/followup list")
    assert "quiet" not in listed and "weekend" not in listed


def test_a_recurring_follow_up_starting_on_a_weekend_says_so(h: Harness) -> None:
    # Sat 5 Dec: "every week" starts Sat 12 Dec, 09:00, which waits for Monday.
    h.advance(datetime(2026, 12, 5, 12, 0, tzinfo=UTC) - h.clock.now())
    _, out = create(h, "/followup @dan every week")
    assert "Sat 12 Dec, 09:00" in out and "weekend" in out and "Mon 14 Dec, 08:00" in out


def test_personal_quiet_hours_are_the_ones_shown(h: Harness) -> None:
    h.cmd("alice", "/rapport settings quiet 18:00-10:00")
    _, out = create(h, "/followup @dan tomorrow 9am")
    assert "quiet hours" in out and "Wed 2 Dec, 10:00" in out


def test_a_follow_up_set_while_nudges_are_off_says_it_waits(h: Harness) -> None:
    h.cmd("alice", "/rapport nudges off")
    _, out = create(h, "/followup @dan tomorrow 3pm")
    assert "paused" in out and "/rapport nudges on" in out


# -- the reading is always shown, with its zone, and no empty line ------------------------


def test_every_reply_shows_the_reading_with_its_zone_and_no_empty_line(h: Harness) -> None:
    h.cmd("alice", "/rapport settings tz Europe/Paris")
    for line in (
        "/followup @dan tomorrow 11pm",
        "/followup @dan on 2026-12-20 15:00",
        "/followup @dan in 2 weeks",
        "/followup @dan saturday 10am",
    ):
        _, out = create(h, line)
        assert "" not in [x.strip() for x in out.splitlines()], out
        assert "Europe/Paris" in out, out
        assert "I read that as" in out, out


def test_the_home_says_when_a_held_reminder_really_comes(h: Harness) -> None:
    h.cmd("alice", "/rapport settings tz Europe/Paris")
    create(h, "/followup @dan tomorrow 11pm")
    create(h, "/followup @carol tomorrow 3pm")
    [view] = h.cmd("alice", "/rapport home")
    found = next(s for s in view.sections if to_plain(s.title) == "Follow-ups")
    texts = [plain(m) for m in found.items]
    dan = next(x for x in texts if "@dan" in x)
    carol = next(x for x in texts if "@carol" in x)
    assert "Wed 2 Dec, 23:00" in dan and "quiet hours" in dan and "Thu 3 Dec, 08:00" in dan
    assert "quiet" not in carol
