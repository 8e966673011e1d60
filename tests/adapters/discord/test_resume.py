"""Deferred interactions left unanswered by a stopped process are taken over and
answered once: through the interaction's webhook while its token lives, by DM after.

A "stopped process" here is an inbox entry recorded by another worker whose lease has
run out — exactly what a process killed between its defer and its answer leaves."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.adapters.discord import resume
from bot.inbox import INBOX
from bot.io import Community
from tests.adapters.discord import payloads as p
from tests.adapters.discord.fake_api import FakeDiscord
from tests.adapters.discord.world import GUILD, World, settle

ANA = p.user("800000000000000001", "ana")
BO = p.user("800000000000000002", "bo")
COMMUNITY = Community("discord", GUILD)


def left_behind(world: World, payload: dict[str, Any], *, ago: timedelta, component: bool) -> None:
    """What a process killed after its defer leaves: an entry held by a dead worker."""
    resume.record(
        world.store,
        COMMUNITY,
        payload,
        component=component,
        now=world.clock.now() - ago,
        worker="discord-gone",
        lease=timedelta(seconds=1),
    )


def take_over(world: World) -> int:
    async def run() -> int:
        taken = world.adapter.take_over()
        for entry in taken:
            world.adapter.resume(entry)
        await settle()
        return len(taken)

    return world.run(run())


def for_token(fake: FakeDiscord, payload: dict[str, Any]) -> list[Any]:
    token = payload["token"]
    kinds = {"callback", "followup", "edit_original"}
    return [r for r in fake.requests if r.kind in kinds and token in r.path.split("/")]


def test_a_command_deferred_then_left_is_answered_once_by_editing_thinking(
    world: World, fake: FakeDiscord
) -> None:
    ask = p.slash("echo", ["dm"], ANA, person=BO, text="hello")
    left_behind(world, ask, ago=timedelta(seconds=5), component=False)
    assert take_over(world) == 1
    (answer,) = for_token(fake, ask)
    assert answer.kind == "edit_original" and "Sent." in answer.body["content"]
    world.tick()
    assert len(fake.dms_to(BO["id"])) == 1
    (entry,) = world.store.find(INBOX)
    assert entry["state"] == "done" and entry["attempts"] == 1
    assert take_over(world) == 0  # answered: nobody takes it again
    assert len(for_token(fake, ask)) == 1


def test_a_command_the_core_had_finished_is_answered_from_its_stored_reply(
    world: World, fake: FakeDiscord
) -> None:
    ask = p.slash("echo", ["dm"], ANA, person=BO, text="only once")
    world.interact(ask)  # answered in time: the core acted and stored its reply
    world.tick()
    assert len(fake.dms_to(BO["id"])) == 1
    left_behind(world, ask, ago=timedelta(seconds=5), component=False)
    fake.clear()
    assert take_over(world) == 1
    world.tick()
    (answer,) = for_token(fake, ask)
    assert "Sent." in answer.body["content"]
    assert len(fake.dms_to(BO["id"])) == 1  # the DM was not sent a second time


def test_a_press_left_behind_updates_its_message_once(world: World, fake: FakeDiscord) -> None:
    world.interact(p.slash("echo", ["dm"], ANA, person=BO, text="hi"))
    world.tick()
    dm = fake.dms_to(BO["id"])[-1]
    press = p.press(dm, p.button(dm, "Press me")["custom_id"], BO)
    left_behind(world, press, ago=timedelta(seconds=5), component=True)
    fake.clear()
    assert take_over(world) == 1
    answers = for_token(fake, press)
    assert answers and all(a.kind in ("edit_original", "followup") for a in answers)
    assert not any(a.kind == "callback" for a in answers)  # it was deferred before the crash
    (entry,) = [e for e in world.store.find(INBOX) if e["kind"] == "press"]
    assert entry["state"] == "done"


def test_past_the_token_s_life_the_answer_comes_by_dm_saying_what_it_answers(
    world: World, fake: FakeDiscord
) -> None:
    ask = p.slash("echo", ["dm"], ANA, person=BO, text="late")
    left_behind(world, ask, ago=timedelta(minutes=20), component=False)
    assert take_over(world) == 1
    world.tick()
    assert for_token(fake, ask) == []
    heading, answer = fake.dms_to(ANA["id"])
    assert "restarting" in heading["content"] and "`/echo dm`" in heading["content"]
    assert "Sent." in answer["content"]
    assert len(fake.dms_to(BO["id"])) == 1
    (entry,) = world.store.find(INBOX)
    assert entry["state"] == "done" and entry["answer"] == "dm"


def test_an_entry_that_never_gets_answered_is_given_up_after_a_few_tries(
    world: World, fake: FakeDiscord
) -> None:
    world.interact(p.slash("echo", ["dm"], ANA, person=BO, text="hi"))
    world.tick()
    dm = fake.dms_to(BO["id"])[-1]
    # A press on a message without its components: discord.py drops it, nothing answers.
    ignored = p.press({**dm, "components": []}, p.button(dm, "Press me")["custom_id"], BO)
    left_behind(world, ignored, ago=timedelta(seconds=5), component=True)
    assert take_over(world) == 1  # handed to discord.py again, which drops it
    (entry,) = [e for e in world.store.find(INBOX) if e["kind"] == "press"]
    assert entry["state"] == "claimed"
    world.clock.advance(world.adapter.lease + timedelta(seconds=1))
    assert take_over(world) == 0
    (entry,) = [e for e in world.store.find(INBOX) if e["kind"] == "press"]
    assert entry["state"] == "refused" and entry["attempts"] == 1


def test_an_entry_taken_over_again_and_again_is_given_up(world: World, fake: FakeDiscord) -> None:
    """Each process that took it died before answering (a crash loop): given up."""
    ask = p.slash("echo", ["dm"], ANA, person=BO, text="crash loop")
    left_behind(world, ask, ago=timedelta(seconds=5), component=False)
    (doc,) = world.store.find(INBOX)
    world.store.update(INBOX, doc["id"], {"attempts": resume.MAX_RESUMES})
    assert take_over(world) == 0
    assert world.store.get(INBOX, doc["id"])["state"] == "refused"
    assert for_token(fake, ask) == []
