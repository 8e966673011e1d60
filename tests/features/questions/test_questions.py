"""The question bank and ``/questions``: enough of them, our own words, no repeats until used up."""

from __future__ import annotations

import re
from pathlib import Path

from bot.features.questions.bank import SERVED, bank
from tests.harness import Harness

SEED = Path("/work/shared/seed")


def numbered(text: str) -> list[str]:
    return re.findall(r"^\d\. (.+)$", text, flags=re.M)


def test_the_bank_has_at_least_40_questions_in_six_categories() -> None:
    b = bank()
    assert {"work", "challenges", "stack", "career", "advice", "company"} <= set(b.categories)
    questions = b.all()
    assert len(questions) >= 40
    assert all(len(c.questions) >= 6 for c in b.categories.values())
    ids = [q.id for q in questions]
    assert len(ids) == len(set(ids))
    assert len({q.text for q in questions}) == len(questions)
    assert all(q.text.endswith("?") for q in questions)
    assert len(b.icebreakers) >= 10


def test_questions_are_in_our_own_words() -> None:
    texts = {q.text.lower() for q in bank().all()}
    for seed_question in (
        "what are the main types of projects you work on?",
        "what are some of the key challenges you often face?",
        "what technologies do you and your team predominantly use?",
    ):
        assert seed_question not in texts
    if SEED.exists():  # no sentence of ours is lifted from the seed article
        seed = " ".join(p.read_text(encoding="utf-8") for p in SEED.glob("*.txt")).lower()
        assert not [t for t in texts if t in seed]


def test_aliases_find_categories() -> None:
    assert bank().find("tech").key == "stack"
    assert bank().find("Career path").key == "career"
    assert bank().find("culture").key == "company"
    assert bank().find("weather") is None


def test_questions_never_repeat_until_the_bank_is_used_up(h: Harness) -> None:
    total = len(bank().all())
    seen: list[str] = []
    for _ in range(total // 3):
        text = h.reply("alice", "/questions")
        assert "starting the list again" not in text
        seen += numbered(text)
    assert len(seen) == len(set(seen)) == total - total % 3
    text = h.reply("alice", "/questions")
    got = numbered(text)
    assert len(got) == 3
    assert "starting the list again" in text


def test_a_topic_keeps_to_its_category_and_restarts_when_used_up(h: Harness) -> None:
    stack = {q.text for q in bank().categories["stack"].questions}
    first = numbered(h.reply("bob", "/questions tech"))
    second = numbered(h.reply("bob", "/questions stack"))
    assert set(first) | set(second) <= stack
    assert not set(first) & set(second)
    third = h.reply("bob", "/questions stack")  # 8 questions: the third ask runs out
    assert "starting the list again" in third
    assert set(numbered(third)) <= stack


def test_each_person_has_their_own_list(h: Harness) -> None:
    h.reply("alice", "/questions advice")
    h.reply("bob", "/questions advice")
    served = {d["user"]: d["served"] for d in h.store.find(SERVED)}
    assert set(served) == {"alice", "bob"}
    assert len(served["alice"]) == len(served["bob"]) == 3


def test_an_unknown_topic_lists_the_ones_there_are(h: Harness) -> None:
    before = h.snapshot()
    text = h.reply("alice", "/questions weather")
    assert "weather" in text and "challenges" in text and "Example:" in text
    assert h.snapshot() == before


def test_the_reminder_and_questions_share_one_list(h: Harness) -> None:
    """Questions handed out before a chat are not offered again by ``/questions``."""
    from bot.adapters.console.community import COMMUNITY
    from bot.features.questions.bank import serve

    picked, _ = serve(h.store, COMMUNITY, "alice", n=3)
    text = h.reply("alice", "/questions")
    assert not {q.text for q in picked} & set(numbered(text))
