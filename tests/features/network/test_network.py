"""The network map: opt-in profiles, and paths through ties members really have — with
nobody who did not opt in ever appearing, as target or as connector."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.adapters.console.community import COMMUNITY
from bot.features.followup.contacts import log_contact
from bot.features.network import paths
from bot.features.network.profiles import PROFILES, Profile, save
from bot.features.network.profiles import load as profile_of
from bot.io import Form, Reply, UserArg
from tests.harness import START, Harness, plain


def met(h: Harness, a: str, b: str, days_ago: float = 3) -> None:
    with h.store.atomic():
        log_contact(h.store, COMMUNITY, a, b, START - timedelta(days=days_ago), "coffee")
        log_contact(h.store, COMMUNITY, b, a, START - timedelta(days=days_ago), "coffee")


def profile(h: Harness, user: str, **fields: object) -> None:
    save(h.core.context(COMMUNITY, user), Profile(user, **fields))  # type: ignore[arg-type]


def test_a_profile_is_off_until_switched_on_and_reads_one_line(h: Harness) -> None:
    assert "You have no profile yet" in h.reply("alice", "/rapport profile")
    reply = h.reply(
        "alice", '/rapport profile role "data engineer" company Acme findable on helps SQL'
    )
    assert "data engineer at Acme" in reply and "Findable in searches: on" in reply
    assert "Happy to be asked for intros: off" in reply and "Open to work: off" in reply
    assert "isn't one of them" in h.reply("alice", "/rapport profile salary 100k")
    assert "is on or off" in h.reply("alice", "/rapport profile open maybe")
    assert "nobody will find you" in h.reply("alice", "/rapport profile clear")
    assert h.store.find(PROFILES) == []


def test_the_profile_form_saves_every_field(h: Harness) -> None:
    (form,) = h.cmd("alice", "/rapport profile edit")
    assert isinstance(form, Form)
    h.submit("alice", form, {"role": "designer", "company": "Globex", "sharing": "connector"})
    mine = profile_of(h.core.context(COMMUNITY, "alice"), "alice")
    assert mine is not None
    assert (mine.role, mine.company, mine.connector, mine.findable) == (
        "designer",
        "Globex",
        True,
        False,
    )


def community(h: Harness) -> None:
    profile(h, "bob", role="data engineer", company="Acme", findable=True)
    profile(h, "carol", role="recruiter", company="Initech", connector=True)
    profile(h, "dan", role="designer", company="Acme", findable=False, connector=True)
    met(h, "carol", "bob")
    met(h, "dan", "bob")  # dan is a connector but… met bob too (ok)
    met(h, "alice", "carol", days_ago=40)


def test_find_shows_paths_through_real_ties_and_the_button_starts_the_ask(h: Harness) -> None:
    community(h)
    (answer,) = h.cmd("alice", "/intro find Acme")
    assert isinstance(answer, Reply)
    text = plain(answer.message)
    assert "@carol knows @bob (data engineer at Acme)" in text
    assert "@dan knows @bob" in text  # a connector who met bob
    assert "knows @dan" not in text  # dan isn't findable: never a target
    first = answer.message.buttons[0]
    assert first.value == "carol:bob"  # alice knows carol: the warmer path first
    (form,) = h.press("alice", first)
    assert isinstance(form, Form)
    defaults = {f.name: f.default for f in form.fields}
    assert defaults["connector"].id == "carol" and defaults["target"].id == "bob"
    h.submit(
        "alice",
        form,
        {"connector": UserArg("carol"), "target": UserArg("bob"), "why": "curious about Acme"},
    )
    assert "would love an intro" in plain(h.last_to("carol")) or "@alice" in plain(
        h.last_to("carol")
    )


def test_find_respects_avoid_lists_and_knows_who_you_already_know(h: Harness) -> None:
    community(h)
    met(h, "alice", "bob")
    text = h.reply("alice", "/intro find data engineer")
    assert "You already know @bob" in text
    h.reply("bob", "/coffee roulette avoid @alice")
    assert "couldn't find a path" in h.reply("alice", "/intro find Acme")


def test_someone_hidden_at_exactly_that_company_changes_nothing(h: Harness) -> None:
    """Whether a member who is not findable works at exactly "Acme" must not show in any
    answer: before, their hidden exact match stopped the search short of the findable
    people at "Acme Corp" — an answer that differed only because of them."""
    profile(h, "bob", role="data engineer", company="Acme Corp", findable=True)
    profile(h, "carol", role="recruiter", company="Initech", connector=True)
    met(h, "carol", "bob")
    without = h.reply("alice", "/intro find Acme")
    profile(h, "dan", role="designer", company="Acme", findable=False)
    assert "@carol knows @bob" in without
    assert h.reply("alice", "/intro find Acme") == without


def test_no_match_is_a_kind_suggestion(h: Harness) -> None:
    assert "join coffee roulette" in h.reply("alice", "/intro find Umbrella Corp").replace(
        "\n", " "
    )
    assert "Who would you like to reach" in h.reply("alice", "/intro find")


def test_a_path_says_when_they_met_not_when_they_said_so(h: Harness) -> None:
    profile(h, "bob", role="data engineer", company="Acme", findable=True)
    profile(h, "carol", role="recruiter", company="Initech", connector=True)
    met(h, "alice", "carol")
    h.reply("carol", "/coffee @bob tomorrow 3pm")  # Wed 2 Dec, 15:00
    h.press("bob", h.button(h.last_to("bob"), "Accept"))
    h.advance(timedelta(days=2))  # Thu 3 Dec, 09:00: after the check-in
    for user in ("carol", "bob"):
        asked = [m for m in h.recorder.to(user) if "Did your chat" in plain(m)][-1]
        h.press(user, h.button(asked, "Yes"))
    assert "@carol knows @bob (data engineer at Acme) — met Wed 2 Dec" in h.reply(
        "alice", "/intro find Acme"
    )


def test_a_search_matches_whole_words(h: Harness) -> None:
    community(h)
    assert "couldn't find a path to a" in h.reply("alice", "/intro find a")
    assert "couldn't find a path" in h.reply("alice", "/intro find eng")
    assert "@carol knows @bob" in h.reply("alice", "/intro find engineer")
    assert "@carol knows @bob" in h.reply("alice", "/intro find Acme Corp")


def test_find_a_person_yourself_nobody_or_someone_with_no_path(h: Harness) -> None:
    community(h)
    assert "That's you!" in h.reply("alice", "/intro find @alice")
    assert "couldn't find a member called “@zed”" in h.reply("alice", "/intro find @zed")
    assert "@carol knows @bob" in h.reply("alice", "/intro find @bob")
    nobody = h.reply("alice", "/intro find @dan").replace("\n", " ")
    assert "couldn't find a path to @dan" in nobody
    assert "/coffee asks @dan for a chat" in nobody
    assert "broader word" not in nobody  # that advice is for searches by company or role


def test_erase_removes_the_profile_and_its_ties_from_answers(h: Harness) -> None:
    community(h)
    out = h.cmd("carol", "/rapport privacy delete")
    h.press("carol", h.button(out[0].message, "Yes, erase everything"))
    assert not [d for d in h.store.find(PROFILES) if d.get("user") == "carol"]
    assert "@carol" not in h.reply("alice", "/intro find Acme")


USERS = ["alice", "bob", "carol", "dan", "you"]


@settings(max_examples=40, deadline=None, derandomize=True)
@given(
    flags=st.dictionaries(
        st.sampled_from(USERS[1:]),
        st.tuples(st.booleans(), st.booleans(), st.sampled_from(["Acme", "Globex"])),
    ),
    ties=st.lists(st.tuples(st.sampled_from(USERS), st.sampled_from(USERS)), max_size=8),
    avoid=st.lists(st.tuples(st.sampled_from(USERS), st.sampled_from(USERS)), max_size=3),
)
def test_nobody_who_did_not_opt_in_ever_appears(
    tmp_path_factory: object, flags: dict, ties: list, avoid: list
) -> None:
    h = Harness(tmp_path_factory.mktemp("net"))  # type: ignore[attr-defined]
    try:
        for user, (findable, connector, company) in flags.items():
            profile(h, user, company=company, findable=findable, connector=connector)
        for a, b in ties:
            if a != b:
                met(h, a, b)
        for a, b in set(avoid):
            if a != b:
                h.store.insert(
                    "roulette_avoid",
                    {
                        "key": f"{COMMUNITY.key}|{a}|{b}",
                        "community": COMMUNITY.key,
                        "user": a,
                        "other": b,
                    },
                )
        ctx = h.core.context(COMMUNITY, "alice")
        avoided = {b for a, b in avoid if a == "alice"} | {a for a, b in avoid if b == "alice"}
        for path in paths.find(ctx, "alice", query="Acme"):
            assert flags[path.target.user][0], "a target who is not findable"
            assert path.target.user not in avoided
            if path.connector is not None:
                assert flags.get(path.connector, (False, False, ""))[1], "not a connector"
                assert path.connector not in avoided
    finally:
        h.close()


def test_stats_follow_paths_to_intros_made(h: Harness) -> None:
    community(h)
    (answer,) = h.cmd("alice", "/intro find Acme")
    (form,) = h.press("alice", answer.message.buttons[0])
    h.submit(
        "alice",
        form,
        {"connector": UserArg("carol"), "target": UserArg("bob"), "why": "curious about Acme"},
    )
    mine = h.reply("alice", "/rapport stats")
    assert "Paths found → intros asked through a path → intros made: 2 paths → 1 → 0" in mine
    admin = h.reply("you", "/rapport stats")
    assert "The network: 2 paths found → 1 intro asked through one → 0 made" in admin
