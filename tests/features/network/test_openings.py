"""/opening: posted in the openings channel, told privately to open-to-work members whose
goals match — those who met the poster first — within the weekly cap; counts, never names."""

from __future__ import annotations

from datetime import timedelta

from bot.features.network.openings import OPENINGS, TOLD
from bot.io import Reply
from bot.markup import Mention
from tests.features.network.test_network import met, profile
from tests.harness import Harness, plain


def setup(h: Harness) -> None:
    h.cmd("you", "/opening channel #jobs")
    profile(h, "bob", open=True, seeking="data engineer, analyst")
    profile(h, "carol", open=True, seeking="designer")
    profile(h, "dan", open=True, companies="Acme")
    profile(h, "alice", open=False, seeking="data engineer")  # not open to work
    met(h, "alice", "dan")


def told(h: Harness, user: str) -> list[str]:
    return [plain(m) for m in h.recorder.to(user) if "An opening that fits" in plain(m)]


def test_an_opening_reaches_the_people_it_fits_those_who_met_the_poster_first(
    h: Harness,
) -> None:
    setup(h)
    out = h.cmd("alice", "/opening data engineer at Acme https://acme.test/j/1 remote <!channel>")
    (reply,) = [o for o in out if isinstance(o, Reply)]
    assert "letting 2 members whose goals match know" in plain(reply.message)
    assert "@bob" not in plain(reply.message) and "@dan" not in plain(reply.message)
    h.advance(timedelta(minutes=1))
    assert any("New opening" in plain(m) for m in h.recorder.posts("jobs"))
    assert told(h, "dan") and told(h, "bob") and not told(h, "carol")
    assert "(you've met)" in told(h, "dan")[0] and "(you've met)" not in told(h, "bob")[0]
    order = [
        p.output.user
        for p in h.recorder.sent
        if hasattr(p.output, "user") and "An opening that fits" in plain(p.output.message)
    ]
    assert order.index("dan") < order.index("bob")  # who met the poster hears first


def test_the_channel_post_carries_typed_text_as_text(h: Harness) -> None:
    setup(h)
    h.cmd("alice", "/opening analyst at Globex <!channel> @everyone")
    (post,) = h.recorder.posts("jobs")
    assert "<!channel> @everyone" in plain(post)
    assert [s for s in post.text if isinstance(s, Mention)] == [Mention("alice")]


def test_at_most_two_openings_a_week_reach_one_member(h: Harness) -> None:
    setup(h)
    said = [h.reply("alice", f"/opening data engineer at Co{n}") for n in range(3)]
    h.advance(timedelta(minutes=1))
    assert len(told(h, "bob")) == 2
    assert sum("bob" in r["users"] for r in h.store.find(TOLD)) == 2
    # The third reached nobody because of the cap: not because nobody fits it.
    third = said[2].replace("\n", " ")
    assert "heard about enough openings this week" in third and "Nobody's goals" not in third
    assert "3 openings shared, 2 members told" in h.reply("you", "/rapport stats")


def test_close_and_list_and_refusals(h: Harness) -> None:
    assert "don't have a channel yet" in h.reply("alice", "/opening analyst at Acme")
    setup(h)
    assert "Which company?" in h.reply("alice", "/opening a great job")
    no_role = h.reply("alice", "/opening at Acme")
    assert "What's the role?" in no_role and "/opening data engineer at Acme" in no_role
    assert "Which opening? Add its id" in h.reply("alice", "/opening close")
    posted = h.reply("alice", "/opening analyst at Acme").replace("\n", " ")
    assert "letting 2 members whose goals match know privately" in posted
    (doc,) = h.store.find(OPENINGS, {"role": "analyst"})
    oid = doc["id"]
    assert oid in h.reply("bob", "/opening list")
    assert "Only whoever shared" in h.reply("bob", f"/opening close {oid}")
    assert "Closed" in h.reply("alice", f"/opening close {oid}")
    assert "No openings right now" in h.reply("bob", "/opening list")
    h.advance(timedelta(minutes=1))
    assert not told(h, "bob")  # closed before the word went out: nobody is told


def test_an_opening_nobody_fits_says_so(h: Harness) -> None:
    setup(h)
    nobody = h.reply("alice", "/opening florist at Bloom").replace("\n", " ")
    assert "Nobody's goals match it yet" in nobody and "0 members" not in nobody


def test_channel_is_for_admins(h: Harness) -> None:
    assert "Only a community admin" in h.reply("alice", "/opening channel #jobs")


def test_the_company_is_every_word_of_its_name_and_no_punctuation(h: Harness) -> None:
    setup(h)
    profile(h, "dan", seeking="product designer", companies="Acme, Stitch Fix", open=True)
    h.cmd("alice", "/opening Data Engineer at Stitch Fix https://stitchfix.test/jobs/1")
    h.cmd("alice", "/opening backend engineer at Acme, remote")
    h.cmd("alice", '/opening analytics lead at "Initech Labs" — hybrid in Berlin')
    shared = {(d["role"], d["company"], d["details"]) for d in h.store.find(OPENINGS)}
    assert shared == {
        ("Data Engineer", "Stitch Fix", ""),
        ("backend engineer", "Acme", "remote"),
        ("analytics lead", "Initech Labs", "hybrid in Berlin"),
    }
    h.advance(timedelta(minutes=1))
    assert len(told(h, "dan")) == 2  # both of the companies dan listed


def test_goals_match_whole_words_only(h: Harness) -> None:
    setup(h)
    profile(h, "dan", seeking="AI, go", open=True)
    for line in ("/opening retail associate at Walmart", "/opening cloud architect at Google"):
        assert "Nobody's goals match it yet" in h.reply("carol", line).replace("\n", " ")
    h.cmd("carol", "/opening AI researcher at Initech")
    h.advance(timedelta(minutes=1))
    assert len(told(h, "dan")) == 1
