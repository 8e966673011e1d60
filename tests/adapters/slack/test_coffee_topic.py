"""A coffee topic typed with mentions and Slack's escapes, end to end over HTTP: the
adapter hands the core its parts in typed order with the escapes decoded, and what the
invitee reads keeps that order, with ``@channel`` inert."""

from __future__ import annotations

from bot.adapters.slack import translate
from bot.io import UserArg
from tests.adapters.slack.rig import SlackRig

TYPED = "<@UBOB|bob> tomorrow 3pm career <!channel> &amp; <@UCAROL|carol> &lt;b&gt;"


def test_the_adapter_hands_over_the_topic_in_typed_order_with_escapes_decoded():
    assert translate.parse_text(TYPED) == (
        UserArg("UBOB", "bob"),
        " tomorrow 3pm career @channel & ",
        UserArg("UCAROL", "carol"),
        " <b>",
    )


def _topic(rig: SlackRig) -> str:
    sent = rig.command("alice", "/coffee", text=TYPED)
    assert "Invite sent" in sent.text, sent.text
    rig.tick()
    dm = rig.last_dm("bob").params["text"]
    [line] = [x for x in dm.splitlines() if x.startswith("Topic")]
    return line


def test_the_topic_is_inert_and_shown_decoded(rig: SlackRig):
    line = _topic(rig)
    assert "<!channel>" not in line and "@channel" in line  # text, never a ping
    assert "&amp;" in line and "&lt;b&gt;" in line  # mrkdwn for "&" and "<b>"


def test_the_topic_keeps_the_typed_order(rig: SlackRig):
    assert _topic(rig) == "Topic: career @channel &amp; @carol &lt;b&gt;"
