"""``/rapport stats`` against a scripted history: intros, chats, check-ins, follow-ups, streaks."""

from __future__ import annotations

from datetime import timedelta

from bot.adapters.console.community import COMMUNITY
from bot.features.rapport.stats import checkins, my_stats, weekly_funnel
from bot.messages import Message
from tests.harness import Harness, plain


def last_with(h: Harness, user: str, words: str) -> Message:
    found = [m for m in h.recorder.to(user) if words in plain(m)]
    assert found, f"nothing to {user} with {words!r}"
    return found[-1]


def history(h: Harness) -> None:
    """Tue 1 Dec … Tue 8 Dec: two intro requests, three chats, one follow-up done."""
    h.cmd("alice", "/intro @bob @carol I'd love to hear how they moved into data")
    h.press("bob", h.button(h.last_to("bob"), "Make the intro"))
    h.press("carol", h.button(h.last_to("carol"), "Happy to connect"))
    h.cmd("alice", '/intro @dan "someone at Acme" curious about their platform team')
    h.press("dan", h.button(h.last_to("dan"), "Not now"))
    for other in ("bob", "carol", "dan"):
        h.cmd("alice", f"/coffee @{other} tomorrow 3pm")
        h.press(other, h.button(h.last_to(other), "Accept"))
    h.cmd("alice", "/followup @bob in 1 week ask how the new team is")
    h.advance(timedelta(days=1, hours=7, minutes=5))  # Wed 16:05: check-ins are out
    h.press("alice", h.button(last_with(h, "alice", "chat with @bob happen"), "Yes"))
    h.press("alice", h.button(last_with(h, "alice", "chat with @dan happen"), "Didn't happen"))
    # Nobody answers for the chat with carol: it is not counted as held.
    h.advance(timedelta(days=5, hours=18))  # Tue 8 Dec 10:05: the follow-up reminder
    h.press("alice", h.button(last_with(h, "alice", "Time to follow up with @bob"), "Done"))


def test_a_members_numbers(h: Harness) -> None:
    history(h)
    alice = my_stats(h.core.context(COMMUNITY, "alice"))
    assert (alice.asked, alice.made) == (2, 1)
    assert (alice.asked_of_me, alice.made_for_others) == (0, 0)
    assert alice.chats_held == 1  # bob's: confirmed; carol's: unanswered; dan's: missed
    assert alice.followups_done == 1
    assert alice.streak == 2  # the week of 30 Nov and this one

    bob = my_stats(h.core.context(COMMUNITY, "bob"))
    assert (bob.asked_of_me, bob.made_for_others) == (1, 1)
    assert bob.chats_held == 1 and bob.followups_done == 0
    assert bob.streak == 1  # last week still counts while this one has only begun
    dan = my_stats(h.core.context(COMMUNITY, "dan"))
    assert (dan.asked_of_me, dan.made_for_others, dan.chats_held) == (1, 0, 0)


def test_what_a_member_reads(h: Harness) -> None:
    history(h)
    text = h.reply("alice", "/rapport stats")
    assert "Intros you asked for: 2 · made: 1" in text
    assert "Coffee chats that happened: 1" in text
    assert "only chats someone confirmed at the check-in count" in text
    assert "Follow-ups done: 1" in text
    assert "Streak: 2 weeks in a row" in text
    assert "The community" not in text  # members see their own numbers only
    assert "Intros you made for others: 1 (of 1 asked of you)" in h.reply("bob", "/rapport stats")


def test_a_streak_ends_after_a_quiet_week(h: Harness) -> None:
    history(h)
    h.advance(timedelta(days=14))  # Tue 22 Dec: nothing in the week of 14 Dec
    assert my_stats(h.core.context(COMMUNITY, "alice")).streak == 0
    assert "none running yet" in h.reply("alice", "/rapport stats")
    h.cmd("alice", "/coffee @carol tomorrow 3pm")
    assert my_stats(h.core.context(COMMUNITY, "alice")).streak == 1


def test_a_newcomer_has_zeros(h: Harness) -> None:
    text = h.reply("carol", "/rapport stats")
    assert "Intros you asked for: 0 · made: 0" in text and "none running yet" in text


def test_admins_see_totals_the_funnel_and_honest_check_ins(h: Harness) -> None:
    history(h)
    ctx = h.core.context(COMMUNITY, "you")
    weeks = weekly_funnel(ctx)
    assert len(weeks) == 4
    this, last = weeks[-1], weeks[-2]
    assert (last.requests, last.intros, last.chats, last.followups) == (2, 1, 1, 0)
    assert (this.requests, this.intros, this.chats, this.followups) == (0, 0, 0, 1)
    c = checkins(ctx, weeks[0].start, h.clock.now())
    assert (c.due, c.answered, c.held) == (3, 2, 1)

    text = h.reply("you", "/rapport stats")
    assert "The community" in text
    assert "All time: 2 intro requests, 1 intro made, 1 chat held, 1 follow-up done" in text
    assert "Together: 2 → 1 → 1 → 1" in text
    assert "Week of Mon 30 Nov: 2 → 1 → 1 → 0" in text
    assert "Week of Mon 7 Dec: 0 → 0 → 0 → 1" in text
    assert "3 chats came due; 2 were answered and 1 said it happened" in text


def test_a_chat_nobody_confirms_never_counts(h: Harness) -> None:
    h.cmd("alice", "/coffee @bob tomorrow 3pm")
    h.press("bob", h.button(h.last_to("bob"), "Accept"))
    h.advance(timedelta(days=3))
    assert my_stats(h.core.context(COMMUNITY, "alice")).chats_held == 0
    assert "1 chats held" not in h.reply("you", "/rapport stats")
