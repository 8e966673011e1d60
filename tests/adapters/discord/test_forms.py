"""Forms on Discord through discord.py's real client: a press answered with a modal
(callback type 9), its MODAL_SUBMIT (interaction type 5) read from the payload alone,
field errors answered with an ephemeral note and a **Fix it** button that reopens it."""

from __future__ import annotations

from typing import Any

from bot.features.coffee.records import CHATS
from tests.adapters.discord import payloads as p
from tests.adapters.discord.fake_api import FakeDiscord
from tests.adapters.discord.world import World

ANA = p.user("800000000000000001", "ana")
BO = p.user("800000000000000002", "bo")
CY = p.user("800000000000000003", "cy")


def _suggest_form(world: World, fake: FakeDiscord) -> tuple[dict[str, Any], dict[str, Any]]:
    world.interact(p.slash("coffee", ["invite"], ANA, person=BO, when="tomorrow 3pm"))
    world.tick()
    invite = fake.dms_to(BO["id"])[-1]
    world.interact(p.press(invite, p.button(invite, "Suggest another time")["custom_id"], BO))
    answer = fake.last_answer()
    assert answer.kind == "modal"
    return answer.data, invite


def test_suggest_another_time_answers_with_a_modal(world: World, fake: FakeDiscord) -> None:
    modal, _ = _suggest_form(world, fake)
    (chat,) = world.store.find(CHATS)
    assert modal["custom_id"] == f"rf:{p.GUILD}:coffee.suggest:{chat['id']}:1"
    assert modal["title"] == "Suggest another time"
    (label,) = modal["components"]
    assert label["type"] == 18 and label["label"].startswith("When, in your time")
    assert label["component"]["type"] == 4 and label["component"]["custom_id"] == "when"


def test_a_past_time_is_refused_with_a_button_that_reopens_the_form_filled_in(
    world: World, fake: FakeDiscord
) -> None:
    modal, invite = _suggest_form(world, fake)
    world.interact(
        p.modal_submit(modal, {"when": "yesterday 3pm"}, BO, channel=invite["channel_id"])
    )
    refused = fake.last_answer()
    assert refused.kind == "reply" and refused.ephemeral
    assert "When, in your time" in refused.content and refused.labels == ["Fix it"]
    assert world.store.find(CHATS)[0]["rev"] == 1
    message = next(m for m in fake.messages.values() if m["content"].startswith("Almost"))
    fix = p.button(message, "Fix it")["custom_id"]
    world.interact(p.press(message, fix, BO))
    again = fake.last_answer()
    assert again.kind == "modal" and again.data["custom_id"] == modal["custom_id"]
    (label,) = again.data["components"]
    assert label["component"]["value"] == "yesterday 3pm"
    assert label["description"].startswith("✗")


def test_a_valid_time_moves_the_chat_and_tells_the_other_person(
    world: World, fake: FakeDiscord
) -> None:
    modal, invite = _suggest_form(world, fake)
    world.interact(p.modal_submit(modal, {"when": "thu 4pm"}, BO, channel=invite["channel_id"]))
    answer = fake.last_answer()
    assert answer.kind == "reply" and "Invite sent to" in answer.content
    chat = world.store.find(CHATS)[0]
    assert (chat["rev"], chat["proposer"]) == (2, BO["id"])
    world.tick()
    assert "suggests a new time" in fake.dms_to(ANA["id"])[-1]["content"]


def test_a_submission_works_after_a_restart(world: World, fake: FakeDiscord) -> None:
    modal, invite = _suggest_form(world, fake)
    world.restart()
    world.interact(p.modal_submit(modal, {"when": "thu 4pm"}, BO, channel=invite["channel_id"]))
    assert world.store.find(CHATS)[0]["rev"] == 2


def test_a_strangers_forged_submission_is_refused(world: World, fake: FakeDiscord) -> None:
    modal, _ = _suggest_form(world, fake)
    world.interact(p.modal_submit(modal, {"when": "thu 4pm"}, CY, guild=p.GUILD))
    answer = fake.last_answer()
    assert answer.kind == "reply" and "someone else" in answer.content
    assert world.store.find(CHATS)[0]["rev"] == 1


def test_schedule_a_coffee_chat_opens_a_form_with_the_other_person_picked(
    world: World, fake: FakeDiscord
) -> None:
    world.intros_channel("700000000000000077")
    world.interact(p.slash("intro", ["ask"], ANA, connector=BO, target=CY, why="data careers"))
    world.tick()
    ask = fake.dms_to(BO["id"])[-1]
    world.interact(p.press(ask, p.button(ask, "Make the intro")["custom_id"], BO))
    world.tick()
    opt_in = fake.dms_to(CY["id"])[-1]
    world.interact(p.press(opt_in, p.button(opt_in, "Happy to connect")["custom_id"], CY))
    world.tick()
    thread_id = fake.threads[-1]["id"]
    intro = next(m for m in fake.messages.values() if m["channel_id"] == thread_id)
    cid = p.button(intro, "Schedule a coffee chat")["custom_id"]
    world.interact(p.press(intro, cid, ANA, guild=p.GUILD))
    modal = fake.last_answer()
    assert modal.kind == "modal"
    person, when, topic = (label["component"] for label in modal.data["components"])
    assert person["type"] == 5 and person["max_values"] == 1
    assert [str(d["id"]) for d in person["default_values"]] == [CY["id"]]
    assert (when["type"], topic["type"], topic["style"]) == (4, 4, 2)
    world.interact(
        p.modal_submit(modal.data, {"when": "thu 4pm"}, ANA, guild=p.GUILD, picked={"person": [CY]})
    )
    assert "Invite sent to" in fake.last_answer().content
    (chat,) = world.store.find(CHATS)
    assert (chat["requester"], chat["invitee"]) == (ANA["id"], CY["id"])


def test_the_profile_is_edited_in_a_modal(world: World, fake: FakeDiscord) -> None:
    from bot.features.network.profiles import PROFILES

    world.interact(p.slash("rapport", ["profile", "edit"], ANA))
    answer = fake.last_answer()
    assert answer.kind == "modal" and answer.data["title"] == "Your profile"
    ids = [label["component"]["custom_id"] for label in answer.data["components"]]
    assert ids == ["role", "company", "seeking", "open", "sharing"]  # fits Discord's five
    world.interact(
        p.modal_submit(answer.data, {"role": "designer", "company": "Globex"}, ANA, guild=p.GUILD)
    )
    (doc,) = world.store.find(PROFILES)
    assert (doc["role"], doc["company"], doc["findable"]) == ("designer", "Globex", False)


def _labels(modal: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """Each field's label and description, by field name."""
    return {
        c["component"]["custom_id"]: (c["label"], c.get("description") or "")
        for c in modal["components"]
    }


def test_a_label_too_long_for_discord_keeps_its_words(world: World, fake: FakeDiscord) -> None:
    world.interact(p.slash("intro", ["new"], ANA))
    modal = fake.last_answer()
    assert modal.kind == "modal"
    labels = _labels(modal.data)
    assert all(len(label) <= 45 for label, _ in labels.values()), labels
    assert not any(label.endswith("…") for label, _ in labels.values()), labels
    label, description = labels["why"]
    assert label == "Why you'd like to meet them"
    assert description == "Your friend reads this"


def test_a_label_with_a_long_time_zone_keeps_the_zone(world: World, fake: FakeDiscord) -> None:
    world.interact(
        p.slash("rapport", ["settings", "timezone"], ANA, zone="America/Argentina/Buenos_Aires")
    )
    world.interact(p.slash("coffee", ["new"], ANA))
    labels = _labels(fake.last_answer().data)
    assert labels["when"] == ("When, in your time", "America/Argentina/Buenos_Aires")


def test_a_split_label_keeps_its_rest_beside_an_error() -> None:
    from bot.adapters.discord.forms import modal
    from bot.io import Field, Form

    long = "Your time zone (a city, a zone name, or UTC+1)"
    form = Form("x:", "Settings", "Save", (Field("zone", "text", long),))
    built = modal(form, "rf:1:x:").to_dict()["components"][0]
    assert (built["label"], built["description"]) == (
        "Your time zone",
        "A city, a zone name, or UTC+1",
    )
    refused = Form("x:", "Settings", "Save", form.fields, {"zone": "I don't know “Mars”."})
    built = modal(refused, "rf:1:x:").to_dict()["components"][0]
    assert built["label"] == "Your time zone"
    assert built["description"] == "✗ I don't know “Mars”. · A city, a zone name, or UTC+1"


def test_fix_it_reopens_the_form_only_for_whoever_filled_it_in(
    world: World, fake: FakeDiscord
) -> None:
    modal, invite = _suggest_form(world, fake)
    world.interact(
        p.modal_submit(modal, {"when": "yesterday 3pm"}, BO, channel=invite["channel_id"])
    )
    message = next(m for m in fake.messages.values() if m["content"].startswith("Almost"))
    fix = p.button(message, "Fix it")["custom_id"]
    world.interact(p.press(message, fix, CY, guild=p.GUILD))
    answer = fake.last_answer()
    assert answer.kind == "reply" and answer.ephemeral
    assert "someone else's form" in answer.content
    assert "yesterday 3pm" not in str(answer.data)
    world.interact(p.press(message, fix, BO))
    assert fake.last_answer().kind == "modal"
