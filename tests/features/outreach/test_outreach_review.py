"""The outreach review (``bot.features.outreach.review``): a first message asks for
nothing big (no job, referral, interview, résumé review, not even a coffee), is about
their work and not their private life, is specific rather than merely glowing, and is
short. Each finding is kind, says what to do instead, and quotes what earned it."""

from __future__ import annotations

import pytest

from bot.features.outreach import text as t
from bot.features.outreach.review import LIMIT, ORDER, Finding, ready, review

HELLO = "Hi Dana, congrats on the launch of the new search API!"
ME = "I'm Sam, a bootcamp grad learning Go."
CLEAN = f"{HELLO} {ME} I'd love to connect."


def kinds(note: str, **kw: bool) -> list[str]:
    return [f.kind for f in review(note, **kw)]


@pytest.mark.parametrize(
    "note",
    [
        CLEAN,
        "Hi Dana, I loved your post about interviewing junior designers. I'm Sam, a teacher "
        "moving into UX. I'd love to connect.",
        "Hi Priya, congrats on your new role at Acme! I'm Lee, a nurse learning data analysis. "
        "Would be great to connect.",
        "Hi Omar, huge fan of your talk on pricing for small studios at Config. I'm Ana, a "
        "freelance illustrator. I'd love to connect!",
        "Hello Mia, I read your article on hiring your first marketer. I'm Jo, I run a small "
        "bakery. Happy to connect!",
        "Hi Kim, I saw that your team shipped the new checkout. I'm Ravi, a student. I'd love "
        "to connect.",
        "Hi Tom, your guide to family-friendly app design was so useful. I'm Eve, a product "
        "designer. Let's connect!",
    ],
)
def test_a_good_first_note_is_ready(note: str) -> None:
    assert review(note) == []
    assert ready(review(note))


def test_asking_for_a_job_and_a_referral_is_not_ready() -> None:
    found = review("Are you hiring? I'd love a referral.")
    assert not ready(found)
    assert [f.kind for f in found][:2] == ["job_ask", "referral_ask"]
    assert found[0].phrase == "Are you hiring?"
    assert found[1].phrase == "I'd love a referral."


@pytest.mark.parametrize(
    ("ask", "kind"),
    [
        ("Are you hiring?", "job_ask"),
        ("Is your team hiring right now?", "job_ask"),
        ("Is Acme hiring juniors?", "job_ask"),
        ("Do you have any open roles?", "job_ask"),
        ("Are there any openings on your team?", "job_ask"),
        ("I'm looking for a new role, let me know if you hear of anything.", "job_ask"),
        ("Please consider me for the analyst position.", "job_ask"),
        ("I'd love to join your team.", "job_ask"),
        ("Could you refer me?", "referral_ask"),
        ("Would you be open to giving me a referral?", "referral_ask"),
        ("Could you put in a good word for me?", "referral_ask"),
        ("Could you pass my CV to the hiring manager?", "referral_ask"),
        ("Any chance I could get an interview?", "interview_ask"),
        ("Would you interview me?", "interview_ask"),
        ("Could you look over my resume?", "resume_ask"),
        ("Would love your feedback on my portfolio.", "resume_ask"),
        ("My CV is attached.", "resume_ask"),
        ("Would you be my mentor?", "mentor_ask"),
    ],
)
def test_big_asks_in_a_first_message_are_named(ask: str, kind: str) -> None:
    found = review(f"{HELLO} {ME} {ask}")
    assert kind in [f.kind for f in found]
    assert next(f for f in found if f.kind == kind).phrase == ask


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
    found = review(f"{CLEAN} {ask}")
    assert [f.kind for f in found] == ["coffee_ask"]
    assert found[0].phrase == ask


def test_after_they_accept_asking_for_time_or_a_review_is_fine() -> None:
    later = f"{CLEAN} Would you be up for a coffee? Could you look over my resume?"
    assert kinds(later, first=False) == []
    assert "coffee_ask" in kinds(later)


@pytest.mark.parametrize(
    "detail",
    [
        "I saw your kids' school photos on Facebook, so cute!",
        "Your wife seems lovely.",
        "I think I live near your house!",
        "You look so young for a director.",
        "Loved your vacation pics on Instagram.",
        "Hope your divorce is going ok.",
        "Your smile in your profile photo is great.",
    ],
)
def test_private_life_is_curious_not_creepy(detail: str) -> None:
    found = review(f"{HELLO} {detail} {ME}")
    assert [f.kind for f in found] == ["too_personal"]
    assert found[0].phrase == detail
    assert "not creepy" in found[0].message


@pytest.mark.parametrize(
    "work",
    [
        "I loved your talk on your family of design tokens.",
        "Your home page redesign is lovely.",
        "Your body of work on accessibility is inspiring.",
        "Your Instagram campaign for the launch was clever.",
        "I read your post on building apps for kids.",
    ],
)
def test_work_that_sounds_personal_is_not_flagged(work: str) -> None:
    assert "too_personal" not in kinds(f"{HELLO} {work} {ME}")


@pytest.mark.parametrize(
    "praise",
    [
        "You're amazing!",
        "Huge fan!",
        "I love your work.",
        "You're such a legend.",
        "Your content is so inspiring.",
    ],
)
def test_praise_with_nothing_specific_is_flattery(praise: str) -> None:
    found = review(f"Hi Dana, {praise} {ME} I'd love to connect.")
    assert [f.kind for f in found] == ["flattery"]
    assert praise in found[0].phrase


def test_praise_with_a_real_detail_is_welcome() -> None:
    assert review("Hi Dana, huge fan of your talk on caching at PyCon! " + ME) == []


def test_a_note_with_nothing_about_them_is_flagged_without_a_quote() -> None:
    found = review("Hi Dana, I'm Sam. I'd like to add you to my professional network.")
    assert found == [Finding("not_personal", *t.FINDINGS["not_personal"])]


def test_a_long_note_says_how_long_and_what_to_keep() -> None:
    long = CLEAN + " I have been learning a lot about distributed systems lately." * 5
    found = review(long)
    assert [f.kind for f in found] == ["too_long"]
    assert f"It's {len(long)} characters" in found[0].message
    assert str(LIMIT) in found[0].message


def test_placeholders_and_a_missing_hello_are_flagged() -> None:
    found = review("Hi Dana, congrats on the launch! [one line about you] Would love to connect.")
    assert [f.kind for f in found] == ["brackets", "no_intro"]
    assert found[0].phrase == "[one line about you]"


def test_findings_come_most_important_first_and_each_once() -> None:
    messy = (
        "Hi Dana, you're amazing! Are you hiring? Could you refer me? Coffee next week? "
        "I saw your kids' photos on Facebook."
    )
    got = kinds(messy)
    assert got == sorted(got, key=ORDER.index)
    assert len(got) == len(set(got))
    assert got[:2] == ["job_ask", "referral_ask"]


def test_a_long_sentence_is_quoted_around_the_offending_words() -> None:
    note = (
        f"{HELLO} {ME} I have followed the whole journey of your product for a long time and "
        "would really appreciate it if you could refer me to the team that works on search."
    )
    phrase = next(f.phrase for f in review(note) if f.kind == "referral_ask")
    assert "refer me" in phrase
    assert phrase.startswith("…") and phrase.endswith("…")
    assert len(phrase) < 100


def test_every_finding_is_warm_short_and_suggests_what_to_do() -> None:
    assert set(ORDER) == set(t.FINDINGS)
    for kind, (title, message) in t.FINDINGS.items():
        assert len(title) <= 40, kind
        assert 20 <= len(message) <= 200, kind
        assert message.rstrip().endswith("."), kind
        assert not any(w in message.lower() for w in ("wrong", "bad", "never", "don't", "mistake"))


def test_curly_apostrophes_and_odd_input_are_fine() -> None:
    assert kinds("Are you hiring? I’d love a referral.")[:2] == ["job_ask", "referral_ask"]
    assert "not_personal" in kinds("")
    assert review("   ") == review("")


def test_a_meetup_is_an_event_not_an_ask_to_meet() -> None:
    assert review(f"{HELLO} I heard you speak at the Python meetup. {ME}") == []
    assert "coffee_ask" in kinds(f"{CLEAN} Could we meet up next week?")


def test_pleasantries_are_not_a_detail_about_their_work() -> None:
    assert "not_personal" in kinds("Hi Dana, I hope that you are well. I'm Sam.")
    assert "not_personal" in kinds("Hi Dana, I'd love to hear what you think. I'm Sam.")
