"""Every command family through Slack, and nothing typed can ping anyone.

These tests read the families from the registry, so a family added later is
covered without touching them.
"""

from __future__ import annotations

import re

import pytest

from bot.registry import discover
from tests.adapters.slack.fake_slack import Call
from tests.adapters.slack.rig import IDS, MEMBERS, OOPS, SlackRig, slack_text

DANGER = "<!channel> <!here> <!everyone> <@U999>"
TYPED = "&lt;!channel&gt; &lt;!here&gt; &lt;!everyone&gt; &lt;@U999&gt;"  # as Slack sends it
RAW = ("<!channel>", "<!here>", "<!everyone>", "<@U999>", "<!subteam")


def examples() -> list[tuple[str, str]]:
    return [(f.name, s.example) for f in discover().values() for s in f.subs]


def recipient(call: Call) -> str | None:
    channel = call.params.get("channel", "")
    return IDS.get(channel[1:]) if channel.startswith("D") else None


@pytest.mark.parametrize("family", list(discover()))
def test_every_family_is_a_registered_slash_command(rig: SlackRig, family: str):
    sent = rig.command("you", f"/{family} help-me-please")
    assert sent.answer.status == 200
    assert sent.responses, f"/{family} got no answer"
    assert f"I don't know `/{family}` yet" not in sent.text  # the family answered


def test_every_example_works_over_slack_and_every_posted_button_can_be_pressed(rig: SlackRig):
    for who in ("you", "alice"):
        for _name, example in examples():
            sent = rig.command(who, example)
            assert sent.answer.status == 200, example
            assert sent.responses, f"{example} got no answer"
            assert OOPS not in sent.text, f"{example} as {who}: {sent.text}"
        rig.tick()
    pressed = 0
    for call in [c for c in rig.fake.of("chat.postMessage") if c.buttons()]:
        who = recipient(call)
        if who is None:
            continue
        for button in call.buttons():
            sent = rig.press(who, call, button["text"]["text"])
            assert sent.answer.status == 200
            assert OOPS not in sent.text, f"{button['action_id']}: {sent.text}"
            pressed += 1
        rig.tick()
    if any(f.buttons for f in discover().values()):
        assert pressed, "the examples posted no buttons to press"


def free_text_lines() -> list[str]:
    """Each example with the dangerous text in every place a user types words."""
    lines = []
    for _, example in examples():
        command, _, rest = example.partition(" ")
        words = rest.split()
        lines.append(f"{command} {DANGER}")
        lines.append(f"{example} {DANGER}")
        lines.append(f'{command} "{DANGER}" {DANGER}')
        # Keep the leading subcommand and mentions, replace what follows.
        keep = []
        for w in words:
            if w.startswith(("@", "#")) or (not keep and w.isalpha() and w.islower()):
                keep.append(w)
            else:
                break
        lines.append(" ".join([command, *keep, DANGER]))
    return lines


def assert_nothing_pings(calls: list[Call]) -> None:
    for call in calls:
        for raw in RAW:
            assert raw not in call.text, f"{raw} reached Slack unescaped in {call.method}"
        mentions = set(re.findall(r"<@(U[A-Z0-9]+)>", call.text))
        assert mentions <= set(MEMBERS.values()), f"unexpected mention in {call.text}"


@pytest.mark.parametrize("form", ["typed", "special"])
def test_nothing_typed_reaches_slack_as_a_mention(rig: SlackRig, form: str):
    """``<!channel>`` & co typed as text (Slack sends it escaped) or as Slack's own
    special mentions: echoed back escaped or as words, never as a ping."""
    for who in ("you", "alice"):
        for line in free_text_lines():
            _command, _, rest = line.partition(" ")
            # Slack's text for the line, with the dangerous part in the chosen form.
            replacement = TYPED if form == "typed" else DANGER
            text = slack_text(rest.replace(DANGER, "\x00")).replace("\x00", replacement)
            rig.command(who, line, text=text)
        rig.tick()
    calls = [
        c
        for c in rig.fake.all()
        if c.method in ("response_url", "chat.postMessage", "views.publish", "chat.update")
    ]
    assert calls
    assert_nothing_pings(calls)
    if form == "typed":
        echoed = [c for c in calls if "&lt;!channel&gt;" in c.text]
        assert echoed, "no command echoed the text back; the test would prove nothing"
    else:
        assert any("@channel" in c.text for c in calls)


def test_an_intro_with_double_opt_in_over_slack(rig: SlackRig):
    from bot.features.intro import text as t

    sent = rig.command("alice", "/intro @bob @carol I'd love to hear how she moved into data")
    assert sent.answer.status == 200 and OOPS not in sent.text
    rig.tick()
    ask = rig.last_dm("bob")
    assert [b["text"]["text"] for b in ask.buttons()] == [t.BUTTON_MAKE, t.BUTTON_NOT_NOW]
    # A stranger's press changes nothing.
    stranger = rig.press("dan", ask, t.BUTTON_MAKE)
    assert stranger.responses and not rig.dms("carol")
    rig.tick()
    assert not rig.dms("carol")
    made = rig.press("bob", ask, t.BUTTON_MAKE)
    assert any(c.params.get("replace_original") for c in made.responses)
    rig.tick()
    opt_in = rig.last_dm("carol")
    rig.press("carol", opt_in, t.BUTTON_ACCEPT)
    rig.press("carol", opt_in, t.BUTTON_ACCEPT)  # a double click
    rig.tick()
    groups = [
        c.params["users"] for c in rig.fake.of("conversations.open") if "," in c.params["users"]
    ]
    assert groups == ["UALICE,UBOB,UCAROL"]
