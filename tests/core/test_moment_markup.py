"""A moment shown to several people reads in each reader's own zone where the platform can
(Slack's date token, Discord's timestamp) and with an explicit zone everywhere else."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.adapters.console.community import build_directory
from bot.adapters.console.session import render_text
from bot.adapters.discord.render import to_markdown
from bot.adapters.slack.render import mrkdwn, payload
from bot.markup import Moment, fmt, from_data, to_data, to_plain
from bot.messages import Message

AT = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)
UNIX = int(AT.timestamp())
TEXT = fmt("Meet before {until}.", until=Moment(AT, "Europe/Berlin"))


def test_slack_uses_its_date_token_with_the_zoned_text_as_fallback() -> None:
    token = f"<!date^{UNIX}^{{date_short_pretty}} at {{time}}|Tue 8 Dec, 10:00 (Europe/Berlin)>"
    assert mrkdwn(TEXT) == f"Meet before {token}."
    assert token in payload(Message(TEXT))["text"]


def test_discord_uses_its_timestamp() -> None:
    assert to_markdown(TEXT) == f"Meet before <t:{UNIX}:f>."


def test_the_console_and_plain_text_name_the_zone() -> None:
    expected = "Meet before Tue 8 Dec, 10:00 (Europe/Berlin)."
    assert to_plain(TEXT) == expected
    assert render_text(TEXT, build_directory(0)) == expected
    assert to_plain(fmt("{at}", at=Moment(AT))) == "Tue 8 Dec, 09:00 (UTC)"


def test_a_moment_survives_the_outbox() -> None:
    assert from_data(to_data(TEXT)) == TEXT
