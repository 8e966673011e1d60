"""Neutral markup → mrkdwn and Block Kit: escaping, references, limits."""

from __future__ import annotations

from bot.adapters.slack import render
from bot.markup import Bold, ChannelLink, Code, Italic, Link, Mention, Plain, fmt
from bot.messages import Button, Message


def test_plain_text_is_escaped_so_it_cannot_ping():
    text = (Plain("<!channel> <!here> <!everyone> <@U999> & <#C1>"),)
    assert render.mrkdwn(text) == (
        "&lt;!channel&gt; &lt;!here&gt; &lt;!everyone&gt; &lt;@U999&gt; &amp; &lt;#C1&gt;"
    )


def test_values_in_templates_are_plain_text():
    assert render.mrkdwn(fmt("Hi *{name}*!", name="<!here>")) == "Hi *&lt;!here&gt;*!"


def test_references_render_only_for_real_ids():
    assert render.mrkdwn((Mention("U123ABC"), Plain(" "), ChannelLink("C0JOBS"))) == (
        "<@U123ABC> <#C0JOBS>"
    )
    assert render.mrkdwn((Mention("!channel"),)) == "@!channel"
    assert render.mrkdwn((ChannelLink("here>"),)) == "#here&gt;"


def test_formatting_spans():
    text = (Bold((Plain("bold "),)), Italic((Plain("it"),)), Plain(" "), Code("a<b"))
    assert render.mrkdwn(text) == "*bold* _it_ `a&lt;b`"


def test_links_only_for_web_and_mail_urls():
    assert render.mrkdwn((Link("https://x.test/a?b=1&c=2|3", "the <site>"),)) == (
        "<https://x.test/a?b=1&amp;c=2%7C3|the &lt;site&gt;>"
    )
    assert render.mrkdwn((Link("!channel", "click"),)) == "click (!channel)"


def test_buttons_become_an_actions_block_with_unique_action_ids():
    message = Message(
        fmt("Pick one"),
        buttons=(Button("a.go", "Go", "1", "primary"), Button("a.go", "Go too", "2")),
    )
    blocks = render.blocks(message)
    actions = blocks[-1]
    assert actions["type"] == "actions"
    ids = [e["action_id"] for e in actions["elements"]]
    assert len(set(ids)) == 2
    assert [render.action_name(i) for i in ids] == ["a.go", "a.go"]
    assert actions["elements"][0]["style"] == "primary"
    assert "style" not in actions["elements"][1]


def test_action_names_round_trip_even_with_separators_inside():
    assert render.action_name(render.action_id(Button("x~y.z", "L"), 7)) == "x~y.z"
    assert render.action_name("legacy") == "legacy"


def test_long_text_is_split_into_sections_within_slack_limits():
    line = "word " * 100
    message = Message(fmt("{body}", body="\n".join([line] * 40)))
    blocks = render.blocks(message)
    assert len(blocks) > 1
    assert all(len(b["text"]["text"]) <= render.SECTION_LIMIT for b in blocks)
    assert len(render.fallback(message)) <= render.FALLBACK_LIMIT + 1


def test_splitting_never_cuts_an_escape_sequence():
    body = "&" * 5000
    for chunk in render.chunks(render.escape(body)):
        assert not chunk.endswith(("&", "&a", "&am", "&amp"))


def test_huge_messages_fit_in_fifty_blocks():
    message = Message(
        fmt("{body}", body="\n".join("x" * 2900 for _ in range(80))),
        buttons=tuple(Button("b", str(i), str(i)) for i in range(30)),
    )
    blocks = render.blocks(message)
    assert len(blocks) <= render.MESSAGE_BLOCKS
    buttons = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert len(buttons) == 30


def test_fallback_text_is_escaped_too():
    assert render.fallback(Message(fmt("{x}", x="<!channel>"))) == "&lt;!channel&gt;"


def test_invisible_characters_never_reach_slack() -> None:
    from bot.adapters.slack.render import escape

    assert escape("a\u202eb\x00c\td\ne") == "abc\td\ne"
