"""``bot.plural``: "1 intro", "2 intros", "2 replies", "3 people" — never "1 intros"."""

from __future__ import annotations

import pytest

from bot.plural import noun, plural, plural_of


@pytest.mark.parametrize(
    ("n", "word", "said"),
    [
        (1, "intro", "1 intro"),
        (2, "intro", "2 intros"),
        (0, "intro", "0 intros"),
        (1, "reply", "1 reply"),
        (2, "reply", "2 replies"),
        (3, "person", "3 people"),
        (1, "person", "1 person"),
        (2, "coffee chat", "2 coffee chats"),
        (2, "follow-up", "2 follow-ups"),
        (2, "match", "2 matches"),
        (2, "box", "2 boxes"),
        (2, "day", "2 days"),
        (2, "week", "2 weeks"),
        (2, "child", "2 children"),
        (2, "series", "2 series"),
        (-1, "day", "-1 day"),
        (2, "Reply", "2 Replies"),
        (2, "DM", "2 DMs"),
    ],
)
def test_plural_says_the_number_with_the_right_form(n: int, word: str, said: str) -> None:
    assert plural(n, word) == said


def test_a_one_off_plural_form_can_be_given() -> None:
    assert plural(2, "cactus", "cacti") == "2 cacti"
    assert plural(1, "cactus", "cacti") == "1 cactus"


def test_noun_and_verbs_agree_with_the_count() -> None:
    assert noun(1, "chat") == "chat"
    assert noun(4, "chat") == "chats"
    assert f"{plural(1, 'chat')} {noun(1, 'was')} answered" == "1 chat was answered"
    assert f"{plural(3, 'chat')} {noun(3, 'was')} answered" == "3 chats were answered"
    assert plural_of("") == ""
