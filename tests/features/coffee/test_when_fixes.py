"""Coffee invites and the time reader's fixes, as a member sees them in the console."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.harness import console


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("3pm Europe/Pariss", "Did you mean Europe/Paris"),
        ("3pm Mars/Olympus", "I don't know the time zone “Mars/Olympus”"),
        ("tomorrow 3pm Pacific", "Which “Pacific” do you mean"),
    ],
)
def test_a_zone_after_the_time_is_refused_not_made_the_topic(
    typed: str, said: str, tmp_path: Path
) -> None:
    out = console(f"/coffee @bob {typed}\n", tmp_path)
    assert said in out
    assert "Invite sent" not in out and "Topic:" not in out


def test_topic_words_after_the_time_still_make_the_topic(tmp_path: Path) -> None:
    out = console("/coffee @bob 3pm career change\n", tmp_path)
    assert "Invite sent to @bob" in out and "Topic: career change" in out


def test_summer_time_in_december_is_refused(tmp_path: Path) -> None:
    out = console("/coffee @bob 3pm BST\n/coffee @carol 3pm CEST\n/coffee @dan 3pm EDT\n", tmp_path)
    assert "Invite sent" not in out and "British Summer Time" not in out
    assert "BST is summer time, but on Tue 1 Dec London is on GMT (UTC+0)" in out
    assert "Try “3pm Europe/London”" in out
    assert "CEST is summer time, but on Tue 1 Dec Berlin is on CET (UTC+1)" in out
    assert "EDT is summer time, but on Tue 1 Dec New York is on EST (UTC-5)" in out


CLOCKS = """
/rapport settings tz Europe/Paris
/coffee @bob 31 oct 2:30
/coffee @bob 28 mar 2:30
/coffee @bob 31 oct 02:30 UTC+2
/coffee @carol 31 oct 02:30 UTC+1
"""


def test_clock_changes_keep_the_date_and_show_the_offset(tmp_path: Path) -> None:
    out = console(CLOCKS, tmp_path, start="2027-03-27T23:30:00+00:00")
    assert "Try “31 oct 02:30 UTC+2”" in out
    assert "Try “28 mar 03:30”" in out
    # The two 02:30s of Sun 31 Oct are told apart wherever they are shown.
    assert "Invite sent to @bob for Sun 31 Oct, 02:30 UTC+2 (Europe/Paris)" in out
    assert "Invite sent to @carol for Sun 31 Oct, 02:30 UTC+1 (Europe/Paris)" in out
    assert "That's Sun 02:30 UTC+2 for @you (Europe/Paris)" in out
    assert "Sun 31 Oct, 02:30 (Europe/Paris)" not in out


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        (
            "tomorrow 3pm-4pm",
            "one start time rather than a range: when should it begin? Try “tomorrow 3pm”",
        ),
        ("wed midnight", "Try “wed 23:59”"),
        ("tomorrow afternoon", "Try “tomorrow 3pm”"),
        ("12/10/2026", "Try “10 dec 2026 3pm”"),
        ("in 10 years", "That's more than 366 days ahead"),
    ],
)
def test_refusal_examples_fit_what_was_typed(typed: str, said: str, tmp_path: Path) -> None:
    out = console(f"/coffee @bob {typed}\n", tmp_path)
    assert said in out
    assert "What time on" not in out


def test_a_tips_schedule_at_9_offers_9am(tmp_path: Path) -> None:
    out = console("/tips channel #jobs every monday at 9\n", tmp_path)
    assert "Try “every monday 9am”" in out
    assert "9pm”" not in out
