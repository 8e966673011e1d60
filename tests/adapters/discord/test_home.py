"""``/rapport home`` on Discord: private messages within 2,000 characters and 25 buttons."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.discord.limits import BUTTONS as DISCORD_BUTTONS
from bot.adapters.discord.limits import CONTENT_CHARS as DISCORD_CONTENT_CHARS
from bot.features.intro import flow
from bot.io import Community
from bot.trim import HOME_SECTION_ITEMS
from tests.adapters.discord import payloads as p
from tests.adapters.discord.fake_api import Answer, FakeDiscord
from tests.adapters.discord.world import World

ANA = p.user("800000000000000001", "ana")
BO = p.user("800000000000000002", "bo")
CY = p.user("800000000000000003", "cy")


@pytest.fixture
def world(tmp_path: Path, fake: FakeDiscord) -> Iterator[World]:
    loop = asyncio.new_event_loop()
    w = World(tmp_path / "data", fake, loop)
    yield w
    w.close()
    loop.close()


def as_message(answer: Answer) -> dict[str, Any]:
    """The ephemeral message an answer created, as a press on it carries it."""
    return {
        "id": "900000000000000001",
        "channel_id": p.CHANNEL,
        "author": {"id": "900000000000000002", "username": "rapport", "bot": True},
        "content": answer.data.get("content") or "",
        "timestamp": "2026-12-01T09:00:00+00:00",
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": [],
        "components": answer.data.get("components") or [],
        "pinned": False,
        "type": 0,
        "flags": 64,
    }


def test_rapport_home_is_private_numbered_and_its_buttons_work(
    world: World, fake: FakeDiscord
) -> None:
    world.interact(p.slash("intro", ["ask"], ANA, connector=BO, target=CY, why="data careers"))
    world.tick()
    before = len(fake.answers())
    world.interact(p.slash("rapport", ["home"], BO))
    answers = fake.answers()[before:]
    assert answers and all(a.ephemeral for a in answers)
    home = answers[0]
    assert f"<@{ANA['id']}> asks you to introduce them to <@{CY['id']}>" in home.content
    # The request's two answers, then the profile's and the settings' forms.
    assert home.labels == [
        "1 · Make the intro",
        "1 · Not now",
        "2 · Edit profile",
        "3 · Change settings",
    ]
    world.interact(
        p.press(as_message(home), p.button(as_message(home), "1 · Make the intro")["custom_id"], BO)
    )
    world.tick()
    assert world.store.find(flow.INTROS)[0]["state"] == flow.ASKED_TARGET
    assert len(fake.dms_to(CY["id"])) == 1


def test_two_hundred_open_items_stay_within_discord_limits(world: World, fake: FakeDiscord) -> None:
    community = Community("discord", p.GUILD)
    now = world.clock.now()
    for i in range(200):
        intro = flow.create(
            world.store,
            community,
            requester=str(810000000000000000 + i),
            connector=BO["id"],
            target=CY["id"],
            target_text=None,
            reason="a long reason " * 40,
            at=now,
        )
        flow.transition(world.store, intro, flow.ASKED_CONNECTOR, by=intro["requester"], at=now)
    before = len(fake.answers())
    world.interact(p.slash("rapport", ["home"], BO))
    answers = fake.answers()[before:]
    assert answers
    for answer in answers:
        assert len(answer.data.get("content") or "") <= DISCORD_CONTENT_CHARS
        assert not answer.data.get("embeds")
        assert len(answer.labels) <= DISCORD_BUTTONS
        assert len(answer.data.get("components") or []) <= 5
    text = "\n".join(a.content for a in answers)
    assert "…and" in text and "more" in text
    assert sum(len(a.labels) for a in answers) <= 2 * HOME_SECTION_ITEMS + 2  # + profile, settings
