"""The README's follow-up walkthrough, run through the console adapter as a script."""

from __future__ import annotations

from pathlib import Path

from tests.harness import console

SCRIPT = """\
:as alice
/rapport settings tz America/New_York
/followup @bob in 2 weeks ask how the platform migration went
/followup @carol every month
/followup list
:advance 2w6h
:press Done
/followup @dan on Dec 15 23:30 send him the article
:advance 1d
:press Snooze a week
/rapport nudges off
:advance 3w
/rapport nudges on
"""


def test_the_follow_up_walkthrough(tmp_path: Path) -> None:
    out = console(SCRIPT, tmp_path / "data")
    assert "Your follow-ups (times in America/New_York)" in out
    assert "@carol every month, next on Fri 1 Jan 2027, 09:00" in out
    assert "[1] Done   [2] Snooze a week   [3] Stop reminding me about this" in out
    assert "Nice work following up with @bob!" in out
    assert "Snoozed. I'll remind you again around Wed 23 Dec." in out
    assert "2 reminders waited for you" in out
    tail = out.split("/rapport nudges on", 1)[1]
    assert tail.index("follow up with @dan") < tail.index("keep in touch with @carol")
