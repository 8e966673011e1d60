"""One test per bug the fuzzers, the authorization sweep and the soak found, named for it."""

from __future__ import annotations

from bot.adapters.console.community import COMMUNITY
from bot.markup import Mention, fmt
from bot.messages import Message
from tests.fuzz.checks import discord_problems
from tests.harness import Harness


def test_a_time_zone_too_long_for_a_file_name_is_refused_not_a_crash(h: Harness) -> None:
    """``ZoneInfo`` raised OSError (file name too long) for a 10,000-character zone."""
    before = h.snapshot()
    reply = h.reply("alice", "/rapport settings tz Europe/Berlin " + "A" * 10_000)
    assert "I don't know the time zone" in reply
    assert "something went wrong" not in reply
    assert h.snapshot() == before


def test_a_refusal_quotes_at_most_the_ends_of_a_huge_paste(h: Harness) -> None:
    """Refusals echoed all 10,000 pasted characters, burying the one sentence that mattered."""
    reply = h.reply("alice", "/rapport help " + "x" * 10_000)
    assert reply.startswith("I don't have a command called")
    assert len(reply) < 1_000
    assert "Example" in reply


def test_a_refusal_example_built_from_a_huge_paste_is_cut_too(h: Harness) -> None:
    """``/coffee suggest <id>`` puts the typed id in its example: 10,000 characters of it."""
    reply = h.reply("alice", "/coffee suggest " + "A" * 10_000)
    assert "Example" in reply and "/coffee suggest" in reply
    assert len(reply) < 1_500


def test_a_channel_link_typed_as_text_is_not_live_on_discord() -> None:
    """Discord's escape broke typed @-mentions but left a typed ``<#id>`` a live link."""
    message = Message(
        fmt(
            "{who} shared: {text}",
            who=Mention("800000000000000001"),
            text="see <#700000000000000011>",
        )
    )
    assert not discord_problems(message)


def test_a_nudge_retried_by_the_platform_still_waits_for_the_end_of_quiet_hours(
    h: Harness,
) -> None:
    """A follow-up released at 20:59 whose DM the platform asked to retry in 3 minutes
    arrived at 21:02, inside quiet hours (21:00-08:00). Found by the soak's retries."""
    from datetime import UTC, datetime, timedelta

    from bot.io import DirectMessage
    from bot.outbox import Retry

    class Flaky:
        def __init__(self) -> None:
            self.failed = False
            self.at: list = []

        async def deliver(self, parcel):  # type: ignore[no-untyped-def]
            if isinstance(parcel.output, DirectMessage) and not self.failed:
                self.failed = True
                return Retry("rate_limited", after=180)
            self.at.append(h.clock.now())
            return await h.recorder.deliver(parcel)

    flaky = Flaky()
    h.worker.deliverers["console"] = flaky
    h.cmd("alice", "/followup @bob on 2026-12-01 20:59 ask about the team")
    h.advance(timedelta(hours=24))
    assert flaky.at, "the reminder arrived"
    assert flaky.at[0] >= datetime(2026, 12, 2, 8, 0, tzinfo=UTC), flaky.at[0]  # 21:02 today


def test_finished_outbox_items_are_forgotten_after_a_month_so_memory_levels_off(
    h: Harness,
) -> None:
    """The outbox kept every message ever sent, whole: 60% of all records after the
    soak's two months, growing ~7 MB a day at 1,000 members. Housekeeping now forgets
    finished items a month old; pending ones (even due far ahead) are kept."""
    from datetime import timedelta

    from bot.scheduler import _housekeeping
    from store.base import OUTBOX

    h.recorder.closed.add("dan")
    h.cmd("alice", "/intro @bob @carol I'd love to hear how she moved into data work")
    h.cmd("carol", "/followup @dan in 6 weeks ask about the referral")
    h.cmd("bob", "/coffee @dan tomorrow 3pm career chat")  # dan's DMs are closed: failed
    states = {i["state"] for i in h.store.find(OUTBOX)}
    assert {"sent", "failed", "pending"} <= states
    h.clock.advance(timedelta(days=20))
    _housekeeping(h.worker)
    assert {i["state"] for i in h.store.find(OUTBOX)} == states  # too recent to forget
    # A month past the last of them: the undelivered invite's "unanswered" event, called
    # off when the chat closed, was due at the chat's time (tomorrow).
    h.clock.advance(timedelta(days=12))
    _housekeeping(h.worker)
    left = h.store.find(OUTBOX)
    assert {i["state"] for i in left} == {"pending"}
    assert any(i.get("event") == "followup.due" for i in left)  # due in six weeks: kept


def test_a_display_name_in_the_home_message_fallback_is_escaped_on_slack(h: Harness) -> None:
    """``/rapport home`` on Slack: the ephemeral message's ``text`` was ``to_plain(intro)``,
    so a member whose display name is ``<!channel>`` got a live broadcast in it."""
    from bot.adapters.slack import home
    from bot.directory import Member
    from bot.io import CommandInvocation
    from tests.fuzz.checks import _slack_refs_ok

    h.directory.add(Member("U0EVIL01", "<!channel> <@U123>"))
    out = h.core.handle_command(
        CommandInvocation(COMMUNITY, "U0EVIL01", "rapport", ("home",), request_id="r1")
    )
    views = [o for o in out if hasattr(o, "sections")]
    assert views, "/rapport home shows a home view"
    payload = home.home_message(views[0])
    assert _slack_refs_ok([payload["text"]], set(), set()) == []


def test_a_maybe_sent_re_offer_that_fails_for_a_moment_is_still_maybe_sent(h: Harness) -> None:
    """After a crash between the platform taking a message and "sent" being written, the
    re-offer is flagged ``maybe_sent``. When that offer failed for a moment (a timeout
    while checking), the retry came without the flag and a platform without idempotency
    posted the message twice. Found by the soak (kill after accept, then a timeout)."""
    from datetime import timedelta

    from bot.outbox import Retry
    from store.base import OUTBOX

    class Platform:
        def __init__(self) -> None:
            self.offers: list[bool] = []

        async def deliver(self, parcel):  # type: ignore[no-untyped-def]
            self.offers.append(parcel.maybe_sent)
            if len(self.offers) == 1:
                return Retry("timeout")  # checking the history timed out
            return await h.recorder.deliver(parcel)

    h.cmd(
        "alice", "/intro @bob @carol I'd love to hear how she moved into data work", deliver=False
    )
    ask = next(i for i in h.store.find(OUTBOX) if i.get("kind") == "deliver")
    # What a worker killed after the platform accepted leaves behind: sending, lease over.
    h.store.update(
        OUTBOX, ask["id"], {"state": "sending", "lease_until": "2000-01-01T00:00:00.000000Z"}
    )
    platform = Platform()
    h.worker.deliverers["console"] = platform
    h.tick()  # the re-offer after the "restart": the check times out
    h.advance(timedelta(minutes=10))
    assert platform.offers == [True, True]
    assert h.store.get(OUTBOX, ask["id"])["state"] == "sent"
