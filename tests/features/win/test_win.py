"""``/win``: a member's win is celebrated in the wins channel; nothing they type can
ping anyone; without a wins channel they learn how an admin sets one."""

from __future__ import annotations

from datetime import timedelta

from bot.adapters.console.community import COMMUNITY
from bot.features.win.numbers import WINS
from bot.io import ChannelPost, CommandInvocation, Reply, UserArg
from bot.markup import Bold, ChannelLink, Italic, Link, Mention, Plain, Span
from tests.harness import Harness, plain

HOSTILE = "Got the offer! <!channel> @everyone <@U1> @here <!subteam^S1> [x](http://evil)"


def flat(spans: tuple[Span, ...]) -> list[Span]:
    """Every span, with bold and italic runs opened up."""
    out: list[Span] = []
    for s in spans:
        out.extend(flat(s.parts) if isinstance(s, (Bold, Italic)) else [s])
    return out


def test_a_win_is_celebrated_in_the_wins_channel(h: Harness) -> None:
    assert "Wins will be celebrated in #wins" in h.reply("you", "/win channel #wins")
    reply = h.reply("alice", "/win Got a reply from the hiring manager at Acme!")
    assert "Shared in #wins. Congratulations" in reply
    [post] = h.recorder.posts("wins")
    text = plain(post)
    assert text.startswith("🎉 @alice shared a win!")
    assert "“Got a reply from the hiring manager at Acme!”" in text
    [win] = h.store.find(WINS)
    assert win["user"] == "alice" and win["community"] == COMMUNITY.key


def test_nothing_a_member_types_can_ping_anyone(h: Harness) -> None:
    h.cmd("you", "/win channel #wins")
    h.cmd("alice", f"/win {HOSTILE} thanks @bob")
    [post] = h.recorder.posts("wins")
    spans = flat(post.text)
    # The only mention is the author, which we put there; the member's words are one
    # plain span the adapters escape, whatever it contains.
    assert [s for s in spans if isinstance(s, Mention)] == [Mention("alice")]
    assert not any(isinstance(s, (Link, ChannelLink)) for s in spans)
    assert any(isinstance(s, Plain) and f"{HOSTILE} thanks @bob" in s.text for s in spans)


def test_a_mention_the_platform_resolved_stays_text_in_a_win(h: Harness) -> None:
    h.cmd("you", "/win channel #wins")
    out = h.core.handle_command(
        CommandInvocation(
            COMMUNITY, "alice", "win", ("Thanks to ", UserArg("bob", "bob"), " for the intro!")
        )
    )
    assert isinstance(out[0], Reply)
    h.tick()
    [post] = h.recorder.posts("wins")
    assert Mention("bob") not in flat(post.text)
    assert "Thanks to @bob for the intro!" in plain(post)


def test_without_a_wins_channel_members_learn_how_an_admin_sets_one(h: Harness) -> None:
    reply = h.reply("alice", "/win Landed an interview!")
    assert "there's no wins channel yet" in reply
    assert "Ask an admin to pick one with /win channel #wins" in reply
    assert "Pick one with /win channel #wins" in h.reply("you", "/win Landed an interview!")
    assert h.recorder.posts() == []
    assert h.store.count(WINS) == 0


def test_only_admins_choose_the_wins_channel(h: Harness) -> None:
    before = h.snapshot()
    assert "Only a community admin" in h.reply("alice", "/win channel #wins")
    assert "Only a community admin" in h.reply("alice", "/win channel off")
    assert h.snapshot() == before
    assert "Which channel?" in h.reply("you", "/win channel wins")
    h.cmd("you", "/win channel #wins")
    assert "won't be posted any more" in h.reply("you", "/win channel off")
    assert "no wins channel yet" in h.reply("alice", "/win Offer!")


def test_empty_and_overlong_wins_are_refused_kindly(h: Harness) -> None:
    h.cmd("you", "/win channel #wins")
    before = h.snapshot()
    assert "What's the win? Anything counts" in h.reply("alice", "/win")
    assert "under 500 characters" in h.reply("alice", "/win " + "yay " * 200)
    assert h.snapshot() == before


def test_a_member_can_share_a_few_wins_a_day_not_a_flood(h: Harness) -> None:
    h.cmd("you", "/win channel #wins")
    for n in range(5):
        assert "Shared in #wins" in h.reply("alice", f"/win Small win number {n}")
    assert "Save the next one for tomorrow" in h.reply("alice", "/win One more!")
    assert "Shared in #wins" in h.reply("bob", "/win Mine too")
    h.advance(timedelta(days=1, minutes=1))
    assert "Shared in #wins" in h.reply("alice", "/win A new day")
    assert len(h.recorder.posts("wins")) == 7


def test_wins_are_posted_through_the_outbox(h: Harness) -> None:
    h.cmd("you", "/win channel #wins")
    out = h.cmd("alice", "/win Offer accepted!", deliver=False)
    assert all(not isinstance(o, ChannelPost) for o in out)  # only the reply comes back now
    assert h.recorder.posts() == []
    h.tick()
    assert len(h.recorder.posts("wins")) == 1


def test_a_switch_word_is_not_posted_as_a_win(h: Harness) -> None:
    h.reply("you", "/win channel #wins")
    said = h.reply("you", "/win off")
    assert "doesn't sound like a win" in said and "/win channel off" in said
    assert h.recorder.posts("wins") == [] and h.store.find(WINS) == []
    assert "Shared in #wins" in h.reply("alice", "/win Turned off my imposter syndrome!")
