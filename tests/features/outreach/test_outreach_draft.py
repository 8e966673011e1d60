"""The draft's opening line (``bot.features.outreach.draft``): whatever someone types
about the reader's work becomes one grammatical sentence spoken to the reader — no
"I really enjoyed I loved…", no "her team's launch", one capital, one final mark."""

from __future__ import annotations

import re

import pytest

from bot.features.outreach.draft import opening, second_person

# What people type after `/outreach @dana …` — every shape we have seen or can imagine.
CORPUS = [
    "I loved your post about hiring juniors",
    "i loved your post about hiring juniors!!",
    "I’ve been following your newsletter for a year",
    "loved your talk",
    "Loved your talk at PyCon.",
    "really enjoyed your keynote at PyCon!!",
    "just read your article on pricing",
    "enjoyed the podcast episode you did on burnout",
    "admire how she built her team from scratch",
    "saw your launch announcement",
    "been following your work on accessibility",
    "have been reading her blog for years",
    "your talk on testing",
    "Your talk on testing at PyCon",
    "her team's launch of the new search API",
    "Her team’s launch of the new search API.",
    "his work on accessibility",
    "their talk on testing at PyCon",
    "their new design system",
    "the way you explain CRDTs",
    "the way she explains CRDTs",
    "The way he runs his standups",
    "how she explained CRDTs",
    "how he leads his team",
    "how they handled the outage",
    "what she said about career switches",
    "why he left consulting",
    "congrats on the launch",
    "Congrats on her promotion!",
    "congratulations on his new role at Acme",
    "kudos on the redesign",
    "thanks for your thread on salary negotiation",
    "she leads the data team at Acme",
    "he has built an amazing community",
    "she's shipped a new design system",
    "he's hiring juniors",
    "she’s a great speaker",
    "they're hiring juniors",
    "they've just raised a seed round",
    "she teaches a course on UX writing",
    "he does a lot of mentoring",
    "she is speaking at the conference next month",
    "he was on a podcast about remote work",
    "she doesn't shy away from hard problems",
    "you just shipped the new search API!",
    "you're hiring juniors",
    "you gave a great talk at PyCon",
    "shipped the new checkout",
    "launched a new product line",
    "gave a talk on pricing at SaaStr",
    "leads the design team",
    "explained CRDTs so clearly",
    "recently launched the mobile app",
    "got promoted to staff engineer",
    "hiring juniors",
    "building a design system at Acme",
    "reading your blog",
    "PyCon keynote",
    "The new checkout redesign.",
    "distributed systems",
    "open source",
    "Stitch Fix's IPO",
    "the IPO",
    "new role at Acme",
    "Acme went public",
    "your team launched the new app",
    "your post was great",
    "the talk you gave at PyCon",
    "I met her at PyCon last year",
    "I heard him speak at the meetup",
    "her excellent talk",
    '  "your podcast episode on burnout"  ',
    "— your article on onboarding",
    "your article on onboarding 🎉",
    "that you open-sourced your tooling",
    "a thread she wrote about burnout",
    "my team loved her workshop",
    "her",
    "him and his team",
    "his",
    "talk of his",
    "  ",
    "...",
    "your  post   about   hiring",
    "a great interview with her on the Changelog podcast",
    "the book she wrote about negotiation",
    "she and her cofounder started a bakery",
    "they run the best meetup in town",
    "the way they run their meetup (so welcoming)",
    "marketing for nonprofits",
    "your case study on the museum rebrand",
    "she's been mentoring new nurses",
]
assert len(CORPUS) >= 50

THIRD_PERSON = re.compile(
    r"\b(?:she|he|her|his|him|hers|herself|himself|they|them|their|theirs|themselves"
    r"|she's|he's|they're|they've|she'd|he'd|they'd|she'll|he'll|they'll)\b",
    re.IGNORECASE,
)
VERBS = r"(?:enjoyed|loved|liked|admired|saw|read|watched|noticed|appreciated|followed)"
DOUBLED = re.compile(
    rf"\b{VERBS}\s+(?:i|i've|i'm|really|just|{VERBS})\b|\bi (?:really )?enjoyed (?:i|you)\b"
    r"|\bsaw that (?:i|congrat)|\bcongratulations on (?:congrat|i)\b",
    re.IGNORECASE,
)
SUBJECT_AGREEMENT = re.compile(
    r"\byou (?:is|was|has|does|doesn't|isn't|wasn't|hasn't|leads|runs|teaches|explains"
    r"|builds|writes|manages)\b",
    re.IGNORECASE,
)


@pytest.mark.parametrize("admire", CORPUS)
def test_every_input_becomes_one_clean_sentence_to_the_reader(admire: str) -> None:
    line = opening(admire)
    if not re.search(r"\w", admire):
        assert line == ""
        return
    assert line, admire
    assert line[0].isupper(), line
    assert line[-1] in ".!?", line
    assert not re.search(r"[.!?,;:][.!?]$", line), line  # one final mark
    assert "  " not in line and line == line.strip(), line
    assert not THIRD_PERSON.search(line), line  # the reader is "you"
    assert not DOUBLED.search(line), line  # no "enjoyed I loved"
    assert not SUBJECT_AGREEMENT.search(line), line  # no "you leads"
    assert not re.search(r"\bi\b", line), line  # "I" is a capital
    assert not re.search(r"\byour your\b|\bthe the\b", line, re.IGNORECASE), line
    assert line.count("Congratulations") <= 1, line


@pytest.mark.parametrize(
    ("admire", "line"),
    [
        ("I loved your post about hiring juniors", "I loved your post about hiring juniors."),
        ("loved your post about hiring juniors", "I loved your post about hiring juniors."),
        ("really enjoyed your talk!", "I really enjoyed your talk."),
        ("your talk on testing", "I really enjoyed your talk on testing."),
        (
            "your talk on data pipelines was great",
            "I thought your talk on data pipelines was great.",
        ),
        ("her post about hiring is so helpful", "I think your post about hiring is so helpful."),
        ("the talk you gave was inspiring", "I thought the talk you gave was inspiring."),
        ("their talk on testing", "I really enjoyed your talk on testing."),
        (
            "her team's launch of the new search API",
            "Congratulations on your team's launch of the new search API!",
        ),
        ("the way you explain CRDTs", "I really enjoyed the way you explain CRDTs."),
        ("how she explained CRDTs", "I really enjoyed how you explained CRDTs."),
        ("congrats on the launch", "Congrats on the launch!"),
        ("she leads the data team", "I saw that you lead the data team."),
        ("he has built a great community", "I saw that you have built a great community."),
        (
            "she's shipped a design system",
            "I saw that you've shipped a design system. Congratulations!",
        ),
        ("she's hiring juniors", "I saw that you're hiring juniors. Congratulations!"),
        ("they're hiring juniors", "I saw that you're hiring juniors. Congratulations!"),
        (
            "you just shipped the new search API!",
            "I saw that you just shipped the new search API. Congratulations!",
        ),
        ("shipped the new checkout", "I saw that you shipped the new checkout. Congratulations!"),
        ("The new checkout redesign.", "I really enjoyed the new checkout redesign."),
        ("PyCon keynote", "I really enjoyed your PyCon keynote."),
        ("distributed systems", "I really enjoyed your work on distributed systems."),
        ("new role at Acme", "Congratulations on your new role at Acme!"),
        ("Stitch Fix's IPO", "Congratulations on Stitch Fix's IPO!"),
        ("I met her at PyCon", "I met you at PyCon."),
        ("I heard him speak at the meetup", "I heard you speak at the meetup."),
        ("her excellent talk", "I really enjoyed your excellent talk."),
        ("your post was great", "I thought your post was great."),
        ("reading your blog", "I really enjoyed reading your blog."),
        ("been following your newsletter", "I've been following your newsletter."),
        ("the talk you gave at PyCon", "I really enjoyed the talk you gave at PyCon."),
    ],
)
def test_openings_read_naturally(admire: str, line: str) -> None:
    assert opening(admire) == line


def test_the_readers_name_becomes_you_too() -> None:
    assert (
        opening("Dana's talk on caching", name="Dana") == "I really enjoyed your talk on caching."
    )
    assert opening("Dana leads the data team", name="Dana") == "I saw that you lead the data team."
    assert opening("I met Dana at PyCon", name="Dana") == "I met you at PyCon."
    assert opening("Dana's hiring", name="Dana") == "I saw that you're hiring. Congratulations!"
    # Someone else's name is left alone.
    assert opening("Sam's talk", name="Dana") == "I really enjoyed Sam's talk."


@pytest.mark.parametrize(
    ("phrase", "spoken"),
    [
        ("Their theme and them", "Your theme and you"),
        ("theirs, they've", "yours, you've"),
        ("she leads", "you lead"),
        ("she teaches and he fixes", "you teach and you fix"),
        ("he tries", "you try"),
        ("she is", "you are"),
        ("he was", "you were"),
        ("she doesn't", "you don't"),
        ("she always goes", "you always go"),
        ("she's been", "you've been"),
        ("he's excited", "you're excited"),
        ("her talk", "your talk"),
        ("with her", "with you"),
        ("the idea was his", "the idea was yours"),
        ("Hermione", "Hermione"),
        ("theme", "theme"),
    ],
)
def test_second_person_turns_pronouns_and_verbs(phrase: str, spoken: str) -> None:
    assert second_person(phrase) == spoken


@pytest.mark.parametrize(
    ("admire", "line"),
    [
        ("her", "I really admire your work."),
        ("him and his team", "I really admire the work you and your team do."),
        ("talk of his", "I really enjoyed that talk of yours."),
        ("a thread she wrote on burnout", "I really enjoyed the thread you wrote on burnout."),
    ],
)
def test_odd_fragments_still_make_a_sentence(admire: str, line: str) -> None:
    assert opening(admire) == line


def test_a_typical_opening_fits_a_connection_note() -> None:
    assert len(opening("her team's launch of the new search API")) < 80


# Inputs with nothing specific in them: the review rightly says so.
VAGUE = ("her", "his", "him and his team", "she’s a great speaker")


def test_a_note_built_on_an_opening_passes_the_review() -> None:
    from bot.features.outreach.review import review

    for admire in CORPUS:
        line = opening(admire)
        if not line or admire.strip() in (
            "her",
            "his",
            "him and his team",
            "she’s a great speaker",
        ):
            continue
        note = f"Hi Dana,\n{line}\nI'm Sam, a teacher learning UX.\nI'd love to connect!\nSam"
        assert review(note) == [], (admire, [f.kind for f in review(note)])
