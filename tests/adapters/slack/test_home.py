"""The home view on Slack: the App Home tab (views.publish), kept fresh, and ``/rapport home``."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.slack.limits import HOME_BLOCKS as SLACK_HOME_BLOCKS
from bot.adapters.slack.limits import MESSAGE_BLOCKS as SLACK_MESSAGE_BLOCKS
from bot.features.intro import flow
from bot.io import Community
from bot.trim import HOME_SECTION_ITEMS
from tests.adapters.slack.fake_slack import TEAM, Call
from tests.adapters.slack.rig import MEMBERS, SlackRig
from tests.adapters.slack.signing import action_body, post


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[SlackRig]:
    r = SlackRig(tmp_path)
    yield r
    r.close()


def open_home(rig: SlackRig, who: str, event_id: str = "Ev1") -> Call:
    before = len(rig.fake.of("views.publish"))
    rig.event({"type": "app_home_opened", "user": MEMBERS[who], "tab": "home"}, event_id=event_id)
    published = rig.fake.of("views.publish")
    assert len(published) == before + 1
    return published[-1]


def blocks(call: Call) -> list[dict[str, Any]]:
    return call.params["view"]["blocks"]


def press_in_home(rig: SlackRig, who: str, view: Call, label: str, n: int = 1) -> None:
    """A press on a button of the published Home tab, as Slack sends it."""
    [button] = [b for b in view.buttons() if b["text"]["text"] == label][:1]
    uid = MEMBERS[who]
    payload = {
        "type": "block_actions",
        "team": {"id": TEAM},
        "user": {"id": uid, "team_id": TEAM},
        "container": {"type": "view", "view_id": f"V{uid}"},
        "view": {"id": f"V{uid}", "hash": f"h{n}", "type": "home"},
        "trigger_id": f"t-home-{n}",
        "actions": [
            {
                "type": "button",
                "action_id": button["action_id"],
                "value": button["value"],
                "action_ts": f"{time.time():.6f}",
            }
        ],
    }
    assert post(rig.url, action_body(payload)).status == 200
    rig.settle()


def test_the_home_tab_shows_what_waits_for_me_with_buttons(rig: SlackRig) -> None:
    rig.command("alice", "/intro @bob @carol I'd love to hear how they moved into data")
    tab = open_home(rig, "bob")
    assert tab.params["user_id"] == MEMBERS["bob"]
    assert tab.params["view"]["type"] == "home"
    assert "<@UALICE> asks you to introduce them to <@UCAROL>" in tab.text
    assert "Your settings" in tab.text and "/rapport help" in tab.text
    assert [b["text"]["text"] for b in tab.buttons()] == [
        "Make the intro",
        "Not now",
        "Edit profile",
        "Change settings",
    ]
    assert tab.buttons()[0]["action_id"].startswith("intro.make")


def test_a_press_in_the_home_tab_acts_tells_me_and_refreshes_the_tab(rig: SlackRig) -> None:
    rig.command("alice", "/intro @bob @carol I'd love to hear how they moved into data")
    tab = open_home(rig, "bob")
    press_in_home(rig, "bob", tab, "Make the intro")
    rig.advance(timedelta(seconds=2))  # by DM, through the outbox: a second after the ask
    intro = rig.store.find(flow.INTROS)[0]
    assert intro["state"] == flow.ASKED_TARGET
    # There is no message to update in a Home tab: the update arrives as a DM.
    assert any("You chose *Make the intro*" in dm.text for dm in rig.dms("bob"))
    refreshed = rig.fake.of("views.publish")[-1]
    assert refreshed is not tab and refreshed.params["user_id"] == MEMBERS["bob"]
    assert "asks you to introduce" not in refreshed.text
    assert len(rig.fake.of("views.publish")) == 2


def test_the_home_tab_follows_what_i_do_once_i_have_opened_it(rig: SlackRig) -> None:
    rig.command("alice", "/followup @bob in 2 weeks")
    assert rig.fake.of("views.publish") == []  # never opened: no publish spent on her
    open_home(rig, "alice")
    rig.command("alice", "/followup @carol in 3 weeks")
    latest = rig.fake.of("views.publish")[-1]
    assert latest.params["user_id"] == MEMBERS["alice"] and "<@UCAROL>" in latest.text
    rig.command("bob", "/followup @carol in 3 weeks")
    assert {c.params["user_id"] for c in rig.fake.of("views.publish")} == {MEMBERS["alice"]}


def test_rapport_home_answers_privately_and_points_at_the_tab(rig: SlackRig) -> None:
    rig.command("alice", "/intro @bob @carol data careers")
    sent = rig.command("bob", "/rapport home")
    [reply] = sent.responses
    assert reply.params["response_type"] == "ephemeral"
    assert "asks you to introduce" in reply.text and "*Home* tab" in reply.text
    assert len(reply.params["blocks"]) <= SLACK_MESSAGE_BLOCKS
    assert [b["text"]["text"] for b in reply.buttons()] == [
        "Make the intro",
        "Not now",
        "Edit profile",
        "Change settings",
    ]
    # Asking for the home also brings the tab up to date.
    assert [c.params["user_id"] for c in rig.fake.of("views.publish")] == [MEMBERS["bob"]]
    # A press on the ephemeral copy works like any other.
    rig.press("bob", reply, "Make the intro")
    assert rig.store.find(flow.INTROS)[0]["state"] == flow.ASKED_TARGET


def test_two_hundred_open_items_fit_the_tab_and_the_reply(rig: SlackRig) -> None:
    community = Community("slack", TEAM)
    now = rig.clock.now()
    for i in range(200):
        intro = flow.create(
            rig.store,
            community,
            requester=f"U{i:05d}",
            connector=MEMBERS["bob"],
            target=MEMBERS["carol"],
            target_text=None,
            reason="a long reason " * 40,
            at=now,
        )
        flow.transition(rig.store, intro, flow.ASKED_CONNECTOR, by=intro["requester"], at=now)
    tab = open_home(rig, "bob")
    assert len(blocks(tab)) <= SLACK_HOME_BLOCKS
    assert f"…and {200 - HOME_SECTION_ITEMS} more" in tab.text
    [reply] = rig.command("bob", "/rapport home").responses
    assert len(reply.params["blocks"]) <= SLACK_MESSAGE_BLOCKS
    assert "more" in json.dumps(reply.params["blocks"])


def test_the_profile_and_settings_sections_say_their_title_once(rig: SlackRig):
    home = blocks(open_home(rig, "alice"))
    for title in ("Your profile", "Your settings"):
        [at] = [
            i for i, b in enumerate(home) if b["type"] == "header" and b["text"]["text"] == title
        ]
        section = home[at + 1]
        assert section["type"] == "section"
        assert title not in section["text"]["text"], section["text"]["text"]
