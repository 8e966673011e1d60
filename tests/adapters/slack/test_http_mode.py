"""HTTP mode over the real protocol: signed requests in, Web API calls out."""

from __future__ import annotations

import threading
import time

from bot.inbox import Entry
from store.base import OUTBOX
from tests.adapters.slack import probe
from tests.adapters.slack.fake_slack import FakeSlack
from tests.adapters.slack.rig import MEMBERS, SlackRig
from tests.adapters.slack.signing import post


def test_a_signed_slash_command_is_acked_and_answered_through_response_url(rig: SlackRig):
    sent = rig.command("alice", "/rapport settings")
    assert sent.answer.status == 200
    # ack first, with "one moment…"; the answer replaces it through response_url
    assert sent.answer.json() == {"text": "One moment…", "response_type": "ephemeral"}
    [reply] = sent.responses
    assert reply.params["response_type"] == "ephemeral"
    assert reply.params["replace_original"] is True
    assert "Your settings" in reply.params["text"]
    assert reply.params["blocks"][0]["type"] == "section"
    [shown] = rig.fake.shown(reply.path.rsplit("/", 1)[-1], acked="One moment…")
    assert "Your settings" in shown


def test_a_command_with_several_answers_shows_them_as_one_message(rig: SlackRig):
    """Each part of the answer in one message, replacing "one moment…": were it
    answered again after a crash, the member would still see it once."""
    sent = rig.command("alice", "/rapport home")
    [reply] = sent.responses
    assert reply.params["replace_original"] is True
    assert len(rig.fake.shown(sent.responses[0].path.rsplit("/", 1)[-1], acked="x")) == 1


def test_answering_a_command_twice_still_shows_it_once(rig: SlackRig):
    """The crash window: the answer reached Slack, the process died before recording it,
    and the next process answered again. Both replace the same message."""
    sent = rig.command("alice", "/rapport settings")
    key = sent.responses[0].path.rsplit("/", 1)[-1]
    entry = rig.store.find("inbox")[0]
    rig.service.handlers.process(Entry.from_doc({**entry, "attempts": 1}))
    assert len(rig.fake.responses(key)) == 2
    [shown] = rig.fake.shown(key, acked="One moment…")
    assert "Your settings" in shown


def test_forged_signature_is_refused_with_401_and_does_nothing(rig: SlackRig):
    sent = rig.command("alice", "/probe dm @bob hi", sign_with="not-the-secret")
    assert sent.answer.status == 401
    assert sent.responses == []
    assert rig.store.count(OUTBOX) == 0


def test_stale_timestamp_is_refused_with_401(rig: SlackRig):
    sent = rig.command("alice", "/probe dm @bob hi", timestamp=int(time.time()) - 301)
    assert sent.answer.status == 401
    assert rig.store.count(OUTBOX) == 0


def test_missing_or_garbled_signature_headers_are_refused_with_401(rig: SlackRig):
    garbled = post(rig.url, "command=%2Frapport", headers={"X-Slack-Request-Timestamp": "soon"})
    assert garbled.status == 401
    missing = post(rig.url, "command=%2Frapport", headers={"X-Slack-Signature": ""})
    assert missing.status == 401
    assert rig.fake.of("response_url") == []


def test_the_ack_never_waits_for_a_slow_web_api(rig: SlackRig):
    rig.fake.gate = threading.Event()  # every Web API answer now hangs until opened
    try:
        sent = rig.command("carol", "/rapport settings", settle=False)
        assert sent.answer.status == 200
        assert sent.answer.seconds < 1.0
    finally:
        rig.fake.gate.set()
    rig.settle()
    assert rig.fake.of("response_url")


def test_the_ack_never_waits_for_the_work_behind_it(rig: SlackRig, monkeypatch):
    real = rig.core.handle_command
    release = threading.Event()

    def slow(inv):
        release.wait(10)
        return real(inv)

    monkeypatch.setattr(rig.core, "handle_command", slow)
    sent = rig.command("alice", "/rapport settings", settle=False)
    assert sent.answer.status == 200
    assert sent.answer.seconds < 1.0
    assert rig.fake.of("response_url") == []
    release.set()
    rig.settle()
    assert len(rig.fake.of("response_url")) == 1


def test_a_command_is_recorded_before_it_is_acked(rig: SlackRig, monkeypatch):
    from bot.inbox import INBOX

    real = rig.core.handle_command
    release = threading.Event()
    monkeypatch.setattr(rig.core, "handle_command", lambda inv: release.wait(10) and real(inv))
    sent = rig.command("alice", "/rapport settings", settle=False)
    assert sent.answer.status == 200
    [entry] = rig.store.find(INBOX)  # durable before Slack heard "got it"
    assert entry["kind"] == "command" and entry["state"] == "claimed"
    assert entry["payload"]["text"] == "settings"
    release.set()
    rig.settle()
    assert [e["state"] for e in rig.store.find(INBOX)] == ["done"]


def test_a_store_that_cannot_record_says_so_within_slacks_deadline(rig: SlackRig):
    from bot.inbox import INBOX

    with rig.store.atomic():  # this thread holds the store: nothing can be recorded
        sent = rig.command("alice", "/rapport settings", settle=False)
        assert sent.answer.status == 200
        assert sent.answer.seconds < 3.0
        assert "couldn't take this one" in sent.answer.json()["text"]
    rig.settle()
    time.sleep(0.2)  # the late record is taken back, never answered
    assert rig.fake.of("response_url") == []
    assert [e["state"] for e in rig.store.find(INBOX)] == ["refused"]


def test_a_full_queue_says_busy_instead_of_growing(tmp_path):
    from bot.registry import discover

    r = SlackRig(tmp_path, families={**discover(), "probe": probe.family}, queue_limit=1)
    try:
        r.fake.gate = threading.Event()
        first = r.command("alice", "/rapport settings", settle=False)
        # The one worker may have taken the first job already; fill the queue either way.
        answers = [r.command("bob", "/rapport settings", settle=False).answer for _ in range(3)]
        assert first.answer.status == 200
        busy = [a for a in answers if a.json()["text"] != "One moment…"]
        assert busy, "a full queue must answer at once"
        assert "try again" in busy[0].json()["text"]
        assert all(a.status == 200 and a.seconds < 1.0 for a in answers)
    finally:
        r.fake.gate.set()
        r.settle()
        r.close()


def test_a_retried_command_runs_once_and_is_answered_once(rig: SlackRig):
    first = rig.command("alice", "/probe dm @bob hello", trigger_id="trig-same")
    again = rig.command(
        "alice",
        "/probe dm @bob hello",
        trigger_id="trig-same",
        headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"},
    )
    assert first.answer.status == again.answer.status == 200
    assert len(first.responses) == 1
    assert again.responses == []
    rig.tick()
    assert rig.store.count(OUTBOX) == 1
    assert len(rig.dms("bob")) == 1


def test_buttons_are_pressed_from_the_blocks_the_bot_posted(rig: SlackRig):
    rig.command("alice", "/probe hello")
    rig.tick()
    dm = rig.last_dm("alice")
    labels = [b["text"]["text"] for b in dm.buttons()]
    assert labels == ["OK", "Also OK", "No"]
    assert [b.get("style") for b in dm.buttons()] == ["primary", None, "danger"]
    assert len({b["action_id"] for b in dm.buttons()}) == 3  # unique within the block
    pressed = rig.press("alice", dm, "Also OK")
    assert pressed.answer.status == 200
    update, thanks = pressed.responses
    assert update.params["replace_original"] is True
    assert "Done: v2 by <@UALICE>" in update.params["text"]
    assert thanks.params["replace_original"] is False
    assert thanks.params["response_type"] == "ephemeral"
    assert rig.store.find(probe.PRESSES) == [
        {"id": rig.store.find(probe.PRESSES)[0]["id"], "user": "UALICE", "value": "v2"}
    ]


def test_a_public_reply_to_a_press_is_in_channel(rig: SlackRig):
    rig.command("alice", "/probe hello")
    rig.tick()
    pressed = rig.press("alice", rig.last_dm("alice"), "No")
    assert pressed.responses[0].params["response_type"] == "in_channel"


def test_a_double_click_acts_once_and_answers_once(rig: SlackRig):
    rig.command("alice", "/probe hello")
    rig.tick()
    dm = rig.last_dm("alice")
    first = rig.press("alice", dm, "OK", settle=False)
    second = rig.press("alice", dm, "OK")
    assert first.answer.status == second.answer.status == 200
    assert len(rig.store.find(probe.PRESSES)) == 1
    answered = [c for c in rig.fake.of("response_url") if "/respond/press" in c.path]
    assert len([c for c in answered if c.params.get("replace_original") is True]) == 1


def test_every_output_type_reaches_the_web_api(rig: SlackRig):
    sent = rig.command("alice", "/probe hello")
    reply = sent.responses[0]
    assert "You said: hello" in reply.params["text"]
    # A private reply can't carry a file: it goes by DM, and the reply says so.
    assert "in a direct message" in reply.text
    rig.tick()
    opened = [c.params["users"] for c in rig.fake.of("conversations.open")]
    assert "UALICE" in opened and "UALICE,UBOB" in opened  # DM, then group DM
    group = rig.fake.posts_to(FakeSlack.group_channel(["UALICE", "UBOB"]))
    assert "<@UALICE> says hello" in group[0].params["text"]
    [post_] = rig.fake.posts_to("CWINS")
    assert post_.params["blocks"][0]["text"]["text"] == "_Posted:_ hello"
    completes = rig.fake.of("files.completeUploadExternal")
    assert {c.params["channel_id"] for c in completes} == {"DUALICE"}
    assert len(rig.fake.of("upload")) == 2  # the reply's file and the DM's file


def test_a_refused_upload_is_mentioned_in_the_conversation(rig: SlackRig):
    rig.fake.fail("files.getUploadURLExternal", "missing_scope")
    rig.command("alice", "/probe hello")
    rig.tick()
    texts = [c.params.get("text", "") for c in rig.dms("alice")]
    assert any("couldn't attach chat.ics" in t and "try again" in t for t in texts)
    assert rig.store.count(OUTBOX, {"state": "sent"}) == 3  # the message itself went out


def test_mentions_resolve_and_typed_mentions_stay_text(rig: SlackRig):
    sent = rig.command("alice", "/probe who", text="who <@UBOB|bobby>")
    assert "id=UBOB name=bob bot=False" in sent.text  # the name comes from users.info
    typed = rig.command("alice", "/probe who", text="who &lt;@UBOB&gt;")
    assert "id=UBOB" not in typed.text
    assert "Mention them with @" in typed.text or "mention" in typed.text.lower()
    bot = rig.command("alice", "/probe who", text="who <@UBOT|rapport>")
    assert "bot=True" in bot.text


def test_admin_and_time_zone_come_from_users_info(rig: SlackRig):
    rig.fake.users["UCAROL"]["tz"] = "America/Chicago"
    rig.fake.users["UDAN"]["is_owner"] = True
    assert "admin=True" in rig.command("you", "/probe who @bob").text
    assert "admin=True" in rig.command("dan", "/probe who @bob").text
    carol = rig.command("carol", "/probe who @bob").text
    assert "admin=False" in carol and "zone=America/Chicago" in carol
    settings = rig.command("carol", "/rapport settings").text
    assert "America/Chicago" in settings and "from your profile" in settings
    # A zone the user chose wins over the profile.
    rig.command("carol", "/rapport settings tz Asia/Kolkata")
    assert "zone=Asia/Kolkata" in rig.command("carol", "/probe who @bob").text


def test_users_info_is_cached(rig: SlackRig):
    for _ in range(3):
        rig.command("alice", "/probe who @bob")
    looked_up = [c.params["user"] for c in rig.fake.of("users.info")]
    assert sorted(looked_up) == ["UALICE", "UBOB"]


def test_app_home_publishes_a_view_with_settings_and_help(rig: SlackRig):
    answer = rig.event(
        {"type": "app_home_opened", "user": "UALICE", "channel": "DX", "tab": "home"}
    )
    assert answer.status == 200
    [published] = rig.fake.of("views.publish")
    assert published.params["user_id"] == "UALICE"
    view = published.params["view"]
    assert view["type"] == "home"
    text = published.text
    assert "Your settings" in text and "Europe/Berlin" in text and "/rapport help" in text
    for name in rig.core.families:
        assert f"*/{name}*" in text


def test_app_home_messages_tab_publishes_nothing(rig: SlackRig):
    rig.event({"type": "app_home_opened", "user": "UALICE", "channel": "DX", "tab": "messages"})
    assert rig.fake.of("views.publish") == []


def test_a_forged_event_is_refused(rig: SlackRig):
    answer = rig.event(
        {"type": "app_home_opened", "user": "UALICE", "tab": "home"}, sign_with="forged"
    )
    assert answer.status == 401
    assert rig.fake.of("views.publish") == []


def test_every_member_is_a_real_slack_id():
    assert all(uid.startswith("U") for uid in MEMBERS.values())


def test_the_events_url_answers_slacks_url_verification(rig: SlackRig):
    import json

    body = json.dumps({"type": "url_verification", "challenge": "c-123", "token": "x"})
    answer = post(rig.url, body, content_type="application/json")
    assert answer.status == 200 and "c-123" in answer.body
    forged = post(rig.url, body, content_type="application/json", sign_with="forged")
    assert forged.status == 401


def test_health_check_and_unknown_paths(rig: SlackRig):
    import urllib.error
    import urllib.request

    base = rig.url.rsplit("/slack/events", 1)[0]
    with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
        assert response.status == 200
    assert post(base + "/elsewhere", "x=1").status == 404


def test_an_adapter_failure_gets_an_apology_with_an_error_id(rig: SlackRig, monkeypatch):
    def broken(inv):
        raise RuntimeError("boom")

    monkeypatch.setattr(rig.core, "handle_command", broken)
    sent = rig.command("alice", "/rapport settings")
    assert sent.answer.status == 200
    [reply] = sent.responses
    assert "error id" in reply.params["text"]


def test_a_press_in_app_home_answers_by_dm_and_refreshes_the_home(rig: SlackRig):
    from tests.adapters.slack.fake_slack import TEAM
    from tests.adapters.slack.signing import action_body

    payload = {
        "type": "block_actions",
        "team": {"id": TEAM},
        "user": {"id": "UALICE", "team_id": TEAM},
        "container": {"type": "view", "view_id": "VHOME"},
        "view": {"id": "VHOME", "hash": "h1", "type": "home"},
        "trigger_id": "t-home",
        "actions": [
            {"type": "button", "action_id": "probe.ok~0", "value": "v9", "action_ts": "1.0"}
        ],
    }
    assert post(rig.url, action_body(payload)).status == 200
    rig.settle()
    assert [c.params["user_id"] for c in rig.fake.of("views.publish")] == ["UALICE"]
    rig.tick()  # the answer goes by DM through the outbox, keyed by the press
    assert rig.last_dm("alice").params["text"] == "Thanks!"
    assert rig.store.count(probe.PRESSES) == 1
