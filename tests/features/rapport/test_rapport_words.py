"""Help finds a subcommand by its own name, a mistyped subcommand is suggested rather
than read as a name or a message, and settings say plainly what they do."""

from __future__ import annotations

from datetime import timedelta

from bot.markup import to_plain
from tests.harness import Harness


def test_help_for_a_subcommand_name(h: Harness) -> None:
    profile = h.reply("alice", "/rapport help profile")
    assert profile.startswith("/rapport profile [edit")
    assert "Example: /rapport profile" in profile
    assert h.reply("alice", "/rapport help find").startswith("/intro find")
    assert "I don't have a command called /zzz" in h.reply("alice", "/rapport help zzz")


def test_a_mistyped_subcommand_is_suggested(h: Harness) -> None:
    assert "Did you mean /intro list?" in h.reply("alice", "/intro lsit")
    assert "Did you mean /coffee list?" in h.reply("alice", "/coffee lsit")
    assert "Did you mean /rapport settings?" in h.reply("alice", "/rapport setings")
    # A real name or message that merely starts like a subcommand is left alone.
    listed = h.reply("alice", "/intro listed")
    assert "Did you mean" not in listed and "couldn't find a member called “listed”" in listed


def test_quiet_hours_can_be_switched_off_and_weekends_said_plainly(h: Harness) -> None:
    assert "no quiet hours" in h.reply("alice", "/rapport settings quiet off")
    shown = h.reply("alice", "/rapport settings")
    assert "Quiet hours: none (weekends stay quiet)" in shown
    assert "Dates like 12/10: I ask when one could mean two days" in shown
    # With quiet hours off, a reminder at 23:00 on a weekday comes at 23:00.
    said = h.reply("alice", "/followup @bob tomorrow 11pm")  # Wed 2 Dec, 23:00
    assert "quiet hours" not in said
    h.advance(timedelta(hours=38, minutes=5))  # Wed 23:05
    assert any("@bob" in to_plain(m.text) for m in h.recorder.to("alice"))
    assert "normal days" in h.reply("alice", "/rapport settings weekends normal")
    assert "Quiet hours: none\n" in h.reply("alice", "/rapport settings") + "\n"
    assert "keep quiet from 22:00 to 07:00" in h.reply("alice", "/rapport settings quiet 10pm-7am")
    assert "Say quiet to keep weekends" in h.reply("alice", "/rapport settings weekends maybe")


def test_several_settings_in_one_line_all_or_nothing(h: Harness) -> None:
    both = h.reply("alice", "/rapport settings tz Asia/Kolkata quiet 23-6")
    assert "time zone is now Asia/Kolkata" in both and "from 23:00 to 06:00" in both
    refused = h.reply("alice", "/rapport settings quiet off tz Mars/Olympus")
    assert "I don't know the time zone" in refused
    assert "Example: /rapport settings tz" in refused
    shown = h.reply("alice", "/rapport settings")
    assert "Quiet hours: 23:00-06:00" in shown  # nothing of the refused line was kept
    assert "Example: /rapport settings tz Europe/Berlin" in h.reply("alice", "/rapport settings tz")


def test_refusals_show_commands_as_code_not_raw_backticks(h: Harness) -> None:
    for line in ("/rapport privacy sell", "/followup cancel", "/rapport nudges maybe"):
        said = h.reply("alice", line)
        assert said and "`" not in said, said
