"""``/tips``: admins set a channel and a cadence; posts rotate through the library
without repeats, survive restarts and second processes without ever posting a slot
twice, and follow the schedule through daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.adapters.console.community import COMMUNITY
from bot.clock import parse_iso
from bot.config import Config
from bot.features.tips import commands as tips
from bot.features.tips import content, rotation
from bot.features.tips.content import Item
from bot.markup import Mention, Plain
from bot.outbox import OutboxWorker
from store.base import OUTBOX
from tests.harness import Harness, plain

ADMIN_LINES = [
    "/tips channel #jobs every monday 9:00",
    "/tips off",
    "/tips now",
    "/tips add Bring one question you can't Google.",
    "/tips remove coffee-01",
    "/tips restore coffee-01",
    "/tips digest off",
    "/tips digest now",
]


def tip_posts(h: Harness, channel: str = "jobs") -> list[str]:
    """Texts of the tips (not digests) delivered to a channel, in order."""
    return [plain(m) for m in h.recorder.posts(channel) if not plain(m).startswith("📬")]


def tip_times(h: Harness, channel: str = "jobs") -> list[datetime]:
    """When each tip post was sent (from the outbox), in order."""
    sent = [
        i
        for i in h.store.find(OUTBOX, {"kind": "deliver", "state": "sent"})
        if i["out"]["kind"] == "channel"
        and i["out"]["channel"] == channel
        and "📬" not in str(i["out"]["message"]["text"])
    ]
    return sorted(parse_iso(i["sent_at"]) for i in sent)


def pending_tip_events(h: Harness) -> list[dict]:
    return h.store.find(OUTBOX, {"event": tips.TIP_EVENT, "state": "pending"}, order_by="due")


# -- admins --------------------------------------------------------------------


@pytest.mark.parametrize("line", ADMIN_LINES)
def test_every_admin_command_refuses_members_and_changes_nothing(h: Harness, line: str) -> None:
    h.cmd("you", "/tips channel #jobs daily 9:00")
    before = h.snapshot()
    assert "Only a community admin can do that" in h.reply("alice", line)
    assert h.snapshot() == before


def test_a_configured_admin_may_use_admin_commands(tmp_path: Path) -> None:
    h = Harness(tmp_path / "d", config=Config(data_dir=str(tmp_path / "d"), admins=("alice",)))
    try:
        assert "Done! I'll post" in h.reply("alice", "/tips channel #jobs daily 9:00")
    finally:
        h.close()


def test_members_can_get_a_tip_and_browse_the_library(h: Harness) -> None:
    assert "Here's one for you" in h.reply("alice", "/tips")
    coffee = h.reply("alice", "/tips coffee")
    assert "Coffee chats" in coffee
    assert any(i.text[:40] in coffee for i in content.library() if i.category == "coffee_chats")
    assert "I don't have tips about “gardening”" in h.reply("alice", "/tips gardening")
    listing = h.reply("alice", "/tips list")
    assert "Tips aren't posted anywhere yet" in listing
    assert "Coffee chats (10) — /tips list coffee" in listing
    assert "coffee-01 Start close to home" in h.reply("alice", "/tips list coffee")


# -- setting a channel and a cadence ----------------------------------------------


def test_weekly_tips_post_on_the_day_and_time_set(h: Harness) -> None:
    reply = h.reply("you", "/tips channel #jobs every monday 9:00")
    assert "in #jobs every Monday at 09:00 (UTC)" in reply
    assert "The first one arrives Mon 7 Dec, 09:00 UTC." in reply
    assert "weekly digest every Friday at 16:00 (UTC)" in reply
    h.advance(timedelta(days=5, hours=23))  # Mon 08:00
    assert tip_posts(h) == []
    h.advance(timedelta(hours=2))
    assert len(tip_posts(h)) == 1
    h.advance(timedelta(days=7))
    assert len(tip_posts(h)) == 2
    assert [t.strftime("%a %H:%M") for t in tip_times(h)] == ["Mon 09:00", "Mon 09:00"]


def test_the_community_zone_is_used_unless_the_admin_names_one(h: Harness) -> None:
    from bot.context import COMMUNITIES

    h.store.insert(
        COMMUNITIES, {"key": COMMUNITY.key, "settings": {"default_tz": "America/New_York"}}
    )
    reply = h.reply("you", "/tips channel #jobs daily 9:00")
    assert "every day at 09:00 (America/New_York)" in reply
    assert "Tue 1 Dec, 09:00 EST" in reply  # 09:00 UTC is 04:00 in New York: today's is ahead
    reply = h.reply("you", "/tips channel #jobs daily 9:00 Europe/Berlin")
    assert "every day at 09:00 (Europe/Berlin)" in reply


def test_setting_the_same_schedule_twice_schedules_each_slot_once(h: Harness) -> None:
    h.cmd("you", "/tips channel #jobs daily 9:00")
    h.cmd("you", "/tips channel #jobs daily 9:00")
    assert len(pending_tip_events(h)) == 1
    h.advance(timedelta(days=1, minutes=1))
    assert len(tip_posts(h)) == 1


def test_a_bad_schedule_is_refused_and_nothing_is_stored(h: Harness) -> None:
    before = h.snapshot()
    assert "When should I post?" in h.reply("you", "/tips channel #jobs")
    assert "couldn't read how often" in h.reply("you", "/tips channel #jobs sometimes")
    assert "Please name the channel for tips with #" in h.reply("you", "/tips channel jobs daily")
    assert h.snapshot() == before


def test_a_new_schedule_replaces_the_old_one(h: Harness) -> None:
    h.cmd("you", "/tips channel #jobs daily 9:00")
    h.cmd("you", "/tips channel #jobs every monday 9:00")
    h.advance(timedelta(days=5, hours=1))  # Wed..Sun slots of the old schedule come and go
    assert tip_posts(h) == []
    h.advance(timedelta(days=1))
    assert len(tip_posts(h)) == 1
    assert [t.strftime("%a") for t in tip_times(h)] == ["Mon"]


def test_moving_the_channel_moves_the_posts(h: Harness) -> None:
    h.cmd("you", "/tips channel #jobs daily 9:00")
    h.cmd("you", "/tips channel #general daily 9:00")
    h.advance(timedelta(days=2, minutes=1))
    assert tip_posts(h, "jobs") == []
    assert len(tip_posts(h, "general")) == 2


def test_tips_off_stops_posts_until_a_channel_is_set_again(h: Harness) -> None:
    h.cmd("you", "/tips channel #jobs daily 9:00")
    assert "Tips are paused. Nothing more goes to #jobs" in h.reply("you", "/tips off")
    assert "aren't being posted right now" in h.reply("you", "/tips off")
    h.advance(timedelta(days=3))
    assert tip_posts(h) == []
    assert "Tips are paused (last channel: #jobs)" in h.reply("you", "/tips list")
    h.cmd("you", "/tips channel #jobs daily 9:00")
    h.advance(timedelta(days=1))
    assert len(tip_posts(h)) == 1


def test_tips_now_posts_at_once_and_needs_a_channel(h: Harness) -> None:
    assert "There's no tips channel yet" in h.reply("you", "/tips now")
    assert h.recorder.posts() == []
    h.cmd("you", "/tips channel #jobs every monday 9:00")
    assert "Posted in #jobs" in h.reply("you", "/tips now")
    assert "Posted in #general" in h.reply("you", "/tips now #general")
    assert len(tip_posts(h, "jobs")) == 1
    assert len(tip_posts(h, "general")) == 1
    h.advance(timedelta(days=6, minutes=1))
    posted = tip_posts(h, "jobs")
    assert len(posted) == 2 and posted[0] != posted[1]


# -- the library -------------------------------------------------------------------


def test_admins_add_remove_and_restore_tips(h: Harness) -> None:
    assert "What's the tip?" in h.reply("you", "/tips add")
    assert "a little short" in h.reply("you", "/tips add Be nice")
    assert "under 300 characters" in h.reply("you", "/tips add " + "word " * 80)
    added = h.reply("you", "/tips add Bring one question you can't Google.")
    tip_id = added.split("Added as ")[1].split(".")[0]
    assert tip_id.startswith("c-")
    listing = h.reply("you", "/tips list")
    assert f"{tip_id} Bring one question you can't Google." in listing
    assert "won't be posted in this community" in h.reply("you", "/tips remove coffee-03")
    assert "already hidden" in h.reply("you", "/tips remove coffee-03")
    assert "Hidden here: coffee-03." in h.reply("you", "/tips list")
    assert "coffee-03 (hidden)" in h.reply("you", "/tips list coffee")
    assert "I don't have a tip called “nope-9”" in h.reply("you", "/tips remove nope-9")
    assert "Which tip?" in h.reply("you", "/tips remove")
    assert f"Removed {tip_id}" in h.reply("you", f"/tips remove {tip_id}")
    assert f"I don't have a tip called “{tip_id}”" in h.reply("you", f"/tips remove {tip_id}")
    assert "back in the rotation" in h.reply("you", "/tips restore coffee-03")
    assert "isn't hidden" in h.reply("you", "/tips restore coffee-03")
    assert "Hidden here" not in h.reply("you", "/tips list")


def test_hidden_tips_are_never_posted_and_added_ones_are(h: Harness) -> None:
    h.cmd("you", "/tips remove coffee-01")
    added = rotation.add_custom(
        h.store, COMMUNITY, "Our own tip, <!channel>.", "you", h.clock.now()
    )
    hidden = ("coffee-01",)
    total = len(content.library())  # one hidden, one added
    picked = [rotation.next_item(h.store, COMMUNITY, "jobs", hidden) for _ in range(total)]
    ids = [i.id for i in picked if i]
    assert "coffee-01" not in ids
    assert added.id in ids
    assert len(set(ids)) == total


def test_custom_tips_are_posted_as_plain_text() -> None:
    message = tips.post_message(Item("c-abcd", rotation.CUSTOM_CATEGORY, "*Hi* <!channel> @here"))
    spans = message.text
    assert any(isinstance(s, Plain) and "*Hi* <!channel> @here" in s.text for s in spans)
    assert not any(isinstance(s, Mention) for s in spans)


# -- rotation ----------------------------------------------------------------------


def test_rotation_uses_everything_once_then_starts_a_new_shuffled_cycle(h: Harness) -> None:
    total = len(content.library())
    first = [rotation.next_item(h.store, COMMUNITY, "jobs").id for _ in range(total)]
    assert sorted(first) == sorted(i.id for i in content.library())
    second = [rotation.next_item(h.store, COMMUNITY, "jobs").id for _ in range(total)]
    assert sorted(second) == sorted(first)
    assert second != first  # a new shuffle
    assert second[0] != first[-1]  # and it never opens with the item that just closed


def test_rotation_is_per_channel_and_deterministic(h: Harness, tmp_path: Path) -> None:
    jobs = [rotation.next_item(h.store, COMMUNITY, "jobs").id for _ in range(5)]
    general = [rotation.next_item(h.store, COMMUNITY, "general").id for _ in range(5)]
    assert jobs != general
    other = Harness(tmp_path / "other")
    try:
        again = [rotation.next_item(other.store, COMMUNITY, "jobs").id for _ in range(5)]
    finally:
        other.close()
    assert again == jobs


def test_scheduled_posts_do_not_repeat(h: Harness) -> None:
    h.cmd("you", "/tips channel #jobs daily 9:00")
    h.advance(timedelta(days=14, minutes=1))
    posted = tip_posts(h)
    assert len(posted) == 14
    assert len(set(posted)) == 14


# -- never twice: restarts and second processes ---------------------------------


def test_a_second_worker_never_posts_a_slot_twice(h: Harness) -> None:
    h.cmd("you", "/tips channel #jobs daily 9:00")
    other = OutboxWorker(h.core, {"console": h.recorder}, worker_id="second")
    h.clock.set(datetime(2026, 12, 2, 9, 0, 30, tzinfo=UTC))
    h.loop.run_until_complete(other.tick())
    h.tick()
    h.loop.run_until_complete(other.tick())
    assert len(tip_posts(h)) == 1
    assert len(pending_tip_events(h)) == 1


def test_a_replayed_slot_event_posts_nothing_more(h: Harness) -> None:
    h.cmd("you", "/tips channel #jobs daily 9:00")
    h.advance(timedelta(days=1, minutes=1))
    done = h.store.find(OUTBOX, {"event": tips.TIP_EVENT, "state": "done"})
    assert len(done) == 1
    # As if a crash lost the "done" mark and another process ran the event again.
    h.store.update(OUTBOX, done[0]["id"], {"state": "pending"})
    h.tick()
    assert len(tip_posts(h)) == 1
    assert len(pending_tip_events(h)) == 1


def test_a_restart_neither_loses_nor_repeats_a_slot(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = Harness(data)
    first.cmd("you", "/tips channel #jobs daily 9:00")
    first.close()
    # Down over Wednesday's 09:00; back at 09:05: the slot is posted once, late.
    second = Harness(data, start=datetime(2026, 12, 2, 9, 5, tzinfo=UTC))
    second.tick()
    assert len(tip_posts(second)) == 1
    second.close()
    third = Harness(data, start=datetime(2026, 12, 2, 9, 10, tzinfo=UTC))
    third.tick()
    assert tip_posts(third) == []
    third.advance(timedelta(days=1))
    assert len(tip_posts(third)) == 1
    third.close()


def test_a_slot_missed_by_a_long_outage_is_skipped_and_the_schedule_resumes(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    first = Harness(data)
    first.cmd("you", "/tips channel #jobs daily 9:00")
    first.close()
    back = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)  # two days later
    second = Harness(data, start=back)
    try:
        second.tick()
        assert tip_posts(second) == []
        pending = pending_tip_events(second)
        assert [parse_iso(p["due"]) for p in pending] == [datetime(2026, 12, 5, 9, tzinfo=UTC)]
        second.advance(timedelta(days=1))
        assert len(tip_posts(second)) == 1
    finally:
        second.close()


# -- daylight saving -----------------------------------------------------------------


def test_posts_stay_at_nine_in_berlin_across_the_october_change(tmp_path: Path) -> None:
    h = Harness(tmp_path / "d", start=datetime(2026, 10, 22, 12, tzinfo=UTC))
    try:
        h.cmd("you", "/tips channel #jobs daily 9:00 Europe/Berlin")
        h.advance(timedelta(days=5))
        times = tip_times(h)
        berlin = [t.astimezone(ZoneInfo("Europe/Berlin")) for t in times]
        assert [f"{t:%d %H:%M}" for t in berlin] == [
            "23 09:00",
            "24 09:00",
            "25 09:00",
            "26 09:00",
            "27 09:00",
        ]
        assert [t.hour for t in times] == [7, 7, 8, 8, 8]
    finally:
        h.close()


def test_new_york_posts_survive_a_restart_across_the_november_change(tmp_path: Path) -> None:
    data = tmp_path / "d"
    first = Harness(data, start=datetime(2026, 10, 30, 12, tzinfo=UTC))
    first.cmd("you", "/tips channel #jobs weekdays 9:00 America/New_York")
    first.advance(timedelta(hours=2))  # Fri 30 Oct 09:00 EDT = 13:00 UTC
    assert [t.hour for t in tip_times(first)] == [13]
    first.close()
    # Restart on Sunday 1 Nov, just before the clocks go back.
    second = Harness(data, start=datetime(2026, 11, 1, 5, 30, tzinfo=UTC))
    try:
        second.advance(timedelta(days=2, hours=12))
        times = tip_times(second)
        assert [f"{t:%a %H:%M}" for t in times] == ["Fri 13:00", "Mon 14:00", "Tue 14:00"]
        ny = [t.astimezone(ZoneInfo("America/New_York")) for t in times]
        assert {f"{t:%H:%M}" for t in ny} == {"09:00"}
    finally:
        second.close()


def test_help_shows_admin_commands_to_admins_only(h: Harness) -> None:
    member = h.reply("alice", "/rapport help")
    admin = h.reply("you", "/rapport help")
    for line in (
        "/tips [topic]",
        "/tips list [topic]",
        "/win <what happened>",
        "/outreach @person",
    ):
        assert line in member and line in admin
    for line in ("/tips channel #channel <when>", "/tips add <text>", "/win channel #channel|off"):
        assert line not in member and line in admin


def test_the_same_tip_twice_is_kept_once(h: Harness) -> None:
    assert "Added as" in h.reply("you", "/tips add Bring one question you cannot Google.")
    again = h.reply("you", "/tips add bring one  question you cannot google.")
    assert "in the rotation already" in again
    assert h.store.count("tips_custom") == 1
