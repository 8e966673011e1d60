"""``/outreach``: a draft built on the loose template (personal note, hello and who you
are, you'd love to connect) in the member's voice, and a review that flags a coffee
ask, missing personalisation and length, each with a one-line why."""

from __future__ import annotations

import pytest

from bot.features.outreach import text as t
from bot.features.outreach.commands import draft
from bot.features.outreach.draft import opening, second_person
from bot.features.outreach.review import review
from tests.harness import Harness


def kinds(note: str) -> list[str]:
    return [f.kind for f in review(note)]


CLEAN = (
    "Hi Dana, congrats on the launch of the new search API! I'm Sam, a bootcamp grad "
    "learning Go. I'd love to connect."
)


def draft_of(reply: str) -> str:
    return reply.split(t.DRAFT_RULE)[1].strip()


# -- drafting ------------------------------------------------------------------------


def test_a_draft_follows_the_template_in_the_members_voice(h: Harness) -> None:
    reply = h.reply("alice", "/outreach @bob their talk on testing at PyCon")
    assert reply.startswith("Here's a draft in your voice.")
    assert draft_of(reply).splitlines() == [
        "Hi bob,",
        "I really enjoyed your talk on testing at PyCon.",
        "I'm alice, [one line about you: what you do, or what you're learning].",
        "I'd love to connect!",
        "alice",
    ]
    assert "characters. Connection notes get cut off around 300" in reply
    assert "Save the coffee invite for after they accept" in reply


def test_someone_outside_the_community_is_named_in_quotes(h: Harness) -> None:
    reply = h.reply("alice", '/outreach "Dana Lee" you just shipped the new search API!')
    lines = draft_of(reply).splitlines()
    assert lines[0] == "Hi Dana,"
    assert lines[1] == "I saw that you just shipped the new search API. Congratulations!"
    assert draft_of(h.reply("alice", '/outreach "someone at Acme"')).startswith("Hi there,")


def test_without_something_admired_the_draft_leaves_a_placeholder_and_says_so(
    h: Harness,
) -> None:
    reply = h.reply("alice", "/outreach @bob")
    assert t.DRAFT_ADMIRE_BLANK in draft_of(reply)
    assert "tell me what you admire and I'll weave it in" in reply
    # Our own placeholder draft is not ready to send, and the review says why.
    assert "brackets" in kinds(draft_of(reply))


def test_a_draft_never_pings_anyone(h: Harness) -> None:
    reply = h.reply("alice", "/outreach @bob <!channel> @everyone")
    assert "<!channel> @everyone" in reply  # shown as the text it is


def test_who_is_asked_for_clearly(h: Harness) -> None:
    assert "Who would you like to reach out to?" in h.reply("alice", "/outreach")
    assert "couldn't find a member called “zed”" in h.reply("alice", "/outreach zed nice work")
    assert "That's you!" in h.reply("alice", "/outreach @alice hi")


@pytest.mark.parametrize(
    ("admire", "line"),
    [
        ("their talk on testing", "I really enjoyed your talk on testing."),
        ("The new checkout redesign.", "I really enjoyed the new checkout redesign."),
        ("they're hiring juniors", "I saw that you're hiring juniors. Congratulations!"),
        ("PyCon keynote", "I really enjoyed your PyCon keynote."),
        ("I loved your post about hiring juniors", "I loved your post about hiring juniors."),
        ("her team's launch", "Congratulations on your team's launch!"),
        ("how she explained CRDTs", "I really enjoyed how you explained CRDTs."),
    ],
)
def test_what_they_admire_is_turned_towards_the_reader(admire: str, line: str) -> None:
    assert opening(admire) == line


def test_pronouns_switch_as_whole_words_only() -> None:
    assert second_person("Their theme and them") == "Your theme and you"
    assert second_person("theirs, they've") == "yours, you've"


def test_a_typical_draft_fits_a_connection_note() -> None:
    note = draft("Samantha", "Dana", "your team's launch of the new search API")
    assert len(note) < 300


# -- reviewing -----------------------------------------------------------------------


def test_a_clean_draft_gets_encouragement(h: Harness) -> None:
    assert kinds(CLEAN) == []
    reply = h.reply("alice", f"/outreach review {CLEAN}")
    assert "This one's ready." in reply
    assert f"short ({len(CLEAN)} characters)" in reply


@pytest.mark.parametrize(
    "ask",
    [
        "Would you be up for a coffee next week?",
        "Could we hop on a quick call?",
        "Do you have 15 minutes to talk?",
        "I'd love to pick your brain sometime.",
        "Here's my Calendly link.",
        "Would love to chat about your team!",
        "Are you free for a virtual coffee?",
    ],
)
def test_a_coffee_ask_in_a_first_request_is_flagged(ask: str) -> None:
    assert "coffee_ask" in kinds(f"{CLEAN} {ask}")


def test_missing_personalisation_is_flagged() -> None:
    generic = "Hi Dana, I'm Sam. I'd like to add you to my professional network."
    assert kinds(generic) == ["not_personal"]
    assert "not_personal" not in kinds("Hi Dana, I saw your post on caching. I'm Sam.")


def test_an_overlong_draft_is_flagged() -> None:
    long = CLEAN + " " + "I have been learning a lot about distributed systems lately. " * 4
    assert len(long) > 300
    assert kinds(long) == ["too_long"]


def test_a_draft_that_never_says_who_you_are_is_flagged() -> None:
    assert kinds("Hi Dana, congrats on the launch! Would love to connect.") == ["no_intro"]


def test_every_flag_comes_with_a_one_line_why(h: Harness) -> None:
    reply = h.reply(
        "alice",
        "/outreach review Hi Dana, would you have 15 minutes for a quick coffee chat "
        "next week? " + "Thanks so much for considering it. " * 8,
    )
    assert reply.startswith("Here's what I noticed (")
    bullets = [line for line in reply.splitlines() if line.startswith("• ")]
    titles = [t.FINDINGS[c][0] for c in ("coffee_ask", "not_personal", "too_long", "no_intro")]
    assert [b.split(" — ")[0][2:] for b in bullets] == titles
    assert all(len(b.split(" — ")[1]) > 20 and "\n" not in b for b in bullets)
    assert reply.rstrip().endswith("You've got this!")


def test_an_empty_or_huge_review_is_refused_kindly(h: Harness) -> None:
    assert "Paste your draft after /outreach review" in h.reply("alice", "/outreach review")
    assert "very long for a connection note" in h.reply("alice", "/outreach review " + "a" * 6000)


@pytest.mark.parametrize(
    ("note", "kind"),
    [
        (
            "Hi Bob, loved your talk on caching. I'm Sam. Are you hiring? I'd love a referral.",
            "job_ask",
        ),
        ("Hi Bob, loved your talk on caching. I'm Sam. Could you refer me?", "referral_ask"),
        (
            "Hi Bob, I'm Sam. I saw your kids' school photos on Facebook, so cute!",
            "too_personal",
        ),
    ],
)
def test_big_asks_and_private_details_are_never_ready(h: Harness, note: str, kind: str) -> None:
    assert kind in kinds(note)
    reply = h.reply("alice", f"/outreach review {note}")
    assert "This one's ready" not in reply and "you wrote:" in reply


def test_the_help_example_drafts_grammatically(h: Harness) -> None:
    reply = h.reply("alice", "/outreach @bob I loved your post about hiring juniors")
    assert "I really enjoyed I loved" not in reply
    assert "I loved your post about hiring juniors." in draft_of(reply)
    reply = h.reply("alice", "/outreach @carol her team's launch of the new search API")
    assert "your team's launch of the new search API" in draft_of(reply)


def test_a_bot_gets_no_draft_and_one_finding_reads_as_one(h: Harness) -> None:
    assert "That's a bot" in h.reply("alice", "/outreach @rapport hi")
    one = "Hi Sam, I loved your talk on CRDTs and would love to hear how your team works."
    said = h.reply("alice", "/outreach review " + one)
    assert "It doesn't say who you are" in said and "Fix this and it'll be ready" in said
