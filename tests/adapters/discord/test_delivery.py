"""The outbox delivering through discord.py: DMs, channel posts, private threads, and failures."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.io import Community, DirectMessage
from bot.markup import plain
from bot.messages import Message
from bot.outbox import Parcel, Sent
from store.base import OUTBOX
from tests.adapters.discord import payloads as p
from tests.adapters.discord.fake_api import FakeDiscord
from tests.adapters.discord.world import World

ANA = p.user("800000000000000001", "ana")
BO = p.user("800000000000000002", "bo")
CY = p.user("800000000000000003", "cy")
JOBS = p.text_channel("700000000000000010", p.GUILD, "jobs")
INTROS = "700000000000000077"
ANY_MESSAGE = r"/channels/\d+/messages"


def deliveries(world: World) -> list[dict[str, Any]]:
    return sorted(world.store.find(OUTBOX, {"kind": "deliver"}), key=lambda d: d["created"])


def dm_attempts(fake: FakeDiscord, user: str) -> int:
    channels = {c for c, u in fake.dm_channels.items() if u == user}
    return sum(1 for r in fake.of("channel_message") if r.path.split("/")[2] in channels)


def test_closed_dms_fail_for_good_and_the_sender_is_told(world: World, fake: FakeDiscord) -> None:
    fake.closed_dms.add(BO["id"])
    world.interact(p.slash("echo", ["dm"], ANA, person=BO, text="hi"))
    report = world.tick()
    assert report.failures == {"dms_closed": 1}
    item = deliveries(world)[0]
    assert item["state"] == "failed" and item["last_error"] == "dms_closed"
    for _ in range(3):  # never retried, however long we wait
        world.clock.advance(timedelta(hours=2))
        world.tick()
    assert dm_attempts(fake, BO["id"]) == 1
    note = fake.dms_to(ANA["id"])[-1]
    assert f"<@{BO['id']}>" in note["content"] and "DMs are closed" in note["content"]


def test_a_long_rate_limit_is_retried_after_what_discord_said(
    world: World, fake: FakeDiscord
) -> None:
    fake.rate_limit("POST", ANY_MESSAGE, retry_after=60)
    world.interact(p.slash("echo", ["dm"], ANA, person=BO, text="hi"))
    report = world.tick()
    assert report.retried == 1 and report.sent == 0
    item = deliveries(world)[0]
    assert item["state"] == "pending" and item["last_error"] == "rate_limited"
    assert item["due"] > (world.clock.now() + timedelta(seconds=59)).strftime("%Y-%m-%dT%H:%M:%S")
    world.clock.advance(timedelta(seconds=30))
    assert world.tick().sent == 0  # not yet
    world.clock.advance(timedelta(seconds=31))
    assert world.tick().sent == 1
    assert dm_attempts(fake, BO["id"]) == 2
    assert len(fake.dms_to(BO["id"])) == 1


def test_a_short_rate_limit_is_waited_out_by_discord_py(world: World, fake: FakeDiscord) -> None:
    fake.rate_limit("POST", ANY_MESSAGE, retry_after=0.01)
    world.interact(p.slash("echo", ["dm"], ANA, person=BO, text="hi"))
    report = world.tick()
    assert report.sent == 1 and report.retried == 0
    assert dm_attempts(fake, BO["id"]) == 2


def test_a_user_discord_does_not_know_is_gone(world: World, fake: FakeDiscord) -> None:
    fake.gone_users.add(BO["id"])
    world.interact(p.slash("echo", ["dm"], ANA, person=BO, text="hi"))
    assert world.tick().failures == {"user_gone": 1}


def test_a_channel_rapport_cannot_see_fails_for_good(world: World, fake: FakeDiscord) -> None:
    fake.fail(
        "POST",
        f"/channels/{JOBS['id']}/messages",
        403,
        {"message": "Missing Access", "code": 50001},
        times=None,
    )
    world.interact(p.slash("echo", ["post"], ANA, channel=JOBS, text="hello"))
    assert world.tick().failures == {"channel_gone": 1}


def test_channel_posts_and_public_replies(world: World, fake: FakeDiscord) -> None:
    world.interact(p.slash("echo", ["post"], ANA, channel=JOBS, text="*not bold*"))
    answer = fake.last_answer()
    assert answer.kind == "reply" and not answer.ephemeral
    world.tick()
    post = fake.in_channel(JOBS["id"])[-1]
    assert post["content"] == f"<@{ANA['id']}> shared: \\*not bold\\*"


def test_group_messages_open_one_private_thread_even_across_retries(
    world: World, fake: FakeDiscord
) -> None:
    world.intros_channel(INTROS)
    world.interact(p.slash("echo", ["group"], ANA, a=BO, b=CY, text="meet"))
    fake.rate_limit("POST", ANY_MESSAGE, retry_after=60)
    assert world.tick().retried == 1
    world.clock.advance(timedelta(minutes=2))
    assert world.tick().sent == 1
    threads = fake.of("thread")
    assert len(threads) == 1 and threads[0].path == f"/channels/{INTROS}/threads"
    assert threads[0].body["type"] == 12 and threads[0].body["invitable"] is False
    assert threads[0].body["name"] == "Ana, Bo, Cy · via rapport"
    thread_id = fake.threads[-1]["id"]
    message = fake.in_channel(thread_id)[-1]
    assert [b["label"] for b in p.buttons(message)] == ["Press me"]
    added = {r.path.rsplit("/", 1)[-1] for r in fake.of("thread_member")}
    assert added == {ANA["id"], BO["id"], CY["id"]}


def test_without_an_intros_channel_each_person_gets_a_copy(world: World, fake: FakeDiscord) -> None:
    world.interact(p.slash("echo", ["group"], ANA, a=BO, b=CY, text="meet"))
    assert world.tick().sent == 1
    assert fake.of("thread") == []
    for who in (ANA, BO, CY):
        dm = fake.dms_to(who["id"])[-1]
        assert "meet" in dm["content"] and "intros channel" in dm["content"]


def test_attachments_are_sent_as_files(world: World, fake: FakeDiscord) -> None:
    world.interact(p.slash("echo", ["dm"], ANA, person=BO, text="see you"))
    world.tick()
    sent = [r for r in fake.of("channel_message") if r.files]
    assert sent and sent[-1].files["note.ics"].startswith(b"BEGIN:VCALENDAR")


def test_a_maybe_sent_dm_is_not_sent_twice(world: World, fake: FakeDiscord) -> None:
    community = Community("discord", p.GUILD)
    out = DirectMessage(BO["id"], Message(plain("Your chat is tomorrow.")))
    first = Parcel("x1", "k1", community, out, attempt=1)
    again = Parcel("x1", "k1", community, out, attempt=2, maybe_sent=True)
    result = world.run(world.adapter.deliverer.deliver(first))
    assert isinstance(result, Sent)
    assert world.run(world.adapter.deliverer.deliver(again)) == result
    assert len(fake.dms_to(BO["id"])) == 1
