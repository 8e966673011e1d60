"""``rapport discord`` as a real process, over the fake gateway and the fake REST API.

Interactions arrive through the gateway websocket (zlib-stream compressed, as discord.py
asks); the process answers them and delivers its messages over REST. The gateway also
asks for a reconnect (the client resumes) and invalidates the session (the client
identifies again) in the middle of an intro, which carries on as if nothing happened.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.adapters.discord import payloads as p
from tests.adapters.discord.fake_api import TOKEN, FakeDiscord
from tests.adapters.discord.fake_gateway import FakeGateway
from tests.adapters.discord.process import RapportProcess

ANA = p.user("800000000000000001", "ana")
BO = p.user("800000000000000002", "bo")
CY = p.user("800000000000000003", "cy")
INTROS = "700000000000000077"

pytestmark = pytest.mark.slow


def answered(fake: FakeDiscord, interaction: dict[str, Any]) -> list[dict[str, Any]]:
    """The callbacks sent for one interaction (its id is in the callback's path)."""
    return [r.body for r in fake.of("callback") if r.path.split("/")[2] == interaction["id"]]


def dm(fake: FakeDiscord, gateway: FakeGateway, user: dict[str, Any], n: int) -> dict[str, Any]:
    """The ``n``-th message (from 1) delivered to ``user``'s DMs, once it is there."""
    found = gateway.wait(lambda: len(fake.dms_to(user["id"])) >= n, 15, f"DM {n} to {user}")
    assert found
    return fake.dms_to(user["id"])[n - 1]


def test_an_intro_end_to_end_through_the_gateway_with_a_resume_and_an_invalid_session(
    tmp_path: Path, fake: FakeDiscord, gateway: FakeGateway
) -> None:
    with RapportProcess(
        tmp_path / "rapport.log",
        fake,
        RAPPORT_DATA_DIR=str(tmp_path / "data"),
        DISCORD_INTROS_CHANNEL=INTROS,
    ) as proc:
        (first,) = gateway.wait_sessions(1, timeout=30)
        hello = gateway.connections[0]
        assert hello.query == {"v": "10", "encoding": "json", "compress": "zlib-stream"}
        assert first.identify["token"] == TOKEN and first.shard == (0, 1)
        assert first.identify["intents"] == 1  # guilds only: nothing privileged
        assert [r.kind for r in fake.requests[:4]] == ["me", "app", "sync", "gateway"]

        # The slash command comes through the gateway; the answer goes back over REST.
        ask = p.slash("intro", ["ask"], ANA, connector=BO, target=CY, why="data careers")
        gateway.interaction(ask)
        (reply,) = gateway.wait(lambda: answered(fake, ask), 15, "the reply to /intro ask")
        assert reply["type"] == 4 and int(reply["data"]["flags"]) & 64  # ephemeral
        assert "Sent!" in reply["data"]["content"]
        asked = dm(fake, gateway, BO, 1)
        assert [b["label"] for b in p.buttons(asked)] == ["Make the intro", "Not now"]

        # Discord asks the client to reconnect: it resumes the same session.
        gateway.reconnect(first)
        gateway.wait(lambda: first.resumes == 1 and first.conn is not None, 15, "a RESUME")
        assert len(gateway.sessions) == 1

        make = p.press(asked, p.button(asked, "Make the intro")["custom_id"], BO)
        gateway.interaction(make)
        (update,) = gateway.wait(lambda: answered(fake, make), 15, "the answer to the press")
        assert update["type"] == 7 and "Make the intro" in update["data"]["content"]
        opt_in = dm(fake, gateway, CY, 1)
        assert [b["label"] for b in p.buttons(opt_in)] == ["Happy to connect", "No thanks"]

        # The session is invalidated: the client identifies again, on a new session.
        gateway.invalidate(first)
        second = gateway.wait(
            lambda: [s for s in gateway.live() if s is not first], 20, "a new IDENTIFY"
        )[0]
        assert second.id != first.id

        happy = p.press(opt_in, p.button(opt_in, "Happy to connect")["custom_id"], CY)
        gateway.interaction(happy)
        gateway.wait(lambda: answered(fake, happy), 15, "the answer to the opt-in")
        gateway.wait(lambda: fake.threads, 15, "the private thread")
        thread = fake.threads[-1]
        assert thread["parent_id"] == INTROS
        posted = gateway.wait(lambda: fake.in_channel(thread["id"]), 15, "the intro message")
        assert "introducing" in posted[-1]["content"]

        # The same interaction again (Discord retrying, a second session): answered as
        # a repeat, never run twice.
        gateway.interaction(happy)
        gateway.wait(lambda: len(answered(fake, happy)) == 2, 15, "the repeat's answer")
        first_answer, repeat = answered(fake, happy)
        assert repeat["data"]["content"] == first_answer["data"]["content"]
        assert len(fake.threads) == 1 and len(fake.in_channel(thread["id"])) == 1

        assert proc.stop() == 0, proc.output()
    assert "Traceback" not in proc.output()
