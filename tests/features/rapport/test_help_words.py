"""Help finds a subcommand by its own name, and a mistyped subcommand is suggested
rather than read as a name or a message."""

from __future__ import annotations

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

