"""What a user types, through each platform's translation and rendering, stays text.

Slack sends typed text escaped (``&``, ``<``, ``>``) and turns a typed @here into
``<!here>``; only ``<@U…|name>`` / ``<#C…|name>`` it made itself are mentions. So
``parse_text`` of typed text must give back that text and no user or channel. Then any
text, with real mentions of our own around it, must render with no live broadcast and
no ping but ours, on Slack and on Discord.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.adapters.slack.translate import parse_text
from bot.markup import ChannelLink, Mention, fmt
from bot.messages import Message
from tests.fuzz import hostile as hx
from tests.fuzz.checks import render_problems

FUZZ = settings(max_examples=300, derandomize=True, database=None, deadline=None)
typed = st.one_of(hx.text, st.text(max_size=200))


def as_slack_sends(text: str) -> str:
    """Typed text as it arrives in a slash command with ``should_escape``."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for word in ("here", "channel", "everyone"):
        escaped = escaped.replace(f"@{word}", f"<!{word}>")
    return escaped


@FUZZ
@given(typed)
def test_text_typed_on_slack_never_becomes_a_user_or_a_channel(text: str) -> None:
    parts = parse_text(as_slack_sends(text))
    assert all(isinstance(p, str) for p in parts), parts
    assert "".join(parts) == text


@FUZZ
@given(typed, typed, st.sampled_from(hx.EXTRA_MEMBERS), st.booleans())
def test_any_text_renders_without_a_ping_it_did_not_ask_for(
    before: str, after: str, member: object, bold: bool
) -> None:
    template = "*{a}* {who} in {where}: {b}" if bold else "{a} {who} in {where}: _{b}_"
    text = fmt(
        template,
        a=before,
        b=after,
        who=Mention(member.id),  # type: ignore[attr-defined]
        where=ChannelLink("C0JOBS01"),
    )
    assert render_problems(Message(text)) == []
