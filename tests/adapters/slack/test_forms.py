"""Forms on Slack, over the real protocol: a press opens a modal with ``views.open`` (its
``trigger_id``), the signed ``view_submission`` is judged before its ack, and field errors
come back as ``response_action: errors`` so the modal stays open."""

from __future__ import annotations

import json
from datetime import timedelta

from bot.features.coffee.records import CHATS
from tests.adapters.slack.rig import SlackRig
from tests.harness import START


def _invite(rig: SlackRig) -> tuple[str, dict]:
    rig.command("alice", "/coffee @bob tomorrow 3pm")
    rig.tick()
    (chat,) = rig.store.find(CHATS)
    return chat["id"], rig.last_dm("bob")


def _picked(delta: timedelta) -> dict:
    return {"type": "datetimepicker", "selected_date_time": int((START + delta).timestamp())}


def test_suggest_another_time_opens_a_modal_with_a_date_and_time_picker(rig: SlackRig):
    chat_id, invite = _invite(rig)
    pressed = rig.press("bob", invite, "Suggest another time", key="p1")
    assert pressed.answer.status == 200
    assert pressed.responses == []  # the modal is the answer
    (opened,) = rig.fake.of("views.open")
    assert opened.params["trigger_id"] == "trigger-p1"
    view = opened.params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert view["type"] == "modal" and view["callback_id"] == "rapport.form"
    assert view["private_metadata"] == f"coffee.suggest:{chat_id}:1"
    (block,) = view["blocks"]
    assert block["type"] == "input" and block["block_id"] == "when"
    assert block["element"]["type"] == "datetimepicker"
    assert "Europe/Berlin" in block["label"]["text"]


def test_a_past_time_keeps_the_modal_open_with_the_error_on_its_field(rig: SlackRig):
    _invite(rig)
    rig.press("bob", rig.last_dm("bob"), "Suggest another time")
    (opened,) = rig.fake.of("views.open")
    answer = rig.submit("bob", opened, {"when": _picked(-timedelta(hours=2))})
    assert answer.status == 200
    body = answer.json()
    assert body["response_action"] == "errors"
    assert set(body["errors"]) == {"when"} and "passed" in body["errors"]["when"]
    assert rig.store.find(CHATS)[0]["rev"] == 1


def test_a_valid_time_moves_the_chat_and_tells_the_other_person(rig: SlackRig):
    _invite(rig)
    rig.press("bob", rig.last_dm("bob"), "Suggest another time")
    (opened,) = rig.fake.of("views.open")
    # Thu 3 Dec 15:00 UTC
    answer = rig.submit("bob", opened, {"when": _picked(timedelta(days=2, hours=6))})
    assert answer.status == 200 and answer.body in ("", "{}")  # the modal closes
    chat = rig.store.find(CHATS)[0]
    assert (chat["rev"], chat["proposer"], chat["responder"]) == (2, "UBOB", "UALICE")
    rig.tick()
    assert "suggests a new time" in rig.last_dm("alice").text
    assert "Thu 3 Dec, 16:00 (Europe/Berlin)" in rig.last_dm("alice").text
    assert "Invite sent to" in rig.last_dm("bob").text  # the answer, by DM


def test_a_strangers_forged_submission_is_refused(rig: SlackRig):
    _invite(rig)
    rig.press("bob", rig.last_dm("bob"), "Suggest another time")
    (opened,) = rig.fake.of("views.open")
    rig.submit("carol", opened, {"when": _picked(timedelta(days=2))})
    assert rig.store.find(CHATS)[0]["rev"] == 1
    assert "someone else" in rig.last_dm("carol").text


def test_a_trigger_slack_refuses_becomes_a_reply_to_try_again(rig: SlackRig):
    _invite(rig)
    rig.fake.fail("views.open", "expired_trigger_id")
    pressed = rig.press("bob", rig.last_dm("bob"), "Suggest another time")
    assert "couldn't open the form in time" in pressed.text


def test_coffee_alone_opens_the_booking_modal_from_the_commands_trigger(rig: SlackRig):
    sent = rig.command("alice", "/coffee", trigger_id="trigger-c1")
    assert sent.answer.status == 200
    [gone] = sent.responses  # nothing to say: the modal opened; "one moment…" goes
    assert gone.params == {"delete_original": True}
    (opened,) = rig.fake.of("views.open")
    assert opened.params["trigger_id"] == "trigger-c1"
    view = opened.params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    kinds = [(b["block_id"], b["element"]["type"], b["optional"]) for b in view["blocks"]]
    assert kinds == [
        ("person", "users_select", False),
        ("when", "datetimepicker", False),
        ("topic", "plain_text_input", True),
    ]
    assert view["blocks"][2]["element"]["multiline"] is True
    answer = rig.submit(
        "alice",
        opened,
        {
            "person": {"type": "users_select", "selected_user": "UBOB"},
            "when": _picked(timedelta(days=1, hours=6)),
            "topic": {"type": "plain_text_input", "value": "backend <!channel> work"},
        },
    )
    assert answer.status == 200 and not answer.json()
    (chat,) = rig.store.find(CHATS)
    assert (chat["invitee"], chat["topic"]) == ("UBOB", "backend <!channel> work")
    rig.tick()
    assert "&lt;!channel&gt;" in rig.last_dm("bob").text


def test_the_profile_is_edited_in_a_modal_from_the_slash_command(rig: SlackRig):
    from bot.features.network.profiles import PROFILES

    rig.command("alice", "/rapport profile edit")
    (opened,) = rig.fake.of("views.open")
    view = opened.params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert view["private_metadata"] == "rapport.profile:"
    ids = [b["block_id"] for b in view["blocks"]]
    assert ids == ["role", "company", "seeking", "open", "sharing"]
    answer = rig.submit(
        "alice",
        opened,
        {
            "role": {"type": "plain_text_input", "value": "data engineer"},
            "company": {"type": "plain_text_input", "value": "Acme"},
            "sharing": {"type": "static_select", "selected_option": {"value": "findable"}},
        },
    )
    assert answer.status == 200 and answer.body in ("", "{}")
    (doc,) = rig.store.find(PROFILES)
    assert (doc["role"], doc["company"], doc["findable"], doc["connector"]) == (
        "data engineer",
        "Acme",
        True,
        False,
    )


def _no_tracebacks(caplog) -> None:
    assert not [r.getMessage() for r in caplog.records if r.exc_info], "a traceback was logged"


def test_a_picked_time_that_is_not_a_number_is_that_fields_error(rig: SlackRig, caplog):
    _invite(rig)
    rig.press("bob", rig.last_dm("bob"), "Suggest another time")
    (opened,) = rig.fake.of("views.open")
    for wrong in ("abc", 10**20, 1.5, True, [1], {"a": 1}):
        answer = rig.submit(
            "bob", opened, {"when": {"type": "datetimepicker", "selected_date_time": wrong}}
        )
        assert answer.status == 200
        assert answer.json() == {
            "response_action": "errors",
            "errors": {"when": "Please pick a date and time."},
        }, wrong
    assert rig.store.find(CHATS)[0]["rev"] == 1
    _no_tracebacks(caplog)


def test_picker_values_of_the_wrong_type_are_field_errors(rig: SlackRig, caplog):
    rig.command("alice", "/coffee", trigger_id="trigger-c1")
    (opened,) = rig.fake.of("views.open")
    when = _picked(timedelta(days=1, hours=6))
    cases = [
        ("person", {"type": "users_select", "selected_user": 5}, "Please pick a member."),
        ("person", {"type": "users_select", "selected_user": "bob"}, "Please pick a member."),
        ("person", {"type": "users_select", "selected_user": ["UBOB"]}, "Please pick a member."),
        ("topic", {"type": "plain_text_input", "value": ["x"]}, "I couldn't read what's here"),
        ("topic", {"type": "plain_text_input", "value": 3}, "I couldn't read what's here"),
    ]
    for name, value, said in cases:
        values = {"person": {"type": "users_select", "selected_user": "UBOB"}, "when": when}
        answer = rig.submit("alice", opened, {**values, name: value})
        assert answer.status == 200
        body = answer.json()
        assert body["response_action"] == "errors" and list(body["errors"]) == [name], value
        assert body["errors"][name].startswith(said), value
    assert rig.store.find(CHATS) == []
    _no_tracebacks(caplog)


def test_a_bot_picked_as_connector_in_the_form_is_named_not_shown_as_an_id(rig: SlackRig):
    rig.command("alice", "/intro", trigger_id="trigger-i1")
    (opened,) = rig.fake.of("views.open")
    answer = rig.submit(
        "alice",
        opened,
        {
            "connector": {"type": "users_select", "selected_user": "UBOT"},
            "target": {"type": "users_select", "selected_user": "UBOB"},
            "why": {"type": "plain_text_input", "value": "to learn how they hire"},
        },
    )
    said = answer.json()["errors"]["connector"]
    assert said.startswith("@rapport is a bot"), said
    assert "UBOT" not in said
