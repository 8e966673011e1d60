"""The outbox's Slack deliverer against Web API errors: closed DMs, people and channels
gone, and rate limits — each with a clear outcome, retried only where that helps."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.clock import parse_iso
from bot.ratelimit import Use
from store.base import OUTBOX
from tests.adapters.slack.fake_slack import TEAM
from tests.adapters.slack.rig import SlackRig


def only_item(rig: SlackRig) -> dict:
    [item] = [i for i in rig.store.find(OUTBOX) if i.get("origin") == "UALICE"][:1]
    return item


@pytest.mark.parametrize("error", ["cannot_dm_bot", "messages_tab_disabled"])
def test_dms_closed_fails_for_good_and_tells_the_sender(rig: SlackRig, error: str):
    rig.fake.fail("conversations.open", error, when=lambda p: p.get("users") == "UBOB")
    rig.command("alice", "/probe dm @bob hello")
    report = rig.tick()
    assert report.failures == {"dms_closed": 1}
    assert only_item(rig)["state"] == "failed"
    note = rig.last_dm("alice").params["text"]
    assert "<@UBOB>" in note and "direct message" in note
    # Never retried: a later tick asks Slack nothing more about bob.
    calls = len(rig.fake.of("conversations.open"))
    rig.advance(timedelta(hours=2))
    assert len(rig.fake.of("conversations.open")) == calls


@pytest.mark.parametrize("error", ["user_not_found", "account_inactive"])
def test_a_person_gone_fails_for_good(rig: SlackRig, error: str):
    rig.fake.fail("conversations.open", error, when=lambda p: p.get("users") == "UBOB")
    rig.command("alice", "/probe dm @bob hello")
    assert rig.tick().failures == {"user_gone": 1}
    assert "community any more" in rig.last_dm("alice").params["text"]


@pytest.mark.parametrize("error", ["channel_not_found", "is_archived", "not_in_channel"])
def test_a_channel_gone_fails_for_good(rig: SlackRig, error: str):
    rig.fake.fail("chat.postMessage", error, when=lambda p: p.get("channel") == "CJOBS")
    rig.command("alice", "/probe post #jobs hello")
    assert rig.tick().failures == {"channel_gone": 1}
    assert "invite me" in rig.last_dm("alice").params["text"]


def test_a_429_is_not_waited_out_in_place_but_pauses_only_that_method(rig: SlackRig):
    rig.fake.rate_limit("conversations.open", retry_after=1, times=1)
    rig.command("alice", "/probe dm @bob hello")
    rig.command("alice", "/probe post #jobs hello")
    report = rig.tick()
    assert (report.sent, report.retried) == (1, 1)  # the channel post needs no open
    assert rig.sleeps == []  # no thread held the outbox
    assert len(rig.fake.posts_to("CJOBS")) == 1
    limiter = rig.worker.limiter("slack")
    opening = limiter.ready_at([Use("conversations.open", TEAM)])
    assert opening == (rig.clock.now() + timedelta(seconds=1)).timestamp()
    rig.advance(timedelta(seconds=2))
    assert len(rig.dms("bob")) == 1


def test_a_429_goes_back_to_the_outbox_with_retry_after(rig: SlackRig):
    rig.fake.rate_limit("chat.postMessage", retry_after=2, times=1)
    rig.command("alice", "/probe dm @bob hello")
    report = rig.tick()
    assert report.retried == 1
    item = only_item(rig)
    assert item["state"] == "pending" and item["last_error"] == "rate_limited"
    assert parse_iso(item["due"]) - rig.clock.now() == timedelta(seconds=2)
    rig.advance(timedelta(seconds=3))
    assert len(rig.dms("bob")) == 1


def test_a_long_retry_after_is_not_slept_on(rig: SlackRig):
    rig.fake.rate_limit("conversations.open", retry_after=120, times=1)
    rig.command("alice", "/probe dm @bob hello")
    assert rig.tick().retried == 1
    assert rig.sleeps == []  # no thread waits two minutes; the outbox does


def test_a_429_storm_loses_nothing_and_sends_nothing_twice(rig: SlackRig):
    rig.fake.rate_limit("conversations.open", retry_after=1, times=25)
    rig.fake.rate_limit("chat.postMessage", retry_after=30, times=10)
    people = ["bob", "carol", "dan", "you"]
    for i in range(12):
        rig.command("alice", f"/probe dm @{people[i % 4]} message {i}")
    for _ in range(12):
        rig.advance(timedelta(minutes=1))
    texts = [c.params["text"] for who in people for c in rig.dms(who)]
    assert sorted(texts) == sorted(f"<@UALICE> says: message {i}" for i in range(12))
    assert rig.store.count(OUTBOX, {"state": "sent"}) == 12
    assert rig.store.count(OUTBOX, {"state": "failed"}) == 0
    assert rig.sleeps == []  # every wait was the outbox's, no thread slept


def test_a_server_error_is_retried_later(rig: SlackRig):
    rig.fake.fail("chat.postMessage", "internal_error", times=1)
    rig.command("alice", "/probe dm @bob hello")
    assert rig.tick().retried == 1
    rig.advance(timedelta(minutes=5))
    assert len(rig.dms("bob")) == 1


def test_a_message_slack_rejects_is_not_retried(rig: SlackRig):
    rig.fake.fail("chat.postMessage", "invalid_blocks", times=1)
    rig.command("alice", "/probe dm @bob hello")
    assert rig.tick().failures == {"rejected": 1}
    assert only_item(rig)["last_error"] == "rejected: invalid_blocks"
