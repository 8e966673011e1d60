"""Slack payloads → neutral inputs: only Slack's own references become people."""

from __future__ import annotations

from bot.adapters.slack import translate
from bot.io import ChannelArg, UserArg


def test_escaped_mentions_and_channels_become_arguments():
    parts = translate.parse_text("<@U1ABC|alice> <#C0JOBS|jobs> hello")
    assert parts == (UserArg("U1ABC", "alice"), " ", ChannelArg("C0JOBS", "jobs"), " hello")


def test_mentions_without_names_and_empty_channel_names():
    assert translate.parse_text("<@W12> <#C9|>") == (UserArg("W12"), " ", ChannelArg("C9"))


def test_typed_angle_brackets_stay_text():
    parts = translate.parse_text("&lt;@U999&gt; &lt;!channel&gt; a &amp;&amp; b &amp;lt;")
    assert parts == ("<@U999> <!channel> a && b &lt;",)


def test_special_mentions_become_words_not_pings():
    parts = translate.parse_text("<!here> <!channel> <!everyone> <!subteam^S1|@devs> <!date^1|Mon>")
    assert parts == ("@here @channel @everyone @devs Mon",)


def test_links_become_the_text_the_user_typed():
    assert translate.parse_text("see <https://acme.test/jobs|acme.test/jobs>") == (
        "see acme.test/jobs",
    )
    assert translate.parse_text("<mailto:a@b.test|a@b.test> <https://x.test>") == (
        "a@b.test https://x.test",
    )


def test_malformed_references_stay_text():
    assert translate.parse_text("<@not-an-id|x> <#lower>") == ("<@not-an-id|x> <#lower>",)


def test_command_request_id_is_the_trigger_id():
    body = {"trigger_id": "t.1", "team_id": "T1", "user_id": "U1", "command": "/intro"}
    assert translate.command_request_id(body) == "slack-cmd:t.1"
    inv = translate.command(body, ("x",), is_admin=True)
    assert inv.command == "intro" and inv.community.key == "slack:T1" and inv.is_admin


def press_body(**changes):
    body = {
        "type": "block_actions",
        "team": {"id": "T1"},
        "user": {"id": "U1"},
        "container": {"type": "message", "message_ts": "1.2", "channel_id": "D1"},
        "channel": {"id": "D1"},
        "actions": [
            {"type": "button", "action_id": "intro.make~0", "value": "k3f9", "action_ts": "9.1"}
        ],
    }
    body.update(changes)
    return body


def test_a_button_press_names_our_action_and_where_it_was():
    press = translate.button(press_body())
    assert press is not None
    assert (press.action, press.value, press.user, press.channel) == (
        "intro.make",
        "k3f9",
        "U1",
        "D1",
    )
    assert press.message_ref == "D1:1.2"


def test_a_double_click_has_one_request_id():
    first = press_body()
    second = press_body()
    second["actions"] = [dict(first["actions"][0], action_ts="9.7")]
    assert translate.button(first).request_id == translate.button(second).request_id
    other = press_body(user={"id": "U2"})
    assert translate.button(other).request_id != translate.button(first).request_id


def test_a_press_in_app_home_counts_anew_after_the_view_changes():
    one = press_body(container={"type": "view", "view_id": "V1"}, view={"id": "V1", "hash": "h1"})
    two = press_body(container={"type": "view", "view_id": "V1"}, view={"id": "V1", "hash": "h2"})
    assert translate.button(one).message_ref == "view:V1"
    assert translate.button(one).request_id != translate.button(two).request_id
