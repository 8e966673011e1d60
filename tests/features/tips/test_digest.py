"""The weekly digest: aggregate numbers from the other features' tables (read
defensively), numbers only — nobody is ever named — posted weekly in the tips
channel on its own schedule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.adapters.console.community import COMMUNITY
from bot.clock import iso, read_moment
from bot.features.followup.contacts import CONTACTS
from bot.features.intro.flow import INTROS
from bot.features.tips.digest import WeekNumbers, digest_message
from bot.features.tips.digest import count_week as count_in
from bot.features.win.numbers import WINS
from bot.io import Community
from bot.markup import Mention
from tests.features.win.test_win import flat
from tests.harness import Harness, plain

END = datetime(2026, 12, 4, 16, 0, tzinfo=UTC)  # Friday
START = END - timedelta(days=7)
IN = END - timedelta(days=2)
BEFORE = START - timedelta(days=1)
OTHER = Community("console", "elsewhere")


def count_week(h: Harness, start: datetime, end: datetime) -> WeekNumbers:
    return count_in(h.core.context(COMMUNITY, "you"), start, end)


def intro(state: str, at: datetime | None, community: Community = COMMUNITY) -> dict:
    history = [{"state": "requested", "at": iso(at - timedelta(days=1)) if at else None}]
    if at is not None:
        history.append({"state": state, "at": iso(at), "by": "carol"})
    return {
        "community": community.key,
        "requester": "alice",
        "connector": "carol",
        "target": "dan",
        "state": state,
        "history": history,
    }


def contact(user: str, other: str, at: datetime, source: str, chat: str | None = None) -> dict:
    doc = {"community": COMMUNITY.key, "user": user, "other": other, "at": iso(at)}
    return {**doc, "source": source, **({"chat": chat} if chat else {})}


def fill(h: Harness) -> None:
    s = h.store
    s.insert(INTROS, intro("introduced", IN))
    s.insert(INTROS, intro("made_outside", IN))
    s.insert(INTROS, intro("introduced", BEFORE))  # last week
    s.insert(INTROS, intro("asked_connector", None))  # still pending
    s.insert(INTROS, intro("introduced", IN, OTHER))  # another community
    s.insert(INTROS, {"community": COMMUNITY.key, "state": "introduced"})  # undated
    # A coffee chat both people checked in on counts once; so does a roulette pair.
    s.insert(CONTACTS, contact("alice", "bob", IN, "coffee", "ch1"))
    s.insert(CONTACTS, contact("bob", "alice", IN, "coffee", "ch1"))
    s.insert(CONTACTS, contact("carol", "dan", IN, "roulette", "g7"))
    s.insert(CONTACTS, contact("dan", "carol", IN, "roulette", "g7"))
    s.insert(CONTACTS, contact("alice", "bob", BEFORE, "coffee", "ch0"))
    s.insert(CONTACTS, contact("alice", "carol", IN, "intro"))  # not a chat
    # Follow-ups done, one of them written with a plain isoformat() moment.
    s.insert(CONTACTS, contact("bob", "dan", IN, "followup"))
    s.insert(CONTACTS, {**contact("bob", "carol", IN, "followup"), "at": IN.isoformat()})
    s.insert(CONTACTS, contact("bob", "erin", BEFORE, "followup"))
    for user, at in (
        ("alice", IN),
        ("bob", IN + timedelta(hours=1)),
        ("alice", IN),
        ("dan", BEFORE),
    ):
        s.insert(WINS, {"community": COMMUNITY.key, "user": user, "text": "yay", "at": iso(at)})


def test_the_week_is_counted_from_every_source(h: Harness) -> None:
    fill(h)
    numbers = count_week(h, START, END)
    assert numbers == WeekNumbers(chats=2, intros=2, followups=2, wins=3)


def test_missing_tables_count_zero(h: Harness) -> None:
    assert count_week(h, START, END) == WeekNumbers()
    assert WeekNumbers().quiet


def test_odd_records_do_not_break_the_count(h: Harness) -> None:
    h.store.insert(INTROS, {"community": COMMUNITY.key, "state": "introduced", "history": "x"})
    h.store.insert(INTROS, {"community": COMMUNITY.key, "state": "introduced", "history": [3]})
    h.store.insert(CONTACTS, {"community": COMMUNITY.key, "source": "followup", "at": "soon"})
    assert count_week(h, START, END) == WeekNumbers()


def test_moments_are_read_in_any_iso_form() -> None:
    when = read_moment
    assert when("2026-12-01T09:00:00.000000Z") == datetime(2026, 12, 1, 9, tzinfo=UTC)
    assert when("2026-12-01T10:00:00+01:00") == datetime(2026, 12, 1, 9, tzinfo=UTC)
    assert when("2026-12-01T09:00:00") == datetime(2026, 12, 1, 9, tzinfo=UTC)
    assert when("tomorrow") is None and when(None) is None and when(5) is None


def test_the_digest_is_numbers_only_and_names_nobody(h: Harness) -> None:
    fill(h)
    numbers = count_week(h, START, END)
    message = digest_message(numbers, START, END, "Europe/Berlin")
    text = plain(message)
    assert "The week in our community (27 Nov – 4 Dec)" in text
    for line in (
        "☕ 2 coffee chats held",
        "🤝 2 warm intros made",
        "🔁 2 follow-ups done",
        "🎉 3 wins shared",
    ):
        assert line in text
    assert [s for s in flat(message.text) if isinstance(s, Mention)] == []
    assert "Congratulations" not in text
    for name in ("alice", "bob", "carol", "dan", "erin"):
        assert name not in text


def test_singulars() -> None:
    text = plain(digest_message(WeekNumbers(1, 1, 1, 1), START, END, "UTC"))
    assert "☕ 1 coffee chat held" in text
    assert "🤝 1 warm intro made" in text
    assert "🔁 1 follow-up done" in text
    assert "🎉 1 win shared" in text


def test_a_quiet_week_gets_encouragement_not_zeros() -> None:
    text = plain(digest_message(WeekNumbers(), START, END, "UTC"))
    assert "A quiet week, and that's okay" in text
    assert "0 " not in text


# -- scheduling ----------------------------------------------------------------------


def digests(h: Harness) -> list[str]:
    return [plain(m) for m in h.recorder.posts("jobs") if plain(m).startswith("📬")]


def test_the_digest_posts_weekly_in_the_tips_channel(h: Harness) -> None:
    h.cmd("you", "/tips channel #jobs every monday 9:00")
    fill(h)
    h.advance(timedelta(days=3, hours=6))  # Fri 4 Dec 15:00
    assert digests(h) == []
    h.advance(timedelta(hours=2))
    [first] = digests(h)
    assert "☕ 2 coffee chats held" in first
    h.advance(timedelta(days=7))
    assert len(digests(h)) == 2
    assert "A quiet week" in digests(h)[1]


def test_admins_move_pause_and_post_the_digest(h: Harness) -> None:
    assert "will run every Friday at 16:00 (UTC) once a tips channel is set" in h.reply(
        "you", "/tips digest on"
    )
    assert "There's no tips channel yet" in h.reply("you", "/tips digest now")
    h.cmd("you", "/tips channel #jobs every monday 9:00")
    assert "The weekly digest is off" in h.reply("you", "/tips digest off")
    assert "Weekly digest: off." in h.reply("you", "/tips list")
    h.advance(timedelta(days=7))
    assert digests(h) == []
    reply = h.reply("you", "/tips digest every sunday 18:00")
    assert "The weekly digest goes to #jobs every Sunday at 18:00 (UTC)." in reply
    assert "The digest is weekly" in h.reply("you", "/tips digest every 3 days")
    h.advance(timedelta(days=7))
    assert len(digests(h)) == 1
    assert "Posted this week's digest in #jobs" in h.reply("you", "/tips digest now")
    assert len(digests(h)) == 2


def test_pausing_tips_pauses_the_digest_too(h: Harness) -> None:
    h.cmd("you", "/tips channel #jobs every monday 9:00")
    h.cmd("you", "/tips off")
    h.advance(timedelta(days=8))
    assert h.recorder.posts() == []


def test_digest_now_is_refused_kindly_while_tips_are_off(h: Harness) -> None:
    h.cmd("you", "/tips channel #jobs every monday 9:00")
    h.cmd("you", "/tips off")
    before = h.snapshot()
    text = h.reply("you", "/tips digest now")
    assert "Tips are paused" in text
    assert "/tips channel with #jobs and a schedule" in text
    assert h.recorder.posts() == []
    assert h.snapshot() == before
    h.cmd("you", "/tips channel #jobs every monday 9:00")
    assert "Posted this week's digest in #jobs" in h.reply("you", "/tips digest now")
    assert len(digests(h)) == 1


def test_a_replayed_digest_event_posts_once(h: Harness) -> None:
    from store.base import OUTBOX

    h.cmd("you", "/tips channel #jobs every monday 9:00")
    h.advance(timedelta(days=3, hours=8))
    [done] = h.store.find(OUTBOX, {"event": "tips.digest", "state": "done"})
    h.store.update(OUTBOX, done["id"], {"state": "pending"})
    h.tick()
    assert len(digests(h)) == 1
