"""Preparing for a coffee chat (``bot.features.coffee.prep``): the person who asked leads
and gets three questions picked for the chat's topic; the invitee hears what the other
person hopes to learn and that there's little to prepare."""

from __future__ import annotations

import pytest

from bot.features.coffee import text as t
from bot.features.coffee.prep import (
    GENERAL,
    QUESTIONS,
    Prep,
    general,
    pick,
    plan,
    topic_category,
)
from bot.features.questions.bank import bank
from bot.markup import Mention, fmt, join, to_plain


def render(p: Prep, topic: str = "") -> str:
    numbered = "\n".join(f"{i}. {q.text}" for i, q in enumerate(p.questions, 1))
    lines = [fmt(line, who=Mention("U2"), topic=topic, questions=numbered) for line in p.lines]
    return to_plain(join(*lines), lambda u: "@bob")


@pytest.mark.parametrize(
    ("topic", "key"),
    [
        ("career switch", "switching"),
        ("Career change", "switching"),
        ("changing fields", "switching"),
        ("moving from teaching into product", "switching"),
        ("pivoting into UX", "switching"),
        ("breaking in", "first-job"),
        ("breaking into data analysis", "first-job"),
        ("my first job", "first-job"),
        ("new grad roles", "first-job"),
        ("interview prep", "hiring"),
        ("the hiring process", "hiring"),
        ("junior developer interviews", "hiring"),
        ("how you review résumés", "hiring"),
        ("team culture", "company"),
        ("working at Stripe", "company"),
        ("life at Stitch Fix", "company"),
        ("remote work", "remote"),
        ("working across time zones", "remote"),
        ("growth", "growth"),
        ("getting promoted", "growth"),
        ("finding a mentor", "growth"),
        ("your tech stack", "stack"),
        ("testing", "stack"),
        ("hard problems you face", "challenges"),
        ("your career path", "career"),
        ("advice", "advice"),
        ("a typical day", "work"),
    ],
)
def test_a_topic_picks_its_questions(topic: str, key: str) -> None:
    category = topic_category(topic, bank())
    assert category is not None and category.key == key
    p = plan(topic, "inviter", bank())
    assert len(p.questions) == 3
    assert {q.category for q in p.questions} == {key}


def test_a_career_switch_gets_career_switch_questions_not_testing_ones() -> None:
    p = plan("career switch", "requester", bank(), user="U1")
    assert all(q.id.startswith("switching-") for q in p.questions)
    assert not any("test" in q.text.lower() for q in p.questions)


def test_a_topic_we_cannot_place_gets_questions_for_any_field() -> None:
    p = plan("nonprofit fundraising", "inviter", bank())
    assert p.category is not None and p.category.key == "general"
    assert {q.category for q in p.questions} <= set(GENERAL)
    assert "stack" not in {q.category for q in general(bank()).questions}


def test_no_topic_keeps_the_mixed_bank() -> None:
    p = plan(None, "inviter", bank())
    assert p.category is None and p.topic == ""
    assert len(p.questions) == 3
    assert plan("  ", "inviter", bank()).category is None


def test_the_inviter_is_told_to_lead_and_the_invitee_to_relax() -> None:
    inviter = render(plan("career switch", "inviter", bank()), "career switch")
    assert "You asked for this chat, so you lead it" in inviter
    assert "@bob's public work" in inviter
    assert "You wanted to talk about career switch" in inviter
    assert inviter.count("\n1. ") == 1 and "\n3. " in inviter
    assert "/questions switching" in inviter

    invitee = plan("career switch", "invitee", bank())
    assert invitee.questions == ()
    assert QUESTIONS not in invitee.lines
    said = render(invitee, "career switch")
    assert "@bob would love to learn about career switch from you" in said
    assert "No need to prepare much" in said
    assert "lead" in said  # they know the other person leads


def test_without_a_topic_the_words_still_fit_each_role() -> None:
    said = render(plan(None, "invitee", bank()))
    assert "to hear about your work and your path" in said
    inviter = render(plan("", "inviter", bank()))
    assert t.INVITER_QUESTIONS in inviter
    assert "Want more? /questions any time." in inviter


def test_a_topic_is_plain_text_in_the_message() -> None:
    said = render(plan("*bold* <!channel>", "invitee", bank()), "*bold* <!channel>")
    assert "*bold* <!channel>" in said


def test_questions_skip_what_this_person_has_seen() -> None:
    pool = bank().categories["switching"].questions
    first = pick(pool, user="U1")
    second = pick(pool, user="U1", served={q.id for q in first})
    assert not {q.id for q in first} & {q.id for q in second}
    # The pool used up: start again rather than come up short.
    assert len(pick(pool, user="U1", served={q.id for q in pool})) == 3
    assert pick((), user="U1") == ()
    assert pick(pool, user="U1") == first  # the same person, the same order


def test_an_unknown_role_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown role"):
        plan("career switch", "bystander", bank())


def test_every_category_has_enough_questions_for_a_chat() -> None:
    for category in bank().categories.values():
        assert len(category.questions) >= 6, category.key
        assert all(q.text.endswith("?") for q in category.questions)
