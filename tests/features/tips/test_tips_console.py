"""A console script through tips, wins, the digest and the outreach helper, as a
person trying rapport would type it."""

from __future__ import annotations

from pathlib import Path

from bot.features.tips import content
from tests.harness import console


def test_scripted_tips_wins_digest_and_outreach(tmp_path: Path) -> None:
    out = console(
        [
            ":as alice",
            "/tips channel #jobs every monday 9:00",
            "/win Landed a second interview!",
            ":as you",
            "/tips channel #jobs every monday 9:00 Europe/Berlin",
            "/win channel #wins",
            "/tips now",
            ":as alice",
            "/win Landed a second interview! <!channel> @everyone <@U1> @here",
            "/outreach @bob their talk on testing",
            "/outreach review Hi Bob, could we grab a coffee next week?",
            ":as you",
            ":advance 7d",
            "/tips list",
        ],
        tmp_path / "data",
    )
    refusal, rest = out.split("alice> /win Landed a second interview!\n", 1)
    assert "Only a community admin can do that." in refusal
    assert "Ask an admin to pick one with /win channel #wins" in rest
    assert "in #jobs every Monday at 09:00 (Europe/Berlin)" in out
    assert "The first one arrives Mon 7 Dec, 09:00 CET." in out
    assert "Posted in #jobs. The schedule carries on as before.\n  [#jobs]\n" in out
    # The win is posted with the member's words exactly as typed, pinging nobody.
    assert (
        "  [#wins]\n    🎉 @alice shared a win!\n"
        "    “Landed a second interview! <!channel> @everyone <@U1> @here”\n"
    ) in out
    assert "I really enjoyed your talk on testing." in out
    assert "• A coffee ask in a first request — Connect first and invite later" in out
    # Friday's digest counts alice's win without naming her; Monday's tip follows.
    digest = out.split("📬 The week in our community (27 Nov – 4 Dec)")[1]
    assert "🎉 1 win shared\n" in digest
    assert "@alice" not in digest.split("  [#jobs]\n    ")[0]
    assert digest.index("🎉 1 win shared") < digest.index("  [#jobs]\n    ")
    assert "It is now Tue 2026-12-08 09:00 UTC." in out
    assert f"This round: 2 of {len(content.library())} posted before anything repeats." in out
